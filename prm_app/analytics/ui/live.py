"""Keeping dashboards live without recomputing per viewer.

`current_version()` reads the data version (three max(id) lookups on primary keys) at most once a second per
worker, whoever asks; `shared_report()` computes each report once per (filters, version) per worker and hands
the same small result to every viewer. A viewer's loop only recomputes when the version moved.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from prm_app.platform.db import session_scope

T = TypeVar("T")
VERSION_TTL_SECONDS = 1.0
MAX_CACHED_REPORTS = 256

_lock = threading.Lock()
_version: tuple[float, tuple] = (0.0, ())
_reports: OrderedDict[Hashable, object] = OrderedDict()


def current_version() -> tuple:
    """The data version, at most VERSION_TTL_SECONDS old."""
    global _version
    from prm_app.analytics.metrics import data_version

    checked, value = _version
    if time.monotonic() - checked < VERSION_TTL_SECONDS:
        return value
    with _lock:
        checked, value = _version
        if time.monotonic() - checked >= VERSION_TTL_SECONDS:
            with session_scope() as session:
                value = data_version(session)
            _version = (time.monotonic(), value)
    return value


def shared_report(key: Hashable, version: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per (key, version) in this worker; the access check belongs in `compute`'s caller."""
    cache_key = (key, version)
    with _lock:
        if cache_key in _reports:
            _reports.move_to_end(cache_key)
            return _reports[cache_key]  # type: ignore[return-value]
    result = compute()
    with _lock:
        _reports[cache_key] = result
        while len(_reports) > MAX_CACHED_REPORTS:
            _reports.popitem(last=False)
    return result
