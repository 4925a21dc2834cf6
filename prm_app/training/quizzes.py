"""Quizzes graded on the server. An attempt is created when it starts, with its frozen paper (the questions drawn,
their order and their options' order) and its deadline; the browser gets the questions and options, never which
are right, until the attempt is submitted. One open attempt per person per quiz (QuizAttempt.open_slot is unique):
a second tab resumes the same attempt, it cannot start another; the attempts limit counts submitted attempts;
a submission after the deadline is refused and the attempt closed. Explanations show once the person passed or
has no attempt left."""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from prm_app.platform.access import Actor
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, NotFound
from prm_app.training.certificates import award_due, exam_course_ids, renewable_since
from prm_app.training.learning import check_prerequisites, mark_done
from prm_app.training.models import (
    Enrollment,
    Lesson,
    LessonProgress,
    Question,
    QuestionResult,
    Quiz,
    QuizAttempt,
)
from prm_app.training.published import QuizRules, live_lesson, quiz_rules
from prm_app.training.rules import QuestionKind, attempts_left, bank_choices, draw_paper, is_correct, percent_of
from prm_app.training.visibility import course_for_learner, lesson_for_learner

GRACE = timedelta(seconds=20)  # a submission in flight when the time ran out still counts


@dataclass(frozen=True)
class QuizSummary:
    quiz_id: int
    title: str
    questions: int  # per attempt
    pass_percent: int
    max_attempts: int  # 0 = unlimited
    used: int
    left: int | None  # None = unlimited
    time_limit_minutes: int
    passed: bool
    best_percent: str  # "" before any attempt
    open_attempt: bool


@dataclass(frozen=True)
class PaperOption:
    # Its place on this attempt's paper (0, 1, … as shown), as the form sends it back; never its index in the bank,
    # which authors tend to fill right answer first (the seed's are mostly option 0): that would tell the answer.
    value: str
    text: str


@dataclass(frozen=True)
class PaperItem:
    question_id: int
    number: int
    prompt: str
    kind: str
    marks: int
    options: tuple[PaperOption, ...]


@dataclass(frozen=True)
class Paper:
    attempt_id: int
    number: int
    deadline: datetime | None
    items: tuple[PaperItem, ...]


@dataclass(frozen=True)
class Feedback:
    number: int
    prompt: str
    correct: bool
    explanation: str  # "" unless explanations are shown


@dataclass(frozen=True)
class Result:
    score: int
    max_score: int
    percent: str
    passed: bool
    left: int | None
    feedback: tuple[Feedback, ...]
    late: bool = False  # time ran out: closed as not passed, nothing graded


def _quiz_of_lesson(session: Session, actor: Actor, lesson_id: int) -> Quiz:
    _course, lesson = lesson_for_learner(session, actor, lesson_id)
    quiz = session.exec(select(Quiz).where(Quiz.lesson_id == lesson.lesson_id)).first()
    if quiz is None:
        raise NotFound("quiz")
    return quiz


def reachable_quiz(session: Session, actor: Actor, quiz_id: int) -> tuple[Quiz, QuizRules]:
    """The quiz if the actor may take it, with its rules as the actor takes it (a lesson's quiz as published, or
    as drafted for a manager's preview; a final exam as it stands): a lesson's quiz through its course's audience
    and prerequisites, a final exam through the audience of one of its certification's courses. NotFound otherwise
    (a DomainError naming the prerequisite for a lesson's quiz whose course is not open to the person yet)."""
    quiz = session.get(Quiz, quiz_id) if isinstance(quiz_id, int) else None
    if quiz is None:
        raise NotFound("quiz")
    if quiz.lesson_id is not None:
        course, lesson = lesson_for_learner(session, actor, quiz.lesson_id)
        check_prerequisites(session, actor, course)  # as the player does: the quiz by id is no way around them
        return quiz, QuizRules.from_json(lesson.quiz) if lesson.quiz else quiz_rules(quiz)
    for course_id in exam_course_ids(session, saved_id(quiz)):
        try:
            course_for_learner(session, actor, course_id)
            return quiz, quiz_rules(quiz)
        except NotFound:
            continue
    raise NotFound("quiz")


def _counting_since(session: Session, quiz_id: int, user_id: int) -> datetime | None:
    """From when a person's attempts at a quiz count: a lesson's quiz since they (re)started its course (a renewal
    that retakes every course starts them again), a final exam since the certificate up for renewal was issued."""
    quiz = session.get(Quiz, quiz_id)
    lesson = session.get(Lesson, quiz.lesson_id) if quiz is not None and quiz.lesson_id is not None else None
    if lesson is not None:
        started = session.exec(
            select(Enrollment.started_at).where(Enrollment.user_id == user_id, Enrollment.course_id == lesson.course_id)
        ).first()
        return max((t for t in (started, _redone_since(session, user_id, saved_id(lesson))) if t), default=None)
    return renewable_since(session, user_id, quiz_id, utcnow())


def _redone_since(session: Session, user_id: int, lesson_id: int) -> datetime | None:
    """When the person completed an earlier version of a quiz lesson that a new version changed (they take it
    again, learning.show_lesson says so): the attempts at that version do not count against this one."""
    progress = session.exec(
        select(LessonProgress).where(LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id)
    ).first()
    copy = live_lesson(session, lesson_id, draft=False)
    if progress is None or copy is None or not 0 < progress.done_revision != copy.revision:
        return None
    return progress.completed_at


def _submitted(session: Session, quiz_id: int, user_id: int) -> list[QuizAttempt]:
    """The person's submitted attempts that count now (see _counting_since)."""
    since = _counting_since(session, quiz_id, user_id)
    query = select(QuizAttempt).where(
        QuizAttempt.quiz_id == quiz_id, QuizAttempt.user_id == user_id, col(QuizAttempt.submitted_at).is_not(None)
    )
    if since is not None:
        query = query.where(QuizAttempt.started_at >= since)
    return list(session.exec(query.order_by(col(QuizAttempt.number))).all())


def _attempt_count(session: Session, quiz_id: int, user_id: int) -> int:
    query = select(func.count()).select_from(QuizAttempt)
    return session.exec(query.where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.user_id == user_id)).one()


def _open(session: Session, quiz_id: int, user_id: int) -> QuizAttempt | None:
    return session.exec(select(QuizAttempt).where(QuizAttempt.open_slot == f"{user_id}:{quiz_id}")).first()


def _bank(session: Session, quiz: Quiz, rules: QuizRules) -> list[Question]:
    """The questions an attempt draws from: the published ones of a lesson's quiz, a final exam's whole bank."""
    query = select(Question).where(Question.quiz_id == quiz.id)
    if rules.question_ids is not None:
        query = query.where(col(Question.id).in_(rules.question_ids))
    return list(session.exec(query.order_by(col(Question.position))).all())


def _question_count(session: Session, quiz: Quiz, rules: QuizRules) -> int:
    total = len(_bank(session, quiz, rules))
    return min(total, rules.draw) if rules.draw else total


def quiz_summary(session: Session, actor: Actor, quiz_id: int) -> QuizSummary:
    quiz, rules = reachable_quiz(session, actor, quiz_id)
    user_id = actor.user_id or 0
    done = _submitted(session, quiz_id, user_id)
    best = max((a.percent for a in done), default=None)
    return QuizSummary(
        quiz_id,
        quiz.title,
        _question_count(session, quiz, rules),
        rules.pass_percent,
        rules.max_attempts,
        len(done),
        attempts_left(rules.max_attempts, len(done)),
        rules.time_limit_minutes,
        any(a.passed for a in done),
        "" if best is None else f"{best}",
        (attempt := _open(session, quiz_id, user_id)) is not None and not _ran_out(attempt, utcnow()),
    )


def lesson_quiz_id(session: Session, actor: Actor, lesson_id: int) -> int:
    return saved_id(_quiz_of_lesson(session, actor, lesson_id))


def _paper_view(session: Session, attempt: QuizAttempt) -> Paper:
    frozen = json.loads(attempt.paper)
    questions = {
        q.id: q for q in session.exec(select(Question).where(col(Question.id).in_([qid for qid, _ in frozen]))).all()
    }
    items = []
    for number, (qid, order) in enumerate(frozen, start=1):
        q = questions[qid]
        options = json.loads(q.options)
        shown = tuple(PaperOption(str(place), options[i]) for place, i in enumerate(order))
        items.append(PaperItem(qid, number, q.prompt, q.kind, q.marks, shown))
    return Paper(saved_id(attempt), attempt.number, attempt.deadline, tuple(items))


def _ran_out(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def _claim(session: Session, attempt: QuizAttempt, now: datetime) -> bool:
    """Close the attempt if it is still open; False when another request closed it first. Compare-and-set: two
    submissions of one attempt at once (two tabs, a double click, a scripted burst of answer variants) are
    serialized by the row's write lock and only one is graded, instead of the last write deciding the result."""
    claimed = session.execute(
        update(QuizAttempt)
        .where(col(QuizAttempt.id) == saved_id(attempt), col(QuizAttempt.submitted_at).is_(None))
        .values(submitted_at=now, open_slot=None)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    attempt.submitted_at, attempt.open_slot = now, None
    return True


def _close_late(session: Session, actor: Actor, quiz: Quiz, attempt: QuizAttempt) -> None:
    """An attempt whose time ran out, just claimed: not passed, nothing graded."""
    attempt.passed = False
    session.add(attempt)
    audit(session, actor, "submit_late_attempt", "training_quiz_attempt", attempt.id)
    record_engagement(session, actor, "quiz_failed", "training_quiz", quiz.id)


def start_attempt(session: Session, actor: Actor, quiz_id: int, now: datetime | None = None) -> Paper:
    """My open attempt at the quiz, or a new one with a freshly drawn paper. Refused once I passed, when no attempt
    is left, and for people who are not learners (managers preview the question bank in the editor)."""
    quiz, rules = reachable_quiz(session, actor, quiz_id)
    if not actor.is_partner:
        raise DomainError("Quizzes are taken by partners' people; preview the questions in the course editor.")
    user_id, now = actor.user_id or 0, now or utcnow()
    existing = _open(session, quiz_id, user_id)
    if existing is not None and not _ran_out(existing, now):
        return _paper_view(session, existing)
    if existing is not None and _claim(session, existing, now):  # time ran out unsubmitted: a try not passed
        _close_late(session, actor, quiz, existing)
    done = _submitted(session, quiz_id, user_id)
    if any(a.passed for a in done):
        raise DomainError("You have passed this quiz already.")
    if attempts_left(rules.max_attempts, len(done)) == 0:
        raise DomainError("You have used every attempt at this quiz.")
    bank = _bank(session, quiz, rules)
    if not bank:
        raise DomainError("This quiz has no questions yet.")
    rng = random.Random(secrets.randbits(64))
    paper = draw_paper([(saved_id(q), len(json.loads(q.options))) for q in bank], rules.draw, rules.shuffle, rng)
    attempt = QuizAttempt(
        quiz_id=quiz_id,
        user_id=user_id,
        number=_attempt_count(session, quiz_id, user_id) + 1,
        started_at=now,
        open_slot=f"{user_id}:{quiz_id}",
        paper=json.dumps([[p.question_id, list(p.option_order)] for p in paper]),
        deadline=now + timedelta(minutes=rules.time_limit_minutes) if rules.time_limit_minutes else None,
    )
    try:
        with savepoint(session):
            session.add(attempt)
            session.flush()
    except IntegrityError:  # another tab started one at the same moment: that one is mine too
        raced = _open(session, quiz_id, user_id)
        if raced is None:
            raise
        return _paper_view(session, raced)
    return _paper_view(session, attempt)


def submit_attempt(
    session: Session, actor: Actor, attempt_id: int, answers: dict[str, list[str]], now: datetime | None = None
) -> Result:
    """Grade my open attempt from `answers` (question id -> chosen option indexes, or the number typed). Refused
    when the attempt is not mine or not open (submitted already, e.g. in another tab) and, past the deadline,
    closed as not passed with nothing graded (`late`: the attempt is closed, not left open). Passing a lesson's
    quiz completes the lesson."""
    attempt = session.get(QuizAttempt, attempt_id) if isinstance(attempt_id, int) else None
    if attempt is None or attempt.user_id != actor.user_id:
        raise NotFound("attempt")
    quiz, rules = reachable_quiz(session, actor, attempt.quiz_id)
    if attempt.submitted_at is not None:
        raise DomainError("This attempt was submitted already.")
    now = now or utcnow()
    # Compare-and-set: the attempt closes only while it is still open. Two submissions of one attempt at once
    # (two tabs, a double click, a scripted burst of answer variants) are serialized by the row's write lock and
    # the second is refused, instead of both being graded and the last write deciding the result.
    if not _claim(session, attempt, now):
        raise DomainError("This attempt was submitted already.")
    frozen = json.loads(attempt.paper)
    questions = {q.id: q for q in session.exec(select(Question).where(Question.quiz_id == quiz.id)).all()}
    attempt.max_score = sum(questions[qid].marks for qid, _ in frozen if qid in questions)
    if _ran_out(attempt, now):
        _close_late(session, actor, quiz, attempt)
        left = attempts_left(rules.max_attempts, len(_submitted(session, saved_id(quiz), actor.user_id or 0)))
        return Result(0, attempt.max_score, "0", False, left, (), late=True)
    marks: list[tuple[int, Question, bool, list[str]]] = []
    for number, (qid, order) in enumerate(frozen, start=1):
        question = questions.get(qid)
        if question is None:
            continue
        given = [str(v)[:40] for v in answers.get(str(qid), [])][:20]
        if question.kind != QuestionKind.NUMERIC:
            given = bank_choices(order, given)
        marks.append((number, question, is_correct(question.kind, json.loads(question.answer), given), given))
    attempt.score = sum(q.marks for _, q, ok, _ in marks if ok)
    attempt.percent = percent_of(attempt.score, attempt.max_score)
    attempt.passed = attempt.percent >= rules.pass_percent
    session.add(attempt)
    for _, question, ok, given in marks:
        session.add(
            QuestionResult(
                attempt_id=saved_id(attempt), question_id=saved_id(question), correct=ok, given=json.dumps(given)
            )
        )
    record_engagement(session, actor, "quiz_passed" if attempt.passed else "quiz_failed", "training_quiz", quiz.id)
    left = attempts_left(rules.max_attempts, len(_submitted(session, saved_id(quiz), actor.user_id or 0)))
    if attempt.passed:
        if quiz.lesson_id is not None:
            lesson = live_lesson(session, quiz.lesson_id, draft=False)
            if lesson is not None:
                mark_done(session, actor, lesson, now)
        else:
            award_due(session, actor, now)
    explain = attempt.passed or left == 0
    return Result(
        attempt.score,
        attempt.max_score,
        f"{attempt.percent}",
        attempt.passed,
        left,
        tuple(Feedback(n, q.prompt, ok, q.explanation if explain else "") for n, q, ok, _ in marks),
    )
