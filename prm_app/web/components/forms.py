"""Form pieces: every input has a visible label, its error sits next to it and is announced."""

from __future__ import annotations

import pycountry
import reflex as rx

# Every country by name, for the deal and lead forms (the value is the ISO code the rules expect).
COUNTRY_OPTIONS = [
    ("", "Choose a country…"),
    *sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1]),
]


def field(
    label: str,
    name: str,
    error: rx.Var | str = "",
    *,
    type: str = "text",
    default_value: rx.Var | str = "",
    autocomplete: str = "off",
    required: bool = True,
    hint: str = "",
) -> rx.Component:
    """A labelled input; `error` (a state var) shows under it and marks it invalid."""
    input_id = f"field-{name}"
    return rx.box(
        rx.el.label(label, html_for=input_id, class_name="field-label"),
        rx.input(
            id=input_id,
            name=name,
            type=type,
            default_value=default_value,
            auto_complete=autocomplete,
            required=required,
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=f"{input_id}-error",
            width="100%",
            size="3",
        ),
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        rx.text(error, id=f"{input_id}-error", color_scheme="red", size="2", role="alert"),
        width="100%",
    )


def select_field(label: str, name: str, options: list[tuple[str, str]], default: str = "") -> rx.Component:
    """A native <select> with a label: works with keyboard and screen readers everywhere."""
    select_id = f"field-{name}"
    return rx.box(
        rx.el.label(label, html_for=select_id, class_name="field-label"),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options],
            id=select_id,
            name=name,
            default_value=default,
            class_name="native-select",
        ),
        width="100%",
    )


def form_error(message: rx.Var) -> rx.Component:
    """A message for the whole form (e.g. wrong email or password)."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
    )


def field_error(errors: rx.Var, name: str) -> rx.Component:
    """The message for `name` from a state's `errors` dict, announced, with the id inputs point at."""
    return rx.text(errors.get(name, ""), id=f"field-{name}-error", color_scheme="red", size="2", role="alert")


def labelled(errors: rx.Var, label: str, name: str, control: rx.Component) -> rx.Component:
    """A label for the control with id field-<name>, the control, and its error beneath."""
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        control,
        field_error(errors, name),
        width="100%",
    )
