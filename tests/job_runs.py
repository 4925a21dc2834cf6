"""How service tests drive a job run's consumer (platform/jobs_progress.py): its units of work on a real engine,
with a hook between them (the page's poll, a kill, a deactivation)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import Session

from prm_app.platform.db import session_scope


class ConsumerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even the job's own error handling."""


def transactions(engine: Engine, after: Callable[[int], None] = lambda n: None) -> Callable[[], AbstractContextManager]:
    """The consumer's unit of work on `engine`; `after(n)` runs once the n-th transaction has committed."""
    count = 0

    @contextmanager
    def transaction() -> Iterator[Session]:
        nonlocal count
        with session_scope(engine) as session:
            yield session
        count += 1
        after(count)

    return transaction
