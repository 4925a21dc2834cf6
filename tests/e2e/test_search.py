"""The header's search box, in Chromium: a partner finds its own registrations and nothing of another partner's;
a channel manager finds registrations in their book, partners and partners' people; the query lives in the
address; a too-short query says so beside the field."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live

COBALT = "priya.shah@cobaltsys.example"  # Cobalt Systems VAR, North America: registered "Hooli Inc."
MANAGER = "maya.cm@vendor.example"  # the Americas book (Cobalt, Northwind); Fjord Managed IT (EMEA) is not in it


def _search(page: Page, text: str) -> None:
    box = page.get_by_role("search", name="Search this site").first.get_by_label("Search")
    box.fill(text)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/?\?q="))
    wait_live(page)


def test_a_partner_finds_its_own_registrations_only(page: Page):
    log_in(page, COBALT, expect_path="/portal")
    _search(page, "hooli")
    results = page.get_by_role("main")
    expect(results.get_by_role("heading", name="Deal registrations")).to_be_visible()
    hit = results.get_by_role("link", name="Hooli Inc.")
    expect(hit).to_be_visible()
    expect(results.get_by_role("heading", name="Partners")).to_have_count(0)  # the directory is the vendor's
    assert_accessible(page)

    _search(page, "Nordlys")  # Fjord Managed IT's customer
    expect(page.get_by_role("status").filter(has_text="Nothing matches")).to_be_visible()
    expect(page.get_by_text("Nordlys Energi AS")).to_have_count(0)

    page.goto("/search?q=hooli")  # the address is the search: a reload or a shared link shows it again
    hit.click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    expect(page.get_by_text("Hooli Inc.").first).to_be_visible()


def test_a_channel_manager_finds_the_book_partners_and_people(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    _search(page, "Hooli")
    review = page.get_by_role("main").get_by_role("link", name="Hooli Inc.")
    expect(review).to_have_attribute("href", re.compile(r"/registrations/\d+"))
    _search(page, "nordlys")  # another manager's book
    expect(page.get_by_role("status").filter(has_text="Nothing matches")).to_be_visible()

    _search(page, "dana")
    people = page.get_by_role("main")
    expect(people.get_by_role("heading", name="People")).to_be_visible()
    expect(people.get_by_text("Northwind Distribution · dana.price@northwind-dist.example")).to_be_visible()
    _search(page, "northwind")
    people.get_by_role("link", name="Northwind Distribution").first.click()
    page.wait_for_url(at(r"/partners/\d+", regex=True))

    page.goto("/search?q=x")
    expect(page.get_by_text("Type at least 2 characters to search.")).to_be_visible()
    expect(page.get_by_label("Search for")).to_have_value("x")  # what was typed stays
    assert_accessible(page)


def test_search_at_375px_by_keyboard(mobile_page: Page):
    log_in(mobile_page, COBALT, expect_path="/portal")
    mobile_page.goto("/search")
    field = mobile_page.get_by_label("Search for")
    field.focus()
    mobile_page.keyboard.type("hooli")
    mobile_page.keyboard.press("Enter")
    mobile_page.wait_for_url(re.compile(r"/search/?\?q=hooli"))
    expect(mobile_page.get_by_role("main").get_by_role("link", name="Hooli Inc.")).to_be_visible()
    overflow = mobile_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 375 px"
    assert_accessible(mobile_page)
