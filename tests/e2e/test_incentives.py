"""Incentives in Chromium: the admin makes a Gold accelerator plan (no hold) and puts a 12 % Gold commission in force
→ a Gold partner's deal is won → the partner sees the accrual with its rule in plain words → a payout batch is made,
approved, and "Mark paid" double-clicked pays once; the partner asks for more MDF than its allocation → refused with
what is left; within it → its channel manager approves → the partner claims with an uploaded invoice → the line is
accepted with changes → the amount is in the partner's statement and the next payout batch.

The partner is Ganges Tech Distributors (Gold, APAC, Lars Jensen's book), which no other e2e test uses.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import select

from tests.e2e.conftest import BASE_URL, actor_of, assert_accessible, at, live_goto, log_in, register_as, wait_live

ADMIN = "admin@vendor.example"
MANAGER = "lars.cm@vendor.example"
PARTNER = "arjun.mehta@gangestech.example"
ORG = "Ganges Tech Distributors"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _won_deal(app_db, company: str) -> int:
    from prm_app.deals import approve_deal, close_deal

    deal_id = register_as(app_db, PARTNER, company, f"{company.replace(' ', '').lower()}.com")
    with app_db() as session:
        approve_deal(session, actor_of(session, MANAGER), deal_id)
        close_deal(session, actor_of(session, PARTNER), deal_id, won=True, final_amount="40000")
        session.commit()
    return deal_id


def _context(browser: Browser, email: str) -> Page:
    context = browser.new_context(base_url=BASE_URL, viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    p = live_goto(context.new_page())
    log_in(p, email)
    return p


def earnings_row(browser: Browser, email: str, text: str) -> tuple[Page, Locator]:
    """The Incentives page of a partner person signed in as `email`, and its earnings row that has `text`."""
    partner = _context(browser, email)
    partner.goto("/portal/incentives")
    wait_live(partner)
    earnings = partner.get_by_role("region", name="Earnings by deal and program")
    return partner, earnings.get_by_role("row").filter(has_text=text)


def _payouts_of(app_db, org: str) -> list:
    from prm_app.incentives.models import LedgerLine
    from prm_app.partners import Organization

    with app_db() as session:
        org_id = session.exec(select(Organization.id).where(Organization.name == org)).one()
        return session.exec(
            select(LedgerLine).where(LedgerLine.organization_id == org_id, LedgerLine.kind == "payout")
        ).all()


def _claim_lock(app_db, title: str) -> tuple[str, Decimal]:
    from prm_app.fx import FxLock
    from prm_app.incentives.models import FundClaim, FundRequest

    with app_db() as session:
        claim = session.exec(
            select(FundClaim.id)
            .join(FundRequest, FundRequest.id == FundClaim.request_id)
            .where(FundRequest.title == title)
        ).one()
        lock = session.exec(
            select(FxLock).where(FxLock.subject_kind == "mdf_claim_approved", FxLock.subject_id == claim)
        ).one()
        return lock.corporate_currency, lock.corporate_amount


def _new_batch(page: Page, label: str) -> None:
    page.goto("/incentives/payouts")
    page.get_by_label("Batch name").fill(label)
    page.get_by_role("button", name="Create batch").click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()


def test_commission_to_payout_once_and_mdf_request_to_claim_to_payout(page: Page, browser: Browser, app_db):
    token = uuid.uuid4().hex[:6]
    plan, company = f"Gold accelerator {token}", f"Tata Retail {token} Ltd"

    # The admin makes a plan with no hold and puts a 12 % Gold commission in force.
    log_in(page, ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Incentives").click()
    page.wait_for_url(at("/incentives"))
    wait_live(page)
    expect(page.get_by_role("heading", level=1, name="Incentives")).to_be_visible()
    page.get_by_label("Plan name").fill(plan)
    page.get_by_label("Holding period (days)").fill("0")
    page.get_by_label("Minimum payout").fill("0")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name=plan)).to_be_visible()
    page.get_by_label("Plan", exact=True).select_option(label=plan)
    page.get_by_label("Tier", exact=True).select_option(label="Gold")
    page.get_by_label("Rate (% or amount)").fill("")
    page.get_by_role("button", name="Put rule in force").click()
    expect(page.locator("#field-rate-error")).to_contain_text("Enter a number")  # next to the field, kept open
    page.get_by_label("Rate (% or amount)").fill("12")
    page.get_by_role("button", name="Put rule in force").click()
    expect(page.get_by_text("12 % on a won deal, Gold partners")).to_be_visible()
    assert_accessible(page, phone=True)

    # The Gold partner's deal is won; the partner sees what it earned and why.
    _won_deal(app_db, company)
    partner = _context(browser, PARTNER)
    partner.get_by_role("navigation", name="Main").get_by_role("link", name="Incentives").click()
    partner.wait_for_url(at("/portal/incentives"))
    wait_live(partner)
    earnings = partner.get_by_role("region", name="Earnings by deal and program")
    accelerator = earnings.get_by_role("row").filter(has_text=f"12 % Gold commission on {company}")
    expect(accelerator).to_contain_text("4,800.00 USD")
    expect(accelerator).to_contain_text("in the next payout")
    held = earnings.get_by_role("row").filter(has_text=f"10 % Gold commission on {company}")
    expect(held).to_contain_text("payable from ")  # the demo plan's 30-day hold
    # The demo's slab rebate for Gold partners says what the next band is worth.
    expect(partner.get_by_text("10,000.00 USD more this period unlocks 2 %: +1,000.00 USD")).to_be_visible()
    assert_accessible(partner, phone=True)

    # A payout batch pays it; "Mark paid" clicked twice pays once.
    batch = f"E2E commissions {token}"
    _new_batch(page, batch)
    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=batch))
    expect(card.get_by_role("row").filter(has_text=ORG)).to_contain_text("4,800.00 USD")
    card.get_by_role("button", name="Approve").click()
    card.get_by_label("Payment reference").fill(f"SWIFT-{token}")
    card.get_by_role("button", name="Mark paid").dblclick()
    expect(card.get_by_text(f"Reference SWIFT-{token}")).to_be_visible()
    with page.expect_download() as download:
        card.get_by_role("button", name="Download CSV").click()
    assert f"{ORG},,4800.00,USD,paid,SWIFT-{token}" in download.value.path().read_text()
    assert [line.amount for line in _payouts_of(app_db, ORG)] == [-4800]
    assert_accessible(page)

    # MDF: more than the allocation is refused with what is left; within it, the request goes to the manager.
    partner.reload()
    wait_live(partner)
    title = f"Bengaluru partner day {token}"
    partner.get_by_label("Allocation").select_option(index=1)
    partner.get_by_label("Activity type").select_option(label="Event")
    partner.get_by_label("Activity name").fill(title)
    partner.get_by_label("First day").fill((date.today() + timedelta(days=3)).isoformat())
    partner.get_by_label("Last day").fill((date.today() + timedelta(days=4)).isoformat())
    partner.get_by_label("Expected leads").fill("25")
    partner.get_by_label("Amount requested").fill("30000")
    partner.get_by_role("button", name="Request funds").click()
    expect(partner.locator("#field-requested_amount-error")).to_contain_text(
        "Only 25,000.00 USD of your allocation is left"
    )
    expect(partner.get_by_label("Activity name")).to_have_value(title)  # what was typed is kept
    partner.get_by_label("Amount requested").fill("5000")
    partner.get_by_role("button", name="Request funds").click()
    expect(partner.get_by_role("link", name=title)).to_be_visible()

    manager = _context(browser, MANAGER)
    manager.goto("/incentives")
    manager.get_by_role("link", name=title).click()
    manager.wait_for_url(at(r"/incentives/requests/\d+", regex=True))
    wait_live(manager)
    manager.get_by_role("button", name="Save decision").click()
    expect(manager.get_by_text("Approved: 5,000.00 USD at 100 % reimbursement")).to_be_visible()
    assert_accessible(manager, phone=True)

    # The partner claims with an uploaded invoice.
    partner.get_by_role("link", name=title).click()
    partner.wait_for_url(at(r"/portal/incentives/requests/\d+", regex=True))
    wait_live(partner)
    expect(partner.get_by_text("Claim by")).to_contain_text("or lose 5,000.00 USD")
    partner.locator("#mdf-invoice input[type=file]").set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    partner.get_by_role("button", name="Upload invoice").click()
    expect(partner.get_by_text("Uploaded: invoice.pdf")).to_be_visible()
    partner.get_by_label("What the cost was").fill("Venue and catering")
    partner.get_by_label("Invoice number").fill(f"INV-{token}")
    partner.get_by_label("Amount", exact=True).fill("5000")
    partner.get_by_role("button", name="Add cost").click()
    expect(partner.get_by_role("region", name="Claim lines")).to_contain_text("5,000.00 USD")
    partner.get_by_label("Leads the activity brought").fill("12")
    # An event's claim needs photos and the attendee list besides the invoices: refused, the message by each item.
    partner.get_by_role("button", name="Submit claim").click()
    checklist = partner.get_by_role("region", name="Proof checklist")
    for label in ("Photos of the event", "Attendee list"):
        expect(checklist.get_by_role("row").filter(has_text=label)).to_contain_text(
            f"Upload a file for “{label}” first"
        )
    expect(partner.get_by_label("Leads the activity brought")).to_have_value("12")  # what was typed is kept
    for label, name in (("Photos of the event", "photos.pdf"), ("Attendee list", "attendees.pdf")):
        partner.get_by_label("Which proof").select_option(label=label)
        partner.locator("#mdf-proof input[type=file]").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}
        )
        partner.get_by_role("button", name="Upload proof").click()
        expect(checklist.get_by_role("row").filter(has_text=label)).to_contain_text(f"Download {name}")
    expect(checklist).not_to_contain_text("Upload a file for")
    partner.get_by_role("button", name="Submit claim").click()
    expect(partner.get_by_text("Claim: Under review")).to_be_visible()
    assert_accessible(partner, dark=True, phone=True)

    # The manager accepts the line with changes and closes the review: the ledger pays it in the next batch.
    manager.reload()
    wait_live(manager)
    ticked = manager.get_by_role("region", name="Proof checklist")
    for label, name in (("Photos of the event", "photos.pdf"), ("Attendee list", "attendees.pdf")):
        row = ticked.get_by_role("row").filter(has_text=label)
        expect(row).to_contain_text("Provided")
        expect(row.get_by_role("button", name=f"Download {name}")).to_be_visible()
    manager.get_by_label("Decision", exact=True).select_option(label="Accepted with changes")
    manager.get_by_label("Accepted amount (if changed)").fill("4500")
    manager.get_by_label("Note for the partner").fill("Catering is not eligible")
    manager.get_by_role("button", name="Save decision").click()
    expect(manager.get_by_role("region", name="Claim lines")).to_contain_text("Accepted with changes")
    manager.get_by_role("button", name="Finish review").click()
    expect(manager.get_by_text("Claim: Approved")).to_be_visible()
    assert _claim_lock(app_db, title) == ("USD", Decimal(4500))  # the approval locked its corporate value

    partner.goto("/portal/incentives")
    row = (
        partner.get_by_role("region", name="Earnings by deal and program")
        .get_by_role("row")
        .filter(has_text=f"MDF claim for {title}")
    )
    expect(row).to_contain_text("4,500.00 USD")
    partner.get_by_role("link", name=title).click()
    expect(partner.get_by_role("region", name="Claim lines")).to_contain_text("Catering is not eligible")

    later = f"E2E MDF {token}"
    _new_batch(page, later)
    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=later))
    expect(card.get_by_role("row").filter(has_text=ORG)).to_contain_text("4,500.00 USD")
    for p in (partner, manager):
        p.context.close()
