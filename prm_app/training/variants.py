"""A course in several languages: the training team gives a course its title and summary in another language and
its lessons' titles and reading texts; a learner reads the course in their language, else English, else the
course's own (platform/variants.py's rule), and may switch to another the course has.

One course whatever the language: the structure, the quizzes, the enrolment and the progress are the course's, so a
German and an English learner complete the same course and earn the same certificate. A lesson without words in a
variant's language shows its own. Translations are read at once (no new course version: the content is the same)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.variants import VariantText, check_variant, variant_language
from prm_app.training.models import Course, CourseModule, CourseVariant, Lesson, LessonVariant
from prm_app.training.rules import LessonKind


@dataclass(frozen=True)
class LessonWords:
    lesson_id: int
    kind: str
    own_title: str
    title: str  # in the variant's language, "" when not given
    body: str  # reading lessons only


@dataclass(frozen=True)
class CourseLanguage:
    language: str
    title: str
    summary: str
    lessons: tuple[LessonWords, ...]


@dataclass(frozen=True)
class CourseVariants:
    course_id: int
    title: str
    own_language: str
    variants: tuple[CourseLanguage, ...]
    lessons: tuple[LessonWords, ...]  # the course's lessons in order, with their own words (for a new variant)

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.own_language, *(v.language for v in self.variants))


def _managed(session: Session, actor: Actor, course_id: int) -> Course:
    actor.require(Permission.MANAGE_TRAINING)
    course = session.get(Course, course_id) if isinstance(course_id, int) else None
    if course is None:
        raise NotFound("course")
    return course


def _lessons(session: Session, course_id: int) -> list[Lesson]:
    ordered = (
        select(Lesson)
        .join(CourseModule, col(CourseModule.id) == Lesson.module_id)
        .where(Lesson.course_id == course_id)
        .order_by(col(CourseModule.position), col(CourseModule.id), col(Lesson.position), col(Lesson.id))
    )
    return list(session.exec(ordered).all())


def course_variants(session: Session, actor: Actor, course_id: int) -> CourseVariants:
    """The course's languages for the training team: its own, then each variant with its lessons' words."""
    course = _managed(session, actor, course_id)
    lessons = _lessons(session, saved_id(course))
    rows = session.exec(
        select(CourseVariant).where(CourseVariant.course_id == course.id).order_by(col(CourseVariant.language))
    ).all()
    words = session.exec(select(LessonVariant).where(LessonVariant.course_id == course.id)).all()
    by_key = {(w.lesson_id, w.language): w for w in words}

    def lesson_words(language: str) -> tuple[LessonWords, ...]:
        found = [(x, by_key.get((saved_id(x), language))) for x in lessons]
        return tuple(
            LessonWords(saved_id(x), x.kind, x.title, w.title if w else "", w.body if w else "") for x, w in found
        )

    own = tuple(LessonWords(saved_id(x), x.kind, x.title, x.title, x.body) for x in lessons)
    variants = tuple(CourseLanguage(v.language, v.title, v.summary, lesson_words(v.language)) for v in rows)
    return CourseVariants(saved_id(course), course.title, course.language, variants, own)


def save_course_variant(
    session: Session, actor: Actor, course_id: int, data: VariantText, lessons: Mapping[int, tuple[str, str]]
) -> None:
    """Add the course's variant in `data.language`, or change it (one per language), with its lessons' words
    (`lessons`: lesson id -> (title, text); a blank title leaves that lesson in its own words). FormInvalid by
    field: the variant's, and "lesson-<id>" for a lesson title too long."""
    course = _managed(session, actor, course_id)
    clean = check_variant(data, course.language)
    mine = {saved_id(x): x for x in _lessons(session, saved_id(course))}
    long = {f"lesson-{i}": "Keep a lesson title under 160 characters." for i, (t, _) in lessons.items() if len(t) > 160}
    if long:
        raise FormInvalid(long)
    row = session.exec(
        select(CourseVariant).where(CourseVariant.course_id == course.id, CourseVariant.language == clean.language)
    ).first()
    added = row is None
    row = row or CourseVariant(course_id=saved_id(course), language=clean.language, title=clean.title)
    row.title, row.summary, row.updated_at = clean.title, clean.description, utcnow()
    session.add(row)
    existing = {
        w.lesson_id: w
        for w in session.exec(
            select(LessonVariant).where(LessonVariant.course_id == course.id, LessonVariant.language == clean.language)
        ).all()
    }
    for lesson_id, (title, body) in lessons.items():
        lesson, words = mine.get(lesson_id), existing.get(lesson_id)
        if lesson is None:
            continue  # not this course's: ignored, never another course's lesson
        if not title.strip():
            if words is not None:
                session.delete(words)
            continue
        words = words or LessonVariant(
            lesson_id=lesson_id, course_id=saved_id(course), language=clean.language, title=title
        )
        words.title = title.strip()
        words.body = body.strip()[:100_000] if lesson.kind == LessonKind.TEXT else ""
        session.add(words)
    session.flush()
    action = "training.variant_added" if added else "training.variant_changed"
    audit(session, actor, action, "training_course", course.id, language=clean.language)


def remove_course_variant(session: Session, actor: Actor, course_id: int, language: str) -> None:
    """Remove the course's variant in `language` and its lessons' words; its readers get the fallback from now on.
    Progress is the course's and stays. NotFound when it has none."""
    course = _managed(session, actor, course_id)
    row = session.exec(
        select(CourseVariant).where(CourseVariant.course_id == course.id, CourseVariant.language == language[:8])
    ).first()
    if row is None:
        raise NotFound("language version")
    for words in session.exec(
        select(LessonVariant).where(LessonVariant.course_id == course.id, LessonVariant.language == row.language)
    ).all():
        session.delete(words)
    session.delete(row)
    audit(session, actor, "training.variant_removed", "training_course", course.id, language=row.language)


# --- what learners read ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseWords:
    language: str  # the variant read
    languages: tuple[str, ...]  # every language the course has, its own first
    title: str
    summary: str


def course_words(session: Session, courses: Iterable[Course], wanted: str) -> dict[int, CourseWords]:
    """Each course's title and summary for a reader in `wanted` (the fallback rule), in one query."""
    courses = list(courses)
    ids = [c.id for c in courses]
    rows = session.exec(select(CourseVariant).where(col(CourseVariant.course_id).in_(ids))).all() if ids else []
    by_course: dict[int, dict[str, CourseVariant]] = {}
    for v in rows:
        by_course.setdefault(v.course_id, {})[v.language] = v
    out = {}
    for c in courses:
        mine = by_course.get(saved_id(c), {})
        languages = (c.language, *sorted(mine))
        chosen = variant_language(wanted, languages, c.language)
        v = mine.get(chosen)
        out[saved_id(c)] = CourseWords(chosen, languages, v.title if v else c.title, v.summary if v else c.summary)
    return out


def lesson_words(session: Session, lesson_ids: Iterable[int], language: str) -> dict[int, tuple[str, str]]:
    """(title, text) of the lessons given in `language`; a lesson without words in it is not in the answer."""
    ids = list(lesson_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(LessonVariant).where(col(LessonVariant.lesson_id).in_(ids), LessonVariant.language == language)
    ).all()
    return {w.lesson_id: (w.title, w.body) for w in rows}
