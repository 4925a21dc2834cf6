"""Managers' standalone final exams: the list at /training/exams (linked from Certifications) with a form creating
one, and an exam's editor at /training/exams/<id>: its title and settings (pass mark, attempts, time limit,
questions drawn per attempt) and its question bank, the same parts as a quiz lesson's (quiz_editor_parts.py).
A certification takes it as its final exam on the Certifications page."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.platform.errors import NotFound, ValidationError
from prm_app.training.exams import ExamEditor, add_exam_question, create_exam, exam_editor, exam_rows, update_exam
from prm_app.training.ui.quiz_editor_parts import quiz_section
from prm_app.training.ui.quiz_form import QuestionLine, question_from_form, question_lines, settings_from_form
from prm_app.web.components.forms import field
from prm_app.web.components.tables import data_table
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

CERTIFICATIONS = ("Certifications", "/training/certifications")


@dataclass(frozen=True)
class ExamLine:
    id: int
    title: str
    questions: str
    rules: str
    used_by: str


class ExamsState(AuthState):
    rows: list[ExamLine] = []
    errors: dict[str, str] = {}

    @rx.event
    def load(self):
        self.errors = {}
        self.rows = [
            ExamLine(
                r.id,
                r.title,
                f"{r.questions} ({r.draw} per attempt)" if r.draw else f"{r.questions} (all per attempt)",
                f"{r.pass_percent}% to pass · "
                + (f"{r.max_attempts} attempts" if r.max_attempts else "unlimited attempts")
                + (f" · {r.time_limit_minutes} min" if r.time_limit_minutes else ""),
                ", ".join(r.certifications) or "No certification yet",
            )
            for r in self._run(exam_rows)
        ]

    @rx.event
    def create(self, form: dict):
        try:
            quiz_id = self._run(create_exam, str(form.get("title", ""))[:160])
        except ValidationError as exc:
            self.errors = {exc.field or "title": exc.message}
            return None
        return rx.redirect(f"/training/exams/{quiz_id}")


class ExamEditorState(AuthState):
    found: bool = True
    exam: ExamEditor = ExamEditor(0, "", 0, 0, 0, 0, ())
    questions: list[QuestionLine] = []
    revision: int = 0
    errors: dict[str, str] = {}

    def _reload(self, quiz_id: int) -> None:
        self.exam = self._run(exam_editor, quiz_id)
        self.questions = question_lines(self.exam.questions)
        self.revision += 1

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.errors, self.found = {}, raw.isdigit()
        if not self.found:
            return
        try:
            self._reload(int(raw[:12]))
        except NotFound:
            self.found = False

    @rx.event
    def save_quiz(self, form: dict):
        if not self.exam.id or not isinstance(form, dict):
            return None
        try:
            self._run(update_exam, self.exam.id, str(form.get("title", ""))[:160], *settings_from_form(form))
        except ValidationError as exc:
            self.errors = {exc.field or "title": exc.message}
            return None
        self.errors = {}
        self._reload(self.exam.id)
        return rx.toast.success("Exam saved: the next attempt started uses these settings.")

    @rx.event
    def new_question(self, form: dict):
        if not self.exam.id or not isinstance(form, dict):
            return None
        try:
            self._run(add_exam_question, self.exam.id, *question_from_form(form))
        except ValidationError as exc:
            self.errors = {exc.field or "prompt": exc.message}
            return None
        self.errors = {}
        self._reload(self.exam.id)
        return rx.toast.success("Question added.")


def _row(r: rx.Var[ExamLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.title, href="/training/exams/" + r.id.to_string())),
        rx.table.cell(r.questions),
        rx.table.cell(r.rules),
        rx.table.cell(r.used_by),
    )


@page("/training/exams", title="Final exams", audience=Audience.INTERNAL, on_load=ExamsState.load)
@record_page
def exams_page() -> rx.Component:
    s = ExamsState
    return rx.vstack(
        record_heading(rx.Var.create("Final exams"), [("Training", "/training"), CERTIFICATIONS], "Final exams"),
        data_table(["Exam", "Questions", "Rules", "Final exam of"], s.rows, _row, label="Final exams"),
        rx.form(
            rx.flex(
                rx.box(field("New exam title", "title", s.errors.get("title", "")), flex="1 1 18rem"),
                rx.button("Create exam", type="submit", align_self="center"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.create,
            reset_on_submit=False,
            no_validate=True,
            width="100%",
        ),
        width="100%",
        spacing="5",
    )


@page("/training/exams/[quiz_id]", title="Exam editor", audience=Audience.INTERNAL, on_load=ExamEditorState.load)
@record_page
def exam_editor_page() -> rx.Component:
    s = ExamEditorState
    title = rx.box(field("Title", "title", s.errors.get("title", ""), default_value=s.exam.title), flex="1 1 100%")
    return rx.vstack(
        record_heading(s.exam.title, [("Training", "/training"), ("Final exams", "/training/exams")], "Exam editor"),
        rx.cond(
            s.found,
            quiz_section(s, s.exam, title),
            rx.callout("Exam not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        width="100%",
        spacing="4",
    )
