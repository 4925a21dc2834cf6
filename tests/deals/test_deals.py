"""Deal registration, partner side: registering (validation, blocking keys, history, audit, engagement), the
live conflict hint, the partner's list and detail, withdrawing, answering, extensions, closing; and the pure
rules (money, status machine, business days).

The helpers at the top (products, direct accounts, a valid form) are reused by test_deal_review.py and
tests/integration/test_deal_concurrency.py.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlmodel import Session, func, select

from prm_app.deals.conflicts import CONFLICT_HINT, HINT_PAUSED, HINT_RATE, conflict_hint
from prm_app.deals.matching.rules import blocking_keys
from prm_app.deals.matching.store import REGISTRATION, conflict_keys
from prm_app.deals.models import (
    ConflictKey,
    Deal,
    DealEvent,
    DealExtension,
    DealProduct,
    DealStatus,
)
from prm_app.deals.queries import get_my_deal, list_my_deals
from prm_app.deals.review import approve_deal, request_more_info
from prm_app.deals.rules import business_days_between, can_move, clean_deal_input, parse_money
from prm_app.deals.service import (
    answer_info_request,
    close_deal,
    register_deal,
    request_extension,
    submit_draft,
    withdraw_deal,
)
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog, EngagementEvent
from tests.deals.factories import DAY, deal_input, make_direct_account, make_product, make_world, register
from tests.factories import T0, actor_for, make_user


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    return make_world(session)


def _count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _events(session: Session, deal_id: int) -> list[tuple[str, str, str]]:
    rows = session.exec(select(DealEvent).where(DealEvent.deal_id == deal_id).order_by(DealEvent.id)).all()
    return [(e.action, e.from_status, e.to_status) for e in rows]


# ---------------------------------------------------------------------------------------------------------------
# Registering
# ---------------------------------------------------------------------------------------------------------------


def test_register_creates_a_submitted_deal_with_products_keys_history_audit_and_engagement(session, w):
    deal_id = register(session, w.a, w.products)
    session.commit()
    session.expire_all()

    deal = session.get(Deal, deal_id)
    assert deal.status == DealStatus.SUBMITTED
    assert (deal.organization_id, deal.created_by_id) == (w.alpha.id, w.a.user_id)
    assert deal.submitted_at == T0 and deal.created_at == T0
    assert deal.customer_name == "Acme Corporation" and deal.name_norm == "acme" and deal.domain == "acme.com"
    assert deal.estimated_value == Decimal("25000.50") and deal.currency == "USD"
    assert deal.expected_close == T0.date() + 60 * DAY

    products = session.exec(select(DealProduct.product_id).where(DealProduct.deal_id == deal_id)).all()
    assert sorted(products) == sorted(w.products)

    keys = session.exec(
        select(ConflictKey.key).where(ConflictKey.kind == REGISTRATION, ConflictKey.record_id == deal_id)
    ).all()
    assert sorted(keys) == conflict_keys("acme", "acme.com") == ["b:acme", *blocking_keys("acme")]

    assert _events(session, deal_id) == [("created", "", "draft"), ("submitted", "draft", "submitted")]
    actions = session.exec(select(AuditLog.action).where(AuditLog.record_type == "deal", AuditLog.record_id == deal_id))
    assert set(actions.all()) == {"deal_created", "deal_submitted"}

    events = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "deal_registered")).all()
    assert [(e.organization_id, e.user_id, e.subject_type, e.subject_id) for e in events] == [
        (w.alpha.id, w.a.user_id, "deal", deal_id)
    ]


def test_saving_a_draft_records_no_engagement_until_it_is_submitted(session, w):
    deal_id = register(session, w.a, w.products, submit=False)
    session.commit()

    deal = session.get(Deal, deal_id)
    assert deal.status == DealStatus.DRAFT and deal.submitted_at is None
    assert _events(session, deal_id) == [("created", "", "draft")]
    assert _count(session, EngagementEvent) == 0

    submit_draft(session, w.a2, deal_id, now=T0 + DAY)  # a colleague in the same organization may submit it
    session.commit()
    assert deal.status == DealStatus.SUBMITTED and deal.submitted_at == T0 + DAY
    assert _count(session, EngagementEvent, EngagementEvent.kind == "deal_registered") == 1


def test_a_registration_waiting_for_information_is_answered_not_resubmitted(session, w):
    deal_id = register(session, w.a, w.products)
    request_more_info(session, w.manager, deal_id, "Which products exactly?")
    session.commit()

    with pytest.raises(DomainError, match="Answer the channel manager's question"):
        submit_draft(session, w.a, deal_id, now=T0 + DAY)
    assert session.get(Deal, deal_id).status == DealStatus.INFO_REQUESTED


def test_an_invalid_form_reports_every_bad_field_at_once_and_writes_nothing(session, w):
    bad = deal_input(
        (),
        customer_name="   ",
        customer_site="someone@gmail.com",
        country="XX",
        contact_email="not-an-email",
        estimated_value="-5",
        expected_close=(T0.date() - DAY).isoformat(),
        stage="Closing",
        currency="XYZ",
    )
    with pytest.raises(FormInvalid) as caught:
        register_deal(session, w.a, bad, submit=True, now=T0)

    assert set(caught.value.errors) == {
        "customer_name",
        "customer_site",
        "country",
        "contact_email",
        "products",
        "estimated_value",
        "expected_close",
        "stage",
        "currency",
    }
    assert "free-mail" in caught.value.errors["customer_site"]
    assert all(message.strip() for message in caught.value.errors.values())
    session.rollback()
    assert _count(session, Deal) == _count(session, ConflictKey) == _count(session, DealEvent) == 0


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("customer_name", {"customer_name": ""}),
        ("customer_name", {"customer_name": "x" * 201}),
        ("customer_site", {"customer_site": ""}),
        ("customer_site", {"customer_site": "jo@gmail.com"}),
        ("customer_site", {"customer_site": "https://gmail.com"}),
        ("customer_site", {"customer_site": "acme.local"}),
        ("country", {"country": ""}),
        ("country", {"country": "XX"}),
        ("contact_email", {"contact_email": "jo@"}),
        ("contact_email", {"contact_email": ""}),
        ("products", {"product_ids": ()}),
        ("products", {"product_ids": (999_999,)}),
        ("estimated_value", {"estimated_value": "-5"}),
        ("estimated_value", {"estimated_value": "0"}),
        ("estimated_value", {"estimated_value": "0.004"}),  # rounds to 0.00
        ("estimated_value", {"estimated_value": "abc"}),
        ("estimated_value", {"estimated_value": ""}),
        ("estimated_value", {"estimated_value": "NaN"}),
        ("estimated_value", {"estimated_value": "1,000,000,000"}),
        ("estimated_value", {"estimated_value": "1e30"}),  # used to crash with decimal.InvalidOperation
        ("estimated_value", {"estimated_value": "12345678901234567890123456789"}),
        ("expected_close", {"expected_close": (T0.date() - DAY).isoformat()}),
        ("expected_close", {"expected_close": (T0.date() + 731 * DAY).isoformat()}),
        ("expected_close", {"expected_close": "next month"}),
        ("stage", {"stage": "Closed"}),
        ("currency", {"currency": "XYZ"}),
        ("currency", {"currency": ""}),
    ],
)
def test_each_bad_field_is_reported_under_its_own_name(field, overrides):
    """The validation register_deal runs, without a database (the catalogue holds products 1 and 2)."""
    assert clean_deal_input(deal_input((1, 2)), {1, 2}, T0.date()).customer_name == "Acme Corporation"
    with pytest.raises(FormInvalid) as caught:
        clean_deal_input(deal_input((1, 2), **overrides), {1, 2}, T0.date())
    assert set(caught.value.errors) == {field}
    assert caught.value.field == field


def test_an_inactive_product_cannot_be_registered(session, w):
    retired = make_product(session, "OLD", active=False)
    with pytest.raises(FormInvalid) as caught:
        register(session, w.a, (w.p1.id, retired.id))
    assert set(caught.value.errors) == {"products"}


def test_boundary_close_dates_today_and_two_years_ahead_are_accepted(session, w):
    for close in (T0.date(), T0.date() + 730 * DAY):
        deal_id = register(session, w.a, w.products, expected_close=close.isoformat())
        assert session.get(Deal, deal_id).expected_close == close


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25,000.5", Decimal("25000.50")),
        (" 1 200 ", Decimal("1200.00")),
        ("0.005", Decimal("0.01")),  # half up, not half even
        ("99.994", Decimal("99.99")),
    ],
)
def test_money_is_parsed_to_two_decimal_places(typed, expected):
    value = parse_money(typed)
    assert value == expected and value.as_tuple().exponent == -2


@pytest.mark.parametrize("typed", ["", "abc", "12.5.3", "NaN", "Infinity", "1e30", "9" * 40])
def test_money_that_is_not_an_amount_raises_value_error(typed):
    with pytest.raises(ValueError):
        parse_money(typed)


def test_money_is_stored_as_an_exact_decimal(session, w):
    deal_id = register(session, w.a, w.products, estimated_value="25,000.5")
    session.commit()
    session.expire_all()
    assert session.get(Deal, deal_id).estimated_value == Decimal("25000.50")


@pytest.mark.parametrize("role", [Role.CHANNEL_MANAGER, Role.EXEC, Role.ADMIN])
def test_internal_users_cannot_register(session, w, role):
    internal = actor_for(make_user(session, role))
    with pytest.raises(PermissionDenied):
        register(session, internal, w.products)
    with pytest.raises(PermissionDenied):
        conflict_hint(session, internal, "Acme", "acme.com", now=T0)
    assert _count(session, Deal) == 0


# ---------------------------------------------------------------------------------------------------------------
# The live conflict hint
# ---------------------------------------------------------------------------------------------------------------


def test_no_hint_for_a_customer_nobody_registered(session, w):
    register(session, w.b, w.products, customer_name="Initrode Ltd", customer_site="initrode.com")
    assert conflict_hint(session, w.a, "Vandelay Industries", "https://vandelay.com", now=T0) == ""
    assert conflict_hint(session, w.a, "", "", now=T0) == ""


@pytest.mark.parametrize("site", ["https://www.acme.com/about", "shop.acme.com", "buyer@acme.com", "ACME.COM"])
def test_hint_when_another_partner_registered_the_same_domain(session, w, site):
    register(session, w.b, w.products, customer_name="Acme Corporation", customer_site="www.acme.com")
    assert conflict_hint(session, w.a, "Completely Different Name", site, now=T0) == CONFLICT_HINT


@pytest.mark.parametrize("typed", ["Acme Incorporated", "ACME Corp.", "acme"])
def test_hint_when_another_partner_registered_the_same_name(session, w, typed):
    register(session, w.b, w.products, customer_name="ACME, Inc.", customer_site="acme-industries.com")
    assert conflict_hint(session, w.a, typed, "", now=T0) == CONFLICT_HINT


def test_the_hint_never_reveals_who_holds_the_other_claim(session, w):
    other = register(session, w.b, w.products, customer_name="ACME, Inc.", customer_site="acme.com")
    hint = conflict_hint(session, w.a, "Acme Incorporated", "www.acme.com", now=T0)
    assert hint
    for secret in ("Beta", w.beta.name, w.b.name, str(other), "ACME, Inc.", "acme.com"):
        assert secret not in hint


def test_no_hint_when_the_only_match_is_the_partners_own_registration(session, w):
    register(session, w.a, w.products, customer_name="ACME, Inc.", customer_site="acme.com")
    assert conflict_hint(session, w.a, "Acme Incorporated", "shop.acme.com", now=T0) == ""
    assert conflict_hint(session, w.a2, "Acme Incorporated", "shop.acme.com", now=T0) == ""  # same organization
    assert conflict_hint(session, w.b, "Acme Incorporated", "shop.acme.com", now=T0) == CONFLICT_HINT


def test_no_hint_from_registrations_that_no_longer_claim_the_customer(session, w):
    register(session, w.b, w.products, submit=False)  # a draft claims nothing yet
    withdrawn = register(session, w.b, w.products)
    withdraw_deal(session, w.b, withdrawn)
    session.flush()
    assert conflict_hint(session, w.a, "Acme Corporation", "acme.com", now=T0) == ""


def test_hint_for_a_direct_account(session, w):
    make_direct_account(session, "Globex Corporation", "globex.com", protected_until=T0 + 30 * DAY)
    assert conflict_hint(session, w.a, "Globex", "https://www.globex.com", now=T0) == CONFLICT_HINT


def test_every_hint_is_audited_with_what_was_looked_up(session, w):
    make_direct_account(session, "Globex Corporation", "globex.com", protected_until=T0 + 30 * DAY)

    conflict_hint(session, w.a, "Globex", "globex.com", now=T0)
    conflict_hint(session, w.a, "Initech", "initech.com", now=T0)
    conflict_hint(session, w.a, "", "", now=T0)  # cleared fields: nothing looked up, nothing logged

    rows = session.exec(select(AuditLog).where(AuditLog.action == "conflict_hint").order_by(AuditLog.id)).all()
    assert [(r.actor_user_id, json.loads(r.summary)) for r in rows] == [
        (w.a.user_id, {"customer": "Globex", "site": "globex.com", "found": True}),
        (w.a.user_id, {"customer": "Initech", "site": "initech.com", "found": False}),
    ]


def test_the_hint_pauses_for_a_person_who_sweeps_through_customers(session, w):
    """Past the rate, the check looks nothing up (a real conflict is not confirmed) and says it paused; a
    colleague's checks are counted apart."""
    register(session, w.b, w.products, customer_name="ACME, Inc.", customer_site="acme.com")
    per_minute = int(HINT_RATE.split("/")[0])
    for i in range(per_minute):
        conflict_hint(session, w.a, f"Prospect {i}", f"prospect{i}.com", now=T0)

    assert conflict_hint(session, w.a, "Acme Incorporated", "acme.com", now=T0) == HINT_PAUSED
    assert conflict_hint(session, w.a2, "Acme Incorporated", "acme.com", now=T0) == CONFLICT_HINT
    paused = session.exec(select(AuditLog).where(AuditLog.action == "conflict_hint_paused")).all()
    assert [(r.actor_user_id, json.loads(r.summary)["customer"]) for r in paused] == [
        (w.a.user_id, "Acme Incorporated")
    ]


def test_get_my_deal_shows_the_hint_only_while_undecided(session, w):
    mine = register(session, w.a, w.products)
    register(session, w.b, w.products, customer_site="shop.acme.com")
    assert get_my_deal(session, w.a, mine, now=T0).possible_conflict is True
    approve_deal(session, w.manager, mine, now=T0)
    assert get_my_deal(session, w.a, mine, now=T0).possible_conflict is False


# ---------------------------------------------------------------------------------------------------------------
# What a partner may read
# ---------------------------------------------------------------------------------------------------------------


def test_list_my_deals_returns_only_the_organizations_own_deals(session, w):
    mine = {
        register(session, w.a, w.products, customer_name="Acme Corporation"),
        register(session, w.a2, w.products, customer_name="Initrode Ltd", customer_site="initrode.com"),
        register(session, w.a, w.products, customer_name="Hooli Inc", customer_site="hooli.com", submit=False),
    }
    register(session, w.b, w.products, customer_name="Vandelay Industries", customer_site="vandelay.com")
    session.commit()

    page = list_my_deals(session, w.a2)
    assert page.total == 3 and {r.id for r in page.rows} == mine
    assert "Vandelay Industries" not in {r.customer for r in page.rows}
    theirs = list_my_deals(session, w.b)
    assert theirs.total == 1 and theirs.rows[0].customer == "Vandelay Industries"

    drafts = list_my_deals(session, w.a, status="draft")
    assert [r.customer for r in drafts.rows] == ["Hooli Inc"] and drafts.total == 1
    assert list_my_deals(session, w.a, status="approved").rows == []

    with pytest.raises(PermissionDenied):
        list_my_deals(session, w.manager)


def test_list_my_deals_pages_by_25_newest_first(session, w):
    for i in range(26):
        register(
            session,
            w.a,
            w.products,
            now=T0 + i * timedelta(minutes=1),
            customer_name=f"Customer {i:02d}",
            customer_site=f"customer{i:02d}.com",
        )
    session.commit()

    first = list_my_deals(session, w.a, page=1)
    assert (first.total, first.page, first.pages, len(first.rows)) == (26, 1, 2, 25)
    assert first.rows[0].customer == "Customer 25" and first.rows[-1].customer == "Customer 01"
    second = list_my_deals(session, w.a, page=2)
    assert [r.customer for r in second.rows] == ["Customer 00"] and second.page == 2
    assert list_my_deals(session, w.a, page=99).page == 2  # clamped to the last page
    assert list_my_deals(session, w.a, page=0).page == 1


def test_another_organizations_deal_does_not_exist_for_a_partner(session, w):
    theirs = register(session, w.b, w.products)
    session.commit()
    for call in (
        lambda: get_my_deal(session, w.a, theirs, now=T0),
        lambda: get_my_deal(session, w.a, 999_999, now=T0),
        lambda: withdraw_deal(session, w.a, theirs),
        lambda: answer_info_request(session, w.a, theirs, "an answer"),
        lambda: close_deal(session, w.a, theirs, won=False),
    ):
        with pytest.raises(NotFound):
            call()
    detail = get_my_deal(session, w.b, theirs, now=T0).deal
    assert detail.id == theirs and sorted(h.action for h in detail.history) == ["created", "submitted"]
    assert session.get(Deal, theirs).status == DealStatus.SUBMITTED


# ---------------------------------------------------------------------------------------------------------------
# Withdraw, answer, extend, close
# ---------------------------------------------------------------------------------------------------------------


def _deal_in(session: Session, w: SimpleNamespace, status: str) -> int:
    deal_id = register(session, w.a, w.products, submit=status != "draft")
    if status == "info_requested":
        request_more_info(session, w.manager, deal_id, "Who is the economic buyer?")
    elif status == "approved":
        approve_deal(session, w.manager, deal_id, now=T0)
    session.commit()
    assert session.get(Deal, deal_id).status == status
    return deal_id


@pytest.mark.parametrize("status", ["draft", "submitted", "info_requested"])
def test_withdraw_before_a_decision(session, w, status):
    deal_id = _deal_in(session, w, status)
    withdraw_deal(session, w.a, deal_id, "  Customer went quiet.  ")
    session.commit()
    assert session.get(Deal, deal_id).status == DealStatus.WITHDRAWN
    assert _events(session, deal_id)[-1] == ("withdrawn", status, "withdrawn")
    note = session.exec(select(DealEvent.note).where(DealEvent.action == "withdrawn")).one()
    assert note == "Customer went quiet."


def test_an_approved_deal_cannot_be_withdrawn(session, w):
    deal_id = _deal_in(session, w, "approved")
    with pytest.raises(DomainError, match="cannot be withdrawn"):
        withdraw_deal(session, w.a, deal_id)
    session.rollback()
    assert session.get(Deal, deal_id).status == DealStatus.APPROVED


@pytest.mark.parametrize("answer", ["", "   ", None])
def test_answering_requires_text(session, w, answer):
    deal_id = _deal_in(session, w, "info_requested")
    with pytest.raises(ValidationError) as caught:
        answer_info_request(session, w.a, deal_id, answer)
    assert caught.value.field == "answer"
    assert session.get(Deal, deal_id).status == DealStatus.INFO_REQUESTED


def test_answering_moves_the_deal_back_to_submitted(session, w):
    deal_id = _deal_in(session, w, "info_requested")
    answer_info_request(session, w.a2, deal_id, "  The CFO, Ms Vance.  ")
    session.commit()
    assert session.get(Deal, deal_id).status == DealStatus.SUBMITTED
    last = session.exec(select(DealEvent).where(DealEvent.deal_id == deal_id).order_by(DealEvent.id.desc())).first()
    assert (last.action, last.from_status, last.to_status, last.note) == (
        "info_provided",
        "info_requested",
        "submitted",
        "The CFO, Ms Vance.",
    )
    with pytest.raises(DomainError):  # nothing was asked any more
        answer_info_request(session, w.a, deal_id, "More details")


@pytest.mark.parametrize("status", ["draft", "submitted", "info_requested"])
def test_only_approved_deals_can_be_extended(session, w, status):
    deal_id = _deal_in(session, w, status)
    with pytest.raises(DomainError, match="Only approved"):
        request_extension(session, w.a, deal_id, 30, "Procurement is slow.", now=T0)


def test_extension_days_are_1_to_90(session, w):
    deal_id = _deal_in(session, w, "approved")
    for days in (0, -1, 91, 365):
        with pytest.raises(ValidationError) as caught:
            request_extension(session, w.a, deal_id, days, "Procurement is slow.", now=T0)
        assert caught.value.field == "days", days
    assert _count(session, DealExtension) == 0
    request_extension(session, w.a, deal_id, 1, "Procurement is slow.", now=T0)  # the bounds themselves are fine
    other = register(session, w.a, w.products, customer_name="Hooli", customer_site="hooli.com")
    approve_deal(session, w.manager, other, now=T0)
    request_extension(session, w.a, other, 90, "Procurement is slow.", now=T0)
    assert _count(session, DealExtension) == 2


def test_an_extension_needs_a_reason_and_only_one_may_wait(session, w):
    deal_id = _deal_in(session, w, "approved")
    with pytest.raises(ValidationError) as caught:
        request_extension(session, w.a, deal_id, 30, "   ", now=T0)
    assert caught.value.field == "reason"

    ext_id = request_extension(session, w.a, deal_id, 90, "Board meets next quarter.", now=T0)
    session.commit()
    ext = session.get(DealExtension, ext_id)
    assert (ext.status, ext.days, ext.reason, ext.requested_by_id) == (
        "pending",
        90,
        "Board meets next quarter.",
        w.a.user_id,
    )
    assert _events(session, deal_id)[-1] == ("extension_requested", "approved", "approved")

    with pytest.raises(DomainError, match="already waiting"):
        request_extension(session, w.a2, deal_id, 1, "Another reason", now=T0)
    assert _count(session, DealExtension) == 1


def test_winning_requires_a_positive_final_amount(session, w):
    deal_id = _deal_in(session, w, "approved")
    # The last three used to pass (and overflow Numeric(14, 2) on PostgreSQL) or crash with InvalidOperation.
    for amount in ("", "0", "-10", "abc", "0.001", "1,000,000,000", "1,000,000,000,000", "1e30"):
        with pytest.raises(ValidationError) as caught:
            close_deal(session, w.a, deal_id, won=True, final_amount=amount, now=T0 + DAY)
        assert caught.value.field == "final_amount", amount
        session.rollback()
        session.expire_all()
        deal = session.get(Deal, deal_id)
        assert deal.status == DealStatus.APPROVED and deal.final_amount is None, amount


def test_winning_records_the_final_amount(session, w):
    deal_id = _deal_in(session, w, "approved")
    close_deal(session, w.a2, deal_id, won=True, final_amount="31,250.5", now=T0 + 10 * DAY)
    session.commit()
    session.expire_all()
    deal = session.get(Deal, deal_id)
    assert deal.status == DealStatus.WON and deal.final_amount == Decimal("31250.50")
    assert deal.closed_at == T0 + 10 * DAY
    assert _events(session, deal_id)[-1] == ("won", "approved", "won")
    won = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "deal_won")).one()
    assert (won.organization_id, won.subject_id) == (w.alpha.id, deal_id)


def test_losing_needs_no_amount(session, w):
    deal_id = _deal_in(session, w, "approved")
    close_deal(session, w.a, deal_id, won=False, now=T0 + DAY)
    session.commit()
    deal = session.get(Deal, deal_id)
    assert deal.status == DealStatus.LOST and deal.final_amount is None and deal.closed_at == T0 + DAY


@pytest.mark.parametrize("won", [True, False])
def test_only_approved_deals_can_be_closed(session, w, won):
    deal_id = _deal_in(session, w, "submitted")
    with pytest.raises(DomainError):
        close_deal(session, w.a, deal_id, won=won, final_amount="100", now=T0)
    session.rollback()
    assert session.get(Deal, deal_id).status == DealStatus.SUBMITTED


# ---------------------------------------------------------------------------------------------------------------
# Pure rules
# ---------------------------------------------------------------------------------------------------------------

S = DealStatus
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.INFO_REQUESTED),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.INFO_REQUESTED, S.SUBMITTED),
    (S.INFO_REQUESTED, S.REJECTED),
    (S.INFO_REQUESTED, S.WITHDRAWN),
    (S.APPROVED, S.WON),
    (S.APPROVED, S.LOST),
    (S.APPROVED, S.EXPIRED),
    (S.WON, S.LOST),  # a manager's correction (deals.corrections), and back
    (S.LOST, S.WON),
}


@pytest.mark.parametrize("to_status", list(DealStatus))
@pytest.mark.parametrize("from_status", list(DealStatus))
def test_status_machine(from_status, to_status):
    assert can_move(from_status, to_status) is ((from_status, to_status) in ALLOWED)
    assert can_move(from_status.value, to_status.value) is ((from_status, to_status) in ALLOWED)


def test_status_machine_refuses_unknown_statuses():
    assert not can_move("nonsense", S.SUBMITTED)
    assert not can_move(S.DRAFT, "nonsense")


# T0 is Tuesday 15 January 2030.
TUE = T0
FRI = T0 + 3 * DAY
SAT, SUN, MON = FRI + DAY, FRI + 2 * DAY, FRI + 3 * DAY


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (TUE, TUE + timedelta(hours=8), 0),
        (TUE, TUE + DAY, 1),
        (TUE, FRI, 3),
        (FRI, SAT, 0),
        (FRI, SUN, 0),
        (FRI, MON, 1),
        (SAT, MON, 1),
        (SAT, SUN, 0),
        (MON, MON + 7 * DAY, 5),
        (TUE, TUE + 14 * DAY, 10),
        (FRI, TUE, 0),  # backwards
        (TUE, TUE, 0),
    ],
)
def test_business_days_between_skips_weekends(start, end, days):
    assert business_days_between(start, end) == days
