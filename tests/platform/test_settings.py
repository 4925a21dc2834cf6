"""Settings come from the environment in one place: typed, defaulted when unset, and a value the app cannot use
stops it at start-up with a message naming the variable (not a bare ValueError, and never silently the default)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from prm_app.platform.settings import SettingsError, load_settings

PROCESS_VARIABLES = ("PRM_WEB_WORKERS", "PRM_HANDLER_THREADS", "PRM_JOBS", "PRM_JOBS_DB", "PRM_JOBS_QUEUE")


@pytest.fixture
def env(monkeypatch):
    for name in (*PROCESS_VARIABLES, "PRM_SESSION_IDLE_MINUTES", "PRM_MAX_UPLOAD_MB", "PRM_PROTECTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_process_settings_default_when_unset_or_blank(env):
    env.setenv("PRM_HANDLER_THREADS", "  ")
    s = load_settings()
    assert (s.web_workers, s.handler_threads, s.jobs_external, s.jobs_db, s.jobs_queue) == (
        None,
        8,
        False,
        None,
        "prm-jobs",
    )


def test_process_settings_are_read_typed(env, tmp_path):
    env.setenv("PRM_WEB_WORKERS", "3")
    env.setenv("PRM_HANDLER_THREADS", " 12 ")
    env.setenv("PRM_JOBS", "External")
    env.setenv("PRM_JOBS_DB", str(tmp_path / "queue.db"))
    env.setenv("PRM_JOBS_QUEUE", "prm-jobs-eu")
    s = load_settings()
    assert (s.web_workers, s.handler_threads, s.jobs_external, s.jobs_db, s.jobs_queue) == (
        3,
        12,
        True,
        Path(tmp_path / "queue.db"),
        "prm-jobs-eu",
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PRM_WEB_WORKERS", "two", "PRM_WEB_WORKERS must be a whole number, got 'two'"),
        ("PRM_WEB_WORKERS", "0", "PRM_WEB_WORKERS must be at least 1, got 0"),
        ("PRM_HANDLER_THREADS", "-4", "PRM_HANDLER_THREADS must be at least 1, got -4"),
        ("PRM_HANDLER_THREADS", "2.5", "PRM_HANDLER_THREADS must be a whole number, got '2.5'"),
        ("PRM_JOBS", "extrenal", "PRM_JOBS must be 'external' or unset, got 'extrenal'"),
        ("PRM_SESSION_IDLE_MINUTES", "half an hour", "PRM_SESSION_IDLE_MINUTES must be a whole number"),
        ("PRM_PROTECTION_DAYS", "0", "PRM_PROTECTION_DAYS must be at least 1, got 0"),
        ("PRM_MAX_UPLOAD_MB", "5MB", "PRM_MAX_UPLOAD_MB must be a number of megabytes, got '5MB'"),
        ("PRM_MAX_UPLOAD_MB", "0", "PRM_MAX_UPLOAD_MB must be more than 0, got '0'"),
    ],
)
def test_a_value_the_app_cannot_use_is_refused_by_name(env, name, value, message):
    env.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert str(refused.value).startswith(message)


def test_the_other_numbers_keep_their_meaning(env):
    env.setenv("PRM_SESSION_IDLE_MINUTES", "45")
    env.setenv("PRM_MAX_UPLOAD_MB", "0.5")
    env.setenv("PRM_PROTECTION_DAYS", "30")
    s = load_settings()
    assert (s.session_idle, s.max_upload_bytes, s.protection_days) == (timedelta(minutes=45), 512 * 1024, 30)
