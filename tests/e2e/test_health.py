"""The served app answers its health endpoints: liveness, and readiness with the database (and Redis when the
app runs scale-out) actually reachable."""

from __future__ import annotations

import os

import httpx


def test_liveness_and_readiness_of_the_served_app(app_server: str):
    live = httpx.get(f"{app_server}/healthz", timeout=10)
    ready = httpx.get(f"{app_server}/readyz", timeout=10)

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    expected = {"status": "ok", "database": "ok", "jobs": "ok"}
    if os.environ.get("E2E_REDIS_URL"):
        expected["redis"] = "ok"
    assert (ready.status_code, ready.json()) == (200, expected)
