"""A raw ("hostile") Reflex 0.10.1 event-websocket client for e2e tests.

It speaks the same socket.io protocol as the browser's ``state.js`` but lets a
test call ANY event handler by its full name with ANY payload, send malformed
packets, reuse/steal tokens and present arbitrary cookies/headers.

Protocol facts (read from reflex 0.10.1: ``reflex/app.py`` ``EventNamespace``,
``reflex/state.py``, ``reflex_base/constants``, ``reflex_base/event``, and
``reflex_base/.templates/web/utils/state.js``):

* Transport: socket.io v5 / Engine.IO v4, **websocket transport only**
  (``AsyncServer(transports=[config.transport], allow_upgrades=False)``, default
  ``"websocket"``; polling is refused). The Engine.IO app is mounted at
  ``/_event`` (``Endpoint.EVENT``, prefixed by ``config.backend_path`` if set)
  with ``socketio_path=""``, so the websocket URL is
  ``ws://HOST:PORT/_event/?token=<TOKEN>&EIO=4&transport=websocket``.
  In ``--single-port`` prod mode frontend and backend share the port.
* Namespace: ``/_event`` (``config.get_event_namespace()`` = path of the event
  URL). The browser does ``io("ws://host/_event", {path: "/_event",
  transports, protocols: [reflex_version], query: {token}})``.
* Token: the client tab token is taken ONLY from the handshake query string
  ``token=...`` (``on_connect`` parses ``QUERY_STRING``); it is never read from
  the event body. No token -> warning, and every later event from that sid is
  dropped ("no associated token"). The browser uses a random UUID kept in
  ``sessionStorage["token"]``. If the token is already linked to another live
  sid, the server answers with a ``new_token`` event carrying a fresh token and
  links the connection to that one instead.
* Sec-WebSocket-Protocol: the browser offers the reflex version (``0.10.1``);
  the server only logs a warning on mismatch (absent header is fine).
* Headers/cookies: the handshake's HTTP headers (including ``Cookie``) and the
  client IP are captured once per connection and merged into every event's
  ``router_data["headers"]`` -> ``State.router.headers``. Nothing is required
  beyond the token; there is no auth/CSRF check. ``Origin`` is checked against
  ``config.cors_allowed_origins`` (default ``*``).
* CONNECT auth packet (optional): ``{"event": <boot event>, "state_schema":
  <hash>}``. The browser puts its boot event
  ``reflex___state____state.hydrate_and_load`` (payload ``{"vars": {...client
  storage...}, "hashes": [...]}``, both optional) there; it is processed as the
  connection's first event. A ``state_schema`` that differs from the backend's
  makes the server emit ``state_mismatch``; omitting it is accepted.
* Client -> server: ``socket.emit("event", {"name": <handler full name>,
  "payload": {kwarg: value, ...}, "router_data": {"pathname": "/",
  "asPath": "/", "query": {...}}})``. Only the ``Event`` dataclass fields
  ``name``, ``router_data``, ``payload`` are used (other keys, e.g. ``token``,
  are ignored). The server overwrites ``router_data`` keys ``sid``,
  ``headers``, ``ip``, ``token`` (= handshake token) and ``query``, and
  normalises ``pathname`` through the app router (unknown -> ``/404``).
  The payload is passed as ``handler(state, **payload)`` after coercion to the
  handler's type hints. An unknown name is logged server-side ("No registered
  handler found") and nothing is sent back. If the state has no router_data
  yet (no hydrate was sent), the first non-hydrate event first rehydrates (a
  full-state delta is emitted before the handler's own delta).
  Other client events: ``ping`` (server answers ``ping`` "pong") and
  ``client_error`` (``{"error_type", "message"}``, logged, rate-limited).
* Server -> client: ``event`` with a serialized ``StateUpdate``:
  ``{"delta": {<state full name>: {<var> + "_rx_state_": value, ...}},
  "events": [<frontend events, e.g. _call_function/toast/redirect>]}`` (empty
  fields are omitted; ``final`` no longer exists). There is NO correlation id
  and NO end-of-processing marker: a handler may emit 0..n updates (one per
  ``yield``; none when nothing changed or the name is unknown), so
  ``RawReflexClient.emit`` collects updates until the socket has been quiet
  for ``settle`` seconds. Also ``new_token`` (str) and ``state_mismatch``
  (``{"backend": hash, "reload_cooldown_ms": n}``).
* Handler full names: ``<state full name>.<python function name>``. A state's
  name is ``to_snake_case(module.replace(".", "___") + "___" + ClassName)``
  where ``to_snake_case`` = ``re.sub(r"(.)([A-Z][a-z]+)", r"\\1_\\2")`` then
  ``re.sub(r"([a-z0-9])([A-Z])", r"\\1_\\2")``, ``.lower()``, ``-`` -> ``_``.
  Because ``___`` + ``_`` before the capitalised class name, the separator
  becomes four underscores. The full name joins the names of the whole
  parent chain with ``.``, starting at the root ``reflex.state.State``
  (``reflex___state____state``). Example: ``prm_app.identity.ui.login.LoginState``
  (a direct ``rx.State`` subclass) with handler ``log_in`` ->
  ``reflex___state____state.prm_app___ui___pages___login____login_state.log_in``.
  Every state also has a generic ``setvar`` handler (payload ``{"var_name":
  ..., "value": ...}``) that calls ``getattr(state, "set_" + var_name)``;
  auto setters are off by default (``state_auto_setters=False``), so it only
  reaches explicitly defined ``set_*`` methods.
* Observed on a real prod server (``reflex run --env prod --single-port``):
  backend-only vars (leading ``_``) never appear in any delta; ``setvar`` with
  ``_x`` fails (``no attribute 'set__x'``), ``<state>.set__x`` is "No
  registered handler", and ``update_vars_internal`` / ``hydrate_and_load``
  ``vars`` only apply client-storage (``rx.Cookie``/``rx.LocalStorage``) vars
  and silently skip others. A handler exception (bad kwargs, wrong payload
  type...) produces one update whose ``events`` hold a generic
  ``_call_function`` toast ("An error occurred."); the socket stays open. A
  non-dict event body is rejected server-side with no reply. The ``Cookie``
  (and ``Authorization``...) request header reaches handlers via
  ``self.router.headers`` but is stripped from the ``rx_router_headers``
  delta sent to the client.

Usage::

    async with RawReflexClient("http://localhost:3000",
                               cookies={"session": "..."}) as c:
        name = handler_full_name(
            state_full_name("prm_app.identity.ui.login", "LoginState"), "log_in")
        updates = await c.emit(name, {"form_data": {...}})
        value = find_var(updates, state, "error_message")
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Self

import httpx
import socketio

__all__ = [
    "EVENT_PATH",
    "FIELD_MARKER",
    "HYDRATE_AND_LOAD",
    "MISSING",
    "ROOT_STATE",
    "RawReflexClient",
    "find_var",
    "handler_full_name",
    "merge_deltas",
    "state_full_name",
    "state_name",
    "to_snake_case",
]

#: Engine.IO mount path and socket.io namespace of the event websocket.
EVENT_PATH = "/_event"
#: Suffix the server appends to every var name in a delta (``count`` -> ``count_rx_state_``).
FIELD_MARKER = "_rx_state_"
#: Full name of the root state ``reflex.state.State``.
ROOT_STATE = "reflex___state____state"
#: The browser's boot event (hydrate + queue on_load handlers).
HYDRATE_AND_LOAD = f"{ROOT_STATE}.hydrate_and_load"
#: Name of the socket.io event used in both directions for state events/updates.
SOCKET_EVENT = "event"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: Returned by ``find_var`` / ``RawReflexClient.get`` when a var was never seen.
MISSING: Any = _Missing()


def to_snake_case(text: str) -> str:
    """Reflex's ``reflex_base.utils.format.to_snake_case`` (copied verbatim)."""
    s1 = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", text)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s1).lower().replace("-", "_")


def state_name(module: str, class_name: str) -> str:
    """The (single-level) name of a state class, as ``BaseState.get_name``.

    ``state_name("prm_app.identity.ui.login", "LoginState")`` ->
    ``"prm_app___ui___pages___login____login_state"``.
    """
    return to_snake_case(f"{module.replace('.', '___')}___{class_name}")


def state_full_name(
    module: str,
    class_name: str,
    parents: Sequence[tuple[str, str]] = (),
) -> str:
    """The full dotted name of a state, as ``BaseState.get_full_name``.

    Args:
        module: The ``__module__`` of the state class (e.g. ``"prm_app.identity.ui.login"``).
        class_name: The class ``__name__`` (e.g. ``"LoginState"``).
        parents: ``(module, class_name)`` of the intermediate parent states,
            outermost first, for states that do not subclass ``rx.State``
            directly. The root ``reflex.state.State`` is always prepended.

    Returns:
        e.g. ``"reflex___state____state.prm_app___ui___pages___login____login_state"``.
    """
    names = [ROOT_STATE, *(state_name(m, c) for m, c in parents)]
    names.append(state_name(module, class_name))
    return ".".join(names)


def handler_full_name(state_full: str, handler: str) -> str:
    """``<state full name>.<handler function name>`` (the ``Event.name`` on the wire)."""
    return f"{state_full}.{handler}"


def merge_deltas(updates: Iterable[dict], into: dict | None = None) -> dict:
    """Merge the ``delta`` of each update like the frontend's reducers do.

    Returns ``{state full name: {var + FIELD_MARKER: value}}``.
    """
    merged: dict[str, dict[str, Any]] = {} if into is None else into
    for update in updates:
        delta = update.get("delta") if isinstance(update, dict) else None
        if not isinstance(delta, dict):
            continue
        for substate, values in delta.items():
            if isinstance(values, dict):
                merged.setdefault(substate, {}).update(values)
    return merged


def find_var(updates: Iterable[dict], state_full: str, var: str) -> Any:
    """Last value of ``var`` (plain name, marker optional) of ``state_full`` in ``updates``.

    Returns ``MISSING`` when no update carried it.
    """
    key = var if var.endswith(FIELD_MARKER) else var + FIELD_MARKER
    return merge_deltas(updates).get(state_full, {}).get(key, MISSING)


def _default_subprotocol() -> str | None:
    try:
        return version("reflex")
    except PackageNotFoundError:  # pragma: no cover - reflex not installed
        return None


class RawReflexClient:
    """A socket.io client that talks to a Reflex event websocket like a browser tab.

    Args:
        base_url: The app's URL, e.g. ``"http://localhost:3000"`` (http/https or
            ws/wss; any path is ignored).
        token: The tab token sent as ``?token=`` (default: a fresh uuid4). Pass
            another client's token to test token hijacking.
        cookies: Sent as one ``Cookie`` header in the websocket handshake.
        headers: Extra handshake headers (override ``Origin`` etc.).
        event_path: Mount path / namespace of the event endpoint.
        page_path: Default ``pathname``/``asPath`` for ``router_data``.
        hydrate: Send the browser's boot event (``hydrate_and_load``) in the
            CONNECT auth packet, as the browser does. ``connect()`` then waits
            for the hydrate updates and returns them.
        hydrate_payload: Payload for the boot event (e.g. ``{"vars": {...}}``
            to present client-storage values).
        state_schema: Optional ``state_schema`` for the CONNECT auth packet.
        origin: ``Origin`` header (default: derived from ``base_url``; ``None``
            to omit, as a non-browser client would).
        subprotocol: ``Sec-WebSocket-Protocol`` to offer (default: the
            installed reflex version, like the browser; ``None`` to omit).
        settle: Default quiet period (s) that ends the collection of updates.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        *,
        event_path: str = EVENT_PATH,
        page_path: str = "/",
        hydrate: bool = True,
        hydrate_payload: dict | None = None,
        state_schema: str | None = None,
        origin: str | _Missing | None = MISSING,
        subprotocol: str | _Missing | None = MISSING,
        settle: float = 0.3,
    ) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        http_scheme = {"ws": "http", "wss": "https"}.get(parsed.scheme, parsed.scheme)
        self.base_url = f"{http_scheme}://{parsed.netloc}"
        self.token = token or str(uuid.uuid4())
        self.cookies = dict(cookies or {})
        self.extra_headers = dict(headers or {})
        self.event_path = "/" + event_path.strip("/")
        self.namespace = self.event_path
        self.page_path = page_path
        self.hydrate = hydrate
        self.hydrate_payload = hydrate_payload
        self.state_schema = state_schema
        self.origin = self.base_url if origin is MISSING else origin
        self.subprotocol = _default_subprotocol() if subprotocol is MISSING else subprotocol
        self.settle = settle

        #: Every ``event`` update received, in order.
        self.updates: list[dict] = []
        #: Every other server event as ``(event_name, data)`` (``new_token``, ``state_mismatch``, ``ping``...).
        self.other_events: list[tuple[str, Any]] = []
        #: Merged view of all deltas, like the browser's store.
        self.state: dict[str, dict[str, Any]] = {}
        #: Token values announced via ``new_token`` (``self.token`` is updated too).
        self.new_tokens: list[str] = []
        self.disconnected = False
        self.disconnect_reason: Any = None

        self._sio: socketio.AsyncClient | None = None
        self._arrival: asyncio.Event | None = None

    # ------------------------------------------------------------------ helpers
    def handshake_headers(self) -> dict[str, str]:
        """The HTTP headers sent with the websocket upgrade request."""
        hdrs: dict[str, str] = {}
        if self.origin:
            hdrs["Origin"] = self.origin
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(self.extra_headers)
        return hdrs

    def default_router_data(self, page_path: str | None = None) -> dict[str, Any]:
        """``router_data`` as the browser's ``withRouterData`` builds it."""
        path = page_path or self.page_path
        parsed = urllib.parse.urlsplit(path)
        data: dict[str, Any] = {"pathname": parsed.path or "/", "asPath": path}
        query = dict(urllib.parse.parse_qsl(parsed.query))
        if query:
            data["query"] = query
        return data

    def make_event(
        self,
        handler_full_name: str,
        payload: Any = None,
        router_data: dict | None = None,
    ) -> dict[str, Any]:
        """The wire dict for one event (exactly what ``socket.emit("event", ...)`` sends)."""
        return {
            "name": handler_full_name,
            "payload": {} if payload is None else payload,
            "router_data": (self.default_router_data() if router_data is None else router_data),
        }

    @property
    def connected(self) -> bool:
        return self._sio is not None and self._sio.connected and not self.disconnected

    @property
    def sid(self) -> str | None:
        """The socket.io session id of the namespace connection."""
        if self._sio is None:
            return None
        return self._sio.get_sid(self.namespace)

    def get(self, state_full: str, var: str, default: Any = MISSING) -> Any:
        """Current value of a var in the merged store (plain var name)."""
        key = var if var.endswith(FIELD_MARKER) else var + FIELD_MARKER
        return self.state.get(state_full, {}).get(key, default)

    # -------------------------------------------------------------- lifecycle
    async def connect(self, timeout: float = 10.0) -> list[dict]:
        """Open the websocket and join the ``/_event`` namespace.

        Returns the updates received during the connect (the hydrate deltas when
        ``hydrate=True``; otherwise usually ``[]``).

        Raises:
            socketio.exceptions.ConnectionError: if the server refuses the
                handshake or the namespace connect.
        """
        if self._sio is not None:
            raise RuntimeError("already connected; use a new RawReflexClient")
        self._arrival = asyncio.Event()
        ws_options: dict[str, Any] = {
            # Passed straight to aiohttp.ws_connect. Headers given here bypass
            # engineio's handling of a "Cookie" header in connect(headers=...),
            # which moves it into aiohttp's cookie jar (which may drop or rewrite
            # it, e.g. for IP hosts); this way the exact header is sent.
            "headers": self.handshake_headers(),
        }
        if self.subprotocol:
            ws_options["protocols"] = (self.subprotocol,)
        sio = socketio.AsyncClient(
            reconnection=False,
            logger=False,
            engineio_logger=False,
            websocket_extra_options=ws_options,
        )
        sio.on(SOCKET_EVENT, self._on_update, namespace=self.namespace)
        sio.on("new_token", self._on_new_token, namespace=self.namespace)
        sio.on("disconnect", self._on_disconnect, namespace=self.namespace)
        sio.on("*", self._on_other, namespace=self.namespace)
        self._sio = sio

        auth: dict[str, Any] | None = None
        if self.hydrate or self.state_schema is not None:
            auth = {}
            if self.hydrate:
                auth["event"] = self.make_event(HYDRATE_AND_LOAD, dict(self.hydrate_payload or {}))
            if self.state_schema is not None:
                auth["state_schema"] = self.state_schema

        start = len(self.updates)
        url = f"{self.base_url}?{urllib.parse.urlencode({'token': self.token})}"
        try:
            await sio.connect(
                url,
                transports=["websocket"],
                namespaces=[self.namespace],
                socketio_path=self.event_path.strip("/"),
                auth=auth,
                wait_timeout=timeout,
            )
        except BaseException:
            self._sio = None
            # Close the websocket/aiohttp session of a refused connect.
            await sio.eio.disconnect(abort=True)
            raise
        if self.hydrate:
            return await self._collect(start, timeout, self.settle)
        return []

    async def close(self) -> None:
        """Disconnect (idempotent)."""
        sio, self._sio = self._sio, None
        if sio is not None:
            if sio.connected:
                await sio.disconnect()
            # Also closes the aiohttp session when the server already hung up.
            await sio.eio.disconnect(abort=True)

    async def reconnect(self, cookies: dict[str, str] | None = None, timeout: float = 10.0) -> list[dict]:
        """Close the socket and open a new one for the same tab token, with `cookies` in the handshake (as a
        browser does when a page reloads after the session cookie changed)."""
        await self.close()
        self.disconnected = False
        if cookies is not None:
            self.cookies = dict(cookies)
        return await self.connect(timeout)

    async def post_form(
        self, path: str, form: dict[str, str], *, origin: str | _Missing | None = MISSING
    ) -> httpx.Response:
        """A browser-like form POST to the app (303 answers are not followed), with this client's cookies and
        the tab token as `tab`."""
        headers = {}
        if (origin := self.base_url if origin is MISSING else origin) is not None:
            headers["Origin"] = origin
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        async with httpx.AsyncClient(base_url=self.base_url, follow_redirects=False, timeout=30) as http:
            return await http.post(path, data={"tab": self.token, **form}, headers=headers)

    async def sign_in(self, email: str, password: str, **form: str) -> httpx.Response:
        """Sign in through the app's HTTP endpoint like the login form does and reconnect with the cookie it set
        (the cookie is kept in ``self.cookies``; it stays out of the socket's state)."""
        response = await self.post_form("/_auth/sign-in", {"email": email, "password": password, **form})
        if (token := response.cookies.get("prm_session")) is not None:
            await self.reconnect({**self.cookies, "prm_session": token})
        return response

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ---------------------------------------------------------------- sending
    async def emit(
        self,
        handler_full_name: str,
        payload: Any = None,
        router_data: dict | None = None,
        timeout: float = 5,
        settle: float | None = None,
    ) -> list[dict]:
        """Call any event handler by full name with any payload.

        Args:
            handler_full_name: e.g. ``"reflex___state____state.app___mod____my_state.incr"``.
            payload: Handler kwargs (``{}`` if None). Not validated: lists, strings,
                extra/missing kwargs etc. are sent as given.
            router_data: Overrides the default ``{"pathname", "asPath"}``.
            timeout: Max seconds to wait for the first update.
            settle: Quiet period that ends collection (default ``self.settle``).

        Returns:
            The ``event`` updates (``{"delta": ..., "events": ...}``) received
            after sending, until ``settle`` seconds without a new one; ``[]`` if
            nothing arrived within ``timeout`` (e.g. unknown handler, no change,
            or a rejected event). Updates are not correlated to events on the
            wire, so concurrent background tasks may add unrelated updates.
        """
        return await self.emit_raw(
            self.make_event(handler_full_name, payload, router_data),
            timeout=timeout,
            settle=settle,
        )

    async def emit_raw(
        self,
        data: Any,
        event: str = SOCKET_EVENT,
        timeout: float = 5,
        settle: float | None = None,
    ) -> list[dict]:
        """Send arbitrary data under any socket.io event name (malformed packets etc.)."""
        if self._sio is None:
            raise RuntimeError("not connected")
        start = len(self.updates)
        await self._sio.emit(event, data, namespace=self.namespace)
        return await self._collect(start, timeout, self.settle if settle is None else settle)

    async def wait_for(self, predicate: Callable[[dict], bool], timeout: float = 5) -> dict:
        """Wait for (and return) the next received update satisfying ``predicate``.

        Only updates that arrive after the call are considered.
        """
        assert self._arrival is not None, "not connected"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        idx = len(self.updates)
        while True:
            while idx < len(self.updates):
                upd = self.updates[idx]
                idx += 1
                if predicate(upd):
                    return upd
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("no matching update")
            await self._wait_arrival(remaining)

    # -------------------------------------------------------------- internals
    async def _wait_arrival(self, timeout: float) -> bool:
        assert self._arrival is not None
        self._arrival.clear()
        try:
            await asyncio.wait_for(self._arrival.wait(), timeout)
            return True
        except TimeoutError:
            return False

    async def _collect(self, start: int, timeout: float, settle: float) -> list[dict]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.updates) <= start:
            remaining = deadline - loop.time()
            if remaining <= 0 or self.disconnected:
                return []
            await self._wait_arrival(remaining)
        # Keep collecting until quiet for `settle` s (bounded by timeout + settle).
        hard_stop = max(deadline, loop.time()) + settle
        while True:
            count = len(self.updates)
            wait = min(settle, hard_stop - loop.time())
            if wait <= 0:
                break
            await self._wait_arrival(wait)
            if len(self.updates) == count:
                break
        return list(self.updates[start:])

    def _notify(self) -> None:
        if self._arrival is not None:
            self._arrival.set()

    async def _on_update(self, data: Any) -> None:
        update = data if isinstance(data, dict) else {"raw": data}
        self.updates.append(update)
        merge_deltas([update], into=self.state)
        self._notify()

    async def _on_new_token(self, data: Any) -> None:
        self.other_events.append(("new_token", data))
        if isinstance(data, str):
            self.new_tokens.append(data)
            self.token = data
        self._notify()

    async def _on_disconnect(self, reason: Any = None) -> None:
        self.disconnected = True
        self.disconnect_reason = reason
        self._notify()

    async def _on_other(self, event: str, data: Any = None) -> None:
        self.other_events.append((event, data))
        self._notify()
