"""A web worker dies (SIGKILL) while a partner watches a page: the server respawns it, the browser reconnects by
itself and carries on signed in, and what was committed before is there exactly once.

Runs scaled out (several workers, state in Redis), where one worker's death must not end the app: before the
launcher (prm_app.web.server) set granian's respawn option, this shut the whole server down.
"""

from __future__ import annotations

import os
import signal
import time
import urllib.request
import uuid

import psutil
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SERVER, at, log_in
from tests.e2e.test_deal_registration import PARTNER_A, _fill_deal

pytestmark = pytest.mark.skipif(not os.environ.get("E2E_REDIS_URL"), reason="needs several workers (E2E_REDIS_URL)")


def web_workers() -> list[psutil.Process]:
    """The server's web workers: its children forked from it (the job consumer is a separate program)."""
    main = psutil.Process(SERVER["pid"])
    workers = []
    for child in main.children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and child.cmdline() == main.cmdline():
                workers.append(child)
        except psutil.Error:  # gone, or a zombie not yet reaped: not a worker
            continue
    return workers


def _ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def register(page: Page, company: str) -> None:
    """The signed-in partner registers a deal for `company` through the form."""
    page.goto("/deals/new")
    _fill_deal(page, company, f"site-{uuid.uuid4().hex[:8]}.com")
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))


def deals_list_shows(page: Page, company: str) -> None:
    """Navigating within the page (its events over the socket, no reload) reaches the deal list, which shows
    `company` exactly once."""
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Leads").click()
    page.wait_for_url(at("/leads"))
    nav.get_by_role("link", name="Deals").click()
    page.wait_for_url(at("/deals"))
    expect(page.locator("tbody tr", has_text=company)).to_have_count(1, timeout=30_000)


def test_a_killed_worker_is_respawned_and_the_page_carries_on(page: Page, app_server: str):
    company = f"Respawn {uuid.uuid4().hex[:6]} Holdings"
    log_in(page, PARTNER_A, expect_path="/portal")
    register(page, company)
    deals_list_shows(page, company)

    before = web_workers()
    assert len(before) >= 2, f"expected several web workers, found {len(before)}"
    for worker in before:  # the page's socket is on one of them: every one dies
        worker.send_signal(signal.SIGKILL)

    deadline = time.time() + 60
    while time.time() < deadline:
        now = web_workers()
        if len(now) == len(before) and not {w.pid for w in now} & {w.pid for w in before} and _ready(app_server):
            break
        time.sleep(0.5)
    else:
        log = SERVER["log"].read_text()[-3000:]
        raise AssertionError(f"workers not respawned: {[w.pid for w in web_workers()]}\n{log}")
    assert psutil.pid_exists(SERVER["pid"]), "the server itself exited"

    # The same page, never reloaded: navigating runs its events over a reconnected socket, still signed in.
    deals_list_shows(page, company)
    # And a change after the restart is applied once.
    register(page, f"{company} II")
    page.goto("/deals")
    expect(page.locator("tbody tr", has_text=f"{company} II")).to_have_count(1)
