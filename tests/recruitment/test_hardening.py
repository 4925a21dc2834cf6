"""What a review of the recruitment story found, kept fixed: the kind refusals cannot be used to test addresses
without limit, a stale "start review" cannot reopen an approval, a provisioned website is a web address, the first
admin accepting their invitation is no colleague joining, and the resubmit link never carries the reviewers'
hidden fields to the applicant's browser."""

from __future__ import annotations

import pytest
from sqlmodel import Session, SQLModel, select

from prm_app.onboarding.models import ChecklistTask
from prm_app.partners import Organization, team
from prm_app.partners.team import accept_invite
from prm_app.platform.access import Role
from prm_app.platform.db import make_engine
from prm_app.platform.errors import DomainError
from prm_app.recruitment import (
    application_to_edit,
    approve_application,
    reject_application,
    start_review,
    submit_application,
)
from prm_app.recruitment import service as recruitment_service
from prm_app.recruitment.apply import ALREADY_PARTNER, TOO_MANY
from prm_app.recruitment.models import Application
from prm_app.recruitment.service import save_reviewer_fields
from tests.factories import make_user
from tests.onboarding.factories import make_template
from tests.recruitment.test_service import app_of, apply, form, make_world

PASSWORD = "A-very-long-passw0rd!"


def _answers(session: Session, emails: list[str], ip: str) -> list[str]:
    out = []
    for n, email in enumerate(emails):
        try:
            submit_application(session, "resellers", form(f"probe{n}", contact_email=email), ip=ip)
            out.append("accepted")
        except DomainError as exc:
            out.append(exc.message)
        session.rollback()
    return out


def test_refusals_count_against_the_limit_and_the_vendors_staff_are_not_told_apart(session):
    make_world(session)
    make_user(session, Role.ADMIN, email="cfo@vendor.example")
    session.commit()
    # The vendor's own staff address is no partner: the same answer as an unknown address.
    assert _answers(session, ["cfo@vendor.example"], ip="198.51.100.1") == ["accepted"]
    # A partner's person is told kindly, but a prober runs into the limit like anyone else.
    partner = session.exec(select(Organization).where(Organization.name == "Existing Partner AG")).one()
    partner_person = make_user(session, Role.PARTNER_USER, partner, email="pat@existing-partner.example").email
    session.commit()
    answers = _answers(session, [partner_person] * 8, ip="198.51.100.2")
    assert answers[:5] == [ALREADY_PARTNER] * 5 and set(answers[5:]) == {TOO_MANY}


def test_a_stale_start_review_cannot_reopen_an_approval(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        world = make_world(s)
        app_id = app_of(s, apply(s).reference).id
    reviewer = Session(engine)
    reviewer.get(Application, app_id)  # the reviewer read it while it was still submitted ...
    with Session(engine) as other:  # ... another manager approves meanwhile
        approve_application(other, world.admin, app_id, world.manager.user_id)
        other.commit()
    with pytest.raises(DomainError):
        start_review(reviewer, world.manager, app_id)
    reviewer.rollback()
    reviewer.close()
    with Session(engine) as check:
        app = check.get(Application, app_id)
        assert app is not None and app.status == "approved"


def test_a_provisioned_partners_website_is_a_web_address(session):
    world = make_world(session)
    plain_ref = apply(session, "w", website="www.newcow.example").reference
    plain = approve_application(session, world.admin, app_of(session, plain_ref).id, world.manager.user_id)
    odd = apply(session, "j", website="javascript://newcoj.example/%0aalert(document.domain)").reference
    tricky = approve_application(session, world.admin, app_of(session, odd).id, world.manager.user_id)
    assert session.get(Organization, plain.organization_id).website == "https://www.newcow.example"  # type: ignore[union-attr]
    assert session.get(Organization, tricky.organization_id).website == ""  # type: ignore[union-attr]


def test_the_first_admin_joining_is_no_colleague_joining(session, monkeypatch):
    world = make_world(session)
    tasks = [("A colleague joins", "invite_colleague", False), ("Manual", "custom", False)]
    make_template(session, world.admin, {"Team": tasks}, partner_type="var")
    tokens: list[str] = []
    real = team.new_token
    monkeypatch.setattr(team, "new_token", lambda: tokens.append(real()) or tokens[-1])
    app = app_of(session, apply(session).reference)
    approve_application(session, world.manager, app.id, world.manager.user_id)
    accept_invite(session, tokens[-1], PASSWORD, PASSWORD)
    task = session.exec(select(ChecklistTask).where(ChecklistTask.kind == "invite_colleague")).one()
    assert task.status == "pending"


def test_the_resubmit_link_carries_only_the_applicants_own_answers(session, monkeypatch):
    world = make_world(session)  # its program has the hidden reviewers' field x_score
    app = app_of(session, apply(session).reference)
    save_reviewer_fields(session, world.manager, app.id, {"x_score": "weak financials"})
    tokens: list[str] = []
    real = recruitment_service.new_token
    monkeypatch.setattr(recruitment_service, "new_token", lambda: tokens.append(real()) or tokens[-1])
    reject_application(session, world.manager, app.id, "needs_more_detail", "Tell us your customer count.")
    shown = application_to_edit(session, tokens[-1])
    assert "x_score" not in shown.values and shown.values["company"] == app.company
