"""`python -m prm_app.cli worker`: a job-queue consumer (huey) in the foreground.

Scale-out runs one or more of these as their own processes beside the web workers; `make run` and `cli serve`
start one as a child of the web server (`--parent`), which stops when that parent is gone.

SIGTERM is graceful: the consumer stops taking jobs and lets the running ones finish (each is one transaction;
one that is killed outright rolls back and runs again at its next tick). SIGINT interrupts at once.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from huey.consumer import Consumer

PARENT_CHECK_SECONDS = 2.0


def _stop_when_orphaned(parent_pid: int) -> None:
    """A child consumer must not outlive the server that started it (e.g. after that server was SIGKILLed)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def make_consumer(threads: int = 2) -> Consumer:
    """A consumer of the app's queue with its periodic tasks registered; SIGTERM stops it gracefully."""
    from prm_app.runtime import jobs  # noqa: F401  (registers the tasks on the queue)
    from prm_app.runtime.queue import queue

    return queue.create_consumer(
        workers=threads,
        worker_type="thread",
        periodic=True,
        max_delay=1.0,  # an idle SQLite queue is polled at least once a second: an import starts within a second
        graceful_signal="TERM",
        shutdown_timeout=30,
        check_worker_health=True,
    )


def main(threads: int = 2, parent: int | None = None) -> int:
    from prm_app.platform.logs import configure_logging

    configure_logging()
    # The consumer's start and stop belong in this log, and every failure (huey logs those as errors); a line for
    # each periodic run every minute does not: the jobs log what they changed themselves.
    logging.getLogger("huey.consumer").setLevel(logging.INFO)
    logging.getLogger("huey.consumer.Scheduler").setLevel(logging.WARNING)
    if parent:
        _stop_when_orphaned(parent)
    make_consumer(threads).run()
    return 0
