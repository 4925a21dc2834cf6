"""The MDF budgets page's state: the budgets with their allocations and return, a new budget, an allocation by hand
(past the budget only with a reason), and an allocation of a budget by tier share (funds_share.py shows it)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import reflex as rx

from prm_app.incentives import allocate, budgets, create_budget
from prm_app.incentives.mdf_roi_reports import budget_roi, roi_words
from prm_app.incentives.mdf_share import allocate_shares, share_sheet
from prm_app.incentives.program_queries import partner_options
from prm_app.incentives.ui.display import amount
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError
from prm_app.web.format import day
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class ShareRow:
    org_id: str = ""
    partner: str = ""
    share: str = ""  # "5 %"
    suggested: str = ""  # the input's starting value, plain ("5000.00")
    allocated: str = ""  # what the partner has of this budget already


@dataclass(frozen=True)
class BudgetCard:
    id: int = 0
    name: str = ""
    summary: str = ""
    allocations: list[tuple[str, str, str]] = field(default_factory=list)  # partner, allocated, left
    # partner (the fund's total last), reimbursed, attributed won revenue, ROI, cost per lead
    returns: list[tuple[str, str, str, str, str]] = field(default_factory=list)


def submitted_key(form: object) -> str:
    """The idempotency key the submitted form carries (its hidden `idem` field): a token like secrets makes, or a
    fresh one when it is missing or not one (any client can send anything; the key only makes a retry a replay)."""
    key = str(form.get("idem", "")) if isinstance(form, dict) else ""
    if 16 <= len(key) <= 43 and all(c.isalnum() or c in "-_" for c in key):
        return key
    return secrets.token_urlsafe(16)


class FundsState(AuthState):
    budgets: list[BudgetCard] = []
    budget_options: list[tuple[str, str]] = []
    partners: list[tuple[str, str]] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    # The allocation form's idempotency key, rendered in the form (a hidden field) and renewed after each
    # allocation: a double click sends two submits carrying the same key, so the second replays the first instead
    # of giving the partner twice the amount (a key kept only in the state was renewed before the second ran).
    allocation_idem: str = ""
    # Allocating by tier share (funds_share.tier_share_card): each partner's tier MDF share of the chosen budget.
    share_budgets: list[tuple[str, str]] = []
    share_budget: str = ""
    share_summary: str = ""
    share_rows: list[ShareRow] = []
    share_errors: dict[str, str] = {}
    share_key: int = 0
    share_idem: str = ""  # the sheet's idempotency key, in the form like allocation_idem: a double click allocates once

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
        self.errors, self.allocation_idem = {}, secrets.token_urlsafe(16)
        self.share_errors, self.share_idem = {}, secrets.token_urlsafe(16)
        self._reload()
        self._share_budgets()
        self._sheet()

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
        self._share_budgets()
        self._sheet()
        return rx.toast.success("Budget created.")

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
                idempotency_key=f"allocation-form:{submitted_key(form)}",
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
        self.errors, self.form_key, self.allocation_idem = {}, self.form_key + 1, secrets.token_urlsafe(16)
        self._reload()
        self._sheet()
        return rx.toast.success("Allocated.")

    def _sheet(self) -> None:
        self.share_rows, self.share_summary = [], ""
        if not self.share_budget.isdigit():
            return
        try:
            sheet = self._run(share_sheet, int(self.share_budget), day=utcnow().date())
        except NotFound:
            self.share_budget = ""
            return
        self.share_summary = (
            f"{amount(sheet.amount, sheet.currency)} budget, {amount(sheet.free, sheet.currency)} not yet allocated"
        )
        self.share_rows = [
            ShareRow(
                str(r.organization_id),
                r.organization,
                f"{r.share_pct.normalize():f} %",
                f"{r.suggested:f}",
                amount(r.allocated, sheet.currency),
            )
            for r in sheet.rows
        ]
        self.share_key += 1

    def _share_budgets(self) -> None:
        self.share_budgets = self.budget_options  # read by _reload just before
        if self.share_budget not in {k for k, _ in self.share_budgets}:
            self.share_budget = self.share_budgets[0][0] if self.share_budgets else ""

    @rx.event
    def choose_budget(self, value: str):
        self.share_budget, self.share_errors = str(value)[:12], {}
        self._sheet()

    @rx.event
    def allocate_all(self, form: dict):
        if not self.share_budget.isdigit():
            self.share_errors = {"total": "Choose a budget."}
            return None
        amounts = {
            int(k.removeprefix("amount_")): str(v)[:20]
            for k, v in (form.items() if isinstance(form, dict) else ())
            if isinstance(k, str) and k.startswith("amount_") and k[7:].isdigit() and len(k) < 20
        }
        try:
            count = self._run(
                allocate_shares, int(self.share_budget), amounts, idempotency_key=f"share-form:{submitted_key(form)}"
            )
        except FormInvalid as exc:
            self.share_errors = exc.errors
            return None
        except NotFound:
            self.share_errors = {"total": "That budget or partner no longer exists."}
            return None
        self.share_errors, self.share_idem = {}, secrets.token_urlsafe(16)
        self._sheet()
        self._reload()
        return rx.toast.success(f"Allocated to {count} partner{'s' if count != 1 else ''}.")
