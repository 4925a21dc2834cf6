"""The course player's lesson switch in the browser vs a blank Reflex event, measured in the same run.

The same two prod builds as event_roundtrip.py (its servers and helpers, ports 3068 and 3069): the PRM app on a
fresh seeded SQLite database, and a blank Reflex app whose "Bump" handler does `self.count += 1`.

- blank: click "Bump" -> the count changes. 5 warm-ups, then 30 samples.
- switch: signed in as Omar (Northwind), the Core Platform essentials player; click the other reading lesson in
  the outline -> the lesson's title (#lesson-title) changes. The handler checks the session and the course's
  audience, reads the lesson, renders its sanitized markdown and moves the resume pointer (one unit of work).
  3 warm-ups, then 30 samples.

Samples are interleaved and timed in the page (performance.now() from the click event to the DOM change), and as
the click -> first socket message back (the event's round trip without rendering). Prints median / p95 and the
switch / blank ratio; results go to bench/results/training_lesson_switch.json. Figures only: nothing is asserted.

Run from the repo root: `python bench/training_lesson_switch.py`.
"""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import UTC, datetime

from event_roundtrip import (
    PRM_URL,
    ROOT,
    SEND_LOG_JS,
    TIMEOUT_MS,
    Blank,
    Traffic,
    _blank_server,
    _prm_server,
    _summary,
    prm_and_blank,
)
from playwright.sync_api import Browser, BrowserContext

N, WARMUP_BLANK, WARMUP_SWITCH = 30, 5, 3
LEARNER, PASSWORD = "omar.haddad@northwind-dist.example", "demo-partner-2026"
LESSONS = ("What the Core Platform does", "Registering your first deal")
RESULTS = ROOT / "bench" / "results" / "training_lesson_switch.json"

# Arms one measurement: the next click's time and the time #lesson-title's text changes (window.__bench).
ARM_TITLE_JS = """
() => {
  const b = { click: null, done: null };
  window.__bench = b;
  document.addEventListener("click", () => { if (b.click === null) b.click = performance.now(); },
                            { capture: true, once: true });
  const el = document.getElementById("lesson-title");
  const before = el.textContent;
  const obs = new MutationObserver(() => {
    if (b.done === null && el.textContent !== before) { b.done = performance.now(); obs.disconnect(); }
  });
  obs.observe(el, { subtree: true, childList: true, characterData: true });
}
"""
Sample = tuple[float, float]  # click -> DOM change, click -> first socket message back (ms)


class Switch:
    def __init__(self, context: BrowserContext) -> None:
        self.page = page = context.new_page()
        self.traffic = Traffic(page, PRM_URL.split("/")[2])
        page.goto(f"{PRM_URL}/login")
        page.get_by_label("Email").fill(LEARNER)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(rf"^{re.escape(PRM_URL)}/portal/?$"))
        page.goto(f"{PRM_URL}/learn")
        page.get_by_role("link", name="Resume: Core Platform essentials").click()
        page.locator("#lesson-title").wait_for(state="visible")
        self.i = 0

    def sample(self) -> Sample:
        page = self.page
        target = LESSONS[self.i % 2]
        self.i += 1
        if page.locator("#lesson-title").inner_text() == target:  # already there: step to the other one first
            target = LESSONS[self.i % 2]
        self.traffic.wait_quiet(page, 0)
        page.evaluate(ARM_TITLE_JS)
        outline = page.get_by_role("navigation", name="Course outline")
        outline.get_by_role("button", name=target).click()
        page.wait_for_function("() => window.__bench.done !== null")
        b = page.evaluate(
            "() => ({...window.__bench, reply: Math.min(...window.__recvs.filter(t => t >= window.__bench.click))})"
        )
        self.traffic.check()
        return b["done"] - b["click"], b["reply"] - b["click"]


def _blank_sample(blank: Blank) -> Sample:
    done, _wall, _via, _sent, reply = blank.sample()
    return done, reply


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(SEND_LOG_JS)
    return context


def _measure(browser: Browser) -> dict[str, list[Sample]]:
    blank_ctx, prm_ctx = _context(browser), _context(browser)
    try:
        blank, switch = Blank(blank_ctx), Switch(prm_ctx)
        for _ in range(WARMUP_BLANK):
            blank.sample()
        for _ in range(WARMUP_SWITCH):
            switch.sample()
        samples: dict[str, list[Sample]] = {"blank": [], "switch": []}
        for _ in range(N):  # interleaved: drift in machine load hits both alike
            samples["blank"].append(_blank_sample(blank))
            samples["switch"].append(switch.sample())
        return samples
    finally:
        blank_ctx.close()
        prm_ctx.close()


def main() -> int:
    what = f"{N} blank events and {N} lesson switches"
    with prm_and_blank(_prm_server, _blank_server, "prm-lesson-switch-", what) as browser:
        started = time.time()
        samples = _measure(browser)
    dom = {k: _summary([s[0] for s in v]) for k, v in samples.items()}
    reply = {k: _summary([s[1] for s in v]) for k, v in samples.items()}
    ratio = reply["switch"]["median_ms"] / reply["blank"]["median_ms"]
    print(f"{'(ms)':<44}{'median':>8}{'p95':>8}")
    for key, label in (("blank", "blank Reflex event (Bump)"), ("switch", "player lesson switch (outline click)")):
        print(f"{label + ', click -> DOM':<44}{dom[key]['median_ms']:>8.1f}{dom[key]['p95_ms']:>8.1f}")
        print(f"{label + ', click -> reply':<44}{reply[key]['median_ms']:>8.1f}{reply[key]['p95_ms']:>8.1f}")
    print(f"lesson switch / blank event, round trip by median: {ratio:.2f}x ({time.time() - started:.0f} s)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "training_lesson_switch",
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "n": N,
                "click_to_dom": dom,
                "click_to_reply": reply,
                "ratio_switch_over_blank_reply_median": round(ratio, 2),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
