"""Who may open which course: the one place that decides it, for the catalogue, the player, the quiz, the media
route and the SCORM launch check. Managers see every course; partners' people see published courses whose
audience rule (audience.AudienceRule, stored as JSON) lets their partner in. A course out of reach is "not found",
never a hint that it exists."""

from __future__ import annotations

from sqlmodel import Session, col, select

from prm_app.audience import AudienceRule, PartnerFacts, partner_facts, verdict
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.training.models import Course, Lesson, LessonCopy
from prm_app.training.published import live_lesson
from prm_app.training.rules import CourseStatus


def rule_of(course: Course) -> AudienceRule:
    return AudienceRule.from_json(course.audience) if course.audience else AudienceRule()


def facts_for(session: Session, actor: Actor) -> PartnerFacts | None:
    """The actor's partner's facts (loaded once per use case), None for internal people."""
    return partner_facts(session, actor.organization_id) if actor.is_partner and actor.organization_id else None


def can_open(course: Course, actor: Actor, facts: PartnerFacts | None) -> bool:
    if actor.can(Permission.MANAGE_TRAINING):
        return True  # managers preview drafts and look back at retired courses
    if course.status != CourseStatus.PUBLISHED or facts is None:
        return False
    return verdict(rule_of(course), facts).visible


def course_for_learner(session: Session, actor: Actor, course_id: int) -> Course:
    """The course `course_id` if the actor may open it; NotFound otherwise (also for a bogus id)."""
    actor.require(Permission.USE_PORTAL if actor.is_partner else Permission.MANAGE_TRAINING)
    course = session.get(Course, course_id) if isinstance(course_id, int) else None
    if course is None or not can_open(course, actor, facts_for(session, actor)):
        raise NotFound("course")
    return course


def sees_drafts(actor: Actor) -> bool:
    """Managers preview the draft in the player; everyone else sees the published copies."""
    return actor.can(Permission.MANAGE_TRAINING)


def lesson_for_learner(session: Session, actor: Actor, lesson_id: int) -> tuple[Course, LessonCopy]:
    """The lesson as the actor sees it (published copy, or a manager's draft) in a course they may open; NotFound
    otherwise, also for a lesson added since the course was last published."""
    lesson = session.get(Lesson, lesson_id) if isinstance(lesson_id, int) else None
    if lesson is None:
        raise NotFound("lesson")
    course = course_for_learner(session, actor, lesson.course_id)
    live = live_lesson(session, saved_id(lesson), sees_drafts(actor))
    if live is None:
        raise NotFound("lesson")
    return course, live


def visible_courses(session: Session, actor: Actor) -> list[Course]:
    """Every course the actor may open, by title."""
    facts = facts_for(session, actor)
    query = select(Course).order_by(col(Course.title))
    if not actor.can(Permission.MANAGE_TRAINING):
        query = query.where(Course.status == CourseStatus.PUBLISHED)
    return [c for c in session.exec(query).all() if can_open(c, actor, facts)]
