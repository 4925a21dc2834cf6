"""`python -m tests.runtime.fast_clock_worker VIRTUAL_START REAL_START SPEED`: the real job consumer
(`prm_app.cli.worker.main`, its queue and jobs unchanged) on a clock that runs SPEED times faster, so a test sees
many periodic slots in seconds. Only the clock and how often huey's scheduler looks change (once a second rather
than once a minute; `prm_app` keeps a minute in production). It records, in the queue's own storage, each look at
the periodic tasks per consumer and slot, each periodic run its scheduler enqueued per slot, and each run completed.
Every consumer started with the same VIRTUAL_START and REAL_START (a Unix time) shares the same fast clock.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from typing import Any

from huey.consumer import Scheduler
from huey.signals import SIGNAL_COMPLETE

SLOT_FORMAT = "%Y%m%d%H%M"


def looked_key(pid: int, slot: str) -> str:
    return f"test.looked.{pid}.{slot}"


def enqueued_key(task: str, slot: str) -> str:
    return f"test.enqueued.{task}.{slot}"


def ran_key(task: str) -> str:
    return f"test.ran.{task}"


def main(virtual_start: datetime, real_start: float, speed: float) -> int:
    from prm_app.cli import worker
    from prm_app.runtime import jobs  # noqa: F401  (registers the tasks on the queue)
    from prm_app.runtime.queue import queue

    def fast_now() -> datetime:
        return virtual_start + timedelta(seconds=(time.time() - real_start) * speed)

    claim_due = queue.read_periodic

    def read_periodic(timestamp: datetime | None = None) -> list[Any]:
        when = timestamp or fast_now()
        slot = when.strftime(SLOT_FORMAT)
        queue.storage.incr(looked_key(os.getpid(), slot))
        due = claim_due(when)
        for task in due:
            queue.storage.incr(enqueued_key(task.name, slot))
        return due

    @queue.signal(SIGNAL_COMPLETE)  # type: ignore[untyped-decorator]
    def count_run(signal: str, task: Any) -> None:
        queue.storage.incr(ran_key(task.name))

    queue._get_timestamp = fast_now  # type: ignore[method-assign]
    queue.read_periodic = read_periodic  # type: ignore[method-assign]
    Scheduler.periodic_task_seconds = 1  # several looks per fast minute (production: one per real minute)
    return worker.main(threads=2)


if __name__ == "__main__":
    start, real, rate = sys.argv[1:4]
    sys.exit(main(datetime.fromisoformat(start), float(real), float(rate)))
