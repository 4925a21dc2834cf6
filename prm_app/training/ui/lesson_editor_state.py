"""The lesson editor's state: load a lesson for editing, save its content, its quiz's settings and questions, its
SCORM package, and stream an uploaded file into the checked media store (content.py) before it becomes the
lesson's file."""

from __future__ import annotations

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
from prm_app.training.ui.quiz_form import (
    QuestionLine,
    question_from_form,
    question_lines,
    settings_from_form,
    whole_number,
)
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

MEDIA_INPUT = "lesson-media"


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
        self.questions = question_lines(self.lesson.questions)
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
                whole_number(form, "minutes"),
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
            self._run(update_quiz, self.lesson.id, *settings_from_form(form))
        except ValidationError as exc:
            self.errors = {exc.field or "pass_percent": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Quiz settings saved. Publish the course to use them for learners.")

    @rx.event
    def new_question(self, form: dict):
        try:
            self._run(add_question, self.lesson.id, *question_from_form(form))
        except ValidationError as exc:
            self.errors = {exc.field or "prompt": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Question added. Publish the course to ask it to learners.")

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
