"""Work run by the job queue's consumers (`python -m prm_app.cli worker`, which `make run` and `cli serve` start
beside the web server): on a schedule, expiring deal protection (warning partners ahead) and recycling lead offers
nobody answered in time; on request, record CSV imports (partners, leads, ...) started from their page (a job run
each, whose progress the page polls: prm_app/platform/jobs_progress.py), and every minute, sending again the runs
whose consumer died.

Every job is a domain function that takes each record at most once (a conditional UPDATE on the state it read), so
a job that runs twice, or on two consumers at once, changes nothing twice. Each periodic run is enqueued once per
slot however many consumers run huey's scheduler (runtime/queue.py's JobQueue claims the slot); a run sent on purpose,
or sent again, is still harmless. A failed run is logged and retried at its next tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from huey import crontab
from huey.signals import SIGNAL_ERROR

from prm_app.analytics import FoldRun, fold_rollups
from prm_app.content import COBRAND_BULK, forget_files, purge_deleted_assets, run_bulk_render
from prm_app.crm import RECONCILE, SYNC, run_crm_job
from prm_app.dataio import TABLE_IMPORT, run_import
from prm_app.dataio import UPLOADS as RECORD_UPLOADS
from prm_app.deals import ExpiryRun, expire_deals
from prm_app.fx import FxRateMissing
from prm_app.incentives import RevaluationRun, expire_unclaimed_requests, revalue_due
from prm_app.integrations import (
    DeliveryRun,
    deliver_due_webhooks,
    local_receivers_allowed,
    post_webhook,
    register_deliverer,
)
from prm_app.leads import RecycleRun, ReminderRun, recycle_overdue_leads, remind_expiring_offers
from prm_app.mail import SendRun, SmtpTransport, send_due_mail
from prm_app.mail import register_sender as register_mail_sender
from prm_app.notifications import still_members
from prm_app.platform.clock import utcnow
from prm_app.platform.db import session_scope
from prm_app.platform.jobs_progress import register_sender, send_run, stalled_runs
from prm_app.platform.settings import settings
from prm_app.runtime.queue import queue
from prm_app.tiering import EvaluationRun, evaluate_due

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


def evaluate_tiers_now() -> EvaluationRun:
    """Evaluate every tier program's partners for today's period, and early in a month the previous one again (a
    period run again replaces its evaluations; proposals are made at most once a period); logs what it found."""
    run = run_in_transaction(lambda session: evaluate_due(session, utcnow().date()))
    log.info("tier evaluation: %d partners, %d new proposals, %d in grace", run.evaluated, run.proposals, run.graces)
    return run


@queue.periodic_task(crontab(minute="20", hour="2"), name="evaluate_tiers")  # type: ignore[untyped-decorator]
def evaluate_tiers_job() -> None:
    evaluate_tiers_now()


PERIODIC = (expire_deals_job, recycle_leads_job, evaluate_tiers_job)


# A run's state lives in its job_run row, not in the queue: the task carries only the run's id, so a run sent twice
# (by the resend below, or a replayed message) is claimed once, and a resumed run picks up where its row says.
@queue.task(name="cobrand_bulk")  # type: ignore[untyped-decorator]
def cobrand_bulk_job(run_id: int) -> None:
    run_bulk_render(run_id, session_scope)


# CRM sync and reconciliation runs (prm_app/crm/sync.py): batches to and from the CRM, resumed from the run's log.
@queue.task(name="crm_run")  # type: ignore[untyped-decorator]
def crm_run_job(run_id: int) -> None:
    run_crm_job(run_id, session_scope)


@queue.task(name="import_records")  # type: ignore[untyped-decorator]
def import_records_job(run_id: int) -> None:
    run_import(run_id, RECORD_UPLOADS, session_scope)


RUNS = {
    COBRAND_BULK: cobrand_bulk_job,
    SYNC: crm_run_job,
    RECONCILE: crm_run_job,
    TABLE_IMPORT: import_records_job,
}
for _kind, _task in RUNS.items():
    register_sender(_kind, _task)


def resend_stalled_runs() -> int:
    """Send again the runs the queue lost (queued too long) or whose consumer died (silent too long); the claim
    decides who works them. Returns how many were sent."""
    stalled = run_in_transaction(lambda session: stalled_runs(session, RUNS))
    for kind, run_id in stalled:
        send_run(kind, run_id)
    if stalled:
        log.info("job runs: %d stalled runs sent again", len(stalled))
    return len(stalled)


@queue.periodic_task(crontab(minute="*"), name="resend_stalled_runs")  # type: ignore[untyped-decorator]
def resend_stalled_runs_job() -> None:
    resend_stalled_runs()


# Mail: the outbox is sent within seconds of the commit that queued a message (mail.register_sender asks for a
# run then) and every minute anyway (what a request missed, retries that fell due). Unset PRM_SMTP_URL: the
# messages stay in the outbox, listed on the admin's Outbox page. Each message is claimed once (see mail.service).
def send_mail_now() -> SendRun:
    """Send every message due now, if an SMTP server is configured; logs what it did."""
    if not settings.smtp_url:
        return SendRun()
    transport = SmtpTransport(settings.smtp_url, settings.mail_from)
    run = send_due_mail(session_scope, transport, still_there=still_members)
    if run.sent or run.retrying or run.failed or run.withdrawn:
        log.info(
            "mail: %d sent, %d to retry, %d given up, %d withdrawn (recipient left)",
            run.sent,
            run.retrying,
            run.failed,
            run.withdrawn,
        )
    return run


@queue.task(name="send_mail")  # type: ignore[untyped-decorator]
def send_mail_job() -> None:
    send_mail_now()


@queue.periodic_task(crontab(minute="*"), name="send_mail_periodic")  # type: ignore[untyped-decorator]
def send_mail_periodic_job() -> None:
    send_mail_now()


register_mail_sender(lambda: None if not settings.smtp_url else send_mail_job())


# Reminders of offers about to expire unanswered (a notice, and an email to whoever wants it): every 5 minutes, so a
# reminder comes at most 5 minutes late on a window of hours. One per offer however often or widely it runs (the
# notice's `once` key), so two consumers, or a run sent on purpose, remind nobody twice.
def remind_expiring_offers_now() -> ReminderRun:
    """Remind partners of lead offers about to expire unanswered; logs what it did."""
    run = run_in_transaction(remind_expiring_offers)
    if run.reminded:
        log.info("lead offers: %d partners reminded of offers about to expire", run.reminded)
    return run


@queue.periodic_task(crontab(minute="*/5"), name="remind_expiring_offers")  # type: ignore[untyped-decorator]
def remind_expiring_offers_job() -> None:
    remind_expiring_offers_now()


# Certificates: reminders 60 and 14 days before expiry (a notice and an email, once per certificate and step) and
# `certificate_expired` recorded once per lapsed certificate; hourly, so a reminder is at most an hour late.
def remind_expiring_certificates_now() -> None:
    from prm_app.training import remind_expiring_certificates

    run = run_in_transaction(remind_expiring_certificates)
    if run.reminded or run.expired:
        log.info("certificates: %d holders reminded, %d expiries recorded", run.reminded, run.expired)


@queue.periodic_task(crontab(minute="7"), name="remind_expiring_certificates")  # type: ignore[untyped-decorator]
def remind_expiring_certificates_job() -> None:
    remind_expiring_certificates_now()


REMINDERS = (remind_expiring_offers_job, remind_expiring_certificates_job)


def fold_rollups_now() -> FoldRun:
    """Fold the dashboards' daily rollups up to date (complete days, and days changed since); logs what it did."""
    run = run_in_transaction(fold_rollups)
    if run.folded_days or run.refolded_days or run.moved_partners:
        log.info(
            "rollups: %d days folded, %d refolded, %d partners moved",
            run.folded_days,
            run.refolded_days,
            run.moved_partners,
        )
    return run


@queue.periodic_task(crontab(minute="*"), name="fold_rollups")  # type: ignore[untyped-decorator]
def fold_rollups_job() -> None:
    fold_rollups_now()


def purge_content_now() -> int:
    """Remove library assets deleted over 30 days ago, then their files (only once that is committed)."""
    keys = run_in_transaction(purge_deleted_assets)
    forget_files(keys)
    if keys:
        log.info("content purge: %d files of deleted assets removed", len(keys))
    return len(keys)


@queue.periodic_task(crontab(minute="17", hour="3"), name="purge_content")  # type: ignore[untyped-decorator]
def purge_content_job() -> None:
    purge_content_now()


def expire_fund_requests_now() -> int:
    """Approved MDF requests nobody claimed by their activity's end + 30 days expire and release their funds."""
    expired = run_in_transaction(expire_unclaimed_requests)
    if expired:
        log.info("mdf expiry: %d unclaimed requests expired", expired)
    return expired


@queue.periodic_task(crontab(minute="*/5"), name="expire_fund_requests")  # type: ignore[untyped-decorator]
def expire_fund_requests_job() -> None:
    expire_fund_requests_now()


def revalue_fx_now() -> RevaluationRun | None:
    """Last month's FX revaluation (incentives.revalue_due): once, whatever repeats; a missing rate is logged and
    the next day's run tries again (the first week of each month), or an admin runs it from its page."""
    try:
        run = run_in_transaction(lambda session: revalue_due(session, utcnow().date()))
    except FxRateMissing as missing:
        log.warning("fx revaluation of last month waits: %s", missing.message)
        return None
    if run.appended:
        log.info("fx revaluation %s: %d lines appended in %s", run.period, run.appended, run.corporate)
    return run


@queue.periodic_task(crontab(minute="40", hour="3", day="1-7"), name="revalue_fx")  # type: ignore[untyped-decorator]
def revalue_fx_job() -> None:
    revalue_fx_now()


# The REST API's Idempotency-Key records, hourly: a retry gets the stored answer for 24 hours, then it is deleted.
def forget_idempotency_records_now() -> int:
    from prm_app.integrations import forget_idempotency_records

    forgotten = run_in_transaction(forget_idempotency_records)
    if forgotten:
        log.info("api: %d idempotency records past their 24 hours deleted", forgotten)
    return forgotten


@queue.periodic_task(crontab(minute="41"), name="forget_idempotency_records")  # type: ignore[untyped-decorator]
def forget_idempotency_records_job() -> None:
    forget_idempotency_records_now()


# Webhooks: the outbox is delivered within seconds of the commit that wrote an event (integrations.register_deliverer
# asks for a run then) and every minute anyway (retries that fell due, what a request missed). Each delivery is
# claimed by one consumer at a time (see integrations.webhook_delivery).
def deliver_webhooks_now() -> DeliveryRun:
    allow_local = local_receivers_allowed()
    run = deliver_due_webhooks(
        session_scope, lambda url, headers, body: post_webhook(url, headers, body, allow_local=allow_local)
    )
    if run.succeeded or run.retrying or run.given_up:
        log.info("webhooks: %d delivered, %d to retry, %d given up", run.succeeded, run.retrying, run.given_up)
    return run


@queue.task(name="deliver_webhooks")  # type: ignore[untyped-decorator]
def deliver_webhooks_job() -> None:
    deliver_webhooks_now()


@queue.periodic_task(crontab(minute="*"), name="deliver_webhooks_periodic")  # type: ignore[untyped-decorator]
def deliver_webhooks_periodic_job() -> None:
    deliver_webhooks_now()


register_deliverer(deliver_webhooks_job)

SCHEDULED = (
    forget_idempotency_records_job,
    *PERIODIC,
    resend_stalled_runs_job,
    send_mail_periodic_job,
    *REMINDERS,
    fold_rollups_job,
    purge_content_job,
    expire_fund_requests_job,
    revalue_fx_job,
    deliver_webhooks_periodic_job,
)  # every periodic task of the queue
JOBS = (*SCHEDULED, *RUNS.values(), send_mail_job, deliver_webhooks_job)


def _failures_key(job: str) -> str:
    return f"{queue.name}.failed.{job}"


@queue.signal(SIGNAL_ERROR)  # type: ignore[untyped-decorator]
def _count_failure(signal: str, task: object, exc: BaseException | None = None) -> None:
    """Count a failed run in the queue's own storage, so every consumer process adds to one figure."""
    queue.storage.incr(_failures_key(getattr(task, "name", "unknown")))


def failed_runs() -> dict[str, float]:
    """Failed runs so far, by job, across every consumer (for the metrics endpoint)."""
    return {job.name: float(queue.storage.incr(_failures_key(job.name), 0)) for job in JOBS}


def skipped_periodic_runs() -> dict[str, float]:
    """Periodic runs not enqueued, by job, because another consumer had already claimed that minute (for the metrics
    endpoint): about (consumers - 1) a job and minute while they all run; 0 with one consumer. See JobQueue."""
    return {job.name: float(queue.skipped_periodic(job.name)) for job in SCHEDULED}
