"""The signed-in session as Reflex state, and the front door every page goes through.

The session token is the only credential: it lives in an HttpOnly cookie that only the sign-in endpoint sets
(identity/ui/session_http.py), reaches the server with the event socket's handshake (web/session_cookie.py keeps
it out of the state tree, so out of Redis too) and is checked against the database on every event that reads or
changes data. No var of any state holds it. A handler runs a use case with `self._run(area.use_case, *args)`:
one unit of work that resolves the actor from the session and calls `use_case(session, actor, *args)`, which
asks the actor for the permission it needs. No page opens a session itself. The public vars here are for
display only; nothing that decides access is ever read from a var the browser could send.

(The front door is `_run`, not `run`: Reflex lets any client call every public method of a State by name.)
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import functools
import inspect
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import reflex as rx
from sqlmodel import Session

from prm_app.identity import login_url, my_language, resolve_session
from prm_app.platform.access import PARTNER_ROLES, Actor, Role
from prm_app.platform.db import part_of, session_scope
from prm_app.platform.errors import NotAuthenticated, PermissionDenied
from prm_app.platform.settings import settings
from prm_app.web.errors import backend_exception_handler
from prm_app.web.language_state import LanguageState
from prm_app.web.registry import Audience, home_route, role_home_route
from prm_app.web.session_cookie import session_token_hash

T = TypeVar("T")


def home_for(role: str) -> str:
    """Where a person of `role` lands after signing in: a page that claims the role (execs: the dashboards), else
    their audience's home."""
    return role_home_route(Role(role)) or home_route(
        Audience.PARTNER if Role(role) in PARTNER_ROLES else Audience.INTERNAL
    )


def run_public(use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The front door for the few pages before sign-in (sign-in, accepting an invitation): one unit of work
    running `use_case(session, *args, **kwargs)`, whose own rules decide (a token, a password)."""
    with session_scope() as session:
        return use_case(session, *args, **kwargs)


# Handlers run here, not on the event loop: a handler's database work then stalls only its own tab (whose state
# lock it holds anyway), never every other socket of the worker. Under load, synchronous handlers on the loop made
# each worker's ping wait seconds and events outlive the state lock. The pool is smaller than the database pool
# (5 + 10 overflow), so a burst queues here rather than for a connection (PRM_HANDLER_THREADS, default 8).
_HANDLER_THREADS = ThreadPoolExecutor(max_workers=settings.handler_threads, thread_name_prefix="handler")


async def on_handler_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` on the handler threads, with this event's context variables (its log ids)."""
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_HANDLER_THREADS, call)


def off_loop(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A synchronous event handler made into a coroutine that runs it on the handler threads (with this event's
    context variables: its log ids), returning what it returns. Async handlers are returned unchanged."""
    if not inspect.isfunction(fn) or inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn):
        return fn
    if inspect.isgeneratorfunction(fn):
        raise TypeError(f"{fn.__qualname__}: a generator handler cannot run off the loop; make it async")

    @functools.wraps(fn)
    async def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await on_handler_thread(fn, self, *args, **kwargs)

    return handler


def handlers_off_loop(cls: type) -> None:
    """Every public synchronous method defined on `cls` (what Reflex turns into event handlers), wrapped by
    `off_loop`. Called before Reflex builds the class's handlers, so none is ever left on the loop."""
    for name, value in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(value) and not inspect.iscoroutinefunction(value):
            if not getattr(value, "__override_base_method__", False):
                setattr(cls, name, off_loop(value))


def _state_classes(cls: type[rx.State]) -> list[type[rx.State]]:
    found: list[type[rx.State]] = []
    for sub in cls.get_substates():
        found += [sub, *_state_classes(sub)]
    return found


async def reset_tree(state: rx.State) -> None:
    """Every state of this tab's tree back to its defaults, for the next person in the tab.

    With Redis only the substates an event needs are in memory, so each is loaded first: nothing of the
    previous person survives anywhere in the tree. Whether the page has hydrated is a fact about the page,
    not about the person, and is kept."""
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    hydrated = root.is_hydrated
    for cls in _state_classes(type(root)):
        await root.get_state(cls)
    root.reset()
    root.is_hydrated = hydrated


@dataclasses.dataclass(frozen=True)
class Gate:
    """What a registered gate says of a signed-in person. `held`: they may use only `open_pages` (the first is where
    every other page sends them) and only the use cases `allows(fn)` accepts (anything else the front door refuses
    with `message`; a use case handed to a wrapper such as `with_zone` must be accepted too). Not held: `message` is
    a notice every page shows, with a link to `open_pages[0]`."""

    message: str
    open_pages: tuple[str, ...]
    held: bool = True
    allows: Callable[[Callable[..., Any]], bool] = lambda _use_case: False

    def refuses(self, use_case: Callable[..., Any], args: Sequence[Any]) -> bool:
        called = [use_case, *(a for a in args if callable(a))]
        return self.held and not all(self.allows(fn) for fn in called)

    def opens(self, path: str) -> bool:
        return not self.held or (path.rstrip("/") or "/") in self.open_pages


class HeldByGate(PermissionDenied):
    """A use case the front door refuses while a gate holds the person (the gate's message says why)."""


# (session, actor) -> a Gate, or None when it does not concern this person. An area registers one (agreements:
# until a partner's agreement is signed); the shell knows no area. Checked on every use case: keep it cheap.
GateCheck = Callable[[Session, Actor], Gate | None]
_GATES: list[GateCheck] = []


def register_gate(check: GateCheck) -> GateCheck:
    _GATES.append(check)
    return check


def gate_for(session: Session, actor: Actor) -> Gate | None:
    """The gate that holds the actor, else the first notice, else None."""
    found = [gate for check in _GATES if (gate := check(session, actor)) is not None]
    return next((g for g in found if g.held), found[0] if found else None)


def _gate_in(session: Session, actor: Actor) -> Gate | None:
    """`gate_for`, read once per page opening: its guard and loads share the gate found when the actor was."""
    shared = _PAGE_UNIT.get()
    if shared is not None and shared.session is session and shared.actor == actor:
        return shared.gate
    return gate_for(session, actor) if _GATES else None


def refuse_if_held(session: Session, actor: Actor) -> None:
    """For the HTTP routes (uploads, files): HeldByGate when a gate holds the actor; they serve nothing then."""
    gate = gate_for(session, actor) if _GATES else None
    if gate is not None and gate.held:
        raise HeldByGate(gate.message)


@dataclasses.dataclass
class _PageUnit:
    """The unit of work a page opening's guard and loads share, and the actor (and gate) its first `_run`
    resolved."""

    session: Session
    actor: Actor | None = None
    gate: Gate | None = None


_PAGE_UNIT: contextvars.ContextVar[_PageUnit | None] = contextvars.ContextVar("prm_page_unit", default=None)

# What `AuthState.open_page(route)` runs: the page's guard, then its loads (see `page_opening`).
_OPENINGS: dict[str, tuple[Any, ...]] = {}


def page_opening(route: str, handlers: Sequence[Any]) -> list[Any]:
    """The on_load of a signed-in page: its guard and its loads (event handlers, guard first) as one event."""
    _OPENINGS[route] = tuple(handlers)
    return [AuthState.open_page(route)]


def _body(handler: Any) -> Callable[..., Any] | None:
    """The synchronous function behind a handler that `off_loop` moved to the handler threads, else None."""
    body = getattr(handler.fn, "__wrapped__", None)
    sync = body is not None and inspect.isfunction(body) and not inspect.iscoroutinefunction(body)
    return body if sync and not inspect.isgeneratorfunction(body) and not inspect.isasyncgenfunction(body) else None


def _as_list(events: Any) -> list[Any]:
    return [] if events is None else list(events) if isinstance(events, list | tuple) else [events]


def _open(steps: list[tuple[Callable[..., Any], Any]]) -> tuple[list[Any], bool]:
    """Run a page's guard and loads (`steps`: body, state) in one unit of work, on the handler thread. Returns the
    events they returned, and whether the guard let the page open. A load that raises is answered as the error
    handler answers an event that raises (its own writes undone by `part_of`); the other loads still run, as
    they did when each was its own event."""
    events: list[Any] = []
    with session_scope() as session:
        token = _PAGE_UNIT.set(_PageUnit(session))
        try:
            for i, (body, state) in enumerate(steps):
                try:
                    out = _as_list(body(state))
                except Exception as error:  # answered like any failed event (web/errors.py)
                    out = [backend_exception_handler(error)]
                    if i == 0:
                        return out, False
                if i == 0 and out:  # the guard sent the tab elsewhere: the page's loads have nothing to show
                    return out, False
                events += out
        finally:
            _PAGE_UNIT.reset(token)
    return events, True


class SignInAgain(NotAuthenticated):
    """NotAuthenticated from a page's event, knowing the page: the error handler sends the browser to sign in and
    back (web/errors.py; a page's guard and its loader both run on load, and both must say the same)."""

    def __init__(self, return_to: str) -> None:
        super().__init__()
        self.return_to = return_to


class AuthState(LanguageState):
    """The base of every signed-in page's state (its parent holds the person's language). Its subclasses'
    handlers run off the event loop (`off_loop`)."""

    demo_mode: bool = settings.demo_mode  # `make run`: every page says so (demo accounts, published password)
    user_name: str = ""
    user_role: str = ""
    role_label: str = ""
    is_partner: bool = False
    is_partner_admin: bool = False
    gate_notice: str = ""  # a registered gate's notice (web/layout.py's banner), "" when there is none
    gate_link: str = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        handlers_off_loop(cls)
        super().__init_subclass__(**kwargs)

    def _actor(self) -> Actor:
        """The server-resolved actor for this event (for guards); raises NotAuthenticated. Who is signed in is no
        use case: no gate refuses it."""
        return self._unit_of_work(True, lambda _session, actor: actor, gated=False)

    def _run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The front door: in one unit of work, resolve the actor from the session cookie and run
        `use_case(session, actor, *args, **kwargs)`. Raises NotAuthenticated, PermissionDenied or the
        use case's DomainError; commits only if the use case returns."""
        return self._unit_of_work(True, use_case, *args, **kwargs)

    async def _run_in_thread(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`_run` from a background event (an async handler): on the handler threads, so the event loop and every
        other socket of this worker stay free while the database works."""
        return await self._in_thread(self._run, use_case, *args, **kwargs)

    async def _in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` on the handler threads, with this event's context (for a background event's
        database or heavy work; inside `async with self` the tab's lock stays held, the loop stays free)."""
        return await on_handler_thread(fn, *args, **kwargs)

    def _run_unattended(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The front door for work the person did not ask for (a live refresh): the same checks, but it does not
        count as activity, so an open page never keeps an idle session alive."""
        return self._unit_of_work(False, use_case, *args, **kwargs)

    def _unit_of_work(
        self, touch: bool, use_case: Callable[..., T], *args: Any, gated: bool = True, **kwargs: Any
    ) -> T:
        shared = _PAGE_UNIT.get()
        if shared is not None:  # a page opening (`open_page`): its guard and loads share one unit of work
            if shared.actor is None:
                shared.actor = self._resolve(shared.session, touch)
                shared.gate = gate_for(shared.session, shared.actor) if _GATES else None
            if gated and shared.gate is not None and shared.gate.refuses(use_case, args):
                raise HeldByGate(shared.gate.message)
            with part_of(shared.session):
                return use_case(shared.session, shared.actor, *args, **kwargs)
        with session_scope() as session:
            actor = self._resolve(session, touch)
            if gated and _GATES and (gate := gate_for(session, actor)) is not None and gate.refuses(use_case, args):
                raise HeldByGate(gate.message)
            return use_case(session, actor, *args, **kwargs)

    def _resolve(self, session: Session, touch: bool) -> Actor:
        digest = session_token_hash(self.router.headers.raw_headers)
        try:
            return resolve_session(session, "", token_hash=digest, ip=self.router.session.client_ip, touch=touch)
        except NotAuthenticated:
            raise SignInAgain(self._here()) from None

    def _here(self) -> str:
        """This tab's page, path and query (where signing in again should return)."""
        url = self.router.url
        return url.path + (f"?{url.query}" if url.query else "")

    def _show_actor(self, actor: Actor) -> None:
        self.user_name = actor.name
        self.user_role = actor.role.value
        self.role_label = self._words().text(f"role.{actor.role.value}")
        self.is_partner = actor.is_partner
        self.is_partner_admin = actor.role == Role.PARTNER_ADMIN

    def _guard(
        self, internal: bool | None, also: Callable[[Session, Actor], None] | None = None
    ) -> Actor | rx.event.EventSpec | list[Any]:
        """Who is signed in, shown in the header; or where to send the tab instead. `also(session, actor)` runs in
        the same unit of work (a page's header counts), so a guarded page load opens one database session."""

        def resolve(session: Session, actor: Actor) -> tuple[Actor, Gate | None, str]:
            if also is not None and (internal is None or actor.is_internal == internal):
                also(session, actor)
            return actor, _gate_in(session, actor), my_language(session, actor)

        try:
            actor, gate, language = self._unit_of_work(True, resolve, gated=False)
        except NotAuthenticated:
            # The session ended (timeout, deactivation, sign-out elsewhere) or never was: the person's pages leave
            # this tab, and signing in comes back here (login_url keeps only a same-origin path).
            return [AuthState.forget_tab, rx.redirect(login_url(self._here()))]
        self._show_language(language)
        self._show_actor(actor)
        self.gate_notice = gate.message if gate is not None and not gate.held else ""
        self.gate_link = gate.open_pages[0] if gate is not None and gate.open_pages else ""
        if gate is not None and not gate.opens(self.router.url.path) and gate.open_pages:
            return rx.redirect(gate.open_pages[0])  # held: every other page sends the person to the one that lifts it
        if internal is not None and actor.is_internal != internal:
            return rx.redirect(home_for(actor.role))
        return actor

    @rx.event
    async def open_page(self, route: str):
        """on_load of every signed-in page: its guard, then its loads (`page_opening`), as one event in one unit of
        work, where a chain of events would each take, load and save the tab's state and open a database session.
        Public, and as harmless as each load it runs: every use case checks the actor again."""
        plan = _OPENINGS.get(route) if isinstance(route, str) else None
        if not plan:
            return None
        steps: list[tuple[Callable[..., Any], Any]] = []
        for handler in plan:
            body = _body(handler)
            if body is None:  # an async load: it runs as its own event after the others
                break
            steps.append((body, await self.get_state(handler.state)))
        events, opened = await self._in_thread(_open, steps)
        return [*events, *plan[len(steps) :]] if opened else events

    @rx.event
    async def forget_tab(self):
        """Reset the whole tab once nobody is signed in on it (public, and harmless: with a live session it
        does nothing)."""
        try:
            self._actor()
        except NotAuthenticated:
            await reset_tree(self)

    @rx.event
    @off_loop
    def guard_partner(self):
        """on_load of portal pages (shows, never authorizes: handlers check again)."""
        result = self._guard(internal=False)
        return None if isinstance(result, Actor) else result

    @rx.event
    @off_loop
    def guard_internal(self):
        result = self._guard(internal=True)
        return None if isinstance(result, Actor) else result

    @rx.event
    @off_loop
    def guard_any(self):
        result = self._guard(internal=None)
        return None if isinstance(result, Actor) else result

    @rx.event
    @off_loop
    def go_home(self):
        """The index page: send people where they belong."""
        try:
            actor = self._actor()
        except NotAuthenticated:
            return rx.redirect("/login")
        return rx.redirect(home_for(actor.role))
