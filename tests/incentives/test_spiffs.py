"""SPIFFs: a registration on the window's last minute in the program's zone qualifies, a minute later does not;
the bonus goes to the rep's payee profile, capped per rep, and is paid to the rep even after they leave."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from sqlmodel import select

from prm_app.deals import DealStatus
from prm_app.identity import User
from prm_app.incentives import approve_batch, create_batch, mark_batch_paid
from prm_app.incentives.models import LedgerLine, PayeeProfile, Payout
from prm_app.incentives.rules import in_window
from prm_app.incentives.spiffs import accrue_spiffs, create_spiff
from tests.factories import make_org
from tests.incentives.world import approved_deal, make_world

NY = ZoneInfo("America/New_York")


def test_the_window_is_whole_days_in_the_programs_zone():
    last_minute = datetime(2026, 3, 31, 23, 59, tzinfo=NY)  # 03:59 UTC on 1 Apr
    assert in_window(last_minute, date(2026, 1, 1), date(2026, 3, 31), NY)
    assert not in_window(datetime(2026, 4, 1, 0, 0, tzinfo=NY), date(2026, 1, 1), date(2026, 3, 31), NY)
    assert not in_window(datetime(2026, 1, 1, 4, 59, tzinfo=UTC), date(2026, 1, 1), date(2026, 3, 31), NY)


def _q1_spiff(session, w, cap: str) -> None:
    """A USD 250 SPIFF for registrations in Q1 2026 in New York's days, `cap` per rep."""
    create_spiff(
        session,
        w.admin,
        {
            "spiff_name": "Q1 registration SPIFF",
            "spiff_currency": "USD",
            "time_zone": "America/New_York",
            "window_start": "2026-01-01",
            "window_end": "2026-03-31",
            "bonus": "250",
            "cap": cap,
        },
    )


def _registered(session, w, customer, at):
    from prm_app.deals import Deal

    deal_id = approved_deal(session, w, customer)
    deal = session.get(Deal, deal_id)
    deal.status, deal.submitted_at = DealStatus.SUBMITTED, at
    session.add(deal)
    session.flush()
    return deal_id


def test_the_bonus_goes_to_the_rep_capped_and_is_paid_after_they_leave(session):
    w = make_world(session, holding_days=0)
    _q1_spiff(session, w, cap="2")
    inside = datetime(2026, 3, 31, 23, 59, tzinfo=NY).astimezone(UTC)
    for n in range(3):
        accrue_spiffs(session, None, _registered(session, w, f"Customer {n}", inside))
    accrue_spiffs(session, None, _registered(session, w, "Too late", datetime(2026, 4, 1, 0, 0, tzinfo=NY)))
    lines = session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).all()
    assert [line.amount for line in lines] == [D("250.00"), D("250.00")]  # capped at two per rep
    payee = session.exec(select(PayeeProfile)).one()
    assert {line.payee_id for line in lines} == {payee.id} and payee.user_id == w.partner.user_id

    rep = session.get(User, w.partner.user_id)
    rep.is_active = False  # the rep leaves the partner
    session.add(rep)
    batch = create_batch(session, w.admin, "USD", "April", "key-spiff-1", now=datetime(2026, 4, 2, tzinfo=UTC))
    approve_batch(session, w.admin, batch)
    mark_batch_paid(session, w.admin, batch, "ACH-7")
    payout = session.exec(select(Payout)).one()
    assert (payout.payee_id, payout.amount, payout.status) == (payee.id, D("500.000"), "paid")


def test_a_deal_a_distributor_registered_for_its_reseller_earns_no_rep_a_spiff(session):
    from prm_app.deals import Deal

    w = make_world(session, holding_days=0)
    _q1_spiff(session, w, cap="5")
    inside = datetime(2026, 3, 15, 12, 0, tzinfo=NY).astimezone(UTC)
    own, for_it = _registered(session, w, "Own Co", inside), _registered(session, w, "Behalf Co", inside)
    deal = session.get(Deal, for_it)
    deal.registered_by_org_id = make_org(session, name="Its Distributor").id  # its distributor registered it
    session.add(deal)
    session.flush()
    assert accrue_spiffs(session, None, for_it) == []
    assert len(accrue_spiffs(session, None, own)) == 1


def test_a_spiff_is_paid_in_the_partners_payout_currency_at_the_rate_of_the_registrations_day(session):
    from prm_app.fx import add_rate
    from prm_app.incentives.models import HeldEarning
    from prm_app.incentives.payout_currency import set_payout_currency

    w = make_world(session, holding_days=0)
    _q1_spiff(session, w, cap="5")
    set_payout_currency(session, w.admin, w.org.id, "EUR")
    add_rate(session, w.admin, "EUR", "2026-03-13", "1.0835", "ECB")  # two days before: the rate of the day
    inside = datetime(2026, 3, 15, 12, 0, tzinfo=NY).astimezone(UTC)
    [line] = accrue_spiffs(session, None, _registered(session, w, "Euro Co", inside))
    # 250 USD at 1 / 1.0835 EUR per USD (0.92293493) = 230.7337… → 230.73 EUR, half-even to the cent.
    assert (line.amount, line.currency, line.source_amount, line.source_currency) == (
        D("230.73"), "EUR", D("250.00"), "USD",
    )  # fmt: skip
    assert (line.fx_rate, line.fx_date) == (D("0.92293493"), date(2026, 3, 13))
    batch = create_batch(session, w.admin, "EUR", "March EUR", "key-spiff-eur", now=datetime(2026, 4, 2, tzinfo=UTC))
    payout = session.exec(select(Payout).where(Payout.batch_id == batch)).one()
    assert (payout.amount, payout.currency, payout.payee_id) == (D("230.73"), "EUR", line.payee_id)

    # Paid in KWD, which has no rate: the registration's SPIFF is held with the fx area's words, then posts (3
    # decimals, half-even) when the rate is added.
    set_payout_currency(session, w.admin, w.org.id, "KWD")
    deal_id = _registered(session, w, "Kuwait Co", inside)
    assert accrue_spiffs(session, None, deal_id) == []
    held = session.exec(select(HeldEarning).where(HeldEarning.source_type == "deal_registered")).one()
    assert (held.source_id, held.problem) == (deal_id, "missing FX rate for KWD on 2026-03-15")
    add_rate(session, w.admin, "KWD", "2026-03-15", "3.2550", "CBK")  # the held SPIFF posts (fx reacts)
    line = session.exec(select(LedgerLine).where(LedgerLine.source_id == deal_id, LedgerLine.kind == "spiff")).one()
    # 250 / 3.2550 = 76.80491551… KWD per the rate 0.30721966 → 250 × 0.30721966 = 76.804915 → 76.805 KWD.
    assert (line.amount, line.currency, line.fx_rate) == (D("76.805"), "KWD", D("0.30721966"))
    assert held.resolved_at is not None
