"""Runs of long jobs (a lead import, ...): who started one, how far it got and how it ended, for the page that
started it, and a claim so each run is worked by one consumer at a time.

- `start_run` records a run `queued` in the caller's transaction and hands it to the job queue only once that
  transaction commits (a consumer must find the row; a rolled-back start sends nothing).
- `claim_run` takes it with one conditional UPDATE: queued → running, or a running run whose heartbeat is older
  than STALE_AFTER (its consumer died). Of two consumers at once exactly one gets it. Each claim bumps `attempt`.
- Every later write names that attempt (`advance_run`, `finish_run`, `fail_run`) and changes nothing when another
  claim has replaced it (`RunLost`), so a consumer that was presumed dead and comes back cannot write over its heir.
- `advance_run` runs inside the transaction that does one step of the work: the step and the record of it commit
  together (a short transaction each, visible at once to the page polling `run_progress`), so a resumed run starts
  exactly where the last committed step ended and never does a step twice.
- Results are plain fields: counts, a position, a small JSON object of names to numbers or text; never pickles.

The queue sits above the areas (prm_app.runtime); it tells this module how each kind of run reaches it
(`register_sender`), so an area starts runs without importing the runtime.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, CursorResult, Index, String, Text, event, or_, update
from sqlmodel import Field, Session, SQLModel, col, select

from prm_app.platform.access import Actor
from prm_app.platform.clock import UTCDateTime, utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound

log = logging.getLogger("prm_app.jobs")

# A running run's consumer writes a heartbeat at every step; one silent this long is presumed dead and may be
# claimed again. Far above the time of one step (a chunk of 1000 leads takes about a second).
STALE_AFTER = timedelta(minutes=2)
Summary = Mapping[str, int | str]


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class JobRun(SQLModel, table=True):
    __tablename__ = "job_run"
    __table_args__ = (
        Index("ix_job_run_starter_kind", "started_by_id", "kind", "id"),  # a person's latest run of a kind
        Index("ix_job_run_status_heartbeat", "status", "heartbeat_at"),  # runs to send again
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    status: str = Field(sa_column=Column(String(10), nullable=False))
    started_by_id: int = Field(foreign_key="app_user.id")
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    subject: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))  # e.g. an upload key
    done: int = 0
    total: int = 0
    position: int = 0  # where a resumable run stands (e.g. the last CSV row stored)
    attempt: int = 0
    summary: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # JSON object
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    heartbeat_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class RunLost(Exception):
    """Another claim replaced this one (its consumer was presumed dead): stop, and let the transaction roll back."""


@dataclass(frozen=True)
class Claim:
    """What a consumer that took a run knows: whose it is, what it works on and where the last attempt stopped."""

    run_id: int
    kind: str
    attempt: int
    started_by_id: int
    organization_id: int | None
    subject: str
    done: int
    total: int
    position: int


@dataclass(frozen=True)
class RunProgress:
    id: int
    kind: str
    status: str
    done: int
    total: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    summary: Summary = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


# -- reaching the queue ------------------------------------------------------------------------------------------
_senders: dict[str, Callable[[int], None]] = {}


def register_sender(kind: str, send: Callable[[int], None]) -> None:
    """How a run of `kind` reaches the job queue (the runtime registers its tasks here)."""
    _senders[kind] = send


def send_run(kind: str, run_id: int) -> bool:
    """Hand a committed run to the queue; False (logged) when it could not be: `stalled_runs` finds it again."""
    send = _senders.get(kind)
    if send is None:
        log.warning("no job queue takes runs of %s; run %d waits", kind, run_id)
        return False
    try:
        send(run_id)
    except Exception:  # the queue is down: the row is committed, the periodic resend will try again
        log.exception("could not send run %d of %s to the job queue", run_id, kind)
        return False
    return True


_PENDING, _LISTENING = "jobs_progress.pending", "jobs_progress.listening"


def _send_pending(session: Session) -> None:
    pending, session.info[_PENDING] = session.info.get(_PENDING, []), []
    for kind, run_id in pending:
        send_run(kind, run_id)


def _drop_pending(session: Session) -> None:
    session.info[_PENDING] = []


def _send_after_commit(session: Session, kind: str, run_id: int) -> None:
    session.info.setdefault(_PENDING, []).append((kind, run_id))
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_rollback", _drop_pending)


def start_run(session: Session, actor: Actor, kind: str, subject: str = "", total: int = 0) -> int:
    """Record a queued run started by `actor`; it is sent to the queue when (and only if) this transaction
    commits. Returns its id."""
    if actor.user_id is None:
        raise ValueError("a run is started by a person")
    run = JobRun(
        kind=kind,
        status=JobStatus.QUEUED,
        started_by_id=actor.user_id,
        organization_id=actor.organization_id,
        subject=subject,
        total=total,
    )
    session.add(run)
    session.flush()
    run_id = saved_id(run)

    # Not sent from here: a consumer could look before the row is committed and find nothing.
    _send_after_commit(session, kind, run_id)
    return run_id


# -- the consumer's side -----------------------------------------------------------------------------------------
def _changed(result: Any) -> bool:
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def claim_run(session: Session, run_id: int, now: datetime | None = None) -> Claim | None:
    """Take the run if it is queued, or running with a heartbeat older than STALE_AFTER; None when another
    consumer has it or it is finished. The caller commits at once, so others see it taken."""
    now = now or utcnow()
    taken = session.execute(
        update(JobRun)
        .where(
            col(JobRun.id) == run_id,
            or_(
                col(JobRun.status) == JobStatus.QUEUED,
                (col(JobRun.status) == JobStatus.RUNNING) & (col(JobRun.heartbeat_at) < now - STALE_AFTER),
            ),
        )
        .values(status=JobStatus.RUNNING, attempt=JobRun.attempt + 1, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    if not _changed(taken):
        return None
    run = session.exec(select(JobRun).where(JobRun.id == run_id).execution_options(populate_existing=True)).one()
    if run.started_at is None:
        run.started_at = now
        session.add(run)
    return Claim(
        run_id, run.kind, run.attempt, run.started_by_id, run.organization_id, run.subject, run.done, run.total,
        run.position,
    )  # fmt: skip


def _fenced(claim: Claim) -> Any:
    return update(JobRun).where(
        col(JobRun.id) == claim.run_id, col(JobRun.status) == JobStatus.RUNNING, col(JobRun.attempt) == claim.attempt
    )


def advance_run(
    session: Session,
    claim: Claim,
    *,
    done: int,
    position: int,
    total: int | None = None,
    summary: Summary | None = None,
    now: datetime | None = None,
) -> None:
    """Record how far the run got (and, if given, its results so far, which a resumed run reads back with
    `run_summary`), in the caller's transaction (the step's own); raises RunLost when the claim was replaced, so
    the step rolls back with it."""
    values: dict[str, Any] = {"done": done, "position": position, "heartbeat_at": now or utcnow()}
    if total is not None:
        values["total"] = total
    if summary is not None:
        values["summary"] = json.dumps(dict(summary))
    if not _changed(session.execute(_fenced(claim).values(**values).execution_options(synchronize_session=False))):
        raise RunLost()


def run_summary(session: Session, claim: Claim) -> dict[str, Any]:
    """The results an earlier attempt of the run recorded with `advance_run` ({} when none)."""
    summary = session.exec(select(JobRun.summary).where(JobRun.id == claim.run_id)).one()
    return dict(json.loads(summary or "{}"))


def finish_run(session: Session, claim: Claim, summary: Summary, now: datetime | None = None) -> None:
    """The run is done, with its result; raises RunLost when the claim was replaced."""
    now = now or utcnow()
    values = {"status": JobStatus.DONE, "summary": json.dumps(dict(summary)), "finished_at": now, "heartbeat_at": now}
    if not _changed(session.execute(_fenced(claim).values(**values).execution_options(synchronize_session=False))):
        raise RunLost()


def fail_run(session: Session, claim: Claim, message: str, now: datetime | None = None) -> bool:
    """The run failed with `message` (said to the person who started it); False when the claim was replaced
    (then the heir's outcome stands)."""
    now = now or utcnow()
    values = {"status": JobStatus.FAILED, "error": message, "finished_at": now, "heartbeat_at": now}
    return _changed(session.execute(_fenced(claim).values(**values).execution_options(synchronize_session=False)))


def stalled_runs(session: Session, kinds: Iterable[str], now: datetime | None = None) -> list[tuple[str, int]]:
    """(kind, id) of runs to send to the queue again: queued for longer than STALE_AFTER (the queue lost or
    never got them) or running with a heartbeat older than that (their consumer died)."""
    cutoff = (now or utcnow()) - STALE_AFTER
    rows = session.exec(
        select(JobRun.kind, JobRun.id)
        .where(
            col(JobRun.kind).in_(list(kinds)),
            or_(
                (col(JobRun.status) == JobStatus.QUEUED) & (col(JobRun.created_at) < cutoff),
                (col(JobRun.status) == JobStatus.RUNNING) & (col(JobRun.heartbeat_at) < cutoff),
            ),
        )
        .order_by(col(JobRun.id))
    ).all()
    return [(kind, run_id) for kind, run_id in rows if run_id is not None]


# -- the page's side ---------------------------------------------------------------------------------------------
def _progress(run: JobRun) -> RunProgress:
    return RunProgress(
        saved_id(run), run.kind, run.status, run.done, run.total, run.error, run.created_at, run.finished_at,
        json.loads(run.summary or "{}"),
    )  # fmt: skip


def run_progress(session: Session, actor: Actor, run_id: int) -> RunProgress:
    """The run as it stands, for the person who started it; anyone else gets NotFound."""
    run = session.get(JobRun, run_id, populate_existing=True)
    if run is None or actor.user_id is None or run.started_by_id != actor.user_id:
        raise NotFound("job run")
    return _progress(run)


def latest_run(session: Session, actor: Actor, kind: str) -> RunProgress | None:
    """The person's most recent run of `kind` (to show a running one again on return to its page)."""
    if actor.user_id is None:
        return None
    run = session.exec(
        select(JobRun)
        .where(JobRun.started_by_id == actor.user_id, JobRun.kind == kind)
        .order_by(col(JobRun.id).desc())
        .limit(1)
    ).first()
    return None if run is None else _progress(run)
