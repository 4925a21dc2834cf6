"""A person's way to each certification: how many of its courses they completed, whether its final exam is due,
and, for a certification renewed by taking everything again (renewal "all"), starting that renewal: the courses
open again from their first lesson, and completing them (and the exam) issues the renewed certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound
from prm_app.training.certificates import current_certificate
from prm_app.training.models import Certification, CertificationCourse, Enrollment, Lesson, LessonProgress
from prm_app.training.rules import CertificateStatus, certificate_status
from prm_app.training.visibility import visible_courses


def _courses_done_before(session: Session, user_id: int, courses: set[int], moment: datetime) -> bool:
    """Every course of the set completed, none of them since `moment` (the renewal has not been started)."""
    finished = session.exec(
        select(Enrollment.completed_at).where(Enrollment.user_id == user_id, col(Enrollment.course_id).in_(courses))
    ).all()
    return len(finished) == len(courses) and all(done is not None and done <= moment for done in finished)


@dataclass(frozen=True)
class CertificationProgress:
    code: str
    name: str
    valid_months: int
    courses_done: int
    courses_total: int
    exam_quiz_id: int  # 0: no final exam
    exam_ready: bool  # every course done and no live certificate (or one up for renewal): take the exam now
    held: str  # the status of the person's current certificate, "" when none
    renew_by_courses: bool  # it is up for renewal by taking every course again (renewal "all"): start_renewal


def my_certifications(session: Session, actor: Actor, now: datetime | None = None) -> list[CertificationProgress]:
    """The certifications whose courses the actor may take, with their progress toward each."""
    actor.require(Permission.USE_PORTAL)
    now, user_id = now or utcnow(), actor.user_id or 0
    reachable = {saved_id(c) for c in visible_courses(session, actor)}
    done = set(
        session.exec(
            select(Enrollment.course_id).where(Enrollment.user_id == user_id, col(Enrollment.completed_at).is_not(None))
        ).all()
    )
    rows = []
    for cert in session.exec(select(Certification).order_by(col(Certification.name))).all():
        courses = set(
            session.exec(
                select(CertificationCourse.course_id).where(CertificationCourse.certification_id == cert.id)
            ).all()
        )
        if not courses or not courses & reachable:
            continue
        held = current_certificate(session, user_id, saved_id(cert))
        status = certificate_status(held.expires_at, now) if held else None
        renewing = status in (CertificateStatus.EXPIRING, CertificateStatus.EXPIRED)
        restart = renewing and cert.renewal == "all" and held is not None
        restart = restart and _courses_done_before(session, user_id, courses, held.issued_at)  # type: ignore[union-attr]
        open_for_exam = status is None or renewing
        rows.append(
            CertificationProgress(
                cert.code,
                cert.name,
                cert.valid_months,
                len(courses & done),
                len(courses),
                cert.final_quiz_id or 0,
                bool(cert.final_quiz_id) and courses <= done and open_for_exam,
                status or "",
                renewing
                and cert.renewal == "all"
                and held is not None
                and _courses_done_before(session, user_id, courses, held.issued_at),
            )
        )
    return rows


def start_renewal(session: Session, actor: Actor, code: str, now: datetime | None = None) -> None:
    """Open a certification's courses again for the actor to renew it by taking everything again: refused unless
    its renewal rule is "all" and the actor's certificate is expiring soon or expired. The certificate stays
    valid until it expires; completing the courses again (and the exam) issues the renewal."""
    actor.require(Permission.USE_PORTAL)
    cert = session.exec(select(Certification).where(Certification.code == str(code)[:40])).first()
    if cert is None:
        raise NotFound("certification")
    now, user_id = now or utcnow(), actor.user_id or 0
    held = current_certificate(session, user_id, saved_id(cert))
    status = certificate_status(held.expires_at, now) if held else None
    if cert.renewal != "all" or status not in (CertificateStatus.EXPIRING, CertificateStatus.EXPIRED):
        raise DomainError("This certificate is not up for renewal by retaking its courses.")
    courses = session.exec(
        select(CertificationCourse.course_id).where(CertificationCourse.certification_id == cert.id)
    ).all()
    for enrolment in session.exec(
        select(Enrollment).where(Enrollment.user_id == user_id, col(Enrollment.course_id).in_(courses))
    ).all():
        enrolment.completed_at, enrolment.current_lesson_id, enrolment.started_at = None, None, now
        session.add(enrolment)
    lessons = select(Lesson.id).where(col(Lesson.course_id).in_(courses))
    for progress in session.exec(
        select(LessonProgress).where(LessonProgress.user_id == user_id, col(LessonProgress.lesson_id).in_(lessons))
    ).all():
        progress.done_revision, progress.completed_at = 0, None
        session.add(progress)
    audit(session, actor, "start_renewal", "training_certification", cert.id)
