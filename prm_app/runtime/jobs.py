"""Scheduled work that runs inside the app server: expiring deal protection (warning partners ahead) and
recycling lead offers nobody answered in time. Several workers may run these at once; the domain functions
take each record at most once."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable

from prm_app.deals import expire_deals
from prm_app.leads import recycle_overdue_leads
from prm_app.platform.db import session_scope

log = logging.getLogger("prm_app.jobs")


def _every(seconds_env: str, default: int, job: Callable, describe: Callable[[object], str]):
    """A lifespan task running `job(session)` in a thread every few seconds, logging what it did."""

    async def loop() -> None:
        seconds = int(os.environ.get(seconds_env, default))
        while True:
            try:
                result = await asyncio.to_thread(_run, job)
                if message := describe(result):
                    log.info(message)
            except Exception:
                log.exception("%s failed; will retry", job.__name__)
            await asyncio.sleep(seconds)

    loop.__name__ = f"{job.__name__}_loop"
    return loop


def _run(job: Callable):
    with session_scope() as session:
        return job(session)


expiry_loop = _every(
    "PRM_EXPIRY_INTERVAL_SECONDS",
    300,
    expire_deals,
    lambda r: f"deal expiry: {r.expired} expired, {r.notified} partners notified" if r.expired or r.notified else "",
)
recycle_loop = _every(
    "PRM_RECYCLE_INTERVAL_SECONDS",
    60,
    recycle_overdue_leads,
    lambda r: f"lead recycling: {r.expired} overdue offers moved on" if r.expired else "",
)
