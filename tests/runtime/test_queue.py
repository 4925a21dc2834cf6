"""Which storage the job queue uses: a SQLite file beside a SQLite database, in the project for PostgreSQL, Redis
when scaled out; PRM_JOBS_DB and PRM_JOBS_QUEUE (read into settings) override the file and the name."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from huey.storage import RedisStorage, SqliteStorage

from prm_app.platform.settings import PROJECT_DIR, load_settings
from prm_app.runtime.queue import jobs_file, make_queue


def test_the_embedded_queue_sits_beside_the_sqlite_database(tmp_path):
    assert jobs_file(f"sqlite:///{tmp_path / 'prm.db'}") == tmp_path / "prm-jobs.db"
    assert jobs_file("postgresql+psycopg://postgres@127.0.0.1/test") == PROJECT_DIR / "prm-jobs.db"
    assert jobs_file(f"sqlite:///{tmp_path / 'prm.db'}", tmp_path / "elsewhere.db") == tmp_path / "elsewhere.db"


def test_redis_when_scaled_out_else_sqlite_named_and_placed_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{tmp_path / 'prm.db'}")
    monkeypatch.setenv("PRM_JOBS_QUEUE", "prm-jobs-unit")
    monkeypatch.delenv("PRM_JOBS_DB", raising=False)
    embedded = make_queue(load_settings())
    assert isinstance(embedded.storage, SqliteStorage) and embedded.name == "prm-jobs-unit"
    assert Path(embedded.storage.filename) == tmp_path / "prm-jobs.db"

    monkeypatch.setenv("PRM_JOBS_DB", str(tmp_path / "elsewhere.db"))
    assert Path(make_queue(load_settings()).storage.filename) == tmp_path / "elsewhere.db"

    monkeypatch.setenv("REFLEX_DB_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:6379/0")
    scaled = make_queue(load_settings())
    assert isinstance(scaled.storage, RedisStorage) and scaled.name == "prm-jobs-unit"


def test_a_failed_run_is_counted_by_job(monkeypatch):
    from prm_app.runtime import jobs

    def broken() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "expire_deals_now", broken)
    jobs.queue.immediate = True  # in-memory storage, tasks run on the spot: the same signal path as a consumer
    try:
        before = jobs.failed_runs()
        jobs.expire_deals_job()
        after = jobs.failed_runs()
    finally:
        jobs.queue.immediate = False
    assert after["expire_deals"] == before["expire_deals"] + 1
    assert after["recycle_leads"] == before["recycle_leads"]


def test_a_periodic_run_another_consumer_claimed_is_counted_as_skipped_by_job():
    from prm_app.runtime import jobs

    jobs.queue.immediate = True  # in-memory storage: the same claim path as the consumers' shared storage
    try:
        before = jobs.skipped_periodic_runs()
        a_fifth_minute = datetime(2026, 12, 6, 12, 5)
        first = [task.name for task in jobs.queue.read_periodic(a_fifth_minute)]
        again = [task.name for task in jobs.queue.read_periodic(a_fifth_minute + timedelta(seconds=30))]
        after = jobs.skipped_periodic_runs()
    finally:
        jobs.queue.immediate = False
    assert sorted(first) == [
        "deliver_webhooks_periodic",
        "expire_deals",
        "expire_fund_requests",
        "fold_rollups",
        "recycle_leads",
        "remind_expiring_offers",
        "resend_stalled_runs",
        "send_mail_periodic",
    ]
    assert again == []
    # Each job due that minute was skipped once (its slot was claimed); the jobs not due then (nightly ones) not at all.
    assert {job: after[job] - before[job] for job in after} == dict.fromkeys(after, 0.0) | dict.fromkeys(first, 1.0)
    assert {task.name for task in jobs.queue._registry.periodic_tasks} == set(after)  # no periodic task left out
