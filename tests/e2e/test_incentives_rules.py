"""Commission rules by product in Chromium: the admin puts a rule in force for one product (chosen on the rule form)
→ a partner's deal naming that product is won → the partner sees the accrual with the product in its explanation,
while a deal without the product earns nothing from it. Exchange rates have one way in: the console links to the FX
rates page instead of a form of its own. And a won deal marked lost on its review page recomputes the partner's
rebate for the period: an appended line brings the rebate lines to what the volume left now earns.

The partner is Meridian Integration Group (jonas.weber), whom no other e2e test's deal uses; the product is the Edge
Gateway appliance, which no other e2e registration names, and the plan holds its earnings 30 days, so no other
test's payout batch sees them.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, wait_live
from tests.e2e.test_incentives import _context, earnings_row

ADMIN = "admin@vendor.example"
PARTNER = "jonas.weber@meridian-ig.example"
EDGE = "Edge Gateway appliance"


def _won_deal(app_db, company: str, sku: str, amount: str = "20000") -> int:
    from datetime import timedelta

    from prm_app.deals import DealInput, Product, approve_deal, close_deal, register_deal

    site = f"{company.replace(' ', '').lower()}.com"
    with app_db() as session:
        product = session.exec(select(Product.id).where(Product.sku == sku)).one()
        data = DealInput(
            customer_name=company,
            customer_site=site,
            country="DE",
            contact_name="Art Vandelay",
            contact_email=f"art@{site}",
            product_ids=(product,),
            estimated_value="20000",
            currency="USD",
            expected_close=(date.today() + timedelta(days=45)).isoformat(),
            stage="Proposal",
        )
        deal_id = register_deal(session, actor_of(session, PARTNER), data, submit=True)
        approve_deal(session, actor_of(session, ADMIN), deal_id)
        close_deal(session, actor_of(session, PARTNER), deal_id, won=True, final_amount=amount)
        session.commit()
    return deal_id


def _accruals_of(app_db, plan: str) -> set[int]:
    from prm_app.incentives.models import IncentiveProgram, LedgerLine

    with app_db() as session:
        program = session.exec(select(IncentiveProgram.id).where(IncentiveProgram.name == plan)).one()
        return set(session.exec(select(LedgerLine.source_id).where(LedgerLine.program_id == program)).all())


def _deal_id(app_db, company: str) -> int:
    from prm_app.deals import Deal

    with app_db() as session:
        return session.exec(select(Deal.id).where(Deal.customer_name == company)).one()


def test_a_rule_by_product_is_set_on_the_form_and_pays_only_deals_with_that_product(
    page: Page, browser: Browser, app_db
):
    token = uuid.uuid4().hex[:6]
    plan = f"Edge push {token}"
    log_in(page, ADMIN)
    page.goto("/incentives")
    wait_live(page)

    # Rates are entered in one place: the console links to the FX rates page and has no rate form of its own.
    expect(page.get_by_role("button", name="Add rate")).to_have_count(0)
    page.get_by_role("link", name="Enter exchange rates").click()
    page.wait_for_url(at("/settings/fx-rates"))
    expect(page.get_by_role("heading", level=1, name="FX rates")).to_be_visible()
    page.go_back()
    page.wait_for_url(at("/incentives"))
    wait_live(page)

    page.get_by_label("Plan name").fill(plan)
    page.get_by_label("Minimum payout").fill("0")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name=plan)).to_be_visible()
    page.get_by_label("Plan", exact=True).select_option(label=plan)
    page.get_by_label("Product", exact=True).select_option(label=EDGE)
    page.get_by_label("Rate (% or amount)").fill("7")
    page.get_by_role("button", name="Put rule in force").click()
    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=plan))
    expect(card).to_contain_text(f"7 % on a won deal, all partners, deals with {EDGE}")
    assert_accessible(page, phone=True)

    with_edge, without = f"Hamburg Port {token}", f"Bremen Mills {token}"
    _won_deal(app_db, with_edge, "PRM-EDGE")
    plain = _won_deal(app_db, without, "PRM-ANL")
    partner = _context(browser, PARTNER)
    partner.goto("/portal/incentives")
    wait_live(partner)
    earnings = partner.get_by_role("region", name="Earnings by deal and program")
    row = earnings.get_by_role("row").filter(has_text=f"7 % commission on {with_edge} ({EDGE})")
    expect(row).to_contain_text("1,400.00 USD")
    expect(row).to_contain_text("payable from ")
    expect(earnings.get_by_role("row").filter(has_text=f"({EDGE})")).to_have_count(1)
    assert _accruals_of(app_db, plan) == {_deal_id(app_db, with_edge)}  # the deal without the product earns nothing
    assert plain not in _accruals_of(app_db, plan)
    assert_accessible(partner, phone=True)
    partner.context.close()


def _rebate_lines(app_db) -> list:
    from prm_app.incentives.models import IncentiveProgram, LedgerLine
    from prm_app.incentives.seed import REBATE
    from prm_app.partners import Organization

    with app_db() as session:
        program = session.exec(select(IncentiveProgram.id).where(IncentiveProgram.name == REBATE)).one()
        org = session.exec(select(Organization.id).where(Organization.name == "Meridian Integration Group")).one()
        return session.exec(
            select(LedgerLine).where(LedgerLine.program_id == program, LedgerLine.organization_id == org)
        ).all()


def _in_usd(lines) -> Decimal:
    """The lines' sum in the program's USD (a line paid in a partner's own currency counts at its source amount)."""
    return sum((line.amount if line.currency == "USD" else line.source_amount for line in lines), Decimal(0))


def _fresh_rebate(app_db):
    from prm_app.incentives import my_rebates
    from prm_app.incentives.seed import REBATE

    with app_db() as session:
        return next(r for r in my_rebates(session, actor_of(session, PARTNER), today=date.today()) if r.name == REBATE)


def test_a_won_deal_marked_lost_recomputes_the_period_rebate_by_an_appended_line(page: Page, browser: Browser, app_db):
    token = uuid.uuid4().hex[:6]
    company = f"Kiel Shipyards {token}"
    deal_id = _won_deal(app_db, company, "PRM-ANL", amount="200000")  # the slab rebate's top band: 3 %
    before = _rebate_lines(app_db)
    assert _in_usd(before) == _fresh_rebate(app_db).earned

    log_in(page, ADMIN)
    page.goto(f"/registrations/{deal_id}")
    page.wait_for_url(at(f"/registrations/{deal_id}"))
    wait_live(page)
    page.locator("#field-correction_reason").fill("Customer cancelled the order")
    page.get_by_role("button", name="Mark as lost…").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Mark as won again…")).to_be_visible()

    after = _rebate_lines(app_db)
    fresh = _fresh_rebate(app_db)
    assert [line.id for line in after][: len(before)] == [line.id for line in before]  # nothing rewritten
    [added] = after[len(before) :]
    assert (added.source_id, added.reason, added.amount < 0) == (deal_id, "Customer cancelled the order", True)
    assert _in_usd(after) == fresh.earned  # equal to a fresh computation

    partner, row = earnings_row(browser, PARTNER, f"on {fresh.volume:,.2f} USD won this period")
    expect(row.first).to_contain_text(f"-{-added.amount:,.2f} USD")
    expect(partner.get_by_text(f"Rebate so far: {fresh.earned:,.2f} USD")).to_be_visible()
    assert_accessible(partner, phone=True)
    partner.context.close()
