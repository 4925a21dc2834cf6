"""The launcher's choices come from settings: how many web workers, and whether a job consumer runs beside it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from prm_app.platform.settings import PROJECT_DIR
from prm_app.web import server


def _with(monkeypatch, **changes):
    monkeypatch.setattr(server, "settings", dataclasses.replace(server.settings, **changes))


def test_one_web_worker_without_redis_one_per_core_with_it_unless_set(monkeypatch):
    monkeypatch.setattr(server.os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    _with(monkeypatch, redis_url=None, web_workers=None)
    assert server.web_workers() == 1
    _with(monkeypatch, redis_url="redis://127.0.0.1:6379/0", web_workers=None)
    assert server.web_workers() == 3
    _with(monkeypatch, redis_url="redis://127.0.0.1:6379/0", web_workers=5)
    assert server.web_workers() == 5


def test_the_consumer_starts_beside_the_server_unless_jobs_are_external(monkeypatch):
    started: list[bool] = []
    monkeypatch.setattr(server, "_start_consumer", lambda: started.append(True))
    monkeypatch.setattr(server, "_respawn_failed_workers", lambda: None)
    monkeypatch.setattr("reflex.reflex.cli.main", lambda **_kwargs: None)
    monkeypatch.setattr(server.os, "chdir", lambda _path: None)
    monkeypatch.setenv("GRANIAN_WORKERS", "")
    _with(monkeypatch, jobs_external=True, web_workers=2)
    server.main(3999)
    assert started == [] and server.os.environ["GRANIAN_WORKERS"] == "2"
    _with(monkeypatch, jobs_external=False)
    server.main(3999)
    assert started == [True]


def test_a_setting_the_app_cannot_use_stops_the_server_at_start_up_naming_it():
    env = {"PATH": "/usr/bin:/bin", "PRM_WEB_WORKERS": "lots"}
    ran = subprocess.run(
        [sys.executable, "-c", "import prm_app.web.server"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    assert ran.returncode != 0
    assert ran.stderr.strip().splitlines()[-1] == (
        "prm_app.platform.settings.SettingsError: PRM_WEB_WORKERS must be a whole number, got 'lots'"
    )
