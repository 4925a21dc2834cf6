"""Sign-in throttling: a growing delay per account (soft lockout) and a cap on failures per client IP.

Why two mechanisms:
- **Per account**, a hard lock ("5 failures lock the email for 15 minutes") lets anyone who knows an address keep
  its owner out. Instead each failure past `login_free_failures` makes the next try wait twice as long (2 s, 4 s,
  8 s … up to `login_delay_cap`), tries made while waiting are refused *without* counting, and once the wait is
  over the right password gets in. The delay is computed from the `login_attempt` rows (see `auth.py`): they are
  shared by every worker, survive restarts, follow the use case's `now`, and exist for unknown emails too, so the
  answers never tell which emails have accounts.
- **Per client IP**, a moving-window limit from the `limits` package bounds how many failures (and refused tries)
  one address may cause across all emails: guessing many accounts from one place, or keeping argon2 busy, stops
  there. Memory storage on a single worker; the shared Redis (`REFLEX_REDIS_URL`) when there are several.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter

from prm_app.platform.i18n import Words
from prm_app.platform.ratelimit import make_storage
from prm_app.platform.settings import settings


def account_delay(failures: int, *, free: int, cap: timedelta) -> timedelta:
    """How long after the last of `failures` failed tries (since the account's last success) the next try must
    wait: nothing for the first `free`, then 2 s, doubling with each further failure, never more than `cap`."""
    if failures < free:
        return timedelta(0)
    exponent = min(failures - free + 1, 40)  # 2**40 s is far past any cap, and timedelta cannot overflow
    return min(cap, timedelta(seconds=2**exponent))


def wait_words(seconds: float) -> Words:
    """How long to wait, to be said in the reader's language: seconds under a minute, whole minutes (rounded up)
    above ("5 seconds", "1 minute", "15 Minuten")."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return Words("time.seconds", count=whole)
    return Words("time.minutes", count=math.ceil(whole / 60))


def wait_phrase(seconds: float) -> str:
    """ "5 seconds", "1 minute", "15 minutes": `wait_words` in English."""
    return wait_words(seconds).english


class IpLimiter:
    """Failed sign-ins per client IP in a moving window (`limits`), shared by workers when storage is Redis.

    `limits` counts on the storage's own clock, not on the use case's `now`: this is about bursts from one
    address in real time, and the per-account delay (which must follow `now`) lives in the database instead.
    """

    _NAMESPACE = "prm-sign-in-ip"

    def __init__(self, storage: Storage, limit: RateLimitItem) -> None:
        self.storage = storage
        self.limit = limit
        self._limiter = MovingWindowRateLimiter(storage)

    def retry_after(self, ip: str) -> float:
        """Seconds until `ip` may try again (0 when it may now)."""
        if self._limiter.test(self.limit, self._NAMESPACE, ip):
            return 0.0
        reset_at = self._limiter.get_window_stats(self.limit, self._NAMESPACE, ip).reset_time
        return max(1.0, reset_at - time.time())

    def count_failure(self, ip: str) -> None:
        self._limiter.hit(self.limit, self._NAMESPACE, ip)

    def forget(self, ip: str) -> None:
        """Forget the failures counted against `ip`."""
        self._limiter.clear(self.limit, self._NAMESPACE, ip)

    def reset(self) -> None:
        """Forget every count (tests; an operator lifting a block)."""
        self.storage.reset()


def make_ip_limiter(redis_url: str | None, limit: str) -> IpLimiter:
    """Redis storage when the app runs on Redis (several workers share the counts), memory otherwise.

    The Redis keys have their own prefix, so `reset` clears the sign-in counts and nothing else."""
    return IpLimiter(make_storage(redis_url, "prm-sign-in"), parse(limit))


@cache
def ip_limiter() -> IpLimiter:
    """The process's limiter, built on first use (importing this module opens no connection)."""
    return make_ip_limiter(settings.redis_url, settings.login_ip_limit)
