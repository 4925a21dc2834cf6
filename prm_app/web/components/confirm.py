"""A confirmation before an action that cannot simply be undone (deactivate, revoke, withdraw, mark lost, decline).

The dialog names the consequence in a sentence, puts the focus on Cancel (a stray Enter keeps things as they were),
closes on Escape or Cancel, and only the confirming button runs the action. Radix's alert dialog gives the focus trap,
the return of focus to the button that opened it, and the `alertdialog` role with its title and description.
"""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_button(
    label: str | rx.Var,
    *,
    title: str | rx.Var,
    consequence: str | rx.Var,
    on_confirm: Any,
    confirm_label: str | rx.Var | None = None,
    color_scheme: str = "red",
    cancel_label: str | rx.Var = "Cancel",
    **button_props: Any,
) -> rx.Component:
    """A button `label` that asks first: a dialog `title` saying `consequence`, with `cancel_label` (focused) and
    `confirm_label` (default: the button's own label), which runs `on_confirm`."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(label, type="button", color_scheme=color_scheme, **button_props)),
        _content(
            title,
            consequence,
            on_confirm,
            label if confirm_label is None else confirm_label,
            color_scheme,
            cancel_label,
        ),
    )


def confirm_dialog(
    *,
    open: rx.Var,  # Radix's name for it
    on_open_change: Any,
    title: str | rx.Var,
    consequence: str | rx.Var,
    on_confirm: Any,
    confirm_label: str | rx.Var,
    color_scheme: str = "red",
    cancel_label: str | rx.Var = "Cancel",
) -> rx.Component:
    """The same dialog opened by the page's state (`open`), for an action whose form is checked first (a decline
    needs its reason): Cancel and Escape call `on_open_change(False)`, a handler that must close it."""
    return rx.alert_dialog.root(
        _content(title, consequence, on_confirm, confirm_label, color_scheme, cancel_label),
        open=open,
        on_open_change=on_open_change,
    )


def _content(
    title: str | rx.Var,
    consequence: str | rx.Var,
    on_confirm: Any,
    confirm_label: str | rx.Var,
    color_scheme: str,
    cancel_label: str | rx.Var = "Cancel",
):
    return rx.alert_dialog.content(
        rx.alert_dialog.title(title),
        rx.alert_dialog.description(consequence),
        rx.flex(
            rx.alert_dialog.cancel(rx.button(cancel_label, variant="soft", color_scheme="gray", auto_focus=True)),
            rx.alert_dialog.action(rx.button(confirm_label, color_scheme=color_scheme, on_click=on_confirm)),
            spacing="3",
            margin_top="1rem",
            justify="end",
            wrap="wrap",
        ),
        max_width="28rem",
    )
