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
    log_in(page, EXEC, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    page.wait_for_url(at("/dashboards"))
    kpi = page.locator("#kpi-registrations")
    expect(kpi).not_to_have_text("")
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
    # other numbers when only EMEA's partners count.
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(7)
    before_filter = [charts.nth(i).inner_html() for i in range(7)]
    page.get_by_label("Region").select_option("EMEA")
    expect(kpi).not_to_have_text(f"{before + 1:,}")
    page.wait_for_timeout(500)  # plotly redraws after the state arrives
    changed = [charts.nth(i).inner_html() != before_filter[i] for i in range(7)]
    assert all(changed), f"charts that ignored the filter: {[i for i, c in enumerate(changed) if not c]}"

    with page.expect_download() as download:
        page.get_by_role("button", name="Download Pipeline by stage as CSV").click()
    text = download.value.path().read_text()
    assert text.splitlines()[0] == "stage,status,deals,value_usd"
