"""Health endpoints for load balancers and orchestrators, on the app's own backend.

- `GET /healthz` (liveness): the process serves HTTP. Nothing else is checked, so a slow database never gets a
  healthy worker killed.
- `GET /readyz` (readiness): the database answers, Redis too when the app runs scale-out (REFLEX_REDIS_URL), and
  the job queue's storage.
  503 with the failing part named otherwise, so a balancer stops sending people to a worker that cannot serve them.

Both answer small JSON, need no sign-in and reveal no data or configuration (no URLs, no versions, no errors).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import redis
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from prm_app.platform.db import session_scope
from prm_app.platform.settings import settings
from prm_app.runtime.queue import queue

CHECK_TIMEOUT_SECONDS = 2.0


def _database() -> None:
    with session_scope() as session:
        session.connection().execute(text("SELECT 1"))


def _redis() -> None:
    client = redis.Redis.from_url(settings.redis_url or "", socket_timeout=CHECK_TIMEOUT_SECONDS)
    try:
        client.ping()
    finally:
        client.close()


def _jobs() -> None:
    queue.pending_count()  # the job queue's storage answers (a SQLite file, or Redis when scaled out)


def checks() -> dict[str, Callable[[], None]]:
    """What readiness depends on: each check returns when the part works and raises when it does not."""
    found: dict[str, Callable[[], None]] = {"database": _database}
    if settings.redis_url:
        found["redis"] = _redis
    found["jobs"] = _jobs
    return found


async def readiness() -> tuple[bool, dict[str, str]]:
    """Run every check off the event loop, each bounded in time; ("ok" | "unavailable") per part."""
    parts: dict[str, str] = {}
    for name, check in checks().items():
        try:
            await asyncio.wait_for(asyncio.to_thread(check), CHECK_TIMEOUT_SECONDS)
            parts[name] = "ok"
        except Exception:  # any failure means not ready; what failed is logged by the part itself, not shown here
            parts[name] = "unavailable"
    return all(v == "ok" for v in parts.values()), parts


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(_request: Request) -> JSONResponse:
    ready, parts = await readiness()
    return JSONResponse({"status": "ok" if ready else "unavailable", **parts}, status_code=200 if ready else 503)


def health_routes() -> Starlette:
    """The two endpoints, to put in the app's `api_transformer` list (it mounts the rest of the app below them)."""
    return Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz)])
