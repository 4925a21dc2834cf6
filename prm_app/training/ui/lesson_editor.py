"""A lesson's editor at /training/lessons/<id>: title, minutes and content (markdown for reading, a video address
or an uploaded MP4, an uploaded PDF); for a quiz, its settings and question bank (single-choice, multiple-choice
and numeric questions with marks and an explanation); for a SCORM lesson, its package (lesson_parts.py)."""

from __future__ import annotations

import reflex as rx

from prm_app.training.ui.lesson_editor_state import LessonEditorState
from prm_app.training.ui.lesson_parts import package_section, upload_section
from prm_app.training.ui.quiz_editor_parts import quiz_section
from prm_app.web.components.forms import field
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page


def _content() -> rx.Component:
    s = LessonEditorState
    x = s.lesson
    return rx.form(
        rx.vstack(
            field("Title", "title", s.errors.get("title", ""), default_value=x.title),
            field(
                "Estimated minutes",
                "minutes",
                s.errors.get("minutes", ""),
                type="number",
                default_value=x.minutes.to_string(),
            ),
            rx.cond(
                x.kind == "text",
                rx.box(
                    rx.el.label("Text (Markdown)", html_for="field-body", class_name="field-label"),
                    rx.text_area(id="field-body", name="body", default_value=x.body, rows="14", width="100%"),
                    width="100%",
                ),
            ),
            rx.cond(
                x.kind == "video",
                field(
                    "Video address (or upload an MP4 below)",
                    "video_url",
                    s.errors.get("video_url", ""),
                    default_value=x.video_url,
                    required=False,
                ),
            ),
            rx.button("Save lesson", type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=s.save,
        reset_on_submit=False,
        no_validate=True,
        key=s.revision,
        width="100%",
    )


@page(
    "/training/lessons/[lesson_id]", title="Lesson editor", audience=Audience.INTERNAL, on_load=LessonEditorState.load
)
@record_page
def lesson_editor_page() -> rx.Component:
    s = LessonEditorState
    x = s.lesson
    return rx.vstack(
        record_heading(
            x.title,
            [("Training", "/training"), (x.course_title, "/training/courses/" + x.course_id.to_string())],
            "Lesson editor",
        ),
        rx.cond(
            s.found,
            rx.vstack(
                _content(),
                rx.cond((x.kind == "video") | (x.kind == "pdf"), upload_section()),
                rx.cond(x.kind == "quiz", quiz_section(s, x)),
                rx.cond(x.kind == "scorm", package_section()),
                spacing="5",
                width="100%",
            ),
            rx.callout("Lesson not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        width="100%",
        spacing="4",
    )
