"""Prometheus metrics at `GET /metrics` on the app's backend, summed over every worker process of the server.

Off unless the setting PRM_METRICS_TOKEN is set: then the scraper sends `Authorization: Bearer <token>` (compared in
constant time; anything else is 401) and the answer is never cached. Without the setting `/metrics` is 404, as if
it did not exist.

Several granian workers serve the app, each with its own memory, so the instruments use prometheus-client's
multiprocess mode: every process writes its samples to files in PROMETHEUS_MULTIPROC_DIR and a scrape, served by
whichever worker, reads them all. When the variable is unset, the first process of the server that loads the app
(granian's supervisor, before it forks the workers) creates a private temporary folder, puts it in the environment
the workers inherit and removes it when it exits. A scrape drops the live gauges (open sockets, pool use) of workers
that died; their counters stay counted, as Prometheus expects of counters.

What is measured, with label values that are templates or names from code, never a path, an id or a person:
- `prm_event_duration_seconds{handler="AuthState.guard_partner"}`: each Reflex event, from the moment its handler
  holds the tab's state lock until its task ends (handler, chained updates, deltas sent). Waiting for the lock is
  not in it (Reflex 0.10.1 offers no hook before the lock).
- `prm_http_requests_total{route, method, status}` and `prm_http_request_duration_seconds{route}`: the backend's HTTP
  requests by route template (`/_auth/sign-in`, `/healthz`, `frontend` for the compiled pages, `other` for whatever
  no route matched).
- `prm_event_sockets_open`: event sockets (browser tabs) connected, all workers together.
- `prm_db_pool_checked_out` / `prm_db_pool_size`: SQLAlchemy connections in use and the pools' configured size.
- whatever app.py registers with `register_gauge` / `register_counter`: functions called at scrape time, for facts
  that belong to the whole system, not to one process (the job queue's depth, failed job runs by job).
"""

from __future__ import annotations

import asyncio
import atexit
import hmac
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, values
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector
from reflex.middleware.middleware import Middleware
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from prm_app.platform.logs import bind_event, new_request_id, request_context
from prm_app.platform.settings import settings

log = logging.getLogger("prm_app.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
EVENT_PATH = "/_event"
# Events are mostly tens of milliseconds; the tail that matters (lock expiry) is seconds.
EVENT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _owner_pid() -> int:
    """The server process whose folder this process shares: its multiprocessing parent (a spawned worker), or itself."""
    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None and parent.pid is not None else os.getpid()


def multiproc_dir() -> Path:
    """The folder every process of this server writes its samples to, created (and exported to child processes)
    when PROMETHEUS_MULTIPROC_DIR is unset. After this call, instruments created in this process are file-backed."""
    configured = os.environ.get(MULTIPROC_ENV)
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        owner = _owner_pid()
        folder = Path(tempfile.gettempdir()) / f"prm-metrics-{owner}"
        if owner == os.getpid():
            shutil.rmtree(folder, ignore_errors=True)  # a previous server with this pid left its samples
            atexit.register(_remove_when_owner_exits, folder, os.getpid())
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ[MULTIPROC_ENV] = str(folder)
    if not getattr(values.ValueClass, "_multiprocess", False):
        # prometheus-client picks its value class when first imported; the folder may be known only now.
        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    return folder


def _remove_when_owner_exits(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # a forked worker inherits atexit handlers; only the server that made it removes it
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Instruments:
    event_seconds: Histogram
    http_requests: Counter
    http_seconds: Histogram
    sockets_open: Gauge
    pool_checked_out: Gauge
    pool_size: Gauge


@cache
def instruments() -> Instruments:
    """This process's instruments, file-backed (see `multiproc_dir`); not in any global registry."""
    multiproc_dir()
    return build_instruments(None)


def build_instruments(registry: CollectorRegistry | None) -> Instruments:
    """New instruments registered in `registry` (None: in none, as multiprocess mode wants)."""
    return Instruments(
        event_seconds=Histogram(
            "prm_event_duration_seconds",
            "Reflex event handling time under the state lock, by state class and handler",
            ["handler"],
            buckets=EVENT_BUCKETS,
            registry=registry,
        ),
        http_requests=Counter(
            "prm_http_requests",
            "HTTP requests by route template, method and status",
            ["route", "method", "status"],
            registry=registry,
        ),
        http_seconds=Histogram(
            "prm_http_request_duration_seconds", "HTTP request time by route template", ["route"], registry=registry
        ),
        sockets_open=Gauge(
            "prm_event_sockets_open",
            "Event sockets (browser tabs) connected",
            multiprocess_mode="livesum",
            registry=registry,
        ),
        pool_checked_out=Gauge(
            "prm_db_pool_checked_out", "Database connections in use", multiprocess_mode="livesum", registry=registry
        ),
        pool_size=Gauge(
            "prm_db_pool_size",
            "Configured database pool size, all workers",
            multiprocess_mode="livesum",
            registry=registry,
        ),
    )


# -- hooks for other parts of the system -------------------------------------------------------------------------

ScrapeFn = Callable[[], float | Mapping[str, float]]


@dataclass(frozen=True)
class _Callback:
    name: str
    help: str
    fn: ScrapeFn
    kind: str  # "gauge" | "counter"
    label: str | None


_callbacks: dict[str, _Callback] = {}


def register_gauge(name: str, help: str, fn: ScrapeFn, *, label: str | None = None) -> None:
    """Show `fn()` as gauge `name` on every scrape. `fn` returns a number, or {label value: number} with `label`
    naming the label (`register_gauge("prm_job_queue_depth", "...", huey_depth_by_queue, label="queue")`). It runs
    in the worker that answers the scrape, in a thread, so it suits system-wide facts (a queue's length) and may do
    a quick query; if it raises, that metric is left out of that scrape and the error logged. Registering a name
    again replaces it."""
    _callbacks[name] = _Callback(name, help, fn, "gauge", label)


def register_counter(name: str, help: str, fn: ScrapeFn, *, label: str | None = None) -> None:
    """As `register_gauge`, for a number that only grows (failures recorded by the job runner's storage)."""
    _callbacks[name] = _Callback(name, help, fn, "counter", label)


class _CallbackCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        for cb in list(_callbacks.values()):
            try:
                found = cb.fn()
            except Exception:
                log.warning("metric %s could not be read", cb.name, exc_info=True)
                continue
            family_type = GaugeMetricFamily if cb.kind == "gauge" else CounterMetricFamily
            family = family_type(cb.name, cb.help, labels=[cb.label] if cb.label else None)
            if isinstance(found, Mapping):
                for value, number in found.items():
                    family.add_metric([value], number)
            else:
                family.add_metric([], found)
            yield family


def forget_dead_workers(folder: Path) -> list[int]:
    """Remove the live-gauge samples of processes that no longer run (a worker killed or respawned); returns them."""
    dead = []
    for pid in {pid for p in folder.glob("*.db") if (pid := _pid_of(p)) is not None}:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            dead.append(pid)
            mark_process_dead(pid, str(folder))  # type: ignore[no-untyped-call]
        except PermissionError:
            pass  # alive, another user's
    return dead


def _pid_of(path: Path) -> int | None:
    tail = path.stem.rpartition("_")[2]
    return int(tail) if tail.isdigit() else None


def scrape(folder: Path | None = None) -> bytes:
    """The text exposition of every worker's samples plus the registered callbacks."""
    folder = folder or multiproc_dir()
    forget_dead_workers(folder)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))  # type: ignore[no-untyped-call]
    registry.register(_CallbackCollector())
    return generate_latest(registry)


# -- GET /metrics -----------------------------------------------------------------------------------------------


def _authorized(request: Request, token: str) -> bool:
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode())


async def metrics(request: Request) -> Response:
    token = settings.metrics_token
    if not token:
        return PlainTextResponse("Not Found", status_code=404)
    if not _authorized(request, token):
        return PlainTextResponse("Unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"})
    body = await asyncio.to_thread(scrape)
    return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})


def metrics_routes() -> Starlette:
    """`GET /metrics`, for the app's `api_transformer` list (it mounts the rest of the app below it)."""
    multiproc_dir()  # in the supervisor, before it forks the workers: they inherit the folder
    return Starlette(routes=[Route("/metrics", metrics)])


# -- HTTP requests and event sockets (ASGI middleware, outermost) ------------------------------------------------


def route_template(scope: Mapping[str, Any]) -> str:
    """The template of the route that served `scope` (set by Starlette's routers), never the raw path."""
    route = scope.get("route")
    if isinstance(route, Mount):
        if isinstance(route.app, StaticFiles):
            return "frontend"  # the compiled pages and assets (--single-port), including their 404s
        return f"{route.path}/*" if route.path else "other"  # "" is the chain of our own mounts: nothing matched
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "other"


class HttpMetrics:
    """ASGI middleware: times and counts each HTTP request by route template and status, counts open event
    sockets, and binds a request id to every log record the request causes. Put it last in `api_transformer`
    so it wraps everything else."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "websocket" and scope.get("path", "").startswith(EVENT_PATH):
            gauge = instruments().sockets_open
            gauge.inc()
            try:
                await self.app(scope, receive, send)
            finally:
                gauge.dec()
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # unless the app answers otherwise: a crash before the response starts is a 500
        started = time.perf_counter()

        async def send_status(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        offered = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        try:
            with request_context(new_request_id(offered)):
                await self.app(scope, receive, send_status)
        finally:
            found = instruments()
            route = route_template(scope)
            method = scope.get("method", "GET") if scope.get("method") in _METHODS else "other"
            found.http_requests.labels(route=route, method=method, status=str(status)).inc()
            found.http_seconds.labels(route=route).observe(time.perf_counter() - started)


# -- Reflex events -----------------------------------------------------------------------------------------------


_handler_labels: dict[str, str] = {}


def handler_label(event: Any) -> str:
    """`StateClass.handler` for a Reflex event (its name is `<state path>.<handler>`). Only events whose handler
    Reflex resolved reach the middleware, so the label values are bounded by the app's own handlers."""
    if (label := _handler_labels.get(event.name)) is None:
        state_path, _, handler = event.name.rpartition(".")
        try:
            state = event.state_cls.__name__
        except (KeyError, LookupError):
            state = state_path.rpartition(".")[2]
        label = _handler_labels[event.name] = f"{state}.{handler}"
    return label


def observe_event(handler: str, started: float) -> Callable[[Any], None]:
    """A done-callback for an event's task that records its duration under `handler`."""

    def done(_task: Any) -> None:
        instruments().event_seconds.labels(handler=handler).observe(time.perf_counter() - started)

    return done


class EventMetrics(Middleware):
    """Reflex middleware that times every event and tags its log records with an event id and its handler. Add it
    first (`app.add_middleware(EventMetrics(), index=0)`): Reflex's hydrate middleware answers hydrate events itself
    and no middleware after it sees them."""

    async def preprocess(self, app: Any, state: Any, event: Any) -> None:
        handler = handler_label(event)
        bind_event(uuid.uuid4().hex[:16], handler)
        task = asyncio.current_task()
        if task is not None:  # Reflex runs each event in a task of its own, which ends when the event is done
            task.add_done_callback(observe_event(handler, time.perf_counter()))
        return None


def watch_pool(engine: Engine) -> None:
    """Keep `prm_db_pool_checked_out` (connections handed out and not yet returned) and `prm_db_pool_size` current
    for `engine`'s pool in this process."""

    def checked_out(*_args: Any) -> None:
        found = instruments()
        found.pool_checked_out.inc()
        if callable(size := getattr(engine.pool, "size", None)):
            found.pool_size.set(size())

    def returned(*_args: Any) -> None:
        # Counted, not read from the pool: SQLAlchemy fires "checkin" before the pool takes the connection back.
        instruments().pool_checked_out.dec()

    sa_event.listen(engine, "checkout", checked_out)
    sa_event.listen(engine, "checkin", returned)
    sa_event.listen(engine, "detach", returned)  # a detached connection never comes back
