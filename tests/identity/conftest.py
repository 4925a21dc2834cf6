"""Every identity test starts with no sign-in failures counted against any IP (the limiter lives in memory)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from prm_app.identity.throttle import ip_limiter


@pytest.fixture(autouse=True)
def _fresh_ip_limiter() -> Iterator[None]:
    ip_limiter().reset()
    yield
    ip_limiter().reset()
