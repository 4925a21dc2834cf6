"""FX use cases on SQLite and PostgreSQL: a won deal locks the rate of its day, a later rate never moves it (nor
its quarter), a currency without a rate refuses the win, refunds lock at their own day, and admins add rates one
by one or from a CSV, all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from prm_app.deals import Deal, DealStatus, close_deal, correct_to_lost, correct_to_won, record_payment, refund_deal
from prm_app.fx import (
    FxLock,
    FxRateMissing,
    RatesRefused,
    add_rate,
    import_rates,
    locked_deals,
    rates_page,
    revenue_by_quarter,
)
from prm_app.platform.errors import FormInvalid, PermissionDenied
from prm_app.platform.models import ExchangeRate
from tests.incentives.world import World, approved_deal, make_world

WON_AT = datetime(2028, 3, 31, 15, tzinfo=UTC)


def _rates(session: Session, w: World, *lines: str) -> int:
    return import_rates(session, w.admin, "currency,date,rate,source\n" + "\n".join(lines) + "\n")


def _won(session: Session, w: World, currency: str, amount: str = "10000", at: datetime = WON_AT) -> int:
    deal_id = approved_deal(session, w, f"{currency} Customer", currency=currency)
    close_deal(session, w.partner, deal_id, won=True, final_amount=amount, now=at)
    return deal_id


def test_a_eur_deal_won_at_1_08_keeps_its_q1_value_after_the_rate_changes(session):
    w = make_world(session)
    assert _rates(session, w, "EUR,2028-03-29,1.08,ECB") == 1
    deal_id = _won(session, w, "EUR")
    lock = session.exec(select(FxLock)).one()
    assert (lock.subject_kind, lock.subject_id, lock.rate, lock.rate_date, lock.rate_source) == (
        "deal_won", deal_id, D("1.08"), date(2028, 3, 29), "ECB"
    )  # fmt: skip
    assert (lock.amount, lock.corporate_currency, lock.corporate_amount) == (D("10000.00"), "USD", D("10800.00"))

    # A rate dated after the one the win took, still before the win: a live lookup would now say 1.20.
    add_rate(session, w.admin, "EUR", "2028-03-30", "1.20", "ECB")
    add_rate(session, w.admin, "EUR", "2028-04-01", "1.10", "ECB")
    [q1] = revenue_by_quarter(session, w.admin)
    assert (q1.quarter, q1.corporate_currency, q1.won, q1.deals) == ("2028 Q1", "USD", D("10800.00"), 1)
    assert [(u.currency, u.rate, u.rate_date) for u in q1.rates] == [("EUR", D("1.08"), date(2028, 3, 29))]
    [shown] = locked_deals(session, w.admin)
    assert (shown.deal_id, shown.corporate_amount, shown.rate) == (deal_id, D("10800.00"), D("1.08"))


def test_a_currency_without_a_rate_for_the_day_refuses_the_win(session):
    w = make_world(session)
    _rates(session, w, "KWD,2028-03-20,3.25,CBK")  # 11 days before: too old to stand for the day
    deal_id = approved_deal(session, w, currency="KWD")
    with pytest.raises(FxRateMissing, match=r"^missing FX rate for KWD on 2028-03-31$"):
        with session.begin_nested():  # the unit of work of the win, rolled back as the front door does
            close_deal(session, w.partner, deal_id, won=True, final_amount="500", now=WON_AT)
    session.expire_all()
    assert session.get(Deal, deal_id).status == DealStatus.APPROVED
    assert session.exec(select(FxLock)).all() == []


def test_a_win_in_the_corporate_currency_locks_at_1(session):
    w = make_world(session)
    _won(session, w, "USD", "1234.56")
    lock = session.exec(select(FxLock)).one()
    assert (lock.rate, lock.rate_date, lock.corporate_amount) == (D(1), date(2028, 3, 31), D("1234.56"))
    assert locked_deals(session, w.admin) == []  # only other currencies are listed


def test_a_lock_is_written_once_and_a_deal_won_again_keeps_it(session):
    w = make_world(session)
    _rates(session, w, "EUR,2028-03-31,1.08,ECB", "EUR,2028-05-02,1.30,ECB")
    deal_id = _won(session, w, "EUR")
    with pytest.raises(sa.exc.DBAPIError, match="written once"):
        with session.begin_nested():
            session.execute(sa.update(FxLock).values(rate=D("1.30")))
    correct_to_lost(session, w.admin, deal_id, "The customer never signed.")
    assert revenue_by_quarter(session, w.admin) == []  # lost after all: no longer counted
    correct_to_won(session, w.admin, deal_id, "Signed after all.")
    lock = session.exec(select(FxLock)).one()
    assert (lock.rate, lock.corporate_amount) == (D("1.08"), D("10800.00"))
    assert revenue_by_quarter(session, w.admin)[0].won == D("10800.00")


def test_a_refund_locks_the_rate_of_its_own_day(session):
    w = make_world(session)
    _rates(session, w, "EUR,2028-03-31,1.08,ECB", "EUR,2028-04-03,1.10,ECB")
    deal_id = _won(session, w, "EUR")
    record_payment(session, w.admin, deal_id, "10000", "2028-04-02", today=date(2028, 4, 3))
    refund_deal(session, w.admin, deal_id, "1000", "Two seats returned.", now=datetime(2028, 4, 3, 9, tzinfo=UTC))
    refund = session.exec(select(FxLock).where(FxLock.subject_kind == "deal_refunded")).one()
    assert (refund.amount, refund.rate, refund.corporate_amount) == (D("-1000.00"), D("1.10"), D("-1100.00"))
    q2, q1 = revenue_by_quarter(session, w.admin)
    assert (q2.quarter, q2.won, q2.refunded, q2.deals) == ("2028 Q2", D(0), D("-1100.00"), 0)
    assert (q1.quarter, q1.won) == ("2028 Q1", D("10800.00"))


def test_a_rates_file_is_all_or_nothing_and_a_day_s_rate_is_set_once(session):
    w = make_world(session)
    add_rate(session, w.admin, "EUR", "2028-03-31", "1.08", "ECB")
    with pytest.raises(RatesRefused) as refused:
        _rates(session, w, "GBP,2028-03-31,1.27,BoE", "EUR,2028-03-31,1.09,ECB", "JPY,2028-03-31,zero,BoJ")
    assert [(p.row, p.message) for p in refused.value.problems] == [
        (3, "EUR already has 1.08 on 2028-03-31: a day's rate is set once."),
        (4, "Enter USD per unit, a number above 0 with at most 8 decimals."),
    ]
    assert session.exec(select(ExchangeRate.currency)).all() == ["EUR"]  # nothing of the file
    assert _rates(session, w, "GBP,2028-03-31,1.27,BoE", "EUR,2028-03-31,1.08,ECB") == 1  # the same rate again: kept
    view = rates_page(session, w.admin, "GBP")
    assert [(r.currency, r.rate, r.source, r.entered_by != "") for r in view.rates] == [("GBP", D("1.27"), "BoE", True)]
    assert view.currencies == ["EUR", "GBP"]


def test_adding_a_rate_by_hand_says_what_is_wrong_beside_each_field(session):
    w = make_world(session)
    with pytest.raises(FormInvalid) as bad:
        add_rate(session, w.admin, "EUR", "", "1,08x", "")
    assert set(bad.value.errors) == {"on_date", "rate", "source"}
    add_rate(session, w.admin, "EUR", "2028-03-31", "1.08", "ECB")
    with pytest.raises(FormInvalid) as clash:
        add_rate(session, w.admin, "EUR", "2028-03-31", "1.2", "ECB")
    assert clash.value.errors == {"rate": "EUR already has 1.08 on 2028-03-31: a day's rate is set once."}
    assert add_rate(session, w.admin, "EUR", "2028-03-31", "1.080", "ECB") == 0


def test_only_admins_manage_rates_and_read_the_locks(session):
    w = make_world(session)
    for who in (w.partner, w.manager):
        with pytest.raises(PermissionDenied):
            add_rate(session, who, "EUR", "2028-03-31", "1.08", "ECB")
        with pytest.raises(PermissionDenied):
            revenue_by_quarter(session, who)
        with pytest.raises(PermissionDenied):
            import_rates(session, who, "currency,date,rate,source\nEUR,2028-03-31,1.08,ECB\n")


def test_a_rate_added_on_the_fx_page_posts_what_its_absence_held(session):
    from prm_app.incentives.models import CommissionRule, HeldEarning, IncentiveProgram, LedgerLine

    w = make_world(session)
    session.get(IncentiveProgram, w.program_id).currency = "GBP"
    session.add(
        CommissionRule(
            program_id=w.program_id, event="deal_won", credit="", calc="percent", rate=D("10"),
            effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )  # fmt: skip
    _rates(session, w, "EUR,2028-03-31,1.08,ECB")
    _won(session, w, "EUR")
    held = session.exec(select(HeldEarning)).one()
    assert held.resolved_at is None and session.exec(select(LedgerLine)).all() == []
    add_rate(session, w.admin, "GBP", "2028-03-31", "1.35", "BoE")
    assert session.exec(select(LedgerLine.amount)).one() == D("800.00")  # 10 % of 8,000 GBP (10,800 USD / 1.35)
    assert held.resolved_at is not None


def test_a_deal_corrected_to_lost_counts_neither_its_win_nor_its_refunds(session):
    w = make_world(session)
    _rates(session, w, "EUR,2028-03-31,1.08,ECB", "EUR,2028-04-03,1.10,ECB")
    deal_id = _won(session, w, "EUR")
    record_payment(session, w.admin, deal_id, "10000", "2028-04-02", today=date(2028, 4, 3))
    refund_deal(session, w.admin, deal_id, "1000", "Two seats returned.", now=datetime(2028, 4, 3, 9, tzinfo=UTC))
    correct_to_lost(session, w.admin, deal_id, "The customer never signed after all.")
    assert revenue_by_quarter(session, w.admin) == []  # no win, and no refund below zero for a deal that counts nothing


def test_the_corporate_currency_is_an_admins_setting_and_later_wins_lock_into_it(session):
    from prm_app.fx import corporate_currency, rate_between, set_corporate_currency

    w = make_world(session)
    _rates(session, w, "EUR,2028-03-29,1.25,ECB", "GBP,2028-03-30,1.50,BoE")
    before = _won(session, w, "GBP", "1000")
    assert corporate_currency(session) == "USD"
    with pytest.raises(PermissionDenied):
        set_corporate_currency(session, w.manager, "EUR")
    with pytest.raises(FormInvalid) as bad:
        set_corporate_currency(session, w.admin, "EURO")
    assert bad.value.errors == {"corporate_currency": "Choose a currency, like EUR."}
    assert set_corporate_currency(session, w.admin, "eur") and not set_corporate_currency(session, w.admin, "EUR")
    assert corporate_currency(session) == "EUR" and rates_page(session, w.admin).corporate == "EUR"

    # GBP → EUR through the USD quotes: 1.50 / 1.25 = 1.2, dated by the older rate, both sources named.
    assert rate_between(session, "GBP", "EUR", date(2028, 3, 31)).rate == D("1.2")
    gbp, usd = _won(session, w, "GBP", "1000"), _won(session, w, "USD", "1000")
    locks = {lock.subject_id: lock for lock in session.exec(select(FxLock)).all()}
    assert (locks[gbp].corporate_currency, locks[gbp].corporate_amount, locks[gbp].rate) == (
        "EUR",
        D("1200.00"),
        D("1.2"),
    )
    assert (locks[gbp].rate_date, locks[gbp].rate_source) == (date(2028, 3, 29), "BoE / ECB")
    assert (locks[usd].corporate_amount, locks[usd].rate) == (D("800.00"), D("0.8"))
    assert (locks[before].corporate_currency, locks[before].corporate_amount) == ("USD", D("1500.00"))  # kept
    quarters = {(q.quarter, q.corporate_currency): q.won for q in revenue_by_quarter(session, w.admin)}
    assert quarters == {("2028 Q1", "EUR"): D("2000.00"), ("2028 Q1", "USD"): D("1500.00")}


def test_a_corporate_currency_without_a_rate_refuses_the_win_with_its_name(session):
    from prm_app.fx import set_corporate_currency

    w = make_world(session)
    set_corporate_currency(session, w.admin, "CHF")
    deal_id = approved_deal(session, w, currency="USD")
    with pytest.raises(FxRateMissing, match=r"^missing FX rate for CHF on 2028-03-31$"):
        with session.begin_nested():
            close_deal(session, w.partner, deal_id, won=True, final_amount="500", now=WON_AT)


def test_the_backfill_locks_deals_won_before_locks_once_each_and_lists_missing_rates(session):
    from prm_app.deals import DealPayment
    from prm_app.fx import backfill_locks

    w = make_world(session)
    _rates(session, w, "EUR,2028-03-29,1.08,ECB")
    old = []
    for currency in ("EUR", "USD", "KWD"):  # won before rates were locked: no lock, as the upgrade found them
        deal_id = approved_deal(session, w, f"Old {currency}", currency=currency)
        deal = session.get(Deal, deal_id)
        deal.status, deal.final_amount, deal.closed_at = DealStatus.WON, D("1000"), WON_AT
        old.append(deal_id)
    session.add(DealPayment(deal_id=old[0], kind="refund", amount=D("-100"), on_date=date(2028, 3, 31), reason="x"))
    session.flush()
    done = backfill_locks(session)
    assert (done.locked, done.missing) == (3, ["missing FX rate for KWD on 2028-03-31"])
    kinds = {(lock.subject_kind, lock.currency, lock.corporate_amount) for lock in session.exec(select(FxLock)).all()}
    assert kinds == {
        ("deal_won", "EUR", D("1080.00")),
        ("deal_won", "USD", D("1000.00")),
        ("deal_refunded", "EUR", D("-108.00")),
    }
    assert backfill_locks(session).locked == 0  # idempotent
    _rates(session, w, "KWD,2028-03-31,3.25,CBK")
    assert backfill_locks(session) == type(done)(1, [])
