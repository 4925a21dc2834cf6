"""Published lesson copies: learners see the course as it was last published, managers edit a draft.

A manager's edits change the Lesson rows (and a quiz lesson's settings and question bank); publishing copies each
lesson into its LessonCopy (content, place in the course, module title, and for a quiz its settings and the ids of
its questions). Learners read copies only (`live_lessons(draft=False)`): a lesson added since the last version is
not in their course yet, an edited one shows its published text, video or package until the next version. Managers
previewing in the player see the draft (`draft=True`), built the same shape from the Lesson rows and never saved.

Files: a video or PDF replaced in the draft stays on disk while a copy still shows it; publishing releases it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from prm_app.platform.db import saved_id
from prm_app.training.models import CourseModule, Lesson, LessonCopy, Question, Quiz
from prm_app.training.rules import LessonKind

COPIED = (
    *("course_id", "module_id", "position", "title", "kind", "body", "media_key", "media_type", "video_url"),
    *("scorm_package_id", "minutes", "revision"),
)


@dataclass(frozen=True)
class QuizRules:
    """A quiz's settings as learners take it: the published ones for a lesson's quiz, the live ones for a final
    exam. `question_ids`: the questions an attempt draws from (None: the whole bank as it is now)."""

    pass_percent: int
    max_attempts: int
    time_limit_minutes: int
    draw: int
    shuffle: bool
    question_ids: tuple[int, ...] | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "pass_percent": self.pass_percent,
                "max_attempts": self.max_attempts,
                "time_limit_minutes": self.time_limit_minutes,
                "draw": self.draw,
                "shuffle": self.shuffle,
                "questions": list(self.question_ids or ()),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> QuizRules:
        data: dict[str, Any] = json.loads(text)
        return cls(
            int(data["pass_percent"]),
            int(data["max_attempts"]),
            int(data["time_limit_minutes"]),
            int(data["draw"]),
            bool(data["shuffle"]),
            tuple(int(i) for i in data["questions"]),
        )


def quiz_rules(quiz: Quiz, question_ids: tuple[int, ...] | None = None) -> QuizRules:
    return QuizRules(
        quiz.pass_percent, quiz.max_attempts, quiz.time_limit_minutes, quiz.draw, quiz.shuffle, question_ids
    )


def _quiz_snapshot(session: Session, lesson: Lesson) -> str:
    if lesson.kind != LessonKind.QUIZ:
        return ""
    quiz = session.exec(select(Quiz).where(Quiz.lesson_id == lesson.id)).first()
    if quiz is None:
        return ""
    ids = session.exec(select(Question.id).where(Question.quiz_id == quiz.id).order_by(col(Question.position))).all()
    return quiz_rules(quiz, tuple(i or 0 for i in ids)).to_json()


def _draft_values(session: Session, lesson: Lesson, module: CourseModule) -> dict[str, Any]:
    values = {name: getattr(lesson, name) for name in COPIED}
    values.update(module_position=module.position, module_title=module.title, quiz=_quiz_snapshot(session, lesson))
    return values


def _course_draft(session: Session, course_id: int) -> list[tuple[Lesson, dict[str, Any]]]:
    modules = {m.id: m for m in session.exec(select(CourseModule).where(CourseModule.course_id == course_id)).all()}
    lessons = session.exec(select(Lesson).where(Lesson.course_id == course_id)).all()
    return [(x, _draft_values(session, x, modules[x.module_id])) for x in lessons if x.module_id in modules]


def _ordered(copies: list[LessonCopy]) -> list[LessonCopy]:
    return sorted(copies, key=lambda c: (c.module_position, c.position, c.lesson_id))


def publish_copies(session: Session, course_id: int) -> list[str]:
    """Copy every lesson of the course as it is now into its published copy (revisions already settled by the
    caller). Returns the media keys the old copies showed that nothing holds any more (to delete after commit)."""
    copies = {c.lesson_id: c for c in session.exec(select(LessonCopy).where(LessonCopy.course_id == course_id))}
    before = {c.media_key for c in copies.values() if c.media_key}
    for lesson, values in _course_draft(session, course_id):
        copy = copies.get(saved_id(lesson)) or LessonCopy(lesson_id=saved_id(lesson), **values)
        for name, value in values.items():
            setattr(copy, name, value)
        session.add(copy)
    session.flush()
    return sorted(key for key in before if not media_in_use(session, key))


CONTENT = ("kind", "body", "media_key", "media_type", "video_url", "scorm_package_id")  # what taking it means


def same_as_published(session: Session, lesson: Lesson) -> bool:
    """Whether the draft lesson's content is what learners were shown (an edit undone, a package chosen and then
    chosen back): publishing keeps everyone's progress on it. The quiz of a quiz lesson by its questions."""
    copy = session.exec(select(LessonCopy).where(LessonCopy.lesson_id == lesson.id)).first()
    if copy is None or any(getattr(copy, name) != getattr(lesson, name) for name in CONTENT):
        return False
    draft = _quiz_snapshot(session, lesson)
    return (QuizRules.from_json(copy.quiz).question_ids if copy.quiz else None) == (
        QuizRules.from_json(draft).question_ids if draft else None
    )


def live_lessons(session: Session, course_id: int, draft: bool) -> list[LessonCopy]:
    """The course's lessons in order as a learner sees them (the published copies) or, `draft`, as the manager's
    draft stands (unsaved copies made from the lessons)."""
    if draft:
        drafted = _course_draft(session, course_id)
        return _ordered([LessonCopy(lesson_id=saved_id(x), **values) for x, values in drafted])
    return _ordered(list(session.exec(select(LessonCopy).where(LessonCopy.course_id == course_id)).all()))


def live_lesson(session: Session, lesson_id: int, draft: bool) -> LessonCopy | None:
    """One lesson as a learner sees it (None before it is first published) or, `draft`, as it stands."""
    if not draft:
        return session.exec(select(LessonCopy).where(LessonCopy.lesson_id == lesson_id)).first()
    lesson = session.get(Lesson, lesson_id)
    module = session.get(CourseModule, lesson.module_id) if lesson is not None else None
    if lesson is None or module is None:
        return None
    return LessonCopy(lesson_id=lesson_id, **_draft_values(session, lesson, module))


def unpublished_lessons(session: Session, course_id: int) -> set[int]:
    """The lessons whose draft differs from what learners see (or that learners do not see yet)."""
    copies = {c.lesson_id: c for c in session.exec(select(LessonCopy).where(LessonCopy.course_id == course_id))}
    changed = set()
    for lesson, values in _course_draft(session, course_id):
        copy = copies.get(saved_id(lesson))
        if copy is None or lesson.content_changed or any(getattr(copy, k) != v for k, v in values.items()):
            changed.add(saved_id(lesson))
    return changed


def media_in_use(session: Session, key: str) -> bool:
    """Whether a lesson (draft) or a published copy still shows the file `key`."""
    if session.exec(select(Lesson.id).where(Lesson.media_key == key)).first() is not None:
        return True
    return session.exec(select(LessonCopy.id).where(LessonCopy.media_key == key)).first() is not None
