"""A course's editor at /training/courses/<id>: its details, prerequisites and audience; its modules and lessons
(add a module, add a lesson of a kind to a module, open a lesson's editor); publish a new version, retire it, and
preview it in the player."""

from __future__ import annotations

import reflex as rx

from prm_app.audience.ui import audience_editor
from prm_app.training.rules import LEVELS
from prm_app.training.ui.course_editor_state import KINDS, CourseEditorState, LessonItem, ModuleItem
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, field_error, form_error, select_field
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page


def _details() -> rx.Component:
    s = CourseEditorState
    return rx.form(
        rx.vstack(
            field("Title", "title", s.errors.get("title", ""), default_value=s.title),
            rx.box(
                rx.el.label("Summary", html_for="field-summary", class_name="field-label"),
                rx.text_area(id="field-summary", name="summary", default_value=s.summary, rows="3", width="100%"),
                width="100%",
            ),
            rx.flex(
                rx.box(
                    field("Product", "product", s.errors.get("product", ""), default_value=s.product, required=False),
                    flex="2 1 12rem",
                ),
                rx.box(
                    select_field(
                        "Level",
                        "level",
                        [(lv, lv.capitalize()) for lv in LEVELS],
                        default=s.level,
                        error=s.errors.get("level", ""),
                    ),
                    flex="1 1 10rem",
                ),
                rx.box(
                    field(
                        "Estimated minutes",
                        "minutes",
                        s.errors.get("minutes", ""),
                        type="number",
                        default_value=s.minutes,
                    ),
                    flex="1 1 8rem",
                ),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.el.fieldset(
                rx.el.legend("Complete first (prerequisites)", class_name="field-label"),
                rx.foreach(
                    s.prerequisites,
                    lambda p: rx.el.label(
                        rx.el.input(type="checkbox", name="prereq:" + p.id.to_string(), default_checked=p.ticked),
                        " ",
                        p.title,
                        display="inline-flex",
                        gap="0.35rem",
                        margin_right="1rem",
                    ),
                ),
                field_error(s.errors, "prerequisites"),
                id="field-prerequisites",
            ),
            audience_editor(s.audience_form, s.audience_options, s.errors),
            rx.button("Save course", type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=s.save,
        reset_on_submit=False,
        no_validate=True,
        key=s.revision,
        width="100%",
    )


def _lesson(x: rx.Var[LessonItem]) -> rx.Component:
    return rx.el.li(
        rx.link(x.title, href="/training/lessons/" + x.id.to_string()),
        rx.text(
            " · " + x.kind + rx.cond(x.changed, " · unpublished changes", ""),
            as_="span",
            size="2",
            color_scheme="gray",
        ),
    )


def _module(m: rx.Var[ModuleItem]) -> rx.Component:
    s = CourseEditorState
    kind_id = "field-kind-" + m.id.to_string()
    title_id = "field-lesson_title-" + m.id.to_string()
    return rx.card(
        rx.heading(m.title, as_="h3", size="4"),
        rx.el.ol(rx.foreach(m.lessons, _lesson)),
        rx.form(
            rx.el.input(type="hidden", name="module", value=m.id.to_string()),
            rx.flex(
                rx.box(
                    rx.el.label("New lesson", html_for=title_id, class_name="field-label"),
                    rx.input(id=title_id, name="lesson_title", width="100%"),
                    rx.text(
                        s.errors.get("lesson_title-" + m.id.to_string(), ""), color_scheme="red", size="2", role="alert"
                    ),
                    flex="2 1 12rem",
                ),
                rx.box(
                    rx.el.label("Kind", html_for=kind_id, class_name="field-label"),
                    rx.el.select(
                        *[rx.el.option(label, value=v) for v, label in KINDS],
                        id=kind_id,
                        name="kind",
                        class_name="native-select",
                    ),
                    flex="1 1 8rem",
                ),
                rx.button("Add lesson", type="submit", align_self="end", aria_label="Add lesson to " + m.title),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.new_lesson,
            reset_on_submit=True,
            width="100%",
        ),
        width="100%",
    )


@page(
    "/training/courses/[course_id]", title="Course editor", audience=Audience.INTERNAL, on_load=CourseEditorState.load
)
@record_page
def course_editor_page() -> rx.Component:
    s = CourseEditorState
    return rx.vstack(
        record_heading(s.title, [("Training", "/training")], "Course editor"),
        rx.cond(
            s.found,
            rx.vstack(
                rx.text(s.code + " · " + s.status + rx.cond(s.version > 0, " · version " + s.version.to_string(), "")),
                rx.hstack(
                    rx.button("Publish a new version", on_click=s.publish),
                    rx.link("Preview in the player", href="/learn/" + s.course_id.to_string()),
                    rx.link(
                        "Languages: " + s.languages,
                        href="/training/courses/" + s.course_id.to_string() + "/languages",
                    ),
                    rx.cond(
                        s.status == "published",
                        confirm_button(
                            "Retire",
                            title="Retire this course?",
                            consequence="It leaves the catalogue; certificates stay.",
                            on_confirm=s.retire,
                            color_scheme="red",
                            variant="soft",
                        ),
                    ),
                    spacing="4",
                    wrap="wrap",
                    align="center",
                ),
                form_error(s.problem),
                _details(),
                rx.heading("Modules and lessons", as_="h2", size="5"),
                rx.foreach(s.modules, _module),
                rx.form(
                    rx.flex(
                        rx.box(
                            field("New module", "module_title", s.errors.get("module_title", ""), required=False),
                            flex="1 1 14rem",
                        ),
                        rx.button("Add module", type="submit", align_self="center"),
                        spacing="3",
                        wrap="wrap",
                        width="100%",
                    ),
                    on_submit=s.new_module,
                    reset_on_submit=True,
                    no_validate=True,
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            rx.callout("Course not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        width="100%",
        spacing="4",
    )
