"""A link that looks like a button: one element, one Tab stop. A button inside a link is invalid HTML, and keyboard
users met two Tab stops for one action."""

from __future__ import annotations

from typing import Any

import reflex as rx


def link_button(label: str | rx.Var, href: Any, **button_props: Any) -> rx.Component:
    """An <a> to `href` (the app's router follows it) drawn with Radix's button style (`button_props`: size,
    variant, ...)."""
    return rx.button(rx.link(label, href=href, underline="none"), as_child=True, **button_props)
