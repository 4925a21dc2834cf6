"""What a quiz shows, shared by the course player (a quiz lesson) and the final exam page: the summary's texts,
the attempt's paper (questions and options only: which are right stays on the server), the answers read from
the submitted form, and the result. Each state keeps the same var names, so ui/quiz_parts.py draws either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from prm_app.platform.i18n import DEFAULT_LANGUAGE, Catalogue, catalogue
from prm_app.training.quizzes import Paper, QuizSummary, Result
from prm_app.web import format as fmt

ENGLISH = catalogue(DEFAULT_LANGUAGE)


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


def summary_texts(s: QuizSummary, words: Catalogue = ENGLISH) -> dict[str, Any]:
    """The summary's vars in the reader's words: what it asks, the attempts left, whether and how it may start, a
    note on the outcome."""
    limit = (
        words.text("training.unlimited_attempts") if s.left is None else words.plural("training.attempts_left", s.left)
    )
    timing = "; " + words.plural("training.minutes_per_attempt", s.time_limit_minutes) if s.time_limit_minutes else ""
    best = " " + words.text("training.your_best", percent=s.best_percent) if s.best_percent else ""
    if s.passed:
        note = words.text("training.quiz_passed") + best
    else:
        note = (words.text("training.attempts_used") + best) if s.left == 0 else best.strip()
    start = "training.resume_quiz" if s.open_attempt else ("training.try_again" if s.used else "training.start_quiz")
    return {
        "quiz_intro": words.plural("training.quiz_intro", s.questions, percent=s.pass_percent),
        "quiz_rules": f"{limit}{timing}.",
        "quiz_can_start": not s.passed and (s.left is None or s.left > 0),
        "quiz_start_label": words.text(start),
        "quiz_note": note,
    }


def paper_lines(paper: Paper, zone: tzinfo, words: Catalogue = ENGLISH) -> tuple[list[PaperQuestion], str]:
    """The attempt's questions as the form shows them, and its deadline ("" when untimed), in the reader's words."""
    lines = [
        PaperQuestion(
            i.question_id,
            i.number,
            i.prompt,
            i.kind,
            words.plural("training.marks", i.marks),
            [Choice(o.value, o.text) for o in i.options],
        )
        for i in paper.items
    ]
    if not paper.deadline:
        return lines, ""
    return lines, words.text("training.submit_by", when=fmt.moment(paper.deadline, zone, language=words.language))


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


def result_texts(result: Result, words: Catalogue = ENGLISH) -> tuple[str, bool, list[FeedbackLine]]:
    if result.late:
        title = words.text("training.time_ran_out")
    else:
        verdict = "training.result_passed" if result.passed else "training.result_not_passed"
        title = words.text(verdict, percent=result.percent, score=result.score, max=result.max_score)
    feedback = [FeedbackLine(f.number, f.prompt, f.correct, f.explanation) for f in result.feedback]
    return title, result.passed, feedback
