"""Scorecards: a partner sees its own, a manager sees its partners', nobody sees another partner's by URL."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in

MANAGER = "maya.cm@vendor.example"
PARTNER = "dana.price@northwind-dist.example"


def _partner_href(page: Page, name: str) -> str:
    page.goto("/partners")
    page.get_by_label("Search partners").fill(name.split()[0])
    row = page.locator("tbody tr", has_text=name)
    expect(row).to_have_count(1)
    return row.get_by_role("link").get_attribute("href")


def test_scorecards_are_scoped(page: Page, mobile_page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    meridian = _partner_href(page, "Meridian Integration Group")
    northwind = _partner_href(page, "Northwind Distribution")
    page.goto(northwind)
    page.get_by_role("link", name="Scorecard").click()
    page.wait_for_url(at(r"/partners/\d+/scorecard", regex=True))
    expect(page.get_by_role("heading", name="Northwind Distribution")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Deal registrations")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))

    log_in(page, PARTNER, expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scorecard").click()
    page.wait_for_url(at("/scorecard"))
    expect(page.get_by_role("heading", name="Northwind Distribution")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Portal logins")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Program median")).to_be_visible()
    page.get_by_label("Period").select_option("365")
    expect(page.get_by_role("rowheader", name="Portal logins")).to_be_visible()
    assert_accessible(page)
    page.goto(meridian + "/scorecard")
    expect(page.get_by_text("Scorecard not found.")).to_be_visible()
    expect(page.get_by_text("Meridian Integration Group")).to_have_count(0)

    log_in(mobile_page, "sam.carter@bluepeak.example", expect_path="/portal")
    mobile_page.goto("/scorecard")
    expect(mobile_page.get_by_role("heading", name="Bluepeak Resellers")).to_be_visible()
    assert_accessible(mobile_page)
