"""What changed between the version an organization signed and the one it is asked to sign, as the page shows it:
added text underlined (<ins>), removed text struck through (<del>), each also said in words for screen readers
("[added: …]"), so neither depends on colour; unchanged paragraphs collapse to a line saying how many."""

from __future__ import annotations

import reflex as rx

from prm_app.agreements.ui.display import ChangeRow


def _change(row: rx.Var[ChangeRow]) -> rx.Component:
    return rx.match(
        row.kind,
        (
            "added",
            rx.el.ins(
                rx.el.span("[added: ", class_name="sr-only"),
                row.text,
                rx.el.span("]", class_name="sr-only"),
                class_name="diff-added",
                background_color=rx.color("grass", 4),
            ),
        ),
        (
            "removed",
            rx.el.del_(
                rx.el.span("[removed: ", class_name="sr-only"),
                row.text,
                rx.el.span("]", class_name="sr-only"),
                class_name="diff-removed",
                background_color=rx.color("red", 4),
                margin_right="0.2rem",
            ),
        ),
        ("break", rx.el.span(display="block", height="0.75rem")),
        ("skipped", rx.el.span("… ", row.text, " …", display="block", font_style="italic", color=rx.color("gray", 11))),
        rx.el.span(row.text),
    )


def changes_view(rows: rx.Var[list[ChangeRow]]) -> rx.Component:
    return rx.box(rx.foreach(rows, _change), white_space="pre-wrap", margin_top="0.75rem", id="changes")
