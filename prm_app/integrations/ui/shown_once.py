"""What the API keys page and the webhooks page share: a secret shown once (filled in by a script, never a state
var: states are pickled into Redis when scaled out) and a fieldset of codes to tick (scopes, event types)."""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from prm_app.web.components.forms import field_error


def show_secret(secret: str, field_id: str) -> rx.event.EventSpec:
    """A script that puts `secret` into the field `field_id` once the field is on the page (the same answer that
    shows it may arrive before React has drawn it)."""
    return rx.call_script(
        f"(function fill(tries){{const el=document.getElementById('{field_id}');"
        f"if(el){{el.value={json.dumps(secret)};}}else if(tries>0){{requestAnimationFrame(()=>fill(tries-1));}}}})(600)"
    )


def secret_callout(shown: rx.Var, text: rx.Component, label: str, field_id: str, on_done: Any) -> rx.Component:
    """While `shown` is not empty: `text`, then the field `label` (filled by show_secret), Copy and Done."""
    copy = f"navigator.clipboard.writeText(document.getElementById('{field_id}').value)"
    return rx.cond(
        shown != "",
        rx.callout.root(
            text,
            rx.el.label(label, html_for=field_id, class_name="field-label"),
            rx.hstack(
                rx.input(id=field_id, read_only=True, width="100%"),  # uncontrolled: only the script fills it
                rx.button("Copy", type="button", on_click=rx.call_script(copy), variant="soft", high_contrast=True),
                rx.button("Done", type="button", on_click=on_done, high_contrast=True),
                width="100%",
                wrap="wrap",
            ),
            color_scheme="green",
            high_contrast=True,  # the callout's green text and buttons on its tint fall short of 4.5:1 otherwise
            role="status",
            width="100%",
        ),
    )


def code_choices(legend: str, options: rx.Var, prefix: str, errors: rx.Var, error_name: str) -> rx.Component:
    """A fieldset with a checkbox per option (`value`, `label`), named prefix + value; the error `error_name`
    under it."""
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="field-label"),
        rx.grid(
            rx.foreach(
                options,
                lambda o: rx.el.label(
                    rx.el.input(type="checkbox", name=prefix + o.value, id=prefix.strip("_") + "-" + o.value),
                    rx.text.span(" ", o.label, " ", rx.code(o.value)),
                    class_name="check-row",
                ),
            ),
            columns={"initial": "1", "sm": "2"},
            spacing="2",
        ),
        field_error(errors, error_name),
        class_name="fieldset",
        aria_describedby=f"field-{error_name}-error",
        id=f"field-{error_name}",
        tab_index=-1,
    )
