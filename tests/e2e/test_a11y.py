"""Accessibility that axe does not catch, checked in Chromium for each role: exactly one h1 per page, a skip link
that moves focus into the main region, no link wrapped around a button, focus on the new page's h1 after an in-app
navigation, breadcrumbs and the record's name as the h1 on detail pages, toasts readable in dark mode, input
borders and focus rings at 3:1 or more in light and dark mode. Axe runs on each page as shown, at 375 px and dark.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, set_color_scheme, submitted_registration, wait_live

PARTNER = "dana.price@northwind-dist.example"
MANAGER = "maya.cm@vendor.example"
EXEC = "erin.exec@vendor.example"
ADMIN = "admin@vendor.example"
COBALT_USER = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, in Maya's book

MAIN_PAGES = {
    PARTNER: ["/portal", "/deals", "/deals/new", "/leads", "/scorecard", "/portal/team", "/portal/notifications"],
    MANAGER: ["/partners", "/registrations", "/lead-queue", "/lead-queue/new", "/surveys", "/account"],
    EXEC: ["/dashboards", "/partners"],
    ADMIN: ["/partners", "/outbox", "/registrations"],
}

# Elements that are interactive inside other interactive ones: invalid HTML, and two Tab stops for one action.
_NESTED = "a button, a [role=button], button a, a a, button button"


@pytest.mark.parametrize("person", list(MAIN_PAGES), ids=lambda e: e.split("@")[0])
def test_one_h1_a_working_skip_link_and_no_nested_controls(page: Page, person: str):
    log_in(page, person)
    page.wait_for_url(lambda url: "/login" not in url)
    for path in MAIN_PAGES[person]:
        page.goto(path)
        wait_live(page)
        page.wait_for_timeout(300)  # the page's on-load events fill it in
        h1 = page.locator("h1")
        expect(h1, f"{path}: exactly one h1").to_have_count(1)
        expect(h1).to_be_visible()
        assert page.locator(_NESTED).count() == 0, f"{path}: a control inside a control"

        # The first Tab reaches the skip link; following it puts focus on main, so the next Tab is in the page.
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip, path).to_be_focused()
        expect(skip).to_be_visible()  # shown while focused
        page.keyboard.press("Enter")
        expect(page.locator("main"), path).to_be_focused()
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), path
    assert_accessible(page, dark=True, phone=True)  # the last page of each role, three ways


def test_focus_moves_to_the_new_page_title_after_in_app_navigation(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lead queue").click()
    page.wait_for_url(at("/lead-queue"))
    expect(page.get_by_role("heading", level=1, name="Lead queue")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_detail_pages_have_breadcrumbs_and_the_record_name_as_h1(page: Page, app_db):
    deal_id, company = submitted_registration(app_db)

    # A channel manager: a partner from the directory (in-app navigation: focus lands on the record's name).
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("link", name="Cobalt Systems VAR").click()
    page.wait_for_url(at("/partners/\\d+", regex=True))
    title = page.get_by_role("heading", level=1, name="Cobalt Systems VAR")
    expect(title).to_be_focused()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.locator('[aria-current="page"]')).to_have_text("Cobalt Systems VAR")
    crumbs.get_by_role("link", name="Partners").click()
    page.wait_for_url(at("/partners"))

    # ...and the registration waiting for review.
    page.goto(f"/registrations/{deal_id}")
    expect(page.get_by_role("heading", level=1, name=company)).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="Deal registrations")).to_have_attribute("href", "/registrations")
    expect(crumbs.locator('[aria-current="page"]')).to_have_text(company)
    assert_accessible(page)

    # A missing record keeps the page's title as its h1, under the same breadcrumbs.
    page.goto("/registrations/999999")
    expect(page.get_by_role("heading", level=1, name="Review registration")).to_be_visible()
    expect(page.get_by_text("Deal not found.")).to_be_visible()

    # The partner who registered it: its own deal, under Deals.
    page.context.clear_cookies()
    log_in(page, COBALT_USER, expect_path="/portal")
    page.goto(f"/deals/{deal_id}")
    expect(page.get_by_role("heading", level=1, name=company)).to_be_visible()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    crumbs.get_by_role("link", name="Deals").click()
    page.wait_for_url(at("/deals"))
    expect(page.get_by_role("heading", level=1, name="Deals")).to_be_focused()


# WCAG contrast of two CSS colours, each first drawn on a canvas (so any syntax and any alpha resolves to the
# pixel a person sees), the foreground over the background.
_CONTRAST = """([fg, bg]) => {
  const ctx = Object.assign(document.createElement('canvas'), {width: 1, height: 1}).getContext('2d');
  const pixel = (...colors) => { for (const c of colors) { ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1); }
    return ctx.getImageData(0, 0, 1, 1).data; };
  const linear = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const back = pixel('#fff', bg), front = pixel(`rgb(${back[0]},${back[1]},${back[2]})`, fg);
  const [a, b] = [lum(front), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""

# The background a person sees around an element: the first opaque background among its ancestors.
_BACKGROUND = """e => { for (e = e.parentElement; e; e = e.parentElement) {
  const c = getComputedStyle(e).backgroundColor;
  if (c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) return c; } return 'rgb(255, 255, 255)'; }"""


def _contrast(page: Page, fg: str, bg: str) -> float:
    return float(page.evaluate(_CONTRAST, [fg, bg]))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_input_borders_and_focus_rings_stand_out(page: Page, scheme: str):
    log_in(page, MANAGER, expect_path="/partners")
    set_color_scheme(page, scheme)
    field = page.locator(".rt-TextFieldRoot").filter(has=page.get_by_label("Search partners"))
    background = field.evaluate(_BACKGROUND)
    # Radix draws the border as an inset box-shadow: "<color> 0px 0px 0px 1px inset".
    border = field.evaluate("e => getComputedStyle(e).boxShadow.match(/^(rgba?|color)\\([^)]*\\)|^#\\w+/)[0]")
    assert _contrast(page, border, background) >= 3, f"border {border} on {background}"
    page.get_by_label("Search partners").focus()
    ring = field.evaluate("e => getComputedStyle(e).outlineColor")
    assert field.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    assert _contrast(page, ring, background) >= 3, f"focus ring {ring} on {background}"
    select = page.get_by_label("Type", exact=True)
    assert _contrast(page, select.evaluate("e => getComputedStyle(e).borderColor"), background) >= 3


def test_toasts_are_readable_in_dark_mode(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    set_color_scheme(page, "dark")
    page.goto("/leads")
    form = page.get_by_role("form", name="Lead preferences")
    form.get_by_role("button", name="Save lead preferences").click()
    toast = page.locator("[data-sonner-toast]", has_text="Lead preferences saved.")
    expect(toast).to_be_visible()
    page.wait_for_timeout(500)  # the toast's entry transition
    colour = toast.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert _contrast(page, *colour) >= 4.5, colour
    assert_accessible(page)  # axe in dark mode, the toast on screen

    # Every kind of toast, in the toaster's own list (as sonner renders one): readable in dark mode too.
    for kind in ("success", "error", "warning", "info"):
        colour = page.evaluate(
            """kind => { const list = document.querySelector('[data-sonner-toaster]');
              const li = Object.assign(document.createElement('li'), {textContent: 'Saved'});
              li.setAttribute('data-sonner-toast', ''); li.setAttribute('data-type', kind);
              li.setAttribute('data-styled', 'true'); list.appendChild(li);
              const style = getComputedStyle(li); const result = [style.color, style.backgroundColor];
              li.remove(); return result; }""",
            kind,
        )
        assert _contrast(page, *colour) >= 4.5, f"{kind}: {colour}"
