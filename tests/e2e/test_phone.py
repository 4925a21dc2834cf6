"""The app on a 375 px phone: every table's every cell can be reached (its table scrolls sideways in a focusable
region, the page itself does not), fields, forms and cards never touch, and the header folds its navigation behind
a Menu button that works by keyboard. Axe checks each page at 375 px, light and dark.

The registration reviewed here is written straight to the app's database by the use case the deal form calls
(registering through the browser is tests/e2e/test_deal_registration.py's subject): conftest's
`submitted_registration`.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, assert_accessible, at, log_in, submitted_registration, wait_live

PARTNER = "dana.price@northwind-dist.example"  # Northwind Distribution, partner admin
MANAGER = "maya.cm@vendor.example"
EXEC = "erin.exec@vendor.example"
ADMIN = "admin@vendor.example"

# Every page with a table, by who can open it.
TABLE_PAGES = {
    PARTNER: ["/deals", "/leads", "/scorecard", "/portal/team", "/account"],
    MANAGER: ["/partners", "/registrations", "/lead-queue", "/lead-queue/fairness", "/surveys"],
    EXEC: ["/dashboards"],
    ADMIN: ["/outbox"],
}

# Where each cell of each table on the page is, and whether a person can bring it into view: either it lies
# within the phone's width, or its nearest scrolling ancestor (overflow-x auto/scroll) can be scrolled by a person,
# by touch or by keyboard (focusable itself, or holding a link or button to Tab to), and no ancestor clips it
# (overflow hidden). Then each scroller is scrolled to its far end: its last column must come into view.
_REACH = """() => {
  const width = document.documentElement.clientWidth;
  const focusable = e => e.tabIndex >= 0 || e.querySelector('a[href], button, input, select, [tabindex="0"]');
  const problems = [];
  const name = cell => `"${cell.textContent.trim().slice(0, 30)}"`;
  const scrollers = new Set();
  let cells = 0;
  const tables = [...document.querySelectorAll('main table')];
  for (const table of tables) {
    for (const cell of table.querySelectorAll('th, td')) {
      cells++;
      const r = cell.getBoundingClientRect();
      let scroller = null;
      for (let e = cell.parentElement; e && e.tagName !== 'MAIN'; e = e.parentElement) {
        const ox = getComputedStyle(e).overflowX;
        if (ox === 'visible') continue;
        if ((ox === 'auto' || ox === 'scroll') && !scroller) { scroller = e; continue; }
        const box = e.getBoundingClientRect();
        if (!scroller && (r.left < box.left - 1 || r.right > box.right + 1)) {
          problems.push(`${name(cell)} is cut off by ${e.className}`);
          break;
        }
      }
      if (scroller) {
        scrollers.add(scroller);
        if (!focusable(scroller)) problems.push(`the scroller of ${name(cell)} is out of keyboard reach`);
      } else if (r.left < -1 || r.right > width + 1) {
        problems.push(`${name(cell)} lies outside the screen (${r.left}..${r.right})`);
      }
    }
  }
  let scrolled = 0;
  for (const s of scrollers) {
    if (s.scrollWidth <= s.clientWidth + 1) continue;
    s.scrollLeft = s.scrollWidth;
    const last = [...s.querySelectorAll('tr:first-child > *')].pop();
    const r = last.getBoundingClientRect();
    if (r.right <= width + 1 && r.left >= 0) scrolled++;
    else problems.push(`scrolled to its end, ${name(last)} is still off screen`);
    s.scrollLeft = 0;
  }
  const pageScrolls = document.scrollingElement.scrollWidth > width + 1;
  return {tables: tables.length, cells, problems, scrolled, pageScrolls};
}"""


def test_every_table_cell_can_be_reached_on_a_phone(mobile_page: Page):
    p = mobile_page
    overflowing = 0
    for person, paths in TABLE_PAGES.items():
        p.context.clear_cookies()
        log_in(p, person)
        p.wait_for_url(lambda url: "/login" not in url)
        for path in paths:
            p.goto(path)
            wait_live(p)
            p.locator("main table").first.wait_for()
            p.wait_for_timeout(300)  # the page's rows arrive with its on-load events
            found = p.evaluate(_REACH)
            assert found["tables"] > 0 and found["cells"] > 0, path
            assert not found["problems"], f"{path}: {found['problems'][:5]}"
            assert not found["pageScrolls"], f"{path}: the whole page scrolls sideways at 375 px"
            overflowing += found["scrolled"]
    # The seeded tables are wider than a phone: the test did scroll some (so it could have failed).
    assert overflowing >= 3


def test_a_wide_table_scrolls_by_keyboard(mobile_page: Page):
    p = mobile_page
    log_in(p, PARTNER, expect_path="/portal")
    p.goto("/scorecard")
    region = p.get_by_role("region", name="Scorecard")
    p.locator("main table").first.wait_for()
    region.focus()
    before = region.evaluate("e => e.scrollLeft")
    for _ in range(8):
        p.keyboard.press("ArrowRight")
    # The browser may animate the scroll: wait for it to move rather than read it at once.
    p.wait_for_function("([e, before]) => e.scrollLeft > before", arg=[region.element_handle(), before], timeout=5000)


# The smallest distance between each pair of neighbouring visible children of each element `selector` matches:
# side by side it is the horizontal gap, stacked the vertical one. Touching (or overlapping) gives 0 or less.
_GAPS = """selector => [...document.querySelectorAll(selector)].map(box => {
  const shown = k => { const r = k.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const kids = [...box.children].filter(shown);
  const gaps = [];
  for (let i = 1; i < kids.length; i++) {
    const a = kids[i - 1].getBoundingClientRect(), b = kids[i].getBoundingClientRect();
    const sideBySide = b.top < a.bottom - 1 && b.left >= a.right - 1;
    gaps.push(Math.round(sideBySide ? b.left - a.right : b.top - a.bottom));
  }
  return {what: (box.getAttribute('aria-label') || box.className).slice(0, 40), gaps};
}).filter(b => b.gaps.length > 0)"""


def _assert_spaced(p: Page, selector: str, at_least: int = 4) -> int:
    boxes = p.evaluate(_GAPS, selector)
    assert boxes, f"nothing matched {selector}"
    for box in boxes:
        assert min(box["gaps"]) >= at_least, f"{selector} ({box['what']}): neighbours touch: {box['gaps']}"
    return len(boxes)


def test_fields_forms_and_cards_do_not_touch_on_a_phone(mobile_page: Page, app_db):
    deal_id, company = submitted_registration(app_db)
    p = mobile_page
    log_in(p, MANAGER, expect_path="/partners")
    p.goto(f"/registrations/{deal_id}")
    expect(p.get_by_role("heading", level=1, name=company)).to_be_visible()
    approve = p.get_by_role("form", name="Approve")
    reject = p.get_by_role("form", name="Reject")
    # The three decision forms stack on a phone with room between them: Approve no longer sits on Reject.
    gap = reject.bounding_box()["y"] - (approve.bounding_box()["y"] + approve.bounding_box()["height"])  # type: ignore[index]
    assert gap >= 12, gap
    _assert_spaced(p, "main form[aria-label]")  # the fields inside each form
    _assert_spaced(p, "main .rt-Grid")  # the facts, and the decision forms' grid
    assert_accessible(p, dark=True)

    p.goto("/lead-queue/new")
    p.get_by_role("heading", level=1, name="Add a lead").wait_for()
    _assert_spaced(p, "main form .rt-Flex")
    assert_accessible(p, dark=True)

    p.context.clear_cookies()
    log_in(p, EXEC, expect_path="/dashboards")
    p.locator("#kpi-active").wait_for()
    _assert_spaced(p, "main .rt-Flex:has(> .rt-Card)")  # the figures' cards
    assert_accessible(p, dark=True)


def test_the_header_folds_into_a_menu_on_a_phone(mobile_page: Page):
    p = mobile_page
    log_in(p, MANAGER, expect_path="/partners")
    header = p.get_by_role("banner")
    # Folded, the header is one row: the page's title is in the first fifth of the screen.
    assert header.bounding_box()["height"] < 90  # type: ignore[index]
    assert p.get_by_role("heading", level=1).bounding_box()["y"] < PHONE["height"] / 5  # type: ignore[index]
    menu = p.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    controlled = p.locator(f"#{menu.get_attribute('aria-controls')}")
    expect(controlled).to_be_hidden()
    expect(p.get_by_role("navigation", name="Main")).to_be_hidden()
    assert_accessible(p, dark=True)

    # By keyboard: Tab to the button, open it, Tab into the navigation, follow a link.
    for _ in range(10):
        p.keyboard.press("Tab")
        if p.evaluate("document.activeElement.getAttribute('aria-controls')"):
            break
    expect(menu).to_be_focused()
    p.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav = p.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    expect(p.get_by_role("search")).to_be_visible()
    expect(p.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(p)
    p.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Dashboards")).to_be_focused()
    for _ in range(2):
        p.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Deal registrations")).to_be_focused()
    p.keyboard.press("Enter")
    p.wait_for_url(at("/registrations"))
    # The new page starts folded again, with focus on its title.
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(p.get_by_role("heading", level=1, name="Deal registrations")).to_be_focused()
    # Space toggles it too, and a second press folds it.
    menu.focus()
    p.keyboard.press("Space")
    expect(controlled).to_be_visible()
    p.keyboard.press("Space")
    expect(controlled).to_be_hidden()


def test_the_header_shows_everything_on_a_laptop(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Deals")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    assert page.get_by_role("banner").bounding_box()["height"] < 130  # type: ignore[index]
