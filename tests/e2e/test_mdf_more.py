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
