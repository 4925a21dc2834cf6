"""A multinational customer in Chromium (issue #18): Bluepeak registered "Brand… Group Corporation" on the group's
Japanese site; Cobalt Systems now registers "Brand… Deutschland GmbH" on the German one. The partner gets only the
neutral warning while typing; the channel manager's review shows the conflict with its reasons word for word (the
same brand label on both country sites, the same company name without country/group words)."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, register_as, wait_live

GROUP_PARTNER = "sam.carter@bluepeak.example"  # Bluepeak Resellers, in Maya Chen's book
PARTNER = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, in Maya Chen's book
MANAGER = "maya.cm@vendor.example"


def test_a_country_entity_on_its_own_site_meets_its_groups_registration_in_the_review(page: Page, app_db):
    brand = f"brand{uuid.uuid4().hex[:6]}"
    group_name, local_name = f"{brand.capitalize()} Group Corporation", f"{brand.capitalize()} Deutschland GmbH"
    group_id = register_as(app_db, GROUP_PARTNER, group_name, f"{brand}.co.jp")

    # The partner registers the German entity: the live check warns, naming no one.
    log_in(page, PARTNER, expect_path="/portal")
    page.goto("/deals/new")
    wait_live(page)
    page.get_by_label("Company name").fill(local_name)
    page.get_by_label("Website or email domain").fill(f"https://www.{brand}.de")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Contact name").fill("Jana Vogel")
    page.get_by_label("Contact email").fill(f"jana.vogel@{brand}.de")
    page.get_by_label(re.compile("^ ?Core Platform")).check()
    page.get_by_label("Estimated value").fill("64,000")
    page.get_by_label("Expected close date").fill((date.today() + timedelta(days=60)).isoformat())
    page.get_by_label("Stage").select_option("Proposal")
    expect(page.get_by_text("This customer may already be registered")).to_be_visible()
    expect(page.get_by_text("Bluepeak")).to_have_count(0)
    expect(page.get_by_text(group_name)).to_have_count(0)
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))

    # The channel manager: the queue counts the conflict, the review shows it with its reasons.
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/registrations")
    row = page.locator("tbody tr", has_text=local_name)
    expect(row).to_contain_text("1 possible conflict")
    row.get_by_role("link", name=local_name).click()
    page.wait_for_url(at(f"/registrations/{deal_id}"))
    evidence = page.locator(".rt-Card", has_text=group_name)
    expect(evidence).to_contain_text("Score 100")
    expect(evidence).to_contain_text("Bluepeak")
    expect(evidence.get_by_role("listitem")).to_have_text(
        [
            f"same brand label on {brand}.de and {brand}.co.jp",
            f"same company name '{brand}' without country/group words",
            "1 of 1 products overlap",  # Core Platform on both
            re.compile(r"^registered (less than a day|\d+ days?) earlier by another partner$"),
        ]
    )
    assert group_id != deal_id
    assert_accessible(page)
