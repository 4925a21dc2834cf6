"""The lesson editor's sections beside the content: the uploaded file (video or PDF), the SCORM package, and a
quiz's settings and question bank."""

from __future__ import annotations

import reflex as rx

from prm_app.training.ui.lesson_editor_state import MEDIA_INPUT, QUESTION_KINDS, LessonEditorState, QuestionLine
from prm_app.web.components.forms import field, field_error, select_field


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


def _question(q: rx.Var[QuestionLine]) -> rx.Component:
    return rx.el.li(
        rx.text(q.prompt, weight="medium"),
        rx.el.ol(rx.foreach(q.options, lambda o: rx.el.li(o))),
        rx.text("Correct: " + q.answer + " · " + q.marks.to_string() + " marks", size="2", color_scheme="gray"),
        margin_bottom="0.75rem",
    )


def quiz_section() -> rx.Component:
    s = LessonEditorState
    x = s.lesson
    e = s.errors
    return rx.vstack(
        rx.heading("Quiz settings", as_="h2", size="5"),
        rx.form(
            rx.flex(
                rx.box(
                    field(
                        "Pass mark (%)",
                        "pass_percent",
                        e.get("pass_percent", ""),
                        type="number",
                        default_value=x.pass_percent.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.box(
                    field(
                        "Attempts (0 = unlimited)",
                        "max_attempts",
                        e.get("max_attempts", ""),
                        type="number",
                        default_value=x.max_attempts.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.box(
                    field(
                        "Time limit in minutes (0 = none)",
                        "time_limit_minutes",
                        e.get("time_limit_minutes", ""),
                        type="number",
                        default_value=x.time_limit_minutes.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.box(
                    field(
                        "Questions per attempt (0 = all)",
                        "draw",
                        e.get("draw", ""),
                        type="number",
                        default_value=x.draw.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.button("Save settings", type="submit", align_self="center"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.save_quiz,
            reset_on_submit=False,
            no_validate=True,
            key=s.revision,
            width="100%",
        ),
        rx.heading("Questions", as_="h2", size="5"),
        rx.el.ol(rx.foreach(s.questions, _question)),
        rx.form(
            rx.vstack(
                select_field("Question type", "kind", QUESTION_KINDS, error=e.get("kind", "")),
                rx.box(
                    rx.el.label("Question", html_for="field-prompt", class_name="field-label"),
                    rx.text_area(id="field-prompt", name="prompt", rows="2", width="100%"),
                    field_error(e, "prompt"),
                    width="100%",
                ),
                rx.box(
                    rx.el.label(
                        "Options, one per line (not for numbers)", html_for="field-options", class_name="field-label"
                    ),
                    rx.text_area(id="field-options", name="options", rows="4", width="100%"),
                    field_error(e, "options"),
                    width="100%",
                ),
                field(
                    "Correct answer: option numbers (1, 3) or the number", "answer", e.get("answer", ""), required=False
                ),
                field("Tolerance for a number", "tolerance", e.get("tolerance", ""), required=False, default_value="0"),
                field("Marks", "marks", e.get("marks", ""), type="number", default_value="1"),
                rx.box(
                    rx.el.label(
                        "Explanation (shown after passing or the last attempt)",
                        html_for="field-explanation",
                        class_name="field-label",
                    ),
                    rx.text_area(id="field-explanation", name="explanation", rows="2", width="100%"),
                    width="100%",
                ),
                rx.button("Add question", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=s.new_question,
            reset_on_submit=True,
            no_validate=True,
            width="100%",
        ),
        width="100%",
        spacing="3",
    )
