"""Overrides and decisions, what they tell and what the history keeps, on SQLite and PostgreSQL: a program that asks
no second approver applies a manager's override at once; one that does keeps both people in the history; the asker
is told of the decision on their own bell, the partner of any change of its tier or a proposal turned down."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from prm_app.notifications import list_notices, unread_count
from prm_app.notifications.models import Notification
from prm_app.partners import Organization
from prm_app.platform.access import Role
from prm_app.tiering import (
    TierChange,
    TierOverride,
    TierProgram,
    TierProposal,
    ask_override,
    decide_override,
    decide_proposal,
    evaluate_tiers,
    my_tier,
    override_tier,
    overview,
    pending_overrides,
    save_program,
)
from tests.factories import actor_for, make_user
from tests.tiering.factories import AS_OF, make_world, partner, won_deal

REASON = "Strategic partner for the 2027 launch"


def _messages(session: Session, actor) -> list[str]:
    return [n.message for n in list_notices(session, actor).rows]


def test_without_a_second_approver_the_override_applies_at_once(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver, "Nordlys AS")
    manager = actor_for(w.manager)
    save_program(session, manager, w.program.id, {"type_reseller": "on", "window": "rolling_12m", "currency": "USD"})
    assert session.get(TierProgram, w.program.id).override_approver is False
    form = {"partner": "Nordlys AS", "tier": str(w.gold.id), "reason": REASON}
    assert ask_override(session, manager, form) is True
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.gold.id
    change = session.exec(select(TierChange)).one()
    assert (change.source, change.reason, change.by_id, change.asked_by_id) == (
        "override",
        REASON,
        w.manager.id,
        None,
    )
    row = session.exec(select(TierOverride)).one()
    assert (row.status, row.asked_by_id, row.decided_by_id, row.open_for) == (
        "approved",
        w.manager.id,
        w.manager.id,
        None,
    )
    assert pending_overrides(session, manager) == []
    (move,) = overview(session, manager).movements
    assert (move.change.by, move.change.asked_by) == (w.manager.full_name, "")
    partner_person = actor_for(make_user(session, Role.PARTNER_USER, org))
    assert _messages(session, partner_person) == [f"Your tier changed from Silver to Gold: {REASON}"]
    # Turned back on: the next override waits again.
    save_program(
        session,
        manager,
        w.program.id,
        {"type_reseller": "on", "window": "rolling_12m", "currency": "USD", "override_approver": "on"},
    )
    assert ask_override(session, manager, {**form, "tier": str(w.silver.id)}) is False
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.gold.id


def test_the_asker_is_told_and_the_history_names_both_people(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver, "Fjordline AS")
    asker = actor_for(w.manager)
    admin_user = make_user(session, Role.ADMIN, full_name="Ada Admin")
    admin = actor_for(admin_user)
    partner_person = actor_for(make_user(session, Role.PARTNER_USER, org))
    approved = override_tier(session, asker, org.id, w.gold.id, REASON)
    assert unread_count(session, asker) == 0  # nothing decided yet
    decide_override(session, admin, approved, True, "Agreed with sales")
    session.commit()
    assert _messages(session, asker) == [
        "Ada Admin approved your override of Fjordline AS's tier: it holds Gold now. Note: Agreed with sales"
    ]
    assert unread_count(session, asker) == 1
    assert _messages(session, admin) == []  # the decider is not told their own decision
    assert _messages(session, partner_person) == [f"Your tier changed from Silver to Gold: {REASON}"]
    change = session.exec(select(TierChange)).one()
    assert (change.by_id, change.asked_by_id) == (admin_user.id, w.manager.id)
    (move,) = overview(session, asker).movements
    assert (move.partner, move.change.by, move.change.asked_by) == ("Fjordline AS", "Ada Admin", w.manager.full_name)
    page = my_tier(session, partner_person, AS_OF)
    assert page is not None and [(h.by, h.asked_by) for h in page.history] == [("Ada Admin", w.manager.full_name)]

    rejected = override_tier(session, admin, org.id, w.registered.id, "Asked by an admin, decided by its manager")
    decide_override(session, asker, rejected, False)
    session.commit()
    assert _messages(session, admin) == [
        f"{w.manager.full_name} rejected your override of Fjordline AS's tier: it keeps Gold."
    ]
    assert len(_messages(session, partner_person)) == 1  # nothing changed for the partner
    # Notices to people carry no organization; each is the asker's alone.
    rows = session.exec(select(Notification).where(Notification.user_id.is_not(None))).all()  # type: ignore[union-attr]
    assert sorted((n.user_id, n.organization_id) for n in rows) == sorted([(w.manager.id, None), (admin_user.id, None)])


def test_the_partner_is_told_how_its_proposal_was_decided(session: Session) -> None:
    w = make_world(session)
    up, down = partner(session, w, w.silver, "Rising Ltd"), partner(session, w, w.silver, "Steady Ltd")
    for _ in range(5):
        won_deal(session, up, "50000", date(2026, 9, 1))
    won_deal(session, down, "50000", date(2026, 9, 1))
    evaluate_tiers(session, AS_OF)
    manager = actor_for(w.manager)
    (proposal,) = session.exec(select(TierProposal)).all()
    decide_proposal(session, manager, proposal.id, False, "Wait for the Q1 numbers.")
    rising = actor_for(make_user(session, Role.PARTNER_USER, up))
    assert _messages(session, rising) == [
        "Your tier stays Silver: the proposed change to Gold was not made. Wait for the Q1 numbers."
    ]
    session.delete(proposal)  # a new period's proposal, approved this time
    session.flush()
    evaluate_tiers(session, AS_OF)
    (again,) = session.exec(select(TierProposal)).all()
    decide_proposal(session, manager, again.id, True)
    assert _messages(session, rising)[0] == "Your tier changed from Silver to Gold: Proposal for Gold approved."
    assert _messages(session, actor_for(make_user(session, Role.PARTNER_USER, down))) == []
