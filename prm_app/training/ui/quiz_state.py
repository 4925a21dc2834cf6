"""What a quiz shows, shared by the course player (a quiz lesson) and the final exam page: the summary's texts,
the attempt's paper (questions and options only: which are right stays on the server), the answers read from
the submitted form, and the result. Each state keeps the same var names, so ui/quiz_parts.py draws either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from prm_app.training.quizzes import Paper, QuizSummary, Result
from prm_app.web import format as fmt


@dataclass(frozen=True)
class Choice:
    value: str
    text: str


@dataclass(frozen=True)
class PaperQuestion:
    id: int
    number: int
    prompt: str
    kind: str
    marks_text: str
    choices: list[Choice]


@dataclass(frozen=True)
class FeedbackLine:
    number: int
    prompt: str
    correct: bool
    explanation: str


def summary_texts(s: QuizSummary) -> dict[str, Any]:
    """The summary's vars: what it asks, the attempts left, whether and how it may start, a note on the outcome."""
    limit = "unlimited attempts" if s.left is None else f"{fmt.plural(s.left, 'attempt')} left"
    timing = f"; {s.time_limit_minutes} minutes per attempt" if s.time_limit_minutes else ""
    best = f" Your best: {s.best_percent}%." if s.best_percent else ""
    if s.passed:
        note = "You passed this quiz." + best
    else:
        note = ("You have used every attempt." + best) if s.left == 0 else best.strip()
    return {
        "quiz_intro": f"{fmt.plural(s.questions, 'question')}; pass mark {s.pass_percent}%.",
        "quiz_rules": f"{limit}{timing}.",
        "quiz_can_start": not s.passed and (s.left is None or s.left > 0),
        "quiz_start_label": "Resume the quiz" if s.open_attempt else ("Try again" if s.used else "Start the quiz"),
        "quiz_note": note,
    }


def paper_lines(paper: Paper, zone: tzinfo) -> tuple[list[PaperQuestion], str]:
    """The attempt's questions as the form shows them, and its deadline ("" when untimed)."""
    lines = [
        PaperQuestion(
            i.question_id,
            i.number,
            i.prompt,
            i.kind,
            fmt.plural(i.marks, "mark"),
            [Choice(o.value, o.text) for o in i.options],
        )
        for i in paper.items
    ]
    return lines, (f"Submit by {fmt.moment(paper.deadline, zone)}." if paper.deadline else "")


def answers_from_form(form: dict) -> dict[str, list[str]]:
    """question id -> the chosen option indexes or the number typed, from the fields q<id> (single choice,
    number) and q<id>_<option> (a ticked box of a multiple-choice question)."""
    answers: dict[str, list[str]] = {}
    for name, value in list(form.items())[:200]:
        parts = str(name).split("_")
        if not parts[0].startswith("q") or not parts[0][1:].isdigit():
            continue
        given = parts[1] if len(parts) == 2 else str(value)
        if given.strip():
            answers.setdefault(parts[0][1:], []).append(given.strip()[:40])
    return answers


def result_texts(result: Result) -> tuple[str, bool, list[FeedbackLine]]:
    if result.late:
        title = "Time ran out: this attempt counts as not passed."
    else:
        verdict = "Passed" if result.passed else "Not passed"
        title = f"{verdict}: {result.percent}% ({result.score} of {result.max_score})"
    feedback = [FeedbackLine(f.number, f.prompt, f.correct, f.explanation) for f in result.feedback]
    return title, result.passed, feedback
