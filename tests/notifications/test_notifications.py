"""Notices read per person and resolved by the action they ask for, on SQLite and PostgreSQL: reading is one
person's (colleagues keep theirs unread), "mark all read" is a watermark, ids from the browser are looked up
through the actor's organization, and the areas resolve their notices in the action's own transaction."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event
from sqlmodel import Session, func, select

from prm_app.deals import answer_info_request, withdraw_deal
from prm_app.deals.review import approve_deal, reject_deal, request_more_info
from prm_app.leads import offers_waiting
from prm_app.leads.offers import accept_lead, decline_lead, recycle_overdue_leads
from prm_app.notifications import (
    NoticeState,
    list_notices,
    mark_all_read,
    mark_read,
    notify,
    notify_person,
    open_notice,
    recent_notices,
    resolve,
    unread_count,
)
from prm_app.notifications.models import Notification, NotificationCursor, NotificationRead
from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound, PermissionDenied
from prm_app.platform.settings import settings
from tests.deals.factories import make_world, register
from tests.factories import T0, actor_for, make_org, make_user
from tests.leads.factories import make_lead, make_lead_world, send


def _ids(session: Session, org_id: int) -> list[int]:
    return list(session.exec(select(Notification.id).where(Notification.organization_id == org_id)).all())


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    """Alpha with two colleagues and three notices (the lead one about lead 7); Beta with one notice."""
    alpha, beta = make_org(session, name="Alpha Resellers"), make_org(session, name="Beta Systems")
    w = SimpleNamespace(alpha=alpha, beta=beta)
    w.ann = actor_for(make_user(session, Role.PARTNER_ADMIN, alpha))
    w.bob = actor_for(make_user(session, Role.PARTNER_USER, alpha))
    w.bea = actor_for(make_user(session, Role.PARTNER_USER, beta))
    w.admin = actor_for(make_user(session, Role.ADMIN))
    notify(session, alpha.id, "deal_approved", "Hooli approved", "/deals/1", at=T0, about=("deal", 1))
    notify(
        session, alpha.id, "lead_offered", "New lead: Acme", "/leads/7", at=T0 + timedelta(hours=1), about=("lead", 7)
    )
    notify(session, alpha.id, "nps_survey", "A survey", "/portal/survey/1", at=T0 + timedelta(hours=2))
    notify(session, beta.id, "deal_approved", "Initech approved", "/deals/2", at=T0)
    session.commit()
    w.hooli, w.acme, w.survey = _ids(session, alpha.id)
    (w.initech,) = _ids(session, beta.id)
    return w


def _states(session: Session, actor) -> dict[str, NoticeState]:
    return {n.message: n.state for n in list_notices(session, actor).rows}


# -- reading is personal ---------------------------------------------------------------------------------------
def test_a_new_notice_is_unread_for_every_colleague(session, w):
    assert unread_count(session, w.ann) == unread_count(session, w.bob) == 3
    assert unread_count(session, w.bea) == 1


def test_one_colleague_reading_a_notice_leaves_it_unread_for_the_others(session, w):
    mark_read(session, w.ann, w.hooli, now=T0)
    session.commit()

    assert unread_count(session, w.ann) == 2
    assert _states(session, w.ann)["Hooli approved"] == NoticeState.READ
    assert unread_count(session, w.bob) == 3
    assert _states(session, w.bob)["Hooli approved"] == NoticeState.UNREAD


def test_reading_twice_changes_nothing(session, w):
    mark_read(session, w.ann, w.hooli)
    session.commit()
    mark_read(session, w.ann, w.hooli)
    session.commit()
    assert session.exec(select(func.count()).select_from(NotificationRead)).one() == 1


def test_opening_a_notice_marks_it_read_and_says_where_it_leads(session, w):
    assert open_notice(session, w.bob, w.acme) == "/leads/7"
    session.commit()
    assert _states(session, w.bob)["New lead: Acme"] == NoticeState.READ
    assert unread_count(session, w.ann) == 3


def test_a_stored_link_to_another_site_leads_nowhere(session, w):
    notify(session, w.alpha.id, "note", "Odd link", "https://evil.example/", at=T0 + timedelta(hours=3))
    session.commit()
    odd = max(_ids(session, w.alpha.id))
    assert open_notice(session, w.ann, odd) == ""
    assert recent_notices(session, w.ann)[0].link == ""


def test_mark_all_read_reads_what_is_there_now_not_what_comes_later(session, w):
    mark_read(session, w.ann, w.hooli)
    session.commit()
    mark_all_read(session, w.ann, now=T0)
    session.commit()

    assert unread_count(session, w.ann) == 0
    assert unread_count(session, w.bob) == 3
    # One watermark row; the one-by-one read under it is gone.
    assert session.exec(select(NotificationCursor.read_through_id)).all() == [w.survey]
    assert session.exec(select(func.count()).select_from(NotificationRead)).one() == 0

    notify(session, w.alpha.id, "deal_rejected", "Vandelay rejected", "/deals/3")
    session.commit()
    assert unread_count(session, w.ann) == 1
    assert _states(session, w.ann)["Vandelay rejected"] == NoticeState.UNREAD
    assert _states(session, w.ann)["A survey"] == NoticeState.READ

    mark_read(session, w.ann, w.hooli)  # under the watermark: nothing to write
    mark_all_read(session, w.ann)
    session.commit()
    assert unread_count(session, w.ann) == 0
    assert session.exec(select(func.count()).select_from(NotificationRead)).one() == 0


def test_mark_all_read_with_no_notices_writes_nothing(session, w):
    lonely = actor_for(make_user(session, Role.PARTNER_USER))
    mark_all_read(session, lonely)
    session.commit()
    assert session.exec(select(func.count()).select_from(NotificationCursor)).one() == 0


# -- scope -------------------------------------------------------------------------------------------------------
def test_another_organizations_notice_is_not_found_and_nothing_is_written(session, w):
    for use_case in (mark_read, open_notice):
        with pytest.raises(NotFound):
            use_case(session, w.bea, w.hooli)
    with pytest.raises(NotFound):
        mark_read(session, w.ann, 999_999)
    session.commit()
    assert session.exec(select(func.count()).select_from(NotificationRead)).one() == 0


def test_another_organizations_notices_are_never_listed_or_counted(session, w):
    assert [n.message for n in list_notices(session, w.bea).rows] == ["Initech approved"]
    mark_all_read(session, w.bea)
    session.commit()
    assert unread_count(session, w.ann) == 3  # Beta's watermark (a higher id is Alpha's) reads nothing of Alpha's
    assert unread_count(session, w.bea) == 0


def test_the_vendors_people_read_only_the_notices_addressed_to_them(session, w):
    assert unread_count(session, w.admin) == 0
    assert list_notices(session, w.admin).rows == ()
    for use_case in (mark_read, open_notice):
        with pytest.raises((NotFound, PermissionDenied)):
            use_case(session, w.admin, w.hooli)
    mark_all_read(session, w.admin)  # nothing of theirs: no partner's notice is touched
    session.commit()
    assert session.exec(select(func.count()).select_from(NotificationCursor)).one() == 0

    other = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    notify_person(session, w.admin.user_id, "tier_override_approved", "Your override was approved", "/tiers")
    session.commit()
    (mine,) = session.exec(select(Notification.id).where(Notification.user_id == w.admin.user_id)).all()
    assert [n.message for n in list_notices(session, w.admin).rows] == ["Your override was approved"]
    assert unread_count(session, w.admin) == 1
    assert unread_count(session, other) == 0 and list_notices(session, other).rows == ()
    assert unread_count(session, w.ann) == 3  # a partner never sees a vendor person's notice
    for use_case in (mark_read, open_notice):
        with pytest.raises(NotFound):
            use_case(session, other, mine)
        with pytest.raises(NotFound):
            use_case(session, w.ann, mine)
    assert open_notice(session, w.admin, mine) == "/tiers"
    session.commit()
    assert unread_count(session, w.admin) == 0


# -- listing -----------------------------------------------------------------------------------------------------
def test_the_list_is_newest_first_and_filters_unread(session, w):
    mark_read(session, w.ann, w.survey)
    session.commit()
    everything = list_notices(session, w.ann)
    assert [n.message for n in everything.rows] == ["A survey", "New lead: Acme", "Hooli approved"]
    assert (everything.total, everything.unread) == (3, 2)
    unread = list_notices(session, w.ann, unread_only=True)
    assert [n.message for n in unread.rows] == ["New lead: Acme", "Hooli approved"]
    assert (unread.total, unread.unread) == (2, 2)


def test_the_list_is_paged_in_sql(session, w):
    for n in range(45):
        notify(session, w.beta.id, "note", f"Note {n:02d}", at=T0 + timedelta(minutes=n + 1))
    session.commit()
    first, last = list_notices(session, w.bea, page=1), list_notices(session, w.bea, page=99)
    assert (first.total, first.pages, len(first.rows), first.rows[0].message) == (46, 3, 20, "Note 44")
    assert (last.page, [n.message for n in last.rows]) == (
        3,
        ["Note 04", "Note 03", "Note 02", "Note 01", "Note 00", "Initech approved"],
    )


def test_the_unread_count_is_one_count_and_one_primary_key_read(session, w):
    statements: list[str] = []
    engine = session.get_bind()

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert unread_count(session, w.bob) == 3
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 2
    assert "notification_cursor" in statements[0] and "count(" in statements[1].lower()


# -- resolving ---------------------------------------------------------------------------------------------------
def test_a_resolved_notice_is_done_for_everyone_and_no_longer_unread(session, w):
    mark_read(session, w.ann, w.acme)
    assert resolve(session, w.alpha.id, ("lead", 7), "lead_offered", at=T0) == 1
    session.commit()

    assert _states(session, w.ann)["New lead: Acme"] == NoticeState.DONE
    assert _states(session, w.bob)["New lead: Acme"] == NoticeState.DONE
    assert unread_count(session, w.bob) == 2
    assert "New lead: Acme" not in [n.message for n in list_notices(session, w.bob, unread_only=True).rows]
    assert resolve(session, w.alpha.id, ("lead", 7), "lead_offered") == 0  # twice: harmless


def test_resolve_touches_only_that_record_kind_and_organization(session, w):
    notify(session, w.beta.id, "lead_offered", "Beta's offer of lead 7", about=("lead", 7))
    session.commit()
    assert resolve(session, w.alpha.id, ("lead", 8), "lead_offered") == 0
    assert resolve(session, w.alpha.id, ("lead", 7), "lead_expiring") == 0
    assert resolve(session, w.alpha.id, ("deal", 7), "lead_offered") == 0
    assert resolve(session, w.alpha.id, ("lead", 7), "lead_offered") == 1
    session.commit()
    assert unread_count(session, w.bea) == 2


def test_a_rolled_back_action_leaves_its_notice_open(session, w):
    resolve(session, w.alpha.id, ("lead", 7), "lead_offered")
    session.rollback()
    assert _states(session, w.ann)["New lead: Acme"] == NoticeState.UNREAD


# -- the areas: leads ----------------------------------------------------------------------------------------------
@pytest.fixture
def offered(session: Session) -> SimpleNamespace:
    """Acme Retail offered to Northwind at T0 (tests/leads/factories.py's world)."""
    lw = make_lead_world(session)
    lw.acme = make_lead(session, lw.americas, "Acme Retail", vertical="retail", products=[lw.core], city="Detroit")
    send(session, lw.maya, lw.americas, [lw.acme], now=T0)
    session.commit()
    return lw


def _lead_notice(session: Session, org_id: int, lead_id: int) -> Notification:
    return session.exec(
        select(Notification).where(
            Notification.organization_id == org_id,
            Notification.subject_kind == "lead",
            Notification.subject_id == lead_id,
        )
    ).one()


def test_an_offer_tells_the_partner_and_waits_on_its_leads_badge(session, offered):
    notice = _lead_notice(session, offered.northwind.id, offered.acme.id)
    assert (notice.kind, notice.link, notice.resolved_at) == ("lead_offered", f"/leads/{offered.acme.id}", None)
    assert unread_count(session, offered.nw) == 1
    assert offers_waiting(session, offered.nw, now=T0) == 1
    assert offers_waiting(session, offered.bp, now=T0) == 0
    assert offers_waiting(session, offered.maya, now=T0) == 0  # the vendor's people work no leads


def test_accepting_resolves_the_offer_notice_and_empties_the_badge(session, offered):
    accept_lead(session, offered.nw, offered.acme.id, now=T0 + timedelta(hours=1))
    session.commit()
    assert _lead_notice(session, offered.northwind.id, offered.acme.id).resolved_at == T0 + timedelta(hours=1)
    assert unread_count(session, offered.nw) == 0
    assert offers_waiting(session, offered.nw, now=T0 + timedelta(hours=1)) == 0


def test_declining_resolves_it_and_the_next_partner_gets_an_open_notice(session, offered):
    decline_lead(session, offered.nw, offered.acme.id, "No capacity", now=T0 + timedelta(hours=1))
    session.commit()
    assert _lead_notice(session, offered.northwind.id, offered.acme.id).resolved_at is not None
    assert _lead_notice(session, offered.bluepeak.id, offered.acme.id).resolved_at is None
    assert (unread_count(session, offered.nw), unread_count(session, offered.bp)) == (0, 1)


def test_an_offer_missed_past_its_deadline_resolves_too(session, offered):
    deadline = T0 + timedelta(hours=settings.lead_accept_hours)
    assert offers_waiting(session, offered.nw, now=deadline) == 0  # past its deadline it no longer waits
    recycle_overdue_leads(session, now=deadline)
    session.commit()
    assert _lead_notice(session, offered.northwind.id, offered.acme.id).resolved_at == deadline


# -- the areas: deals ----------------------------------------------------------------------------------------------
@pytest.fixture
def dw(session: Session) -> SimpleNamespace:
    return make_world(session)


def _deal_notices(session: Session, deal_id: int) -> list[tuple[str, bool]]:
    rows = session.exec(
        select(Notification).where(Notification.subject_kind == "deal", Notification.subject_id == deal_id)
    ).all()
    return sorted((n.kind, n.resolved_at is not None) for n in rows)


def test_decisions_on_a_registration_tell_its_partner(session, dw):
    approved = register(session, dw.a, dw.products, customer_name="Hooli", customer_site="hooli.com")
    rejected = register(session, dw.a, dw.products, customer_name="Initech", customer_site="initech.com")
    approve_deal(session, dw.manager, approved, now=T0)
    reject_deal(session, dw.manager, rejected, "Direct account", now=T0)
    session.commit()
    assert _deal_notices(session, approved) == [("deal_approved", False)]
    assert _deal_notices(session, rejected) == [("deal_rejected", False)]
    messages = [n.message for n in list_notices(session, dw.a2).rows]
    assert any("Hooli" in m and "approved" in m for m in messages)
    assert any("Initech" in m and "Direct account" in m for m in messages)
    assert list_notices(session, dw.b).rows == ()


@pytest.mark.parametrize("answer", ["answer", "withdraw"])
def test_more_info_requested_is_resolved_when_the_partner_answers_or_withdraws(session, dw, answer):
    deal_id = register(session, dw.a, dw.products, customer_name="Hooli", customer_site="hooli.com")
    request_more_info(session, dw.manager, deal_id, "Which products?")
    session.commit()
    assert _deal_notices(session, deal_id) == [("deal_info_requested", False)]
    assert unread_count(session, dw.a2) == 1

    if answer == "answer":
        answer_info_request(session, dw.a2, deal_id, "Core and Analytics")
    else:
        withdraw_deal(session, dw.a2, deal_id)
    session.commit()
    assert _deal_notices(session, deal_id) == [("deal_info_requested", True)]
    assert unread_count(session, dw.a) == unread_count(session, dw.a2) == 0
