"""Health endpoints: liveness always answers; readiness names the part that is down and answers 503 then."""

from __future__ import annotations

import dataclasses

from starlette.testclient import TestClient

from prm_app.web import health_http


def _client() -> TestClient:
    return TestClient(health_http.health_routes())


def test_liveness_answers_without_checking_anything(monkeypatch):
    monkeypatch.setattr(health_http, "checks", lambda: {"database": _down})

    response = _client().get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def _down() -> None:
    raise ConnectionError("database at postgresql://secret@host is down")


def test_readiness_checks_the_database_the_job_queue_and_redis_only_when_scaled_out(monkeypatch):
    assert list(health_http.checks()) == ["database", "jobs"]  # the embedded default: no Redis to check
    scaled = dataclasses.replace(health_http.settings, redis_url="redis://127.0.0.1:6379/0")
    monkeypatch.setattr(health_http, "settings", scaled)

    assert list(health_http.checks()) == ["database", "redis", "jobs"]


def test_readiness_is_503_naming_the_part_that_is_down_and_nothing_more(monkeypatch):
    monkeypatch.setattr(health_http, "checks", lambda: {"database": lambda: None, "redis": _down})

    response = _client().get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "redis": "unavailable"}
    assert "secret" not in response.text and "postgresql" not in response.text


def test_readiness_is_ok_when_every_part_answers(monkeypatch):
    monkeypatch.setattr(health_http, "checks", lambda: {"database": lambda: None})

    response = _client().get("/readyz")

    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
