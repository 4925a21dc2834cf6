"""A partner paid in its own currency: its earnings post converted at the stored rate of their day (the rate and its
date on the line, the plan's amount beside it), statements and payouts are in that currency, minimums and caps
still count in the plan's currency, a missing rate holds the earning with the fx area's words, KWD and JPY round
to their minor unit, and an approved MDF claim locks its rate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import select

from prm_app.deals import close_deal, correct_to_lost
from prm_app.fx import FxLock, add_rate
from prm_app.incentives import approve_batch, create_batch, mark_batch_paid, my_statement, set_commission_rule
from prm_app.incentives.models import HeldEarning, LedgerLine
from prm_app.incentives.payout_currency import payout_currencies, payout_currency, set_payout_currency
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from tests.incentives.world import T0, approved_deal, make_world

RULE = {"event": "deal_won", "calc": "percent", "rate": "12", "cap_period": ""}


def _world(session, currency: str, **world):
    w = make_world(session, holding_days=0, **world)
    set_commission_rule(session, w.admin, w.program_id, RULE, now=T0 - timedelta(days=1))
    set_payout_currency(session, w.admin, w.org.id, currency)
    return w


def _accruals(session):
    return session.exec(select(LedgerLine).where(LedgerLine.kind == "accrual").order_by(LedgerLine.id)).all()


def test_only_admins_set_a_payout_currency_we_pay_in(session):
    w = make_world(session)
    with pytest.raises(PermissionDenied):
        set_payout_currency(session, w.manager, w.org.id, "EUR")
    with pytest.raises(FormInvalid) as bad:
        set_payout_currency(session, w.admin, w.org.id, "XYZ")
    assert bad.value.errors == {"payout_currency": "Choose a currency we pay in."}
    with pytest.raises(NotFound):
        set_payout_currency(session, w.admin, 999_999, "EUR")
    assert set_payout_currency(session, w.admin, w.org.id, "eur") == "EUR"
    assert (w.org.id, w.org.name, "EUR") in payout_currencies(session, w.admin)
    assert set_payout_currency(session, w.admin, w.org.id, "") == "" and payout_currency(session, w.org.id) == ""


def test_earnings_post_in_the_partners_currency_at_the_rate_of_their_day_and_are_paid_in_it(session):
    w = _world(session, "EUR", min_payout="50")
    add_rate(session, w.admin, "EUR", "2026-01-14", "1.0835", "ECB")
    deal_id = approved_deal(session, w)
    close_deal(session, w.partner, deal_id, won=True, final_amount="10000", now=T0)
    [line] = _accruals(session)
    # 12 % of 10,000 USD = 1,200 USD; at 1 / 1.0835 EUR per USD (0.92293493) = 1,107.52 EUR, half-even.
    assert (line.amount, line.currency) == (D("1107.52"), "EUR")
    assert (line.source_amount, line.source_currency, line.fx_rate, line.fx_date) == (
        D("1200.00"),
        "USD",
        D("0.92293493"),
        date(2026, 1, 14),
    )
    statement = my_statement(session, w.partner, now=T0)
    assert [(t.currency, t.payable) for t in statement.totals] == [("EUR", D("1107.52"))]
    with pytest.raises(ValidationError, match="Nothing is payable in USD"):
        create_batch(session, w.admin, "USD", "Jan USD", "key-usd-jan", now=T0)
    batch = create_batch(session, w.admin, "EUR", "Jan EUR", "key-eur-jan", now=T0)
    approve_batch(session, w.admin, batch)
    mark_batch_paid(session, w.admin, batch, "SEPA-1")
    payout = session.exec(select(LedgerLine).where(LedgerLine.kind == "payout")).one()
    assert (payout.amount, payout.currency) == (D("-1107.52"), "EUR")

    # A loss after payout reverses in the line's currency, at its rate: it nets against the next EUR payout.
    correct_to_lost(session, w.admin, deal_id, "Customer cancelled")
    reversal = session.exec(select(LedgerLine).where(LedgerLine.kind == "reversal")).one()
    assert (reversal.amount, reversal.currency, reversal.source_amount, reversal.fx_rate) == (
        D("-1107.52"),
        "EUR",
        D("-1200.00"),
        D("0.92293493"),
    )


def test_a_missing_rate_holds_the_earning_with_the_fx_words_until_the_rate_is_added(session):
    w = _world(session, "KWD")
    deal_id = approved_deal(session, w)
    close_deal(session, w.partner, deal_id, won=True, final_amount="10000", now=T0)  # the win itself stands
    held = session.exec(select(HeldEarning)).one()
    assert held.problem == "missing FX rate for KWD on 2026-01-15"
    assert _accruals(session) == []
    add_rate(session, w.admin, "KWD", "2026-01-15", "3.2550", "CBK")  # the held earning posts (fx reacts)
    [line] = _accruals(session)
    assert (line.amount, line.currency) == (D("368.664"), "KWD")  # 1,200 / 3.255 = 368.6635…: 3 decimals
    assert held.resolved_at is not None


def test_jpy_rounds_to_whole_yen_and_caps_count_in_the_plans_currency(session):
    w = make_world(session, holding_days=0)
    set_commission_rule(
        session,
        w.admin,
        w.program_id,
        {**RULE, "cap_amount": "1500", "cap_period": "month"},
        now=T0 - timedelta(days=1),
    )
    set_payout_currency(session, w.admin, w.org.id, "JPY")
    add_rate(session, w.admin, "JPY", "2026-01-14", "0.006720", "BoJ")
    first, second = approved_deal(session, w, "One Co"), approved_deal(session, w, "Two Co")
    close_deal(session, w.partner, first, won=True, final_amount="10000", now=T0)
    close_deal(session, w.partner, second, won=True, final_amount="10000", now=T0 + timedelta(hours=1))
    one, two = _accruals(session)
    # 1,200 USD / 0.00672 = 178,571.43 JPY → 178,571; the cap leaves 300 USD of 1,500 → 44,642.86 → 44,643.
    assert (one.amount, one.currency, one.source_amount) == (D("178571"), "JPY", D("1200.00"))
    assert (two.amount, two.source_amount) == (D("44643"), D("300.00"))


def test_an_approved_mdf_claim_locks_its_rate_and_pays_the_partner_in_its_currency(session, tmp_path):
    from prm_app.incentives import (
        add_claim_line,
        decide_claim_line,
        decide_fund_request,
        finish_claim_review,
        request_for_review,
        submit_claim,
        submit_fund_request,
    )
    from tests.incentives.test_mdf import _funded, _invoice, _proved, _request_form

    w = make_world(session, holding_days=0)
    set_payout_currency(session, w.admin, w.org.id, "EUR")
    _, allocation_id = _funded(session, w)
    request_id = submit_fund_request(session, w.partner, allocation_id, _request_form("10000"))
    decide_fund_request(session, w.manager, request_id, "approve")
    form = {"description": "Venue", "invoice_number": "INV-9", "amount": "4000"}
    line_id = add_claim_line(session, w.partner, request_id, form, *_invoice(tmp_path))
    _proved(session, w.partner, request_id, tmp_path)
    submit_claim(session, w.partner, request_id, "10")
    decide_claim_line(session, w.manager, line_id, "accepted", "", "")
    claim_id = request_for_review(session, w.manager, request_id).claim_id
    with pytest.raises(ValidationError, match=f"^missing FX rate for EUR on {date.today().isoformat()}$"):
        with session.begin_nested():  # the front door rolls the unit of work back
            finish_claim_review(session, w.manager, claim_id)
    add_rate(session, w.admin, "EUR", date.today().isoformat(), "1.25", "ECB")
    assert finish_claim_review(session, w.manager, claim_id) == "approved"
    paid = session.exec(select(LedgerLine).where(LedgerLine.kind == "claim_approved")).one()
    assert (paid.amount, paid.currency, paid.source_amount, paid.source_currency, paid.fx_rate) == (
        D("3200.00"),
        "EUR",
        D("4000.00"),
        "USD",
        D("0.8"),
    )
    lock = session.exec(select(FxLock).where(FxLock.subject_kind == "mdf_claim_approved")).one()
    assert (lock.subject_id, lock.currency, lock.amount, lock.corporate_currency, lock.corporate_amount) == (
        claim_id,
        "USD",
        D("4000.00"),
        "USD",
        D("4000.00"),
    )
