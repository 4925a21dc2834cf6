"""A manager corrects a won deal: lost after all, or refunded in part or in full. The commission is reversed by
appended lines (never an update), a paid one is clawed back from the next payout, the statement says why, and
won → lost → won counts once. The customer's payments are recorded and refunds reduce them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import select

from prm_app.deals import (
    Deal,
    close_deal,
    correct_to_lost,
    correct_to_won,
    deal_money,
    paid_amount,
    record_payment,
    refund_deal,
)
from prm_app.incentives import approve_batch, create_batch, mark_batch_paid, my_statement, my_statement_csv
from prm_app.incentives.ledger import earnings_balance
from prm_app.incentives.models import LedgerLine
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied, ValidationError
from tests.incentives.test_commissions import _gold_rule
from tests.incentives.world import T0, approved_deal, make_world


def _won(session, w, amount="10000", customer="ACME Corp"):
    deal_id = approved_deal(session, w, customer)
    close_deal(session, w.partner, deal_id, won=True, final_amount=amount, now=T0)
    return deal_id


def _lines(session, deal_id):
    return session.exec(select(LedgerLine).where(LedgerLine.source_id == deal_id).order_by(LedgerLine.id)).all()


def _pay(session, w, label, key, days):
    batch = create_batch(session, w.admin, "USD", label, key, now=T0 + timedelta(days=days))
    approve_batch(session, w.admin, batch)
    mark_batch_paid(session, w.admin, batch, f"BANK-{key}")
    return batch


def test_won_then_lost_reverses_with_the_managers_reason_and_won_again_counts_once(session):
    w = make_world(session)
    _gold_rule(session, w)
    deal_id = _won(session, w)
    correct_to_lost(session, w.manager, deal_id, "Customer cancelled before signing")
    assert earnings_balance(session, w.org.id, "USD") == D("0.00")
    correct_to_won(session, w.manager, deal_id, "Signed after all")
    assert earnings_balance(session, w.org.id, "USD") == D("1200.00")  # once, not twice and not zero
    correct_to_lost(session, w.manager, deal_id, "Cancelled again")
    correct_to_won(session, w.manager, deal_id, "Signed for good")
    lines = _lines(session, deal_id)
    assert [(line.kind, line.amount) for line in lines] == [
        ("accrual", D("1200.00")),
        ("reversal", D("-1200.00")),
        ("accrual", D("1200.00")),
        ("reversal", D("-1200.00")),
        ("accrual", D("1200.00")),
    ]
    assert lines[1].reason == "Customer cancelled before signing" and lines[1].reverses_id == lines[0].id
    assert earnings_balance(session, w.org.id, "USD") == D("1200.00")
    statement = my_statement(session, w.partner, now=T0)
    assert [line.reason for line in statement.lines if line.kind == "reversal"] == [
        "Cancelled again",
        "Customer cancelled before signing",
    ]
    assert "Customer cancelled before signing" in my_statement_csv(session, w.partner)


def test_a_paid_commission_is_clawed_back_from_the_next_payout_and_the_balance_carries(session):
    w = make_world(session, holding_days=0, min_payout="0")
    _gold_rule(session, w)
    deal_id = _won(session, w)
    _pay(session, w, "January", "jan-claw", 1)
    correct_to_lost(session, w.manager, deal_id, "Contract voided")
    assert earnings_balance(session, w.org.id, "USD") == D("-1200.00")  # negative: owed back
    small = _won(session, w, "5000", "Small Co")  # earns 600: not enough to cover the clawback
    with pytest.raises(ValidationError, match="Nothing is payable"):
        create_batch(session, w.admin, "USD", "February", "feb-claw", now=T0 + timedelta(days=2))
    assert earnings_balance(session, w.org.id, "USD") == D("-600.00")  # carried forward
    _won(session, w, "20000", "Big Co")  # +2,400
    _pay(session, w, "March", "mar-claw", 3)
    payouts = session.exec(select(LedgerLine).where(LedgerLine.kind == "payout").order_by(LedgerLine.id)).all()
    assert [p.amount for p in payouts] == [D("-1200.00"), D("-1800.00")]  # 600 + 2,400 − 1,200
    assert small


def test_partial_then_full_refund_reverse_their_share_and_end_at_exactly_zero(session):
    w = make_world(session)
    _gold_rule(session, w, rate="12.5")
    deal_id = _won(session, w, "1000.03")  # 125.00 (125.00375 rounded)
    record_payment(session, w.manager, deal_id, "1000.03", "2026-01-20", today=date(2026, 2, 1))
    refund_deal(session, w.manager, deal_id, "333.33", "One licence returned")
    refund_deal(session, w.manager, deal_id, "", "Customer left", full=True)
    lines = _lines(session, deal_id)
    assert [line.amount for line in lines] == [
        D("125.00"),
        D("-41.67"),
        D("-83.33"),
    ]  # 125 × 666.70 / 1000.03 = 83.33 kept
    assert [line.reason for line in lines[1:]] == ["One licence returned", "Customer left"]
    assert earnings_balance(session, w.org.id, "USD") == D("0.00")
    assert paid_amount(session, deal_id) == D("0.00")
    money = deal_money(session, w.manager, deal_id)
    assert (money.paid, money.refunded, [p.kind for p in money.payments]) == (
        D("0.00"),
        D("1000.03"),
        ["payment", "refund", "refund"],
    )


def test_a_refunded_deal_lost_and_won_again_keeps_only_the_unrefunded_share(session):
    w = make_world(session)
    _gold_rule(session, w)
    deal_id = _won(session, w)
    record_payment(session, w.manager, deal_id, "10000", "2026-01-15", today=date(2026, 1, 20))
    refund_deal(session, w.manager, deal_id, "2500", "A quarter returned")
    correct_to_lost(session, w.manager, deal_id, "Cancelled")
    correct_to_won(session, w.manager, deal_id, "Reinstated")
    assert earnings_balance(session, w.org.id, "USD") == D("900.00")  # 1,200 × 75 %


def test_payments_and_refunds_are_checked_and_named_by_field(session):
    w = make_world(session)
    deal_id = _won(session, w, "1000")
    with pytest.raises(ValidationError, match="nothing is paid yet") as no_pay:
        refund_deal(session, w.manager, deal_id, "10", "Returned")
    assert no_pay.value.field == "refund_amount"
    with pytest.raises(ValidationError) as future:
        record_payment(session, w.manager, deal_id, "100", "2999-01-01")
    assert future.value.field == "paid_on"
    record_payment(session, w.manager, deal_id, "600", "2026-01-16", today=date(2026, 1, 20))
    with pytest.raises(ValidationError, match=r"at most 400\.00 USD more") as over:
        record_payment(session, w.manager, deal_id, "500", "2026-01-17", today=date(2026, 1, 20))
    assert over.value.field == "payment_amount"
    with pytest.raises(ValidationError, match=r"paid 600\.00 USD"):
        refund_deal(session, w.manager, deal_id, "700", "Too much")
    with pytest.raises(ValidationError) as no_reason:
        refund_deal(session, w.manager, deal_id, "100", "  ")
    assert no_reason.value.field == "refund_reason"
    assert paid_amount(session, deal_id) == D("600.00")


def test_only_the_deals_manager_corrects_and_partners_cannot_reopen(session):
    w = make_world(session)
    deal_id = _won(session, w)
    with pytest.raises(PermissionDenied):
        correct_to_lost(session, w.partner, deal_id, "Mine")
    with pytest.raises(DomainError, match="approved registration"):
        close_deal(session, w.partner, deal_id, won=False)  # a partner never un-wins its own deal
    correct_to_lost(session, w.manager, deal_id, "Cancelled")
    with pytest.raises(DomainError, match="approved registration"):
        close_deal(session, w.partner, deal_id, won=True, final_amount="99999")
    with pytest.raises(DomainError, match="Only a won deal"):
        correct_to_lost(session, w.manager, deal_id, "Again")
    from prm_app.platform.access import Role
    from tests.factories import actor_for, make_user

    stranger = actor_for(make_user(session, Role.CHANNEL_MANAGER))  # another manager's book
    with pytest.raises(NotFound):
        correct_to_won(session, stranger, deal_id, "Not mine")
    assert session.get(Deal, deal_id).status == "lost"
