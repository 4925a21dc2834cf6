"""SCORM lessons: the SCORM area runs the package (its files, run-time and CMI data); training says who may
launch it for which lesson and hears when its SCOs report completion. Registered in reactions.py.

A lesson launches in the context "lesson:<id>", each further SCO of its package in "lesson:<id>/<n>" (the SCORM
area's sco_context), each keeping its own CMI data. A person may launch it when the lesson is a SCORM lesson of
that package in a course they may open (its audience, published, prerequisites done) and, for partners' people,
when they are enrolled (opening the course enrols them). Once every SCO reported completion (or a pass), the
lesson completes as a read lesson's "Done" does: engagement event, course completion and certificates alike."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from prm_app.identity import User
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError
from prm_app.scorm import sco_progress, split_context
from prm_app.training.learning import check_prerequisites, mark_done
from prm_app.training.models import Enrollment
from prm_app.training.published import live_lesson
from prm_app.training.rules import LessonKind
from prm_app.training.visibility import lesson_for_learner

PREFIX = "lesson:"


def lesson_of_context(context: str) -> int | None:
    """42 from "lesson:42" and from "lesson:42/1" (the package's second SCO in that lesson)."""
    base = split_context(context)[0] if isinstance(context, str) else ""
    raw = base[len(PREFIX) :] if base.startswith(PREFIX) else ""
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def may_launch_lesson(session: Session, actor: Actor, package_id: int, context: str) -> bool:
    """Whether `actor` may run package `package_id` as the lesson `context` names."""
    lesson_id = lesson_of_context(context)
    if lesson_id is None:
        return False
    try:
        course, lesson = lesson_for_learner(session, actor, lesson_id)
        check_prerequisites(session, actor, course)
    except DomainError:  # not found, out of reach, not allowed, prerequisites missing
        return False
    if lesson.kind != LessonKind.SCORM or lesson.scorm_package_id != package_id:
        return False
    if not actor.is_partner:
        return True
    enrolled = select(Enrollment.id).where(Enrollment.user_id == actor.user_id, Enrollment.course_id == course.id)
    return session.exec(enrolled).first() is not None


def scorm_lesson_reported(
    session: Session, user_id: int, context: str, completed: bool, passed: bool, score: Decimal | None
) -> None:
    """A SCO of a lesson reported completion or a pass: the lesson is done for that person once every SCO of its
    package is (a single-SCO package: at once)."""
    lesson_id = lesson_of_context(context)
    lesson = live_lesson(session, lesson_id, draft=False) if lesson_id is not None else None
    user = session.get(User, user_id)
    if lesson is None or user is None or lesson.kind != LessonKind.SCORM or not (completed or passed):
        return
    scos = sco_progress(session, user_id, lesson.scorm_package_id or 0, f"{PREFIX}{lesson_id}")
    if not all(s.completed for s in scos):
        return
    learner = Actor(user_id=user.id, role=Role(user.role), organization_id=user.organization_id, name=user.full_name)
    if learner.is_partner:
        mark_done(session, learner, lesson, utcnow())
