"""Deal registration, vendor side: the review queue and its SLA, conflict evidence, who may decide, approvals and
the protection they grant (refused while another claim is protected), rejection, questions, bulk approval,
extensions, expiry with its notices, and notifications."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlmodel import Session, col, func, select

from prm_app.deals.labels import evidence_title
from prm_app.deals.matching.store import DIRECT_ACCOUNT, REGISTRATION
from prm_app.deals.models import Deal, DealEvent, DealExtension, DealStatus
from prm_app.deals.queries import get_deal_for_review, next_to_review, pending_extensions, review_queue
from prm_app.deals.review import (
    ExpiryRun,
    approve_deal,
    bulk_approve_clean,
    decide_extension,
    expire_deals,
    reject_deal,
    request_more_info,
)
from prm_app.deals.service import request_extension, withdraw_deal
from prm_app.notifications import recent_notices
from prm_app.notifications.models import Notification
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AppLock, EngagementEvent
from tests.deals.factories import make_direct_account, make_world, register
from tests.factories import T0, actor_for, make_user

DAY = timedelta(days=1)


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    return make_world(session)


def _count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _deal(session: Session, deal_id: int) -> Deal:
    """The deal as the database has it (pending changes flushed first: expire_all would discard them)."""
    session.flush()
    session.expire_all()
    return session.get(Deal, deal_id)


def _pair(session: Session, w: SimpleNamespace) -> tuple[int, int]:
    """Alpha registers Acme first; a day later Beta registers the same customer under another spelling."""
    first = register(session, w.a, w.products, customer_name="Acme Corporation", customer_site="www.acme.com")
    second = register(
        session, w.b, w.products, now=T0 + DAY, customer_name="ACME, Inc.", customer_site="https://shop.acme.com"
    )
    session.commit()
    return first, second


# ---------------------------------------------------------------------------------------------------------------
# The queue and the evidence
# ---------------------------------------------------------------------------------------------------------------


def test_review_queue_lists_submitted_deals_oldest_first_with_sla_age_and_conflicts(session, w):
    now = T0  # Tuesday 15 January 2030
    oldest = register(session, w.a, w.products, now=now - 7 * DAY)  # Tue 8 Jan: 5 business days
    middle = register(  # Fri 11 Jan: Mon + Tue = 2 business days, the SLA exactly, not overdue
        session, w.b, w.products, now=now - 4 * DAY, customer_name="ACME, Inc.", customer_site="acme.com"
    )
    newest = register(
        session, w.b, w.products, now=now - timedelta(hours=1), customer_name="Hooli", customer_site="hooli.com"
    )
    three_days = register(  # Thu 10 Jan: 3 business days, overdue
        session, w.a, w.products, now=now - 5 * DAY, customer_name="Initech", customer_site="initech.com"
    )
    register(session, w.a, w.products, submit=False, customer_name="Draft Co", customer_site="draftco.com")
    asked = register(session, w.a, w.products, now=now - 9 * DAY, customer_name="Asked", customer_site="asked.com")
    request_more_info(session, w.manager, asked, "Which products exactly?")
    decided = register(session, w.b, w.products, now=now - 9 * DAY, customer_name="Done", customer_site="done.com")
    approve_deal(session, w.manager, decided, now=now - 8 * DAY)
    session.commit()

    queue = review_queue(session, w.exec, now=now).rows  # an exec may read it
    assert [r.id for r in queue] == [oldest, three_days, middle, newest]
    rows = {r.id: r for r in queue}
    assert (rows[oldest].age_business_days, rows[oldest].overdue) == (5, True)
    assert (rows[three_days].age_business_days, rows[three_days].overdue) == (3, True)
    assert (rows[middle].age_business_days, rows[middle].overdue) == (2, False)
    assert (rows[newest].age_business_days, rows[newest].overdue) == (0, False)
    assert {i: r.conflicts for i, r in rows.items()} == {oldest: 1, middle: 1, newest: 0, three_days: 0}
    assert rows[oldest].partner == "Alpha Resellers" and rows[middle].partner == "Beta Systems"
    assert rows[oldest].customer == "Acme Corporation"
    assert (rows[oldest].estimated_value, rows[oldest].currency) == (Decimal("25000.50"), "USD")
    assert rows[oldest].submitted_at == now - 7 * DAY
    assert all(r.status == DealStatus.SUBMITTED for r in queue)


def test_evidence_names_the_other_registration_and_its_reasons(session, w):
    first, second = _pair(session, w)

    detail = get_deal_for_review(session, w.exec, second, now=T0 + DAY)
    assert (detail.partner_id, detail.partner_name) == (w.beta.id, "Beta Systems")
    [item] = detail.evidence
    assert (item.kind, item.id, item.protected) == (REGISTRATION, first, False)
    assert (item.customer, item.holder, item.status) == ("Acme Corporation", "Alpha Resellers", DealStatus.SUBMITTED)
    assert evidence_title(item) == f"Acme Corporation — Registration #{first} by Alpha Resellers (submitted)"
    assert "same normalized domain acme.com" in item.reasons
    assert "name similarity 1.00 to 'Acme Corporation'" in item.reasons
    assert "registered 1 day earlier by another partner" in item.reasons

    approve_deal(session, w.manager, first, now=T0 + DAY)
    [item] = get_deal_for_review(session, w.manager, second, now=T0 + DAY).evidence
    assert item.protected and "registered 1 day earlier by another partner, still protected" in item.reasons
    assert item.status == DealStatus.APPROVED

    with pytest.raises(NotFound):
        get_deal_for_review(session, w.manager, 999_999, now=T0)


def test_a_protected_direct_account_appears_as_protected_evidence(session, w):
    make_direct_account(session, "Globex Corporation", "globex.com", rep="Hank Scorpio", protected_until=T0 + 30 * DAY)
    deal_id = register(session, w.b, w.products, customer_name="Globex UK Ltd", customer_site="globex.com")
    session.commit()

    [item] = get_deal_for_review(session, w.manager, deal_id, now=T0).evidence
    assert item.kind == DIRECT_ACCOUNT and item.protected
    assert (item.customer, item.holder, item.status) == ("Globex Corporation", "Hank Scorpio", None)
    assert evidence_title(item) == "Globex Corporation — Direct account owned by Hank Scorpio"
    assert "same normalized domain globex.com" in item.reasons
    assert "direct-sales account, protected" in item.reasons


# ---------------------------------------------------------------------------------------------------------------
# Who may decide
# ---------------------------------------------------------------------------------------------------------------


def _decisions(session: Session, deal_id: int, ext_id: int):
    return [
        lambda actor: approve_deal(session, actor, deal_id, now=T0),
        lambda actor: reject_deal(session, actor, deal_id, "Duplicate", now=T0),
        lambda actor: request_more_info(session, actor, deal_id, "Who is the buyer?"),
        lambda actor: bulk_approve_clean(session, actor, [deal_id], now=T0),
        lambda actor: decide_extension(session, actor, ext_id, approve=True, now=T0),
    ]


@pytest.fixture
def pending(session: Session, w: SimpleNamespace) -> tuple[int, int]:
    """A submitted deal and a pending extension request on another, approved deal."""
    approved = register(session, w.a, w.products, customer_name="Hooli", customer_site="hooli.com")
    approve_deal(session, w.manager, approved, now=T0)
    ext_id = request_extension(session, w.a, approved, 30, "Board meets in March.", now=T0)
    deal_id = register(session, w.b, w.products)
    session.commit()
    return deal_id, ext_id


@pytest.mark.parametrize("who", ["a", "b"])
def test_partners_cannot_use_the_review_functions(session, w, pending, who):
    deal_id, ext_id = pending
    partner = getattr(w, who)
    for call in [
        *_decisions(session, deal_id, ext_id),
        lambda actor: review_queue(session, actor, now=T0),
        lambda actor: get_deal_for_review(session, actor, deal_id, now=T0),
        lambda actor: pending_extensions(session, actor),
    ]:
        with pytest.raises(PermissionDenied):
            call(partner)
    assert _deal(session, deal_id).status == DealStatus.SUBMITTED


def test_an_exec_reads_the_queue_but_cannot_decide(session, w, pending):
    deal_id, ext_id = pending
    assert [r.id for r in review_queue(session, w.exec, now=T0).rows] == [deal_id]
    assert get_deal_for_review(session, w.exec, deal_id, now=T0).deal.id == deal_id
    assert pending_extensions(session, w.exec) == 1
    for call in _decisions(session, deal_id, ext_id):
        with pytest.raises(PermissionDenied):
            call(w.exec)
    assert _deal(session, deal_id).status == DealStatus.SUBMITTED
    assert session.get(DealExtension, ext_id).status == "pending"


@pytest.mark.parametrize("who", ["partners_own_manager", "any_admin"])
def test_the_partners_own_manager_and_admins_decide(session, w, who):
    decider = w.manager if who == "partners_own_manager" else actor_for(make_user(session, Role.ADMIN))
    deal_id = register(session, w.a, w.products)
    assert approve_deal(session, decider, deal_id, now=T0) == T0 + 90 * DAY


def test_a_manager_of_another_book_neither_sees_nor_decides_the_registration(session, w):
    """Channel managers act only on their book (#9): another book's registration is "not found" to every
    decision, absent from the queue and the pending count, and skipped by a bulk approval."""
    deal_id = register(session, w.a, w.products)
    approved = register(session, w.b, w.products, customer_name="Initech", customer_site="initech.com")
    approve_deal(session, w.manager, approved, now=T0)
    ext_id = request_extension(session, w.b, approved, 30, "Procurement is slow.", now=T0)
    session.commit()
    stranger = w.other_manager

    for decide in (
        lambda: approve_deal(session, stranger, deal_id, now=T0),
        lambda: reject_deal(session, stranger, deal_id, "No."),
        lambda: request_more_info(session, stranger, deal_id, "Why?"),
        lambda: decide_extension(session, stranger, ext_id, approve=True, now=T0),
        lambda: get_deal_for_review(session, stranger, deal_id, now=T0),
    ):
        with pytest.raises(NotFound):
            decide()
    assert review_queue(session, stranger, now=T0).rows == []
    assert pending_extensions(session, stranger) == 0
    assert bulk_approve_clean(session, stranger, [deal_id], now=T0) == ([], [deal_id])
    assert [q.id for q in review_queue(session, w.manager, now=T0).rows] == [deal_id]
    assert pending_extensions(session, w.manager) == 1
    assert _deal(session, deal_id).status == DealStatus.SUBMITTED


# ---------------------------------------------------------------------------------------------------------------
# Approving
# ---------------------------------------------------------------------------------------------------------------


def test_approving_protects_for_90_days_by_default(session, w):
    deal_id = register(session, w.a, w.products)
    ends = approve_deal(session, w.manager, deal_id, note="  Strong case. ", now=T0 + DAY)
    session.commit()

    deal = _deal(session, deal_id)
    assert ends == deal.protection_ends_at == T0 + 91 * DAY
    assert deal.status == DealStatus.APPROVED
    assert (deal.decided_at, deal.decided_by_id, deal.decision_note) == (T0 + DAY, w.manager.user_id, "Strong case.")
    event = session.exec(select(DealEvent).where(DealEvent.deal_id == deal_id, DealEvent.action == "approved")).one()
    assert (event.from_status, event.to_status, event.actor_user_id) == ("submitted", "approved", w.manager.user_id)
    assert event.note == "Protected for 90 days. Strong case."
    approved = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "deal_approved")).one()
    assert (approved.organization_id, approved.subject_id) == (w.alpha.id, deal_id)  # the partner's, not the vendor's
    assert session.get(AppLock, "deal_protection") is not None  # inserted when the migration's row is missing


@pytest.mark.parametrize("days", [1, 30, 365])
def test_approving_with_a_custom_protection_period(session, w, days):
    deal_id = register(session, w.a, w.products)
    assert approve_deal(session, w.manager, deal_id, protection_days=days, now=T0) == T0 + days * DAY
    assert _deal(session, deal_id).protection_ends_at == T0 + days * DAY


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_protection_is_1_to_365_days(session, w, days):
    deal_id = register(session, w.a, w.products)
    session.commit()
    with pytest.raises(ValidationError) as caught:
        approve_deal(session, w.manager, deal_id, protection_days=days, now=T0)
    assert caught.value.field == "protection_days"
    session.rollback()
    assert _deal(session, deal_id).status == DealStatus.SUBMITTED


@pytest.mark.parametrize("status", ["draft", "info_requested", "approved", "rejected", "withdrawn"])
def test_only_submitted_deals_can_be_approved(session, w, status):
    deal_id = register(session, w.a, w.products, submit=status != "draft")
    if status == "info_requested":
        request_more_info(session, w.manager, deal_id, "Budget?")
    elif status == "approved":
        approve_deal(session, w.manager, deal_id, now=T0)
    elif status == "rejected":
        reject_deal(session, w.manager, deal_id, "Duplicate.", now=T0)
    elif status == "withdrawn":
        withdraw_deal(session, w.a, deal_id)
    session.commit()
    with pytest.raises(DomainError, match="Only submitted"):
        approve_deal(session, w.manager, deal_id, now=T0 + DAY)


def test_approving_over_another_partners_protected_registration_is_refused(session, w):
    first, second = _pair(session, w)
    approve_deal(session, w.manager, first, now=T0 + DAY)
    session.commit()

    with pytest.raises(DomainError) as caught:
        approve_deal(session, w.manager, second, now=T0 + 2 * DAY)
    message = caught.value.message
    assert message.startswith("Cannot approve")
    assert "same normalized domain acme.com" in message and "Alpha Resellers" in message
    session.rollback()
    assert _deal(session, second).status == DealStatus.SUBMITTED
    assert _deal(session, second).protection_ends_at is None


def test_the_review_says_beforehand_why_approve_would_be_refused(session, w):
    first, second = _pair(session, w)
    assert get_deal_for_review(session, w.manager, second, now=T0 + DAY).approval_blocked is None  # not protected yet
    approve_deal(session, w.manager, first, now=T0 + DAY)
    session.commit()

    why = get_deal_for_review(session, w.manager, second, now=T0 + 2 * DAY).approval_blocked
    with pytest.raises(DomainError) as refused:
        approve_deal(session, w.manager, second, now=T0 + 2 * DAY)
    assert why == refused.value.message  # the page shows the very words the refusal would use


def test_next_to_review_is_the_oldest_other_registration_waiting_in_reach(session, w):
    oldest = register(session, w.a, w.products, now=T0 - 3 * DAY)
    newer = register(session, w.b, w.products, now=T0 - DAY, customer_name="Hooli", customer_site="hooli.com")
    session.commit()

    assert next_to_review(session, w.manager, newer) == oldest
    assert next_to_review(session, w.manager, oldest) == newer
    approve_deal(session, w.manager, oldest, now=T0)
    session.commit()
    assert next_to_review(session, w.manager, newer) is None  # nothing else waits
    assert next_to_review(session, w.other_manager, 0) is None  # another book's registrations are not its to review


def test_approving_over_a_protected_direct_account_is_refused(session, w):
    make_direct_account(session, "Globex Corporation", "globex.com", protected_until=T0 + 30 * DAY)
    deal_id = register(session, w.b, w.products, customer_name="Globex UK Ltd", customer_site="globex.com")
    session.commit()
    with pytest.raises(DomainError, match=r"^Cannot approve: .*Direct account owned by Hank Scorpio"):
        approve_deal(session, w.manager, deal_id, now=T0)
    session.rollback()
    assert _deal(session, deal_id).status == DealStatus.SUBMITTED


@pytest.mark.parametrize("protected_until", [None, T0 - DAY, T0])
def test_approving_over_an_unprotected_direct_account_is_allowed(session, w, protected_until):
    make_direct_account(session, "Globex Corporation", "globex.com", protected_until=protected_until)
    deal_id = register(session, w.b, w.products, customer_name="Globex UK Ltd", customer_site="globex.com")
    approve_deal(session, w.manager, deal_id, now=T0)
    assert _deal(session, deal_id).status == DealStatus.APPROVED


@pytest.mark.parametrize("fate", ["rejected", "withdrawn", "expired", "past_its_end"])
def test_approving_over_a_registration_that_no_longer_protects_is_allowed(session, w, fate):
    first, second = _pair(session, w)
    later = T0 + DAY
    if fate == "rejected":
        reject_deal(session, w.manager, first, "Not a real opportunity.", now=T0 + DAY)
    elif fate == "withdrawn":
        withdraw_deal(session, w.a, first)
    else:
        approve_deal(session, w.manager, first, protection_days=10, now=T0 + DAY)
        later = T0 + 11 * DAY
        if fate == "expired":
            assert expire_deals(session, now=later).expired == 1
    session.commit()

    approve_deal(session, w.manager, second, now=later)
    session.commit()
    assert _deal(session, second).status == DealStatus.APPROVED


def test_the_second_registration_can_be_approved_once_the_first_expires(session, w):
    first, second = _pair(session, w)
    ends = approve_deal(session, w.manager, first, now=T0 + DAY)
    session.commit()
    for moment in (T0 + 2 * DAY, ends - timedelta(seconds=1)):
        with pytest.raises(DomainError, match=r"^Cannot approve"):
            approve_deal(session, w.manager, second, now=moment)
        session.rollback()

    assert expire_deals(session, now=ends + timedelta(minutes=5)).expired == 1
    session.commit()
    assert _deal(session, first).status == DealStatus.EXPIRED
    approve_deal(session, w.manager, second, now=ends + timedelta(minutes=5))
    session.commit()
    assert _deal(session, second).status == DealStatus.APPROVED


def test_whichever_overlapping_registration_is_approved_first_blocks_the_other(session, w):
    first, second = _pair(session, w)
    approve_deal(session, w.manager, second, now=T0 + DAY)  # the later one may be approved first
    session.commit()
    with pytest.raises(DomainError, match=r"^Cannot approve"):
        approve_deal(session, w.manager, first, now=T0 + DAY)


# ---------------------------------------------------------------------------------------------------------------
# Rejecting, asking, bulk approval
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_rejecting_requires_a_reason(session, w, reason):
    deal_id = register(session, w.a, w.products)
    session.commit()
    with pytest.raises(ValidationError) as caught:
        reject_deal(session, w.manager, deal_id, reason, now=T0)
    assert caught.value.field == "reason"
    session.rollback()
    assert _deal(session, deal_id).status == DealStatus.SUBMITTED


def test_rejecting_stores_the_reason(session, w):
    deal_id = register(session, w.a, w.products)
    reject_deal(session, w.admin, deal_id, "  Globex is a direct account.  ", now=T0 + DAY)
    session.commit()
    deal = _deal(session, deal_id)
    assert deal.status == DealStatus.REJECTED
    assert (deal.decision_note, deal.decided_by_id, deal.decided_at) == (
        "Globex is a direct account.",
        w.admin.user_id,
        T0 + DAY,
    )
    assert deal.protection_ends_at is None
    assert _count(session, EngagementEvent, EngagementEvent.kind == "deal_rejected") == 1


def test_an_info_requested_deal_may_be_rejected(session, w):
    deal_id = register(session, w.a, w.products)
    request_more_info(session, w.manager, deal_id, "Budget?")
    reject_deal(session, w.manager, deal_id, "No answer in a month.", now=T0)
    assert _deal(session, deal_id).status == DealStatus.REJECTED


@pytest.mark.parametrize("question", ["", "  ", None])
def test_asking_for_more_info_requires_a_question(session, w, question):
    deal_id = register(session, w.a, w.products)
    with pytest.raises(ValidationError) as caught:
        request_more_info(session, w.manager, deal_id, question)
    assert caught.value.field == "question"
    assert _deal(session, deal_id).status == DealStatus.SUBMITTED


def test_asking_for_more_info_sends_the_question_back(session, w):
    deal_id = register(session, w.a, w.products)
    request_more_info(session, w.manager, deal_id, "  Who signs?  ")
    session.commit()
    assert _deal(session, deal_id).status == DealStatus.INFO_REQUESTED
    event = session.exec(select(DealEvent).where(DealEvent.action == "info_requested")).one()
    assert (event.from_status, event.to_status, event.note) == ("submitted", "info_requested", "Who signs?")
    assert [r.id for r in review_queue(session, w.manager, now=T0).rows] == []  # out of the queue until answered


def test_bulk_approval_approves_only_conflict_free_submitted_deals(session, w):
    clean_1 = register(session, w.a, w.products, customer_name="Hooli", customer_site="hooli.com")
    clean_2 = register(session, w.b, w.products, customer_name="Initech", customer_site="initech.com")
    first, second = (
        register(session, w.a, w.products),
        register(session, w.b, w.products, customer_name="ACME, Inc.", customer_site="shop.acme.com"),
    )
    draft = register(session, w.a, w.products, submit=False, customer_name="Draft Co", customer_site="draftco.com")
    make_direct_account(session, "Globex Corporation", "globex.com")  # unprotected, but still a possible conflict
    near_direct = register(session, w.b, w.products, customer_name="Globex", customer_site="globex.com")
    session.commit()

    approved, skipped = bulk_approve_clean(
        session, w.manager, [str(clean_2), clean_1, first, second, draft, near_direct, clean_1], now=T0
    )
    session.commit()
    assert approved == sorted([clean_1, clean_2])
    assert skipped == sorted([first, second, draft, near_direct])
    statuses = {i: _deal(session, i).status for i in (clean_1, clean_2, first, second, draft, near_direct)}
    assert statuses == {
        clean_1: "approved",
        clean_2: "approved",
        first: "submitted",
        second: "submitted",
        draft: "draft",
        near_direct: "submitted",
    }
    assert _deal(session, clean_1).protection_ends_at == T0 + 90 * DAY


# ---------------------------------------------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def protected(session: Session, w: SimpleNamespace) -> int:
    """Alpha's deal approved on T0 (protected until T0 + 90 days) and already warned that protection ends soon."""
    deal_id = register(session, w.a, w.products)
    approve_deal(session, w.manager, deal_id, now=T0)
    assert expire_deals(session, now=T0 + 80 * DAY) == ExpiryRun(expired=0, notified=1)
    session.commit()
    assert _deal(session, deal_id).expiry_notice_sent_at == T0 + 80 * DAY
    return deal_id


def test_approving_an_extension_lengthens_protection_and_rearms_the_notice(session, w, protected):
    ext_id = request_extension(session, w.a, protected, 30, "Legal review takes a month.", now=T0 + 81 * DAY)
    session.commit()
    assert pending_extensions(session, w.manager) == 1

    decide_extension(session, w.manager, ext_id, approve=True, now=T0 + 82 * DAY)
    session.commit()
    deal = _deal(session, protected)
    assert deal.protection_ends_at == T0 + 120 * DAY
    assert deal.expiry_notice_sent_at is None
    ext = session.get(DealExtension, ext_id)
    assert (ext.status, ext.decided_by_id, ext.decided_at) == ("approved", w.manager.user_id, T0 + 82 * DAY)
    event = session.exec(select(DealEvent).where(DealEvent.action == "extension_approved")).one()
    assert event.note == "30 days; protected until 2030-05-15"
    assert pending_extensions(session, w.manager) == 0

    with pytest.raises(DomainError, match="already decided"):
        decide_extension(session, w.manager, ext_id, approve=False, now=T0 + 83 * DAY)
    session.rollback()
    assert _deal(session, protected).protection_ends_at == T0 + 120 * DAY

    # Not expired at the old end; the partner is warned again 14 days before the new one.
    assert expire_deals(session, now=T0 + 91 * DAY) == ExpiryRun(expired=0, notified=0)
    assert expire_deals(session, now=T0 + 106 * DAY) == ExpiryRun(expired=0, notified=1)


def test_declining_an_extension_leaves_protection_as_it_was(session, w, protected):
    ext_id = request_extension(session, w.a, protected, 30, "Legal review takes a month.", now=T0 + 81 * DAY)
    decide_extension(session, w.admin, ext_id, approve=False, now=T0 + 82 * DAY)
    session.commit()
    deal = _deal(session, protected)
    assert deal.protection_ends_at == T0 + 90 * DAY
    assert deal.expiry_notice_sent_at == T0 + 80 * DAY
    assert session.get(DealExtension, ext_id).status == "declined"
    with pytest.raises(DomainError, match="already decided"):
        decide_extension(session, w.admin, ext_id, approve=True, now=T0 + 83 * DAY)
    session.rollback()
    # A new request may follow once the previous one was decided.
    assert request_extension(session, w.a, protected, 10, "One more try.", now=T0 + 84 * DAY) != ext_id


def test_an_unknown_extension_is_not_found(session, w):
    with pytest.raises(NotFound):
        decide_extension(session, w.manager, 999_999, approve=True, now=T0)


# ---------------------------------------------------------------------------------------------------------------
# Expiry and notifications
# ---------------------------------------------------------------------------------------------------------------


EXPIRY_NOTICES = ("deal_expired", "protection_ending")  # approvals notify too (tests/notifications)


def _approved(session: Session, w: SimpleNamespace, partner, name: str, days: int) -> int:
    """`partner`'s registration of `name`, approved on T0 for `days` days."""
    deal_id = register(session, partner, w.products, customer_name=name, customer_site=f"{name.lower()}.com")
    approve_deal(session, w.manager, deal_id, protection_days=days, now=T0)
    return deal_id


def test_expire_deals_expires_ended_protection_and_warns_once_before_the_end(session, w):
    ended = _approved(session, w, w.a, "Hooli", 10)  # ends T0 + 10 days
    ending = _approved(session, w, w.b, "Initech", 30)  # ends T0 + 30 days
    later = _approved(session, w, w.a, "Vandelay", 90)  # ends T0 + 90 days
    session.commit()
    now = T0 + 20 * DAY

    assert expire_deals(session, now=now) == ExpiryRun(expired=1, notified=1)
    session.commit()
    statuses = {i: _deal(session, i).status for i in (ended, ending, later)}
    assert statuses == {ended: "expired", ending: "approved", later: "approved"}
    event = session.exec(select(DealEvent).where(DealEvent.deal_id == ended, DealEvent.action == "expired")).one()
    assert (event.from_status, event.to_status, event.actor_user_id) == ("approved", "expired", None)
    expired_note = session.exec(select(Notification).where(Notification.kind == "deal_expired")).one()
    assert (expired_note.organization_id, expired_note.link) == (w.alpha.id, f"/deals/{ended}")
    assert "Hooli" in expired_note.message
    ending_note = session.exec(select(Notification).where(Notification.kind == "protection_ending")).one()
    assert (ending_note.organization_id, ending_note.link) == (w.beta.id, f"/deals/{ending}")
    assert "Initech" in ending_note.message and "10 days" in ending_note.message
    assert _deal(session, ending).expiry_notice_sent_at == now
    assert _deal(session, later).expiry_notice_sent_at is None

    assert expire_deals(session, now=now + timedelta(hours=1)) == ExpiryRun(expired=0, notified=0)  # nothing twice
    session.commit()
    assert _count(session, Notification, col(Notification.kind).in_(EXPIRY_NOTICES)) == 2
    assert _count(session, DealEvent, DealEvent.action == "expired") == 1


def test_expire_deals_on_a_quiet_day_does_nothing(session, w):
    _approved(session, w, w.a, "Hooli", 90)
    assert expire_deals(session, now=T0 + DAY) == ExpiryRun(expired=0, notified=0)
    assert _count(session, Notification, col(Notification.kind).in_(EXPIRY_NOTICES)) == 0


def test_recent_notices_show_only_the_actors_organization(session, w):
    _approved(session, w, w.a, "Hooli", 10)
    _approved(session, w, w.b, "Initech", 10)
    _approved(session, w, w.b, "Vandelay", 20)
    expire_deals(session, now=T0 + 15 * DAY)  # Hooli and Initech expire; Vandelay ends within 14 days
    session.commit()

    alpha = recent_notices(session, w.a2)  # the approval, then its expiry
    assert len(alpha) == 2 and all("Hooli" in n.message for n in alpha)
    beta = recent_notices(session, w.b)
    assert len(beta) == 4
    assert not any("Hooli" in n.message for n in beta)
    assert {n.link for n in beta} <= {f"/deals/{i}" for i in session.exec(select(Deal.id)).all()}
    assert recent_notices(session, w.manager) == ()
    assert len(recent_notices(session, w.b, limit=1)) == 1
