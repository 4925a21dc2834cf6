"""Reads for the package pages and for other areas (training's lesson editor picks a package by its title)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import Select

from prm_app.identity import User
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound
from prm_app.scorm.models import ScormAttempt, ScormPackage
from prm_app.scorm.rules import PREVIEW

PAGE_SIZE = 50


@dataclass(frozen=True)
class PackageRow:
    id: int
    title: str
    version: str
    sco_count: int
    file_count: int
    total_bytes: int
    created_at: datetime
    uploaded_by: str


@dataclass(frozen=True)
class ScoLine:
    identifier: str
    title: str
    href: str


@dataclass(frozen=True)
class PreviewAttempt:
    """The manager's own preview attempt of a package, if they launched it."""

    lesson_status: str
    location: str
    suspend_chars: int
    total_seconds: Decimal
    launches: int
    score_raw: Decimal | None
    exit: str
    updated_at: datetime


@dataclass(frozen=True)
class PackageDetail:
    row: PackageRow
    original_name: str
    launch_href: str
    scos: tuple[ScoLine, ...]
    mastery_score: Decimal | None
    scaled_passing_score: Decimal | None
    completion_threshold: Decimal | None
    preview: PreviewAttempt | None


def _rows(session: Session, query: Select[ScormPackage, str]) -> list[PackageRow]:
    return [
        PackageRow(
            id=p.id or 0,
            title=p.title,
            version=p.version,
            sco_count=len(p.scos),
            file_count=p.file_count,
            total_bytes=p.total_bytes,
            created_at=p.created_at,
            uploaded_by=name or "",
        )
        for p, name in session.exec(query).all()
    ]


def _with_uploader() -> Select[ScormPackage, str]:
    return select(ScormPackage, User.full_name).outerjoin(User, col(User.id) == col(ScormPackage.uploaded_by_id))


def list_packages(session: Session, actor: Actor, page: int = 1) -> tuple[list[PackageRow], int]:
    """One page of packages, newest first, and how many there are (MANAGE_SCORM: admins only)."""
    actor.require(Permission.MANAGE_SCORM)
    page = max(1, page if isinstance(page, int) else 1)
    total = session.exec(select(func.count()).select_from(ScormPackage)).one()
    query = _with_uploader().order_by(col(ScormPackage.created_at).desc(), col(ScormPackage.id).desc())
    return _rows(session, query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)), int(total)


def package_detail(session: Session, actor: Actor, package_id: object) -> PackageDetail:
    """A package's manifest facts and the manager's own preview attempt (MANAGE_SCORM: admins only)."""
    actor.require(Permission.MANAGE_SCORM)
    if not isinstance(package_id, int) or isinstance(package_id, bool):
        raise NotFound("package")
    rows = _rows(session, _with_uploader().where(ScormPackage.id == package_id))
    package = session.get(ScormPackage, package_id)
    if not rows or package is None:
        raise NotFound("package")
    attempt = session.exec(
        select(ScormAttempt).where(
            ScormAttempt.package_id == package_id,
            ScormAttempt.user_id == actor.user_id,
            ScormAttempt.context == PREVIEW,
        )
    ).first()
    preview = None
    if attempt is not None:
        preview = PreviewAttempt(
            lesson_status=attempt.lesson_status, location=attempt.location, suspend_chars=len(attempt.suspend_data),
            total_seconds=attempt.total_seconds, launches=attempt.launches, score_raw=attempt.score_raw,
            exit=attempt.exit, updated_at=attempt.updated_at,
        )  # fmt: skip
    return PackageDetail(
        row=rows[0], original_name=package.original_name, launch_href=package.launch_href,
        scos=tuple(ScoLine(s.get("identifier", ""), s.get("title", ""), s.get("href", "")) for s in package.scos),
        mastery_score=package.mastery_score, scaled_passing_score=package.scaled_passing_score,
        completion_threshold=package.completion_threshold, preview=preview,
    )  # fmt: skip


def package_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, title) of every package, by title, for someone choosing one: SCORM admins, and lesson editors
    (MANAGE_TRAINING) who pick a package for a lesson but may not import, open or preview one."""
    if not actor.can(Permission.MANAGE_TRAINING):
        actor.require(Permission.MANAGE_SCORM)
    rows = session.exec(
        select(ScormPackage.id, ScormPackage.title).order_by(col(ScormPackage.title), col(ScormPackage.id))
    )
    return [(pid or 0, title) for pid, title in rows]
