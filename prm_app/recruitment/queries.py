"""What the recruitment pages read, as frozen dataclasses with raw values (codes, UTC datetimes, numbers). The
public reads take no actor (programs that are open, a form); the managers' reads ask for RECRUIT_PARTNERS or
VIEW_PARTNERS. The queue is filtered, sorted and paged in SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.recruitment.models import Application, FunnelEvent, Program
from prm_app.recruitment.rules import (
    OPEN_STATUSES,
    STATUSES,
    CriterionScore,
    ExtraField,
    FunnelStep,
    funnel,
    intro_html,
    parse_fields,
)
from prm_app.recruitment.scoring import scores_of, settings

PAGE_SIZE = 25


@dataclass(frozen=True)
class ProgramCard:
    id: int
    slug: str
    name: str
    partner_type: str
    intro_html: str  # sanitized (rules.intro_html)
    intro: str  # the markdown, for the editor
    is_open: bool
    fields: tuple[ExtraField, ...]


def _card(p: Program, *, public: bool) -> ProgramCard:
    fields = tuple(f for f in parse_fields(p.fields) if not (public and f.hidden))
    return ProgramCard(saved_id(p), p.slug, p.name, p.partner_type, intro_html(p.intro), p.intro, p.is_open, fields)


def open_programs(session: Session) -> list[ProgramCard]:
    """The programs anyone may apply to, by name, with their public fields only."""
    rows = session.exec(select(Program).where(col(Program.is_open)).order_by(col(Program.name))).all()
    return [_card(p, public=True) for p in rows]


def open_program(session: Session, slug: str) -> ProgramCard:
    program = session.exec(select(Program).where(Program.slug == slug, col(Program.is_open))).first()
    if program is None:
        raise NotFound("program")
    return _card(program, public=True)


def all_programs(session: Session, actor: Actor) -> list[ProgramCard]:
    """Every program with every field (hidden ones too), for the managers' editor."""
    actor.require(Permission.RECRUIT_PARTNERS)
    return [_card(p, public=False) for p in session.exec(select(Program).order_by(col(Program.name))).all()]


def pending_count(session: Session, actor: Actor) -> int:
    """Applications waiting for a decision (the nav's badge); 0 for anyone who does not review."""
    if not actor.can(Permission.RECRUIT_PARTNERS):
        return 0
    query = select(func.count()).select_from(Application).where(col(Application.status).in_(OPEN_STATUSES))
    return int(session.exec(query).one())


# --------------------------------------------------------------------------------------------- the queue
SORTS = {
    "newest": (col(Application.submitted_at).desc(),),
    "oldest": (col(Application.submitted_at).asc(),),
    "score": (col(Application.score).desc(), col(Application.submitted_at).asc()),
    "company": (func.lower(Application.company).asc(),),
}


@dataclass(frozen=True)
class QueueQuery:
    status: str = "open"  # a status, "open" (submitted or in review) or "" for all
    program_id: int = 0
    reviewer: str = ""  # "", "me", "none"
    q: str = ""
    sort: str = "newest"
    page: int = 1


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    company: str
    country: str
    program: str
    status: str
    score: int
    submitted_at: datetime
    reviewer: str  # "" when nobody took it


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def queue(session: Session, actor: Actor, query: QueueQuery) -> QueuePage:
    actor.require(Permission.VIEW_PARTNERS)
    reviewer = aliased(User)
    conditions: list[ColumnElement[bool]] = []
    if query.status == "open":
        conditions.append(col(Application.status).in_(OPEN_STATUSES))
    elif query.status in STATUSES:
        conditions.append(col(Application.status) == query.status)
    if query.program_id:
        conditions.append(col(Application.program_id) == query.program_id)
    if query.reviewer == "me":
        conditions.append(col(Application.reviewer_id) == actor.user_id)
    elif query.reviewer == "none":
        conditions.append(col(Application.reviewer_id).is_(None))
    if text := query.q.strip()[:100]:
        needle = f"%{text.lower()}%"
        conditions.append(func.lower(Application.company).like(needle) | func.lower(Application.reference).like(needle))
    total = int(session.exec(select(func.count()).select_from(Application).where(*conditions)).one())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    rows = session.exec(
        select(Application, Program.name, reviewer.full_name)
        .join(Program, col(Program.id) == Application.program_id)
        .outerjoin(reviewer, col(reviewer.id) == Application.reviewer_id)
        .where(*conditions)
        .order_by(*SORTS.get(query.sort, SORTS["newest"]), col(Application.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return QueuePage(
        rows=[
            QueueRow(
                saved_id(a), a.reference, a.company, a.country, program, a.status, a.score, a.submitted_at, who or ""
            )
            for a, program, who in rows
        ],
        total=total,
        page=page,
        pages=pages,
    )


# --------------------------------------------------------------------------------------------- one application
@dataclass(frozen=True)
class FieldAnswer:
    key: str
    label: str
    kind: str
    value: str
    hidden: bool  # a reviewers' field
    options: tuple[str, ...]


@dataclass(frozen=True)
class ApplicationDetail:
    id: int
    reference: str
    program: str
    partner_type: str  # the program's: what the partner becomes
    status: str
    company: str
    website: str
    domain: str
    country: str
    partner_type_wanted: str
    verticals: tuple[str, ...]
    team_size: int
    revenue_band: str
    vendors: tuple[str, ...]
    customer_count: int
    certified_staff: int
    contact_name: str
    contact_email: str
    contact_phone: str
    contact_title: str
    motivation: str
    answers: tuple[FieldAnswer, ...]
    scores: tuple[CriterionScore, ...]
    score: int
    max_score: int
    submitted_at: datetime
    reviewer: str
    reviewer_id: int | None
    decided_at: datetime | None
    reject_reason: str
    decision_note: str
    organization_id: int | None


def application_detail(session: Session, actor: Actor, application_id: int) -> ApplicationDetail:
    actor.require(Permission.VIEW_PARTNERS)
    app = session.get(Application, application_id)
    if app is None:
        raise NotFound("application")
    program = session.get(Program, app.program_id)
    assert program is not None
    who = session.get(User, app.reviewer_id) if app.reviewer_id else None
    extra = json.loads(app.extra or "{}")
    answers = tuple(
        FieldAnswer(f.key, f.label, f.kind, str(extra.get(f.key, "")), f.hidden, f.options)
        for f in parse_fields(program.fields)
    )
    scores = tuple(scores_of(session, app))
    return ApplicationDetail(
        id=saved_id(app), reference=app.reference, program=program.name, partner_type=program.partner_type,
        status=app.status, company=app.company, website=app.website, domain=app.domain, country=app.country,
        partner_type_wanted=app.partner_type, verticals=tuple(v for v in app.verticals.split(",") if v),
        team_size=app.team_size, revenue_band=app.revenue_band,
        vendors=tuple(v for v in app.vendors.splitlines() if v), customer_count=app.customer_count,
        certified_staff=app.certified_staff, contact_name=app.contact_name, contact_email=app.contact_email,
        contact_phone=app.contact_phone, contact_title=app.contact_title, motivation=app.motivation,
        answers=answers, scores=scores, score=sum(s.points for s in scores),
        max_score=sum(s.weight for s in settings(session)), submitted_at=app.submitted_at,
        reviewer=who.full_name if who else "", reviewer_id=app.reviewer_id, decided_at=app.decided_at,
        reject_reason=app.reject_reason, decision_note=app.decision_note, organization_id=app.organization_id,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------- the funnel
def funnel_report(
    session: Session, actor: Actor, start: datetime, end: datetime, program_id: int = 0
) -> list[FunnelStep]:
    """Each funnel step's count in [start, end) with the conversion from the step before (counted in SQL)."""
    actor.require(Permission.VIEW_PARTNERS)
    query = (
        select(FunnelEvent.stage, func.count())
        .where(FunnelEvent.at >= start, FunnelEvent.at < end)
        .group_by(col(FunnelEvent.stage))
    )
    if program_id:
        query = query.where(FunnelEvent.program_id == program_id)
    return funnel({stage: int(n) for stage, n in session.exec(query).all()})
