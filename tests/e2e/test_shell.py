"""The app's frame: the current page is marked in the navigation (aria-current), an unknown address gets a real
"Page not found" inside the frame with the way home, and the site has its icon."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live

PARTNER = "dana.price@northwind-dist.example"


def test_the_navigation_marks_the_current_page(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Deals").click()
    page.wait_for_url(at("/deals"))
    expect(nav.get_by_role("link", name="Deals")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "false")
    assert nav.locator('[aria-current="page"]').count() == 1


def test_an_unknown_address_is_a_page_not_found_with_the_way_home(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    page.goto("/portal/no-such-page")
    wait_live(page)
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    expect(page.get_by_role("banner")).to_be_visible()  # inside the app's frame, navigation and all
    assert_accessible(page)
    page.get_by_role("link", name="Go to your home page").click()
    page.wait_for_url(at("/portal"))


def test_the_site_has_its_icon(app_server: str):
    answer = httpx.get(f"{app_server}/favicon.ico", timeout=10)
    assert answer.status_code == 200
    assert answer.content[:4] == b"\x00\x00\x01\x00"  # an ICO file, not the app's page


def test_a_partner_never_sees_the_vendors_navigation_while_a_page_loads(page: Page):
    """Before the guard has said who is signed in, a tab knows no role: the navigation stays empty rather than
    showing the vendor's entries (it used to show Dashboards, Partners, Registrations... until the guard ran)."""
    log_in(page, PARTNER, expect_path="/portal")
    page.add_init_script(  # from the first byte of each page: every navigation link that ever appears
        """window.__navSeen = new Set();
        const note = () => document.querySelectorAll("nav[aria-label='Main'] a[href]")
            .forEach(a => window.__navSeen.add(a.getAttribute('href')));
        new MutationObserver(note).observe(document, {subtree: true, childList: true, attributes: true});"""
    )
    seen: set[str] = set()
    for path in ("/deals", "/portal"):
        page.goto(path)
        wait_live(page)
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Deals")).to_be_visible()
        seen |= set(page.evaluate("() => [...window.__navSeen]"))
    assert "/deals" in seen  # the observer saw the navigation
    assert not seen & {"/dashboards", "/partners", "/registrations", "/lead-queue", "/surveys"}, seen
