"""/metrics: off without its token setting, refused without the token, and with it one scrape sums every worker
process's samples; requests are counted by route template, events by handler, pool use as it happens."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import structlog
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families
from reflex.event import Event
from sqlalchemy import create_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from prm_app.web import metrics_http
from prm_app.web.state import AuthState

TOKEN = "s3cret-scrape-token"
ROOT = Path(__file__).resolve().parents[2]
# A worker process of the server: writes what an event, a request, and an open socket leave behind.
WORKER = textwrap.dedent(
    """
    import sys, time
    from prm_app.web import metrics_http as m
    found = m.instruments()
    m.observe_event("AuthState.guard_partner", time.perf_counter() - 0.02)(None)
    found.http_requests.labels(route="/_auth/sign-in", method="POST", status="303").inc()
    found.sockets_open.inc()
    print("written", flush=True)
    if sys.argv[1] == "stay":
        sys.stdin.readline()  # alive until the test has scraped
    """
)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """Two processes writing into one multiprocess folder: one has exited by the scrape, one is still serving."""
    folder = tmp_path_factory.mktemp("metrics")
    env = {**os.environ, metrics_http.MULTIPROC_ENV: str(folder)}
    subprocess.run([sys.executable, "-c", WORKER, "exit"], cwd=ROOT, env=env, check=True, capture_output=True)
    alive = subprocess.Popen(
        [sys.executable, "-c", WORKER, "stay"], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert alive.stdout is not None and alive.stdout.readline().strip() == b"written"
    yield folder
    alive.communicate(b"\n", timeout=20)


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def _value(samples: dict, name: str, **labels: str) -> float:
    return sum(v for found, v in samples.get(name, []) if all(found.get(k) == w for k, w in labels.items()))


def _client(monkeypatch, folder: Path, token: str | None) -> TestClient:
    monkeypatch.setattr(metrics_http, "settings", dataclasses.replace(metrics_http.settings, metrics_token=token))
    monkeypatch.setattr(metrics_http, "multiproc_dir", lambda: folder)
    return TestClient(Starlette(routes=[Route("/metrics", metrics_http.metrics)]))


def test_metrics_do_not_exist_without_the_token_setting(monkeypatch, two_workers):
    response = _client(monkeypatch, two_workers, None).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 404
    assert "prm_" not in response.text


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"])
def test_metrics_refuse_anything_but_the_token(monkeypatch, two_workers, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = _client(monkeypatch, two_workers, TOKEN).get("/metrics", headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "prm_" not in response.text


def test_one_scrape_sums_every_worker_and_forgets_the_dead_ones_sockets(monkeypatch, two_workers):
    metrics_http.register_gauge("prm_job_queue_depth", "Jobs waiting", lambda: {"default": 7}, label="queue")
    metrics_http.register_counter("prm_test_broken", "Raises at scrape time", lambda: 1 / 0)
    try:
        response = _client(monkeypatch, two_workers, TOKEN).get(
            "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
    finally:
        metrics_http._callbacks.pop("prm_job_queue_depth")
        metrics_http._callbacks.pop("prm_test_broken")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = _samples(response.text)
    assert _value(samples, "prm_event_duration_seconds_count", handler="AuthState.guard_partner") == 2
    assert 0.04 <= _value(samples, "prm_event_duration_seconds_sum", handler="AuthState.guard_partner") < 1
    assert _value(samples, "prm_http_requests_total", route="/_auth/sign-in", method="POST", status="303") == 2
    assert _value(samples, "prm_event_sockets_open") == 1  # the exited worker's socket is not open any more
    assert _value(samples, "prm_job_queue_depth", queue="default") == 7
    assert "prm_test_broken_total" not in samples  # a callback that fails leaves its metric out, not the scrape


def _recorded(monkeypatch) -> tuple[CollectorRegistry, metrics_http.Instruments]:
    registry = CollectorRegistry()
    found = metrics_http.build_instruments(registry)
    monkeypatch.setattr(metrics_http, "instruments", lambda: found)
    return registry, found


def _http_app() -> metrics_http.HttpMetrics:
    async def partner(request: Request) -> JSONResponse:
        return JSONResponse(structlog.contextvars.get_contextvars())

    async def boom(_request: Request) -> PlainTextResponse:
        raise RuntimeError("broken")

    assets = Mount("/assets", StaticFiles(directory=Path(__file__).parent))  # as the compiled frontend is served
    routes = [Route("/partners/{partner_id}", partner), Route("/boom", boom), assets]
    return metrics_http.HttpMetrics(Starlette(routes=routes))


def test_requests_are_counted_by_route_template_and_status_never_by_path(monkeypatch):
    registry, _ = _recorded(monkeypatch)
    client = TestClient(_http_app(), raise_server_exceptions=False)

    client.get("/partners/42")
    client.get("/partners/43")
    client.get("/people/dana@example.com")
    client.get("/boom")
    client.get("/assets/test_metrics_http.py")

    def count(route: str, status: str) -> float | None:
        labels = {"route": route, "method": "GET", "status": status}
        return registry.get_sample_value("prm_http_requests_total", labels)

    assert count("/partners/{partner_id}", "200") == 2
    assert count("other", "404") == 1
    assert count("/boom", "500") == 1
    assert count("frontend", "200") == 1
    routes = {s.labels["route"] for m in registry.collect() for s in m.samples if "route" in s.labels}
    assert routes == {"/partners/{partner_id}", "other", "/boom", "frontend"}


def test_each_request_gets_a_request_id_for_its_log_lines(monkeypatch):
    _recorded(monkeypatch)
    client = TestClient(_http_app())

    fresh = client.get("/partners/1").json()["request_id"]
    forwarded = client.get("/partners/1", headers={"X-Request-ID": "lb-7f3a9c21"}).json()["request_id"]
    injected = client.get("/partners/1", headers={"X-Request-ID": 'x" level=error'}).json()["request_id"]

    assert len(fresh) == 32 and fresh != client.get("/partners/1").json()["request_id"]
    assert forwarded == "lb-7f3a9c21"
    assert injected != 'x" level=error' and len(injected) == 32
    assert structlog.contextvars.get_contextvars().get("request_id") is None  # unbound after the request


def test_an_event_is_timed_under_its_state_class_and_handler(monkeypatch):
    registry, _ = _recorded(monkeypatch)
    event = Event(name=f"{AuthState.get_full_name()}.guard_partner")

    async def handle() -> dict:
        await metrics_http.EventMetrics().preprocess(None, None, event)
        await asyncio.sleep(0.01)  # the handler's work, inside the event's task
        return structlog.contextvars.get_contextvars()

    bound = asyncio.run(handle())

    labels = {"handler": "AuthState.guard_partner"}
    assert registry.get_sample_value("prm_event_duration_seconds_count", labels) == 1
    assert registry.get_sample_value("prm_event_duration_seconds_sum", labels) >= 0.01
    assert bound["handler"] == "AuthState.guard_partner" and len(bound["event_id"]) == 16


def test_an_event_of_an_unknown_state_is_labelled_by_its_name():
    event = Event(name="reflex___state____state.some___gone____state.do_it")  # no such state class

    assert metrics_http.handler_label(event) == "some___gone____state.do_it"


def test_pool_use_follows_checkouts(monkeypatch, tmp_path):
    registry, _ = _recorded(monkeypatch)
    engine = create_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    metrics_http.watch_pool(engine)

    with engine.connect():
        in_use = registry.get_sample_value("prm_db_pool_checked_out")
    after = registry.get_sample_value("prm_db_pool_checked_out")

    assert (in_use, after) == (1, 0)
    assert registry.get_sample_value("prm_db_pool_size") == 5
    engine.dispose()


def test_dead_workers_live_gauges_are_forgotten(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (tmp_path / f"gauge_livesum_{pid}.db").write_bytes(b"")
    (tmp_path / f"counter_{pid}.db").write_bytes(b"")
    (tmp_path / f"gauge_livesum_{os.getpid()}.db").write_bytes(b"")

    assert metrics_http.forget_dead_workers(tmp_path) == [pid]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"counter_{pid}.db", f"gauge_livesum_{os.getpid()}.db"]
    )
