"""The channel team's pages for an item's language versions (an asset's, a course's): each version's Edit and
Remove buttons in its row, and the version form's language, title and text fields. The page's state gives `edit` and
`remove` (taking a language code), `values` and `errors` (by field name)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.platform.i18n import LANGUAGES
from prm_app.web.components.forms import field, labelled

LANGUAGE_OPTIONS = [("", "Choose a language"), *LANGUAGES.items()]


def version_actions(state: Any, language: rx.Var[str], name: rx.Var[str]) -> rx.Component:
    """A version row's buttons, named for the version ("Edit German") for a screen reader."""
    return rx.hstack(
        rx.button("Edit", size="1", variant="soft", on_click=state.edit(language), aria_label="Edit " + name),
        rx.button(
            "Remove",
            size="1",
            variant="soft",
            color_scheme="red",
            on_click=state.remove(language),
            aria_label="Remove " + name,
        ),
        spacing="2",
    )


def version_fields(state: Any, text_label: str, text_name: str, rows: str) -> list[rx.Component]:
    """The language select, the title and the longer text (an asset's description, a course's summary)."""
    return [
        labelled(
            state.errors,
            "Language",
            "language",
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in LANGUAGE_OPTIONS],
                id="field-language",
                name="language",
                default_value=state.values.get("language", ""),
                class_name="native-select",
            ),
        ),
        field("Title", "title", state.errors.get("title", ""), default_value=state.values.get("title", "")),
        labelled(
            state.errors,
            text_label,
            text_name,
            rx.text_area(
                id=f"field-{text_name}",
                name=text_name,
                default_value=state.values.get(text_name, ""),
                rows=rows,
                width="100%",
            ),
        ),
    ]
