"""Onboarding checklists against the database: starting once, ticking from other areas' events, the partner's
hand-in and the manager's decisions, scope, and the board's stuck partners and medians."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, func, select

from prm_app.agreements import my_agreements, publish_version, save_template, sign_agreement
from prm_app.notifications.models import Notification
from prm_app.onboarding import service as onb
from prm_app.onboarding import templates as tpl
from prm_app.onboarding.models import Checklist, ChecklistStage, ChecklistTask
from prm_app.onboarding.queries import my_checklist, onboarding_board, onboarding_medians, partner_checklist
from prm_app.partners.logos import StoredLogo
from prm_app.partners.org_profile import set_org_logo, update_org_profile
from prm_app.partners.rules import OrgProfileInput
from prm_app.partners.team import accept_invite, invite_colleague
from prm_app.platform.access import Actor, Role
from prm_app.platform.audit import record_engagement
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied, ValidationError
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import PASSWORD, T0, actor_for, make_org, make_user
from tests.onboarding.factories import STANDARD, make_template

DAY = timedelta(days=1)


@pytest.fixture
def w(session):
    maya, lars = make_user(session, Role.CHANNEL_MANAGER), make_user(session, Role.CHANNEL_MANAGER)
    acme = make_org(session, name="Acme Resell", manager=maya, region="EMEA", joined_at=T0)
    bolt = make_org(session, name="Bolt MSP", partner_type="msp", manager=lars, joined_at=T0)
    ann = make_user(session, Role.PARTNER_ADMIN, acme, full_name="Ann Acme")
    bo = make_user(session, Role.PARTNER_ADMIN, bolt)
    people = SimpleNamespace(
        maya=actor_for(maya), lars=actor_for(lars), ann=actor_for(ann), bo=actor_for(bo),
        exec=actor_for(make_user(session, Role.EXEC)), admin=actor_for(make_user(session, Role.ADMIN)),
    )  # fmt: skip
    make_template(session, people.admin, STANDARD, partner_type="reseller")
    make_template(session, people.admin, {"Start": [("Say hello", "custom", False)]}, partner_type="")
    session.commit()
    return SimpleNamespace(acme=acme, bolt=bolt, **people.__dict__)


def _tasks(session: Session, org_id: int) -> dict[str, str]:
    checklist = session.exec(select(Checklist).where(Checklist.organization_id == org_id)).one()
    rows = session.exec(select(ChecklistTask).where(ChecklistTask.checklist_id == checklist.id)).all()
    return {t.kind: t.status for t in rows}


def _task_id(session: Session, org_id: int, kind: str) -> int:
    checklist = session.exec(select(Checklist).where(Checklist.organization_id == org_id)).one()
    task = session.exec(
        select(ChecklistTask).where(ChecklistTask.checklist_id == checklist.id, ChecklistTask.kind == kind)
    ).one()
    assert task.id is not None
    return task.id


def _agreement(session, w, name="Partner Program Agreement", types=()):
    """A published agreement the partners of these types (all by default) must sign."""
    tid = save_template(session, w.maya, None, name=name, body="Between us and {{company_name}}.", partner_types=types)
    return publish_version(session, w.maya, tid, requires_acceptance=True)


def _sign(session, admin, version_id):
    """The partner admin signs the version as the agreement page would have them (their name, the text shown)."""
    item = next(t for t in my_agreements(session, admin).to_sign if t.pending.version_id == version_id)
    sign_agreement(session, admin, version_id, typed_name="Ann Acme", agreed=True, shown_sha256=item.text_sha256)


def test_starting_copies_the_matching_template_once(session, w):
    first = onb.start_onboarding(session, w.maya, w.acme.id, now=T0)
    assert onb.start_onboarding(session, w.maya, w.acme.id, now=T0 + DAY) == first
    assert session.exec(select(func.count()).select_from(Checklist)).one() == 1
    view = my_checklist(session, w.ann)
    assert view is not None and [s.name for s in view.stages] == ["Welcome", "Enable", "Sell"]
    assert [t.kind for t in view.stages[1].tasks] == ["invite_colleague", "custom", "upload_document"]
    assert view.current_stage is not None and view.current_stage.name == "Welcome"
    # an msp has no template of its own: the catch-all
    onb.start_onboarding(session, w.lars, w.bolt.id, now=T0)
    assert _tasks(session, w.bolt.id) == {"custom": "pending"}


def test_a_regions_own_template_wins_and_edits_apply_to_later_checklists_only(session, w):
    emea = make_template(session, w.admin, {"EMEA first": [("GDPR form", "custom", True)]}, region="EMEA")
    onb.start_onboarding(session, w.maya, w.acme.id, now=T0)
    assert _tasks(session, w.acme.id) == {"custom": "pending"}
    view = tpl.get_template(session, w.maya, emea)
    tpl.add_task(session, w.maya, emea, view.stages[0].id, title="Sign", kind="sign_agreement", requires_approval=False)
    assert _tasks(session, w.acme.id) == {"custom": "pending"}


def test_starting_ticks_what_the_partner_already_did(session, w):
    _sign(session, w.ann, _agreement(session, w))
    record_engagement(session, w.ann, "deal_registered", "deal", 7)
    make_user(session, Role.PARTNER_USER, w.acme)
    onb.start_onboarding(session, w.maya, w.acme.id, now=T0 + DAY)
    tasks = _tasks(session, w.acme.id)
    assert tasks["sign_agreement"] == tasks["register_first_deal"] == tasks["invite_colleague"] == "completed"
    assert tasks["complete_profile"] == "pending"  # no street, postal code, phone or logo yet
    assert session.exec(select(Checklist)).one().first_deal_at is not None


def test_tasks_tick_themselves_from_the_events_of_other_areas(session, w):
    first, second = _agreement(session, w), _agreement(session, w, "Services Addendum")
    onb.start_onboarding(session, w.maya, w.acme.id, now=T0)
    record_engagement(session, w.ann, "deal_registered", "deal", 3, organization_id=w.acme.id)
    record_engagement(session, w.bo, "agreement_signed", "agreement", 1)  # another partner's: nothing here
    assert _tasks(session, w.acme.id)["register_first_deal"] == "completed"
    assert _tasks(session, w.acme.id)["sign_agreement"] == "pending"
    # a colleague accepts an invitation
    invite = invite_colleague(session, w.ann, email="cy@acme.example", full_name="Cy", role="partner_user")
    accept_invite(session, invite.token, PASSWORD, PASSWORD)
    assert _tasks(session, w.acme.id)["invite_colleague"] == "completed"
    # the profile: saved incomplete, nothing; complete once the logo is there
    update_org_profile(
        session, w.ann,
        OrgProfileInput(street="1 Dock Rd", city="Berlin", postal_code="10115", country="DE",
                        website="https://acme.example", phone="+49 30 1234567"),
    )  # fmt: skip
    assert _tasks(session, w.acme.id)["complete_profile"] == "pending"
    set_org_logo(session, w.ann, StoredLogo(key="ab" * 16, content_type="image/png", size=100))
    assert _tasks(session, w.acme.id)["complete_profile"] == "completed"
    # two agreements apply: the first signature is not the task done, the second is
    _sign(session, w.ann, first)
    assert _tasks(session, w.acme.id)["sign_agreement"] == "pending"
    _sign(session, w.ann, second)
    assert _tasks(session, w.acme.id)["sign_agreement"] == "completed"
    stage = session.exec(select(ChecklistStage).where(ChecklistStage.name == "Welcome")).one()
    assert stage.completed_at is not None  # its last task ticked


def test_send_back_redo_approve_completes_the_stage_and_notifies(session, w):
    onb.start_onboarding(session, w.maya, w.acme.id, now=T0)
    plan = _task_id(session, w.acme.id, "custom")
    with pytest.raises(DomainError):
        onb.mark_task_done(session, w.ann, _task_id(session, w.acme.id, "register_first_deal"))
    assert onb.mark_task_done(session, w.ann, plan, now=T0 + DAY) == "waiting_approval"
    with pytest.raises(ValidationError):
        onb.send_back_task(session, w.maya, plan, "  ")
    onb.send_back_task(session, w.maya, plan, "Add next year's targets.", now=T0 + 2 * DAY)
    view = my_checklist(session, w.ann)
    assert view is not None
    task = next(t for t in view.stages[1].tasks if t.id == plan)
    assert (task.status, task.note) == ("action_required", "Add next year's targets.")
    notice = session.exec(select(Notification).where(Notification.kind == onb.RETURNED_NOTICE)).one()
    assert "Add next year's targets." in notice.message and notice.organization_id == w.acme.id
    assert onb.mark_task_done(session, w.ann, plan, now=T0 + 3 * DAY) == "waiting_approval"
    assert session.get(Notification, notice.id).resolved_at is not None
    for kind in ("invite_colleague", "upload_document"):
        onb.skip_task(session, w.maya, _task_id(session, w.acme.id, kind), now=T0 + 3 * DAY)
    enable = session.exec(select(ChecklistStage).where(ChecklistStage.name == "Enable")).one()
    assert enable.completed_at is None
    onb.approve_task(session, w.maya, plan, now=T0 + 4 * DAY)
    session.refresh(enable)
    assert enable.completed_at == T0 + 4 * DAY
    view = my_checklist(session, w.ann)
    assert view is not None and view.current_stage is not None and view.current_stage.name == "Welcome"
    with pytest.raises(DomainError):
        onb.approve_task(session, w.maya, plan)  # already completed


def test_the_last_stage_completing_onboards_the_partner(session, w):
    onb.start_onboarding(session, w.lars, w.bolt.id, now=T0)
    task = _task_id(session, w.bolt.id, "custom")
    onb.mark_task_done(session, w.bo, task, now=T0 + 5 * DAY)  # needs no approval
    checklist = session.exec(select(Checklist).where(Checklist.organization_id == w.bolt.id)).one()
    assert checklist.completed_at == T0 + 5 * DAY
    board = onboarding_board(session, w.lars, now=T0 + 40 * DAY)
    assert [(r.organization, r.days_to_onboard, r.stuck) for r in board.rows] == [("Bolt MSP", 5.0, False)]


def test_scope_partners_their_own_managers_their_book(session, w):
    onb.start_onboarding(session, w.maya, w.acme.id, now=T0)
    plan = _task_id(session, w.acme.id, "custom")
    with pytest.raises(NotFound):
        onb.start_onboarding(session, w.lars, w.acme.id)  # not in Lars's book
    with pytest.raises(NotFound):
        onb.mark_task_done(session, w.bo, plan)  # another partner's task
    with pytest.raises(NotFound):
        onb.approve_task(session, w.lars, plan)
    with pytest.raises(NotFound):
        partner_checklist(session, w.lars, w.acme.id)
    with pytest.raises(PermissionDenied):
        onb.skip_task(session, w.ann, plan)  # partners never skip
    with pytest.raises(PermissionDenied):
        onb.skip_task(session, w.exec, plan)  # execs read, change nothing
    with pytest.raises(PermissionDenied):
        tpl.add_stage(session, w.exec, 1, "Extra")
    assert onboarding_board(session, w.lars).rows == []
    assert [r.organization for r in onboarding_board(session, w.exec).rows] == ["Acme Resell"]


def test_a_provisioned_partner_gets_its_checklist(session, w):
    new = make_org(session, name="Newco", manager=w.lars and None)
    record_engagement(session, Actor.system("Recruitment"), "partner_provisioned", "organization", new.id,
                      organization_id=new.id)  # fmt: skip
    assert _tasks(session, new.id)["sign_agreement"] == "pending"


def test_time_to_onboard_counts_from_the_application_when_there_was_one(session, w):
    onb.start_onboarding(session, w.lars, w.bolt.id, now=T0)  # bolt joined at T0 (make_org)
    onb.note_application(session, w.bolt.id, T0 - 5 * DAY)  # it applied five days before its approval
    onb.mark_task_done(session, w.bo, _task_id(session, w.bolt.id, "custom"), now=T0 + 10 * DAY)
    bolt = next(r for r in onboarding_board(session, w.admin).rows if r.organization == w.bolt.name)
    assert bolt.days_to_onboard == 15
    onb.note_application(session, w.acme.id, T0)  # no checklist yet: nothing to note, nothing fails


def test_the_board_highlights_stuck_partners_and_gives_medians_per_quarter(session, w):
    onb.start_onboarding(session, w.maya, w.acme.id, now=T0)
    onb.start_onboarding(session, w.lars, w.bolt.id, now=T0)
    onb.mark_task_done(session, w.bo, _task_id(session, w.bolt.id, "custom"), now=T0 + 10 * DAY)
    record_engagement(session, w.bo, "deal_registered", "deal", 1)
    rows = onboarding_board(session, w.admin, now=T0 + 20 * DAY).rows
    acme = next(r for r in rows if r.organization == "Acme Resell")
    assert (acme.stage, acme.stuck, acme.done, acme.total) == ("Welcome", True, 0, 6)
    medians = onboarding_medians(session, w.admin)
    assert len(medians) == 1 and medians[0].joined == 2 and medians[0].median_days_to_onboard == 10.0
    assert medians[0].with_first_deal == 1


def test_editing_a_template_keeps_positions_in_order(session, w):
    t = make_template(session, w.admin, {"A": [], "B": [], "C": []}, partner_type="var")
    ids = [s.id for s in tpl.get_template(session, w.maya, t).stages]
    tpl.move_stage(session, w.maya, t, ids[2], -1)
    tpl.move_stage(session, w.maya, t, ids[0], -1)  # already first: nothing moves
    assert [s.name for s in tpl.get_template(session, w.maya, t).stages] == ["A", "C", "B"]
    tpl.remove_stage(session, w.maya, t, ids[0])
    tpl.rename_stage(session, w.maya, t, ids[1], "Bee")
    stage = tpl.get_template(session, w.maya, t).stages[0]
    assert [s.name for s in tpl.get_template(session, w.maya, t).stages] == ["C", "Bee"]
    a = tpl.add_task(session, w.maya, t, stage.id, title="One", kind="custom", requires_approval=False)
    tpl.add_task(session, w.maya, t, stage.id, title="Two", kind="custom", requires_approval=False)
    tpl.move_task(session, w.maya, t, a, +1)
    tpl.update_task(session, w.maya, t, a, title="Uno", kind="upload_document", requires_approval=True)
    tasks = tpl.get_template(session, w.maya, t).stages[0].tasks
    assert [(k.title, k.kind, k.requires_approval) for k in tasks] == [
        ("Two", "custom", False), ("Uno", "upload_document", True)
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        tpl.add_task(session, w.maya, t, stage.id, title="X", kind="complete_course", requires_approval=False)
    with pytest.raises(ValidationError):
        tpl.create_template(session, w.maya, name="Again", partner_type="var", region="")
    other = make_template(session, w.admin, {"Z": []}, partner_type="isv")
    with pytest.raises(NotFound):
        tpl.remove_stage(session, w.maya, other, stage.id)  # a stage of another template


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_starts_at_once_make_one_checklist(backend, tmp_path):
    with shared_database(backend, tmp_path, "onb_race") as engine:
        with Session(engine) as session:
            admin = actor_for(make_user(session, Role.ADMIN))
            org = make_org(session, name="Racer")
            make_template(session, admin, STANDARD, partner_type="")
            session.commit()
            org_id = org.id
        results = race(engine, *[lambda s: onb.start_onboarding(s, admin, org_id)] * 2)
        assert results[0] == results[1] and isinstance(results[0], int)
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Checklist)).one() == 1
            assert session.exec(select(func.count()).select_from(ChecklistTask)).one() == 6
