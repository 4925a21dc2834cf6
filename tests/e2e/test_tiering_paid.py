"""Paid revenue as a tier criterion end to end (#16): the channel manager records the customer's payment on a won
deal in the browser, asks "Partner-sourced revenue paid" of Gold, re-evaluates, and the partner's "Why am I
Silver?" shows what was paid with the deal behind it. (The criterion asks at least 0, in a group of its own, so no
partner's eligible tier changes for the later tests.)"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import Page, expect
from sqlmodel import col, select

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live
from tests.e2e.test_deal_corrections import MANAGER, PARTNER, _approved_deal, _win


def _stored_paid(app_db) -> dict:
    from prm_app.partners import Organization
    from prm_app.tiering import TierEvaluation

    with app_db() as session:
        andes = session.exec(select(Organization).where(Organization.name == "Andes Cloud Services")).one()
        values = session.exec(
            select(TierEvaluation.values)
            .where(col(TierEvaluation.organization_id) == andes.id)
            .order_by(col(TierEvaluation.period).desc())
        ).first()
    return json.loads(values or "{}").get("revenue_paid", {})


def test_paid_revenue_is_measured_from_recorded_payments_and_explained(page: Page, app_db):
    deal_id = _approved_deal(app_db, f"Valparaiso Puertos {uuid.uuid4().hex[:6]}")
    _win(app_db, deal_id)

    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/registrations/{deal_id}")
    page.wait_for_url(at(f"/registrations/{deal_id}"))
    wait_live(page)
    page.get_by_label("Amount paid").fill("12,345.67")
    page.get_by_label("Paid on").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record payment").click()
    expect(page.locator("#deal-money-facts")).to_contain_text("Paid: 12,345.67 USD")

    page.goto("/tiers")
    form = page.get_by_role("button", name="Add criterion to Gold").first.locator("xpath=ancestor::form")
    form.get_by_label("New criterion for Gold").select_option(label="Partner-sourced revenue paid")
    form.get_by_label("Threshold").fill("0")
    form.get_by_label("Group (1 = all must hold)").fill("6")
    form.get_by_role("button", name="Add criterion to Gold").click()
    expect(page.get_by_text("Criterion added.").first).to_be_visible()
    expect(page.get_by_text("Gold: Partner-sourced revenue paid (at least 0.00 USD)").first).to_be_attached()
    page.get_by_role("button", name="Re-evaluate Partner program").click()
    expect(page.get_by_text(re.compile(r"partners? evaluated"))).to_be_visible()

    stored = _stored_paid(app_db)
    assert deal_id in stored["sources"] and Decimal(stored["value"]) >= Decimal("12345.67")
    page.get_by_role("button", name="Sign out").click()

    log_in(page, PARTNER, expect_path="/portal")
    page.goto("/portal/tier")
    expect(page.get_by_role("progressbar", name="Partner-sourced revenue paid towards Gold")).to_be_visible()
    page.get_by_role("button", name="Why am I Silver?").click()
    row = page.get_by_role("region", name="Evaluation").get_by_role("row", name=re.compile("revenue paid"))
    expect(row).to_contain_text(f"{Decimal(stored['value']):,.2f} USD")
    expect(row).to_contain_text(f"#{deal_id}")
    assert_accessible(page, dark=True, phone=True)
