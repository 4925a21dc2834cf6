"""Training's pure rules: certificate validity (month-end safe), status and reminders; drawing a quiz paper and
grading answers; where a learner resumes and how far they are. No session, no I/O."""

from __future__ import annotations

import calendar
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from prm_app.platform.errors import ValidationError


class LessonKind(StrEnum):
    TEXT = "text"
    VIDEO = "video"
    PDF = "pdf"
    SCORM = "scorm"
    QUIZ = "quiz"


KIND_LABELS = {
    LessonKind.TEXT: "Reading",
    LessonKind.VIDEO: "Video",
    LessonKind.PDF: "PDF",
    LessonKind.SCORM: "Interactive (SCORM)",
    LessonKind.QUIZ: "Quiz",
}


class CourseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    NUMERIC = "numeric"


LEVELS = ("foundation", "intermediate", "advanced")
EXPIRING_DAYS = 60  # "expiring soon" from this many days before expiry, when the first reminder goes
REMINDER_DAYS = (60, 14)


# --- certificates ---------------------------------------------------------------------------------------------


def add_months(start: datetime, months: int) -> datetime:
    """`start` plus `months` calendar months, on the same day or the month's last day when it is shorter
    (29 Feb + 12 months = 28 Feb; 31 Jan + 1 month = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


class CertificateStatus(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


STATUS_LABELS = {
    CertificateStatus.VALID: "Valid",
    CertificateStatus.EXPIRING: "Expiring soon",
    CertificateStatus.EXPIRED: "Expired",
    CertificateStatus.REVOKED: "Revoked",
    CertificateStatus.SUPERSEDED: "Replaced by a renewal",
}


def certificate_status(
    expires_at: datetime, now: datetime, *, revoked: bool = False, superseded: bool = False
) -> CertificateStatus:
    """Revoked wins, then superseded (a renewal replaced it), then expired (from the expiry moment), then expiring
    soon (within EXPIRING_DAYS), else valid."""
    if revoked:
        return CertificateStatus.REVOKED
    if superseded:
        return CertificateStatus.SUPERSEDED
    if now >= expires_at:
        return CertificateStatus.EXPIRED
    if expires_at - now <= timedelta(days=EXPIRING_DAYS):
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID


def reminder_due(expires_at: datetime, now: datetime, sent: Sequence[str]) -> str | None:
    """The reminder ("60" or "14" days) due now and not sent yet, the nearest first; None when none is (a
    certificate already expired gets no reminder). One reminder per run: catching up sends only the latest."""
    if now >= expires_at:
        return None
    left = expires_at - now
    for days in sorted(REMINDER_DAYS):
        if left <= timedelta(days=days):
            return None if str(days) in sent else str(days)
    return None


# --- quizzes --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperQuestion:
    question_id: int
    option_order: tuple[int, ...]  # indexes into the question's options, in the order shown


def draw_paper(
    questions: Sequence[tuple[int, int]], draw: int, shuffle: bool, rng: random.Random
) -> list[PaperQuestion]:
    """An attempt's frozen paper from (question id, option count) pairs: `draw` questions at random (0 or more
    than there are: all), in random order with shuffled options when `shuffle`, else in bank order."""
    chosen = list(questions)
    if 0 < draw < len(chosen):
        picked = set(rng.sample(range(len(chosen)), draw))
        chosen = [q for i, q in enumerate(chosen) if i in picked]
    if shuffle:
        rng.shuffle(chosen)
    paper = []
    for question_id, count in chosen:
        order = list(range(count))
        if shuffle:
            rng.shuffle(order)
        paper.append(PaperQuestion(question_id, tuple(order)))
    return paper


def bank_choices(order: Sequence[int], given: Sequence[str]) -> list[str]:
    """The bank indexes of the options picked by their places on the paper (`order`: the paper's option order);
    a place that is no option of the question is kept as "-1", which no answer holds, so it still counts against."""
    picked = []
    for place in given:
        index = int(place) if place.isdigit() and int(place) < len(order) else -1
        picked.append(str(order[index]) if index >= 0 else "-1")
    return picked


def parse_number(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def is_correct(kind: str, answer: list, given: list[str]) -> bool:  # type: ignore[type-arg]
    """Whether `given` answers the question: single — the one right option; multiple — exactly the right set;
    numeric — within the tolerance of the value (answer = [value, tolerance] as strings)."""
    if kind == QuestionKind.NUMERIC:
        value = parse_number(given[0]) if len(given) == 1 else None
        return value is not None and abs(value - Decimal(str(answer[0]))) <= Decimal(str(answer[1]))
    try:
        picked = {int(g) for g in given}
    except ValueError:
        return False
    if kind == QuestionKind.SINGLE:
        return len(given) == 1 and picked == set(answer)
    return picked == set(answer) and len(given) == len(picked)


def percent_of(score: int, max_score: int) -> Decimal:
    if max_score <= 0:
        return Decimal(0)
    return (Decimal(score) * 100 / Decimal(max_score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def attempts_left(max_attempts: int, used: int) -> int | None:
    """None = unlimited."""
    return None if max_attempts == 0 else max(0, max_attempts - used)


def validate_question(kind: str, prompt: str, options: Sequence[str], answer: Sequence[str]) -> tuple[list, list]:  # type: ignore[type-arg]
    """Check an authored question; returns (options, answer) as stored. Raises ValidationError naming the field."""
    if kind not in set(QuestionKind):
        raise ValidationError("Choose a question type.", "kind")
    if not prompt.strip():
        raise ValidationError("Write the question.", "prompt")
    if kind == QuestionKind.NUMERIC:
        value = parse_number(answer[0] if answer else "")
        tolerance = parse_number(answer[1] if len(answer) > 1 and answer[1].strip() else "0")
        if value is None:
            raise ValidationError("Enter the correct number.", "answer")
        if tolerance is None or tolerance < 0:
            raise ValidationError("Enter a tolerance of 0 or more.", "tolerance")
        return [], [str(value), str(tolerance)]
    cleaned = [o.strip() for o in options if o.strip()]
    if len(cleaned) < 2:
        raise ValidationError("Give at least two options, one per line.", "options")
    try:
        right = sorted({int(a) - 1 for a in answer if a.strip()})
    except ValueError:
        raise ValidationError("Name the correct options by number (1, 2, …).", "answer") from None
    if not right or any(i < 0 or i >= len(cleaned) for i in right):
        raise ValidationError("Name the correct options by number (1, 2, …).", "answer")
    if kind == QuestionKind.SINGLE and len(right) != 1:
        raise ValidationError("A single-choice question has exactly one correct option.", "answer")
    return cleaned, right


# --- progress -------------------------------------------------------------------------------------------------


def resume_at(lesson_ids: Sequence[int], done: set[int], current: int | None) -> int | None:
    """Where the player opens: the lesson the learner was last on when it is still in the course, else the first
    lesson not done, else the first lesson (a finished course opens for review at the start)."""
    if current in lesson_ids:
        return current
    return next((i for i in lesson_ids if i not in done), lesson_ids[0] if lesson_ids else None)


def progress_percent(done: int, total: int) -> int:
    return 0 if total <= 0 else min(100, round(done * 100 / total))


def parse_ids(text: str) -> list[int]:
    return [int(p) for p in text.split(",") if p.strip().isdigit()]
