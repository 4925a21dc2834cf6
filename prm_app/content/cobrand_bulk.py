"""Every partner's co-branded copy of a template at once, as a job run (platform jobs_progress), and the copies as one
zip for the channel team.

`start_bulk_render` (the asset's page) records a queued run for the template, or hands back the one already queued
or running for it, so a double click, a second tab or a second manager starts nothing twice (two starts in the very
same instant may make two runs: the renders' unique key still keeps one copy a partner, and the cache spares most
of the work). `run_bulk_render` (a job consumer) claims the run and renders the partners the template is open to in
order of their id, a few per transaction, each transaction also recording the last partner done (its position). So:
- the page shows "12 of 40" as each step commits;
- a consumer that dies mid-way loses at most its uncommitted step; whoever claims the run next (after STALE_AFTER)
  carries on after the last partner recorded, and two consumers sent the same run cannot both work it (the claim):
  each partner's PDF is made once;
- a render already cached for the partner's current profile is kept, not made again (cobrand.render_for).
The copies are renders like a partner's own download: a partner changing its logo or phone later gets a new one."""

from __future__ import annotations

import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from prm_app.content.cobrand import copies_on_file, open_partners, render_for, template_of, template_partners
from prm_app.content.rules import slugify
from prm_app.content.storage import RENDERS
from prm_app.content.visibility import open_asset
from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.audit import audit
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.jobs_progress import (
    Claim,
    JobRun,
    JobStatus,
    RunLost,
    advance_run,
    claim_run,
    fail_run,
    finish_run,
    start_run,
)

COBRAND_BULK = "cobrand_bulk"
STEP = 5  # partners rendered per transaction: the page's progress moves, no transaction holds many files
Transaction = Callable[[], AbstractContextManager[Session]]

log = logging.getLogger("prm_app.jobs")


class StarterGone(DomainError):
    """The person who started the run may no longer manage content."""


@dataclass(frozen=True)
class BulkRun:
    """A template's latest bulk run as its page shows it (to any of the channel team)."""

    id: int
    status: str
    done: int
    total: int
    copies: int  # when done: the partners whose copy is ready
    without_logo: int  # when done: of those, the ones stamped with their name for want of a logo
    error: str
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


def _active(session: Session, asset_id: int) -> int | None:
    return session.exec(
        select(JobRun.id).where(
            JobRun.kind == COBRAND_BULK,
            JobRun.subject == str(asset_id),
            col(JobRun.status).in_([JobStatus.QUEUED, JobStatus.RUNNING]),
        )
    ).first()


def start_bulk_render(session: Session, actor: Actor, asset_id: int) -> int:
    """Queue the generation of every partner's copy of the template (sent to the job queue once this transaction
    commits), or the run already queued or running for it; returns the run's id."""
    asset, _ = template_of(session, actor, asset_id)
    running = _active(session, asset.id or 0)
    if running is not None:
        return running
    run_id = start_run(session, actor, COBRAND_BULK, subject=str(asset.id))
    audit(session, actor, "content.bulk_render_started", "content_asset", asset.id, about=f"run {run_id}")
    return run_id


def latest_bulk_render(session: Session, actor: Actor, asset_id: int) -> BulkRun | None:
    """The template's most recent bulk run, whoever started it; None when there was none."""
    asset, _ = template_of(session, actor, asset_id)
    run = session.exec(
        select(JobRun)
        .where(JobRun.kind == COBRAND_BULK, JobRun.subject == str(asset.id))
        .order_by(col(JobRun.id).desc())
        .limit(1)
        .execution_options(populate_existing=True)
    ).first()
    if run is None:
        return None
    summary = _summary(run.summary)
    return BulkRun(
        run.id or 0, run.status, run.done, run.total, summary.get("copies", 0), summary.get("without_logo", 0),
        run.error, run.finished_at,
    )  # fmt: skip


def _summary(text: str) -> dict[str, int]:
    found = json.loads(text or "{}")
    return {k: int(v) for k, v in found.items() if isinstance(v, int)}


def _starter(session: Session, claim: Claim) -> Actor:
    """The person who started the run, as they are now: refused once deactivated or no longer on the channel team."""
    user = session.get(User, claim.started_by_id)
    active = user is not None and user.is_active
    actor = Actor(user.id, Role(user.role), user.organization_id, name=user.full_name) if user and active else None
    if actor is None or not actor.can(Permission.MANAGE_CONTENT):
        raise StarterGone("The person who started this can no longer manage content.")
    return actor


def run_bulk_render(run_id: int, transaction: Transaction, step: int = STEP) -> None:
    """Claim the run and render each partner's copy, resuming after the last partner an earlier attempt recorded;
    does nothing when another consumer has the run or it is finished. A refusal (the starter gone, the template
    deleted) or an unexpected error fails the run with a message for the page; the copies made before stay."""
    with transaction() as session:
        claim = claim_run(session, run_id)
    if claim is None:
        return
    asset_id, done = int(claim.subject), claim.done
    try:
        with transaction() as session:
            open_to = [p.organization_id for p in template_partners(session, _starter(session, claim), asset_id)]
            todo = sorted(org_id for org_id in open_to if org_id > claim.position)
            advance_run(session, claim, done=done, position=claim.position, total=done + len(todo))
        for start in range(0, len(todo), step):
            part = todo[start : start + step]
            with transaction() as session:  # these renders and the run's new position commit together
                asset, _ = template_of(session, _starter(session, claim), asset_id)
                for org in session.exec(select(Organization).where(col(Organization.id).in_(part))).all():
                    render_for(session, asset, org, {})
                advance_run(session, claim, done=done + len(part), position=part[-1])
            done += len(part)
        with transaction() as session:
            starter = _starter(session, claim)
            ready = template_partners(session, starter, asset_id)
            copies = sum(p.rendered for p in ready)
            finish_run(session, claim, {"copies": copies, "without_logo": sum(not p.has_logo for p in ready)})
            audit(session, starter, "content.bulk_rendered", "content_asset", asset_id, about=f"{copies} copies")
    except RunLost:
        log.warning("co-brand run %d was taken over by another consumer; this one stops", run_id)
    except DomainError as refused:
        _fail(transaction, claim, f"{refused.message} {done} of the copies were made before it stopped.")
    except Exception:
        log.exception("co-brand run %d failed", run_id)
        _fail(transaction, claim, f"It stopped on an unexpected error; {done} of the copies were made before.")
        raise  # counted as a failed job run


def _fail(transaction: Transaction, claim: Claim, message: str) -> None:
    with transaction() as session:
        fail_run(session, claim, message)


def copies_zip(session: Session, actor: Actor, slug: str, folder: Path) -> tuple[Path, str]:
    """A zip (written in `folder`) of every partner's current copy of the template `slug` that is made, and the
    name to download it under; NotFound for anyone outside the channel team, or when no copy is made yet."""
    actor.require(Permission.MANAGE_CONTENT)
    asset = open_asset(session, actor, slug)
    _asset, version = template_of(session, actor, asset.id or 0)
    orgs = open_partners(session, asset)
    made = copies_on_file(session, asset, version, orgs)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".zip", delete=False) as out:
        path, count = Path(out.name), 0
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
            for org in orgs:
                key = made.get(org.id or 0)
                source = RENDERS.path(key) if key else None
                if source is not None:
                    archive.write(source, f"{slugify(org.name)}-{org.id}.pdf")
                    count += 1
    if not count:
        path.unlink(missing_ok=True)
        raise NotFound("copies")
    return path, re.sub(r"[^\w.-]+", "-", f"{asset.slug}-co-branded-copies.zip")
