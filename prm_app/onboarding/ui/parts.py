"""Pieces the onboarding pages share: a status badge, a stage's progress, a stage with its tasks (the page passes
what each task offers: the partner's buttons or the manager's)."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from prm_app.onboarding.ui.display import JourneyCard, StageLine, TaskLine
from prm_app.web.language_state import t as words


def status_badge(t: rx.Var[TaskLine]) -> rx.Component:
    return rx.badge(t.status_label, color_scheme=t.color, variant="soft", size="2", class_name="task-status")


def stage_progress(s: rx.Var[StageLine]) -> rx.Component:
    return rx.hstack(
        rx.cond(s.done, rx.icon("circle-check", color=rx.color("green", 11), aria_hidden="true")),
        rx.text(s.name, weight="bold"),
        rx.text(s.progress, size="2", color=rx.color("gray", 11)),
        rx.cond(s.current, rx.badge(words("home.current_stage"), color_scheme="blue", variant="soft")),
        rx.progress(value=s.percent, max=100, width="8rem", aria_label=s.progress_label),
        align="center",
        wrap="wrap",
        spacing="3",
    )


def journey_summary(j: rx.Var[JourneyCard] | JourneyCard, link: str = "") -> rx.Component:
    """The stages with their progress and the next step (a link to the checklist when `link` is given)."""
    next_step = rx.cond(
        j.next_step != "",
        rx.hstack(
            rx.text(words("home.next_step"), weight="medium"),
            rx.link(j.next_step, href=link) if link else rx.text(j.next_step),
            rx.badge(j.next_status, color_scheme=j.next_color, variant="soft"),
            wrap="wrap",
            align="center",
        ),
    )
    return rx.vstack(
        rx.cond(
            j.onboarded,
            rx.callout(rx.text(j.onboarded_text), icon="party-popper", color_scheme="green"),
            rx.text(j.stage_sentence),
        ),
        rx.el.ol(
            rx.foreach(j.stages, lambda s: rx.el.li(stage_progress(s))),
            class_name="journey-stages",
            style={"paddingLeft": "1.25rem", "display": "grid", "gap": "0.4rem"},
        ),
        next_step,
        spacing="3",
        width="100%",
    )


def task_item(t: rx.Var[TaskLine], actions: Callable[[rx.Var[TaskLine]], rx.Component]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.hstack(
                rx.text(t.title, weight="medium"),
                status_badge(t),
                align="center",
                wrap="wrap",
            ),
            rx.text(t.meta, size="1", color=rx.color("gray", 11)),
            rx.cond(t.hint != "", rx.text(t.hint, size="2", color=rx.color("gray", 11))),
            rx.cond(t.document_name != "", rx.text(words("onboarding.document"), t.document_name, size="2")),
            rx.cond(
                t.note != "",
                rx.callout(
                    rx.text(words("onboarding.sent_back"), t.note),
                    icon="message-square-warning",
                    color_scheme="red",
                    size="1",
                    width="100%",
                ),
            ),
            actions(t),
            spacing="1",
            width="100%",
        ),
        class_name="task-item",
        style={"padding": "0.6rem 0", "borderBottom": "1px solid var(--gray-a5)", "listStyle": "none"},
    )


def stage_card(s: rx.Var[StageLine], actions: Callable[[rx.Var[TaskLine]], rx.Component]) -> rx.Component:
    return rx.card(
        rx.el.section(
            rx.heading(s.name, size="4", as_="h2"),
            stage_progress(s),
            rx.el.ul(rx.foreach(s.tasks, lambda t: task_item(t, actions)), style={"padding": 0, "margin": 0}),
            aria_label=s.name,
        ),
        width="100%",
    )
