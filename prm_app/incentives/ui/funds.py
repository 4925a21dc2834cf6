"""MDF budgets for admins: each budget with what is allocated and what every partner has left; a new budget; an
allocation to a partner (past the budget only with a reason, which the ledger line and the audit log keep)."""

from __future__ import annotations

import reflex as rx

from prm_app.incentives.rules import CURRENCIES
from prm_app.incentives.ui.funds_share import tier_share_card
from prm_app.incentives.ui.funds_state import BudgetCard, FundsState
from prm_app.web.components.forms import field as input_field
from prm_app.web.components.forms import field_error, select_field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page


def _budget(b: rx.Var[BudgetCard]) -> rx.Component:
    return rx.card(
        rx.heading(b.name, size="3", as_="h2"),
        rx.text(b.summary, size="2"),
        data_table(
            ["Partner", "Allocated", "Left"],
            b.allocations,
            lambda a: rx.table.row(rx.table.row_header_cell(a[0]), rx.table.cell(a[1]), rx.table.cell(a[2])),
            label="Allocations",
        ),
        rx.cond(
            b.returns.length() > 0,
            data_table(
                ["Return on funds", "Reimbursed", "Attributed won revenue", "ROI", "Cost per lead"],
                b.returns,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(r[0]), *[rx.table.cell(r[i], white_space="nowrap") for i in range(1, 5)]
                ),
                label="Return on funds: " + b.name,
            ),
        ),
        width="100%",
    )


def _select(label: str, name: str, options: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
            id=f"field-{name}",
            name=name,
            class_name="native-select",
        ),
        field_error(FundsState.errors, name),
        width="100%",
    )


@page(
    "/incentives/funds",
    title="MDF budgets",
    audience=Audience.INTERNAL,
    on_load=FundsState.load,
)
def mdf_budgets_page() -> rx.Component:
    s, e = FundsState, FundsState.errors
    return rx.vstack(
        rx.foreach(s.budgets, _budget),
        tier_share_card(),
        rx.card(
            rx.heading("Allocate to a partner", size="4", as_="h2", margin_bottom="0.5rem"),
            rx.form(
                rx.vstack(
                    _select("Budget", "budget_id", s.budget_options),
                    _select("Partner", "organization_id", s.partners),
                    input_field("Amount", "amount", e.get("alloc_amount", "")),
                    input_field(
                        "Reason to go past the budget",
                        "reason",
                        e.get("alloc_reason", ""),
                        required=False,
                        hint="Only when the budget has too little left; the reason is kept in the ledger",
                    ),
                    rx.el.input(type="hidden", name="idem", value=s.allocation_idem),
                    rx.button("Allocate", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=s.form_key,
                on_submit=s.allocate,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Allocate",
            ),
            width="100%",
            max_width="36rem",
        ),
        rx.card(
            rx.heading("New budget", size="4", as_="h2", margin_bottom="0.5rem"),
            rx.form(
                rx.vstack(
                    input_field("Name", "name", e.get("name", "")),
                    rx.flex(
                        input_field("First day", "period_start", e.get("period_start", ""), type="date"),
                        input_field("Last day", "period_end", e.get("period_end", ""), type="date"),
                        spacing="3",
                        width="100%",
                        direction={"initial": "column", "sm": "row"},
                    ),
                    rx.flex(
                        select_field(
                            "Currency", "currency", [(c, c) for c in CURRENCIES], "USD", e.get("currency", "")
                        ),
                        input_field("Amount", "budget_amount", e.get("budget_amount", "")),
                        spacing="3",
                        width="100%",
                        direction={"initial": "column", "sm": "row"},
                    ),
                    rx.button("Create budget", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=s.form_key,
                on_submit=s.new_budget,
                reset_on_submit=False,
                no_validate=True,
                aria_label="New budget",
            ),
            width="100%",
            max_width="36rem",
        ),
        spacing="4",
        width="100%",
    )
