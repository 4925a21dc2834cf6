"""The deal-submit round trip in the browser vs a blank Reflex event, measured in the same run (target: <= 1.5x).

Starts two prod builds side by side (`reflex run --env prod --single-port`, with page_load.py's Server helper):

- the PRM app from this checkout on port 3068, on a fresh migrated + seeded SQLite database in a temp dir, with
  its own frontend build in .web-3068 (REFLEX_WEB_WORKDIR) so it never shares a build with `make run`, the e2e
  suite or page_load.py;
- a blank Reflex app generated into a temp dir on port 3069: one page with a "Bump" button whose handler does
  `self.count += 1` and a text showing the count -- one event, no database, no auth: the floor of a round trip.

One headless Debian Chromium (Playwright) drives both, interleaving the two kinds of sample:

- blank: click "Bump" -> the count text changes. 5 warm-ups, then 30 samples.
- submit: signed in as a partner, /deals/new is loaded and filled with a unique company and domain (so no conflict
  interferes), the debounced live conflict check is let to finish (no socket traffic for 0.5 s), then
  click "Submit registration" -> the URL becomes /deals/<id>. 2 warm-ups, then 20 samples.

Each sample is timed in the page with performance.now(), from the `click` event (captured on document) to the
DOM change (a MutationObserver on the count) or to the URL change (the Navigation API's currententrychange), so
Playwright's own latency is not in it; the driver's wall clock (click() call -> wait returned) is recorded as
well, and the WebSocket frames the page sent in between (one per Reflex event). Prints median / p95 for both and
the submit / blank ratio of the medians; results also go to bench/results/event_roundtrip.json. Figures only:
nothing is asserted. Both servers' process groups are killed at the end, also on error, Ctrl-C or SIGTERM.

Run from the repo root: `python bench/event_roundtrip.py`.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# page_load.py (same directory) re-runs the script under the project's venv if needed, and has the server helper.
from page_load import BLANK_RXCONFIG, Server, _base_env, prm_and_blank
from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[1]
PRM_PORT = 3068
BLANK_PORT = 3069
PRM_URL = f"http://localhost:{PRM_PORT}"
BLANK_URL = f"http://localhost:{BLANK_PORT}"
PRM_WEB_WORKDIR = ROOT / f".web-{PRM_PORT}"
N_BLANK, WARMUP_BLANK = 30, 5
N_SUBMIT, WARMUP_SUBMIT = 20, 2
TARGET_RATIO = 1.5
QUIET_S = 0.5  # no event-socket traffic for this long before a timed click: the debounced checks have answered
TIMEOUT_MS = 30_000
PARTNER_EMAIL = "sam.carter@bluepeak.example"
PARTNER_PASSWORD = "demo-partner-2026"
PRODUCT = re.compile(r"^\s*Core Platform \(annual\)")
DEAL_URL = re.compile(rf"^{re.escape(PRM_URL)}/deals/\d+/?(\?.*)?$")
RESULTS = ROOT / "bench" / "results" / "event_roundtrip.json"

BLANK_APP = """\
import reflex as rx


class BlankState(rx.State):
    count: int = 0

    @rx.event
    def bump(self):
        self.count += 1


def index() -> rx.Component:
    return rx.vstack(
        rx.button("Bump", on_click=BlankState.bump),
        rx.text(BlankState.count, id="count"),
    )


app = rx.App()
app.add_page(index, route="/", title="Blank")
"""

# Arms one measurement in the page: the time of the next click, and of the DOM change ("text") or of the URL
# becoming /deals/<id> ("url"). Results land in window.__bench.
ARM_JS = """
(kind) => {
  const b = { click: null, done: null, kind, via: null };
  window.__bench = b;
  document.addEventListener("click", () => { if (b.click === null) b.click = performance.now(); },
                            { capture: true, once: true });
  if (kind === "text") {
    const el = document.getElementById("count");
    const before = el.textContent;
    const obs = new MutationObserver(() => {
      if (b.done !== null || el.textContent === before) return;
      b.done = performance.now();
      b.via = "mutation";
      obs.disconnect();
    });
    obs.observe(el, { subtree: true, childList: true, characterData: true });
  } else {
    const onDeal = () => /^\\/deals\\/\\d+\\/?$/.test(location.pathname);
    if (window.navigation) {
      const listener = () => {
        if (b.done === null && onDeal()) { b.done = performance.now(); b.via = "navigation"; }
        if (b.done !== null) navigation.removeEventListener("currententrychange", listener);
      };
      navigation.addEventListener("currententrychange", listener);
    } else {
      const poll = () => {
        if (onDeal()) { b.done = performance.now(); b.via = "raf"; } else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    }
  }
}
"""

# Logs when the page sends a WebSocket frame (one per Reflex event; Socket.IO pings are rare), to count the events
# a click costs.
SEND_LOG_JS = """
window.__sends = [];
window.__recvs = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new NativeWebSocket(...args);
  ws.addEventListener("message", () => window.__recvs.push(performance.now()));
  return ws;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  window.__sends.push(performance.now());
  return send.call(this, data);
};
"""


# ---------------------------------------------------------------------------------------------------------------
# Servers


def _prm_server(tmp: Path) -> Server:
    env = _base_env()
    env["REFLEX_DB_URL"] = f"sqlite:///{tmp / 'prm.db'}"
    env["PRM_APP_ORIGIN"] = PRM_URL
    env["PRM_DEMO"] = "1"  # served with the demo program's accounts
    env["REFLEX_WEB_WORKDIR"] = str(PRM_WEB_WORKDIR)  # its own frontend build: the port is baked into it
    for cmd in (["alembic", "upgrade", "head"], [sys.executable, "-m", "prm_app.cli", "seed"]):
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return Server("PRM", ROOT, PRM_PORT, env, tmp / "prm-server.log")


def _blank_server(tmp: Path) -> Server:
    app_dir = tmp / "blank"
    (app_dir / "blank").mkdir(parents=True)
    (app_dir / "rxconfig.py").write_text(BLANK_RXCONFIG)
    (app_dir / "blank" / "__init__.py").write_text("")
    (app_dir / "blank" / "blank.py").write_text(BLANK_APP)
    env = _base_env()
    env.pop("REFLEX_WEB_WORKDIR", None)  # its .web goes in the temp dir with the app
    return Server("blank", app_dir, BLANK_PORT, env, tmp / "blank-server.log")


# ---------------------------------------------------------------------------------------------------------------
# Browser side


class Traffic:
    """When the page's event socket last sent or received a frame, and where the sockets went."""

    def __init__(self, page: Page, origin: str) -> None:
        self.last = time.monotonic()
        self.origin = origin
        self.strays: list[str] = []
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        if ws.url.split("/", 3)[2] != self.origin:
            self.strays.append(ws.url)
        ws.on("framesent", self._frame)
        ws.on("framereceived", self._frame)

    def _frame(self, _payload) -> None:
        self.last = time.monotonic()

    def wait_quiet(self, page: Page, since: float) -> None:
        """Until nothing went over the socket for QUIET_S and QUIET_S has passed since `since`."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() - max(self.last, since) < QUIET_S:
            if time.monotonic() > deadline:
                raise RuntimeError("the event socket never went quiet")
            page.wait_for_timeout(50)  # Playwright delivers the frame events while it waits

    def check(self) -> None:
        if self.strays:
            raise RuntimeError(f"a page opened its event socket at {self.strays[0]}, not at {self.origin}")


Sample = tuple[float, float, str, int, float]  # change ms, wall ms, via, frames sent, reply ms


def _timed_click(page: Page, kind: str, click, wait) -> Sample:
    """(in-page ms from the click event to the change, driver wall-clock ms, how the change was seen, socket
    frames the page sent between the two)."""
    page.evaluate(ARM_JS, kind)
    t0 = time.perf_counter()
    click()
    wait()
    page.wait_for_function("() => window.__bench && window.__bench.done !== null")
    wall = (time.perf_counter() - t0) * 1000
    b = page.evaluate(
        "() => ({...window.__bench, "
        "sent: window.__sends.filter(t => t >= window.__bench.click && t <= window.__bench.done).length, "
        "reply: Math.min(...window.__recvs.filter(t => t >= window.__bench.click))})"
    )
    # reply: the click to the first socket message back, i.e. the event's round trip without the page's rendering
    return b["done"] - b["click"], wall, b["via"], b["sent"], b["reply"] - b["click"]


class Blank:
    def __init__(self, context: BrowserContext) -> None:
        self.page = context.new_page()
        self.traffic = Traffic(self.page, f"localhost:{BLANK_PORT}")
        self.page.goto(f"{BLANK_URL}/")
        self.count = self.page.locator("#count")
        self.button = self.page.get_by_role("button", name="Bump")
        self.count.wait_for(state="visible")
        self.traffic.wait_quiet(self.page, time.monotonic())

    def sample(self) -> Sample:
        before = int(self.count.inner_text())
        self.traffic.wait_quiet(self.page, 0)
        result = _timed_click(
            self.page,
            "text",
            self.button.click,
            lambda: self.page.wait_for_function(
                "(n) => document.getElementById('count').textContent === String(n)", arg=before + 1
            ),
        )
        self.traffic.check()
        return result


class Submit:
    def __init__(self, context: BrowserContext) -> None:
        self.page = context.new_page()
        self.traffic = Traffic(self.page, f"localhost:{PRM_PORT}")
        self.token = uuid.uuid4().hex[:8]
        self.i = 0
        page = self.page
        page.goto(f"{PRM_URL}/login")
        page.get_by_label("Email").fill(PARTNER_EMAIL)
        page.get_by_label("Password").fill(PARTNER_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(rf"^{re.escape(PRM_URL)}/portal/?$"))

    def sample(self) -> Sample:
        page, i = self.page, self.i
        self.i += 1
        company, domain = f"Bench {i} {self.token} Ltd", f"bench{i}{self.token}.com"
        page.goto(f"{PRM_URL}/deals/new")
        page.get_by_label(PRODUCT).wait_for(state="visible")  # the page's on_load has answered
        page.get_by_label("Company name").fill(company)
        page.get_by_label("Website or email domain").fill(domain)
        page.get_by_label("Country").select_option("US")
        page.get_by_label("Contact name").fill("Art Vandelay")
        page.get_by_label("Contact email").fill(f"art@{domain}")
        page.get_by_label(PRODUCT).check()
        page.get_by_label("Estimated value").fill("48,000")
        page.get_by_label("Currency").select_option("USD")
        page.get_by_label("Expected close date").fill((date.today() + timedelta(days=45)).isoformat())
        page.get_by_label("Stage").select_option("Proposal")
        filled = time.monotonic()
        self.traffic.wait_quiet(page, filled)  # the debounced name / site checks have been sent and answered
        result = _timed_click(
            page,
            "url",
            page.get_by_role("button", name="Submit registration").click,
            lambda: page.wait_for_url(DEAL_URL),
        )
        self.traffic.check()
        return result


def _new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.add_init_script(SEND_LOG_JS)
    return context


def _schedule() -> list[str]:
    """Both kinds spread evenly over the run, so drift in machine load hits them alike."""
    slots = [((k + 0.5) / N_BLANK, "blank") for k in range(N_BLANK)]
    slots += [((k + 0.5) / N_SUBMIT, "submit") for k in range(N_SUBMIT)]
    return [kind for _pos, kind in sorted(slots)]


def _measure(browser: Browser) -> dict[str, list[Sample]]:
    blank_ctx, prm_ctx = _new_context(browser), _new_context(browser)
    try:
        runners = {"blank": Blank(blank_ctx), "submit": Submit(prm_ctx)}
        for _ in range(WARMUP_BLANK):
            runners["blank"].sample()
        for _ in range(WARMUP_SUBMIT):
            runners["submit"].sample()
        samples: dict[str, list[Sample]] = {"blank": [], "submit": []}
        for kind in _schedule():
            samples[kind].append(runners[kind].sample())
        return samples
    finally:
        blank_ctx.close()
        prm_ctx.close()


# ---------------------------------------------------------------------------------------------------------------
# Report


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(statistics.quantiles(values, n=20, method="inclusive")[18], 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def _reflex_version() -> str:
    from importlib.metadata import version

    return version("reflex")


def _report(samples: dict[str, list[Sample]], chromium_version: str) -> tuple[str, dict]:
    in_page = {k: _summary([s[0] for s in v]) for k, v in samples.items()}
    reply = {k: _summary([s[4] for s in v]) for k, v in samples.items()}
    reply_ratio = reply["submit"]["median_ms"] / reply["blank"]["median_ms"]
    wall = {k: _summary([s[1] for s in v]) for k, v in samples.items()}
    ratio = in_page["submit"]["median_ms"] / in_page["blank"]["median_ms"]
    ratio_p95 = in_page["submit"]["p95_ms"] / in_page["blank"]["p95_ms"]
    ratio_wall = wall["submit"]["median_ms"] / wall["blank"]["median_ms"]
    met = reply_ratio <= TARGET_RATIO
    labels = {
        "blank": f"blank Reflex event (click Bump -> count), N={N_BLANK}",
        "submit": f"PRM deal submit (click -> /deals/<id>), N={N_SUBMIT}",
    }
    lines = [
        f"{'round trip (ms)':<52}{'median':>8}{'p95':>8}{'min':>8}{'max':>8}{'wall med':>10}",
    ]
    for key, label in labels.items():
        r = in_page[key]
        lines.append(
            f"{label:<52}{r['median_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['min_ms']:>8.1f}{r['max_ms']:>8.1f}"
            f"{wall[key]['median_ms']:>10.1f}"
        )
    lines += [
        "(in the page: click event -> DOM / URL change; 'wall med' = driver wall clock, Playwright click() -> wait)",
        "",
        "socket frames the page sent per timed click (one per Reflex event): "
        + ", ".join(f"{k} {'/'.join(str(n) for n in sorted({s[3] for s in v}))}" for k, v in samples.items()),
        f"click -> DOM/URL change, submit / blank: {ratio:.2f}x by median (p95: {ratio_p95:.2f}x; driver wall "
        f"clock: {ratio_wall:.2f}x) -- includes rendering the new page for the submit",
        f"round trip (click -> first socket message back): blank {reply['blank']['median_ms']:.1f} ms, submit "
        f"{reply['submit']['median_ms']:.1f} ms median (p95 {reply['blank']['p95_ms']:.1f} / "
        f"{reply['submit']['p95_ms']:.1f}): {reply_ratio:.2f}x",
        f"target: submit round trip <= {TARGET_RATIO}x a blank Reflex event -> " + ("MET" if met else "NOT MET"),
    ]
    data = {
        "benchmark": "event_roundtrip",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "timing": "in the page: performance.now() at the click event (document, capture) -> the count's text "
        "changes (MutationObserver) / location becomes /deals/<id> (navigation currententrychange); 'wall' is "
        "time.perf_counter around Playwright's click() + wait. Samples of both kinds interleaved, same browser.",
        "blank": {
            "url": f"{BLANK_URL}/",
            "what": "click 'Bump' (handler: self.count += 1) until the count text changes",
            "warmups": WARMUP_BLANK,
            "n": N_BLANK,
        },
        "submit": {
            "url": f"{PRM_URL}/deals/new",
            "what": f"signed in as {PARTNER_EMAIL}; form filled with a unique company + domain, socket quiet for "
            f"{QUIET_S}s, then click 'Submit registration' until the URL is /deals/<id>",
            "warmups": WARMUP_SUBMIT,
            "n": N_SUBMIT,
        },
        "in_page": in_page,
        "wall": wall,
        "ratio_submit_over_blank_median": round(ratio, 2),
        "ratio_submit_over_blank_p95": round(ratio_p95, 2),
        "target_ratio": TARGET_RATIO,
        "target_met": met,
        "seen_via": {k: sorted({s[2] for s in v}) for k, v in samples.items()},
        "socket_frames_sent_per_click": {k: sorted({s[3] for s in v}) for k, v in samples.items()},
        "samples_ms": {k: [round(s[0], 1) for s in v] for k, v in samples.items()},
        "wall_samples_ms": {k: [round(s[1], 1) for s in v] for k, v in samples.items()},
        "env": {
            "reflex": _reflex_version(),
            "chromium": chromium_version,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
        },
    }
    return "\n".join(lines), data


def main() -> int:
    what = f"{WARMUP_BLANK} + {N_BLANK} blank events and {WARMUP_SUBMIT} + {N_SUBMIT} submits"
    with prm_and_blank(_prm_server, _blank_server, "prm-roundtrip-", what) as browser:
        samples = _measure(browser)
        chromium_version = browser.version

    text, data = _report(samples, chromium_version)
    print()
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
