"""One period choice for every report page: the same options, the same labelled select, the same validation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx

# (days, label): "last N days" up to and including today (see Filters.last_days).
PERIODS: tuple[tuple[str, str], ...] = (
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("180", "Last 6 months"),
    ("365", "Last 12 months"),
)


def period_days(value: str, default: str, choices: Sequence[tuple[str, str]] = PERIODS) -> str:
    """`value` if it is one of the choices, else `default`: the browser can send anything."""
    return value if value in {days for days, _ in choices} else default


def labelled_select(
    label: str, select_id: str, options: list, value: rx.Var, on_change: Callable, **box_props
) -> rx.Component:
    """A native select (keyboard- and phone-friendly) with its label, controlled by a state var."""
    return rx.box(
        rx.el.label(label, html_for=select_id, class_name="field-label"),
        rx.el.select(*options, id=select_id, class_name="native-select", value=value, on_change=on_change),
        **box_props,
    )


def period_select(
    value: rx.Var, on_change: Callable, select_id: str, choices: Sequence[tuple[str, str]] = PERIODS, **box_props
) -> rx.Component:
    return labelled_select(
        "Period", select_id, [rx.el.option(t, value=v) for v, t in choices], value, on_change, **box_props
    )
