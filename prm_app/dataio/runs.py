"""A record CSV import as job runs: a dry run, then the real run, each worked by a job consumer in chunks while the
page watches (platform/jobs_progress.py). One pipeline for every record type (partners, leads, ...).

- `start_import` (the page, one transaction) records a queued run whose subject names the table, the mode, dry or
  real, the upload and the column mapping. A dry run reads the upload and leaves it for the real run; the real run
  takes it (once: a double click or a second tab gets ALREADY_IMPORTING) and deletes it when done.
- `run_import` (a consumer) claims the run, resolves its starter again, reads the file and applies its rows in
  chunks (platform/table_io.py's `apply_chunk`), each chunk in its own transaction with the run's new position and
  its counts so far: the page shows "3,000 of 10,000" as each commits, and a consumer that dies loses at most its
  chunk; whoever claims the run next carries on after the last committed line, with the counts so far.
  A dry run's chunks are rolled back (a savepoint around each) and only its position and counts commit.
- The outcome: counts per outcome (added, updated, skipped, failed) and the failed lines with their reasons (the
  first MAX_FAILURES), in the run's summary; and every row's outcome (`ImportRowResult`, written with its chunk),
  which `import_results` gives back as a CSV file. Those rows go RESULTS_KEPT after their run started.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from prm_app.dataio.models import ImportRowResult
from prm_app.dataio.tables import TABLES
from prm_app.identity import User
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.csv_files import Unreadable, decode, records
from prm_app.platform.db import savepoint, write_lock_first
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.import_files import ABANDONED_AFTER_SECONDS, FolderStorage, ImportStorage, read_capped
from prm_app.platform.jobs_progress import (
    Claim,
    JobRun,
    RunLost,
    RunProgress,
    advance_run,
    claim_run,
    fail_run,
    finish_run,
    latest_run,
    run_progress,
    run_summary,
    start_run,
)
from prm_app.platform.settings import PROJECT_DIR, settings
from prm_app.platform.table_io import (
    MAX_KEY_LENGTH,
    Mode,
    Outcome,
    RowResult,
    TableSpec,
    apply_chunk,
    auto_mapping,
    check_mapping,
    decode_mapping,
    encode_mapping,
    read_header,
    read_table,
    repeats,
    results_csv,
)

TABLE_IMPORT = "table_import"
# Outside Reflex's public upload folder, named by random tokens; the web workers and the job consumers share it.
UPLOADS = FolderStorage(PROJECT_DIR / "uploads" / "record-imports")
CHUNK = 200  # rows per transaction: progress moves, and other writers never wait on one long
MAX_FAILURES = 500  # failed lines kept for the page
SHOWN_AFTER_END = timedelta(minutes=10)
RESULTS_KEPT = timedelta(days=7)
Transaction = Callable[[], AbstractContextManager[Session]]

log = logging.getLogger("prm_app.jobs")


class StarterGone(DomainError):
    """The person who started the import may no longer import these records."""


def table(kind: str) -> TableSpec:
    spec = TABLES.get(kind)
    if spec is None:
        raise NotFound("record type")
    return spec


@dataclass(frozen=True)
class Job:
    """What a run's subject says: "partners|upsert|dry|<upload key>|<mapping>"."""

    kind: str
    mode: Mode
    dry: bool
    key: str
    mapping: str

    def subject(self) -> str:
        return "|".join((self.kind, self.mode.value, "dry" if self.dry else "real", self.key, self.mapping))

    @classmethod
    def parse(cls, subject: str) -> Job:
        kind, mode, dry, key, mapping = subject.split("|")
        return cls(kind, Mode(mode), dry == "dry", key, mapping)


@dataclass(frozen=True)
class UploadCheck:
    """An upload as the page shows it before a dry run: its header, the mapping guessed for it, its data rows."""

    header: list[str]
    mapping: list[str]
    rows: int
    problem: str


def check_upload(session: Session, actor: Actor, kind: str, key: str, storage: ImportStorage) -> UploadCheck:
    """Read a stored upload's header, count its data rows and guess its mapping (and say what is wrong with that
    mapping, "" when nothing); nothing is written. A file that cannot be read as CSV is deleted. Also deletes
    uploads abandoned for over a day."""
    spec = table(kind)
    actor.require(spec.permission)
    storage.sweep(ABANDONED_AFTER_SECONDS)
    data = read_capped(storage.open(key), settings.max_upload_bytes)
    header = read_header(data)
    if not header:
        storage.delete(key)
        return UploadCheck([], [], 0, "The file is empty or not a readable CSV; start from the template.")
    mapping = auto_mapping(spec, header)
    try:
        rows = sum(1 for _ in records(decode(data))) - 1
    except Unreadable as problem:
        storage.delete(key)
        return UploadCheck([], [], 0, f"The file is not a readable CSV (line {problem.row}: {problem}).")
    return UploadCheck(header, mapping, rows, check_mapping(spec, mapping))


def start_import(
    session: Session,
    actor: Actor,
    kind: str,
    mode: str,
    key: str,
    mapping: list[str],
    storage: ImportStorage,
    *,
    dry: bool,
) -> int:
    """Queue a dry or real run of the upload under `key`; returns the run's id. A real run takes the upload (once:
    ALREADY_IMPORTING for a second start). ValidationError for an unknown mode or a mapping that cannot work."""
    spec = table(kind)
    actor.require(spec.permission)
    if mode not in {m.value for m in Mode}:
        raise ValidationError("Choose insert, update or upsert.", "mode")
    job = Job(kind, Mode(mode), dry, key, encode_mapping(spec, mapping))
    if len(job.subject()) > 200:
        raise ValidationError("The file has too many columns to map; keep only the ones to import.", "file")
    read_capped(storage.open(key), settings.max_upload_bytes)  # there and not taken yet, else this raises
    if not dry:
        storage.take(key).close()
    old_runs = select(JobRun.id).where(JobRun.kind == TABLE_IMPORT, col(JobRun.created_at) < utcnow() - RESULTS_KEPT)
    session.exec(delete(ImportRowResult).where(col(ImportRowResult.run_id).in_(old_runs)))
    return start_run(session, actor, TABLE_IMPORT, subject=job.subject())


def import_progress(session: Session, actor: Actor, run_id: int) -> RunProgress:
    """The run as it stands, for the person who started it (anyone else: NotFound)."""
    progress = run_progress(session, actor, run_id)
    if progress.kind != TABLE_IMPORT:
        raise NotFound("job run")
    return progress


def import_results(session: Session, actor: Actor, run_id: int) -> str:
    """Every row's outcome of the person's run so far (line, external_id, outcome, reason), in line order, as a
    formula-safe CSV with a BOM for Excel; anyone else's run is NotFound."""
    import_progress(session, actor, run_id)
    rows = session.exec(
        select(ImportRowResult).where(ImportRowResult.run_id == run_id).order_by(col(ImportRowResult.line))
    )
    return results_csv(RowResult(r.line, r.key, Outcome(r.outcome), r.message) for r in rows)


def latest_import(session: Session, actor: Actor, now: datetime | None = None) -> RunProgress | None:
    """The person's latest run while it goes, or for SHOWN_AFTER_END once it ended; None otherwise."""
    run = latest_run(session, actor, TABLE_IMPORT)
    if run is None or (run.finished_at is not None and (now or utcnow()) - run.finished_at > SHOWN_AFTER_END):
        return None
    return run


def _starter(session: Session, claim: Claim, spec: TableSpec) -> Actor:
    user = session.get(User, claim.started_by_id)
    if user is not None and user.is_active:
        actor = Actor(user.id, Role(user.role), user.organization_id, name=user.full_name, email=user.email)
        if actor.can(spec.permission):
            return actor
    raise StarterGone("The person who started this import can no longer import these records.")


def run_import(run_id: int, storage: ImportStorage, transaction: Transaction, chunk: int = CHUNK) -> None:
    """Claim the run and work it (see the module's docstring); nothing when another consumer has it or it ended.
    A refusal or an unexpected error fails the run with a message; what a real run applied before stays."""
    with transaction() as session:
        claim = claim_run(session, run_id)
    if claim is None:
        return
    job = Job.parse(claim.subject)
    try:
        spec = table(job.kind)
        with transaction() as session:
            _starter(session, claim, spec)
            data = read_capped(storage.open(job.key) if job.dry else storage.taken(job.key), settings.max_upload_bytes)
            summary = run_summary(session, claim)
        mapped = read_table(spec, data, decode_mapping(spec, job.mapping))
        if mapped.problem:
            raise ValidationError(f"Line {mapped.problem_line}: {mapped.problem}", "file")
        failed_before = repeats(spec, mapped.rows)
        todo = [row for row in mapped.rows if row[0] > claim.position]
        tally = {o.value: int(summary.get(o.value, 0)) for o in Outcome}
        failures: list[list[object]] = json.loads(str(summary.get("failures", "[]")))
        done = len(mapped.rows) - len(todo)
        for start in range(0, len(todo), chunk):
            part = todo[start : start + chunk]
            with transaction() as session:  # the chunk (or, in a dry run, nothing) and the position commit together
                write_lock_first(session)  # it reads before it writes: on SQLite, others wait rather than it fail
                actor = _starter(session, claim, spec)
                outer = savepoint(session) if job.dry else None
                results = apply_chunk(session, actor, spec, job.mode, part, failed_before)
                if outer is not None:
                    outer.rollback()
                session.add_all(
                    ImportRowResult(
                        run_id=run_id, line=r.line, key=r.key[:MAX_KEY_LENGTH], outcome=r.outcome, message=r.message
                    )
                    for r in results
                )
                for result in results:
                    tally[result.outcome.value] += 1
                    if result.outcome == Outcome.FAILED and len(failures) < MAX_FAILURES:
                        failures.append([result.line, result.key, result.message])
                done += len(part)
                summary = {**tally, "failures": json.dumps(failures), "dry": int(job.dry)}
                advance_run(session, claim, done=done, position=part[-1][0], total=len(mapped.rows), summary=summary)
        with transaction() as session:
            finish_run(session, claim, {**tally, "failures": json.dumps(failures), "dry": int(job.dry)})
    except RunLost:
        log.warning("table import run %d was taken over by another consumer; this one stops", run_id)
        return
    except DomainError as refused:
        _fail(transaction, claim, refused.message)
    except Exception:
        log.exception("table import run %d failed", run_id)
        _fail(transaction, claim, "The import stopped on an unexpected error; rows before it were kept.")
        if not job.dry:
            storage.delete(job.key)
        raise
    if not job.dry:
        storage.delete(job.key)


def _fail(transaction: Transaction, claim: Claim, message: str) -> None:
    with transaction() as session:
        fail_run(session, claim, message)
