"""The link that downloads a signed copy as PDF, the same on the partner's agreement page and the manager's
template page."""

from __future__ import annotations

import reflex as rx


def pdf_link(text: str | rx.Var[str], href: rx.Var[str], aria_label: rx.Var[str] | str) -> rx.Component:
    # A plain document load: rx.el.a is react-router's Link, which would route the download client-side.
    return rx.el.a(text, href=href, download="signed-agreement.pdf", reload_document=True, aria_label=aria_label)
