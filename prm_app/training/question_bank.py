"""A quiz's settings and question bank, the same for a quiz lesson (authoring.py) and a certification's standalone
final exam (exams.py): the checks on each setting and on an authored question, and where a new question goes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from prm_app.platform.db import saved_id
from prm_app.platform.errors import ValidationError
from prm_app.training.models import Question, Quiz
from prm_app.training.rules import validate_question

SETTING_RANGES = (
    ("pass_percent", 1, 100),
    ("max_attempts", 0, 20),
    ("time_limit_minutes", 0, 600),
    ("draw", 0, 200),
)


def set_quiz_settings(
    quiz: Quiz,
    pass_percent: int,
    max_attempts: int,
    time_limit_minutes: int,
    draw: int,
    shuffle: bool | None = None,
) -> None:
    """Pass mark (%), attempts (0 = unlimited), time limit in minutes (0 = none), questions drawn per attempt
    (0 = all), and whether each attempt shuffles its questions and their options (None: as it was).
    ValidationError names the field out of range; nothing changes then."""
    values = (pass_percent, max_attempts, time_limit_minutes, draw)
    for (name, low, high), value in zip(SETTING_RANGES, values, strict=True):
        if not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(f"Give a whole number from {low} to {high}.", name)
    quiz.pass_percent, quiz.max_attempts, quiz.time_limit_minutes, quiz.draw = values
    if shuffle is not None:
        quiz.shuffle = bool(shuffle)


def append_question(
    session: Session,
    quiz: Quiz,
    kind: str,
    prompt: str,
    options: list[str],
    answer: list[str],
    marks: int,
    explanation: str,
) -> int:
    """A checked question at the end of the quiz's bank (rules.validate_question; marks 1-100)."""
    stored_options, stored_answer = validate_question(kind, prompt, options, answer)
    if not 1 <= marks <= 100:
        raise ValidationError("Give marks from 1 to 100.", "marks")
    count = session.exec(select(func.count()).select_from(Question).where(Question.quiz_id == quiz.id)).one()
    question = Question(
        quiz_id=saved_id(quiz),
        position=count,
        kind=kind,
        prompt=prompt.strip()[:2000],
        options=json.dumps(stored_options),
        answer=json.dumps(stored_answer),
        marks=marks,
        explanation=explanation.strip()[:2000],
    )
    session.add(question)
    session.flush()
    return saved_id(question)


@dataclass(frozen=True)
class EditorQuestion:
    prompt: str
    kind: str
    options: tuple[str, ...]
    answer: str  # "1, 3" or "1000 ± 0"
    marks: int


def _answer_text(kind: str, answer: list) -> str:  # type: ignore[type-arg]
    return f"{answer[0]} ± {answer[1]}" if kind == "numeric" else ", ".join(str(i + 1) for i in answer)


def editor_questions(session: Session, quiz_id: int) -> tuple[EditorQuestion, ...]:
    """The quiz's bank as its editor shows it, right answers included (managers only)."""
    questions = session.exec(select(Question).where(Question.quiz_id == quiz_id).order_by(col(Question.position)))
    return tuple(
        EditorQuestion(
            q.prompt, q.kind, tuple(json.loads(q.options)), _answer_text(q.kind, json.loads(q.answer)), q.marks
        )
        for q in questions.all()
    )
