"""Periodic runs are enqueued once per slot across consumers: each consumer's scheduler claims (task, minute) in
the queue's own storage before enqueueing, on the SQLite queue and on Redis; old claims are deleted; a storage that
fails enqueues nothing rather than crashing the scheduler. (tests/runtime/test_periodic_consumers.py runs the same
with real consumer processes.)"""

from __future__ import annotations

import logging
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import redis
from huey import Huey, crontab
from huey.storage import RedisStorage, SqliteStorage

from prm_app.runtime.queue import CLAIMS_KEPT, JobQueue

REDIS_URL = os.environ.get("PRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
NOON = datetime(2026, 12, 6, 12, 0)


def _consumer_queue(storage: str, name: str, tmp_path) -> JobQueue:
    """One consumer's view of a shared queue, with an every-minute and an every-five-minutes task."""
    if storage == "redis":
        queue = JobQueue(name, storage_class=RedisStorage, url=REDIS_URL, utc=True)
    else:
        queue = JobQueue(name, storage_class=SqliteStorage, filename=str(tmp_path / "jobs.db"), utc=True)
    queue.periodic_task(crontab(minute="*"), name="every_minute")(lambda: None)
    queue.periodic_task(crontab(minute="*/5"), name="every_five")(lambda: None)
    return queue


@pytest.fixture(params=["sqlite", "redis"])
def two_consumers(request, tmp_path) -> Iterator[tuple[JobQueue, JobQueue]]:
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
        except redis.RedisError as exc:
            pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    name = f"prm-jobs-claims-{uuid.uuid4().hex[:8]}"
    a, b = (_consumer_queue(request.param, name, tmp_path) for _ in range(2))
    try:
        yield a, b
    finally:
        a.storage.flush_all()


def test_each_due_task_is_enqueued_once_per_minute_however_often_consumers_look(two_consumers):
    a, b = two_consumers
    enqueued: Counter[tuple[str, datetime]] = Counter()
    for minute in range(12):
        slot = NOON + timedelta(minutes=minute)
        for second, consumer in ((5, a), (20, b), (35, a), (50, b)):  # both look twice in each minute
            when = slot + timedelta(seconds=second)
            # Without the claim both would enqueue at every look: huey's own answer lists the due tasks each time.
            assert {t.name for t in Huey.read_periodic(consumer, when)} >= {"every_minute"}
            enqueued.update((task.name, slot) for task in consumer.read_periodic(when))

    every_minute = [n for (task, _), n in enqueued.items() if task == "every_minute"]
    assert every_minute == [1] * 12
    assert sorted(slot.minute for (task, slot) in enqueued if task == "every_five") == [0, 5, 10]
    assert set(enqueued.values()) == {1}
    assert a.skipped_periodic("every_minute") == 12 * 3  # the three later looks at each minute found it claimed
    assert b.skipped_periodic("every_five") == 3 * 3


def test_claims_older_than_an_hour_are_deleted_by_the_next_winner(two_consumers):
    a, _ = two_consumers
    minutes = int(CLAIMS_KEPT / timedelta(minutes=1)) + 30
    for minute in range(minutes):
        a.read_periodic(NOON + timedelta(minutes=minute))

    claims = sorted(key for key in a.storage.result_items() if ".periodic.every_minute." in key)
    last = NOON + timedelta(minutes=minutes - 1)
    assert claims[0].endswith((last - CLAIMS_KEPT).strftime("%Y%m%d%H%M"))
    assert claims[-1].endswith(last.strftime("%Y%m%d%H%M"))
    assert len(claims) == int(CLAIMS_KEPT / timedelta(minutes=1)) + 1


def test_a_storage_that_fails_enqueues_nothing_and_says_so(two_consumers, monkeypatch, caplog):
    a, _ = two_consumers

    def unreachable(*_args: object, **_kwargs: object) -> bool:
        raise ConnectionError("queue storage went away")

    monkeypatch.setattr(a.storage, "put_if_empty", unreachable)
    with caplog.at_level(logging.ERROR, logger="prm_app.jobs"):
        assert a.read_periodic(NOON) == []
    assert "periodic every_minute: could not claim slot 202612061200" in caplog.text


def test_a_run_sent_on_purpose_is_not_claimed(two_consumers):
    a, b = two_consumers
    assert [t.name for t in a.read_periodic(NOON)] == ["every_minute", "every_five"]
    every_minute = next(t for t in Huey.read_periodic(a, NOON) if t.name == "every_minute")
    before = a.pending_count()
    a.enqueue(every_minute)  # e.g. an operator sending a run now: it joins the queue whatever the slot
    assert a.pending_count() == before + 1
    assert b.read_periodic(NOON) == []


def test_a_failure_deleting_old_claims_does_not_cost_the_run_just_claimed(two_consumers, monkeypatch):
    a, b = two_consumers

    def unreadable() -> dict[str, bytes]:
        raise ConnectionError("queue storage went away")

    monkeypatch.setattr(a.storage, "result_items", unreadable)
    assert [t.name for t in a.read_periodic(NOON)] == ["every_minute", "every_five"]
    assert b.read_periodic(NOON) == []
