"""The template editor's state: which template, its stages and tasks as the use cases return them, and one handler
per change, each a call to onboarding/templates.py (which checks the actor again) with its error kept beside the
form that caused it."""

from __future__ import annotations

import reflex as rx

from prm_app.onboarding import templates as tpl
from prm_app.onboarding.templates import TemplateView
from prm_app.partners import type_label
from prm_app.platform.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from prm_app.web.state import AuthState


def _int(value: object) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() else 0


def _delta(value: object) -> int:
    """A move's direction from the browser: one place down for 1, else one place up."""
    return 1 if value in (1, "1") else -1


class TemplateEditorState(AuthState):
    found: bool = True
    template: TemplateView = TemplateView(0, "", "", "", [])
    fits: str = ""
    kinds: list[tuple[str, str]] = []  # (value, label): every task kind, a course task per course
    errors: dict[str, str] = {}
    _template_id: int = 0

    def _reload(self) -> None:
        try:
            self.template = self._run(tpl.get_template, self._template_id)
        except NotFound:
            self.found = False
            return
        self.found = True
        self.kinds = self._run(tpl.task_kinds)
        t = self.template
        self.fits = (
            f"{type_label(t.partner_type) if t.partner_type else 'Any partner type'}, {t.region or 'any region'}"
        )

    @rx.event
    def load(self):
        self.errors = {}
        self._template_id = _int(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        self._reload()

    def _change(self, fn, *args, key: str, success: str, **kwargs):
        try:
            self._run(fn, self._template_id, *args, **kwargs)
        except (NotAuthenticated, PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            self.errors = {exc.field or key: exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(success)

    @rx.event
    def add_stage(self, form: dict):
        return self._change(tpl.add_stage, str(form.get("stage_name", "")), key="stage_name", success="Stage added.")

    @rx.event
    def rename_stage(self, form: dict):
        stage_id = _int(form.get("stage_id"))
        return self._change(
            tpl.rename_stage, stage_id, str(form.get("name", "")), key=f"stage-{stage_id}", success="Stage renamed."
        )

    @rx.event
    def move_stage(self, stage_id: int, delta: int):
        return self._change(tpl.move_stage, _int(stage_id), _delta(delta), key="action", success="Stage moved.")

    @rx.event
    def remove_stage(self, stage_id: int):
        return self._change(tpl.remove_stage, _int(stage_id), key="action", success="Stage removed.")

    @rx.event
    def add_task(self, form: dict):
        stage_id = _int(form.get("stage_id"))
        return self._change(
            tpl.add_task,
            stage_id,
            title=str(form.get("title", "")),
            kind=str(form.get("kind", "")),
            requires_approval=bool(form.get("requires_approval")),
            key=f"title-{stage_id}",
            success="Task added.",
        )

    @rx.event
    def update_task(self, form: dict):
        task_id = _int(form.get("task_id"))
        return self._change(
            tpl.update_task,
            task_id,
            title=str(form.get("title", "")),
            kind=str(form.get("kind", "")),
            requires_approval=bool(form.get("requires_approval")),
            key=f"task-{task_id}",
            success="Task saved.",
        )

    @rx.event
    def move_task(self, task_id: int, delta: int):
        return self._change(tpl.move_task, _int(task_id), _delta(delta), key="action", success="Task moved.")

    @rx.event
    def remove_task(self, task_id: int):
        return self._change(tpl.remove_task, _int(task_id), key="action", success="Task removed.")
