"""Rate limits shared by every worker: the `limits` package's moving window, in Redis when the app runs
scale-out (REFLEX_REDIS_URL) and in memory on a single worker.

    if not allow("conflict-hint", "30/minute;300/day", str(actor.user_id)):
        ...  # over the limit: refuse politely, change nothing
"""

from __future__ import annotations

from functools import cache

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from prm_app.platform.settings import settings


def make_storage(redis_url: str | None, key_prefix: str) -> Storage:
    """Where counts live: Redis when the app runs on it (workers share the counts; keys under `key_prefix`, so a
    reset clears only those), this process's memory otherwise."""
    return RedisStorage(redis_url, key_prefix=key_prefix) if redis_url else MemoryStorage()


@cache
def _limiter() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(make_storage(settings.redis_url, "prm-limits"))


@cache
def _items(rates: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(rates))


def allow(scope: str, rates: str, *key: str) -> bool:
    """Count one attempt of `key` in `scope` against every rate in `rates` ("30/minute;300/day"); False, and
    nothing counted further, once any of them is used up."""
    limiter = _limiter()
    for item in _items(rates):
        if not limiter.hit(item, scope, *key):
            return False
    return True


def reset() -> None:
    """Forget every count (tests; an operator after an incident)."""
    _limiter().storage.reset()
