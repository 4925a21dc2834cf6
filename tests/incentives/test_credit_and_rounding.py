"""Sourced vs influenced credit (set at registration or by the manager) with commission rules by credit, and
programme money rounded half-even to the currency's minor unit by one function (platform.money)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import select

from prm_app.deals import Deal, DealEvent, close_deal, set_credit
from prm_app.deals.rules import DealInput, clean_deal_input
from prm_app.incentives import create_program, create_rebate_program, create_spiff, set_commission_rule
from prm_app.incentives.models import CommissionRule, IncentiveProgram, LedgerLine
from prm_app.incentives.rules import EarningEvent, RuleTerms, calculate_earning
from prm_app.platform.errors import FormInvalid, PermissionDenied
from prm_app.platform.money import parse_money_in, to_minor
from tests.incentives.world import T0, approved_deal, make_world

SOURCED_10 = RuleTerms(1, "deal_won", "percent", D("10"), credit="sourced")
INFLUENCED_3 = RuleTerms(2, "deal_won", "percent", D("3"), credit="influenced")
EITHER_1 = RuleTerms(3, "deal_won", "percent", D("1"))


def _event(credit: str) -> EarningEvent:
    return EarningEvent("deal_won", T0, D("10000"), "USD", None, "reseller", subject="ACME", credit=credit)


def test_a_rule_by_credit_pays_only_its_credit_and_beats_a_rule_for_either():
    rules = [SOURCED_10, INFLUENCED_3, EITHER_1]
    sourced, influenced = calculate_earning(_event("sourced"), rules), calculate_earning(_event("influenced"), rules)
    assert sourced is not None and (sourced.amount, sourced.explanation) == (
        D("1000.00"),
        "10 % sourced-deal commission on ACME",
    )
    assert influenced is not None and (influenced.amount, influenced.rule_id) == (D("300.00"), 2)
    assert calculate_earning(_event("influenced"), [SOURCED_10]) is None


def test_credit_is_chosen_at_registration_and_checked():
    data = DealInput(
        customer_name="ACME Corp",
        customer_site="acme.com",
        country="DE",
        contact_name="Jo",
        contact_email="jo@acme.com",
        product_ids=(1,),
        estimated_value="100",
        expected_close="2030-01-01",
        stage="Proposal",
        credit="influenced",
    )
    from datetime import date

    assert clean_deal_input(data, {1}, date(2029, 1, 1)).credit == "influenced"
    with pytest.raises(FormInvalid) as bad:
        clean_deal_input(DealInput(**{**data.__dict__, "credit": "stolen"}), {1}, date(2029, 1, 1))
    assert "credit" in bad.value.errors


def test_the_manager_sets_the_credit_and_the_won_deal_earns_by_its_credit(session):
    w = make_world(session)
    base = {"event": "deal_won", "calc": "percent", "cap_period": ""}
    set_commission_rule(
        session, w.admin, w.program_id, {**base, "rate": "10", "credit": "sourced"}, now=T0 - timedelta(1)
    )
    set_commission_rule(
        session, w.admin, w.program_id, {**base, "rate": "3", "credit": "influenced"}, now=T0 - timedelta(1)
    )
    assert {r.credit for r in session.exec(select(CommissionRule)).all()} == {"sourced", "influenced"}  # both stand
    deal_id = approved_deal(session, w)
    assert session.get(Deal, deal_id).credit == "sourced"  # the default: the partner's own find
    with pytest.raises(PermissionDenied):
        set_credit(session, w.partner, deal_id, "influenced")
    set_credit(session, w.manager, deal_id, "influenced")
    assert session.exec(select(DealEvent.note).where(DealEvent.action == "credit_changed")).one() == (
        "Sourced → Influenced"
    )
    close_deal(session, w.partner, deal_id, won=True, final_amount="10000", now=T0)
    line = session.exec(select(LedgerLine).where(LedgerLine.source_id == deal_id)).one()
    assert (line.amount, line.explanation) == (D("300.00"), "3 % influenced-deal commission on ACME Corp")
    with pytest.raises(FormInvalid) as bad:
        set_commission_rule(session, w.admin, w.program_id, {**base, "rate": "3", "credit": "maybe"})
    assert "credit" in bad.value.errors


@pytest.mark.parametrize(
    ("typed", "currency", "stored"),
    [
        ("0.125", "USD", "0.12"),
        ("0.135", "USD", "0.14"),
        ("1,234.5", "JPY", "1234"),
        ("1,235.5", "JPY", "1236"),
        ("1.0005", "KWD", "1.000"),
        ("1.0015", "KWD", "1.002"),
    ],
)
def test_programme_amounts_round_half_even_to_the_minor_unit(typed, currency, stored):
    assert parse_money_in(typed, currency) == D(stored) == to_minor(D(typed.replace(",", "")), currency)


def test_programme_forms_store_half_even_amounts(session):
    w = make_world(session)
    plan = create_program(session, w.admin, "Yen plan", "JPY", "0", "1,000.5")  # 1000.5 → 1000 (to even)
    assert session.get(IncentiveProgram, plan).min_payout == D("1000")
    rule = set_commission_rule(
        session,
        w.admin,
        plan,
        {"event": "deal_won", "calc": "flat", "rate": "2500.5", "cap_amount": "7500.5", "cap_period": "month"},
    )
    saved = session.get(CommissionRule, rule)
    assert (saved.rate, saved.cap_amount) == (D("2500"), D("7500"))  # half-even, not half-up (2501, 7501)
    pct = set_commission_rule(
        session, w.admin, w.program_id, {"event": "deal_won", "calc": "percent", "rate": "12.34565"}
    )
    assert session.get(CommissionRule, pct).rate == D("12.3456")
    create_rebate_program(
        session,
        w.admin,
        {
            "name": "Dinar rebate",
            "currency": "KWD",
            "mode": "slab",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "bands": "0-1000.0005: 0; 1000.0005-: 2",
            "holding_days": "0",
        },
    )
    rebate = session.exec(select(IncentiveProgram).where(IncentiveProgram.name == "Dinar rebate")).one()
    assert rebate.bands == '[["0.000", "1000.000", "0"], ["1000.000", null, "2"]]'
    create_spiff(
        session,
        w.admin,
        {
            "spiff_name": "Q1 push",
            "spiff_currency": "USD",
            "time_zone": "UTC",
            "window_start": "2026-01-01",
            "window_end": "2026-03-31",
            "bonus": "100.125",
        },
    )
    spiff = session.exec(select(IncentiveProgram).where(IncentiveProgram.name == "Q1 push")).one()
    assert spiff.bonus == D("100.12")
