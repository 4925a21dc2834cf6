"""The managers' Training page: create a course, every course with its completion (to its editor), completion per
partner, certified headcount by partner with tier and region, and the quiz questions answered correctly least
often (where a bad question hides). Channel managers see the partners of their book."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.platform.errors import ValidationError
from prm_app.platform.variants import languages_text
from prm_app.training.authoring import create_course
from prm_app.training.queries import course_rows, headcount_rows, partner_rows, question_rows
from prm_app.web import format as fmt
from prm_app.web.components.forms import field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class CourseLine:
    id: int
    title: str
    code: str
    status: str
    version: str
    enrolled: str
    completion: str
    average: str
    languages: str = ""  # "EN · DE"


@dataclass(frozen=True)
class Line:
    cells: list[str]


def _rate(done: int, total: int) -> str:
    return f"{fmt.percent(done * 100 / total)} ({done} of {total})" if total else "–"


class TrainingHomeState(AuthState):
    courses: list[CourseLine] = []
    partners: list[Line] = []
    headcount: list[Line] = []
    questions: list[Line] = []
    errors: dict[str, str] = {}

    @rx.event
    def load(self):
        self.errors = {}
        self.courses = [
            CourseLine(
                c.id,
                c.title,
                c.code,
                c.status.capitalize(),
                f"v{c.version}" if c.version else "–",
                str(c.enrolled),
                _rate(c.completed, c.enrolled),
                fmt.hours(c.average_hours) if c.average_hours is not None else "–",
                languages_text(c.languages),
            )
            for c in self._run(course_rows)
        ]
        self.partners = [
            Line([p.organization, str(p.enrolled), _rate(p.completed, p.enrolled), str(p.certified)])
            for p in self._run(partner_rows)
        ]
        self.headcount = [
            Line([h.certification, h.organization, h.tier, h.region, str(h.people)]) for h in self._run(headcount_rows)
        ]
        self.questions = [
            Line([q.prompt, q.course, str(q.answered), fmt.percent(q.correct_share * 100)])
            for q in self._run(question_rows)
        ]

    @rx.event
    def create(self, form: dict):
        if not isinstance(form, dict):
            return None
        try:
            course_id = self._run(create_course, str(form.get("code", ""))[:40], str(form.get("title", ""))[:160])
        except ValidationError as exc:
            self.errors = {exc.field or "title": exc.message}
            return None
        return rx.redirect(f"/training/courses/{course_id}")


def _course_row(c: rx.Var[CourseLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(c.title, href="/training/courses/" + c.id.to_string())),
        rx.table.cell(c.code),
        rx.table.cell(c.languages),
        rx.table.cell(c.status),
        rx.table.cell(c.version),
        rx.table.cell(c.enrolled),
        rx.table.cell(c.completion),
        rx.table.cell(c.average),
    )


def _line(line: rx.Var[Line]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(line.cells[0]),
        rx.foreach(line.cells[1:], lambda cell: rx.table.cell(cell)),
    )


def _section(title: str, headers: list[str], rows: rx.Var, empty: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, as_="h2", size="5"),
        rx.cond(rows.length() > 0, data_table(headers, rows, _line, label=title), rx.text(empty)),
        width="100%",
        spacing="2",
    )


@page(
    "/training",
    title="Training",
    audience=Audience.INTERNAL,
    nav=Nav("Training", "graduation-cap", 47),
    on_load=TrainingHomeState.load,
)
def training_page() -> rx.Component:
    s = TrainingHomeState
    return rx.vstack(
        rx.form(
            rx.flex(
                rx.box(field("Course code", "code", s.errors.get("code", ""), hint="e.g. SEC-301"), flex="1 1 10rem"),
                rx.box(field("Course title", "title", s.errors.get("title", "")), flex="3 1 16rem"),
                rx.button("Create course", type="submit", align_self="center"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.create,
            reset_on_submit=False,
            no_validate=True,
            width="100%",
        ),
        rx.hstack(
            rx.heading("Courses", as_="h2", size="5"),
            rx.link("Certifications", href="/training/certifications"),
            rx.link("SCORM packages", href="/training/scorm"),
            align="baseline",
            spacing="4",
            wrap="wrap",
        ),
        data_table(
            ["Course", "Code", "Languages", "Status", "Version", "Enrolled", "Completed", "Average time"],
            s.courses,
            _course_row,
            label="Courses",
        ),
        _section(
            "Completion by partner",
            ["Partner", "Enrolments", "Completed", "Certified people"],
            s.partners,
            "No partner in your reach has started a course.",
        ),
        _section(
            "Certified headcount",
            ["Certification", "Partner", "Tier", "Region", "People"],
            s.headcount,
            "Nobody in your reach holds a live certificate.",
        ),
        _section(
            "Questions answered correctly least often",
            ["Question", "Course", "Answered", "Correct"],
            s.questions,
            "No quiz has been taken yet.",
        ),
        width="100%",
        spacing="4",
    )
