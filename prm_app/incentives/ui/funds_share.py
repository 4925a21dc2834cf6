"""The MDF page's "allocate by tier share" card: for the chosen budget, each partner whose tier gives an MDF share
with the amount that share suggests, editable, allocated together (never past the budget: the ledger checks)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import reflex as rx

from prm_app.incentives import budgets
from prm_app.incentives.mdf_share import allocate_shares, share_sheet
from prm_app.incentives.ui.display import amount
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.web.components.forms import field_error
from prm_app.web.components.tables import data_table
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class ShareRow:
    org_id: str = ""
    partner: str = ""
    share: str = ""  # "5 %"
    suggested: str = ""  # the input's starting value, plain ("5000.00")
    allocated: str = ""  # what the partner has of this budget already


class TierShareState(AuthState):
    budget_options: list[tuple[str, str]] = []
    budget_id: str = ""
    summary: str = ""
    rows: list[ShareRow] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    _key: str = ""  # the sheet's idempotency key: a double click allocates once

    def _sheet(self) -> None:
        self.rows, self.summary = [], ""
        if not self.budget_id.isdigit():
            return
        try:
            sheet = self._run(share_sheet, int(self.budget_id), day=utcnow().date())
        except NotFound:
            self.budget_id = ""
            return
        self.summary = (
            f"{amount(sheet.amount, sheet.currency)} budget, {amount(sheet.free, sheet.currency)} not yet allocated"
        )
        self.rows = [
            ShareRow(
                str(r.organization_id),
                r.organization,
                f"{r.share_pct.normalize():f} %",
                f"{r.suggested:f}",
                amount(r.allocated, sheet.currency),
            )
            for r in sheet.rows
        ]
        self.form_key += 1

    def _budgets(self) -> None:
        self.budget_options = [(str(b.id), b.name) for b in self._run(budgets)]
        if self.budget_id not in {k for k, _ in self.budget_options}:
            self.budget_id = self.budget_options[0][0] if self.budget_options else ""

    @rx.event
    def load(self):
        self.errors, self._key = {}, secrets.token_urlsafe(16)
        self._budgets()
        self._sheet()

    @rx.event
    def choose_budget(self, value: str):
        self.budget_id, self.errors = str(value)[:12], {}
        self._sheet()

    @rx.event
    def allocate_all(self, form: dict):
        from prm_app.incentives.ui.funds import FundsState

        if not self.budget_id.isdigit():
            self.errors = {"total": "Choose a budget."}
            return None
        amounts = {
            int(k.removeprefix("amount_")): str(v)[:20]
            for k, v in (form.items() if isinstance(form, dict) else ())
            if isinstance(k, str) and k.startswith("amount_") and k[7:].isdigit() and len(k) < 20
        }
        try:
            count = self._run(allocate_shares, int(self.budget_id), amounts, idempotency_key=f"share-form:{self._key}")
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except NotFound:
            self.errors = {"total": "That budget or partner no longer exists."}
            return None
        self.errors, self._key = {}, secrets.token_urlsafe(16)
        self._sheet()
        return [FundsState.load, rx.toast.success(f"Allocated to {count} partner{'s' if count != 1 else ''}.")]


def _row(r: rx.Var[ShareRow]) -> rx.Component:
    s = TierShareState
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
                aria_invalid=rx.cond(s.errors.get(name, "") != "", "true", "false"),
            ),
            rx.text(s.errors.get(name, ""), color=rx.color("red", 11), size="2", role="alert"),
        ),
    )


def tier_share_card() -> rx.Component:
    s = TierShareState
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
                rx.foreach(s.budget_options, lambda o: rx.el.option(o[1], value=o[0])),
                id="share-budget",
                value=s.budget_id,
                on_change=s.choose_budget,
                class_name="native-select",
            ),
            width="100%",
            margin_y="0.5rem",
        ),
        rx.cond(s.summary != "", rx.text(s.summary, size="2", role="status")),
        rx.cond(
            s.rows.length() > 0,
            rx.form(
                rx.vstack(
                    data_table(["Partner", "Tier share", "Has", "Amount"], s.rows, _row, label="Suggested allocations"),
                    field_error(s.errors, "total"),
                    rx.button("Allocate these amounts", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=s.form_key,
                on_submit=s.allocate_all,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Allocate by tier share",
            ),
            rx.text("No partner's tier gives an MDF share.", size="2"),
        ),
        width="100%",
    )
