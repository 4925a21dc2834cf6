"""Scheduled work that runs inside the app server: expiring deal protection and warning partners ahead."""

from __future__ import annotations

import asyncio
import logging
import os

from prm_app.core.db import session_scope
from prm_app.domain.deal_review import expire_deals

log = logging.getLogger("prm_app.jobs")
INTERVAL_SECONDS = int(os.environ.get("PRM_EXPIRY_INTERVAL_SECONDS", "300"))


def run_expiry_once() -> None:
    with session_scope() as session:
        result = expire_deals(session)
    if result.expired or result.notified:
        log.info("deal expiry: %s expired, %s partners notified", result.expired, result.notified)


async def expiry_loop() -> None:
    """Every few minutes; several workers may run it at once, which expire_deals tolerates."""
    while True:
        try:
            await asyncio.to_thread(run_expiry_once)
        except Exception:
            log.exception("deal expiry run failed; will retry")
        await asyncio.sleep(INTERVAL_SECONDS)
