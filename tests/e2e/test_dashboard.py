"""The exec's live dashboard: a partner registers a deal in another browser and the count moves without a reload;
a filter changes every chart; each chart downloads its data as CSV."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, live_goto, log_in, wait_live

EXEC = "erin.exec@vendor.example"
PARTNER = "ivy.nguyen@bluepeak.example"
CHART_KEYS = ("engagement", "pipeline", "ageing", "funnel", "forecast", "revenue", "nps")
BUILT_IN = ", ".join(f"#chart-{k} .js-plotly-plot" for k in CHART_KEYS)  # the areas' panels have charts too


def _register_deal(page: Page) -> None:
    token = uuid.uuid4().hex[:6]
    page.goto("/deals/new")
    wait_live(page)
    page.get_by_label("Company name").fill(f"Live Dash {token} Corp")
    page.get_by_label("Website or email domain").fill(f"livedash{token}.com")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("Contact name").fill("Kim Live")
    page.get_by_label("Contact email").fill(f"kim@livedash{token}.com")
    page.get_by_label(re.compile("^ ?Analytics Add-on")).check()
    page.get_by_label("Estimated value").fill("12000")
    page.get_by_label("Expected close date").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("Stage").select_option("Discovery")
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))


def test_dashboard_is_live_filtered_and_downloadable(page: Page, browser, app_server):
    log_in(page, EXEC, expect_path="/dashboards")  # an exec lands on the dashboards
    kpi = page.locator("#kpi-registrations")
    expect(kpi).not_to_have_text("", timeout=15_000)  # skeletons until the first reports arrive
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    before = int(kpi.inner_text().replace(",", ""))
    assert_accessible(page)

    partner = browser.new_context(base_url=app_server, reduced_motion="reduce")
    partner_page = live_goto(partner.new_page())
    log_in(partner_page, PARTNER, expect_path="/portal")
    _register_deal(partner_page)
    partner.close()

    # No reload: the open dashboard catches up by itself within a couple of seconds.
    expect(kpi).to_have_text(f"{before + 1:,}", timeout=8_000)

    # A filter narrows every figure: the demo data has activity in every region, so each chart redraws with
    # other numbers when only EMEA's partners count (or says it has nothing to show, where EMEA has none).
    expect(page.locator(BUILT_IN)).to_have_count(7)
    before_filter = [page.locator(f"#chart-{k}").inner_html() for k in CHART_KEYS]
    page.get_by_label("Region").select_option("EMEA")
    expect(kpi).not_to_have_text(f"{before + 1:,}")
    for _ in range(60):  # plotly redraws after the state arrives (slower while the machine is busy)
        changed = [page.locator(f"#chart-{k}").inner_html() != before_filter[i] for i, k in enumerate(CHART_KEYS)]
        if all(changed):
            break
        page.wait_for_timeout(250)
    assert all(changed), (
        f"charts that ignored the filter: {[k for k, c in zip(CHART_KEYS, changed, strict=True) if not c]}"
    )

    with page.expect_download() as download:
        page.get_by_role("button", name="Download Pipeline by stage as CSV").click()
    text = download.value.path().read_text()
    assert text.splitlines()[0] == "stage,status,deals,value_usd"


BUSY_SEEN = """() => {
    window.__busySeen = false;
    const region = document.querySelector('[aria-busy]');
    new MutationObserver(() => { if (region.getAttribute('aria-busy') === 'true') window.__busySeen = true; })
        .observe(region, {attributes: true, attributeFilter: ['aria-busy']});
}"""


def test_dashboard_filters_live_in_the_address_and_charts_speak(page: Page):
    """A link with filters opens that view; a filter change shows a busy state, then puts the filters in the
    address (a reload keeps them); each chart is named in words, has no toolbar in the Tab order, and shows its
    figures as a table on request."""
    log_in(page, EXEC, expect_path="/dashboards")
    page.goto("/dashboards?days=365&region=EMEA&tier_id=nonsense")
    expect(page.get_by_label("Region", exact=True)).to_have_value("EMEA")
    expect(page.get_by_label("Period", exact=True)).to_have_value("365")
    expect(page.get_by_label("Tier", exact=True)).to_have_value("")  # a value that is not a choice falls back to "All"
    for key in CHART_KEYS:  # each chart is an image named by what it shows, or says it has nothing to show
        expect(page.locator(f"#chart-{key} [role=img][aria-label], #empty-{key}")).to_have_count(1)
    expect(page.get_by_role("img", name=re.compile(r"^Open pipeline by stage: \w"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Lead funnel: Leads offered: \d"))).to_be_visible()
    assert page.locator(".modebar").count() == 0  # no toolbar buttons: nothing of plotly's to Tab through
    expect(page.locator("#kpi-active")).not_to_have_text("")
    expect(page.get_by_text("Signed in during the last 30 days, whatever the period")).to_be_visible()

    page.evaluate(BUSY_SEEN)
    page.get_by_label("Period", exact=True).select_option("180")
    page.wait_for_url(re.compile(r"/dashboards/?\?(.*&)?days=180"))
    assert "region=EMEA" in page.url
    expect(page.locator("[aria-busy]")).to_have_attribute("aria-busy", "false")
    assert page.evaluate("window.__busySeen"), "the page never said it was busy while recomputing"
    # The live line (the frame has its own, empty, status region too); its time is in the viewer's zone (UTC here).
    live = page.get_by_role("status").filter(has_text="Last update")
    expect(live).to_contain_text(re.compile(r"Last update \d\d:\d\d:\d\d UTC\."))

    show = page.get_by_role("button", name="View the figures of Lead funnel as a table")
    expect(show).to_have_attribute("aria-expanded", "false")
    show.click()
    table = page.get_by_role("region", name="Lead funnel: figures")
    expect(table.get_by_role("columnheader")).to_have_text(["Step", "Count"])
    expect(table.get_by_role("row")).to_have_count(5)  # the header and four steps
    hide = page.get_by_role("button", name="Hide the figures of Lead funnel")
    expect(hide).to_have_attribute("aria-expanded", "true")
    assert_accessible(page)
    hide.click()
    expect(table).to_have_count(0)

    page.reload()
    wait_live(page)
    expect(page.get_by_label("Period", exact=True)).to_have_value("180")
    expect(page.get_by_label("Region", exact=True)).to_have_value("EMEA")


def test_nothing_matching_says_so_and_offers_a_reset(page: Page):
    """No distributor works in Latin America in the demo: every chart says it has nothing rather than drawing
    empty axes, and "Reset filters" brings the whole program back."""
    log_in(page, EXEC, expect_path="/dashboards")
    page.goto("/dashboards?region=Latin+America&partner_type=distributor")
    callout = page.locator("#dashboard-empty")
    expect(callout).to_contain_text("Nothing matches these filters in this period.")
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.locator("#empty-funnel")).to_have_text("Nothing to show for these filters.")
    assert_accessible(page)

    callout.get_by_role("button", name="Reset filters").click()
    expect(page.locator(BUILT_IN)).to_have_count(7)
    expect(page.get_by_label("Region", exact=True)).to_have_value("")
    expect(callout).to_have_count(0)
    page.wait_for_url(at("/dashboards"))  # defaults: nothing left in the address


def test_dashboard_at_375px(mobile_page: Page):
    log_in(mobile_page, EXEC, expect_path="/dashboards")
    mobile_page.goto("/dashboards")
    # Every chart drawn, or saying it has nothing (the demo may have no logins in the period yet).
    built_in = ", ".join(f"#chart-{k} .js-plotly-plot, #empty-{k}" for k in CHART_KEYS)
    expect(mobile_page.locator(built_in)).to_have_count(7)
    overflow = mobile_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 375 px"
    assert_accessible(mobile_page)
