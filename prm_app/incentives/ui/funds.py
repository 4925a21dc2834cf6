"""MDF budgets for admins: each budget with what is allocated and what every partner has left; a new budget; an
allocation to a partner (past the budget only with a reason, which the ledger line and the audit log keep)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import reflex as rx

from prm_app.incentives import allocate, budgets, create_budget
from prm_app.incentives.mdf_roi_reports import budget_roi, roi_words
from prm_app.incentives.program_queries import partner_options
from prm_app.incentives.rules import CURRENCIES
from prm_app.incentives.ui.display import amount
from prm_app.incentives.ui.funds_share import TierShareState, tier_share_card
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError
from prm_app.web.components.forms import field as input_field
from prm_app.web.components.forms import field_error, select_field
from prm_app.web.components.tables import data_table
from prm_app.web.format import day
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class BudgetCard:
    id: int = 0
    name: str = ""
    summary: str = ""
    allocations: list[tuple[str, str, str]] = field(default_factory=list)  # partner, allocated, left
    # partner (the fund's total last), reimbursed, attributed won revenue, ROI, cost per lead
    returns: list[tuple[str, str, str, str, str]] = field(default_factory=list)


class FundsState(AuthState):
    budgets: list[BudgetCard] = []
    budget_options: list[tuple[str, str]] = []
    partners: list[tuple[str, str]] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    # The allocation form's idempotency key (renewed after each allocation): a double click or a retried submit
    # posts the allocation once instead of giving the partner twice the amount.
    _allocation_key: str = ""

    def _reload(self) -> None:
        self.budgets = [
            BudgetCard(
                b.id,
                b.name,
                f"{day(b.period_start)} – {day(b.period_end)} · {amount(b.amount, b.currency)} · "
                f"{amount(b.allocated, b.currency)} allocated, {amount(b.amount - b.allocated, b.currency)} free",
                [
                    (a.organization, amount(a.amount, a.currency), amount(a.remaining, a.currency))
                    for a in b.allocations
                ],
                [
                    (
                        r.organization,
                        amount(r.reimbursed, r.currency),
                        amount(r.attributed_won, r.currency),
                        roi_words(r.roi),
                        amount(r.cost_per_lead, r.currency),
                    )
                    for r in self._run(budget_roi, b.id)
                ],
            )
            for b in self._run(budgets)
        ]
        self.budget_options = [(str(b.id), b.name) for b in self.budgets]
        self.partners = [(str(p.id), p.name) for p in self._run(partner_options)]

    @rx.event
    def load(self):
        self.errors, self._allocation_key = {}, secrets.token_urlsafe(16)
        self._reload()

    @rx.event
    def new_budget(self, form: dict):
        try:
            self._run(
                create_budget,
                *(
                    str(form.get(k, ""))[:120]
                    for k in ("name", "period_start", "period_end", "currency", "budget_amount")
                ),
            )
        except FormInvalid as exc:
            # The budget's amount field has its own name: the allocation form's "amount" is on the same page.
            self.errors = {("budget_amount" if k == "amount" else k): v for k, v in exc.errors.items()}
            return None
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return [TierShareState.load, rx.toast.success("Budget created.")]

    @rx.event
    def allocate(self, form: dict):
        budget, partner = str(form.get("budget_id", "")), str(form.get("organization_id", ""))
        if not budget.isdigit() or not partner.isdigit():
            self.errors = {"organization_id": "Choose a budget and a partner."}
            return None
        try:
            self._run(
                allocate,
                int(budget),
                int(partner),
                str(form.get("amount", ""))[:20],
                over_reason=str(form.get("reason", ""))[:500],
                idempotency_key=f"allocation-form:{self._allocation_key or secrets.token_urlsafe(16)}",
            )
        except FormInvalid as exc:
            self.errors = {f"alloc_{k}": v for k, v in exc.errors.items()}
            return None
        except ValidationError as exc:
            self.errors = {f"alloc_{exc.field or 'amount'}": exc.message}
            return None
        except NotFound:
            self.errors = {"organization_id": "Choose a budget and a partner."}
            return None
        self.errors, self.form_key, self._allocation_key = {}, self.form_key + 1, secrets.token_urlsafe(16)
        self._reload()
        return [TierShareState.load, rx.toast.success("Allocated.")]


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
    on_load=[FundsState.load, TierShareState.load],
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
