"""The simulated people of bench/load.py: one browser tab each, over Reflex's real event socket.

A `Tab` speaks the protocol tests/e2e/raw_client.py documents (socket.io on /_event, the tab token in the handshake
query, the session cookie in the handshake headers, `hydrate_and_load` in the CONNECT packet) but is built for
timing many tabs at once: it keeps no history, and it knows when an action is done the way the browser does --

- a page view (the browser's `on_load_internal` after a client-side navigation) is done when the root state's
  `is_hydrated` turns true again: Reflex appends `set_is_hydrated(True)` after the page's on_load handlers;
- a handler call is done at the first update the caller's predicate accepts (by default: the first update).

Foreground events of one tab run one after the other on the server, so one pending action per tab is enough. A tab
whose socket drops (a worker killed, a restart) reconnects by itself as the browser does (Reflex's state.js: at once,
then 200 ms x attempts between failed tries, the hydrate of the page it is on riding in the CONNECT packet); the event
that was in flight is not sent again (the browser does not either): it counts as "disconnected in flight", and
whether it was applied is for the data check to say (bench/load_faults.py).

Each person signs in once through the HTTP endpoint (`/_auth/sign-in`, as the login form does) and keeps the cookie
for every tab it opens; many people may share one demo account. Latencies land in `Recorder`, by kind.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
import socketio

ROOT_STATE = "reflex___state____state"
AUTH = f"{ROOT_STATE}.prm_app___web___state____auth_state"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
MY_DEALS = f"{AUTH}.prm_app___deals___ui___my_deals____my_deals_state"
DEAL_FORM = f"{AUTH}.prm_app___deals___ui___deal_new____deal_form_state"
QUEUE = f"{AUTH}.prm_app___deals___ui___registrations____queue_state"
REVIEW = f"{AUTH}.prm_app___deals___ui___registration_review____review_state"
LEAD_QUEUE = f"{AUTH}.prm_app___leads___ui___lead_queue____lead_queue_state"
DASHBOARD = f"{AUTH}.prm_app___analytics___ui___dashboard_state____dashboard_state"
BLANK_STATE = f"{ROOT_STATE}.blank___blank____blank_state"
MARK = "_rx_state_"
PASSWORD = "demo-partner-2026"
PARTNERS = (  # demo partner people of several organizations and both books (tests/e2e use the same accounts)
    "dana.price@northwind-dist.example",
    "omar.haddad@northwind-dist.example",
    "sam.carter@bluepeak.example",
    "ivy.nguyen@bluepeak.example",
    "priya.shah@cobaltsys.example",
    "grace.kim@lumenlabs.example",
    "jonas.weber@meridian-ig.example",
    "anna.schmidt@meridian-ig.example",
    "ingrid.berg@fjordit.example",
    "youssef.amrani@saharadigital.example",
)
MANAGERS = ("maya.cm@vendor.example", "lars.cm@vendor.example")
EXECS = ("erin.exec@vendor.example",)
ACTION_TIMEOUT_S = 30.0  # an action not done by then counts as a timeout (the state lock expires after 10 s)
STALL_S = 5.0  # slower actions are listed one by one, with the lock holds seen during them
RECONNECT_GIVE_UP_S = 120.0  # a tab still not back after this counts as never recovered
OUTAGE_TOAST = "briefly unavailable (outage toast)"
DISCONNECTED = "disconnected in flight"


class Disconnected(Exception):
    """The tab's socket dropped while an action waited for its answer."""


@dataclass
class Drop:
    """One dropped socket of one tab: when it dropped, when it was hydrated again (`back`), and when the tab's next
    action after that was answered (`answered`): the person is only back when both happened."""

    token: str
    dropped: float
    back: float | None = None
    answered: float | None = None
    next_action_ms: float | None = None  # how long that next action took (its wait for the reconnect included)
    attempts: int = 0
    in_flight: bool = False  # an action of the tab was waiting for its answer when the socket dropped


@dataclass
class Recorder:
    """Latencies (ms) per kind of event, errors per kind, and counts of unsolicited pushes."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    pushes: int = 0
    recording: bool = False  # off during ramp-up and drain: only the measured window counts
    # (tab token, kind, start, end) of every action slower than STALL_S or timed out, to set against lock holds
    stalls: list[tuple[str, str, float, float]] = field(default_factory=list)
    # (start, end, kind, outcome: "ok" or the error) of every action in the window, for the fault reports
    timeline: list[tuple[float, float, str, str]] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)  # every dropped socket, in or out of the window
    new_tokens: int = 0  # "new_token" from the server: a reconnect taken for a duplicate tab
    # customer name -> what the partner saw of its deal submit ("confirmed <id>", "refused ...", DISCONNECTED,
    # "timeout"): the data check's list, kept in and out of the window
    submits: dict[str, str] = field(default_factory=dict)

    def mark(self, kind: str, t0: float, t1: float, outcome: str) -> None:
        if self.recording:
            self.timeline.append((t0, t1, kind, outcome))

    def stall(self, token: str, kind: str, t0: float, t1: float) -> None:
        if self.recording:
            self.stalls.append((token, kind, t0, t1))

    def ok(self, kind: str, ms: float) -> None:
        if self.recording:
            self.latencies[kind].append(ms)

    def error(self, kind: str, what: str) -> None:
        if self.recording:
            self.errors[kind][what] += 1


def _error_toast(events: list[Any]) -> str:
    """ "error toast" (something unexpected: the app's generic toast), OUTAGE_TOAST (the app's "briefly unavailable,
    try again": a database or Redis outage), "refused" (a DomainError's toast), or ""."""
    for ev in events:
        fn = str(((ev or {}).get("payload") or {}).get("function", "")) if isinstance(ev, dict) else ""
        if '["error"]' in fn or "toast.error" in fn:
            if "backend_unavailable" in fn:
                return OUTAGE_TOAST
            return "refused (domain error)" if "domain_error" in fn else "error toast"
    return ""


class Tab:
    """One browser tab: a socket.io connection with its own token and the person's cookie jar."""

    def __init__(self, base_url: str, cookies: dict[str, str], rec: Recorder, page: str = "/") -> None:
        self.base_url, self.cookies, self.rec, self.page = base_url, cookies, rec, page
        self.token = str(uuid.uuid4())
        self.state: dict[str, dict[str, Any]] = {}
        self.last_events: list[Any] = []
        self._waiter: tuple[Callable[[dict], bool], asyncio.Future[dict]] | None = None
        self._pong: asyncio.Future[None] | None = None
        self._sio: socketio.AsyncClient | None = None
        self._closing = False
        # events of every update while an action waits: a page's on_load error toast comes before the update that
        # ends the action (is_hydrated), and must count for it
        self._answer_events: list[Any] = []
        self._reconnecting: asyncio.Task[None] | None = None
        self._drop: Drop | None = None  # the drop this tab has not yet recovered from

    def get(self, state: str, var: str, default: Any = None) -> Any:
        return self.state.get(state, {}).get(var + MARK, default)

    def _router(self, path: str) -> dict[str, Any]:
        return {"pathname": path.split("?")[0], "asPath": path}

    @property
    def connected(self) -> bool:
        return self._sio is not None and self._sio.connected

    async def connect(self, kind: str = "connect + hydrate") -> None:
        """Open the socket with the browser's boot event for `self.page`; done when the page has hydrated."""
        old, self._sio = self._sio, None
        if old is not None:  # a dropped socket: let go of what is left of it
            await old.eio.disconnect(abort=True)
        sio = socketio.AsyncClient(
            reconnection=False,
            websocket_extra_options={
                "headers": {
                    "Origin": self.base_url,
                    **({"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}),
                }
            },
        )
        sio.on("event", self._on_update, namespace="/_event")
        sio.on("ping", self._on_pong, namespace="/_event")

        async def on_disconnect(*_reason: Any) -> None:
            if sio is self._sio:  # not a socket this tab already let go of
                await self._on_disconnect()

        sio.on("disconnect", on_disconnect, namespace="/_event")
        sio.on("new_token", self._on_new_token, namespace="/_event")
        done = self._expect(_hydrated)
        t0 = time.perf_counter()
        try:
            await sio.connect(
                f"{self.base_url}?token={self.token}",
                transports=["websocket"],
                namespaces=["/_event"],
                socketio_path="_event",
                auth={"event": {"name": HYDRATE, "payload": {}, "router_data": self._router(self.page)}},
                wait_timeout=ACTION_TIMEOUT_S,
            )
        except BaseException:
            self._waiter = None
            await sio.eio.disconnect(abort=True)
            raise
        self._sio = sio
        await self._finish(kind, t0, done)

    async def _on_new_token(self, token: Any) -> None:
        """Reflex found the tab's token linked to another socket (after a worker died, its links stay in Redis) and
        gave this one a fresh token, with a fresh state: the browser keeps it for its next connects, so does the tab."""
        self.token = str(token)
        self.rec.new_tokens += 1

    async def _on_disconnect(self) -> None:
        """The socket dropped: fail the action in flight and reconnect at once, as the browser does."""
        if self._closing:
            return
        if self._drop is None:
            self._drop = Drop(self.token, time.perf_counter())
            self.rec.drops.append(self._drop)
        for fut in (self._waiter[1] if self._waiter else None, self._pong):
            if fut is not None and not fut.done():
                self._drop.in_flight = True
                fut.set_exception(Disconnected())
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        """Reconnect until it works, with the browser's backoff (200 ms x failed attempts, at most 2 s), or give up
        after RECONNECT_GIVE_UP_S (the drop then stays without `back`: never recovered)."""
        drop = self._drop or Drop(self.token, time.perf_counter())
        failed = 0
        while not self._closing and time.perf_counter() - drop.dropped < RECONNECT_GIVE_UP_S:
            drop.attempts += 1
            try:
                await self.connect("reconnect + hydrate")
            except Exception as exc:  # refused or reset while the worker is down: try again, as the browser does
                self.rec.error("reconnect attempt", type(exc).__name__)
                failed = min(failed + 1, 10)
                await asyncio.sleep(0.2 * failed)
                continue
            if self.connected:
                drop.back = time.perf_counter()
                self.rec.ok("reconnect (drop -> hydrated)", (drop.back - drop.dropped) * 1000)
                return
            failed = min(failed + 1, 10)  # connected, then dropped again before hydrating
            await asyncio.sleep(0.2 * failed)

    async def _ensure_connected(self) -> bool:
        """Wait for a reconnect under way (or start one for a tab that never connected); whether the socket is up."""
        if not self.connected and not self._closing and (self._reconnecting is None or self._reconnecting.done()):
            if self._drop is None:
                self._drop = Drop(self.token, time.perf_counter())
                self.rec.drops.append(self._drop)
            self._reconnecting = asyncio.create_task(self._reconnect())
        if self._reconnecting is not None and not self._reconnecting.done():
            await asyncio.shield(self._reconnecting)
        return self.connected

    async def close(self) -> None:
        self._closing = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        if self._sio is not None:
            sio, self._sio = self._sio, None
            try:
                await sio.disconnect()
            finally:
                await sio.eio.disconnect(abort=True)

    def _expect(self, predicate: Callable[[dict], bool]) -> asyncio.Future[dict]:
        fut: asyncio.Future[dict] = asyncio.get_running_loop().create_future()
        self._waiter = (predicate, fut)
        self._answer_events = []
        return fut

    async def _finish(self, kind: str, t0: float, fut: asyncio.Future[dict]) -> dict | None:
        try:
            update = await asyncio.wait_for(fut, ACTION_TIMEOUT_S)
        except (TimeoutError, Disconnected) as exc:
            what = "timeout" if isinstance(exc, TimeoutError) else DISCONNECTED
            self.rec.error(kind, what)
            self.rec.mark(kind, t0, time.perf_counter(), what)
            if what == "timeout":
                self.rec.stall(self.token, kind, t0, time.perf_counter())
            return None
        finally:
            # Only this action's own waiter: when its socket dropped, the reconnect has set the next one already
            # (clearing that one left the reconnect's hydrate unanswered for the full timeout).
            if self._waiter is not None and self._waiter[1] is fut:
                self._waiter = None
        t1 = time.perf_counter()
        self.rec.ok(kind, (t1 - t0) * 1000)
        if t1 - t0 > STALL_S:
            self.rec.stall(self.token, kind, t0, t1)
        what = _error_toast(self._answer_events)
        if what:
            self.rec.error(kind, what)
        self.rec.mark(kind, t0, t1, what or "ok")
        if self._drop is not None and self._drop.back is not None and not what:
            self._drop.answered, self._drop.next_action_ms = t1, (t1 - t0) * 1000
            self._drop = None  # back: reconnected, and an action of its was answered
        return update

    async def visit(self, path: str, kind: str) -> dict | None:
        """Navigate to `path` as the browser's router does (one `on_load_internal` event) and wait for hydration."""
        self.page = path
        return await self.call(ON_LOAD, {}, kind, until=_hydrated, path=path)

    async def call(
        self,
        handler: str,
        payload: dict[str, Any],
        kind: str,
        until: Callable[[dict], bool] | None = None,
        path: str | None = None,
    ) -> dict | None:
        """Send one event and wait until an update satisfies `until` (default: the first update). On a dropped
        socket it first waits for the reconnect, as the browser queues events meanwhile (that wait is part of the
        action's time)."""
        t0 = time.perf_counter()
        if not await self._ensure_connected():
            self.rec.error(kind, "not connected")
            self.rec.mark(kind, t0, time.perf_counter(), "not connected")
            await asyncio.sleep(1)
            return None
        assert self._sio is not None
        done = self._expect(until or (lambda _u: True))
        await self._sio.emit(
            "event",
            {"name": handler, "payload": payload, "router_data": self._router(path or self.page)},
            namespace="/_event",
        )
        return await self._finish(kind, t0, done)

    async def ping(self) -> None:
        """socket.io `ping` -> `pong`: no state, so it measures only how busy the worker's event loop is."""
        if not self.connected:
            return
        assert self._sio is not None
        self._pong = asyncio.get_running_loop().create_future()
        t0 = time.perf_counter()
        await self._sio.emit("ping", namespace="/_event")
        try:
            await asyncio.wait_for(self._pong, ACTION_TIMEOUT_S)
            self.rec.ok("socket ping", (time.perf_counter() - t0) * 1000)
        except TimeoutError:
            self.rec.error("socket ping", "timeout")
        except Disconnected:
            self.rec.error("socket ping", DISCONNECTED)

    async def _on_pong(self, _data: Any = None) -> None:
        if self._pong is not None and not self._pong.done():
            self._pong.set_result(None)

    async def _on_update(self, data: Any) -> None:
        update = data if isinstance(data, dict) else {}
        for name, values in (update.get("delta") or {}).items():
            if isinstance(values, dict):
                self.state.setdefault(name, {}).update(values)
        if update.get("events"):
            self.last_events = update["events"]
        waiter = self._waiter
        if waiter is not None:
            self._answer_events += update.get("events") or []
        # An error toast answers the action too, as it does for the person (a failed filter change sends no new
        # period back: waiting for one would count a clear "briefly unavailable" as a 30 s hang).
        if (
            waiter is not None
            and not waiter[1].done()
            and (waiter[0](update) or _error_toast(update.get("events") or []))
        ):
            waiter[1].set_result(update)
        elif waiter is None:
            self.rec.pushes += 1 if self.rec.recording else 0


def _hydrated(update: dict) -> bool:
    return (update.get("delta") or {}).get(ROOT_STATE, {}).get("is_hydrated" + MARK) is True


def _answered(state: str) -> Callable[[dict], bool]:
    """A form handler is done when it sends events (toast, redirect, focus) or puts an error beside a field."""
    return lambda u: bool(u.get("events")) or bool((u.get("delta") or {}).get(state, {}).get("errors" + MARK))


def redirect_path(update: dict | None) -> str:
    """The path of a `_redirect` event in `update` ("" when none)."""
    for ev in (update or {}).get("events", []):
        if isinstance(ev, dict) and ev.get("name") == "_redirect":
            return str((ev.get("payload") or {}).get("path", ""))
    return ""


def submit_outcome(update: dict | None) -> str:
    """What the partner saw of a deal submit: "confirmed <deal id>" (redirected to the new deal), "refused: ..."
    (a toast or an error beside a field), or "no answer" (dropped in flight or timed out: applied or not, the
    data check says)."""
    if update is None:
        return "no answer"
    if path := redirect_path(update):
        return f"confirmed {path.rstrip('/').rsplit('/', 1)[-1]}"
    return f"refused: {_error_toast(update.get('events', [])) or 'field error'}"


async def sign_in(base_url: str, email: str) -> dict[str, str]:
    """The person's cookie jar after signing in through the app's HTTP endpoint, as the login form does."""
    async with httpx.AsyncClient(base_url=base_url, follow_redirects=False, timeout=120) as http:
        r = await http.post(
            "/_auth/sign-in",
            data={"tab": str(uuid.uuid4()), "email": email, "password": PASSWORD},
            headers={"Origin": base_url},
        )
        token = r.cookies.get("prm_session")
        if not token:
            raise RuntimeError(f"sign-in as {email} failed: HTTP {r.status_code}")
        return {"prm_session": token}


# ----------------------------------------------------------------------------------------------- the people
THINK_SCALE = 1.0  # bench/load.py --think-scale: < 1 makes everyone act faster (the floor load's ceiling search)


async def think(rng: random.Random, mean_s: float = 1.0) -> None:
    """About `mean_s` between a person's events, with jitter (uniform 0.5x-1.5x), so people never march in step."""
    await asyncio.sleep(mean_s * THINK_SCALE * rng.uniform(0.5, 1.5))


RUN = uuid.uuid4().hex[:6]  # in every customer name: a run on kept data (--keep-data) never meets an earlier run's


def _deal_form(rng: random.Random, products: list[dict]) -> dict[str, str]:
    n = f"{RUN}{rng.randrange(10**9)}"
    form = {
        "customer_name": f"Loadtest Customer {n}",
        "customer_site": f"loadtest-{n}.example.com",
        "country": rng.choice(("US", "DE", "FR", "GB", "CA")),
        "contact_name": "Pat Buyer",
        "contact_email": f"pat@loadtest-{n}.example.com",
        "estimated_value": str(rng.randrange(5_000, 200_000)),
        "currency": "USD",
        "expected_close": (date.today() + timedelta(days=rng.randrange(20, 200))).isoformat(),
        "stage": "Discovery",
        "description": "Registered by the load bench.",
    }
    if products:
        form[f"product_{rng.choice(products)['id']}"] = "on"
    return form


async def partner(tab: Tab, rng: random.Random, stop: asyncio.Event) -> None:
    """Browses deals (the list, one deal) and, one visit in four, registers a deal: type name and site (the live
    conflict check), submit, land on the new deal's page."""
    while not stop.is_set():
        if rng.random() < 0.25:
            await tab.visit("/deals/new", "page /deals/new")
            await think(rng)
            products = tab.get(DEAL_FORM, "products", []) or []
            form = _deal_form(rng, products)
            await tab.call(f"{DEAL_FORM}.name_typed", {"value": form["customer_name"]}, "conflict hint (typing)")
            await think(rng)
            await tab.call(f"{DEAL_FORM}.site_typed", {"value": form["customer_site"]}, "conflict hint (typing)")
            await think(rng)
            done = await tab.call(f"{DEAL_FORM}.submit", {"form": form}, "deal submit", until=_answered(DEAL_FORM))
            tab.rec.submits[form["customer_name"]] = submit_outcome(done)
            if path := redirect_path(done):
                await tab.visit(path, "page /deals/[id]")
        else:
            await tab.visit("/deals", "page /deals")
            rows = tab.get(MY_DEALS, "rows", []) or []
            if rows:
                await think(rng)
                await tab.visit(f"/deals/{rng.choice(rows)['id']}", "page /deals/[id]")
        await think(rng)
        if rng.random() < 0.1:
            await tab.ping()


async def manager(tab: Tab, rng: random.Random, stop: asyncio.Event) -> None:
    """Works the registrations queue (open it, open one, approve a clean one or reject it) and now and then the
    lead queue (open it, drag the last lead to the top)."""
    while not stop.is_set():
        if rng.random() < 0.3:
            await tab.visit("/lead-queue", "page /lead-queue")
            rows = tab.get(LEAD_QUEUE, "rows", []) or []
            if len(rows) > 1:
                await think(rng)
                ids = [r["id"] for r in rows]
                await tab.call(f"{LEAD_QUEUE}.reorder", {"ids": [ids[-1], *ids[:-1]]}, "lead reorder")
        else:
            await tab.visit("/registrations", "page /registrations")
            rows = tab.get(QUEUE, "rows", []) or []
            if rows:
                await think(rng)
                row = rng.choice(rows)
                await tab.visit(f"/registrations/{row['id']}", "page /registrations/[id]")
                await think(rng)
                if row.get("conflicts") == 0 and rng.random() < 0.7:
                    form = {"protection_days": "90", "note": "load bench"}
                    await tab.call(f"{REVIEW}.approve", {"form": form}, "approve", until=_answered(REVIEW))
                else:
                    form = {"reason": "Rejected by the load bench."}
                    await tab.call(f"{REVIEW}.reject", {"form": form}, "reject", until=_answered(REVIEW))
        await think(rng)
        if rng.random() < 0.1:
            await tab.ping()


async def executive(tab: Tab, rng: random.Random, stop: asyncio.Event, *, idle: bool = False) -> None:
    """Keeps the dashboards open (the page's background loop pushes changes) and about every 10 s changes a filter
    or, one time in four, looks at the partner directory and comes back (leaving the page ends its loop);
    `idle`: only keeps the page open."""
    if tab.page.rstrip("/") != "/dashboards":
        await tab.visit("/dashboards", "page /dashboards")
    while not stop.is_set():
        await think(rng, 10.0)
        if idle or stop.is_set():
            continue
        if rng.random() < 0.25:
            await tab.visit("/partners", "page /partners")
            await think(rng)
            await tab.visit("/dashboards", "page /dashboards")
            continue
        # Another period than the one shown: an unchanged value may send no `days` back, and the wait would
        # then last until the timeout.
        days = rng.choice([d for d in ("30", "90", "180", "365") if d != tab.get(DASHBOARD, "days", "90")])
        await tab.call(
            f"{DASHBOARD}.set_filter",
            {"name": "days", "value": days},
            "dashboard filter",
            until=lambda u: "days" + MARK in (u.get("delta") or {}).get(DASHBOARD, {}),
        )
        if rng.random() < 0.3:
            await tab.ping()


async def blank(tab: Tab, rng: random.Random, stop: asyncio.Event, kind: str = "blank no-op (floor)") -> None:
    """The floor: a blank Reflex app's no-op event (it bumps a counter), about once a second."""
    while not stop.is_set():
        await tab.call(f"{BLANK_STATE}.noop", {}, kind)
        await think(rng)
