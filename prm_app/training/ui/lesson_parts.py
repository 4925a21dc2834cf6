"""The lesson editor's sections beside the content: the uploaded file (video or PDF) and the SCORM package (a
quiz's settings and question bank: quiz_editor_parts.py)."""

from __future__ import annotations

import reflex as rx

from prm_app.training.ui.lesson_editor_state import MEDIA_INPUT, LessonEditorState
from prm_app.web.components.forms import field_error


def upload_section() -> rx.Component:
    s = LessonEditorState
    return rx.vstack(
        rx.heading("File", as_="h2", size="5"),
        rx.text(rx.cond(s.lesson.has_file, "A file is uploaded; a new one replaces it.", "No file yet.")),
        rx.el.label(
            rx.upload(
                rx.vstack(
                    rx.text("MP4 video or PDF, up to 200 MB", weight="medium"),
                    rx.text(rx.selected_files(MEDIA_INPUT).join(", "), size="2"),
                ),
                id=MEDIA_INPUT,
                max_files=1,
                multiple=False,
                border="1px dashed var(--gray-7)",
                padding="1rem",
                width="100%",
                accept={"video/mp4": [".mp4"], "application/pdf": [".pdf"]},
            ),
            width="100%",
        ),
        field_error(s.errors, "media"),
        rx.button(
            "Upload file",
            type="button",
            loading=s.uploading,
            on_click=s.upload(rx.upload_files_chunk(upload_id=MEDIA_INPUT)),
        ),
        width="100%",
    )


def package_section() -> rx.Component:
    s = LessonEditorState
    return rx.vstack(
        rx.heading("SCORM package", as_="h2", size="5"),
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label("Package", html_for="field-package", class_name="field-label"),
                    rx.el.select(
                        rx.foreach(s.packages, lambda p: rx.el.option(p[1], value=p[0])),
                        id="field-package",
                        name="package",
                        default_value=s.lesson.scorm_package_id.to_string(),
                        class_name="native-select",
                        custom_attrs={"aria-describedby": "field-package-error"},
                    ),
                    field_error(s.errors, "package"),
                    flex="1 1 16rem",
                ),
                rx.button("Use this package", type="submit", align_self="center"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.save_package,
            reset_on_submit=False,
            key=s.revision,
            width="100%",
        ),
        rx.link("Import or preview SCORM packages", href="/training/scorm"),
        width="100%",
    )
