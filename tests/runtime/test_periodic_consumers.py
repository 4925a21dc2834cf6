"""Two real job consumers sharing one queue enqueue and run each periodic task once per slot: on PostgreSQL with
the Redis queue (scale-out) and on SQLite with the embedded SQLite queue. Each consumer is `prm_app.cli.worker`
unchanged but for a clock 30 times faster (tests/runtime/fast_clock_worker.py): a minute's slot lasts 2 seconds,
and each consumer looks for due tasks about twice in each, so every slot is contested by both. Watched until both
consumers have looked in a few slots, one of them a 5th minute (expire_deals is due every 5 minutes).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage
from sqlmodel import SQLModel

from prm_app.platform.db import make_engine
from prm_app.platform.settings import PROJECT_DIR
from tests.conftest import private_pg_schema
from tests.runtime.fast_clock_worker import SLOT_FORMAT, enqueued_key, looked_key, ran_key

REDIS_URL = os.environ.get("PRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SPEED = 30  # fast minutes of 2 s
VIRTUAL_START = datetime(2026, 1, 1, 0, 1)
CONTESTED_SLOTS = 4  # watched until both consumers looked in this many slots, one of them a 5th minute
WATCH_DEADLINE_SECONDS = 90  # starting a consumer takes seconds on a busy machine
DUE = {"expire_deals": lambda minute: minute % 5 == 0, "recycle_leads": lambda _: True}
DUE["resend_stalled_runs"] = DUE["recycle_leads"]
DUE["remind_expiring_offers"] = DUE["expire_deals"]  # every 5 minutes too


@contextmanager
def _deployment(kind: str, tmp_path: Path) -> Iterator[tuple[dict[str, str], Huey]]:
    """The environment both consumers get (a database with every table, a queue of this test's own) and a
    reader of that queue's storage."""
    name = f"prm-jobs-periodic-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, PRM_JOBS_QUEUE=name, PRM_LOG_FORMAT="console")
    if kind == "redis":
        try:
            redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
        except redis.RedisError as exc:
            pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
        with private_pg_schema("periodic") as engine:
            SQLModel.metadata.create_all(engine)
            env.update(REFLEX_DB_URL=engine.url.render_as_string(hide_password=False), REFLEX_REDIS_URL=REDIS_URL)
            reader = Huey(name, storage_class=RedisStorage, url=REDIS_URL)
            try:
                yield env, reader
            finally:
                reader.storage.flush_all()
    else:
        db_url = f"sqlite:///{tmp_path / 'prm.db'}"
        engine = make_engine(db_url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        env.pop("REFLEX_REDIS_URL", None)
        env.update(REFLEX_DB_URL=db_url, PRM_JOBS_DB=str(tmp_path / "jobs.db"))
        yield env, Huey(name, storage_class=SqliteStorage, filename=env["PRM_JOBS_DB"])


def _count(reader: Huey, key: str) -> int:
    return int(reader.storage.incr(key, 0))


def _slots_until_now(real_start: float) -> list[datetime]:
    elapsed = timedelta(seconds=(time.time() - real_start) * SPEED)
    return [VIRTUAL_START + timedelta(minutes=m) for m in range(int(elapsed / timedelta(minutes=1)) + 1)]


def _looks(reader: Huey, pids: list[int], slots: list[datetime]) -> dict[datetime, list[int]]:
    """How many times each consumer looked for due tasks in each slot."""
    return {slot: [_count(reader, looked_key(pid, slot.strftime(SLOT_FORMAT))) for pid in pids] for slot in slots}


def _contested(looks: dict[datetime, list[int]]) -> list[datetime]:
    return [slot for slot, counts in looks.items() if all(counts)]


def _watched_enough(looks: dict[datetime, list[int]]) -> bool:
    contested = _contested(looks)
    return len(contested) >= CONTESTED_SLOTS and any(DUE["expire_deals"](slot.minute) for slot in contested)


@pytest.mark.parametrize("kind", [pytest.param("redis", marks=pytest.mark.integration), "sqlite"])
def test_two_consumers_enqueue_and_run_each_periodic_task_once_per_slot(kind, tmp_path):
    with _deployment(kind, tmp_path) as (env, reader):
        real_start = time.time()
        launch = [sys.executable, "-m", "tests.runtime.fast_clock_worker", VIRTUAL_START.isoformat()]
        consumers = [
            subprocess.Popen([*launch, str(real_start), str(SPEED)], cwd=PROJECT_DIR, env=env) for _ in range(2)
        ]
        pids = [consumer.pid for consumer in consumers]
        try:
            deadline = time.time() + WATCH_DEADLINE_SECONDS
            while time.time() < deadline and not _watched_enough(_looks(reader, pids, _slots_until_now(real_start))):
                time.sleep(0.5)
        finally:
            for consumer in consumers:
                consumer.send_signal(signal.SIGTERM)
            codes = [consumer.wait(timeout=40) for consumer in consumers]
        assert codes == [0, 0], f"consumers did not stop gracefully: {codes}"
        looked = _looks(reader, pids, _slots_until_now(real_start))
        assert _watched_enough(looked), f"the consumers were not both looking: {looked}"

        pending = [
            reader.serializer.deserialize(raw).name.rsplit(".", 1)[-1] for raw in reader.storage.enqueued_items()
        ]
        for task, due in DUE.items():
            enqueued = {slot: _count(reader, enqueued_key(task, slot.strftime(SLOT_FORMAT))) for slot in looked}
            for slot, looks in looked.items():
                expected = 1 if any(looks) and due(slot.minute) else 0
                assert enqueued[slot] == expected, f"{task} at {slot:%H:%M}: enqueued {enqueued[slot]} times"
            # Every run enqueued ran once, but those still waiting when the consumers stopped.
            assert _count(reader, ran_key(task)) + pending.count(task) == sum(enqueued.values()), task
        assert reader.storage.incr(f"{reader.name}.periodic_skipped.recycle_leads", 0) >= len(_contested(looked))
