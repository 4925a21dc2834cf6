"""MDF in Chromium beyond the request-to-payout chain (test_incentives.py): the admin allocates a new budget by tier
share (each partner's tier MDF share of the budget suggested, edited, refused past the budget with what is free,
then allocated), and the partner reports an activity's results and links its own deals to it, the ROI shown to it
and to the managers.

The budget here ends in the past, so it sorts after every seeded budget in the partners' allocation lists.
"""

from __future__ import annotations

import uuid
from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import col, select

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live

ADMIN = "admin@vendor.example"


def _signed_in(browser, email: str) -> Page:
    """A second person's own browser context, signed in."""
    from tests.e2e.conftest import BASE_URL, live_goto

    context = browser.new_context(base_url=BASE_URL, viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    p = live_goto(context.new_page())
    log_in(p, email)
    return p


def _partners_with_share(app_db) -> dict[str, str]:
    """Partner name -> its tier's MDF share, as the tiering area supplies it (partners.benefit_number)."""
    import prm_app.areas  # noqa: F401  # the tiering benefit reader, as the app registers it
    from prm_app.partners import Organization, benefit_number

    with app_db() as session:
        out = {}
        for org in session.exec(select(Organization).order_by(col(Organization.name))).all():
            share = benefit_number(session, org.id, "mdf_share", date.today())
            if share is not None and share > 0:
                out[org.name] = f"{share.normalize():f}"
        return out


def test_a_budget_is_allocated_by_tier_share_and_never_past_it(page: Page, app_db):
    token = uuid.uuid4().hex[:6]
    name = f"E2E tier share {token}"
    shares = _partners_with_share(app_db)
    platinum = next(n for n, s in shares.items() if s == "10")
    gold = next(n for n, s in shares.items() if s == "5")

    log_in(page, ADMIN)
    page.goto("/incentives/funds")
    page.wait_for_url(at("/incentives/funds"))
    wait_live(page)
    new = page.get_by_role("form", name="New budget")
    new.get_by_label("Name").fill(name)
    new.get_by_label("First day").fill("2025-01-01")
    new.get_by_label("Last day").fill("2025-03-31")
    new.get_by_label("Amount").fill("100000")
    new.get_by_role("button", name="Create budget").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()

    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name="Allocate by tier share"))
    card.get_by_label("Budget").select_option(label=name)
    expect(card.get_by_role("status")).to_contain_text("100,000.00 USD budget, 100,000.00 USD not yet allocated")
    sheet = card.get_by_role("region", name="Suggested allocations")
    expect(sheet.get_by_role("row").filter(has_text=platinum)).to_contain_text("10 %")
    expect(card.get_by_label(f"Amount for {platinum}")).to_have_value("10000.00")
    expect(card.get_by_label(f"Amount for {gold}")).to_have_value("5000.00")
    assert sheet.get_by_role("row").count() == len(shares) + 1  # a row per partner with a share, and the header

    for box in card.get_by_role("textbox").all():  # clear: those partners are skipped
        box.fill("")
    card.get_by_label(f"Amount for {platinum}").fill("60000")
    card.get_by_label(f"Amount for {gold}").fill("50000")
    card.get_by_role("button", name="Allocate these amounts").click()
    expect(card.get_by_text("Together these amounts pass the budget: allocate 100,000.00 USD or less.")).to_be_visible()
    expect(card.get_by_label(f"Amount for {platinum}")).to_have_value("60000")  # what was typed is kept
    assert_accessible(page, dark=True, phone=True)

    card.get_by_label(f"Amount for {gold}").fill("15000")
    card.get_by_role("button", name="Allocate these amounts").click()
    expect(page.get_by_text("Allocated to 2 partners.")).to_be_visible()
    budget = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=name))
    expect(budget).to_contain_text("75,000.00 USD allocated, 25,000.00 USD free")
    expect(budget.get_by_role("row").filter(has_text=platinum)).to_contain_text("60,000.00 USD")
    expect(budget.get_by_role("row").filter(has_text=gold)).to_contain_text("15,000.00 USD")
    expect(card.get_by_role("status")).to_contain_text("25,000.00 USD not yet allocated")

    # A double click on the sheet allocates once: the second submit replays the first one's key.
    for box in card.get_by_role("textbox").all():
        box.fill("")
    card.get_by_label(f"Amount for {platinum}").fill("10000")
    card.get_by_role("button", name="Allocate these amounts").dblclick()
    expect(page.get_by_text("Allocated to 1 partner.").first).to_be_visible()
    expect(budget).to_contain_text("85,000.00 USD allocated, 15,000.00 USD free")
    page.reload()
    wait_live(page)
    budget = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=name))
    expect(budget).to_contain_text("85,000.00 USD allocated, 15,000.00 USD free")
    expect(budget.get_by_role("row").filter(has_text=platinum)).to_contain_text("70,000.00 USD")

    # So does the form allocating to one partner by hand.
    by_hand = page.get_by_role("form", name="Allocate", exact=True)
    by_hand.get_by_label("Budget", exact=True).select_option(label=name)
    by_hand.get_by_label("Partner").select_option(label=gold)
    by_hand.get_by_label("Amount", exact=True).fill("5000")
    by_hand.get_by_role("button", name="Allocate").dblclick()
    expect(budget).to_contain_text("90,000.00 USD allocated, 10,000.00 USD free")
    page.reload()
    wait_live(page)
    budget = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=name))
    expect(budget).to_contain_text("90,000.00 USD allocated, 10,000.00 USD free")


KOALA_ADMIN = "mia.wilson@koala-aff.example"  # Koala Affiliates, Lars Jensen's book; no other e2e test uses it
MANAGER = "lars.cm@vendor.example"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _reimbursed_request(app_db, token: str) -> int:
    """A Koala training approved at 50 % of 10,000, its claim (12,000) approved: 5,000 reimbursed. Written by the
    use cases, as the pages would (the claim's own pages are test_incentives.py's)."""
    from datetime import timedelta

    from prm_app.incentives import (
        PROOFS,
        add_claim_line,
        allocate,
        create_budget,
        decide_claim_line,
        decide_fund_request,
        finish_claim_review,
        request_for_review,
        submit_claim,
        submit_fund_request,
    )
    from prm_app.incentives.mdf_proofs import add_proof
    from prm_app.partners import Organization
    from tests.e2e.conftest import actor_of

    today = date.today()
    PROOFS.folder.mkdir(parents=True, exist_ok=True)
    keys = [uuid.uuid4().hex for _ in range(2)]
    for key in keys:
        (PROOFS.folder / key).write_bytes(PDF)
    with app_db() as session:
        admin, partner, manager = (actor_of(session, e) for e in (ADMIN, KOALA_ADMIN, MANAGER))
        org = session.exec(select(Organization.id).where(Organization.name == "Koala Affiliates")).one()
        budget = create_budget(session, admin, f"E2E ROI {token}", "2025-04-01", "2025-06-30", "USD", "50000")
        allocation = allocate(session, admin, budget, org, "20000")
        form = {
            "activity_type": "training", "title": f"Koala bootcamp {token}",
            "starts_on": str(today - timedelta(days=10)), "ends_on": str(today - timedelta(days=5)),
            "expected_leads": "10", "requested_amount": "10000", "partner_contribution": "0",
        }  # fmt: skip
        request_id = submit_fund_request(session, partner, allocation, form)
        decide_fund_request(session, manager, request_id, "approve", reimbursement_pct="50")
        line = {"description": "Trainer", "invoice_number": f"KOALA-{token}", "amount": "12000"}
        line_id = add_claim_line(session, partner, request_id, line, keys[0], "application/pdf", "invoice.pdf")
        add_proof(session, partner, request_id, "attendance", keys[1], "application/pdf", "attendance.pdf")
        submit_claim(session, partner, request_id, "8")
        decide_claim_line(session, manager, line_id, "accepted")
        finish_claim_review(session, manager, request_for_review(session, manager, request_id).claim_id)
        session.commit()
    return request_id


def test_the_partner_reports_results_and_links_its_won_deal_and_everyone_sees_the_roi(page: Page, app_db, browser):
    from prm_app.deals import approve_deal, close_deal
    from tests.e2e.conftest import actor_of, register_as

    token = uuid.uuid4().hex[:6]
    request_id = _reimbursed_request(app_db, token)
    company = f"Brisbane Freight {token}"
    deal_id = register_as(app_db, KOALA_ADMIN, company, f"brisfreight{token}.com")
    with app_db() as session:
        approve_deal(session, actor_of(session, MANAGER), deal_id)
        close_deal(session, actor_of(session, KOALA_ADMIN), deal_id, won=True, final_amount="40000")
        session.commit()

    log_in(page, KOALA_ADMIN)
    page.goto(f"/portal/incentives/requests/{request_id}")
    wait_live(page)
    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name="Results and return"))
    facts = card.get_by_role("group", name="Return on the funds")
    expect(facts).to_contain_text("5,000.00 USD")  # reimbursed
    expect(facts).to_contain_text("625.00 USD")  # per lead the claim counted (8)
    card.get_by_label("Deal that came from this activity").select_option(label=f"{company} (won)")
    card.get_by_role("button", name="Link deal").click()
    expect(card.get_by_role("region", name="Linked deals")).to_contain_text(company)
    expect(facts).to_contain_text("8.00×")  # 40,000 won / 5,000 reimbursed
    expect(facts).to_contain_text("40,000.00 USD")

    card.get_by_label("Leads", exact=True).fill("twenty")
    card.get_by_label("Opportunities").fill("3")
    card.get_by_label("Pipeline").fill("60000")
    card.get_by_label("Won revenue").fill("40000")
    card.get_by_role("button", name="Save results").click()
    expect(page.locator("#field-leads-error")).to_contain_text("Enter a whole number.")
    expect(card.get_by_label("Pipeline")).to_have_value("60000")  # what was typed is kept
    card.get_by_label("Leads", exact=True).fill("20")
    card.get_by_role("button", name="Save results").click()
    expect(facts).to_contain_text("250.00 USD")  # 5,000 / 20 leads
    expect(facts).to_contain_text("60,000.00 USD")
    assert_accessible(page, dark=True, phone=True)

    m = _signed_in(browser, MANAGER)
    m.goto(f"/incentives/requests/{request_id}")
    wait_live(m)
    seen = m.get_by_role("group", name="Return on the funds")
    expect(seen).to_contain_text("8.00×")
    expect(seen).to_contain_text("250.00 USD")
    expect(m.get_by_role("region", name="Linked deals")).to_contain_text(company)
    assert_accessible(m, dark=True, phone=True)
    m.context.close()

    page.context.clear_cookies()
    log_in(page, ADMIN)
    page.goto("/incentives/funds")
    wait_live(page)
    returns = page.get_by_role("region", name=f"Return on funds: E2E ROI {token}")
    expect(returns.get_by_role("row").filter(has_text="Koala Affiliates")).to_contain_text("8.00×")
    expect(returns.get_by_role("row").filter(has_text="All partners")).to_contain_text("250.00 USD")


REP = "diego.soto@andescloud.example"  # a partner user (a rep) of Andes Cloud Services, Maya Okafor's book
REP_MANAGER = "maya.cm@vendor.example"


def _spiff_lines(app_db, deal_id: int) -> list:
    from prm_app.incentives.models import LedgerLine, PayoutItem

    with app_db() as session:
        lines = session.exec(
            select(LedgerLine).where(LedgerLine.kind == "spiff", LedgerLine.source_id == deal_id)
        ).all()
        return [(line.amount, session.exec(select(PayoutItem).where(PayoutItem.line_id == line.id)).first() is not None)
                for line in lines]  # fmt: skip


def test_a_rep_claims_a_spiff_with_evidence_and_the_approved_bonus_is_paid_once(page: Page, app_db, browser):
    from datetime import timedelta
    from decimal import Decimal

    from tests.e2e.conftest import register_as

    token = uuid.uuid4().hex[:6]
    spiff = f"Evidence SPIFF {token}"
    log_in(page, ADMIN)
    page.goto("/incentives/rebates")
    wait_live(page)
    form = page.get_by_role("form", name="New SPIFF")
    form.get_by_label("SPIFF name").fill(spiff)
    form.get_by_label("Bonus per registered deal").fill("300")
    form.get_by_label("Time zone").fill("UTC")
    form.get_by_label("Window's first day").fill((date.today() - timedelta(days=1)).isoformat())
    form.get_by_label("Window's last day").fill((date.today() + timedelta(days=10)).isoformat())
    form.get_by_label("Paid on the rep's claim with evidence").check()
    form.get_by_role("button", name="Create SPIFF").click()
    expect(page.get_by_text(spiff).first).to_be_visible()

    company = f"Valparaiso Ports {token}"
    deal_id = register_as(app_db, REP, company, f"valpo{token}.cl")
    assert _spiff_lines(app_db, deal_id) == []  # nothing on registration: this SPIFF is paid on a claim

    r = _signed_in(browser, REP)
    r.goto("/portal/incentives/spiffs")
    wait_live(r)
    r.get_by_label("SPIFF", exact=True).select_option(label=f"{spiff} (300.00 USD a deal)")
    r.get_by_label("Deal you registered").select_option(label=company)
    r.get_by_role("button", name="Claim SPIFF").click()
    expect(r.locator("#field-evidence-error")).to_contain_text("Upload the evidence first.")
    r.locator("#spiff-evidence input[type=file]").set_input_files(
        {"name": "signed-order.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    r.get_by_role("button", name="Upload evidence").click()
    expect(r.get_by_text("Uploaded: signed-order.pdf")).to_be_visible()
    r.get_by_label("Deal you registered").select_option(label=company)
    r.get_by_role("button", name="Claim SPIFF").click()
    mine = r.get_by_role("region", name="SPIFF claims").get_by_role("row").filter(has_text=company)
    expect(mine).to_contain_text("Waiting for review")
    assert_accessible(r, dark=True, phone=True)

    m = _signed_in(browser, REP_MANAGER)
    m.goto("/incentives/spiffs")
    wait_live(m)
    row = m.get_by_role("region", name="SPIFF claims").get_by_role("row").filter(has_text=company)
    expect(row.get_by_role("button", name="Download signed-order.pdf")).to_be_visible()
    row.get_by_label("Decision").select_option(label="Reject")
    row.get_by_role("button", name="Save decision").click()
    expect(row).to_contain_text("Tell the rep why.")
    assert_accessible(m, dark=True, phone=True)
    row.get_by_label("Decision").select_option(label="Approve")
    row.get_by_role("button", name="Save decision").click()
    expect(row).to_contain_text("Approved")
    assert _spiff_lines(app_db, deal_id) == [(Decimal("300.000"), False)]

    r.reload()
    wait_live(r)
    expect(mine).to_contain_text("Approved")
    r.context.close()
    m.context.close()

    # Paid through the normal payout, to the rep's payee profile.
    page.goto("/incentives/payouts")
    wait_live(page)
    batch = f"E2E SPIFF {token}"
    page.get_by_label("Batch name").fill(batch)
    page.get_by_role("button", name="Create batch").click()
    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=batch))
    expect(card.get_by_role("row").filter(has_text="Andes Cloud Services: Diego Soto")).to_be_visible()
    assert _spiff_lines(app_db, deal_id) == [(Decimal("300.000"), True)]
