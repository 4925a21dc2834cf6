"""What a person does in the browser: sign in, see the right workspace, never see another company's data."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in

PARTNER = "dana.price@northwind-dist.example"  # partner_admin, Northwind Distribution
OTHER_PARTNER_NAME = "Meridian Integration Group"
MANAGER = "maya.cm@vendor.example"


def test_partner_sees_own_portal(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Northwind Distribution")).to_be_visible()
    expect(main.get_by_text("Distributor", exact=True)).to_be_visible()
    expect(main.get_by_text("Platinum").first).to_be_visible()
    expect(main.get_by_text("Maya Okafor")).to_be_visible()
    expect(main.get_by_text("Bluepeak Resellers (Reseller)")).to_be_visible()  # its sub-partner
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Team")).to_be_visible()
    expect(page.get_by_text(OTHER_PARTNER_NAME)).to_have_count(0)
    assert_accessible(page)


def test_partner_portal_works_at_375px(mobile_page: Page):
    log_in(mobile_page, "sam.carter@bluepeak.example", expect_path="/portal")
    expect(mobile_page.get_by_role("heading", name="Bluepeak Resellers")).to_be_visible()
    overflow = mobile_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page scrolls sideways by {overflow}px at 375px"
    assert_accessible(mobile_page)


def test_manager_finds_partner_by_search(page: Page, app_db):
    from sqlmodel import func, select

    from prm_app.partners import Organization

    with app_db() as session:  # the 14 demo partners, and any an approved application has added in this run
        partners = session.exec(select(func.count()).select_from(Organization)).one()
    assert partners >= 14
    log_in(page, MANAGER, expect_path="/partners")
    expect(page.get_by_text(re.compile(rf"^{partners} partners"))).to_be_visible()
    page.get_by_label("Search partners").fill("fjord")
    expect(page.get_by_text(re.compile(r"^1 partner · "))).to_be_visible()  # one, in words
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Fjord Managed IT")
    assert_accessible(page)
    rows.first.get_by_role("link", name="Fjord Managed IT").click()
    page.wait_for_url(at(r"/partners/\d+", regex=True))
    expect(page.get_by_role("heading", name="Fjord Managed IT")).to_be_visible()
    # Fjord is in Lars's book (EMEA): Maya sees its profile, not its people or scorecard (#9).
    expect(page.get_by_text("in another channel manager's book")).to_be_visible()
    expect(page.get_by_text("ingrid.berg@fjordit.example")).to_have_count(0)
    expect(page.get_by_role("link", name="Scorecard")).to_have_count(0)
    assert_accessible(page)
    # A partner of her own book (Americas): its people.
    page.goto("/partners")
    page.get_by_label("Search partners").fill("northwind")
    page.locator("tbody tr").first.get_by_role("link", name="Northwind Distribution").click()
    page.wait_for_url(at(r"/partners/\d+", regex=True))
    expect(page.get_by_text("dana.price@northwind-dist.example")).to_be_visible()
    expect(page.get_by_role("link", name="Scorecard")).to_be_visible()


def test_manager_filters_and_sorts_directory(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_label("Region", exact=True).select_option("APAC")
    expect(page.get_by_text(re.compile(r"^4 partners"))).to_be_visible()
    page.get_by_role("button", name="Sort by name").click()  # second click on the active column: descending
    expect(page.locator("tbody tr").first).to_contain_text("Sakura Solutions KK")


def test_partner_cannot_open_another_organizations_page(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_label("Search partners").fill("Meridian")
    expect(page.locator("tbody tr")).to_have_count(1)
    href = page.locator("tbody tr").first.get_by_role("link").get_attribute("href")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))

    log_in(page, PARTNER, expect_path="/portal")
    page.goto(href)
    expect(page.get_by_text("Partner not found.")).to_be_visible()
    expect(page.get_by_text(OTHER_PARTNER_NAME)).to_have_count(0)
    expect(page.get_by_text("jonas.weber@meridian-ig.example")).to_have_count(0)
    assert_accessible(page)


def test_partner_cannot_open_the_internal_directory(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    page.goto("/partners")
    page.wait_for_url(at("/portal"))
    expect(page.get_by_role("heading", name="Northwind Distribution")).to_be_visible()


def test_sign_out_ends_the_session(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))
    page.goto("/portal")
    page.wait_for_url(at("/login"))
