"""Standalone final exams: a quiz that belongs to no lesson, authored by managers for certifications (chosen as a
certification's final exam in certification_admin.py). Its question bank, marks, pass mark, attempts, time limit
and the number of questions drawn per attempt work as a quiz lesson's (question_bank.py); learners take it at
/learn/exam/<id> once a certification's courses are done (quizzes.py). An exam is not published with a course:
its settings and questions apply from the next attempt started. Every use case needs MANAGE_TRAINING."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.training.models import Certification, Question, Quiz
from prm_app.training.question_bank import EditorQuestion, append_question, editor_questions, set_quiz_settings


@dataclass(frozen=True)
class ExamRow:
    id: int
    title: str
    questions: int
    pass_percent: int
    max_attempts: int
    time_limit_minutes: int
    draw: int
    certifications: tuple[str, ...]  # the certifications it is the final exam of


@dataclass(frozen=True)
class ExamEditor:
    id: int
    title: str
    pass_percent: int
    max_attempts: int
    time_limit_minutes: int
    draw: int
    questions: tuple[EditorQuestion, ...]
    shuffle: bool = True


def _exam(session: Session, actor: Actor, quiz_id: int) -> Quiz:
    actor.require(Permission.MANAGE_TRAINING)
    quiz = session.get(Quiz, quiz_id) if isinstance(quiz_id, int) and not isinstance(quiz_id, bool) else None
    if quiz is None or quiz.lesson_id is not None:  # a lesson's quiz is edited (and published) with its course
        raise NotFound("exam")
    return quiz


def _title(title: str) -> str:
    if not title.strip():
        raise ValidationError("Give the exam a title.", "title")
    return title.strip()[:160]


def exam_rows(session: Session, actor: Actor) -> list[ExamRow]:
    """Every standalone exam by title, with its size and settings and the certifications using it."""
    actor.require(Permission.MANAGE_TRAINING)
    exams = session.exec(select(Quiz).where(col(Quiz.lesson_id).is_(None)).order_by(col(Quiz.title))).all()
    counts = dict(
        session.exec(
            select(Question.quiz_id, func.count(col(Question.id)))
            .where(col(Question.quiz_id).in_([e.id for e in exams]))
            .group_by(col(Question.quiz_id))
        ).all()
    )
    used: dict[int, list[str]] = {}
    for quiz_id, name in session.exec(
        select(Certification.final_quiz_id, Certification.name).where(col(Certification.final_quiz_id).is_not(None))
    ).all():
        used.setdefault(quiz_id or 0, []).append(name)
    rows = []
    for e in exams:
        names = tuple(sorted(used.get(saved_id(e), [])))
        settings = (e.pass_percent, e.max_attempts, e.time_limit_minutes, e.draw)
        rows.append(ExamRow(saved_id(e), e.title, counts.get(saved_id(e), 0), *settings, names))
    return rows


def create_exam(session: Session, actor: Actor, title: str) -> int:
    """A new exam with no questions yet: 70% to pass, 3 attempts, no time limit, every question each attempt."""
    actor.require(Permission.MANAGE_TRAINING)
    quiz = Quiz(lesson_id=None, title=_title(title), pass_percent=70, max_attempts=3, time_limit_minutes=0, draw=0)
    session.add(quiz)
    session.flush()
    audit(session, actor, "create_exam", "training_quiz", quiz.id, title=quiz.title)
    return saved_id(quiz)


def exam_editor(session: Session, actor: Actor, quiz_id: int) -> ExamEditor:
    quiz = _exam(session, actor, quiz_id)
    return ExamEditor(
        saved_id(quiz), quiz.title, quiz.pass_percent, quiz.max_attempts, quiz.time_limit_minutes, quiz.draw,
        editor_questions(session, saved_id(quiz)), quiz.shuffle,
    )  # fmt: skip


def update_exam(
    session: Session,
    actor: Actor,
    quiz_id: int,
    title: str,
    pass_percent: int,
    max_attempts: int,
    time_limit_minutes: int,
    draw: int,
    shuffle: bool | None = None,
) -> None:
    """Save the exam's title and settings (question_bank.set_quiz_settings says what each may be)."""
    quiz = _exam(session, actor, quiz_id)
    quiz.title = _title(title)
    set_quiz_settings(quiz, pass_percent, max_attempts, time_limit_minutes, draw, shuffle)
    session.add(quiz)
    audit(session, actor, "update_exam", "training_quiz", quiz.id, pass_percent=pass_percent, draw=draw)


def add_exam_question(
    session: Session,
    actor: Actor,
    quiz_id: int,
    kind: str,
    prompt: str,
    options: list[str],
    answer: list[str],
    marks: int,
    explanation: str,
) -> int:
    quiz = _exam(session, actor, quiz_id)
    question_id = append_question(session, quiz, kind, prompt, options, answer, marks, explanation)
    audit(session, actor, "add_exam_question", "training_quiz", quiz.id, question=question_id)
    return question_id
