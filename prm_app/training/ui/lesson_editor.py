"""A lesson's editor at /training/lessons/<id>: title, minutes and content (markdown for reading, a video address
or an uploaded MP4, an uploaded PDF); for a quiz, its settings and question bank (add single-choice,
multiple-choice and numeric questions with marks and an explanation). Uploads stream into the checked media store
(content.py) and only then become the lesson's file."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.scorm import package_choices
from prm_app.training.authoring import (
    add_question,
    attach_media,
    check_media_lesson,
    choose_package,
    update_lesson,
    update_quiz,
)
from prm_app.training.content import MEDIA, MEDIA_MAX_BYTES
from prm_app.training.queries import LessonEditor, lesson_editor
from prm_app.web.components.forms import field, field_error, select_field
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

MEDIA_INPUT = "lesson-media"
QUESTION_KINDS = [("single", "Single choice"), ("multiple", "Multiple choice"), ("numeric", "Number")]


@dataclass(frozen=True)
class QuestionLine:
    prompt: str
    kind: str
    options: list[str]
    answer: str
    marks: int


def _int(form: dict, name: str) -> int:
    raw = str(form.get(name, "") or "0").strip()
    if not raw.isdigit():
        raise ValidationError("Give a whole number.", name)
    return int(raw[:6])


class LessonEditorState(AuthState):
    found: bool = True
    lesson: LessonEditor = LessonEditor(0, 0, "", "", "", "", "", False, 0)
    questions: list[QuestionLine] = []
    revision: int = 0
    errors: dict[str, str] = {}
    uploading: bool = False
    packages: list[tuple[str, str]] = []

    def _reload(self) -> None:
        self.lesson = self._run(lesson_editor, self.lesson.id)
        if self.lesson.kind == "scorm":
            self.packages = [("", "Choose a package…"), *((str(i), t) for i, t in self._run(package_choices))]
        self.questions = [
            QuestionLine(q.prompt, q.kind, list(q.options), q.answer, q.marks) for q in self.lesson.questions
        ]
        self.revision += 1

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.errors, self.found = {}, raw.isdigit()
        if not raw.isdigit():
            return
        try:
            self.lesson = self._run(lesson_editor, int(raw))
            self._reload()
        except NotFound:
            self.found = False

    @rx.event
    def save(self, form: dict):
        try:
            self._run(
                update_lesson,
                self.lesson.id,
                str(form.get("title", ""))[:160],
                str(form.get("body", ""))[:100_000],
                str(form.get("video_url", ""))[:500],
                _int(form, "minutes"),
            )
        except ValidationError as exc:
            self.errors = {exc.field or "title": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Lesson saved. Publish the course to show the change to learners.")

    @rx.event
    def save_package(self, form: dict):
        raw = str(form.get("package", ""))
        try:
            self._run(choose_package, self.lesson.id, int(raw) if raw.isdigit() else 0)
        except ValidationError as exc:
            self.errors = {"package": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Package chosen. Publish the course to show it to learners.")

    @rx.event
    def save_quiz(self, form: dict):
        try:
            self._run(
                update_quiz,
                self.lesson.id,
                _int(form, "pass_percent"),
                _int(form, "max_attempts"),
                _int(form, "time_limit_minutes"),
                _int(form, "draw"),
            )
        except ValidationError as exc:
            self.errors = {exc.field or "pass_percent": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Quiz settings saved.")

    @rx.event
    def new_question(self, form: dict):
        options = str(form.get("options", ""))[:4000].splitlines()
        answer = [a for a in str(form.get("answer", ""))[:200].replace(";", ",").split(",")]
        if form.get("kind") == "numeric":
            answer = [str(form.get("answer", ""))[:40], str(form.get("tolerance", ""))[:40]]
        try:
            marks = _int(form, "marks")
            self._run(
                add_question,
                self.lesson.id,
                str(form.get("kind", "")),
                str(form.get("prompt", ""))[:2000],
                options,
                answer,
                marks,
                str(form.get("explanation", ""))[:2000],
            )
        except ValidationError as exc:
            self.errors = {exc.field or "prompt": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Question added.")

    @rx.event(background=True)
    async def upload(self, chunks: rx.UploadChunkIterator):
        """The file streams into the media store (capped, proven MP4 or PDF) and becomes the lesson's file."""
        async with self:
            lesson_id, self.uploading, self.errors = self.lesson.id, True, {}
        try:
            await self._run_in_thread(check_media_lesson, lesson_id)
            stored = await MEDIA.receive(chunks)
        except DomainError as exc:
            async with self:
                self.uploading, self.errors = False, {"media": exc.message}
            return None
        try:
            previous = await self._run_in_thread(attach_media, lesson_id, stored.key, stored.content_type)
        except DomainError as exc:
            MEDIA.delete(stored.key)
            async with self:
                self.uploading, self.errors = False, {"media": exc.message}
            return None
        MEDIA.delete(previous)
        view = await self._run_in_thread(lesson_editor, lesson_id)
        async with self:
            self.uploading, self.lesson = False, view
        return rx.toast.success("File uploaded. Publish the course to show it to learners.")


allow_upload(LessonEditorState.upload, Permission.MANAGE_TRAINING, MEDIA_MAX_BYTES)


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


def _upload() -> rx.Component:
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


def _package() -> rx.Component:
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


def _quiz() -> rx.Component:
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
                rx.cond((x.kind == "video") | (x.kind == "pdf"), _upload()),
                rx.cond(x.kind == "quiz", _quiz()),
                rx.cond(x.kind == "scorm", _package()),
                spacing="5",
                width="100%",
            ),
            rx.callout("Lesson not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        width="100%",
        spacing="4",
    )
