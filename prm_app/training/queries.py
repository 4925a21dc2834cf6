"""Reads for managers and partner admins: the course list with completion, completion per partner, quiz statistics
per question (the bad questions first), certified headcount by partner with tier and region, the editor's view of
a course and a lesson, and a partner admin's view of their people. Frozen dataclasses with raw values; channel
managers see the partners of their book, admins and execs every partner."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from prm_app.identity import User
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.training.models import (
    Certificate,
    Certification,
    Course,
    CourseModule,
    CourseVariant,
    Enrollment,
    Lesson,
    Question,
    QuestionResult,
    Quiz,
)
from prm_app.training.published import unpublished_lessons
from prm_app.training.question_bank import EditorQuestion, editor_questions
from prm_app.training.rules import certificate_status


@dataclass(frozen=True)
class CourseRow:
    id: int
    code: str
    title: str
    status: str
    version: int
    enrolled: int
    completed: int
    average_hours: float | None  # from enrolment to completion
    languages: tuple[str, ...] = ()  # its own language, then its variants' (training/variants.py)


@dataclass(frozen=True)
class PartnerRow:
    organization: str
    enrolled: int
    completed: int
    certified: int


@dataclass(frozen=True)
class QuestionRow:
    course: str
    prompt: str
    answered: int
    correct_share: float  # 0..1


@dataclass(frozen=True)
class HeadcountRow:
    certification: str
    organization: str
    tier: str
    region: str
    people: int


def _reachable_orgs(actor: Actor):  # type: ignore[no-untyped-def]
    query = select(Organization.id)
    owner = actor.book_owner()
    return query.where(Organization.channel_manager_id == owner) if owner is not None else query


def _people_in_reach(actor: Actor):  # type: ignore[no-untyped-def]
    return select(User.id).where(col(User.organization_id).in_(_reachable_orgs(actor)))


def course_rows(session: Session, actor: Actor) -> list[CourseRow]:
    """Every course with its enrolments and completions among the people the actor reaches."""
    actor.require(Permission.MANAGE_TRAINING)
    people = _people_in_reach(actor)
    variants: dict[int, list[str]] = {}
    for course_id, language in session.exec(select(CourseVariant.course_id, CourseVariant.language)).all():
        variants.setdefault(course_id, []).append(language)
    rows = []
    for course in session.exec(select(Course).order_by(col(Course.title))).all():
        found = session.exec(
            select(Enrollment.started_at, Enrollment.completed_at).where(
                Enrollment.course_id == course.id, col(Enrollment.user_id).in_(people)
            )
        ).all()
        spans = [(done - start).total_seconds() / 3600 for start, done in found if done is not None]
        rows.append(
            CourseRow(
                saved_id(course),
                course.code,
                course.title,
                course.status,
                course.version,
                len(found),
                len(spans),
                sum(spans) / len(spans) if spans else None,
                (course.language, *sorted(variants.get(saved_id(course), []))),
            )
        )
    return rows


def partner_rows(session: Session, actor: Actor, now: datetime | None = None) -> list[PartnerRow]:
    """Per partner in reach: people enrolled and completed (enrolments), and people holding a live certificate."""
    actor.require(Permission.MANAGE_TRAINING)
    now = now or utcnow()
    enrolled = dict(
        session.exec(
            select(User.organization_id, func.count(col(Enrollment.id)))
            .join(User, col(User.id) == Enrollment.user_id)
            .group_by(col(User.organization_id))
        ).all()
    )
    completed = dict(
        session.exec(
            select(User.organization_id, func.count(col(Enrollment.id)))
            .join(User, col(User.id) == Enrollment.user_id)
            .where(col(Enrollment.completed_at).is_not(None))
            .group_by(col(User.organization_id))
        ).all()
    )
    certified = dict(
        session.exec(
            select(User.organization_id, func.count(func.distinct(Certificate.user_id)))
            .join(User, col(User.id) == Certificate.user_id)
            .where(
                col(Certificate.revoked_at).is_(None),
                col(Certificate.superseded_by_id).is_(None),
                Certificate.expires_at > now,
            )
            .group_by(col(User.organization_id))
        ).all()
    )
    orgs = session.exec(
        select(Organization.id, Organization.name)
        .where(col(Organization.id).in_(_reachable_orgs(actor)))
        .order_by(col(Organization.name))
    ).all()
    return [
        PartnerRow(name, enrolled.get(i, 0), completed.get(i, 0), certified.get(i, 0))
        for i, name in orgs
        if enrolled.get(i) or certified.get(i)
    ]


def question_rows(session: Session, actor: Actor, limit: int = 20) -> list[QuestionRow]:
    """Questions answered at least once, the least often answered correctly first: where to look for a bad question."""
    actor.require(Permission.MANAGE_TRAINING)
    right = func.sum(case((col(QuestionResult.correct).is_(True), 1), else_=0))
    rows = session.exec(
        select(func.coalesce(Course.title, Quiz.title), Question.prompt, func.count(col(QuestionResult.id)), right)
        .join(Question, col(Question.id) == QuestionResult.question_id)
        .join(Quiz, col(Quiz.id) == Question.quiz_id)
        .outerjoin(Lesson, col(Lesson.id) == Quiz.lesson_id)
        .outerjoin(Course, col(Course.id) == Lesson.course_id)
        .group_by(col(Course.title), col(Quiz.title), col(Question.id), col(Question.prompt))
    ).all()
    shown = [QuestionRow(c, p, n, (r or 0) / n) for c, p, n, r in rows if n]
    return sorted(shown, key=lambda q: (q.correct_share, -q.answered))[:limit]


def headcount_rows(session: Session, actor: Actor, now: datetime | None = None) -> list[HeadcountRow]:
    """Certified headcount per certification and partner (with its tier and region), live certificates only,
    counted for the partner each holder belongs to now."""
    actor.require(Permission.MANAGE_TRAINING)
    now = now or utcnow()
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Certification.name,
            Organization.name,
            Tier.name,
            Organization.region,
            func.count(func.distinct(Certificate.user_id)),
        )
        .join(Certificate, col(Certificate.certification_id) == Certification.id)
        .join(User, col(User.id) == Certificate.user_id)
        .join(Organization, col(Organization.id) == User.organization_id)
        .join(Tier, col(Tier.id) == Organization.tier_id)
        .where(col(Organization.id).in_(_reachable_orgs(actor)))
        .where(
            col(Certificate.revoked_at).is_(None),
            col(Certificate.superseded_by_id).is_(None),
            Certificate.expires_at > now,
        )
        .group_by(Certification.name, Organization.name, Tier.name, Organization.region)
        .order_by(Certification.name, Organization.name)
    ).all()
    return [HeadcountRow(*row) for row in rows]


# --- the editor -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditorLesson:
    id: int
    title: str
    kind: str
    changed: bool  # its draft differs from what learners see (or they do not see it yet)


@dataclass(frozen=True)
class EditorModule:
    id: int
    title: str
    lessons: tuple[EditorLesson, ...]


@dataclass(frozen=True)
class CourseEditor:
    id: int
    code: str
    title: str
    summary: str
    product: str
    level: str
    minutes: int
    status: str
    version: int
    audience_json: str
    prerequisites: tuple[int, ...]
    modules: tuple[EditorModule, ...]
    languages: tuple[str, ...] = ()  # its own, then its variants' (training/variants.py)


def course_editor(session: Session, actor: Actor, course_id: int) -> CourseEditor:
    actor.require(Permission.MANAGE_TRAINING)
    course = session.get(Course, course_id) if isinstance(course_id, int) else None
    if course is None:
        raise NotFound("course")
    modules = session.exec(
        select(CourseModule).where(CourseModule.course_id == course_id).order_by(col(CourseModule.position))
    ).all()
    lessons = session.exec(select(Lesson).where(Lesson.course_id == course_id).order_by(col(Lesson.position))).all()
    unpublished = unpublished_lessons(session, course_id)
    return CourseEditor(
        course_id,
        course.code,
        course.title,
        course.summary,
        course.product,
        course.level,
        course.minutes,
        course.status,
        course.version,
        course.audience,
        tuple(int(p) for p in course.prerequisites.split(",") if p.isdigit()),
        tuple(
            EditorModule(
                saved_id(m),
                m.title,
                tuple(
                    EditorLesson(saved_id(x), x.title, x.kind, saved_id(x) in unpublished)
                    for x in lessons
                    if x.module_id == m.id
                ),
            )
            for m in modules
        ),
        (
            course.language,
            *session.exec(
                select(CourseVariant.language)
                .where(CourseVariant.course_id == course_id)
                .order_by(col(CourseVariant.language))
            ).all(),
        ),
    )


@dataclass(frozen=True)
class LessonEditor:
    id: int
    course_id: int
    course_title: str
    title: str
    kind: str
    body: str
    video_url: str
    has_file: bool
    minutes: int
    scorm_package_id: int = 0
    pass_percent: int = 0
    max_attempts: int = 0
    time_limit_minutes: int = 0
    draw: int = 0
    questions: tuple[EditorQuestion, ...] = ()
    shuffle: bool = True


def lesson_editor(session: Session, actor: Actor, lesson_id: int) -> LessonEditor:
    actor.require(Permission.MANAGE_TRAINING)
    lesson = session.get(Lesson, lesson_id) if isinstance(lesson_id, int) else None
    if lesson is None:
        raise NotFound("lesson")
    course = session.get(Course, lesson.course_id)
    assert course is not None
    base = LessonEditor(
        saved_id(lesson), lesson.course_id, course.title, lesson.title, lesson.kind, lesson.body, lesson.video_url,
        bool(lesson.media_key), lesson.minutes, lesson.scorm_package_id or 0,
    )  # fmt: skip
    quiz = session.exec(select(Quiz).where(Quiz.lesson_id == lesson.id)).first()
    if quiz is None:
        return base
    return replace(
        base,
        pass_percent=quiz.pass_percent,
        max_attempts=quiz.max_attempts,
        time_limit_minutes=quiz.time_limit_minutes,
        draw=quiz.draw,
        questions=editor_questions(session, saved_id(quiz)),
        shuffle=quiz.shuffle,
    )


# --- a partner admin's team -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamLine:
    person: str
    course: str
    state: str  # "completed", "in_progress"
    when: datetime


@dataclass(frozen=True)
class TeamCertificate:
    person: str
    certification: str
    expires_at: datetime
    status: str


def team_training(
    session: Session, actor: Actor, now: datetime | None = None
) -> tuple[list[TeamLine], list[TeamCertificate]]:
    """A partner admin's view of their people now: enrolments with completion, and certificates (expiring first)."""
    actor.require(Permission.MANAGE_TEAM)
    if not actor.is_partner or actor.organization_id is None:
        raise NotFound("team")
    now = now or utcnow()
    lines = session.exec(
        select(User.full_name, Course.title, Enrollment.started_at, Enrollment.completed_at)
        .join(User, col(User.id) == Enrollment.user_id)
        .join(Course, col(Course.id) == Enrollment.course_id)
        .where(User.organization_id == actor.organization_id)
        .order_by(col(User.full_name), col(Course.title))
    ).all()
    certs = session.exec(
        select(  # type: ignore[call-overload]
            User.full_name,
            Certification.name,
            Certificate.expires_at,
            Certificate.revoked_at,
            Certificate.superseded_by_id,
        )
        .join(User, col(User.id) == Certificate.user_id)
        .join(Certification, col(Certification.id) == Certificate.certification_id)
        .where(User.organization_id == actor.organization_id, col(Certificate.superseded_by_id).is_(None))
        .order_by(col(Certificate.expires_at))
    ).all()
    return (
        [TeamLine(p, c, "completed" if done else "in_progress", done or start) for p, c, start, done in lines[:200]],
        [
            TeamCertificate(
                p, n, exp, certificate_status(exp, now, revoked=rev is not None, superseded=sup is not None)
            )
            for p, n, exp, rev, sup in certs[:200]
        ],
    )
