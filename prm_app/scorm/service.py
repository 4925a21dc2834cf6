"""SCORM use cases: importing a package, launching it for a person in a context, and keeping what the package
commits. Launch rights: SCORM admins (MANAGE_SCORM) always; anyone else only in a context another area vouches
for through a registered launch check ("lesson:42" for a learner enrolled in that lesson); "preview" is admins'.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.scorm.archive import CheckedArchive, check_archive, unpack
from prm_app.scorm.housekeeping import remove_orphan_files
from prm_app.scorm.manifest import PackageRefused
from prm_app.scorm.models import ScormAttempt, ScormPackage
from prm_app.scorm.rules import (
    AB_INITIO,
    PREVIEW,
    CommitRefused,
    Facts,
    Resumable,
    Thresholds,
    Version,
    entry_for,
    initial_cmi,
    learner_name,
    limits,
    read_commit,
    sco_context,
    split_context,
    valid_context,
)
from prm_app.scorm.storage import PACKAGES, PackageStore

LaunchCheck = Callable[[Session, Actor, int, str], bool]
CompletionListener = Callable[[Session, int, str, bool, bool, Decimal | None], None]
_LAUNCH_CHECKS: list[LaunchCheck] = []
_COMPLETION_LISTENERS: list[CompletionListener] = []
FILES_PATH = "/_scorm/run"
COMMIT_PATH = "/_scorm/commit"
MAX_COMMIT_SEQ = 2**31 - 1  # commit_seq is an INTEGER column: a larger number from the browser is refused, not a 500


def register_launch_check(fn: LaunchCheck) -> LaunchCheck:
    """Let `fn(session, actor, package_id, context) -> bool` open launches in contexts it knows ("lesson:42")
    to people other than managers. Registered once, at import."""
    if fn not in _LAUNCH_CHECKS:
        _LAUNCH_CHECKS.append(fn)
    return fn


def register_completion_listener(fn: CompletionListener) -> CompletionListener:
    """Call `fn(session, user_id, context, completed, passed, score)` in the commit's transaction when an attempt
    first becomes completed or first becomes passed (score: 0-100 or None)."""
    if fn not in _COMPLETION_LISTENERS:
        _COMPLETION_LISTENERS.append(fn)
    return fn


def may_launch(session: Session, actor: Actor, package_id: int, context: str) -> bool:
    """Whether `actor` may run package `package_id` in `context` (see the module docstring); a context naming a
    SCO the package does not have is refused."""
    if actor.user_id is None or not valid_context(context):
        return False
    package = session.get(ScormPackage, package_id)
    if package is None or split_context(context)[1] >= max(1, len(package.scos)):
        return False
    if actor.can(Permission.MANAGE_SCORM):
        return True
    if context == PREVIEW:
        return False
    return any(check(session, actor, package_id, context) for check in _LAUNCH_CHECKS)


# ------------------------------------------------------------------------------------------------ import
def import_package(
    session: Session, actor: Actor, zip_path: Path, original_name: str, *, store: PackageStore = PACKAGES
) -> int:
    """Check the zip at `zip_path` (archive.check_archive) and, only if it passes, unpack it into the store and
    record the package. Raises ValidationError on field "package" with the reason; nothing is written then.
    The caller deletes the uploaded zip either way."""
    actor.require(Permission.MANAGE_SCORM)
    try:
        checked = check_archive(zip_path)
    except PackageRefused as refused:
        raise ValidationError(refused.message, "package") from None
    try:  # unpacking reads every file: a CRC that fails or a size the directory understated shows only now
        package = record_package(session, zip_path, checked, original_name, actor.user_id, store)
    except PackageRefused as refused:
        raise ValidationError(refused.message, "package") from None
    audit(session, actor, "scorm.import", "scorm_package", package.id, title=package.title, version=package.version)
    remove_orphan_files(session, store)  # what imports cut short earlier left behind (housekeeping.py)
    return saved_id(package)


def record_package(
    session: Session,
    zip_path: Path,
    checked: CheckedArchive,
    original_name: str,
    uploaded_by_id: int | None,
    store: PackageStore = PACKAGES,
) -> ScormPackage:
    """Unpack a checked package into the store and add its row (flushed); the files go again if that fails."""
    manifest = checked.manifest
    folder = unpack(zip_path, checked, store.packages)
    try:
        package = ScormPackage(
            title=manifest.title, version=manifest.version.value, identifier=manifest.identifier, folder=folder,
            launch_href=manifest.launch_href,
            scos=[{"identifier": s.identifier, "title": s.title, "href": s.href} for s in manifest.scos],
            mastery_score=manifest.mastery_score, scaled_passing_score=manifest.scaled_passing_score,
            completion_threshold=manifest.completion_threshold, file_count=len(checked.files),
            total_bytes=checked.total_bytes, original_name=original_name[:200], uploaded_by_id=uploaded_by_id,
        )  # fmt: skip
        session.add(package)
        session.flush()
    except BaseException:
        store.remove(folder)
        raise
    return package


def package_in_reach(session: Session, actor: Actor, package_id: object, context: str) -> ScormPackage:
    """The package `package_id` if `actor` may launch it in `context`; else NotFound (whether it exists or not)."""
    if not isinstance(package_id, int) or isinstance(package_id, bool):
        raise NotFound("package")
    package = session.get(ScormPackage, package_id)
    if package is None or not may_launch(session, actor, package_id, context):
        raise NotFound("package")
    return package


# ------------------------------------------------------------------------------------------------ launch
@dataclass(frozen=True)
class Launch:
    version: str
    launch_url: str  # the first SCO's file, under this launch's token
    commit_url: str
    cmi: dict[str, Any]  # what the runtime loads before the package calls Initialize


def _thresholds(package: ScormPackage) -> Thresholds:
    return Thresholds(package.mastery_score, package.scaled_passing_score, package.completion_threshold)


def _attempt_for(session: Session, user_id: int, package_id: int, context: str) -> ScormAttempt:
    query = select(ScormAttempt).where(
        ScormAttempt.user_id == user_id, ScormAttempt.package_id == package_id, ScormAttempt.context == context
    )
    if (attempt := session.exec(query.with_for_update()).first()) is not None:
        return attempt
    attempt = ScormAttempt(user_id=user_id, package_id=package_id, context=context, launch_token=_token())
    try:
        with savepoint(session):  # two tabs launching at once: one row, the other reads it
            session.add(attempt)
            session.flush()
    except IntegrityError:
        return session.exec(query.with_for_update()).one()
    return attempt


def _token() -> str:
    return secrets.token_urlsafe(32)


def launch(session: Session, actor: Actor, package_id: int, context: str) -> Launch:
    """Open a launch of the package for the actor in `context`: the attempt (created on the first launch) gets a
    new launch token and commit sequence, its time so far becomes the base of this session's, and the runtime
    gets the CMI to start from (entry `resume` only after `exit=suspend`)."""
    package = package_in_reach(session, actor, package_id, context)
    attempt = _attempt_for(session, actor.user_id or 0, saved_id(package), context)
    entry = entry_for(attempt.exit, attempt.location, attempt.suspend_data)
    if entry == AB_INITIO and attempt.launches:  # a finished launch: the content starts afresh, status stays
        attempt.location, attempt.suspend_data = "", ""
    attempt.entry, attempt.launch_token, attempt.commit_seq = entry, _token(), 0
    attempt.launches += 1
    attempt.prior_seconds = attempt.total_seconds
    attempt.updated_at = utcnow()
    session.add(attempt)
    state = Resumable(
        entry=entry, location=attempt.location, suspend_data=attempt.suspend_data,
        lesson_status=attempt.lesson_status, completion_status=attempt.completion_status,
        success_status=attempt.success_status, score_raw=attempt.score_raw, score_min=attempt.score_min,
        score_max=attempt.score_max, score_scaled=attempt.score_scaled, progress_measure=attempt.progress_measure,
        total_seconds=attempt.total_seconds,
    )  # fmt: skip
    cmi = initial_cmi(
        Version(package.version), state, str(actor.user_id), learner_name(actor.name), _thresholds(package),
        attempt.cmi,
    )  # fmt: skip
    index = split_context(context)[1]
    href = package.scos[index]["href"] if index < len(package.scos) else package.launch_href
    return Launch(
        version=package.version,
        launch_url=f"{FILES_PATH}/{attempt.launch_token}/{href}",
        commit_url=f"{COMMIT_PATH}/{attempt.launch_token}",
        cmi=cmi,
    )


# ------------------------------------------------------------------------------------------------ commit
@dataclass(frozen=True)
class CommitResult:
    applied: bool  # False: this sequence was applied already (a repeated beacon); nothing changed


def _launch_of(session: Session, actor: Actor, token: object) -> tuple[ScormAttempt, ScormPackage]:
    if not isinstance(token, str) or not token or actor.user_id is None:
        raise NotFound("launch")
    attempt = session.exec(
        select(ScormAttempt)
        .where(ScormAttempt.launch_token == token, ScormAttempt.user_id == actor.user_id)
        .with_for_update()
    ).first()
    if attempt is None:
        raise NotFound("launch")
    package = package_in_reach(session, actor, attempt.package_id, attempt.context)
    return attempt, package


def launched_file(session: Session, actor: Actor, token: str) -> str:
    """The package folder of the actor's current launch `token` (for serving its files); NotFound otherwise."""
    attempt = session.exec(
        select(ScormAttempt).where(ScormAttempt.launch_token == token, ScormAttempt.user_id == actor.user_id)
    ).first()
    if attempt is None or actor.user_id is None:
        raise NotFound("launch")
    return package_in_reach(session, actor, attempt.package_id, attempt.context).folder


def commit(session: Session, actor: Actor, token: str, seq: object, cmi: object) -> CommitResult:
    """Keep what the runtime committed for launch `token` (the actor's own). Idempotent: a sequence number not
    above the last applied one changes nothing. Raises CommitRefused (nothing kept) on data the rules refuse,
    NotFound for a launch that is not the actor's current one."""
    attempt, package = _launch_of(session, actor, token)
    version = Version(package.version)
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_COMMIT_SEQ:
        raise CommitRefused(391 if version == Version.V2004 else 101, "The commit has no sequence number.")
    if seq <= attempt.commit_seq:
        return CommitResult(applied=False)
    facts = read_commit(version, cmi, _thresholds(package), limits())  # before the claim: a refusal claims nothing
    if not _claim(session, attempt, seq):
        return CommitResult(applied=False)
    kept = {k: v for k, v in cmi.items() if k != "suspend_data"} if isinstance(cmi, dict) else {}
    _apply(session, attempt, facts, kept)
    return CommitResult(applied=True)


def _claim(session: Session, attempt: ScormAttempt, seq: int) -> bool:
    """Take sequence `seq` for the attempt, compare-and-set: of two commits with one sequence number (a beacon and
    its repeat, racing), exactly one gets it, on SQLite (no row locks) as on PostgreSQL. The attempt is read
    again afterwards, so what it held is what the winner's write saw (a completion is told once); a commit of a
    launch superseded meanwhile gets nothing."""
    claimed = session.execute(
        update(ScormAttempt)
        .where(
            col(ScormAttempt.id) == attempt.id,
            col(ScormAttempt.launch_token) == attempt.launch_token,  # not a launch opened meanwhile in another tab
            col(ScormAttempt.commit_seq) < seq,
        )
        .values(commit_seq=seq)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(attempt)
    return True


def _apply(session: Session, attempt: ScormAttempt, facts: Facts, cmi: dict[str, Any]) -> None:
    now = utcnow()
    attempt.location, attempt.suspend_data, attempt.exit = facts.location, facts.suspend_data, facts.exit
    attempt.lesson_status = facts.lesson_status
    attempt.completion_status, attempt.success_status = facts.completion_status, facts.success_status
    attempt.score_raw, attempt.score_min, attempt.score_max = facts.score_raw, facts.score_min, facts.score_max
    attempt.score_scaled, attempt.progress_measure = facts.score_scaled, facts.progress_measure
    attempt.total_seconds = attempt.prior_seconds + facts.session_seconds  # never added to itself: see rules
    attempt.cmi, attempt.updated_at = cmi, now
    newly = False
    if facts.completed and attempt.completed_at is None:
        attempt.completed_at, newly = now, True
    if facts.passed and attempt.passed_at is None:
        attempt.passed_at, newly = now, True
    session.add(attempt)
    if newly:
        session.flush()
        for listener in _COMPLETION_LISTENERS:
            listener(
                session, attempt.user_id, attempt.context, attempt.completed_at is not None,
                attempt.passed_at is not None, facts.score_percent,
            )  # fmt: skip


# ------------------------------------------------------------------------------------------------ progress
@dataclass(frozen=True)
class ScoProgress:
    index: int
    title: str
    context: str  # the context it runs in (sco_context)
    completed: bool  # completed or passed


def sco_progress(session: Session, user_id: int, package_id: int, base: str) -> list[ScoProgress]:
    """Each SCO of the package, in the manifest's order, and whether the person completed (or passed) it in
    `base` ("lesson:42"). No check of who asks: the caller's area decides (training's lesson, for its learner)."""
    package = session.get(ScormPackage, package_id)
    if package is None:
        return []
    contexts = [sco_context(base, i) for i in range(max(1, len(package.scos)))]
    done = set(
        session.exec(
            select(ScormAttempt.context).where(
                ScormAttempt.user_id == user_id,
                ScormAttempt.package_id == package_id,
                col(ScormAttempt.context).in_(contexts),
                (col(ScormAttempt.completed_at).is_not(None)) | (col(ScormAttempt.passed_at).is_not(None)),
            )
        ).all()
    )
    titles = [str(s.get("title", "")) for s in package.scos] or [package.title]
    return [
        ScoProgress(i, titles[i] if i < len(titles) else package.title, c, c in done) for i, c in enumerate(contexts)
    ]
