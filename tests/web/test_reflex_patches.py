"""A tab's next event never waits 10 s for a state lock an interrupted acquisition left behind (Redis)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from types import SimpleNamespace

import pytest
from redis.asyncio import Redis

from prm_app.web.reflex_patches import release_interrupted_state_locks

REDIS_URL = os.environ.get("PRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = pytest.mark.integration


async def _scenario() -> tuple[bytes | None, float]:
    from reflex.istate.manager.redis import StateManagerRedis

    manager = StateManagerRedis(redis=Redis.from_url(REDIS_URL))
    try:
        await manager.redis.ping()
    except Exception as exc:
        await manager.close()
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    token = SimpleNamespace(lock_key=f"prm-test-{uuid.uuid4().hex}")
    real_try = manager._try_get_lock

    async def reply_in_flight(lock_key: bytes, lock_id: bytes):
        taken = await real_try(lock_key, lock_id)  # SET NX has run on the server...
        await asyncio.sleep(0.3)  # ...and its reply is still on the way when the task is cancelled
        return taken

    manager._try_get_lock = reply_in_flight  # type: ignore[method-assign]

    async def superseded_event() -> None:
        async with manager._lock(token, event_name="watch"):
            pass

    task = asyncio.create_task(superseded_event())
    await asyncio.sleep(0.1)
    task.cancel()  # a navigation supersedes the page's unfinished on-load chain
    await asyncio.gather(task, return_exceptions=True)
    manager._try_get_lock = real_try  # type: ignore[method-assign]
    left_behind = await manager.redis.get(manager._lock_key(token))
    started = time.monotonic()
    async with manager._lock(token, event_name="next_event"):
        waited = time.monotonic() - started
    await manager.close()
    return left_behind, waited


def test_an_interrupted_acquisition_leaves_no_lock_behind():
    release_interrupted_state_locks()
    release_interrupted_state_locks()  # applying it twice wraps once

    left_behind, waited = asyncio.run(_scenario())

    assert left_behind is None
    assert waited < 2  # without the fix: 10 s, the lock's expiry
