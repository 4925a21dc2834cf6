"""Fixes to Reflex 0.10.1 the app cannot wait for. Each is small, says why, and has a test that fails without it
(tests/web/test_reflex_patches.py). Remove one when the Reflex version that fixes it is pinned.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("prm_app.reflex_patches")

# KEYS[1]: a tab's state-lock key; ARGV[1]: one acquisition's lock id. Deletes the lock only while that id holds it.
_RELEASE_IF_OURS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def release_interrupted_state_locks() -> None:
    """Scaled out (Redis), a tab's state lock is taken with `SET <token>_lock NX PX 10000`. When the task taking it
    is cancelled after that SET ran in Redis but before its reply was read — a navigation supersedes the page's
    unfinished on-load chain, which happens all the time: leaving the live dashboard cancels its refresh loop —
    Reflex leaves before the code that deletes the lock, so the lock belongs to nobody and every later event of
    that tab waits for it to expire: the "rare 10-second stalls" the load bench found (bench/load_stall.py).

    Here an interrupted acquisition deletes the lock if (and only if) it is its own, and wakes the next waiter."""
    from reflex.istate.manager.redis import StateManagerRedis

    original = StateManagerRedis._wait_lock
    if getattr(original, "_releases_interrupted", False):
        return

    async def _wait_lock(self: Any, lock_key: bytes, lock_id: bytes) -> None:
        try:
            await original(self, lock_key, lock_id)
        except BaseException:
            try:
                await asyncio.shield(self.redis.eval(_RELEASE_IF_OURS, 1, lock_key, lock_id))
                self._notify_next_waiter(lock_key)
            except Exception:  # Redis itself is down: the lock expires on its own, as before
                log.warning("could not release an interrupted state lock", exc_info=True)
            raise

    _wait_lock._releases_interrupted = True  # type: ignore[attr-defined]
    StateManagerRedis._wait_lock = _wait_lock  # type: ignore[method-assign]
