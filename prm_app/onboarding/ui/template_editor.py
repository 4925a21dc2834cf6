"""One checklist template's editor: its stages in order, each with its tasks; every change is one small form or
button, checked again by the use case (onboarding/templates.py). The state is in template_editor_state.py."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.event import EventSpec

from prm_app.onboarding.templates import StageLine, TaskLine
from prm_app.onboarding.ui.template_editor_state import TemplateEditorState
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field_message
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page, url_for

S = TemplateEditorState


def _labelled_input(label: rx.Var | str, control_id: rx.Var | str, error: rx.Var, control: rx.Component):
    return rx.box(
        rx.el.label(label, html_for=control_id, class_name="field-label"),
        control,
        field_message(error, control_id),
        width="100%",
    )


def _kind_select(name: str, control_id: rx.Var, default: rx.Var | str) -> rx.Component:
    return rx.el.select(
        rx.foreach(S.kinds, lambda k: rx.el.option(k[1], value=k[0])),
        name=name,
        id=control_id,
        default_value=default,
        class_name="native-select",
    )


def _approval(control_id: rx.Var, checked: rx.Var | bool) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name="requires_approval", id=control_id, default_checked=checked),
        " Needs a manager's approval",
        style={"display": "flex", "gap": "0.4rem", "alignItems": "center"},
    )


def _task(t: rx.Var[TaskLine]) -> rx.Component:
    key = "task-" + t.id.to_string()
    return rx.el.li(
        rx.form(
            rx.el.input(type="hidden", name="task_id", value=t.id),
            rx.flex(
                _labelled_input(
                    "Task",
                    key,
                    S.errors.get(key, ""),
                    rx.input(id=key, name="title", default_value=t.title, width="100%"),
                ),
                _labelled_input("Kind", key + "-kind", "", _kind_select("kind", key + "-kind", t.kind)),
                _approval(key + "-approval", t.requires_approval),
                rx.button("Save task", type="submit", size="2", variant="soft", aria_label="Save task " + t.title),
                *_up_down("task", t.title, lambda step: S.move_task(t.id, step)),
                confirm_button(
                    "Remove",
                    title="Remove this task?",
                    consequence="Checklists started from now on leave it out; those already started keep it.",
                    on_confirm=S.remove_task(t.id),
                    size="2",
                    variant="soft",
                    aria_label="Remove task " + t.title,
                ),
                gap="0.5rem",
                wrap="wrap",
                align="end",
            ),
            on_submit=S.update_task,
            reset_on_submit=False,
            no_validate=True,
        ),
        style={"listStyle": "none", "padding": "0.5rem 0", "borderBottom": "1px solid var(--gray-a5)"},
    )


def _up_down(what: str, name: rx.Var[str], move: Callable[[int], EventSpec]) -> tuple[rx.Component, ...]:
    """The Up and Down buttons that move a stage or task, each named with the thing it moves."""
    return tuple(
        rx.button(
            label,
            type="button",
            size="2",
            variant="soft",
            on_click=move(step),
            aria_label=f"Move {what} {label.lower()}: " + name,
        )
        for label, step in (("Up", -1), ("Down", 1))
    )


def _stage(s: rx.Var[StageLine]) -> rx.Component:
    sid = s.id.to_string()
    return rx.card(
        rx.el.section(
            rx.heading(s.name, size="4", as_="h2"),
            rx.form(
                rx.el.input(type="hidden", name="stage_id", value=s.id),
                rx.flex(
                    _labelled_input(
                        "Stage name",
                        "stage-" + sid,
                        S.errors.get("stage-" + sid, ""),
                        rx.input(id="stage-" + sid, name="name", default_value=s.name),
                    ),
                    rx.button("Rename", type="submit", size="2", variant="soft", aria_label="Rename stage " + s.name),
                    *_up_down("stage", s.name, lambda step: S.move_stage(s.id, step)),
                    confirm_button(
                        "Remove stage",
                        title="Remove this stage and its tasks?",
                        consequence="Checklists already started keep theirs.",
                        on_confirm=S.remove_stage(s.id),
                        size="2",
                        variant="soft",
                    ),
                    gap="0.5rem",
                    wrap="wrap",
                    align="end",
                ),
                on_submit=S.rename_stage,
                reset_on_submit=False,
                no_validate=True,
            ),
            rx.el.ul(rx.foreach(s.tasks, _task), style={"padding": 0}),
            rx.form(
                rx.el.input(type="hidden", name="stage_id", value=s.id),
                rx.flex(
                    _labelled_input(
                        "New task",
                        "title-" + sid,
                        S.errors.get("title-" + sid, ""),
                        rx.input(id="title-" + sid, name="title", width="100%"),
                    ),
                    _labelled_input(
                        "Kind",
                        "kind-" + sid,
                        S.errors.get("kind-" + sid, ""),
                        _kind_select("kind", "kind-" + sid, "custom"),
                    ),
                    _approval("approval-" + sid, False),
                    rx.button("Add task", type="submit", size="2", aria_label="Add task to " + s.name),
                    gap="0.5rem",
                    wrap="wrap",
                    align="end",
                ),
                on_submit=S.add_task,
                reset_on_submit=True,
                no_validate=True,
            ),
            aria_label=s.name,
        ),
        width="100%",
    )


@page(
    "/onboarding/templates/[template_id]",
    title="Checklist template",
    audience=Audience.INTERNAL,
    on_load=TemplateEditorState.load,
)
@record_page
def onboarding_template_page() -> rx.Component:
    trail = [("Onboarding", url_for("onboarding_board_page")), ("Templates", url_for("onboarding_templates_page"))]
    return rx.vstack(
        record_heading(rx.cond(S.found, S.template.name, ""), trail, "Checklist template"),
        rx.cond(
            S.found,
            rx.vstack(
                rx.text("For ", S.fits, ". Changes apply to checklists started from now on."),
                field_message(S.errors.get("action", ""), "field-action"),
                rx.foreach(S.template.stages, _stage),
                rx.form(
                    rx.flex(
                        _labelled_input(
                            "New stage",
                            "field-stage_name",
                            S.errors.get("stage_name", ""),
                            rx.input(id="field-stage_name", name="stage_name"),
                        ),
                        rx.button("Add stage", type="submit"),
                        gap="0.5rem",
                        wrap="wrap",
                        align="end",
                    ),
                    on_submit=S.add_stage,
                    reset_on_submit=True,
                    no_validate=True,
                ),
                spacing="4",
                width="100%",
            ),
            rx.callout("Template not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        spacing="4",
        width="100%",
    )
