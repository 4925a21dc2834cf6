"""Event handlers run off the event loop: a handler's database work stalls only its own tab, never the worker's
other sockets. Every handler of every page state is a coroutine that hands the work to the handler threads."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading

import pytest

import prm_app.app  # noqa: F401  (imports every page, so every state class exists)
from prm_app.web.state import AuthState, off_loop

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class Page:
    def __init__(self) -> None:
        self.seen: tuple[str, str] = ("", "")

    @off_loop
    def load(self, n: int) -> int:
        self.seen = (threading.current_thread().name, request_id.get())
        return n * 2

    @off_loop
    def broken(self) -> None:
        raise ValueError("nothing was saved")


def test_a_handler_runs_on_a_handler_thread_with_the_events_context_and_returns_its_result():
    page = Page()

    async def event() -> int:
        request_id.set("ev-1")
        return await page.load(21)

    assert asyncio.run(event()) == 42
    thread, seen_id = page.seen
    assert thread.startswith("handler") and thread != threading.main_thread().name
    assert seen_id == "ev-1"


def test_a_handlers_error_reaches_the_event_as_raised():
    with pytest.raises(ValueError, match="nothing was saved"):
        asyncio.run(Page().broken())


def test_the_loop_keeps_serving_while_a_handler_works():
    started, release = threading.Event(), threading.Event()

    class Slow:
        @off_loop
        def work(self) -> str:
            started.set()
            release.wait(5)
            return "done"

    async def scenario() -> list[str]:
        order: list[str] = []
        task = asyncio.create_task(Slow().work())
        await asyncio.to_thread(started.wait, 5)
        order.append("loop still answers")  # another socket's event would run here
        release.set()
        order.append(await task)
        return order

    assert asyncio.run(scenario()) == ["loop still answers", "done"]


def _states(cls: type) -> list[type]:
    return [cls, *(s for sub in cls.get_substates() for s in _states(sub))]


def test_no_page_handler_is_left_on_the_event_loop():
    on_loop = [
        f"{state.__name__}.{name}"
        for state in _states(AuthState)
        for name, handler in state.event_handlers.items()
        if name != "setvar" and not (inspect.iscoroutinefunction(handler.fn) or inspect.isasyncgenfunction(handler.fn))
    ]
    assert len(_states(AuthState)) > 10
    assert on_loop == []


def test_a_background_event_runs_its_use_case_on_a_handler_thread():
    seen: list[str] = []

    class Tab:
        _in_thread = AuthState._in_thread

        def _run(self, use_case, *args):  # the front door, as AuthState._run: here it records where it ran
            seen.append(threading.current_thread().name)
            return use_case(*args)

    result = asyncio.run(AuthState._run_in_thread(Tab(), lambda a, b: a + b, 2, 3))  # type: ignore[arg-type]
    assert result == 5 and seen[0].startswith("handler")
