"""Pieces both sides use to show one registration: its facts, status badge and history."""

from __future__ import annotations

import reflex as rx

STATUS_COLORS = {
    "draft": "gray",
    "submitted": "blue",
    "info_requested": "orange",
    "approved": "green",
    "rejected": "red",
    "withdrawn": "gray",
    "expired": "gray",
    "won": "grass",
    "lost": "tomato",
}


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[
            (key, rx.badge(label, color_scheme=color, high_contrast=True, size="2"))
            for key, color in STATUS_COLORS.items()
        ],
        rx.badge(label, high_contrast=True, size="2"),
    )


def _fact(label: str, value: rx.Var) -> rx.Component:
    return rx.box(rx.text(label, size="1", color_scheme="gray", weight="medium"), rx.text(value, size="3"))


def deal_facts(deal: rx.Var) -> rx.Component:
    return rx.card(
        rx.grid(
            _fact("Status", status_badge(deal["status"], deal["status_label"])),
            _fact("Customer website or domain", deal["site"]),
            _fact("Country", deal["country"]),
            _fact("Contact", deal["contact"]),
            _fact("Products", deal["products"]),
            _fact("Estimated value", deal["value"]),
            _fact("Expected close", deal["close"]),
            _fact("Stage", deal["stage"]),
            _fact("Submitted", deal["submitted"]),
            rx.cond(deal["protection_ends"] != "", _fact("Protected until", deal["protection_ends"])),
            rx.cond(deal["final_amount"] != "", _fact("Final amount", deal["final_amount"])),
            columns={"initial": "1", "sm": "2", "md": "3"},
            gap="4",
        ),
        rx.cond(deal["description"] != "", rx.text(deal["description"], margin_top="1rem", white_space="pre-wrap")),
        width="100%",
    )


def deal_history(history: rx.Var) -> rx.Component:
    return rx.box(
        rx.heading("History", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.el.ol(
            rx.foreach(
                history,
                lambda e: rx.el.li(
                    rx.text(
                        rx.text.strong(e["action"]),
                        " · ",
                        e["who"],
                        " · ",
                        e["at"],
                        rx.cond(e["status"] != "", rx.text.span(" → ", e["status"])),
                    ),
                    rx.cond(e["note"] != "", rx.text(e["note"], size="2", color_scheme="gray", white_space="pre-wrap")),
                    margin_bottom="0.5rem",
                ),
            ),
            padding_left="1.25rem",
        ),
        width="100%",
    )
