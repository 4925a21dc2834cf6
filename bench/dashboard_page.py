"""The executive dashboards page in Chromium: JavaScript it loads, time until usable, time to redraw after a filter
change, and its tab stops, next to a blank Reflex page measured in the same run.

Uses page_load.py's two servers (the PRM prod build on the demo data, SQLite, port 3066; a blank one-page Reflex app,
port 3067) and browser set-up. Signed in once as the demo exec (erin.exec@vendor.example), then N rounds that
interleave:

- blank: the blank page until its on_load result shows (the floor any Reflex page pays);
- dashboards: /dashboards until every chart has drawn (CHARTS plot containers with their SVG, or, since charts say
  so, "nothing to show" in their place) and the first KPI shows a number: "usable";
- filter change: on a loaded dashboards page (the whole program), the Region select set to EMEA, until the charts
  and KPIs have redrawn (the demo's activity is all recent, so a period change may redraw nothing); the page updates
  every chart from one event, so they arrive together -- what an exec waits for after touching a filter.

JS bytes: the decoded size and the transfer size of every script the page loaded (performance resource entries),
after it was usable, so lazily loaded chunks count. Tab stops: elements reachable with Tab on the usable page.

Prints median / p95 per row and the dashboards/blank ratio; results go to bench/results/dashboard_page.json.
Run from the repo root: `python bench/dashboard_page.py` (part of `make bench`).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_load import (  # after the path set-up; page_load re-executes under the venv itself
    BLANK_URL,
    PRM_URL,
    ROOT,
    _blank_ready,
    _blank_server,
    _new_context,
    _prm_server,
    _summary,
    _timed_load,
    prm_and_blank,
)
from playwright.sync_api import BrowserContext, Page

EXEC_EMAIL = "erin.exec@vendor.example"
EXEC_PASSWORD = "demo-partner-2026"
CHARTS = 7  # engagement, pipeline, ageing, funnel, forecast, revenue, NPS
N = 10
WARMUPS = 2
RESULTS = ROOT / "bench" / "results" / "dashboard_page.json"

CHARTS_DRAWN = (
    "document.querySelectorAll('.js-plotly-plot .main-svg').length"
    f" + document.querySelectorAll('[id^=empty-]').length >= {CHARTS}"
)
KPI_SHOWN = "(() => {{ const k = document.getElementById('kpi-logins'); return !!k && /\\d/.test(k.textContent); }})()"
CHART_AREA = (
    "Array.from(document.querySelectorAll('.js-plotly-plot, [id^=empty-], [id^=kpi-]')).map(e => e.innerHTML).join('|')"
)
JS_BYTES = """() => performance.getEntriesByType('resource')
    .filter(e => e.initiatorType === 'script' || /\\.m?js(\\?|$)/.test(e.name))
    .reduce((t, e) => [t[0] + (e.decodedBodySize || 0), t[1] + (e.transferSize || 0), t[2] + 1], [0, 0, 0])"""
TAB_STOPS = """() => Array.from(document.querySelectorAll(
    'a[href], button, select, input, textarea, summary, [tabindex]'))
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length).length"""


def _dashboards_ready(page: Page) -> None:
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_function(KPI_SHOWN)


def _sign_in(context: BrowserContext) -> None:
    page = context.new_page()
    try:
        page.goto(f"{PRM_URL}/login")
        page.get_by_label("Email").fill(EXEC_EMAIL)
        page.get_by_label("Password").fill(EXEC_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda u: "/login" not in u)
    finally:
        page.close()


def _filter_change(context: BrowserContext, region: str) -> float:
    """Milliseconds from choosing `region` in the Region select until the charts have redrawn."""
    page = context.new_page()
    try:
        page.goto(f"{PRM_URL}/dashboards", wait_until="commit")
        _dashboards_ready(page)
        before = page.evaluate(CHART_AREA)
        t0 = time.perf_counter()
        page.get_by_label("Region", exact=True).select_option(region)
        page.wait_for_function(f"before => {CHART_AREA} !== before", arg=before)
        return (time.perf_counter() - t0) * 1000
    finally:
        page.close()


def _page_facts(context: BrowserContext) -> dict[str, int]:
    page = context.new_page()
    try:
        page.goto(f"{PRM_URL}/dashboards", wait_until="commit")
        _dashboards_ready(page)
        page.wait_for_timeout(1000)  # late chunks and the live loop's first pass
        decoded, transferred, scripts = page.evaluate(JS_BYTES)
        return {"js_decoded_bytes": decoded, "js_transfer_bytes": transferred, "scripts": scripts,
                "tab_stops": page.evaluate(TAB_STOPS)}  # fmt: skip
    finally:
        page.close()


def _blank_js(context: BrowserContext) -> dict[str, int]:
    page = context.new_page()
    try:
        page.goto(f"{BLANK_URL}/", wait_until="commit")
        _blank_ready(page)
        decoded, transferred, scripts = page.evaluate(JS_BYTES)
        return {"js_decoded_bytes": decoded, "js_transfer_bytes": transferred, "scripts": scripts}
    finally:
        page.close()


def main() -> int:
    with prm_and_blank(_prm_server, _blank_server, "prm-dash-bench-", f"{WARMUPS} warm-ups + {N} rounds") as browser:
        blank_ctx, dash_ctx = _new_context(browser), _new_context(browser)
        _sign_in(dash_ctx)
        samples: dict[str, list[float]] = {"blank": [], "dashboards": [], "filter_change": []}
        for i in range(WARMUPS + N):
            times = {
                "blank": _timed_load(blank_ctx, f"{BLANK_URL}/", _blank_ready),
                "dashboards": _timed_load(dash_ctx, f"{PRM_URL}/dashboards", _dashboards_ready),
                "filter_change": _filter_change(dash_ctx, "EMEA"),
            }
            if i >= WARMUPS:
                for key, ms in times.items():
                    samples[key].append(ms)
        facts, blank_facts = _page_facts(dash_ctx), _blank_js(blank_ctx)
        chromium = browser.version

    results = {key: _summary(values) for key, values in samples.items()}
    ratio = results["dashboards"]["median_ms"] / results["blank"]["median_ms"]
    print(f"\n{'':<34}{'median ms':>10}{'p95 ms':>10}")
    for key, label in (("blank", "blank Reflex page"), ("dashboards", "dashboards usable (exec)"),
                       ("filter_change", "filter change -> charts redrawn")):  # fmt: skip
        print(f"{label:<34}{results[key]['median_ms']:>10.0f}{results[key]['p95_ms']:>10.0f}")
    print(f"{'dashboards / blank':<34}{ratio:>10.2f}")
    print(
        f"\nJS on the dashboards page: {facts['js_decoded_bytes'] / 1e6:.2f} MB decoded, "
        f"{facts['js_transfer_bytes'] / 1e6:.2f} MB transferred, {facts['scripts']} scripts "
        f"(blank page: {blank_facts['js_decoded_bytes'] / 1e6:.2f} MB decoded); tab stops: {facts['tab_stops']}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "dashboard_page",
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "n": N,
                "results": results,
                "ratio_dashboards_over_blank_median": round(ratio, 2),
                "dashboards_page": facts,
                "blank_page": blank_facts,
                "median_filter_change_ms": round(statistics.median(samples["filter_change"]), 1),
                "env": {"chromium": chromium},
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
