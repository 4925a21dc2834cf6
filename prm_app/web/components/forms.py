"""Form pieces: every input has a visible label, its error sits next to it and is announced.

One style for every field's message (`field_message`): red text after a warning icon (not colour alone), right
under the field, in an always-present live region whose id the field points at (`aria-describedby`), with the
field marked `aria-invalid` while it has a message. Forms that lay out their own controls use `labelled` or
`field_error`, which render the same thing.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.platform.places import country_choices

# Every country by name, for the deal and lead forms (the value is the ISO code the rules expect).
COUNTRY_OPTIONS = [("", "Choose a country…"), *country_choices()]


def field_message(message: rx.Var | str, control_id: str) -> rx.Component:
    """The message for the control `control_id`: "" shows nothing but keeps the announcing region in place."""
    return rx.box(
        rx.cond(
            message != "",
            rx.flex(
                rx.icon("circle_alert", size=16, aria_hidden="true", flex_shrink="0", margin_top="0.15rem"),
                rx.text(message, size="2", weight="medium"),
                spacing="1",
                align="start",
                color=rx.color("red", 11),
            ),
        ),
        id=f"{control_id}-error",
        role="alert",
        width="100%",
    )


def _invalid_attrs(message: rx.Var | str, control_id: str) -> dict[str, Any]:
    invalid = rx.cond(message != "", "true", "false") if isinstance(message, rx.Var) else str(bool(message)).lower()
    return {"aria-invalid": invalid, "aria-describedby": f"{control_id}-error"}


def _given(value: rx.Var | str) -> bool:
    return isinstance(value, rx.Var) or bool(value)


def field(
    label: rx.Var | str,
    name: str,
    error: rx.Var | str = "",
    *,
    type: str = "text",
    default_value: rx.Var | str = "",
    autocomplete: str = "off",
    required: bool = True,
    hint: rx.Var | str = "",
    min_value: rx.Var | str = "",
) -> rx.Component:
    """A labelled input; `error` (a state var) shows under it and marks it invalid. `min_value`: the earliest
    day a date input offers (ISO, "2026-12-06"), so the picker does not offer days the rules refuse."""
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
            width="100%",
            size="3",
            custom_attrs={**_invalid_attrs(error, input_id), **({"min": min_value} if _given(min_value) else {})},
        ),
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        field_message(error, input_id),
        width="100%",
    )


def select_field(
    label: str, name: str, options: list[tuple[str, str]], default: str = "", error: rx.Var | str = ""
) -> rx.Component:
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
            custom_attrs=_invalid_attrs(error, select_id),
        ),
        field_message(error, select_id),
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
    return field_message(errors.get(name, ""), f"field-{name}")


def labelled(errors: rx.Var, label: str, name: str, control: rx.Component) -> rx.Component:
    """A label for the control with id field-<name>, the control (marked invalid and described by the message
    while `errors` has one for `name`), and its error beneath."""
    control.custom_attrs.update(_invalid_attrs(errors.get(name, ""), f"field-{name}"))
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        control,
        field_error(errors, name),
        width="100%",
    )
