"""The managers' certifications at /training/certifications (linked from Training): each with its courses, final
exam, validity, renewal rule and live holders; a form that creates one or changes the one chosen; and revoking a
certificate by its code."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.platform.errors import NotFound, ValidationError
from prm_app.training.authoring import course_choices
from prm_app.training.certification_admin import (
    RENEWALS,
    certification_rows,
    exam_choices,
    revoke_by_code,
    save_certification,
)
from prm_app.web.components.forms import field, field_error
from prm_app.web.components.tables import data_table
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    code: str
    courses: str
    exam: str
    validity: str
    holders: str


@dataclass(frozen=True)
class Pick:
    value: str
    label: str
    ticked: bool = False


class CertificationsState(AuthState):
    rows: list[Row] = []
    courses: list[Pick] = []
    exams: list[Pick] = []
    editing: int = 0  # 0: a new certification
    code: str = ""
    name: str = ""
    months: str = "24"
    renewal: str = "exam"
    exam: str = ""
    revision: int = 0
    errors: dict[str, str] = {}

    def _reload(self) -> None:
        found = self._run(certification_rows)
        self.rows = [
            Row(
                c.id,
                c.name,
                c.code,
                ", ".join(c.courses),
                c.final_exam or "None",
                f"{c.valid_months} months",
                str(c.holders),
            )
            for c in found
        ]
        current = next((c for c in found if c.id == self.editing), None)
        chosen = set(current.course_ids) if current else set()
        self.courses = [Pick(str(i), t, i in chosen) for i, t in self._run(course_choices)]
        self.exams = [Pick("", "No final exam"), *(Pick(str(i), t) for i, t in self._run(exam_choices))]
        if current:
            self.code, self.name, self.months = current.code, current.name, str(current.valid_months)
            self.renewal, self.exam = current.renewal, str(current.final_quiz_id or "")
        else:
            self.code, self.name, self.months, self.renewal, self.exam = "", "", "24", "exam", ""
        self.revision += 1

    @rx.event
    def load(self):
        self.editing, self.errors = 0, {}
        self._reload()

    @rx.event
    def edit(self, certification_id: int):
        if isinstance(certification_id, int) and not isinstance(certification_id, bool):
            self.editing, self.errors = certification_id, {}
            self._reload()

    @rx.event
    def new(self):
        self.editing, self.errors = 0, {}
        self._reload()

    @rx.event
    def save(self, form: dict):
        if not isinstance(form, dict):
            return None
        months, exam = str(form.get("valid_months", "")).strip(), str(form.get("final_quiz", ""))
        courses = [int(k[7:]) for k, v in form.items() if str(k).startswith("course:") and str(k)[7:].isdigit() and v]
        try:
            if not months.isdigit():
                raise ValidationError("Give the validity in months, from 1 to 120.", "valid_months")
            self._run(
                save_certification,
                self.editing,
                str(form.get("code", ""))[:40],
                str(form.get("name", ""))[:160],
                int(months[:4]),
                str(form.get("renewal", "")),
                courses[:100],
                int(exam) if exam.isdigit() else 0,
            )
        except ValidationError as exc:
            self.errors = {exc.field or "name": exc.message}
            return None
        self.editing, self.errors = 0, {}
        self._reload()
        return rx.toast.success("Certification saved.")

    @rx.event
    def revoke(self, form: dict):
        try:
            holder = self._run(revoke_by_code, str(form.get("revoke_code", ""))[:40])
        except NotFound:
            self.errors = {"revoke_code": "No certificate has this code."}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(f"{holder}'s certificate is revoked; its verify page says so.")


def _row(r: rx.Var[Row]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.name),
        rx.table.cell(r.code),
        rx.table.cell(r.courses),
        rx.table.cell(r.exam),
        rx.table.cell(r.validity),
        rx.table.cell(r.holders),
        rx.table.cell(
            rx.button(
                "Edit", size="1", variant="soft", on_click=CertificationsState.edit(r.id), aria_label="Edit " + r.name
            )
        ),
    )


def _select(label: str, name: str, options: rx.Var, value: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value)),
            id=f"field-{name}",
            name=name,
            default_value=value,
            class_name="native-select",
            custom_attrs={"aria-describedby": f"field-{name}-error"},
        ),
        field_error(CertificationsState.errors, name),
        width="100%",
    )


def _form() -> rx.Component:
    s = CertificationsState
    renewals = [Pick(k, v) for k, v in RENEWALS.items()]
    return rx.form(
        rx.vstack(
            rx.heading(rx.cond(s.editing != 0, "Change " + s.name, "New certification"), as_="h2", size="5"),
            rx.flex(
                rx.box(field("Code", "code", s.errors.get("code", ""), default_value=s.code), flex="1 1 8rem"),
                rx.box(field("Name", "name", s.errors.get("name", ""), default_value=s.name), flex="3 1 16rem"),
                rx.box(
                    field(
                        "Valid for (months)",
                        "valid_months",
                        s.errors.get("valid_months", ""),
                        type="number",
                        default_value=s.months,
                    ),
                    flex="1 1 8rem",
                ),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.el.fieldset(
                rx.el.legend("Courses to pass", class_name="field-label"),
                rx.foreach(
                    s.courses,
                    lambda c: rx.el.label(
                        rx.el.input(type="checkbox", name="course:" + c.value, default_checked=c.ticked),
                        " ",
                        c.label,
                        display="inline-flex",
                        gap="0.35rem",
                        margin_right="1rem",
                    ),
                ),
                field_error(s.errors, "courses"),
                id="field-courses",
            ),
            _select("Final exam", "final_quiz", s.exams, s.exam),
            rx.box(
                rx.el.label("Renewal", html_for="field-renewal", class_name="field-label"),
                rx.el.select(
                    *[rx.el.option(p.label, value=p.value) for p in renewals],
                    id="field-renewal",
                    name="renewal",
                    default_value=s.renewal,
                    class_name="native-select",
                ),
                width="100%",
            ),
            rx.hstack(
                rx.button("Save certification", type="submit"),
                rx.cond(s.editing != 0, rx.button("New certification", type="button", variant="soft", on_click=s.new)),
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=s.save,
        reset_on_submit=False,
        no_validate=True,
        key=s.revision,
        width="100%",
    )


@page("/training/certifications", title="Certifications", audience=Audience.INTERNAL, on_load=CertificationsState.load)
@record_page
def certifications_page() -> rx.Component:
    s = CertificationsState
    return rx.vstack(
        record_heading(rx.Var.create("Certifications"), [("Training", "/training")], "Certifications"),
        data_table(
            ["Certification", "Code", "Courses", "Final exam", "Valid for", "Holders", ""],
            s.rows,
            _row,
            label="Certifications",
        ),
        rx.link("Final exams: write their questions, pass mark, attempts and time limit", href="/training/exams"),
        _form(),
        rx.form(
            rx.flex(
                rx.box(
                    field("Revoke the certificate with code", "revoke_code", s.errors.get("revoke_code", "")),
                    flex="1 1 18rem",
                ),
                rx.button("Revoke", type="submit", color_scheme="red", align_self="center"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.revoke,
            reset_on_submit=True,
            no_validate=True,
            width="100%",
        ),
        width="100%",
        spacing="5",
    )
