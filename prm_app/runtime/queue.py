"""The job queue: huey, with the storage that matches how the app runs.

- Embedded default (no REFLEX_REDIS_URL): a SQLite file beside the app's SQLite database (or `prm-jobs.db` in the
  project when the database is PostgreSQL), so `make run` needs nothing else. PRM_JOBS_DB names another file.
- Scale-out (REFLEX_REDIS_URL set): Redis, shared by every consumer process (`python -m prm_app.cli worker`).

Why huey: one small, well-kept library with both storages, periodic tasks, retries and locks; the work itself
stays in the areas' domain functions, each of which takes its records at most once (a conditional UPDATE), so a
job that runs twice, or on two consumers at once, does nothing twice. Periodic runs are not even enqueued twice:
see `JobQueue`.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from huey import Huey
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy.engine import make_url

from prm_app.platform.settings import PROJECT_DIR, Settings, settings

log = logging.getLogger("prm_app.jobs")

CLAIMS_KEPT = timedelta(hours=1)  # far beyond any lag between consumers' clocks; older claims are deleted
# A slot is a minute, crontab's resolution (huey's scheduler looks for due periodic tasks once a minute); written at
# fixed width, so claims compare by slot as strings.
_SLOT_FORMAT = "%Y%m%d%H%M"
_CLAIMANT = f"{socket.gethostname()}:{os.getpid()}".encode()  # who won a slot, for whoever reads the storage


class JobQueue(Huey):  # type: ignore[misc]
    """huey's queue, whose periodic tasks are enqueued once per slot (minute) across every consumer sharing it.

    Every consumer runs huey's scheduler, which each minute enqueues every periodic task that is due then; so with
    several consumers (one beside each server, plus `python -m prm_app.cli worker` processes) each run was enqueued
    once per consumer, doubling the work and the failure counts. Here the scheduler first *claims* the task's slot,
    `put_if_empty("<queue>.periodic.<task>.<minute>")` in the queue's own storage: atomic in both storages (HSETNX
    in Redis; an insert that aborts on the primary key in SQLite), so exactly one consumer wins a slot and enqueues
    the run; the others skip it and count the skip (`skipped_periodic`).

    Why a claim per slot rather than huey's `lock_task`: a lock only keeps two runs from overlapping; a run takes
    milliseconds and releases it before the other consumer's copy starts, so both would still run.

    Claims do not pile up: huey's key expiry needs Redis 7.4+ and does not exist for SQLite, so the consumer that
    wins a slot deletes that task's claims older than CLAIMS_KEPT. A claim won and then not enqueued (the storage
    failed in between) loses that one run; the jobs catch up at their next slot. Runs sent on purpose
    (`expire_deals_job()`) are not claimed: someone asked for exactly that run.
    """

    def read_periodic(self, timestamp: datetime | None) -> list[Any]:
        """The periodic tasks due at `timestamp` whose slot this consumer claimed (huey's scheduler enqueues them)."""
        when = timestamp or self._get_timestamp()
        return [task for task in super().read_periodic(when) if self._claim(task.name, when)]

    def _claim_prefix(self, task: str) -> str:
        return f"{self.name}.periodic.{task}."

    def _claim(self, task: str, when: datetime) -> bool:
        slot = when.strftime(_SLOT_FORMAT)
        try:
            won = bool(self.storage.put_if_empty(self._claim_prefix(task) + slot, _CLAIMANT))
            if not won:
                self.storage.incr(self._skips_key(task))
        except Exception:  # the storage is unreachable: enqueueing would fail too; the next slot tries again
            log.exception("periodic %s: could not claim slot %s", task, slot)
            return False
        if won:
            self._forget_claims(task, before=(when - CLAIMS_KEPT).strftime(_SLOT_FORMAT))
        return won

    def _forget_claims(self, task: str, *, before: str) -> None:
        """Delete `task`'s claims of slots before `before`; a failure here never costs the run just claimed."""
        prefix = self._claim_prefix(task)
        try:
            for key in self.storage.result_items():
                if key.startswith(prefix) and key[len(prefix) :] < before:
                    self.storage.delete_data(key)
        except Exception:  # the next winner sweeps them
            log.exception("periodic %s: could not delete old claims", task)

    def _skips_key(self, task: str) -> str:
        return f"{self.name}.periodic_skipped.{task}"

    def skipped_periodic(self, task: str) -> int:
        """Looks at a due `task` (by any consumer of this queue) that found its slot already claimed: by another
        consumer, since in production each consumer looks once a minute."""
        return int(self.storage.incr(self._skips_key(task), 0))


def jobs_file(db_url: str, named: Path | None = None) -> Path:
    """Where the embedded queue lives: `named` (PRM_JOBS_DB) if given, else beside a SQLite database
    (`prm.db` → `prm-jobs.db`), else in the project."""
    if named:
        return named
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database or "")
        return database.with_name(f"{database.stem}-jobs.db")
    return PROJECT_DIR / "prm-jobs.db"


def make_queue(config: Settings) -> JobQueue:
    """The queue for this deployment: Redis when scaled out, else a SQLite file (see the module docstring)."""
    if config.redis_url:
        return JobQueue(config.jobs_queue, storage_class=RedisStorage, url=config.redis_url, utc=True)
    filename = str(jobs_file(config.db_url, config.jobs_db))
    return JobQueue(config.jobs_queue, storage_class=SqliteStorage, filename=filename, utc=True)


queue = make_queue(settings)
