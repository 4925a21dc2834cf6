"""End-to-end harness: one prod build of the app per test session, on a fresh migrated + seeded database,
driven by Debian's Chromium through Playwright.

Set E2E_DB_URL to run against PostgreSQL and E2E_REDIS_URL to run with several workers sharing Redis.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e import shared_build
from tests.mail.smtp_sink import Sink, start_sink

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("E2E_PORT", "3055"))
BASE_URL = f"http://localhost:{PORT}"
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
DEMO_PASSWORD = "demo-partner-2026"
# An assertion waits up to 10 s (Playwright's default is 5): `make test` runs three suites at once on two cores, and
# a page whose load does a few dozen queries (the MDF budgets with their returns) took longer than 5 s there once.
# A failing assertion only fails later; actions keep their own 15 s (the contexts' default timeout).
expect.set_options(timeout=10_000)
SERVER: dict = {}  # the running server's main process id ("pid") and log file ("log"), for the fault tests


# The server makes its prod build before it answers: `make test` runs three of them beside the unit tests on two
# cores, where a build took more than 5 minutes once.
def _wait_until_up(proc: subprocess.Popen, log: Path, timeout: float = 900) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app server exited early:\n{log.read_text()[-4000:]}")
        try:
            with (
                urllib.request.urlopen(f"{BASE_URL}/ping", timeout=2) as r1,
                urllib.request.urlopen(f"{BASE_URL}/login", timeout=2) as r2,
            ):
                if r1.status == 200 and r2.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"app server did not come up in {timeout}s:\n{log.read_text()[-4000:]}")


def _fresh_database(tmp: Path) -> str:
    url = os.environ.get("E2E_DB_URL")
    if not url:
        return f"sqlite:///{tmp / 'e2e.db'}"
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _through_fault_proxies(env: dict[str, str]) -> None:
    """Scaled out, the server reaches PostgreSQL and Redis through proxies a test can cut (tests/e2e/test_outage.py):
    SERVER["database_proxy"], SERVER["redis_proxy"]."""
    from sqlalchemy.engine import make_url

    from tests.e2e.fault_proxy import FaultProxy

    if env["REFLEX_DB_URL"].startswith("postgresql"):
        url = make_url(env["REFLEX_DB_URL"])
        SERVER["database_proxy"] = proxy = FaultProxy(url.host or "127.0.0.1", url.port or 5432)
        env["REFLEX_DB_URL"] = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    if redis_url := env.get("REFLEX_REDIS_URL"):
        parts = urllib.parse.urlsplit(redis_url)
        SERVER["redis_proxy"] = proxy = FaultProxy(parts.hostname or "127.0.0.1", parts.port or 6379)
        env["REFLEX_REDIS_URL"] = parts._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> str:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            # Another server answering here would take our browsers' events: fail loudly, never share.
            raise RuntimeError(f"port {PORT} is already in use; stop that server or set E2E_PORT")
    tmp = tmp_path_factory.mktemp("e2e")
    env = dict(os.environ)
    env.update(
        REFLEX_DB_URL=_fresh_database(tmp),
        PRM_APP_ORIGIN=BASE_URL,
        PRM_DEMO="1",  # the demo program's accounts sign in; production would refuse to start on them
        PRM_METRICS_TOKEN="e2e-metrics-token",  # /metrics answers it (tests/e2e/test_metrics.py scrapes)
        # A job queue of this run's own: scaled out it lives in a shared Redis, whose counters (failed runs) and
        # waiting jobs must not carry over from an earlier run.
        PRM_JOBS_QUEUE=f"prm-jobs-e2e-{uuid.uuid4().hex[:8]}",
        REFLEX_TELEMETRY_ENABLED="false",
        # Each port gets its own frontend build, so a test run never shares .web with `make run` or a bench
        # (the build bakes in the event socket's URL).
        REFLEX_WEB_WORKDIR=str(ROOT / f".web-{PORT}"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    if os.environ.get("E2E_REDIS_URL"):
        env["REFLEX_REDIS_URL"] = os.environ["E2E_REDIS_URL"]
        # Several workers sharing state is what this suite is for: two at least, on a machine (or a CI runner)
        # that gives this process a single core, where the launcher would otherwise run one per core, i.e. one.
        if len(os.sched_getaffinity(0)) < 2:
            env.setdefault("PRM_WEB_WORKERS", "2")
    else:
        env.pop("REFLEX_REDIS_URL", None)
    _through_fault_proxies(env)
    # Mail goes to a real SMTP server of this test run (aiosmtpd): SERVER["mailbox"] holds what arrived.
    smtp, SERVER["mailbox"] = start_sink()
    env.update(PRM_SMTP_URL=f"smtp://{smtp.hostname}:{smtp.port}", PRM_MAIL_FROM="Open PRM <no-reply@prm.example>")
    # The hourly certificate reminders (runtime/jobs.py, at minute 7) run once before the server starts, as they
    # would have since the demo's certificates were issued: otherwise the first run lands mid-suite at xx:07, and
    # the handler sweep took its notices and emails for the doing of whichever handler it was checking.
    remind = "from prm_app.runtime.jobs import remind_expiring_certificates_now as run; run()"
    for cmd in (
        ["alembic", "upgrade", "head"],
        [sys.executable, "-m", "prm_app.cli", "seed"],
        [sys.executable, "-c", remind],
    ):
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    launch = [sys.executable, "-m", "prm_app.web.server", "--port", str(PORT)]
    if shared := shared_build.plan(PORT):  # another suite of this run builds: serve a copy of its build
        shared_build.adopt(*shared, port=PORT)
        launch.append("--prebuilt")
    log = tmp / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            # The production launcher (what `make run` and `cli serve` run): workers respawned, the job consumer beside.
            launch,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(proc, log)
        shared_build.publish(PORT)
        SERVER["pid"], SERVER["log"] = proc.pid, log
        SERVER["jobs"] = {k: env.get(k, "") for k in ("REFLEX_DB_URL", "REFLEX_REDIS_URL", "PRM_JOBS_QUEUE")}
        yield BASE_URL
    finally:
        _stop_gracefully(proc, log)
        smtp.stop()
        if redis_url := env.get("REFLEX_REDIS_URL"):
            from huey import RedisHuey

            RedisHuey(env["PRM_JOBS_QUEUE"], url=os.environ.get("E2E_REDIS_URL", redis_url)).storage.flush_all()


def _stop_gracefully(proc: subprocess.Popen, log: Path) -> None:
    """SIGTERM to the server's main process alone, as a supervisor sends it: the server must stop its web workers
    and its job consumer itself, in time, leaving no process behind (else the run fails here, at teardown)."""
    import psutil

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=45)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError(f"the server did not stop on SIGTERM:\n{log.read_text()[-3000:]}") from None
    _gone, alive = psutil.wait_procs(family, timeout=15)
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError(f"processes outlived the server: {[p.cmdline() for p in alive]}")


@pytest.fixture
def mailbox(app_server: str) -> Sink:
    """The SMTP server the app sends its mail to in this run (what arrived, by address: `for_address`)."""
    return SERVER["mailbox"]


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    setattr(item, f"rep_{call.when}", outcome.get_result())


def _keep_evidence(request, p: Page) -> None:
    """On failure, keep a screenshot and the page text in test-results/ (git-ignored) for whoever debugs it."""
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        out = ROOT / "test-results"
        out.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]", "_", request.node.nodeid)[-120:]
        p.screenshot(path=str(out / f"{name}.png"), full_page=True)
        (out / f"{name}.txt").write_text(f"{p.url}\n\n{p.locator('body').inner_text()}")


def live_goto(p: Page) -> Page:
    """page.goto that returns once the app is live: a person cannot type before hydration, a test can, and what
    it types then reaches no event handler (flaky under load, with several workers)."""
    goto = p.goto

    def live_goto(url: str, **kwargs):
        response = goto(url, **kwargs)
        wait_live(p)
        return response

    p.goto = live_goto  # type: ignore[method-assign]
    return p


@pytest.fixture
def page(request, browser: Browser, app_server: str) -> Page:
    context = browser.new_context(base_url=app_server, viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    context.on("page", live_goto)
    p = live_goto(context.new_page())
    yield p
    _keep_evidence(request, p)
    context.close()


@pytest.fixture
def mobile_page(request, browser: Browser, app_server: str) -> Page:
    context = browser.new_context(
        base_url=app_server, viewport={"width": 375, "height": 740}, is_mobile=True, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    p = live_goto(context.new_page())
    yield p
    _keep_evidence(request, p)
    context.close()


_axe = Axe()


PHONE = {"width": 375, "height": 740}


def assert_accessible(page: Page, *, dark: bool = False, phone: bool = False) -> None:
    """No serious or critical axe-core violations on the page as it is now; with `dark` also in dark mode, with
    `phone` also at 375 px wide (and, with both, dark at 375 px). The page is put back as it was afterwards.
    (With an alert dialog open axe judges the dimmed page: run it before opening one.)"""
    _assert_no_violations(page, "as shown")
    width_before = page.viewport_size
    try:
        if phone and width_before != PHONE:
            page.set_viewport_size(PHONE)
            _assert_no_violations(page, "at 375 px")
        if dark:
            set_color_scheme(page, "dark")
            _assert_no_violations(page, "in dark mode" + (" at 375 px" if phone else ""))
    finally:
        if dark:
            set_color_scheme(page, "light")
        if width_before and page.viewport_size != width_before:
            page.set_viewport_size(width_before)


def set_color_scheme(page: Page, scheme: str) -> None:
    """The system colour scheme the page sees; the app follows it (Reflex's colour mode is "system")."""
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.wait_for_function("dark => document.documentElement.classList.contains('dark') === dark", arg=scheme == "dark")


def _assert_no_violations(page: Page, how: str) -> None:
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{how}:\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(f"{n['target']}: {n.get('failureSummary', '')}" for n in v["nodes"][:3])
        for v in bad
    )


def at(path: str, *, regex: bool = False) -> re.Pattern:
    """A whole-URL pattern for `path` (a literal, or a regex with regex=True), with or without the trailing slash
    the static build adds. Playwright matches URL patterns from the start, so the origin is part of it."""
    return re.compile(rf"^{re.escape(BASE_URL)}{path if regex else re.escape(path)}/?(\?.*)?$")


def wait_live(page: Page) -> None:
    """Wait until the page has hydrated: typing before that reaches no event handler (a person is slower)."""
    page.locator('main[data-hydrated="true"]').wait_for()


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD, expect_path: str | None = None) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect_path:
        # Sign-in is a form post answered by a redirect: a full page load, live only once it has hydrated.
        page.wait_for_url(at(expect_path))
        wait_live(page)


def send_job(task) -> None:
    """Put one run of `task` (a job of prm_app/runtime/jobs.py) on the running server's queue, for its consumer to
    run now, as the web workers do after a commit: work a test wrote from its own process otherwise waits for the
    consumer's once-a-minute periodic run."""
    import dataclasses

    from prm_app.platform.settings import settings
    from prm_app.runtime.queue import make_queue, queue

    jobs = SERVER["jobs"]
    server = dataclasses.replace(
        settings, db_url=jobs["REFLEX_DB_URL"], redis_url=jobs["REFLEX_REDIS_URL"] or None,
        jobs_queue=jobs["PRM_JOBS_QUEUE"], jobs_db=None,
    )  # fmt: skip
    # Serialized by this process's queue, where the task is registered; stored where the server's consumer reads.
    make_queue(server).storage.enqueue(queue.serialize_task(task.s()))


def unique_email(prefix: str = "new") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:8]}@example.com"


@pytest.fixture
def app_db(app_server, tmp_path_factory):
    """A session factory on the running app's database (for writing a test's starting point by the use cases)."""
    from sqlmodel import Session

    from prm_app.platform.db import make_engine
    from tests.e2e.sweep_support import e2e_database_url

    engine = make_engine(e2e_database_url(tmp_path_factory.getbasetemp()))
    yield lambda: Session(engine, expire_on_commit=False)
    engine.dispose()


def actor_of(session, email: str):
    """The Actor of the person with `email` (for calling the use cases as they would)."""
    from sqlmodel import select

    from prm_app.identity import User
    from prm_app.platform.access import Actor, Role

    user = session.exec(select(User).where(User.email == email)).one()
    return Actor(user_id=user.id, role=Role(user.role), organization_id=user.organization_id, name=user.full_name)


def register_as(app_db, email: str, company: str, site: str) -> int:
    """A registration for `company` (`site`) submitted by `email`, as the deal form writes it: its id."""
    from sqlmodel import select

    from prm_app.deals import DealInput, Product, register_deal

    with app_db() as session:
        core = session.exec(select(Product.id).where(Product.sku == "PRM-CORE")).one()
        data = DealInput(
            customer_name=company,
            customer_site=site,
            country="US",
            contact_name="Art Vandelay",
            contact_email=f"art@{site}",
            product_ids=(core,),
            estimated_value="12000",
            currency="USD",
            expected_close=(date.today() + timedelta(days=45)).isoformat(),
            stage="Proposal",
        )
        deal_id = register_deal(session, actor_of(session, email), data, submit=True)
        session.commit()
    return deal_id


def submitted_registration(app_db, partner_email: str = "jake.morris@cobaltsys.example") -> tuple[int, str]:
    """A registration submitted by `partner_email`'s organization (Cobalt Systems, in maya.cm's book), as the
    deal form writes it: (id, customer name)."""
    token = uuid.uuid4().hex[:6]
    company, site = f"Phonecheck {token} Ltd", f"phonecheck{token}.com"
    return register_as(app_db, partner_email, company, site), company
