"""Managers' certifications: define one (code, name, the courses to pass, an optional final exam, months of
validity, the renewal rule), change it, see how many people hold it, and revoke a certificate by its code (the
verify page then says revoked). Every use case needs MANAGE_TRAINING."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.training.certificates import revoke_certificate
from prm_app.training.models import Certificate, Certification, CertificationCourse, Course, Lesson, Quiz

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")
RENEWALS = {"exam": "Pass the final exam again", "all": "Complete every course and the exam again"}


@dataclass(frozen=True)
class CertificationRow:
    id: int
    code: str
    name: str
    valid_months: int
    renewal: str
    course_ids: tuple[int, ...]
    courses: tuple[str, ...]
    final_quiz_id: int  # 0: none
    final_exam: str
    holders: int  # live certificates


def certification_rows(session: Session, actor: Actor, now: datetime | None = None) -> list[CertificationRow]:
    actor.require(Permission.MANAGE_TRAINING)
    now = now or utcnow()
    rows = []
    for cert in session.exec(select(Certification).order_by(col(Certification.name))).all():
        courses = session.exec(
            select(Course.id, Course.title)
            .join(CertificationCourse, col(CertificationCourse.course_id) == Course.id)
            .where(CertificationCourse.certification_id == cert.id)
            .order_by(col(Course.title))
        ).all()
        exam = session.get(Quiz, cert.final_quiz_id) if cert.final_quiz_id else None
        holders = session.exec(
            select(func.count())
            .select_from(Certificate)
            .where(Certificate.certification_id == cert.id, Certificate.expires_at > now)
            .where(col(Certificate.revoked_at).is_(None), col(Certificate.superseded_by_id).is_(None))
        ).one()
        rows.append(
            CertificationRow(
                saved_id(cert),
                cert.code,
                cert.name,
                cert.valid_months,
                cert.renewal,
                tuple(i or 0 for i, _ in courses),
                tuple(t for _, t in courses),
                cert.final_quiz_id or 0,
                exam.title if exam else "",
                holders,
            )
        )
    return rows


def exam_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The quizzes a certification may take as its final exam: course quizzes (named with their course) and the
    standalone exams."""
    actor.require(Permission.MANAGE_TRAINING)
    rows = session.exec(
        select(Quiz.id, Quiz.title, Course.title)
        .outerjoin(Lesson, col(Lesson.id) == Quiz.lesson_id)
        .outerjoin(Course, col(Course.id) == Lesson.course_id)
        .order_by(col(Quiz.title))
    ).all()
    return [(qid or 0, f"{title} ({course})" if course else title) for qid, title, course in rows]


def save_certification(
    session: Session,
    actor: Actor,
    certification_id: int,
    code: str,
    name: str,
    valid_months: int,
    renewal: str,
    course_ids: Sequence[int],
    final_quiz_id: int,
) -> int:
    """Create (certification_id 0) or change a certification. Certificates already issued keep their dates."""
    actor.require(Permission.MANAGE_TRAINING)
    code, name = code.strip().upper(), name.strip()
    if not CODE.fullmatch(code):
        raise ValidationError("Give a short code of capital letters, digits and dashes (e.g. CSS).", "code")
    if not name:
        raise ValidationError("Give the certification a name.", "name")
    if not 1 <= valid_months <= 120:
        raise ValidationError("Give the validity in months, from 1 to 120.", "valid_months")
    if renewal not in RENEWALS:
        raise ValidationError("Choose how it is renewed.", "renewal")
    known = set(session.exec(select(Course.id)).all())
    chosen = sorted(set(course_ids))
    if not chosen or any(c not in known for c in chosen):
        raise ValidationError("Choose the courses to pass.", "courses")
    if final_quiz_id and session.get(Quiz, final_quiz_id) is None:
        raise ValidationError("Choose the final exam among the quizzes.", "final_quiz")
    clash = session.exec(select(Certification.id).where(Certification.code == code)).first()
    if clash is not None and clash != certification_id:
        raise ValidationError("Another certification has this code.", "code")
    cert = session.get(Certification, certification_id) if certification_id else Certification(code=code, name=name)
    if cert is None:
        raise NotFound("certification")
    cert.code, cert.name, cert.valid_months, cert.renewal = code, name[:160], valid_months, renewal
    cert.final_quiz_id = final_quiz_id or None
    session.add(cert)
    session.flush()
    for link in session.exec(select(CertificationCourse).where(CertificationCourse.certification_id == cert.id)).all():
        if link.course_id not in chosen:
            session.delete(link)
    linked = set(
        session.exec(select(CertificationCourse.course_id).where(CertificationCourse.certification_id == cert.id)).all()
    )
    for course_id in chosen:
        if course_id not in linked:
            session.add(CertificationCourse(certification_id=saved_id(cert), course_id=course_id))
    audit(session, actor, "save_certification", "training_certification", cert.id, code=code, courses=chosen)
    return saved_id(cert)


def revoke_by_code(session: Session, actor: Actor, code: str) -> str:
    """Revoke the certificate with this code; returns its holder's name. NotFound for an unknown code."""
    actor.require(Permission.MANAGE_TRAINING)
    row = session.exec(select(Certificate).where(Certificate.code == code.strip().lower()[:32])).first()
    if row is None:
        raise NotFound("certificate")
    revoke_certificate(session, actor, saved_id(row))
    return row.holder_name
