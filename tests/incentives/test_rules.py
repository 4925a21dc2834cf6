"""The hand-worked examples of the research note (§4) on the pure rules: rounding, FX, step-downs, caps, payout
selection (holding period, minimum, netting), rebate bands slab vs marginal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from prm_app.incentives.rebate_rules import Band, RebateMode, check_bands, next_band, rebate
from prm_app.incentives.rules import (
    EarningEvent,
    FxMissing,
    OpenLine,
    Rate,
    RuleTerms,
    calculate_earning,
    claimable,
    csv_cell,
    months_between,
    pick_rate,
    select_payable,
    to_minor,
)
from prm_app.platform.errors import ValidationError

T0 = datetime(2026, 1, 15, 12, tzinfo=UTC)
BANDS = [Band(D(0), D(100000), D(0)), Band(D(100000), D(250000), D(2)), Band(D(250000), None, D(3))]


def test_rounding_is_half_even_to_each_currencys_minor_unit():
    assert to_minor(D("0.125"), "USD") == D("0.12") and to_minor(D("0.135"), "USD") == D("0.14")
    assert to_minor(D("1234.5"), "JPY") == D("1234") and to_minor(D("1235.5"), "JPY") == D("1236")
    assert to_minor(D("1.0005"), "KWD") == D("1.000") and to_minor(D("1.0015"), "KWD") == D("1.002")
    assert str(to_minor(D("10"), "KWD")) == "10.000" and str(to_minor(D("10"), "JPY")) == "10"


def test_a_missing_rate_blocks_and_says_which_and_when():
    rates = [Rate(date(2026, 1, 2), D("1.1"))]
    assert pick_rate("EUR", "USD", date(2026, 1, 5), rates).rate == D("1.1")  # the Friday's rate on Monday
    assert pick_rate("USD", "USD", date(2026, 1, 5), []).rate == 1
    with pytest.raises(FxMissing, match=r"^missing FX rate for EUR on 2026-01-20$"):
        pick_rate("EUR", "USD", date(2026, 1, 20), rates)
    with pytest.raises(FxMissing):  # never a later rate: yesterday's event keeps yesterday's rate
        pick_rate("EUR", "USD", date(2026, 1, 1), rates)


def _event(months_in=0, base=D("40000"), earned=D(0), tier=1, at=T0):
    return EarningEvent(
        "deal_won",
        at,
        base,
        "USD",
        tier,
        "reseller",
        months_in=months_in,
        earned_in_cap_period=earned,
        subject="ACME renewal",
    )


def test_step_down_first_three_months_40_then_20_and_max_duration():
    rule = RuleTerms(1, "deal_won", "percent", D(40), step_months=3, then_rate=D(20), max_months=12)
    assert calculate_earning(_event(months_in=2), [rule]).amount == D("16000.00")
    assert calculate_earning(_event(months_in=3), [rule]).amount == D("8000.00")  # month 4 pays 20 %
    assert calculate_earning(_event(months_in=12), [rule]) is None  # maxDuration 12 stops at month 13
    assert months_between(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 4, 15, tzinfo=UTC)) == 3
    assert months_between(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 4, 14, tzinfo=UTC)) == 2


def test_the_rule_in_force_at_the_event_and_the_most_specific_wins():
    old = RuleTerms(1, "deal_won", "percent", D(10), effective_from=T0 - timedelta(days=90), effective_to=T0)
    new = RuleTerms(2, "deal_won", "percent", D(12), tier_id=1, tier_name="Gold", effective_from=T0)
    other_tier = RuleTerms(3, "deal_won", "percent", D(50), tier_id=2, effective_from=T0 - timedelta(days=90))
    before = calculate_earning(_event(at=T0 - timedelta(days=1)), [old, new, other_tier])
    assert before.amount == D("4000.00") and before.rule_id == 1  # history is not rewritten
    after = calculate_earning(_event(), [old, new, other_tier])
    assert after.amount == D("4800.00") and after.explanation == "12 % Gold commission on ACME renewal"


def test_a_cap_per_period_trims_to_what_is_left():
    rule = RuleTerms(1, "deal_won", "flat", D(500), cap_amount=D(1200), cap_period="month")
    assert calculate_earning(_event(earned=D(1000)), [rule]).amount == D("200.00")
    assert calculate_earning(_event(earned=D(1200)), [rule]).amount == D("0.00")


def _line(i, amount, org=1, program=1, day=0):
    return OpenLine(i, org, program, D(amount), T0 + timedelta(days=day))


def test_holding_period_30_days_an_accrual_of_day_1_joins_on_day_31():
    lines = [_line(1, "100", day=30)]  # accrued on day 1, payable from day 31
    assert select_payable(lines, {}, T0 + timedelta(days=29)) == {}
    assert select_payable(lines, {}, T0 + timedelta(days=30)) == {(1, 0): [1]}


def test_a_balance_below_the_minimum_carries_forward_and_a_negative_partner_is_not_paid():
    assert select_payable([_line(1, "40")], {1: D(50)}, T0) == {}
    assert select_payable([_line(1, "40"), _line(2, "15")], {1: D(50)}, T0) == {(1, 0): [1, 2]}
    # a refund after payout: -300 nets against the next 200 accrual; the partner is owed nothing, so not paid
    assert select_payable([_line(1, "-300"), _line(2, "200")], {1: D(50)}, T0) == {}
    assert select_payable([_line(1, "-300"), _line(2, "500")], {1: D(50)}, T0) == {(1, 0): [1, 2]}


def test_slab_versus_marginal_on_260k():
    assert rebate(D(260000), BANDS, RebateMode.SLAB, "USD") == D("7800.00")
    assert rebate(D(260000), BANDS, RebateMode.MARGINAL, "USD") == D("3300.00")
    needed, rate, gain = next_band(D(232000), BANDS, RebateMode.SLAB, "USD")
    assert (needed, rate, gain) == (D(18000), D(3), D("2860.00"))  # 7,500 at 250k vs 4,640 now


@pytest.mark.parametrize(
    "bands, message",
    [
        ([Band(D(0), D(100), D(1)), Band(D(150), None, D(2))], "gap"),
        ([Band(D(0), D(100), D(1)), Band(D(90), None, D(2))], "overlap"),
        ([Band(D(10), None, D(1))], "start at 0"),
        ([Band(D(0), D(100), D(1))], "open-ended"),
        ([Band(D(0), None, D(1)), Band(D(100), None, D(2))], "only the last"),
    ],
)
def test_bands_that_leave_a_gap_or_overlap_do_not_save(bands, message):
    with pytest.raises(ValidationError, match=message):
        check_bands(bands)


def test_a_claim_is_capped_at_approved_times_reimbursement_and_cells_are_formula_safe():
    assert claimable(D(10000), 50, "USD") == D("5000.00")
    assert csv_cell("=HYPERLINK()") == "'=HYPERLINK()" and csv_cell("-1") == "'-1" and csv_cell("ACME") == "ACME"
