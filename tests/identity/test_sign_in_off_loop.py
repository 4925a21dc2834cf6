"""Sign-in must not stall the server: the argon2 check runs in a worker thread while the event loop carries on."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from prm_app.identity import SignedIn, auth, log_in_off_loop
from prm_app.platform.db import make_engine, session_scope
from prm_app.platform.errors import AuthError
from tests.factories import PASSWORD, make_user


@pytest.fixture
def file_engine(tmp_path) -> Iterator[Engine]:
    """A SQLite file, so the worker thread sees the same database (in-memory SQLite is one per thread)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'sign_in.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        make_user(session, email="dana@example.com")
        session.commit()
    yield engine
    engine.dispose()


def _run_public(engine: Engine):
    """What the web layer's `run_public` does: one unit of work, opened in the thread that calls it."""

    def run(use_case: Any, *args: Any, **kwargs: Any) -> Any:
        with session_scope(engine) as session:
            return use_case(session, *args, **kwargs)

    return run


def test_password_check_runs_in_the_sign_in_pool_while_the_loop_keeps_serving(file_engine, monkeypatch):
    """The check blocks until the loop itself releases it: had it run on the loop's thread, the loop could never
    get there and the check would time out."""
    release = threading.Event()
    checked_in: list[str] = []
    real = auth.verify_password

    def blocking_verify(password: str, password_hash: str | None) -> bool:
        checked_in.append(threading.current_thread().name)
        assert release.wait(timeout=10), "the event loop was blocked while the password was checked"
        return real(password, password_hash)

    monkeypatch.setattr(auth, "verify_password", blocking_verify)
    loop_thread: list[str] = []

    async def scenario() -> tuple[SignedIn, int]:
        loop_thread.append(threading.current_thread().name)
        sign_in = asyncio.create_task(log_in_off_loop(_run_public(file_engine), "dana@example.com", PASSWORD, ip="::1"))
        ticks = 0
        while not checked_in:  # the loop serves other work while the check has not even started...
            await asyncio.sleep(0.001)
            ticks += 1
        for _ in range(5):  # ...and while it is in progress
            await asyncio.sleep(0.001)
            ticks += 1
        release.set()
        return await sign_in, ticks

    signed_in, ticks = asyncio.run(scenario())

    assert signed_in.actor.email == "dana@example.com" and signed_in.token
    assert ticks >= 5
    assert checked_in[0].startswith("sign-in") and checked_in[0] != loop_thread[0]


def test_errors_come_back_to_the_awaiting_caller(file_engine):
    with pytest.raises(AuthError) as err:
        asyncio.run(log_in_off_loop(_run_public(file_engine), "dana@example.com", "not-the-password", ip="::1"))

    assert err.value.message == "Wrong email or password."


def test_two_sign_ins_are_checked_at_the_same_time(file_engine, monkeypatch):
    """The pool has room for two checks at once (PRM_SIGN_IN_THREADS): a slow one does not hold up the next."""
    both_inside = threading.Barrier(2, timeout=10)
    real = auth.verify_password

    def meeting_verify(password: str, password_hash: str | None) -> bool:
        both_inside.wait()  # breaks (and fails the test) unless both checks are running at once
        return real(password, password_hash)

    monkeypatch.setattr(auth, "verify_password", meeting_verify)

    async def scenario() -> list[SignedIn]:
        run = _run_public(file_engine)
        return await asyncio.gather(
            log_in_off_loop(run, "dana@example.com", PASSWORD, ip="10.0.0.1"),
            log_in_off_loop(run, "dana@example.com", PASSWORD, ip="10.0.0.2"),
        )

    first, second = asyncio.run(scenario())
    assert first.token != second.token
