"""Recruitment use cases on SQLite and PostgreSQL: applying (refusals, spam guard, reference and email), review
(score adjustments, reject, resubmit, decline) and the approval that provisions a partner exactly once."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.mail import OutboxMessage
from prm_app.onboarding.models import Checklist
from prm_app.partners import Organization
from prm_app.partners.models import Invite
from prm_app.platform.access import Actor, Role
from prm_app.platform.audit import record_engagement
from prm_app.platform.errors import DomainError, FormInvalid, PermissionDenied, ValidationError
from prm_app.platform.models import EngagementEvent
from prm_app.recruitment import (
    QueueQuery,
    adjust_criterion,
    application_detail,
    application_to_edit,
    approve_application,
    bulk_decide,
    decline_application,
    pending_count,
    queue,
    record_step,
    reject_application,
    resubmit_application,
    submit_application,
)
from prm_app.recruitment.apply import ALREADY_APPLIED, ALREADY_PARTNER, ROBOT, TOO_MANY, WAS_DECLINED
from prm_app.recruitment.models import Application, FunnelEvent, Program
from prm_app.recruitment.service import ALREADY_DECIDED
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import actor_for, make_org, make_tier, make_user
from tests.onboarding.factories import make_template


@dataclass
class World:
    manager: Actor
    admin: Actor
    program: Program


def make_world(session: Session) -> World:
    make_tier(session, name="Gold", rank=3)
    registered = make_tier(session, name="Registered", rank=0)
    cm = make_user(session, Role.CHANNEL_MANAGER, full_name="Maya Manager")
    admin = make_user(session, Role.ADMIN)
    make_org(session, name="Existing Partner AG", country="DE", tier=registered)  # website https://existing.example
    program = Program(slug="resellers", name="Resellers & VARs", partner_type="var",
                      fields='[{"key": "x_score", "label": "Internal", "kind": "text", "hidden": true}]')  # fmt: skip
    session.add(program)
    session.commit()
    return World(actor_for(cm), actor_for(admin), program)


def form(n: str = "1", **over: str) -> dict[str, str]:
    data = {
        "company": f"Newco {n} <script>alert(1)</script>", "website": f"https://www.newco{n}.example",
        "country": "FR", "partner_type": "var", "team_size": "12", "revenue_band": "1m_5m", "vendors": "Contoso",
        "customer_count": "80", "certified_staff": "2", "contact_name": f"Nia {n}",
        "contact_email": f"nia@newco{n}.example", "motivation": "We sell to banks.", "vertical_finance": "on",
    }  # fmt: skip
    data.update(over)
    return data


def apply(session: Session, n: str = "1", **over: str):
    done = submit_application(session, "resellers", form(n, **over), visit=f"visit-{n}-abcdef", ip="10.0.0.1")
    session.commit()
    return done


def app_of(session: Session, reference: str) -> Application:
    return session.exec(select(Application).where(Application.reference == reference)).one()


def test_an_application_gets_a_reference_an_email_a_score_and_funnel_steps(session):
    make_world(session)
    record_step(session, "resellers", "visit-1-abcdef", "visited")
    record_step(session, "resellers", "visit-1-abcdef", "visited")  # a reload counts once
    record_step(session, "resellers", "visit-1-abcdef", "started")
    done = apply(session)
    assert re.fullmatch(r"APP-[2-9A-HJ-NP-Z]{8}", done.reference)
    app = app_of(session, done.reference)
    assert app.status == "submitted" and app.domain == "newco1.example" and app.score > 0
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "application_received")).one()
    assert mail.to_address == "nia@newco1.example" and done.reference in mail.subject
    assert "&lt;script&gt;" in mail.html_body and "<script>" not in mail.html_body
    stages = session.exec(select(FunnelEvent.stage).order_by(col(FunnelEvent.id))).all()
    assert stages == ["visited", "started", "submitted"]


def test_the_same_company_or_a_partner_is_refused_kindly_and_nothing_is_recorded(session):
    world = make_world(session)
    apply(session)
    for over, message in [
        ({"website": "newco1.example/other"}, ALREADY_APPLIED),  # same domain, open application
        ({"website": "https://else.example", "contact_email": "nia@newco1.example"}, ALREADY_APPLIED),
        ({"website": "https://shop.existing.example"}, ALREADY_PARTNER),  # an organization's website
    ]:
        with pytest.raises(DomainError, match=re.escape(message)):
            submit_application(session, "resellers", form("2", **over), ip="10.0.0.2")
        session.rollback()
    make_user(session, Role.PARTNER_USER, email="sam@somewhere.example")
    with pytest.raises(DomainError, match=re.escape(ALREADY_PARTNER)):
        submit_application(session, "resellers", form("3", contact_email="sam@somewhere.example"), ip="10.0.0.3")
    session.rollback()
    assert len(session.exec(select(Application)).all()) == 1
    assert pending_count(session, world.manager) == 1


def test_honeypot_and_rate_limit(session):
    make_world(session)
    with pytest.raises(DomainError, match=ROBOT):
        submit_application(session, "resellers", form(leave_empty="http://spam.example"), ip="10.9.9.9")
    for n in range(5):
        submit_application(session, "resellers", form(f"r{n}"), ip="10.9.9.9")
    with pytest.raises(DomainError, match=TOO_MANY):
        submit_application(session, "resellers", form("r9"), ip="10.9.9.9")


def test_field_errors_come_back_together(session):
    make_world(session)
    with pytest.raises(FormInvalid) as caught:
        submit_application(session, "resellers", form(website="", contact_email="x"), ip="10.0.0.1")
    assert set(caught.value.errors) == {"website", "contact_email"}


def test_approve_provisions_the_partner_invites_the_applicant_and_records_the_event(session):
    world = make_world(session)
    make_template(session, world.admin, {"Welcome": [("Sign", "sign_agreement", False)]}, partner_type="var")
    app = app_of(session, apply(session).reference)
    approved = approve_application(session, world.manager, app.id, world.manager.user_id)
    session.commit()
    org = session.get(Organization, approved.organization_id)
    # Its onboarding started with the approval, and its time to onboard counts from the application.
    checklist = session.exec(select(Checklist).where(Checklist.organization_id == approved.organization_id)).one()
    assert checklist.applied_at == app.submitted_at
    assert org is not None and org.partner_type == "var" and org.region == "EMEA" and org.country == "FR"
    assert org.channel_manager_id == world.manager.user_id and org.name == app.company
    registered = session.exec(select(Organization.tier_id).where(Organization.name == "Existing Partner AG")).one()
    assert org.tier_id == registered  # the lowest rank
    invite = session.get(Invite, approved.invite_id)
    assert invite is not None and invite.email == "nia@newco1.example" and invite.role == "partner_admin"
    assert (
        session.exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).one().to_address == invite.email
    )
    event = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "partner_provisioned")).one()
    assert (event.organization_id, event.subject_type, event.subject_id) == (org.id, "application", app.id)
    session.refresh(app)
    assert app.status == "approved" and app.organization_id == org.id
    # A retry (double click) changes nothing and says so.
    with pytest.raises(DomainError, match=re.escape(ALREADY_DECIDED)):
        approve_application(session, world.admin, app.id, world.manager.user_id)
    session.rollback()
    assert len(session.exec(select(Organization).where(Organization.name == app.company)).all()) == 1


def test_a_channel_manager_approves_into_their_own_book_only_and_partners_not_at_all(session):
    world = make_world(session)
    other = make_user(session, Role.CHANNEL_MANAGER)
    app = app_of(session, apply(session).reference)
    with pytest.raises(ValidationError, match="your own book"):
        approve_application(session, world.manager, app.id, other.id)
    session.rollback()
    partner = actor_for(make_user(session, Role.PARTNER_ADMIN))
    with pytest.raises(PermissionDenied):
        approve_application(session, partner, app.id, world.manager.user_id)
    session.rollback()
    assert session.get(Application, app.id).status == "submitted"  # type: ignore[union-attr]
    # An admin may give the partner to any channel manager.
    approve_application(session, world.admin, app.id, other.id)


def test_one_application_is_one_partner_by_the_database_too(session):
    world = make_world(session)
    app = app_of(session, apply(session).reference)
    approved = approve_application(session, world.admin, app.id, world.manager.user_id)
    session.commit()
    second = app_of(session, apply(session, "2").reference)
    second.organization_id = approved.organization_id
    session.add(second)
    with pytest.raises(IntegrityError):
        session.flush()


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_managers_approving_at_once_make_one_partner(backend, tmp_path):
    with shared_database(backend, tmp_path, "rc_race") as engine:
        with Session(engine, expire_on_commit=False) as setup:
            world = make_world(setup)
            app_id = app_of(setup, apply(setup).reference).id
        cm = world.manager.user_id

        def approve(by: Actor):
            return lambda s: approve_application(s, by, app_id, cm)

        results = race(engine, approve(world.admin), approve(world.admin))
        wins = [r for r in results if not isinstance(r, Exception)]
        assert len(wins) == 1, results
        with Session(engine) as check:
            assert len(check.exec(select(Organization).where(col(Organization.name).startswith("Newco"))).all()) == 1
            assert len(check.exec(select(Invite)).all()) == 1


def test_needs_more_detail_then_resubmit_and_decline_is_final(session):
    world = make_world(session)
    app = app_of(session, apply(session).reference)
    with pytest.raises(FormInvalid):
        reject_application(session, world.manager, app.id, "needs_more_detail", "")
    reject_application(session, world.manager, app.id, "needs_more_detail", "Which regions do you cover?")
    session.commit()
    with pytest.raises(DomainError, match="use the link in our email"):  # not a second application meanwhile
        submit_application(session, "resellers", form("1", contact_email="boss@newco1.example"), ip="10.0.0.6")
    session.rollback()
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "application_needs_detail")).one()
    token = re.search(r"/apply/resubmit/([\w-]+)", mail.text_body).group(1)  # type: ignore[union-attr]
    assert "Which regions do you cover?" in mail.text_body
    shown = application_to_edit(session, token)
    assert shown.values["company"] == app.company and shown.values["vertical_finance"] == "on"
    resubmit_application(session, token, {**shown.values, "motivation": "Banks in all of France."})
    session.commit()
    session.refresh(app)
    assert app.status == "submitted" and app.motivation == "Banks in all of France." and app.edit_token_hash is None
    with pytest.raises(DomainError):
        application_to_edit(session, token)  # used
    decline_application(session, world.manager, app.id, "Not for us.")
    session.commit()
    with pytest.raises(DomainError, match=re.escape(WAS_DECLINED)):
        submit_application(session, "resellers", form("1", contact_email="other@newco1.example"), ip="10.0.0.5")


def test_an_adjustment_changes_the_score_and_is_kept_with_who_and_why(session):
    world = make_world(session)
    app = app_of(session, apply(session).reference)
    before = application_detail(session, world.manager, app.id)
    gap = next(s for s in before.scores if s.key == "coverage_gap")
    assert gap.reason == "No partner in France yet." and gap.points == gap.weight
    with pytest.raises(FormInvalid):
        adjust_criterion(session, world.manager, app.id, "coverage_gap", "5", "")
    new_total = adjust_criterion(session, world.manager, app.id, "coverage_gap", "5", "Two resellers sign soon")
    session.commit()
    after = application_detail(session, world.manager, app.id)
    gap = next(s for s in after.scores if s.key == "coverage_gap")
    assert gap.points == 5 and gap.adjustment and gap.adjustment.note == "Two resellers sign soon"
    assert gap.adjustment.by == "Maya Manager" and after.score == new_total == before.score - gap.weight + 5


def test_queue_filters_sorts_and_pages_in_sql(session):
    world = make_world(session)
    refs = [apply(session, str(n), certified_staff=str(n)).reference for n in range(1, 4)]
    page = queue(session, world.manager, QueueQuery(sort="score"))
    assert page.total == 3 and page.rows[0].reference == refs[-1]
    decline_application(session, world.manager, app_of(session, refs[0]).id, "")
    assert queue(session, world.manager, QueueQuery()).total == 2
    assert [r.reference for r in queue(session, world.manager, QueueQuery(status="declined")).rows] == refs[:1]
    assert queue(session, world.manager, QueueQuery(status="", q="newco 2")).total == 1


def test_bulk_reject_leaves_decided_ones_alone(session):
    world = make_world(session)
    a, b = (app_of(session, apply(session, n).reference) for n in "12")
    decline_application(session, world.manager, a.id, "")
    result = bulk_decide(session, world.manager, [a.id, b.id], "rejected", reason="does_not_fit", note="")
    assert result.done == 1 and len(result.refused) == 1 and a.reference in result.refused[0]


def test_first_deal_and_first_win_of_a_recruited_partner_are_counted_once(session):
    world = make_world(session)
    app = app_of(session, apply(session).reference)
    org_id = approve_application(session, world.admin, app.id, world.manager.user_id).organization_id
    session.commit()
    partner = Actor(user_id=None, role=Role.PARTNER_ADMIN, organization_id=org_id)
    for kind in ("deal_registered", "deal_registered", "deal_won"):
        record_engagement(session, partner, kind, "deal", 1)
    session.commit()
    stages = session.exec(select(FunnelEvent.stage).where(FunnelEvent.organization_id == org_id)).all()
    assert sorted(stages) == ["approved", "first_deal", "first_win"]
    assert session.exec(select(User).where(User.email == "nia@newco1.example")).first() is None  # invited only


def test_execs_read_the_queue_but_decide_nothing_and_partners_read_nothing(session):
    make_world(session)
    app = app_of(session, apply(session).reference)
    execu = actor_for(make_user(session, Role.EXEC))
    partner = actor_for(make_user(session, Role.PARTNER_ADMIN))
    assert queue(session, execu, QueueQuery()).total == 1
    assert application_detail(session, execu, app.id).reference == app.reference
    assert pending_count(session, execu) == 0  # the badge is for those who decide
    for use_case in (
        lambda a: reject_application(session, a, app.id, "other", ""),
        lambda a: decline_application(session, a, app.id, ""),
        lambda a: adjust_criterion(session, a, app.id, "coverage_gap", "1", "why"),
    ):
        with pytest.raises(PermissionDenied):
            use_case(execu)
    for read in (
        lambda: queue(session, partner, QueueQuery()),
        lambda: application_detail(session, partner, app.id),
    ):
        with pytest.raises(PermissionDenied):
            read()
    assert session.get(Application, app.id).status == "submitted"  # type: ignore[union-attr]


def test_every_email_to_the_applicant_is_in_the_language_their_browser_asked_for(session):
    world = make_world(session)
    first = submit_application(session, "resellers", form("7"), visit="visit-7-abcdef", ip="10.0.0.7", language="de-CH")
    second = submit_application(session, "resellers", form("8"), visit="visit-8-abcdef", ip="10.0.0.8", language="ja")
    third = submit_application(session, "resellers", form("9"), visit="visit-9-abcdef", ip="10.0.0.9", language="xx")
    session.commit()
    assert [app_of(session, d.reference).language for d in (first, second, third)] == ["de", "ja", "en"]

    def mail_to(address: str, kind: str) -> OutboxMessage:
        return session.exec(
            select(OutboxMessage).where(OutboxMessage.to_address == address, OutboxMessage.kind == kind)
        ).one()

    assert mail_to("nia@newco7.example", "application_received").subject == (
        f"Wir haben Ihre Bewerbung erhalten ({first.reference})"
    )
    reject_application(session, world.manager, app_of(session, first.reference).id, "needs_more_detail", "Regionen?")
    decline_application(session, world.manager, app_of(session, second.reference).id, "Not for us.")
    approve_application(session, world.manager, app_of(session, third.reference).id, world.manager.user_id)
    session.commit()
    assert "Hallo Nia 7," in mail_to("nia@newco7.example", "application_needs_detail").text_body
    declined = mail_to("nia@newco8.example", "application_declined")
    assert declined.subject == f"ご応募 {second.reference} について" and "Not for us." not in declined.text_body
    assert "invited you" in mail_to("nia@newco9.example", "invitation").text_body


def test_an_approved_applicants_invitation_is_in_their_language(session):
    world = make_world(session)
    done = submit_application(session, "resellers", form("5"), visit="visit-5-abcdef", ip="10.0.0.5", language="fr")
    session.commit()
    approve_application(session, world.manager, app_of(session, done.reference).id, world.manager.user_id)
    session.commit()
    invitation = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).one()
    assert invitation.to_address == "nia@newco5.example" and "vous invite à rejoindre" in invitation.text_body
