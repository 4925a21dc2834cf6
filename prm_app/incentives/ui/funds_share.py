"""The MDF page's "allocate by tier share" card: for the chosen budget, each partner whose tier gives an MDF share
with the amount that share suggests, editable, allocated together (never past the budget: the ledger checks)."""

from __future__ import annotations

import reflex as rx

from prm_app.incentives.ui.funds_state import FundsState, ShareRow
from prm_app.web.components.forms import field_error
from prm_app.web.components.tables import data_table


def _row(r: rx.Var[ShareRow]) -> rx.Component:
    s = FundsState
    control = "share-" + r.org_id
    name = "amount_" + r.org_id
    return rx.table.row(
        rx.table.row_header_cell(r.partner),
        rx.table.cell(r.share),
        rx.table.cell(r.allocated, white_space="nowrap"),
        rx.table.cell(
            rx.el.label("Amount for ", r.partner, html_for=control, class_name="sr-only"),
            rx.input(
                id=control,
                name=name,
                default_value=r.suggested,
                size="2",
                min_width="8rem",
                aria_invalid=rx.cond(s.share_errors.get(name, "") != "", "true", "false"),
            ),
            rx.text(s.share_errors.get(name, ""), color=rx.color("red", 11), size="2", role="alert"),
        ),
    )


def tier_share_card() -> rx.Component:
    s = FundsState
    return rx.card(
        rx.heading("Allocate by tier share", size="4", as_="h2", margin_bottom="0.25rem"),
        rx.text(
            "Each partner whose tier gives an MDF share is suggested that share of the whole budget. "
            "Change any amount, clear it to skip the partner, then allocate.",
            size="2",
        ),
        rx.box(
            rx.el.label("Budget", html_for="share-budget", class_name="field-label"),
            rx.el.select(
                rx.foreach(s.share_budgets, lambda o: rx.el.option(o[1], value=o[0])),
                id="share-budget",
                value=s.share_budget,
                on_change=s.choose_budget,
                class_name="native-select",
            ),
            width="100%",
            margin_y="0.5rem",
        ),
        rx.cond(s.share_summary != "", rx.text(s.share_summary, size="2", role="status")),
        rx.cond(
            s.share_rows.length() > 0,
            rx.form(
                rx.vstack(
                    data_table(
                        ["Partner", "Tier share", "Has", "Amount"], s.share_rows, _row, label="Suggested allocations"
                    ),
                    field_error(s.share_errors, "total"),
                    rx.el.input(type="hidden", name="idem", value=s.share_idem),
                    rx.button("Allocate these amounts", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=s.share_key,
                on_submit=s.allocate_all,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Allocate by tier share",
            ),
            rx.text("No partner's tier gives an MDF share.", size="2"),
        ),
        width="100%",
    )
