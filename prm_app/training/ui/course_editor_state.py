"""The course editor's state: a course's details, prerequisites and audience, its modules and lessons; adding a
module or a lesson, publishing a new version, retiring."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.audience import AudienceForm, AudienceOptions, AudienceRule, audience_options, form_of
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from prm_app.platform.variants import languages_text
from prm_app.training.authoring import (
    add_lesson,
    add_module,
    course_choices,
    publish_course,
    retire_course,
    save_course,
)
from prm_app.training.content import MEDIA
from prm_app.training.queries import course_editor
from prm_app.training.rules import KIND_LABELS, LessonKind
from prm_app.web.state import AuthState

KINDS = [(k.value, KIND_LABELS[k]) for k in LessonKind]


@dataclass(frozen=True)
class LessonItem:
    id: int
    title: str
    kind: str
    changed: bool


@dataclass(frozen=True)
class ModuleItem:
    id: int
    title: str
    lessons: list[LessonItem]


@dataclass(frozen=True)
class Prerequisite:
    id: int
    title: str
    ticked: bool


class CourseEditorState(AuthState):
    found: bool = True
    course_id: int = 0
    code: str = ""
    title: str = ""
    summary: str = ""
    product: str = ""
    level: str = "foundation"
    minutes: str = "0"
    status: str = ""
    version: int = 0
    modules: list[ModuleItem] = []
    prerequisites: list[Prerequisite] = []
    audience_form: AudienceForm = AudienceForm()
    audience_options: AudienceOptions = AudienceOptions()
    revision: int = 0  # bumped on load: the form's controls take their values again
    errors: dict[str, str] = {}
    problem: str = ""
    languages: str = ""  # "EN · DE · JA"

    def _reload(self) -> None:
        view = self._run(course_editor, self.course_id)
        self.code, self.title, self.summary, self.product = view.code, view.title, view.summary, view.product
        self.level, self.minutes, self.status, self.version = view.level, str(view.minutes), view.status, view.version
        self.languages = languages_text(view.languages)
        self.modules = [
            ModuleItem(
                m.id,
                m.title,
                [LessonItem(x.id, x.title, KIND_LABELS[LessonKind(x.kind)], x.changed) for x in m.lessons],
            )
            for m in view.modules
        ]
        self.prerequisites = [
            Prerequisite(i, t, i in view.prerequisites) for i, t in self._run(course_choices) if i != self.course_id
        ]
        self.audience_form = form_of(
            AudienceRule.from_json(view.audience_json) if view.audience_json else AudienceRule()
        )
        self.audience_options = self._run(audience_options)
        self.revision += 1

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.errors, self.problem, self.found = {}, "", raw.isdigit()
        if not self.found:
            return
        self.course_id = int(raw)
        try:
            self._reload()
        except NotFound:
            self.found, self.title = False, ""

    @rx.event
    def save(self, form: dict):
        if not isinstance(form, dict):
            return None
        try:
            self._run(save_course, self.course_id, {str(k): v for k, v in list(form.items())[:500]})
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except ValidationError as exc:
            self.errors = {exc.field or "title": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Course saved.")

    @rx.event
    def new_module(self, form: dict):
        try:
            self._run(add_module, self.course_id, str(form.get("module_title", ""))[:160])
        except ValidationError as exc:
            self.errors = {exc.field or "module_title": exc.message}
            return
        self.errors = {}
        self._reload()

    @rx.event
    def new_lesson(self, form: dict):
        raw = str(form.get("module", ""))
        if not raw.isdigit():
            return None
        try:
            lesson_id = self._run(
                add_lesson, int(raw), str(form.get("kind", "")), str(form.get("lesson_title", ""))[:160]
            )
        except ValidationError as exc:
            self.errors = {f"{exc.field}-{raw}": exc.message}
            return None
        return rx.redirect(f"/training/lessons/{lesson_id}")

    @rx.event
    def publish(self):
        try:
            published = self._run(publish_course, self.course_id)
        except DomainError as exc:
            if type(exc) is not DomainError:
                raise
            self.problem = exc.message
            return None
        for key in published.released_media:  # committed: no one is shown these files any more
            MEDIA.delete(key)
        self.problem = ""
        self._reload()
        return rx.toast.success(f"Version {published.version} published.")

    @rx.event
    def retire(self):
        self._run(retire_course, self.course_id)
        self._reload()
        return rx.toast.success("Course retired: it left the catalogue.")
