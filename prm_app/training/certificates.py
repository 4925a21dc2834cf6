"""Certifications and certificates. A certificate is issued to the person when they completed every course of a
certification and passed its final exam (when it has one); it is valid `valid_months` from issue (month-end safe),
has an unguessable code for the public verify page, and is counted for the partner the person belongs to now.
Renewal: while a certificate is expiring soon or expired, passing the final exam again (renewal "exam"), or the
exam after completing the courses (renewal "all", courses completed since the certificate's issue), issues a new
certificate that supersedes the old. The daily job reminds holders 60 and 14 days before expiry (a notice to the
partner and an email to the holder) and records `certificate_expired` once per lapsed certificate."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.identity import User
from prm_app.mail import queue_message
from prm_app.notifications import notify
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.platform.settings import settings
from prm_app.training.models import Certificate, Certification, CertificationCourse, Enrollment, QuizAttempt
from prm_app.training.rules import CertificateStatus, add_months, certificate_status, reminder_due

EXPIRING_NOTICE = "certificate_expiring"


@dataclass(frozen=True)
class CertificateView:
    id: int
    code: str
    holder: str
    certification: str
    certification_code: str
    issued_at: datetime
    expires_at: datetime
    status: str  # rules.CertificateStatus


def exam_course_ids(session: Session, quiz_id: int) -> list[int]:
    """The courses of the certifications whose final exam is `quiz_id` (who may reach the course may sit it)."""
    return list(
        session.exec(
            select(CertificationCourse.course_id)
            .join(Certification, col(Certification.id) == CertificationCourse.certification_id)
            .where(Certification.final_quiz_id == quiz_id)
        ).all()
    )


def current_certificate(session: Session, user_id: int, certification_id: int) -> Certificate | None:
    """The person's latest certificate of the certification that no renewal replaced and nobody revoked."""
    return session.exec(
        select(Certificate)
        .where(
            Certificate.user_id == user_id,
            Certificate.certification_id == certification_id,
            col(Certificate.superseded_by_id).is_(None),
            col(Certificate.revoked_at).is_(None),
        )
        .order_by(col(Certificate.issued_at).desc())
    ).first()


def renewable_since(session: Session, user_id: int, quiz_id: int, now: datetime) -> datetime | None:
    """When the person's certificate that this final exam would renew was issued, if it is expiring soon or
    expired (so earlier passes of the exam do not count and the exam may be taken again); else None."""
    for cert in session.exec(select(Certification).where(Certification.final_quiz_id == quiz_id)).all():
        held = current_certificate(session, user_id, saved_id(cert))
        if held and certificate_status(held.expires_at, now) in (CertificateStatus.EXPIRING, CertificateStatus.EXPIRED):
            return held.issued_at
    return None


def _passed_exam_after(session: Session, user_id: int, quiz_id: int, after: datetime | None) -> bool:
    query = (
        select(func.count())
        .select_from(QuizAttempt)
        .where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.user_id == user_id, col(QuizAttempt.passed).is_(True))
    )
    if after is not None:
        query = query.where(QuizAttempt.started_at > after)
    return session.exec(query).one() > 0


def _courses_done_after(session: Session, user_id: int, certification_id: int, after: datetime | None) -> bool:
    needed = session.exec(
        select(CertificationCourse.course_id).where(CertificationCourse.certification_id == certification_id)
    ).all()
    query = select(Enrollment.course_id).where(
        Enrollment.user_id == user_id, col(Enrollment.completed_at).is_not(None), col(Enrollment.course_id).in_(needed)
    )
    if after is not None:
        query = query.where(col(Enrollment.completed_at) > after)
    return set(needed) <= set(session.exec(query).all())


def award_due(session: Session, actor: Actor, now: datetime | None = None) -> list[int]:
    """Issue the actor every certificate they have just earned (or renewed); returns the new certificates' ids.
    Called in the unit of work that completed a course or passed an exam."""
    now, user_id = now or utcnow(), actor.user_id or 0
    user = session.get(User, user_id)
    if user is None or not actor.is_partner:
        return []
    issued = []
    for cert in session.exec(select(Certification)).all():
        cid = saved_id(cert)
        held = current_certificate(session, user_id, cid)
        renewing = held is not None and certificate_status(held.expires_at, now) in (
            CertificateStatus.EXPIRING,
            CertificateStatus.EXPIRED,
        )
        if held is not None and not renewing:
            continue
        since = held.issued_at if held is not None else None
        courses_since = since if renewing and cert.renewal == "all" else None
        if not _courses_done_after(session, user_id, cid, courses_since):
            continue
        if cert.final_quiz_id is not None and not _passed_exam_after(session, user_id, cert.final_quiz_id, since):
            continue
        if renewing and cert.final_quiz_id is None and cert.renewal == "exam":
            continue  # nothing to re-pass: renewal needs the courses again ("all")
        issued.append(issue_certificate(session, actor, user, cert, now, replaces=held))
    return issued


def issue_certificate(
    session: Session,
    actor: Actor | None,
    user: User,
    cert: Certification,
    now: datetime,
    replaces: Certificate | None = None,
) -> int:
    """A new certificate for `user` (superseding `replaces`), with its engagement event and audit line."""
    new = Certificate(
        code=secrets.token_hex(16),
        user_id=saved_id(user),
        certification_id=saved_id(cert),
        holder_name=user.full_name,
        issued_at=now,
        expires_at=add_months(now, cert.valid_months),
    )
    session.add(new)
    session.flush()
    if replaces is not None:
        replaces.superseded_by_id = new.id
        session.add(replaces)
    if actor is not None:
        record_engagement(session, actor, "certified", "training_certificate", new.id)
    audit(session, actor, "issue_certificate", "training_certificate", new.id, certification=cert.code)
    return saved_id(new)


def _view(session: Session, row: Certificate, cert: Certification, now: datetime) -> CertificateView:
    status = certificate_status(
        row.expires_at, now, revoked=row.revoked_at is not None, superseded=row.superseded_by_id is not None
    )
    return CertificateView(
        saved_id(row), row.code, row.holder_name, cert.name, cert.code, row.issued_at, row.expires_at, status
    )


def my_certificates(session: Session, actor: Actor, now: datetime | None = None) -> list[CertificateView]:
    """The actor's own certificates, newest first (also those from a partner they left)."""
    actor.require(Permission.USE_PORTAL)
    rows = session.exec(
        select(Certificate, Certification)
        .join(Certification, col(Certification.id) == Certificate.certification_id)
        .where(Certificate.user_id == actor.user_id)
        .order_by(col(Certificate.issued_at).desc())
    ).all()
    return [_view(session, row, cert, now or utcnow()) for row, cert in rows]


def verify_certificate(session: Session, code: str, now: datetime | None = None) -> CertificateView | None:
    """The public check of a certificate by its code (no sign-in: the code is the credential). None for an
    unknown code; a revoked certificate is shown as revoked, not hidden."""
    if not isinstance(code, str) or not (8 <= len(code) <= 32) or not code.isalnum():
        return None
    found = session.exec(
        select(Certificate, Certification)
        .join(Certification, col(Certification.id) == Certificate.certification_id)
        .where(Certificate.code == code.lower())
    ).first()
    return None if found is None else _view(session, found[0], found[1], now or utcnow())


def certificate_for_pdf(session: Session, actor: Actor, certificate_id: int) -> CertificateView:
    """A certificate its holder, their partner admin (people of the partner now) or a manager may print."""
    row = session.get(Certificate, certificate_id) if isinstance(certificate_id, int) else None
    if row is None:
        raise NotFound("certificate")
    holder = session.get(User, row.user_id)
    mine = row.user_id == actor.user_id
    admin_of = (
        actor.can(Permission.MANAGE_TEAM)
        and actor.is_partner
        and holder is not None
        and (holder.organization_id == actor.organization_id)
    )
    if not (mine or admin_of or actor.can(Permission.MANAGE_TRAINING)):
        raise NotFound("certificate")
    cert = session.get(Certification, row.certification_id)
    assert cert is not None
    return _view(session, row, cert, utcnow())


def revoke_certificate(session: Session, actor: Actor, certificate_id: int, now: datetime | None = None) -> None:
    actor.require(Permission.MANAGE_TRAINING)
    row = session.get(Certificate, certificate_id) if isinstance(certificate_id, int) else None
    if row is None:
        raise NotFound("certificate")
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.add(row)
        audit(session, actor, "revoke_certificate", "training_certificate", row.id)


def verify_url(code: str) -> str:
    return f"{settings.app_origin.rstrip('/')}/verify/{code}"


@dataclass(frozen=True)
class ReminderRun:
    reminded: int = 0
    expired: int = 0


def remind_expiring_certificates(session: Session, now: datetime | None = None) -> ReminderRun:
    """The periodic job's entry (runtime/jobs.py): `remind_expiring` as the system actor."""
    return remind_expiring(session, Actor.system("Certificate reminders"), now)


def remind_expiring(session: Session, actor: Actor, now: datetime | None = None) -> ReminderRun:
    """The daily job: remind holders of certificates 60 and 14 days before expiry (a notice to their partner's
    people and an email to the holder, each once per certificate and step) and record `certificate_expired` once
    for every certificate that lapsed without a renewal. Running twice changes nothing twice."""
    actor.require(Permission.RUN_JOBS)
    now = now or utcnow()
    reminded = expired = 0
    live = session.exec(
        select(Certificate, Certification, User)
        .join(Certification, col(Certification.id) == Certificate.certification_id)
        .join(User, col(User.id) == Certificate.user_id)
        .where(col(Certificate.revoked_at).is_(None), col(Certificate.superseded_by_id).is_(None))
        .where(col(Certificate.expiry_recorded).is_(False))
    ).all()
    for row, cert, user in live:
        if now >= row.expires_at:
            row.expiry_recorded = True
            session.add(row)
            holder = Actor(user_id=user.id, role=actor.role, organization_id=user.organization_id, name=user.full_name)
            record_engagement(session, holder, "certificate_expired", "training_certificate", row.id)
            expired += 1
            continue
        step = reminder_due(row.expires_at, now, row.reminded.split(","))
        if step is None:
            continue
        row.reminded = ",".join(p for p in (*row.reminded.split(","), step) if p)
        session.add(row)
        message = (
            f"{user.full_name}'s {cert.name} certificate expires on {row.expires_at:%-d %b %Y}; renew it before then."
        )
        if user.organization_id is not None:
            notify(
                session,
                user.organization_id,
                EXPIRING_NOTICE,
                message,
                "/learn",
                at=now,
                once=f"certificate:{row.id}:{step}",
            )
        queue_message(
            session,
            to=user.email,
            kind="notice",
            values={
                "subject": f"Your {cert.name} certificate expires in {step} days",
                "name": user.full_name,
                "message": message,
                "link": f"{settings.app_origin.rstrip('/')}/learn",
                "preferences": f"{settings.app_origin.rstrip('/')}/account",
            },
        )
        reminded += 1
    return ReminderRun(reminded, expired)


def certified_headcount(session: Session, organization_id: int, code: str, now: datetime | None = None) -> int:
    """How many people who belong to the organization now hold a live certificate (not expired, revoked or
    replaced) of the certification `code`. For tiering and routing (no actor: the caller decides who asks)."""
    now = now or utcnow()
    return session.exec(
        select(func.count(func.distinct(Certificate.user_id)))
        .join(Certification, col(Certification.id) == Certificate.certification_id)
        .join(User, col(User.id) == Certificate.user_id)
        .where(User.organization_id == organization_id, Certification.code == code)
        .where(col(Certificate.revoked_at).is_(None), col(Certificate.superseded_by_id).is_(None))
        .where(Certificate.expires_at > now)
    ).one()


def certification_holders(session: Session, organization_ids: Collection[int]) -> dict[int, frozenset[str]]:
    """For each organization, the codes of the certifications someone who belongs to it now holds live: the
    audience engine's "certifications" fact source."""
    rows = session.exec(
        select(User.organization_id, Certification.code)
        .join(Certificate, col(Certificate.user_id) == User.id)
        .join(Certification, col(Certification.id) == Certificate.certification_id)
        .where(col(User.organization_id).in_(list(organization_ids)))
        .where(col(Certificate.revoked_at).is_(None), col(Certificate.superseded_by_id).is_(None))
        .where(Certificate.expires_at > utcnow())
    ).all()
    held: dict[int, set[str]] = {}
    for org_id, code in rows:
        if org_id is not None:
            held.setdefault(org_id, set()).add(code)
    return {org_id: frozenset(codes) for org_id, codes in held.items()}


def certified_people(session: Session, organization_ids: Collection[int]) -> dict[int, int]:
    """For each organization, how many people who belong to it now hold at least one live certificate."""
    rows = session.exec(
        select(User.organization_id, func.count(func.distinct(Certificate.user_id)))
        .join(Certificate, col(Certificate.user_id) == User.id)
        .where(col(User.organization_id).in_(list(organization_ids)))
        .where(col(Certificate.revoked_at).is_(None), col(Certificate.superseded_by_id).is_(None))
        .where(Certificate.expires_at > utcnow())
        .group_by(col(User.organization_id))
    ).all()
    return {org_id: count for org_id, count in rows if org_id is not None}


def certification_names(session: Session) -> dict[str, str]:
    return dict(session.exec(select(Certification.code, Certification.name)).all())
