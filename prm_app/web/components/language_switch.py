"""The languages an item (an asset, a course) has, as buttons on its page: the reader's own is shown first by the
page's query (platform/variants.py's fallback); a button reads the item in another of its languages. Each name is
written in its own language ("Deutsch", "日本語") and marked with its `lang`, so a screen reader says it right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx

from prm_app.platform.i18n import LANGUAGES


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in its own language: "Deutsch"
    current: bool


def language_choices(shown: str, languages: tuple[str, ...]) -> list[LanguageChoice]:
    """The item's languages as choices (none when it has only one: nothing to switch to)."""
    if len(languages) < 2:
        return []
    return [LanguageChoice(c, LANGUAGES.get(c, c.upper()), c == shown) for c in languages]


def language_switch(
    choices: rx.Var[list[LanguageChoice]], pick: Callable[[rx.Var[str]], rx.event.EventSpec], label: rx.Var
) -> rx.Component:
    """A group of toggle buttons, the current language pressed; `pick(code)` is the page's event."""
    return rx.cond(
        choices.length() > 0,  # type: ignore[attr-defined]
        rx.hstack(
            rx.text(label, size="2", color_scheme="gray"),
            rx.foreach(
                choices,
                lambda c: rx.button(
                    c.name,
                    type="button",
                    size="1",
                    variant=rx.cond(c.current, "solid", "soft"),
                    aria_pressed=rx.cond(c.current, "true", "false"),
                    lang=c.code,
                    on_click=pick(c.code),
                ),
            ),
            role="group",
            aria_label=label,
            spacing="2",
            align="center",
            wrap="wrap",
            class_name="language-switch",
        ),
    )
