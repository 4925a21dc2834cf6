"""FX revaluation for admins: revalue a month that has ended (the job runner also does it early each month), and the
revaluation lines of the ledger, each with its open balance, the period-end rate and what it means in plain words.
How it is counted is revaluation.py's docstring; this page only runs it and shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import reflex as rx

from prm_app.incentives.revaluation import RevaluationView, revaluations, revalue_period
from prm_app.incentives.ui.display import amount
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import ValidationError
from prm_app.web.components.forms import labelled
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

EXPLAINED = (
    "Earnings owed in a currency other than the corporate one post at the rate of their day. At the end of a month, "
    "revaluation states what each partner's open balance (accrued or payable, not yet paid) is worth at that day's "
    "rate, and appends the difference from what the ledger carried as a line of its own in the corporate currency. "
    "No earlier line changes and partners are owed exactly the same: only the vendor's cost of the debt moves. A "
    "month is revalued once; running it again adds nothing."
)


@dataclass(frozen=True)
class RevaluationRow:
    period: str = ""
    partner: str = ""
    open_amount: str = ""
    rate: str = ""
    difference: str = ""
    explanation: str = ""
    reason: str = ""


def _row(v: RevaluationView) -> RevaluationRow:
    partner = f"{v.organization} (rep {v.payee})" if v.payee else v.organization
    sign = "+" if v.difference > 0 else "−"
    return RevaluationRow(
        v.period,
        partner,
        amount(v.open_amount, v.currency),
        f"{v.rate.normalize():f} {v.corporate} per {v.currency} on {v.rate_date:%d %b %Y}",
        sign + amount(abs(v.difference), v.corporate),
        v.explanation,
        v.reason,
    )


def ended_months(today: date, count: int = 12) -> list[str]:
    """The `count` months before today's, newest first: "2026-11", "2026-10", …"""
    months, day = [], today.replace(day=1)
    for _ in range(count):
        day = (day - timedelta(days=1)).replace(day=1)
        months.append(f"{day:%Y-%m}")
    return months


class RevaluationState(AuthState):
    rows: list[RevaluationRow] = []
    months: list[str] = []
    errors: dict[str, str] = {}

    def _reload(self) -> None:
        self.rows = [_row(v) for v in self._run(revaluations)]

    @rx.event
    def load(self):
        self.errors, self.months = {}, ended_months(utcnow().date())
        self._reload()

    @rx.event
    def run(self, form: dict):
        period = str(form.get("period", ""))[:7] if isinstance(form, dict) else ""
        try:
            done = self._run(revalue_period, period)
        except ValidationError as exc:  # a month not ended or out of order; "missing FX rate for EUR on …"
            self.errors = {"period": exc.message}
            return None
        self.errors = {}
        self._reload()
        if done.appended:
            return rx.toast.success(f"{period} revalued: {done.appended} line(s) appended in {done.corporate}.")
        if done.already:
            return rx.toast.info(f"{period} was revalued already: nothing was appended.")
        return rx.toast.info(f"Nothing to revalue for {period}: no open balance moved in {done.corporate}.")


def _line(r: rx.Var[RevaluationRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.partner, rx.text(r.period, size="1", color_scheme="gray", as_="p")),
        rx.table.cell(r.open_amount, white_space="nowrap"),
        rx.table.cell(r.rate),
        rx.table.cell(r.difference, white_space="nowrap"),
        rx.table.cell(rx.text(r.explanation, size="2"), rx.text(r.reason, size="1", color_scheme="gray", as_="p")),
    )


@page("/incentives/revaluation", title="FX revaluation", audience=Audience.INTERNAL, on_load=RevaluationState.load)
def revaluation_page() -> rx.Component:
    s = RevaluationState
    return rx.vstack(
        rx.text(EXPLAINED, size="2"),
        rx.card(
            rx.heading("Revalue a month", size="4", as_="h2", margin_bottom="0.5rem"),
            rx.form(
                rx.flex(
                    rx.box(
                        labelled(
                            s.errors,
                            "Month",
                            "period",
                            rx.el.select(
                                rx.foreach(s.months, lambda m: rx.el.option(m, value=m)),
                                id="field-period",
                                name="period",
                                class_name="native-select",
                            ),
                        ),
                        min_width="10rem",
                    ),
                    rx.button("Revalue month", type="submit"),
                    spacing="3",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=s.run,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Revalue a month",
            ),
            width="100%",
        ),
        rx.heading("Revaluation lines", size="4", as_="h2"),
        rx.cond(
            s.rows.length() > 0,
            data_table(
                ["Partner", "Open balance", "Period-end rate", "Revaluation", "What it means"],
                s.rows,
                _line,
                label="Revaluation lines",
            ),
            rx.text("No month has been revalued yet.", size="2"),
        ),
        spacing="4",
        width="100%",
    )
