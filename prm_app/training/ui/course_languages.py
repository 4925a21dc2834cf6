"""A course's languages for the training team (/training/courses/<id>/languages): the language it was written in,
and each variant: the course's title and summary and its lessons' titles and reading texts in that language. A
language is used once per course: saving one the course has changes that variant. A lesson left without a title
keeps its own words for readers of that language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.i18n import LANGUAGES
from prm_app.platform.variants import VariantText, languages_text
from prm_app.training.rules import KIND_LABELS
from prm_app.training.variants import CourseVariants, course_variants, remove_course_variant, save_course_variant
from prm_app.web.components.language_versions import version_actions, version_fields
from prm_app.web.components.tables import data_table
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class VariantRow:
    language: str
    name: str  # "German"
    title: str
    lessons: str  # "3 of 4 lessons translated"


@dataclass(frozen=True)
class LessonField:
    id: int
    label: str  # "Lesson 2 title (own: “Pricing basics”, reading)"
    text_label: str  # "" for a lesson with no text to translate
    title: str
    body: str


class CourseLanguagesState(AuthState):
    found: bool = True
    title: str = ""
    own: str = ""
    codes: str = ""
    rows: list[VariantRow] = []
    values: dict[str, str] = {}
    lessons: list[LessonField] = []
    errors: dict[str, str] = {}
    form_key: int = 0

    def _course_id(self) -> int:
        parts = self.router.url.path.strip("/").split("/")
        return int(parts[2]) if len(parts) == 4 and parts[2].isdigit() and len(parts[2]) < 10 else 0

    def _read(self) -> CourseVariants | None:
        try:
            view = self._run(course_variants, self._course_id())
        except NotFound:
            self.found, self.title = False, ""
            return None
        self.found, self.title = True, view.title
        self.own = f"{LANGUAGES.get(view.own_language, view.own_language.upper())} (the course's own language)"
        self.codes = languages_text(view.languages)
        self.rows = [
            VariantRow(
                v.language,
                LANGUAGES.get(v.language, v.language),
                v.title,
                f"{sum(bool(x.title) for x in v.lessons)} of {len(v.lessons)} lessons translated",
            )
            for v in view.variants
        ]
        return view

    def _fill(self, view: CourseVariants, code: str) -> None:
        chosen = next((v for v in view.variants if v.language == code), None)
        words = {x.lesson_id: x for x in chosen.lessons} if chosen else {}
        self.values = {"language": code, "title": chosen.title, "summary": chosen.summary} if chosen else {}
        self.lessons = [
            LessonField(
                x.lesson_id,
                f"Lesson {i} title (its own: “{x.own_title}”, {KIND_LABELS.get(x.kind, x.kind).lower()})",  # type: ignore[call-overload]
                f"Lesson {i} text" if x.kind == "text" else "",
                words[x.lesson_id].title if x.lesson_id in words else "",
                words[x.lesson_id].body if x.lesson_id in words else "",
            )
            for i, x in enumerate(view.lessons, start=1)
        ]
        self.form_key += 1

    @rx.event
    def load(self):
        self.errors = {}
        view = self._read()
        if view is not None:
            self._fill(view, "")

    @rx.event
    def edit(self, code: str):
        """Fill the form with the variant in `code`, to change it."""
        view = self._read()
        if view is not None:
            self.errors = {}
            self._fill(view, str(code)[:8])

    @rx.event
    def save(self, form: dict[str, Any]):
        data = VariantText(
            str(form.get("language", ""))[:8], str(form.get("title", ""))[:300], str(form.get("summary", ""))[:5000]
        )
        lessons = {
            x.id: (str(form.get(f"lesson-{x.id}", ""))[:300], str(form.get(f"lesson-{x.id}-text", ""))[:100_000])
            for x in self.lessons
        }
        try:
            self._run(save_course_variant, self._course_id(), data, lessons)
        except FormInvalid as exc:
            self.errors = exc.errors
            self.values = {"language": data.language, "title": data.title, "summary": data.description}
            self.lessons = [
                LessonField(x.id, x.label, x.text_label, *lessons.get(x.id, ("", ""))) for x in self.lessons
            ]
            return None
        self.errors = {}
        view = self._read()
        if view is not None:
            self._fill(view, "")
        return rx.toast.success(f"{LANGUAGES.get(data.language, data.language)} version saved.")

    @rx.event
    def remove(self, code: str):
        try:
            self._run(remove_course_variant, self._course_id(), str(code)[:8])
        except NotFound:
            pass
        view = self._read()
        if view is not None:
            self._fill(view, "")
        return rx.toast.success(f"{LANGUAGES.get(code, code)} version removed.")


S = CourseLanguagesState


def _row(v: rx.Var[VariantRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(v.name),
        rx.table.cell(v.title),
        rx.table.cell(v.lessons),
        rx.table.cell(version_actions(S, v.language, v.name)),
    )


def _lesson(x: rx.Var[LessonField]) -> rx.Component:
    title_id = "field-lesson-" + x.id.to_string()
    return rx.vstack(
        rx.box(
            rx.el.label(x.label, html_for=title_id, class_name="field-label"),
            rx.input(
                id=title_id,
                name="lesson-" + x.id.to_string(),
                default_value=x.title,
                width="100%",
                size="3",
                custom_attrs={"aria-describedby": title_id + "-error"},
            ),
            rx.text(S.errors.get("lesson-" + x.id.to_string(), ""), id=title_id + "-error", color_scheme="red"),
            width="100%",
        ),
        rx.cond(
            x.text_label != "",
            rx.box(
                rx.el.label(x.text_label, html_for=title_id + "-text", class_name="field-label"),
                rx.text_area(
                    id=title_id + "-text",
                    name="lesson-" + x.id.to_string() + "-text",
                    default_value=x.body,
                    rows="5",
                    width="100%",
                ),
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Add or change a language", size="4", as_="h2"),
                rx.text(
                    "A language the course has already is changed, not added twice. Learners read it at once; their "
                    "progress is the course's, whatever the language.",
                    size="2",
                ),
                *version_fields(S, "Summary", "summary", rows="3"),
                rx.heading("Lessons", size="3", as_="h3"),
                rx.foreach(S.lessons, _lesson),
                rx.button("Save language version", type="submit"),
                spacing="3",
                width="100%",
            ),
            key=S.form_key,
            on_submit=S.save,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Language version",
            width="100%",
        ),
        width="100%",
    )


@page("/training/courses/[course_id]/languages", title="Languages", audience=Audience.INTERNAL, on_load=S.load)
@record_page
def course_languages_page() -> rx.Component:
    return rx.vstack(
        record_heading(S.title, [("Training", "/training")], "Languages"),
        rx.cond(
            S.found,
            rx.vstack(
                rx.text("Languages: ", rx.el.strong(S.codes), size="2"),
                rx.text(S.own, size="2", color_scheme="gray"),
                data_table(["Language", "Title", "Lessons", ""], S.rows, _row, label="Language versions"),
                _form(),
                spacing="4",
                width="100%",
            ),
            rx.text("There is no such course."),
        ),
        width="100%",
    )
