"""The REST API's program reads: training courses, certificates and tiers, cursor-paged in id order like the lists
of reads.py and narrowed on the server by the rule the area's own pages apply (named beside each read).

These lists are short (a program has tens of courses and a handful of tiers), so courses and tiers are narrowed by
the areas' own use cases in Python and then paged; certificates, one per person and certification, are paged in SQL.
Nothing here adds a rule of its own: a course the catalogue would not show, or a certificate the partner's team page
would not, is absent here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.integrations.reads import Page, page_of, partners_rows
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.models import AuditLog
from prm_app.tiering import my_tier, overview
from prm_app.training import (
    Certificate,
    Certification,
    CertificationCourse,
    Course,
    certificate_status,
    verify_url,
    visible_courses,
)

# What changing a tier's requirements audits (tiering.service): any of them since a moment changes the ladder.
TIER_RULE_RECORDS = ("tier_program", "tier_criterion", "tier_benefit")


@dataclass(frozen=True)
class CertificationRef:
    code: str
    name: str


@dataclass(frozen=True)
class CourseOut:
    id: int
    code: str
    title: str
    summary: str
    language: str
    level: str
    product: str
    status: str  # draft, published or retired; partners' keys only ever see published courses
    version: int  # 0 until first published
    minutes: int  # the author's estimate of the whole course
    certifications: list[CertificationRef]  # those whose requirements include this course
    published_at: datetime | None
    updated_at: datetime  # courses keep no creation time; this is their last edit


@dataclass(frozen=True)
class CertificateOut:
    id: int
    user_id: int
    organization_id: int | None  # the holder's partner now (None once they left every partner)
    holder_name: str
    certification_code: str
    certification: str
    status: str  # training.CertificateStatus: valid, expiring, expired or revoked
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    verification_code: str
    verification_url: str  # the public verify page: the code is the credential, as on the printed certificate


@dataclass(frozen=True)
class RequirementOut:
    program: str  # the tier program (per partner type) the criterion belongs to
    label: str
    metric: str
    threshold: Decimal
    group: int  # criteria of one group must all be met; any one group suffices


@dataclass(frozen=True)
class TierOut:
    id: int
    name: str
    rank: int  # higher is better; Registered is 0
    requirements: list[RequirementOut]
    current: bool | None  # partners' keys: whether their organization holds this tier; None for program keys


def _window(rows: list[Any], after: int, limit: int, row_id: Any) -> list[Any]:
    """`limit + 1` of `rows` past `after` in id order, for page_of."""
    return sorted((r for r in rows if row_id(r) > after), key=row_id)[: limit + 1]


def list_courses(
    session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None
) -> Page[CourseOut]:
    """The courses the catalogue shows the actor (training.visible_courses: published courses whose audience lets
    a partner in; every course for training managers), behind training.course_for_learner's permission check.
    `since` keeps those edited or published since."""
    actor.require(Permission.USE_PORTAL if actor.is_partner else Permission.MANAGE_TRAINING)
    courses = [c for c in visible_courses(session, actor) if since is None or c.updated_at >= since]
    rows = _window(courses, after, limit, saved_id)
    granted: dict[int, list[CertificationRef]] = {}
    for course_id, code, name in session.exec(
        select(CertificationCourse.course_id, Certification.code, Certification.name)
        .join(Certification, col(Certification.id) == CertificationCourse.certification_id)
        .where(col(CertificationCourse.course_id).in_([saved_id(c) for c in rows]))
        .order_by(col(Certification.code))
    ).all():
        granted.setdefault(course_id, []).append(CertificationRef(code, name))

    def shape(c: Course) -> CourseOut:
        return CourseOut(
            id=saved_id(c), code=c.code, title=c.title, summary=c.summary, language=c.language, level=c.level,
            product=c.product, status=c.status, version=c.version, minutes=c.minutes,
            certifications=granted.get(saved_id(c), []), published_at=c.published_at, updated_at=c.updated_at,
        )  # fmt: skip

    return page_of(rows, limit, shape, saved_id)


def list_certificates(
    session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None
) -> Page[CertificateOut]:
    """Current certificates (not replaced by a renewal) of partners' people: a partner admin's key those of the
    people who belong to its organization now (training.queries.team_training's rule, MANAGE_TEAM); the vendor's
    people with VIEW_PARTNERS those of the partners in their reach (Actor.book_owner, as /users). `since` keeps
    those issued, revoked or lapsed since."""
    now = utcnow()
    query = (
        select(Certificate, Certification, User.organization_id)
        .join(Certification, col(Certification.id) == Certificate.certification_id)
        .join(User, col(User.id) == Certificate.user_id)
        .where(col(Certificate.superseded_by_id).is_(None))
    )
    query = partners_rows(query, actor, col(User.organization_id), Permission.MANAGE_TEAM)
    if since is not None:
        query = query.where(
            or_(
                col(Certificate.issued_at) >= since,
                col(Certificate.revoked_at) >= since,
                and_(col(Certificate.expires_at) >= since, col(Certificate.expires_at) <= now),
            )
        )
    rows = session.exec(query.where(col(Certificate.id) > after).order_by(col(Certificate.id)).limit(limit + 1)).all()

    def shape(row: Any) -> CertificateOut:
        c, cert, organization_id = row
        status = certificate_status(c.expires_at, now, revoked=c.revoked_at is not None)
        return CertificateOut(
            id=saved_id(c), user_id=c.user_id, organization_id=organization_id, holder_name=c.holder_name,
            certification_code=cert.code, certification=cert.name, status=status, issued_at=c.issued_at,
            expires_at=c.expires_at, revoked_at=c.revoked_at, verification_code=c.code,
            verification_url=verify_url(c.code),
        )  # fmt: skip

    return page_of(rows, limit, shape, lambda r: saved_id(r[0]))


def _tiers_changed(session: Session, actor: Actor, since: datetime) -> bool:
    """Tiers keep no change time: the ladder counts as changed when a program, criterion or benefit was saved
    since, and for a partner also when its organization moved tier since (tiering.change_tier audits that)."""
    changed: Any = col(AuditLog.record_type).in_(TIER_RULE_RECORDS)
    if actor.is_partner:
        changed = or_(
            changed,
            and_(
                col(AuditLog.record_type) == "organization",
                col(AuditLog.action) == "change_tier",
                col(AuditLog.record_id) == actor.organization_id,
            ),
        )
    return session.exec(select(AuditLog.id).where(changed, col(AuditLog.at) >= since).limit(1)).first() is not None


def list_tiers(session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None) -> Page[TierOut]:
    """The program's tiers. A program key (VIEW_PARTNERS) gets every program's criteria for each tier, as the
    managers' tier overview shows them (tiering.overview). A partner's key (USE_PORTAL) gets which tier its
    organization holds and the criteria of the next tier up, as its own tier page shows them (tiering.my_tier); the
    other programs' criteria are not its business (a partner no program covers still holds a tier: `current` comes
    from its organization, the criteria from the program). With `since`: every tier when the ladder changed since, else
    none (see _tiers_changed)."""
    requirements: dict[int, list[RequirementOut]] = {}
    held = None
    if actor.is_partner:
        mine = my_tier(session, actor)  # requires USE_PORTAL; None when no program covers its partner type
        org = session.get(Organization, actor.organization_id or 0)  # its tier, with or without a program
        held = org.tier_id if org is not None else None
        if mine is not None:
            next_id = session.exec(select(Tier.id).where(Tier.name == mine.next_tier)).first()
            requirements[next_id or 0] = [
                RequirementOut(mine.program, g.label, g.key, g.threshold, g.group) for g in mine.progress
            ]
    else:
        for program in overview(session, actor).programs:  # requires VIEW_PARTNERS
            for t in program.tiers:
                requirements.setdefault(t.tier_id, []).extend(
                    RequirementOut(program.name, c.label, c.metric, c.threshold, c.group) for c in t.criteria
                )
    tiers = list(session.exec(select(Tier)).all())
    if since is not None and not _tiers_changed(session, actor, since):
        tiers = []
    rows = _window(tiers, after, limit, saved_id)

    def shape(t: Tier) -> TierOut:
        return TierOut(
            id=saved_id(t), name=t.name, rank=t.rank, requirements=requirements.get(saved_id(t), []),
            current=(t.id == held) if actor.is_partner else None,
        )  # fmt: skip

    return page_of(rows, limit, shape, saved_id)
