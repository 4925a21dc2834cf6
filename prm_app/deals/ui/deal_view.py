"""Pieces both sides use to show one registration: its facts, status badge and history."""

from __future__ import annotations

import reflex as rx

from prm_app.deals.labels import DEAL_STATUS_LABELS
from prm_app.deals.ui.display import DealCard, HistoryLine
from prm_app.web.components.profile import fact
from prm_app.web.language_state import t

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


def status_badge(status: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    """The status label on a badge coloured by the status code."""
    return rx.match(
        status,
        *[
            (key, rx.badge(label, color_scheme=color, high_contrast=True, size="2"))
            for key, color in STATUS_COLORS.items()
        ],
        rx.badge(label, high_contrast=True, size="2"),
    )


def deal_facts(deal: rx.Var[DealCard], credits: rx.Var[list[str]] | None = None) -> rx.Component:
    """The registration's facts in a card; optional ones ("" in the card) are left out. `credits`: who it credits
    by role (display.credit_lines), shown when it credits more than its owner."""
    return rx.card(
        rx.grid(
            fact("Status", status_badge(deal.status, deal.status_label)),
            fact("Customer website or domain", deal.site),
            fact("Country", deal.country),
            fact("Contact", deal.contact),
            fact("Products", deal.products),
            fact("Estimated value", deal.value),
            fact("Expected close", deal.close),
            fact("Stage", deal.stage),
            fact("Submitted", deal.submitted),
            rx.cond(deal.protection_ends != "", fact("Protected until", deal.protection_ends)),
            rx.cond(deal.discount != "", fact("Tier discount", deal.discount)),
            rx.cond(deal.final_amount != "", fact("Final amount", deal.final_amount)),
            *(
                []
                if credits is None
                else [
                    rx.cond(
                        credits.length() > 0,
                        fact("Credit by role", rx.vstack(rx.foreach(credits, lambda c: rx.text(c)), spacing="1")),
                    )
                ]
            ),
            columns={"initial": "1", "sm": "2", "md": "3"},
            spacing="4",
        ),
        rx.cond(deal.description != "", rx.text(deal.description, margin_top="1rem", white_space="pre-wrap")),
        width="100%",
    )


def _history_line(e: rx.Var[HistoryLine]) -> rx.Component:
    return rx.el.li(
        rx.text(
            rx.text.strong(e.action),
            " · ",
            e.who,
            " · ",
            e.at,
            rx.cond(e.status != "", rx.text.span(" → ", e.status)),
        ),
        rx.cond(e.note != "", rx.text(e.note, size="2", color_scheme="gray", white_space="pre-wrap")),
        margin_bottom="0.5rem",
    )


def deal_history(history: rx.Var[list[HistoryLine]]) -> rx.Component:
    """The history, oldest first, as an ordered list."""
    return rx.box(
        rx.heading("History", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.el.ol(rx.foreach(history, _history_line), padding_left="1.25rem"),
        width="100%",
    )


def status_filter(select_id: str, on_change: rx.EventHandler) -> rx.Component:
    """A deal list's status filter, in the reader's language: every status, or one."""
    return rx.box(
        rx.el.label(t("deals.status"), html_for=select_id, class_name="field-label"),
        rx.el.select(
            rx.el.option(t("deals.all_statuses"), value=""),
            *[rx.el.option(t(f"deal.status.{key.value}"), value=key.value) for key in DEAL_STATUS_LABELS],
            id=select_id,
            class_name="native-select",
            on_change=on_change,
        ),
        min_width="12rem",
    )
