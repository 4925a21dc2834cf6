"""A certification's final exam at /learn/exam/<quiz id>: the same server-graded quiz as a quiz lesson (frozen
paper, deadline, one open attempt, the attempts limit), reached from the Learning page once a certification's
courses are complete. Passing it issues the certificate (or renews one that is expiring or expired)."""

from __future__ import annotations

from datetime import tzinfo

import reflex as rx

from prm_app.identity import with_zone
from prm_app.platform.errors import DomainError, NotFound
from prm_app.training.quizzes import Paper, quiz_summary, start_attempt, submit_attempt
from prm_app.training.ui.quiz_parts import quiz_panel
from prm_app.training.ui.quiz_state import (
    FeedbackLine,
    PaperQuestion,
    answers_from_form,
    paper_lines,
    result_texts,
    summary_texts,
)
from prm_app.web.language_state import t
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class ExamState(AuthState):
    found: bool = True
    quiz_id: int = 0
    title: str = ""
    quiz_intro: str = ""
    quiz_rules: str = ""
    quiz_can_start: bool = False
    quiz_start_label: str = "Start the quiz"
    quiz_note: str = ""
    paper: list[PaperQuestion] = []
    deadline: str = ""
    result_title: str = ""
    result_passed: bool = False
    feedback: list[FeedbackLine] = []
    errors: dict[str, str] = {}
    _attempt_id: int = 0

    def _summary(self) -> None:
        summary = self._run(quiz_summary, self.quiz_id)
        self.title = summary.title
        for name, value in summary_texts(summary, self._words()).items():
            setattr(self, name, value)

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.found, self.title, self.paper, self.feedback, self.result_title, self.errors = True, "", [], [], "", {}
        self._attempt_id, self.quiz_id = 0, int(raw) if raw.isdigit() and len(raw) < 12 else 0
        try:
            self._summary()
        except NotFound:
            self.found = False
        except DomainError as exc:  # a lesson's quiz whose course's prerequisites are not complete
            if type(exc) is not DomainError:
                raise
            self.found = False

    def _take(self, paper: Paper, zone: tzinfo) -> None:
        self._attempt_id, self.errors, self.feedback, self.result_title = paper.attempt_id, {}, [], ""
        self.paper, self.deadline = paper_lines(paper, zone, self._words())

    @rx.event
    def start_quiz(self):
        if not self.quiz_id:
            return
        try:
            paper, zone = self._run(with_zone, start_attempt, self.quiz_id)
        except DomainError as exc:
            if type(exc) is not DomainError:
                raise
            self.errors = {"quiz": exc.message}
            self._summary()
            return
        self._take(paper, zone)

    @rx.event
    def submit_quiz(self, form: dict):
        if not self._attempt_id or not isinstance(form, dict):
            return None
        try:
            result = self._run(submit_attempt, self._attempt_id, answers_from_form(form))
        except DomainError as exc:
            if type(exc) is not DomainError:
                raise
            self.errors, self.paper, self._attempt_id = {"quiz": exc.message}, [], 0
            self._summary()
            return None
        self.paper, self._attempt_id = [], 0
        self._summary()
        self.result_title, self.result_passed, self.feedback = result_texts(result, self._words())
        return rx.call_script("document.getElementById('quiz-result')?.focus()")


@page("/learn/exam/[quiz_id]", title="Final exam", audience=Audience.PARTNER, on_load=ExamState.load)
@record_page
def exam_page() -> rx.Component:
    s = ExamState
    return rx.vstack(
        record_heading(s.title, [(t("nav.learning_page"), "/learn")], t("training.final_exam")),  # type: ignore[arg-type,list-item]
        rx.cond(
            s.found,
            rx.vstack(
                quiz_panel(s),
                rx.cond(
                    s.result_passed,
                    rx.link(t("training.see_certificates"), href="/learn"),
                ),
                width="100%",
                spacing="3",
            ),
            rx.callout(t("training.exam_not_found"), icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        width="100%",
        spacing="4",
    )
