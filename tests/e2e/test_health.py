"""The served app answers its health endpoints: liveness, and readiness with the database (and Redis when the
app runs scale-out) actually reachable."""

from __future__ import annotations

import os
import re

import httpx


def test_liveness_and_readiness_of_the_served_app(app_server: str):
    live = httpx.get(f"{app_server}/healthz", timeout=10)
    ready = httpx.get(f"{app_server}/readyz", timeout=10)

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    expected = {"status": "ok", "database": "ok", "jobs": "ok"}
    if os.environ.get("E2E_REDIS_URL"):
        expected["redis"] = "ok"
    assert (ready.status_code, ready.json()) == (200, expected)


def test_the_builds_fingerprinted_files_are_cached_for_good_and_pages_are_not(app_server: str):
    page = httpx.get(f"{app_server}/login", timeout=10, follow_redirects=True)
    scripts = re.findall(r"(/assets/[\w.-]+\.js)", page.text)
    assert page.status_code == 200 and scripts  # the page names the build's files
    assert "immutable" not in page.headers.get("cache-control", "")
    script = httpx.get(f"{app_server}{scripts[0]}", timeout=10)
    assert script.status_code == 200
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
