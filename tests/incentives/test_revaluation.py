"""Period-end FX revaluation: the rule by hand (EUR into USD, JPY and KWD corporate amounts rounded half-even to
their minor unit), and the use case: an open EUR balance is revalued at the period-end rate by an appended line in
USD, once per period (a second run appends nothing), the next period from the first one's value, in order only; a
missing rate refuses the run with the fx area's words; partners' statements never move."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import select

from prm_app.deals import close_deal
from prm_app.fx import FxRateMissing, add_rate
from prm_app.incentives import my_statement, set_commission_rule
from prm_app.incentives.models import LedgerLine
from prm_app.incentives.payout_currency import set_payout_currency
from prm_app.incentives.revaluation import REVALUATION, revaluations, revalue_due, revalue_period
from prm_app.incentives.rules import HeldBalance, revaluation_period, revalue
from prm_app.platform.errors import PermissionDenied, ValidationError
from tests.incentives.world import T0, approved_deal, make_world


def test_an_open_balance_is_worth_the_period_end_rate_against_what_its_lines_were_booked_at():
    # 1,000.00 EUR booked at 1.08 (1,080.00 USD) less 200.00 EUR at 1.09 (218.00): 800.00 EUR carried at 862.00;
    # at 1.10 it is worth 880.00, so the revaluation is +18.00 USD.
    eur = HeldBalance("EUR", ((D("1000.00"), D("1.08")), (D("-200.00"), D("1.09"))))
    r = revalue(eur, D("1.10"), "USD")
    assert (r.open_amount, r.worth, r.carried, r.difference) == (D("800.00"), D("880.00"), D("862.00"), D("18.00"))


def test_a_jpy_corporate_currency_rounds_to_whole_yen_half_even():
    # 1,234.50 USD × 149.5 = 184,557.75 → 184,558; × 150.25 = 185,483.625 → 185,484: +926 JPY.
    r = revalue(HeldBalance("USD", ((D("1234.50"), D("149.5")),)), D("150.25"), "JPY")
    assert (r.worth, r.carried, r.difference) == (D("185484"), D("184558"), D("926"))
    # Ties go to the even yen: 1.00 × 150.5 = 150.5 → 150, 2.00 × 150.25 = 300.5 → 300 (carried 450);
    # 3.00 × 150.5 = 451.5 → 452: +2 JPY.
    r = revalue(HeldBalance("USD", ((D("1.00"), D("150.5")), (D("2.00"), D("150.25")))), D("150.5"), "JPY")
    assert (r.worth, r.carried, r.difference) == (D("452"), D("450"), D("2"))


def test_a_kwd_corporate_currency_rounds_to_three_decimals_half_even_with_earlier_revaluations_carried():
    # 10.00 EUR × 0.33325 = 3.3325 → 3.332 (the even fils); × 0.33335 = 3.3335 → 3.334: +0.002 KWD.
    r = revalue(HeldBalance("EUR", ((D("10.00"), D("0.33325")),)), D("0.33335"), "KWD")
    assert (r.worth, r.carried, r.difference) == (D("3.334"), D("3.332"), D("0.002"))
    # An earlier period added 0.005: carried 3.337, so this period takes 0.003 back.
    r = revalue(HeldBalance("EUR", ((D("10.00"), D("0.33325")),), D("0.005")), D("0.33335"), "KWD")
    assert (r.carried, r.difference) == (D("3.337"), D("-0.003"))


def test_a_period_is_a_month_named_by_its_key_and_last_day():
    assert revaluation_period("2026-11") == (202611, date(2026, 11, 30))
    assert revaluation_period("2028-02") == (202802, date(2028, 2, 29))
    assert revaluation_period("2026-12") == (202612, date(2026, 12, 31))
    for bad in ("", "2026-13", "26-11", "2026-1", "November"):
        with pytest.raises(ValueError, match="Choose a month"):
            revaluation_period(bad)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def test_the_revaluation_appends_a_line_once_per_period_in_order_and_a_missing_rate_refuses_it(session):
    w = make_world(session, holding_days=0)
    set_commission_rule(session, w.admin, w.program_id, {"event": "deal_won", "calc": "percent", "rate": "12",
                                                         "cap_period": ""}, now=T0 - timedelta(days=1))  # fmt: skip
    set_payout_currency(session, w.admin, w.org.id, "EUR")
    add_rate(session, w.admin, "EUR", "2026-01-14", "1.0835", "ECB")
    close_deal(session, w.partner, approved_deal(session, w), won=True, final_amount="10000", now=T0)
    # Lines post now (the real clock): the period is this month, revalued from the first of the next.
    this_month = date.today().replace(day=1)
    period, after = f"{this_month:%Y-%m}", _next_month(this_month)
    end = after - timedelta(days=1)

    with pytest.raises(PermissionDenied):
        revalue_period(session, w.manager, period, today=after)
    with pytest.raises(ValidationError, match="has not ended yet"):
        revalue_period(session, w.admin, period, today=end)
    with pytest.raises(FxRateMissing, match=f"missing FX rate for EUR on {end.isoformat()}"):
        revalue_period(session, w.admin, period, today=after)
    assert session.exec(select(LedgerLine).where(LedgerLine.account == REVALUATION)).all() == []

    add_rate(session, w.admin, "EUR", str(end), "1.10", "ECB")
    run = revalue_period(session, w.admin, period, today=after)
    assert (run.appended, run.already, run.corporate) == (1, 0, "USD")
    line = session.exec(select(LedgerLine).where(LedgerLine.account == REVALUATION)).one()
    # 1,107.52 EUR booked at 1.0835 = 1,199.99792 → 1,200.00 USD; at 1.10 worth 1,218.272 → 1,218.27: +18.27 USD.
    assert (line.amount, line.currency, line.source_amount, line.source_currency) == (
        D("18.27"), "USD", D("1107.52"), "EUR",
    )  # fmt: skip
    assert (line.fx_rate, line.fx_date, line.organization_id, line.payee_id) == (D("1.1"), end, w.org.id, None)
    assert line.reason == f"Period-end FX revaluation {period} (rate: ECB)"
    assert line.explanation.startswith(f"1,107.52 EUR still owed on {end:%d %b %Y}, revalued at 1.1 USD per EUR")
    assert "worth 1,218.27 USD against 1,200.00 USD booked, 18.27 USD more" in line.explanation

    again = revalue_period(session, w.admin, period, today=after)  # a second run (a retry, another manager)
    assert (again.appended, again.already) == (0, 1)
    assert len(session.exec(select(LedgerLine).where(LedgerLine.account == REVALUATION)).all()) == 1
    totals = my_statement(session, w.partner, now=T0).totals  # the partner is owed the same euros
    assert [(t.currency, t.payable) for t in totals] == [("EUR", D("1107.52"))]
    [view] = revaluations(session, w.admin)
    assert (view.period, view.organization, view.difference, view.corporate) == (period, w.org.name, D("18.27"), "USD")

    # The next month starts from the first one's value: 1,218.27 carried; at 1.05 worth 1,162.896 → 1,162.90.
    following = _next_month(after)
    add_rate(session, w.admin, "EUR", str(following - timedelta(days=1)), "1.05", "ECB")
    run = revalue_due(session, following)  # the job runner's month-end run
    assert run.appended == 1
    last = session.exec(select(LedgerLine).where(LedgerLine.account == REVALUATION).order_by(LedgerLine.id)).all()[-1]
    assert (last.amount, last.source_id) == (D("-55.37"), int(f"{after:%Y%m}"))
    with pytest.raises(ValidationError, match="periods are revalued in order"):
        revalue_period(session, w.admin, f"{(this_month - timedelta(days=1)):%Y-%m}", today=after)


def test_the_job_runner_revalues_last_month_early_each_month():
    from prm_app.runtime.jobs import SCHEDULED, revalue_fx_job

    assert revalue_fx_job in SCHEDULED and revalue_fx_job.name == "revalue_fx"


def test_a_balance_paid_off_before_the_period_end_is_trued_up_to_what_its_payment_cost(session):
    from prm_app.incentives import approve_batch, create_batch, mark_batch_paid

    w = make_world(session, holding_days=0, min_payout="0")
    set_commission_rule(session, w.admin, w.program_id, {"event": "deal_won", "calc": "percent", "rate": "12",
                                                         "cap_period": ""}, now=T0 - timedelta(days=1))  # fmt: skip
    set_payout_currency(session, w.admin, w.org.id, "EUR")
    add_rate(session, w.admin, "EUR", "2026-01-14", "1.0835", "ECB")
    close_deal(session, w.partner, approved_deal(session, w), won=True, final_amount="10000", now=T0)
    this_month = date.today().replace(day=1)
    after = _next_month(this_month)
    for day in {date.today(), after - timedelta(days=1)}:  # the payment's day and the month's end
        add_rate(session, w.admin, "EUR", str(day), "1.10", "ECB")
    batch = create_batch(session, w.admin, "EUR", "EUR run", "key-eur-revaluation")
    approve_batch(session, w.admin, batch)
    mark_batch_paid(session, w.admin, batch, "SEPA-9")

    assert revalue_period(session, w.admin, f"{this_month:%Y-%m}", today=after).appended == 1
    line = session.exec(select(LedgerLine).where(LedgerLine.account == REVALUATION)).one()
    # Booked 1,107.52 EUR at 1.0835 = 1,200.00 USD, paid at 1.10 = 1,218.27 USD: nothing is owed any more, and the
    # payment cost 18.27 USD more than booked, which the revaluation states.
    assert (line.source_amount, line.amount, line.currency) == (D("0.00"), D("18.27"), "USD")
    assert "0.00 EUR still owed" in line.explanation and "against -18.27 USD booked" in line.explanation
