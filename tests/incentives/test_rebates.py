"""Rebates on the ledger: bands with an explicit mode, saved only when contiguous; the accrual follows the volume
as deals are won (the difference is posted); partners outside the audience get nothing; the partner sees what the
next band would add."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import select

from prm_app.deals import close_deal
from prm_app.incentives.models import LedgerLine
from prm_app.incentives.rebates import create_rebate_program, my_rebates
from prm_app.platform.errors import FormInvalid
from tests.incentives.world import T0, approved_deal, make_world

BANDS = "0-100000: 0\n100000-250000: 2\n250000-: 3"


def _program(session, w, mode="slab", bands=BANDS, **audience: str):
    form = {"name": f"Q1 volume rebate {mode}", "currency": "USD", "mode": mode, "bands": bands,
            "period_start": str((T0 - timedelta(days=14)).date()), "period_end": str((T0 + timedelta(days=75)).date()),
            "holding_days": "15", **{k.replace("__", ":"): v for k, v in audience.items()}}  # fmt: skip
    return create_rebate_program(session, w.admin, form)


def test_bands_with_a_gap_do_not_save(session):
    w = make_world(session)
    with pytest.raises(FormInvalid) as refused:
        _program(session, w, bands="0-100000: 0\n150000-: 3")
    assert "leave a gap" in refused.value.errors["bands"]


@pytest.mark.parametrize(
    ("mode", "first", "after"), [("slab", "3000.00", "7800.00"), ("marginal", "1000.00", "3300.00")]
)
def test_the_accrual_follows_the_volume_and_shows_the_next_band(session, mode, first, after):
    w = make_world(session)
    _program(session, w, mode=mode, audience_min_tier="Gold")
    one = approved_deal(session, w, "First Co")
    close_deal(session, w.partner, one, won=True, final_amount="150000", now=T0)
    progress = my_rebates(session, w.partner, today=T0.date())[0]
    assert (progress.volume, progress.earned, progress.needed, progress.next_rate) == (
        D("150000.00"),
        D(first),
        D("100000.00"),
        D(3),
    )
    two = approved_deal(session, w, "Second Co")
    close_deal(session, w.partner, two, won=True, final_amount="110000", now=T0 + timedelta(days=1))
    lines = session.exec(select(LedgerLine).where(LedgerLine.kind == "rebate").order_by(LedgerLine.id)).all()
    assert sum(line.amount for line in lines) == D(after)
    assert lines[0].payable_from.date() == (T0 + timedelta(days=75 + 16)).date()  # after the period and the hold
    assert my_rebates(session, w.partner, today=T0.date())[0].needed is None  # at the top band


def test_a_partner_outside_the_audience_earns_no_rebate(session):
    w = make_world(session)
    _program(session, w, audience_min_tier="Gold", audience_region__APAC="on")
    deal = approved_deal(session, w)
    close_deal(session, w.partner, deal, won=True, final_amount="300000", now=T0)
    assert session.exec(select(LedgerLine).where(LedgerLine.kind == "rebate")).all() == []
    assert my_rebates(session, w.partner, today=T0.date()) == []


def test_corrections_recompute_the_period_by_appended_lines_equal_to_a_fresh_computation(session):
    from prm_app.deals import correct_to_lost, correct_to_won, record_payment, refund_deal
    from prm_app.incentives.models import IncentiveProgram
    from prm_app.incentives.rebate_rules import RebateMode, rebate
    from prm_app.incentives.rebates import _bands, _volume, recompute_after_correction

    w = make_world(session)
    program = session.get(IncentiveProgram, _program(session, w, mode="slab", audience_min_tier="Gold"))
    one, two = approved_deal(session, w, "First Co"), approved_deal(session, w, "Second Co")
    close_deal(session, w.partner, one, won=True, final_amount="150000", now=T0)
    close_deal(session, w.partner, two, won=True, final_amount="110000", now=T0 + timedelta(days=1))

    def lines():
        return session.exec(select(LedgerLine).where(LedgerLine.kind == "rebate").order_by(LedgerLine.id)).all()

    def fresh():
        return rebate(_volume(session, program, w.org.id), _bands(program), RebateMode.SLAB, "USD")

    assert sum(x.amount for x in lines()) == D("7800.00") == fresh()  # 3 % of 260k
    before = [(x.id, x.amount) for x in lines()]

    correct_to_lost(session, w.admin, two, "Customer cancelled")  # 150k left: 2 %
    assert sum(x.amount for x in lines()) == D("3000.00") == fresh()
    assert [(x.id, x.amount) for x in lines()][: len(before)] == before  # appended, nothing changed
    assert (lines()[-1].amount, lines()[-1].reason, lines()[-1].source_id) == (D("-4800.00"), "Customer cancelled", two)
    assert recompute_after_correction(session, None, two, "again") == []  # the event twice: nothing more

    correct_to_won(session, w.admin, two, "Signed after all")
    assert sum(x.amount for x in lines()) == D("7800.00") == fresh()

    record_payment(session, w.admin, one, "150000", T0.date().isoformat())
    refund_deal(session, w.admin, one, "20000", "Two licences returned")  # 240k: back to 2 % slab
    assert sum(x.amount for x in lines()) == D("4800.00") == fresh()
    assert lines()[-1].reason == "Two licences returned"
    assert len(lines()) == 5
