"""Scheduled work, run by the job queue's consumers (`python -m prm_app.cli worker`, which `make run` and
`cli serve` start beside the web server): expiring deal protection (warning partners ahead) and recycling lead
offers nobody answered in time.

Every job is a domain function that takes each record at most once (a conditional UPDATE on the state it read), so
a job that runs twice, or on two consumers at once, changes nothing twice; huey's periodic scheduler runs in every
consumer, and that is why this matters. A failed run is logged and retried at its next tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from huey import crontab
from huey.signals import SIGNAL_ERROR

from prm_app.deals import ExpiryRun, expire_deals
from prm_app.leads import RecycleRun, recycle_overdue_leads
from prm_app.platform.db import session_scope
from prm_app.runtime.queue import queue

log = logging.getLogger("prm_app.jobs")

Result = TypeVar("Result")


def run_in_transaction(job: Callable[..., Result]) -> Result:
    """One job run: one transaction, committed when the job returns, rolled back when it raises."""
    with session_scope() as session:
        return job(session)


def expire_deals_now() -> ExpiryRun:
    """Expire registrations whose protection has ended and warn partners ahead; logs what it did."""
    run = run_in_transaction(expire_deals)
    if run.expired or run.notified:
        log.info("deal expiry: %d expired, %d partners notified", run.expired, run.notified)
    return run


def recycle_leads_now() -> RecycleRun:
    """Move offers nobody answered in time on to the next partner; logs what it did."""
    run = run_in_transaction(recycle_overdue_leads)
    if run.expired:
        log.info("lead recycling: %d overdue offers moved on", run.expired)
    return run


@queue.periodic_task(crontab(minute="*/5"), name="expire_deals")  # type: ignore[untyped-decorator]
def expire_deals_job() -> None:
    expire_deals_now()


@queue.periodic_task(crontab(minute="*"), name="recycle_leads")  # type: ignore[untyped-decorator]
def recycle_leads_job() -> None:
    recycle_leads_now()


PERIODIC = (expire_deals_job, recycle_leads_job)


def _failures_key(job: str) -> str:
    return f"{queue.name}.failed.{job}"


@queue.signal(SIGNAL_ERROR)  # type: ignore[untyped-decorator]
def _count_failure(signal: str, task: object, exc: BaseException | None = None) -> None:
    """Count a failed run in the queue's own storage, so every consumer process adds to one figure."""
    queue.storage.incr(_failures_key(getattr(task, "name", "unknown")))


def failed_runs() -> dict[str, float]:
    """Failed runs so far, by job, across every consumer (for the metrics endpoint)."""
    return {job.name: float(queue.storage.incr(_failures_key(job.name), 0)) for job in PERIODIC}
