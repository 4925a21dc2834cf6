"""Commissions on the ledger: a won deal accrues once with its explanation and FX facts; a missing rate holds it
until the rate is added; a refund after payout nets against the next payout; batches never pay twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from sqlmodel import select

from prm_app.deals import close_deal
from prm_app.fx import add_rate
from prm_app.incentives import (
    accrue_deal,
    approve_batch,
    batch_csv,
    create_batch,
    fail_payout,
    mark_batch_paid,
    my_statement,
    reverse_deal_earnings,
    set_commission_rule,
)
from prm_app.incentives.ledger import earnings_balance
from prm_app.incentives.models import HeldEarning, IncentiveProgram, LedgerLine
from prm_app.platform.errors import FormInvalid, PermissionDenied, ValidationError
from tests.incentives.world import T0, approved_deal, make_world

GOLD_12 = {"event": "deal_won", "calc": "percent", "rate": "12", "cap_period": ""}


def _gold_rule(session, w, rate="12", now=None):
    from prm_app.partners import Tier

    gold = session.exec(select(Tier).where(Tier.name == "Gold")).one()
    return set_commission_rule(
        session,
        w.admin,
        w.program_id,
        {**GOLD_12, "rate": rate, "tier_id": str(gold.id)},
        now=now or T0 - timedelta(days=1),
    )


def test_a_won_deal_accrues_once_with_its_rule_in_plain_words(session):
    w = make_world(session)
    _gold_rule(session, w)
    deal_id = approved_deal(session, w)
    close_deal(session, w.partner, deal_id, won=True, final_amount="40000", now=T0)
    assert accrue_deal(session, None, deal_id)[0].amount == D("4800.00")  # the repeat returns the same line
    lines = session.exec(select(LedgerLine).where(LedgerLine.source_id == deal_id)).all()
    assert len(lines) == 1
    line = lines[0]
    assert line.explanation == "12 % Gold commission on ACME Corp"
    assert (line.fx_rate, line.source_currency, line.payable_from) == (D(1), "USD", T0 + timedelta(days=30))
    statement = my_statement(session, w.partner, now=T0)
    assert statement.totals[0].accrued == D("4800.00") and statement.lines[0].status == "accrued"
    assert my_statement(session, w.other_partner).lines == []  # never another partner's money


def test_a_change_of_rule_applies_to_later_events_only(session):
    w = make_world(session)
    _gold_rule(session, w, "10", now=T0 - timedelta(days=10))
    first = approved_deal(session, w, "First Co")
    close_deal(session, w.partner, first, won=True, final_amount="1000", now=T0 - timedelta(days=5))
    _gold_rule(session, w, "20", now=T0 - timedelta(days=2))
    second = approved_deal(session, w, "Second Co")
    close_deal(session, w.partner, second, won=True, final_amount="1000", now=T0)
    amounts = {line.source_id: line.amount for line in session.exec(select(LedgerLine)).all()}
    assert amounts == {first: D("100.00"), second: D("200.00")}


def test_a_missing_fx_rate_holds_the_earning_until_the_rate_exists(session):
    # The deal's own currency has its rate (a win without one is refused: prm_app.fx); the plan's GBP has none yet.
    w = make_world(session)
    session.get(IncentiveProgram, w.program_id).currency = "GBP"
    _gold_rule(session, w)
    add_rate(session, w.admin, "EUR", "2026-01-14", "1.0835", "ECB")
    deal_id = approved_deal(session, w, currency="EUR")
    close_deal(session, w.partner, deal_id, won=True, final_amount="1000", now=T0)  # the deal is won regardless
    held = session.exec(select(HeldEarning)).one()
    assert held.problem == "missing FX rate for GBP on 2026-01-15"
    assert session.exec(select(LedgerLine)).all() == []
    add_rate(session, w.admin, "GBP", "2026-01-14", "1.2650", "BoE")
    line = session.exec(select(LedgerLine)).one()
    assert (line.amount, line.fx_rate, str(line.fx_date), line.source_amount) == (
        D("102.78"),
        D("0.85652174"),
        "2026-01-14",
        D("1000.00"),
    )  # 12 % of 856.52 GBP (1,000 EUR at 1.0835 / 1.2650 USD), half-even
    assert held.resolved_at is not None


def test_a_refund_after_payout_nets_against_the_next_payout_and_paying_twice_pays_once(session):
    w = make_world(session, holding_days=0)
    _gold_rule(session, w)
    deal_id = approved_deal(session, w)
    close_deal(session, w.partner, deal_id, won=True, final_amount="10000", now=T0)
    batch = create_batch(session, w.admin, "USD", "January 2026", "key-jan-2026", now=T0 + timedelta(days=1))
    assert create_batch(session, w.admin, "USD", "January 2026", "key-jan-2026") == batch  # a retried form
    assert approve_batch(session, w.admin, batch) and not approve_batch(session, w.admin, batch)
    assert mark_batch_paid(session, w.admin, batch, "BANK-001")
    assert not mark_batch_paid(session, w.admin, batch, "BANK-001")  # the second click pays nothing
    assert earnings_balance(session, w.org.id, "USD") == D("0.00")
    assert "January 2026,Acme Partners GmbH,,1200.00,USD,paid,BANK-001" in batch_csv(session, w.admin, batch)

    reverse_deal_earnings(session, w.admin, deal_id, "Customer refunded")
    assert earnings_balance(session, w.org.id, "USD") == D("-1200.00")
    with pytest.raises(ValidationError, match="Nothing is payable"):  # a partner owing money is not paid
        create_batch(session, w.admin, "USD", "February 2026", "key-feb-2026", now=T0 + timedelta(days=2))
    later = approved_deal(session, w, "Later Co")
    close_deal(session, w.partner, later, won=True, final_amount="20000", now=T0 + timedelta(days=3))
    feb = create_batch(session, w.admin, "USD", "February 2026", "key-feb-2026b", now=T0 + timedelta(days=4))
    approve_batch(session, w.admin, feb)
    mark_batch_paid(session, w.admin, feb, "BANK-002")
    paid = session.exec(select(LedgerLine).where(LedgerLine.kind == "payout").order_by(LedgerLine.id)).all()
    assert [p.amount for p in paid] == [D("-1200.00"), D("-1200.00")]  # 2,400 earned − 1,200 clawed back


def test_a_failed_payout_returns_its_lines_to_payable(session):
    w = make_world(session, holding_days=0)
    _gold_rule(session, w)
    deal_id = approved_deal(session, w)
    close_deal(session, w.partner, deal_id, won=True, final_amount="1000", now=T0)
    batch = create_batch(session, w.admin, "USD", "Jan", "key-fail-1", now=T0)
    approve_batch(session, w.admin, batch)
    mark_batch_paid(session, w.admin, batch, "BANK-9")
    payout_id = session.exec(sa.text("select id from payout")).scalar_one()
    fail_payout(session, w.admin, payout_id, "Account closed")
    assert earnings_balance(session, w.org.id, "USD") == D("120.00")
    assert my_statement(session, w.partner).totals[0].payable == D("120.00")
    again = create_batch(session, w.admin, "USD", "Jan retry", "key-fail-2", now=T0)
    assert again != batch


def test_ledger_lines_are_append_only_in_the_database(session):
    w = make_world(session)
    _gold_rule(session, w)
    deal_id = approved_deal(session, w)
    close_deal(session, w.partner, deal_id, won=True, final_amount="1000", now=T0)
    session.commit()
    for statement in ("UPDATE ledger_line SET amount = 1", "DELETE FROM ledger_line"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            session.execute(sa.text(statement))
        session.rollback()


def test_only_admins_set_rules_and_bad_input_is_named_by_field(session):
    w = make_world(session)
    with pytest.raises(PermissionDenied):
        set_commission_rule(session, w.partner, w.program_id, GOLD_12)
    with pytest.raises(FormInvalid) as bad:
        set_commission_rule(session, w.admin, w.program_id, {"event": "x", "calc": "percent", "rate": "120"})
    assert set(bad.value.errors) == {"event", "rate"}


def test_the_statement_as_csv_and_pdf_says_what_the_page_says(session):
    import io

    from pypdf import PdfReader

    from prm_app.incentives import my_statement_csv, my_statement_pdf

    w = make_world(session)
    _gold_rule(session, w)
    close_deal(
        session, w.partner, approved_deal(session, w, "=cmd|' /C calc'!A0"), won=True, final_amount="1000", now=T0
    )
    text = my_statement_csv(session, w.partner)
    assert "12 % Gold commission on =cmd" in text and ",120.00,USD," in text  # the formula is inside the text
    pdf = PdfReader(io.BytesIO(my_statement_pdf(session, w.partner)))
    page = pdf.pages[0].extract_text()
    assert "Acme Partners GmbH" in page and "120.00 USD" in page


def test_negative_amounts_in_the_statement_csv_stay_numbers(session):
    """A payout or a reversal is a negative number in finance's spreadsheet, not the text "'-120.00" (only text
    cells need the formula guard)."""
    from prm_app.incentives import my_statement_csv

    w = make_world(session, holding_days=0)
    _gold_rule(session, w)
    deal_id = approved_deal(session, w)
    close_deal(session, w.partner, deal_id, won=True, final_amount="1000", now=T0)
    batch = create_batch(session, w.admin, "USD", "Jan", "key-csv-neg", now=T0)
    approve_batch(session, w.admin, batch)
    mark_batch_paid(session, w.admin, batch, "-BANK-1")
    reverse_deal_earnings(session, w.admin, deal_id, "Refunded")
    rows = my_statement_csv(session, w.partner).splitlines()
    amounts = sorted(row.split(",")[2] for row in rows[1:])
    assert amounts == ["-120.00", "-120.00", "120.00"], rows
    assert "'-BANK-1" in batch_csv(session, w.admin, batch)  # text still guarded


def test_a_rule_by_product_pays_only_deals_naming_the_product_and_replaces_only_its_own_scope(session):
    from prm_app.deals import DealProduct, Product
    from prm_app.incentives.program_queries import programs_overview

    w = make_world(session, holding_days=0)
    _gold_rule(session, w, rate="10")
    suite = Product(sku="SUITE", name="Cloud Suite", list_price=D("100"), currency="USD")
    session.add(suite)
    session.flush()
    with pytest.raises(FormInvalid) as bad:
        set_commission_rule(session, w.admin, w.program_id, {**GOLD_12, "product_id": "999999"})
    assert bad.value.errors == {"product_id": "Choose a product."}
    set_commission_rule(
        session,
        w.admin,
        w.program_id,
        {**GOLD_12, "rate": "15", "product_id": str(suite.id)},
        now=T0 - timedelta(hours=1),
    )
    with_suite, without = approved_deal(session, w, "Suite Buyer"), approved_deal(session, w, "Plain Buyer")
    session.add(DealProduct(deal_id=with_suite, product_id=suite.id))
    for deal_id in (with_suite, without):
        close_deal(session, w.partner, deal_id, won=True, final_amount="1000", now=T0)
    lines = {line.source_id: line for line in session.exec(select(LedgerLine)).all()}
    assert (lines[with_suite].amount, lines[with_suite].explanation) == (
        D("150.00"),
        "15 % commission on Suite Buyer (Cloud Suite)",
    )
    assert (lines[without].amount, lines[without].explanation) == (D("100.00"), "10 % Gold commission on Plain Buyer")
    # The product rule ended nothing of the Gold rule's scope: both stay in force, and the console says which is which.
    overview = programs_overview(session, w.admin)
    words = [r.words for p in overview.programs for r in p.rules if r.effective_to is None]
    assert sorted(words) == [
        "10 % on a won deal, Gold partners",
        "15 % on a won deal, all partners, deals with Cloud Suite",
    ]
    assert (str(suite.id), "Cloud Suite") in overview.products
