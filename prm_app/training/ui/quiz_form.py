"""Reading a quiz's settings form and new-question form, the same for a quiz lesson's editor and a standalone
final exam's: whole numbers checked (a ValidationError naming the field), options one per line, the correct
options by number or, for a numeric question, the value and its tolerance."""

from __future__ import annotations

from dataclasses import dataclass

from prm_app.platform.errors import ValidationError
from prm_app.training.question_bank import EditorQuestion

QUESTION_KINDS = [("single", "Single choice"), ("multiple", "Multiple choice"), ("numeric", "Number")]


@dataclass(frozen=True)
class QuestionLine:
    prompt: str
    kind: str
    options: list[str]
    answer: str
    marks: int


def question_lines(questions: tuple[EditorQuestion, ...]) -> list[QuestionLine]:
    return [QuestionLine(q.prompt, q.kind, list(q.options), q.answer, q.marks) for q in questions]


def whole_number(form: dict, name: str) -> int:
    raw = str(form.get(name, "") or "0").strip()
    if not raw.isdigit():
        raise ValidationError("Give a whole number.", name)
    return int(raw[:6])


def settings_from_form(form: dict) -> tuple[int, int, int, int, bool]:
    """(pass mark, attempts, time limit in minutes, questions per attempt, shuffled)."""
    return (
        whole_number(form, "pass_percent"),
        whole_number(form, "max_attempts"),
        whole_number(form, "time_limit_minutes"),
        whole_number(form, "draw"),
        form.get("shuffle") in ("on", True),
    )


def question_from_form(form: dict) -> tuple[str, str, list[str], list[str], int, str]:
    """(kind, prompt, options, answer, marks, explanation) as the services take them."""
    options = str(form.get("options", ""))[:4000].splitlines()
    answer = [a for a in str(form.get("answer", ""))[:200].replace(";", ",").split(",")]
    if form.get("kind") == "numeric":
        answer = [str(form.get("answer", ""))[:40], str(form.get("tolerance", ""))[:40]]
    return (
        str(form.get("kind", "")),
        str(form.get("prompt", ""))[:2000],
        options,
        answer,
        whole_number(form, "marks"),
        str(form.get("explanation", ""))[:2000],
    )
