"""A lead CSV import as a job run: the page starts it, a job consumer stores the leads, the page watches.

`start_lead_import` (the page, one transaction) takes the previewed upload and records a queued run (platform
jobs_progress), which reaches the job queue once that transaction commits. `run_lead_import` (a consumer) claims
the run, resolves its starter again, parses the taken file and stores its clean rows in chunks with `store_leads`,
each chunk in its own transaction together with the run's new position (the last CSV row stored). So:
- the page shows "120 of 500" as each chunk commits;
- a consumer that dies mid-way loses at most its uncommitted chunk, and whoever claims the run next (the periodic
  resend, after STALE_AFTER) carries on after the last stored row: no lead is stored twice, none is lost;
- a starter deactivated (or no longer allowed to import) since is refused at the next chunk, and the run says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlmodel import Session

from prm_app.identity import User
from prm_app.leads.imports import ImportStorage, take_upload, taken_drafts
from prm_app.leads.store import store_leads
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError
from prm_app.platform.jobs_progress import (
    Claim,
    RunLost,
    RunProgress,
    advance_run,
    claim_run,
    fail_run,
    finish_run,
    latest_run,
    run_progress,
    start_run,
)

LEAD_IMPORT = "lead_import"
SHOWN_AFTER_END = timedelta(minutes=10)  # a finished run's outcome greets its starter on return this long
CHUNK = 1000  # leads per transaction: progress moves, and no transaction grows large
Transaction = Callable[[], AbstractContextManager[Session]]

log = logging.getLogger("prm_app.jobs")


class StarterGone(DomainError):
    """The person who started the import may no longer import leads."""


def start_lead_import(session: Session, actor: Actor, key: str, storage: ImportStorage) -> int:
    """Take the previewed upload under `key` and queue its import; returns the run's id. An import started twice
    (a double click, two tabs, a replayed event) starts once: the second gets ALREADY_IMPORTING."""
    take_upload(session, actor, key, storage)
    return start_run(session, actor, LEAD_IMPORT, subject=key)


def lead_import_progress(session: Session, actor: Actor, run_id: int) -> RunProgress:
    """The import run as it stands, for the person who started it (anyone else: NotFound)."""
    actor.require(Permission.MANAGE_LEADS)
    return run_progress(session, actor, run_id)


def latest_lead_import(session: Session, actor: Actor, now: datetime | None = None) -> RunProgress | None:
    """The person's latest import run while it goes, or for SHOWN_AFTER_END once it ended (what the page shows
    when they come back to it); None otherwise."""
    actor.require(Permission.MANAGE_LEADS)
    run = latest_run(session, actor, LEAD_IMPORT)
    if run is None or (run.finished_at is not None and (now or utcnow()) - run.finished_at > SHOWN_AFTER_END):
        return None
    return run


def _starter(session: Session, claim: Claim) -> Actor:
    """The person who started the run, as they are now: refused once deactivated or no longer allowed to import."""
    user = session.get(User, claim.started_by_id)
    if user is not None and user.is_active:
        actor = Actor(user.id, Role(user.role), user.organization_id, name=user.full_name, email=user.email)
        if actor.can(Permission.MANAGE_LEADS):
            return actor
    raise StarterGone("The person who started this import can no longer import leads.")


def run_lead_import(run_id: int, storage: ImportStorage, transaction: Transaction, chunk: int = CHUNK) -> None:
    """Claim the run and store its leads, resuming after the last row an earlier attempt stored; does nothing when
    another consumer has the run or it is finished. A refusal (starter gone, file unreadable) or an unexpected error
    fails the run with a message for the person; the leads stored before stay, each once."""
    with transaction() as session:
        claim = claim_run(session, run_id)
    if claim is None:
        return
    done, total = claim.done, claim.total
    try:
        with transaction() as session:
            drafts = taken_drafts(session, _starter(session, claim), claim.subject, storage)
            todo = [d for d in drafts if d.row > claim.position]
            total = done + len(todo)
            advance_run(session, claim, done=done, position=claim.position, total=total)
        for start in range(0, len(todo), chunk):
            part = todo[start : start + chunk]
            with transaction() as session:  # the chunk and the run's new position commit together
                store_leads(session, _starter(session, claim), part)
                advance_run(session, claim, done=done + len(part), position=part[-1].row)
            done += len(part)
        with transaction() as session:
            finish_run(session, claim, {"imported": done})
    except RunLost:
        log.warning("lead import run %d was taken over by another consumer; this one stops", run_id)
        return
    except DomainError as refused:
        _fail(transaction, claim, f"{refused.message} {_so_far(done, total)}")
    except Exception:
        log.exception("lead import run %d failed", run_id)
        _fail(transaction, claim, f"The import stopped on an unexpected error. {_so_far(done, total)}")
        storage.delete(claim.subject)
        raise  # counted as a failed job run
    storage.delete(claim.subject)


def _so_far(done: int, total: int) -> str:
    return f"{done} of {total} leads were imported before it stopped." if done else "No lead was imported."


def _fail(transaction: Transaction, claim: Claim, message: str) -> None:
    with transaction() as session:
        fail_run(session, claim, message)
