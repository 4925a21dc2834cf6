"""Deal corrections, credit and tier benefits in Chromium: the admin makes a plan (its minimum payout typed 0.125 is
stored half-even, 0.12) and puts a 3 % commission for influenced Silver deals in force; the manager sets a Silver
partner's approved deal to influenced, it is won and earns it (the demo plan's rule for either credit too); on the
deal's review page its manager records the customer's payment, refunds a part (too much is refused next to the
field), and marks the won deal lost after all, each confirmed in a dialog naming the consequence; the partner's
statement shows each reversal with its reason; the manager marks it won again by keyboard, and the commission counts
once (less the refund).

The partner is Andes Cloud Services (Silver, Maya Chen's book), whose won deals no other e2e test reads.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, register_as, wait_live
from tests.e2e.test_incentives import _context  # a second person's own browser context, signed in

ADMIN = "admin@vendor.example"
MANAGER = "maya.cm@vendor.example"
PARTNER = "camila.rojas@andescloud.example"


def _approved_deal(app_db, company: str) -> int:
    from prm_app.deals import approve_deal

    deal_id = register_as(app_db, PARTNER, company, f"{company.split()[0].lower()}{uuid.uuid4().hex[:4]}.cl")
    with app_db() as session:
        approve_deal(session, actor_of(session, MANAGER), deal_id)
        session.commit()
    return deal_id


def _win(app_db, deal_id: int) -> None:
    from prm_app.deals import close_deal

    with app_db() as session:
        close_deal(session, actor_of(session, PARTNER), deal_id, won=True, final_amount="50000")
        session.commit()


def _earned(app_db, deal_id: int) -> Decimal:
    from prm_app.incentives.models import IncentiveProgram, LedgerLine

    with app_db() as session:
        rows = session.exec(
            select(LedgerLine.amount)
            .join(IncentiveProgram, IncentiveProgram.id == LedgerLine.program_id)
            .where(LedgerLine.source_type == "deal", LedgerLine.source_id == deal_id)
            .where(IncentiveProgram.kind == "commission")
        ).all()
        return sum(rows, Decimal(0))


def test_credit_rule_then_payment_refund_lost_and_won_again_on_the_statement(page: Page, browser: Browser, app_db):
    token = uuid.uuid4().hex[:6]
    plan, company = f"Influence bonus {token}", f"Quilicura Minera {token}"

    # The admin puts a 3 % commission on influenced Silver deals in force.
    log_in(page, ADMIN)
    page.goto("/incentives")
    wait_live(page)
    page.get_by_label("Plan name").fill(plan)
    page.get_by_label("Holding period (days)").fill("0")
    page.get_by_label("Minimum payout").fill("0.125")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name=plan)).to_be_visible()
    expect(page.get_by_text("minimum payout 0.12 USD")).to_be_visible()  # half-even to the cent, not 0.13
    page.get_by_label("Plan", exact=True).select_option(label=plan)
    page.get_by_label("Tier", exact=True).select_option(label="Silver")
    page.get_by_label("Partner credit").select_option(label="Influenced deals")
    page.get_by_label("Rate (% or amount)").fill("3")
    page.get_by_role("button", name="Put rule in force").click()
    expect(page.get_by_text("3 % on a won deal, Silver partners, influenced deals only")).to_be_visible()

    # The manager sets the partner's credit on an approved deal to influenced; then the deal is won.
    deal_id = _approved_deal(app_db, company)
    page = _context(browser, MANAGER)
    page.goto(f"/registrations/{deal_id}")
    page.wait_for_url(at(f"/registrations/{deal_id}"))
    wait_live(page)
    facts = page.locator("#deal-money-facts")
    expect(facts).to_contain_text("Credit: Sourced")  # the registration's default
    page.get_by_label("Credit", exact=True).select_option(label="Influenced")
    page.get_by_role("button", name="Save credit").click()
    expect(facts).to_contain_text("Credit: Influenced")
    _win(app_db, deal_id)
    assert _earned(app_db, deal_id) == Decimal("5500.00")  # 3 % influenced + the demo plan's 8 % Silver

    # The manager records the payment, then refunds a part; too much is refused next to the field.
    page.reload()
    wait_live(page)
    page.get_by_label("Amount paid").fill("50,000")
    page.get_by_label("Paid on").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record payment").click()
    expect(facts).to_contain_text("Paid: 50,000.00 USD")

    page.get_by_label("Amount refunded").fill("60000")
    page.get_by_role("button", name="Refund…").click()
    expect(page.locator("#field-refund_reason-error")).to_contain_text("Say why")
    page.get_by_label("Reason (shown to the partner)").first.fill("Three seats returned")
    page.get_by_role("button", name="Refund…").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("reduced by the same share")
    dialog.get_by_role("button", name="Confirm").click()
    expect(page.locator("#field-refund_amount-error")).to_contain_text("a refund is at most that")
    expect(page.get_by_label("Amount refunded")).to_have_value("60000")  # what was typed is kept
    page.get_by_label("Amount refunded").fill("12500")
    page.get_by_role("button", name="Refund…").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirm").click()
    expect(facts).to_contain_text("Refunded: 12,500.00 USD")
    expect(facts).to_contain_text("Paid: 37,500.00 USD")
    assert _earned(app_db, deal_id) == Decimal("4125.00")  # 75 % of 5,500

    # Lost after all: the dialog says what happens to the commission.
    page.locator("#field-correction_reason").fill("Customer cancelled the contract")
    page.get_by_role("button", name="Mark as lost…").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("every commission on it is reversed")
    dialog.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Mark as won again…")).to_be_visible()
    assert _earned(app_db, deal_id) == Decimal("0.00")
    assert_accessible(page, dark=True, phone=True)

    # The partner's statement shows each reversal with its reason.
    partner = _context(browser, PARTNER)
    partner.goto("/portal/incentives")
    wait_live(partner)
    earnings = partner.get_by_role("region", name="Earnings by deal and program")
    influenced = earnings.get_by_role("row").filter(has_text=f"3 % Silver influenced-deal commission on {company}")
    expect(influenced.filter(has_text="Reason: Customer cancelled the contract")).to_contain_text("-1,125.00 USD")
    expect(influenced.filter(has_text="Reason: Three seats returned")).to_contain_text("-375.00 USD")
    assert_accessible(partner, dark=True, phone=True)
    partner.context.close()

    # Won after all, by keyboard: it counts once, less the refunded share.
    reason = page.locator("#field-correction_reason")
    reason.fill("Signed after all")
    reason.press("Tab")
    expect(page.get_by_role("button", name="Mark as won again…")).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Confirm")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Mark as lost…")).to_be_visible()
    assert _earned(app_db, deal_id) == Decimal("4125.00")
    page.context.close()


def test_a_gold_partners_approval_takes_its_tiers_protection_days_and_discount(page: Page, app_db):
    """The demo's Gold tier gives 120 protection days and a 20 % discount (tiering's seed): the review form starts
    at 120 days, and the approved deal shows the discount, for the manager and for the partner."""
    from tests.e2e.conftest import register_as

    company = f"Ganymede Foods {uuid.uuid4().hex[:6]}"
    deal_id = register_as(app_db, "arjun.mehta@gangestech.example", company, f"ganymede{uuid.uuid4().hex[:4]}.com")
    log_in(page, "lars.cm@vendor.example")  # Ganges Tech Distributors (Gold) is in Lars's book
    page.goto(f"/registrations/{deal_id}")
    page.wait_for_url(at(f"/registrations/{deal_id}"))
    wait_live(page)
    expect(page.get_by_label("Protection (days)")).to_have_value("120")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Protected for 120 days.")).to_be_visible()
    expect(page.get_by_text("Tier discount")).to_be_visible()
    expect(page.get_by_text("20 %", exact=True)).to_be_visible()
    assert_accessible(page, dark=True, phone=True)
