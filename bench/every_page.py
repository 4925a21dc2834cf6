"""Every page's load vs a blank Reflex page's, in the same run (#11: every page <= 1.3x the blank page).

Starts the same two prod builds as page_load.py (the PRM app on a fresh migrated + seeded SQLite database, a blank
one-page Reflex app), signs in as each demo role in its own browser context, and finds that role's pages the way a
person does: every link in the Main navigation, plus the first record link in each of those pages' tables (a deal,
a partner, a registration review...). Each page is then loaded cold (a fresh tab, full navigation) N times,
interleaved with the blank page so drift in machine load hits both alike.

When is a page loaded? One rule for every page and for the blank one: its `<main>` (the blank page's `<h1>`) is
visible and its event socket has been quiet for QUIET_MS; the time taken is that of the last frame the server sent
before the quiet (the page's data arriving), or of `<main>` showing if that came later. So a page that loads its
data in three events pays for three round trips, and nothing is charged for the quiet wait itself.

Prints median / p95 per page, the part of the median before the page's event socket opened ("boot": its JavaScript
loading and starting) and after it ("events": the guard, the page's loads and their round trips), the browser main
thread's busy time during the load ("busy": Chromium's TaskDuration: parsing, scripts, style, layout, paint) and the
page's DOM nodes, and its ratio to the blank page's median; writes bench/results/every_page.json.
Figures only: nothing is asserted. Run from the repo root: `python bench/every_page.py [--n N] [--roles a,b]`.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_load import (  # after the path set-up; page_load re-runs this script under the venv
    BLANK_URL,
    PRM_URL,
    ROOT,
    _blank_server,
    _new_context,
    _prm_server,
    prm_and_blank,
)
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

RESULTS = ROOT / "bench" / "results" / "every_page.json"
QUIET_MS = 400
PASSWORD = "demo-partner-2026"
ROLES = {
    "partner admin": "dana.price@northwind-dist.example",
    "partner user": "omar.haddad@northwind-dist.example",
    "channel manager": "maya.cm@vendor.example",
    "exec": "erin.exec@vendor.example",
    "admin": "admin@vendor.example",
}
TARGET = 1.3


def _load(context: BrowserContext, url: str, ready_selector: str) -> tuple[float, float, float, float]:
    """Milliseconds from navigation start until the page's data has arrived (see the module's rule), of those the
    part before its event socket opened (loading and starting the page's JavaScript), and what the browser's main
    thread did meanwhile: its busy milliseconds (Chromium's TaskDuration) and the page's DOM nodes."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    frames: list[float] = []
    opened: list[float] = []

    def on_socket(ws) -> None:  # Playwright's WebSocket
        opened.append(time.perf_counter())
        ws.on("framereceived", lambda _payload: frames.append(time.perf_counter()))

    page.on("websocket", on_socket)
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator(ready_selector).first.wait_for(state="visible")
        shown = time.perf_counter()
        while True:  # wait for the socket to go quiet
            last = frames[-1] if frames else t0
            if frames and time.perf_counter() - last >= QUIET_MS / 1000:
                break
            page.wait_for_timeout(50)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        busy, nodes = metrics.get("TaskDuration", 0.0) * 1000, metrics.get("Nodes", 0.0)
        return (max(shown, frames[-1]) - t0) * 1000, (opened[0] - t0) * 1000, busy, nodes
    finally:
        page.close()


def _sign_in(context: BrowserContext, email: str) -> str:
    """Sign in through the form; returns the path the person lands on."""
    page = context.new_page()
    try:
        page.goto(f"{PRM_URL}/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda u: "/login" not in u)
        page.locator("main").wait_for(state="visible")
        return page.url.removeprefix(PRM_URL)
    finally:
        page.close()


def _links(page: Page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/") and not h.startswith("//")]


def _shape(path: str) -> str:
    """A route's shape: /deals/12 and /deals/40 are one page."""
    return re.sub(r"/\d+", "/[id]", path.split("?")[0].rstrip("/") or "/")


def _pages_of(context: BrowserContext, home: str) -> list[str]:
    """The role's pages: its home, each Main navigation link, and the first record link in each one's tables."""
    page = context.new_page()
    found: dict[str, str] = {_shape(home): home}
    try:
        page.goto(f"{PRM_URL}{home}")
        # The navigation is the person's once the guard has run: wait for its link to their home page.
        page.locator(f"nav[aria-label='Main'] a[href='{home.rstrip('/') or '/'}']").wait_for(state="attached")
        nav = _links(page, "nav[aria-label='Main'] a[href]")
        for path in nav:
            found.setdefault(_shape(path), path)
        for path in nav:
            page.goto(f"{PRM_URL}{path}")
            page.locator("main").wait_for(state="visible")
            try:  # its rows arrive after the load; a page may have no table
                page.locator("main table a[href]").first.wait_for(state="attached", timeout=3000)
            except PlaywrightTimeout:
                continue
            for link in _links(page, "main table a[href]"):
                if _shape(link) not in found and re.search(r"/\d+", link):
                    found[_shape(link)] = link
                    break
    finally:
        page.close()
    return list(found.values())


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(statistics.quantiles(values, n=20, method="inclusive")[18], 1) if len(values) > 1 else 0,
    }


def _measure(browser: Browser, roles: list[str], n: int) -> dict:
    blank_ctx = _new_context(browser)
    plan: list[tuple[str, BrowserContext, str]] = []
    for role in roles:
        ctx = _new_context(browser)
        home = _sign_in(ctx, ROLES[role])
        for path in _pages_of(ctx, home):
            plan.append((role, ctx, path))
    print(f"{len(plan)} pages: " + ", ".join(f"{r} {p}" for r, _, p in plan), flush=True)
    blank: list[tuple[float, float, float, float]] = []
    samples: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {(r, p): [] for r, _, p in plan}
    for _role, ctx, path in plan:  # warm-up: each page once
        _load(ctx, f"{PRM_URL}{path}", "main")
    for _ in range(n):
        for role, ctx, path in plan:
            blank.append(_load(blank_ctx, f"{BLANK_URL}/", "h1"))
            samples[(role, path)].append(_load(ctx, f"{PRM_URL}{path}", "main"))
    base = statistics.median(t for t, *_ in blank)
    rows = [
        {"role": role, "page": _shape(path), "url": path, **_row(loads, base)}
        for (role, path), loads in samples.items()
    ]
    return {"blank": _row(blank, base), "pages": rows}


def _row(loads: list[tuple[float, float, float, float]], base: float) -> dict[str, float]:
    """Median / p95 of the loads' times, and the medians of their boot, main-thread busy time and DOM nodes."""
    s = _summary([t for t, *_ in loads])
    boot, busy, nodes = (round(statistics.median(x[i] for x in loads), 1) for i in (1, 2, 3))
    return {**s, "boot_ms": boot, "busy_ms": busy, "nodes": nodes, "ratio": round(s["median_ms"] / base, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=7, help="loads per page (after one warm-up)")
    ap.add_argument("--roles", default=",".join(ROLES), help="comma-separated, of: " + ", ".join(ROLES))
    args = ap.parse_args()
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    with prm_and_blank(_prm_server, _blank_server, "prm-every-page-", f"{args.n} loads per page") as browser:
        result = _measure(browser, roles, args.n)
    blank = result["blank"]
    loads = len(result["pages"]) * args.n
    print(
        f"\nblank Reflex page: median {blank['median_ms']:.0f} ms, p95 {blank['p95_ms']:.0f} ms, "
        f"of which {blank['boot_ms']:.0f} ms before its socket opened (N={loads})"
    )
    print(
        f"{'role':<16}{'page':<30}{'median':>8}{'p95':>8}{'boot':>7}{'events':>8}{'busy':>7}{'nodes':>7}{'x blank':>9}"
    )
    for r in [{"role": "(blank page)", "page": "/", **blank}, *sorted(result["pages"], key=lambda r: -r["ratio"])]:
        flag = "" if r["ratio"] <= TARGET else "  over"
        events = r["median_ms"] - r["boot_ms"]
        print(
            f"{r['role']:<16}{r['page']:<30}{r['median_ms']:>8.0f}{r['p95_ms']:>8.0f}{r['boot_ms']:>7.0f}{events:>8.0f}"
            f"{r['busy_ms']:>7.0f}{r['nodes']:>7.0f}{r['ratio']:>9.2f}{flag}"
        )
    over = [r for r in result["pages"] if r["ratio"] > TARGET]
    print(f"\n{len(result['pages']) - len(over)} of {len(result['pages'])} pages within {TARGET}x the blank page")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "every_page",
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "n": args.n,
                "quiet_ms": QUIET_MS,
                "rule": "fresh tab per load; <main> visible and the event socket quiet for quiet_ms; the time is the "
                "last frame received before the quiet, or <main> showing if later",
                **result,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
