"""Colleagues asking to join: one answer whatever matched, a request only for exactly one partner's domain, the
partner admin approves (an invitation is emailed; accepting it ticks "a colleague joins") or declines, per-IP limit."""

from __future__ import annotations

import pytest
from sqlmodel import select

from prm_app.mail.models import OutboxMessage
from prm_app.notifications.models import Notification
from prm_app.onboarding import join_requests as jr
from prm_app.onboarding import service as onb
from prm_app.onboarding.models import ChecklistTask, JoinRequest
from prm_app.onboarding.rules import JOIN_ANSWER
from prm_app.partners.team import accept_invite
from prm_app.platform import ratelimit
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied
from tests.factories import PASSWORD, actor_for, make_org, make_user
from tests.onboarding.factories import make_template


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def acme(session):
    org = make_org(session, name="Acme Resell")  # website https://acme.example
    admin = make_user(session, Role.PARTNER_ADMIN, org, email="ann@acme.example")
    session.commit()
    return org, actor_for(admin)


def test_the_same_answer_whether_or_not_anything_matched(session, acme):
    org, _ann = acme
    make_user(session, Role.PARTNER_USER, org, email="al@acme.example")
    for email in ("cy@acme.example", "cy@acme.example", "al@acme.example", "x@nowhere.example", "jo@gmail.com"):
        assert jr.request_to_join(session, email=email, full_name="Cy", ip="1.2.3.4") == JOIN_ANSWER
    requests = session.exec(select(JoinRequest)).all()
    assert [(r.email, r.organization_id, r.status) for r in requests] == [("cy@acme.example", org.id, "pending")]
    notice = session.exec(select(Notification).where(Notification.kind == jr.JOIN_NOTICE)).one()
    assert notice.organization_id == org.id and "cy@acme.example" in notice.message
    with pytest.raises(FormInvalid) as bad:
        jr.request_to_join(session, email="not-an-email", full_name=" ", ip="1.2.3.4")
    assert set(bad.value.errors) == {"email", "full_name"}


def test_rate_limited_per_ip(session, acme):
    for _ in range(5):
        jr.request_to_join(session, email="x@nowhere.example", full_name="X", ip="9.9.9.9")
    with pytest.raises(DomainError, match="Too many"):
        jr.request_to_join(session, email="cy@acme.example", full_name="Cy", ip="9.9.9.9")
    assert jr.request_to_join(session, email="cy@acme.example", full_name="Cy", ip="8.8.8.8") == JOIN_ANSWER


def test_the_partner_admin_approves_the_colleague_joins_and_the_task_ticks(session, acme):
    org, ann = acme
    maya = make_user(session, Role.CHANNEL_MANAGER)
    org.channel_manager_id = maya.id
    session.add(org)
    make_template(
        session, actor_for(maya), {"Team": [("A colleague joins", "invite_colleague", False)]}, partner_type=""
    )
    onb.start_onboarding(session, actor_for(maya), org.id)
    jr.request_to_join(session, email="cy@acme.example", full_name="Cy Acme", ip="1.2.3.4")
    [waiting] = jr.pending_join_requests(session, ann)
    other = actor_for(make_user(session, Role.PARTNER_ADMIN))
    assert jr.pending_join_requests(session, other) == []
    with pytest.raises(NotFound):
        jr.approve_join_request(session, other, waiting.id)
    with pytest.raises(PermissionDenied):
        jr.approve_join_request(session, actor_for(maya), waiting.id)
    created = jr.approve_join_request(session, ann, waiting.id)
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.to_address == "cy@acme.example")).one()
    assert mail.kind == "invitation"
    with pytest.raises(DomainError):
        jr.decline_join_request(session, ann, waiting.id)  # already decided
    assert jr.pending_join_requests(session, ann) == []
    accept_invite(session, created.token, PASSWORD, PASSWORD)
    assert session.exec(select(ChecklistTask.status)).one() == "completed"


def test_declining_closes_the_request(session, acme):
    _org, ann = acme
    jr.request_to_join(session, email="cy@acme.example", full_name="Cy", ip="1.2.3.4")
    [waiting] = jr.pending_join_requests(session, ann)
    jr.decline_join_request(session, ann, waiting.id)
    assert session.get(JoinRequest, waiting.id).status == "declined"
    assert session.exec(select(Notification).where(Notification.kind == jr.JOIN_NOTICE)).one().resolved_at
