"""The learner's use cases: the catalogue with each course's status for me, the course player (outline with ticks,
where to resume, one lesson's content), finishing a lesson and keeping a video's last second. Everything is scoped
through visibility.py: a course out of the actor's reach is "not found"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.platform.access import Actor
from prm_app.platform.audit import record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.i18n import DEFAULT_LANGUAGE
from prm_app.scorm import sco_progress
from prm_app.training.certificates import award_due
from prm_app.training.content import lesson_html
from prm_app.training.models import Course, Enrollment, LessonCopy, LessonProgress
from prm_app.training.published import live_lessons
from prm_app.training.requirements import ONBOARDING, TIER, required_course_ids
from prm_app.training.rules import LessonKind, parse_ids, progress_percent, resume_at
from prm_app.training.variants import CourseWords, course_words, lesson_words
from prm_app.training.visibility import course_for_learner, lesson_for_learner, sees_drafts, visible_courses

MAX_POSITION = 24 * 3600  # a video position beyond a day is nonsense from a client


@dataclass(frozen=True)
class CatalogueRow:
    course_id: int
    code: str
    title: str
    summary: str
    product: str
    level: str
    minutes: int
    lessons: int
    done: int
    started: bool
    completed: bool
    blocked_by: str  # the title of a prerequisite not completed yet, "" when none
    required_for: tuple[str, ...] = ()  # requirements.TIER, ONBOARDING: what asks the partner for it
    language: str = DEFAULT_LANGUAGE  # of its title and summary (the reader's, else the fallback)


@dataclass(frozen=True)
class OutlineLesson:
    id: int
    title: str
    kind: str
    done: bool


@dataclass(frozen=True)
class OutlineModule:
    title: str
    lessons: tuple[OutlineLesson, ...]


@dataclass(frozen=True)
class Player:
    course_id: int
    title: str
    modules: tuple[OutlineModule, ...]
    resume_lesson_id: int | None
    done: int
    total: int
    percent: int
    completed: bool
    language: str = DEFAULT_LANGUAGE  # the variant read (training/variants.py)
    languages: tuple[str, ...] = ()  # every language the course has, its own first


@dataclass(frozen=True)
class LessonContent:
    id: int
    title: str
    kind: str
    html: str  # reading lessons: sanitized
    has_media: bool  # an uploaded video or PDF (served by ui/media_http.py)
    video_url: str
    position: int  # video: the last second watched
    scorm_package_id: int
    done: bool
    previous_id: int | None
    next_id: int | None
    changed_since_done: bool = False  # I finished an earlier version of it: this one is to take again
    scos: tuple[tuple[str, bool], ...] = ()  # a SCORM lesson: its package's SCOs in order, (title, completed by me)


def _ordered_lessons(session: Session, course_id: int, draft: bool) -> list[tuple[str, list[LessonCopy]]]:
    """The course's lessons as the reader sees them (published.py), grouped by module: (module title, lessons)."""
    groups: list[tuple[int, str, list[LessonCopy]]] = []
    for lesson in live_lessons(session, course_id, draft):
        if not groups or groups[-1][0] != lesson.module_id:
            groups.append((lesson.module_id, lesson.module_title, []))
        groups[-1][2].append(lesson)
    return [(title, lessons) for _, title, lessons in groups]


def lesson_order(session: Session, course_id: int, draft: bool = False) -> list[LessonCopy]:
    return live_lessons(session, course_id, draft)


def done_lessons(session: Session, user_id: int, lessons: list[LessonCopy]) -> set[int]:
    """The lessons the user finished on their current revision (a changed lesson must be taken again)."""
    if not lessons:
        return set()
    revision = {lesson.lesson_id: lesson.revision for lesson in lessons}
    rows = session.exec(
        select(LessonProgress.lesson_id, LessonProgress.done_revision).where(
            LessonProgress.user_id == user_id, col(LessonProgress.lesson_id).in_(list(revision))
        )
    ).all()
    return {lesson_id for lesson_id, done in rows if done and done == revision[lesson_id]}


def _enrollment(session: Session, user_id: int, course_id: int) -> Enrollment | None:
    return session.exec(
        select(Enrollment).where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
    ).first()


def completed_course_ids(session: Session, user_id: int) -> set[int]:
    rows = session.exec(
        select(Enrollment.course_id).where(Enrollment.user_id == user_id, col(Enrollment.completed_at).is_not(None))
    ).all()
    return set(rows)


def catalogue(
    session: Session,
    actor: Actor,
    search: str = "",
    product: str = "",
    level: str = "",
    required: str = "",
    reader: str = DEFAULT_LANGUAGE,
) -> list[CatalogueRow]:
    """The courses the actor may open, filtered (title/summary, its own or in the `reader`'s language, contains
    `search`; exact product and level; `required` "tier" or "onboarding": the courses the partner's tiers or
    onboarding ask for, requirements.py), each titled in the reader's language (training/variants.py) with the
    actor's progress and what requires it. At most 100 courses."""
    words = search.strip().lower()[:80]
    reachable = visible_courses(session, actor)
    shown = course_words(session, reachable, reader)
    asked = required_course_ids(session, actor.organization_id if actor.is_partner else None)
    courses = [
        c
        for c in reachable
        if (not words or any(words in text.lower() for text in _texts(c, shown[saved_id(c)])))
        and (not product or c.product == product)
        and (not level or c.level == level)
        and (required not in asked or c.id in asked[required])
    ][:100]
    user_id = actor.user_id or 0
    finished = completed_course_ids(session, user_id)
    titles = {saved_id(c): shown[saved_id(c)].title for c in reachable}
    rows = []
    for course in courses:
        lessons = lesson_order(session, saved_id(course), sees_drafts(actor))
        enrolled = _enrollment(session, user_id, saved_id(course))
        missing = [p for p in parse_ids(course.prerequisites) if p not in finished]
        rows.append(
            CatalogueRow(
                saved_id(course), course.code, shown[saved_id(course)].title, shown[saved_id(course)].summary,
                course.product, course.level,
                course.minutes, len(lessons), len(done_lessons(session, user_id, lessons)), enrolled is not None,
                enrolled is not None and enrolled.completed_at is not None,
                titles.get(missing[0], "another course") if missing else "",
                tuple(key for key in (TIER, ONBOARDING) if course.id in asked[key]),
                shown[saved_id(course)].language,
            )
        )  # fmt: skip
    return rows


def _texts(course: Course, shown: CourseWords) -> tuple[str, ...]:
    return course.title, course.summary, shown.title, shown.summary


def catalogue_filters(session: Session, actor: Actor) -> tuple[list[str], list[str]]:
    """The products and levels of the courses the actor may open (for the catalogue's filters)."""
    courses = visible_courses(session, actor)
    return sorted({c.product for c in courses if c.product}), sorted({c.level for c in courses if c.level})


def check_prerequisites(session: Session, actor: Actor, course: Course) -> None:
    """DomainError naming the first prerequisite a partner's person has not completed."""
    if actor.is_partner:
        finished = completed_course_ids(session, actor.user_id or 0)
        for needed in parse_ids(course.prerequisites):
            if needed not in finished:
                other = session.get(Course, needed)
                raise DomainError(f"Complete “{other.title if other else 'the prerequisite'}” first.")


def open_course(
    session: Session, actor: Actor, course_id: int, now: datetime | None = None, *, language: str = DEFAULT_LANGUAGE
) -> Player:
    """The player for a course in its variant for a reader of `language` (training/variants.py): the outline with
    my ticks and the lesson to resume at (the last one I was on); progress is the course's whatever the language.
    A partner's first opening enrols them (unique per person and course, so two tabs make one enrolment);
    a course whose prerequisites are not complete is refused with what to complete first."""
    course = course_for_learner(session, actor, course_id)
    check_prerequisites(session, actor, course)
    user_id = actor.user_id or 0
    structure = _ordered_lessons(session, course_id, sees_drafts(actor))
    lessons = [lesson for _, ls in structure for lesson in ls]
    done = done_lessons(session, user_id, lessons)
    enrolment = _enrollment(session, user_id, course_id) if actor.is_partner else None
    if actor.is_partner and enrolment is None:
        enrolment = Enrollment(user_id=user_id, course_id=course_id, started_at=now or utcnow())
        try:
            with savepoint(session):
                session.add(enrolment)
                session.flush()
        except IntegrityError:
            enrolment = _enrollment(session, user_id, course_id)
    ids = [lesson.lesson_id for lesson in lessons]
    shown = course_words(session, [course], language)[course_id]
    own = {} if shown.language == course.language else lesson_words(session, ids, shown.language)
    modules = tuple(
        OutlineModule(
            title,
            tuple(
                OutlineLesson(x.lesson_id, own.get(x.lesson_id, (x.title,))[0], x.kind, x.lesson_id in done) for x in ls
            ),
        )
        for title, ls in structure
    )
    return Player(
        course_id,
        shown.title,
        modules,
        resume_at(ids, done, enrolment.current_lesson_id if enrolment else None),
        len(done),
        len(ids),
        progress_percent(len(done), len(ids)),
        enrolment is not None and enrolment.completed_at is not None,
        shown.language,
        shown.languages,
    )


def _progress(session: Session, user_id: int, lesson_id: int) -> LessonProgress | None:
    return session.exec(
        select(LessonProgress).where(LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id)
    ).first()


def show_lesson(
    session: Session,
    actor: Actor,
    course_id: int,
    lesson_id: int,
    now: datetime | None = None,
    *,
    language: str = DEFAULT_LANGUAGE,
) -> LessonContent:
    """One lesson of a course for the player, in the course's variant for a reader of `language` (its own words
    where the variant gives none); it becomes the learner's resume point. NotFound when the lesson is not of that
    course or the course is out of reach."""
    course, lesson = lesson_for_learner(session, actor, lesson_id)
    if course.id != course_id:
        raise NotFound("lesson")
    check_prerequisites(session, actor, course)
    user_id = actor.user_id or 0
    ordered = lesson_order(session, course_id, sees_drafts(actor))
    index = [x.lesson_id for x in ordered].index(lesson_id)
    progress = _progress(session, user_id, lesson_id)
    done = progress is not None and progress.done_revision == lesson.revision
    scos = _scos(session, user_id, lesson)
    if scos and not done and actor.is_partner and all(completed for _, completed in scos):
        # every SCO completed though no single report saw them all (two at once; a package reports once)
        mark_done(session, actor, lesson, now or utcnow())
        progress, done = _progress(session, user_id, lesson_id), True
    changed = progress is not None and 0 < progress.done_revision != lesson.revision
    enrolment = _enrollment(session, user_id, course_id)
    if enrolment is not None:
        enrolment.current_lesson_id, enrolment.last_seen_at = lesson_id, now or utcnow()
        session.add(enrolment)
    shown = course_words(session, [course], language)[course_id]
    title, body = lesson.title, lesson.body
    if shown.language != course.language:
        title, translated = lesson_words(session, [lesson_id], shown.language).get(lesson_id, (title, ""))
        body = translated or body
    return LessonContent(
        lesson_id,
        title,
        lesson.kind,
        lesson_html(body) if lesson.kind == LessonKind.TEXT else "",
        bool(lesson.media_key),
        lesson.video_url,
        progress.position if progress and not changed else 0,
        lesson.scorm_package_id or 0,
        done,
        ordered[index - 1].lesson_id if index > 0 else None,
        ordered[index + 1].lesson_id if index + 1 < len(ordered) else None,
        changed,
        scos,
    )


def _scos(session: Session, user_id: int, lesson: LessonCopy) -> tuple[tuple[str, bool], ...]:
    if lesson.kind != LessonKind.SCORM or not lesson.scorm_package_id:
        return ()
    found = sco_progress(session, user_id, lesson.scorm_package_id, f"lesson:{lesson.lesson_id}")
    return tuple((s.title, s.completed) for s in found)


def save_position(session: Session, actor: Actor, lesson_id: int, seconds: int) -> None:
    """Keep the last second of a video I watched (sent every few seconds and when I leave). Partners only; a
    manager previewing leaves no trace."""
    course, lesson = lesson_for_learner(session, actor, lesson_id)
    check_prerequisites(session, actor, course)
    if not actor.is_partner or lesson.kind != LessonKind.VIDEO:
        return
    progress = _progress_row(session, actor.user_id or 0, lesson_id)
    progress.position = max(0, min(int(seconds), MAX_POSITION))
    session.add(progress)


def _progress_row(session: Session, user_id: int, lesson_id: int) -> LessonProgress:
    row = _progress(session, user_id, lesson_id)
    if row is None:
        row = LessonProgress(user_id=user_id, lesson_id=lesson_id)
        try:
            with savepoint(session):
                session.add(row)
                session.flush()
        except IntegrityError:
            row = _progress(session, user_id, lesson_id)
            if row is None:
                raise
    return row


def complete_lesson(session: Session, actor: Actor, lesson_id: int, now: datetime | None = None) -> bool:
    """Mark a reading, PDF or video lesson done (a quiz completes by being passed, a SCORM lesson by its SCO's
    report). Returns whether the course is now complete. Idempotent: a lesson done twice counts once."""
    course, lesson = lesson_for_learner(session, actor, lesson_id)
    check_prerequisites(session, actor, course)
    if lesson.kind in (LessonKind.QUIZ, LessonKind.SCORM):
        raise DomainError("This lesson completes by itself when you pass it.")
    if not actor.is_partner:
        return False
    return mark_done(session, actor, lesson, now or utcnow())


def mark_done(session: Session, actor: Actor, lesson: LessonCopy, now: datetime) -> bool:
    """The lesson done for the actor on its current revision (an engagement event the first time), and the course
    completed when it was the last (certifications checked then). Returns whether the course is complete."""
    user_id = actor.user_id or 0
    progress = _progress_row(session, user_id, lesson.lesson_id)
    if progress.done_revision != lesson.revision:
        progress.done_revision, progress.completed_at = lesson.revision, now
        session.add(progress)
        record_engagement(session, actor, "lesson_completed", "training_lesson", lesson.lesson_id)
    session.flush()
    lessons = lesson_order(session, lesson.course_id)
    enrolment = _enrollment(session, user_id, lesson.course_id)
    complete = len(done_lessons(session, user_id, lessons)) == len(lessons)
    if enrolment is not None and complete and enrolment.completed_at is None:
        enrolment.completed_at = now
        enrolment.seconds = max(enrolment.seconds, int((now - enrolment.started_at).total_seconds()))
        session.add(enrolment)
        session.flush()
        record_engagement(session, actor, "course_completed", "training_course", lesson.course_id)
        award_due(session, actor, now)  # the certificate follows the course, in the same unit of work
    return complete


def lesson_media(session: Session, actor: Actor, lesson_id: int) -> tuple[str, str]:
    """(media key, content type) of a video or PDF lesson the actor may open (the course's audience and its
    prerequisites, as the player checks them); NotFound or a DomainError otherwise."""
    course, lesson = lesson_for_learner(session, actor, lesson_id)
    check_prerequisites(session, actor, course)
    if not lesson.media_key:
        raise NotFound("lesson file")
    return lesson.media_key, lesson.media_type
