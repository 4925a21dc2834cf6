"""The partner's Incentives page: earnings to date (accrued / payable / in a payout / paid) with each rule in plain
words and its payable date, the statement as CSV, and the MDF allocations with a form to request funds. Each
request opens its own page (portal_request.py) for its claim."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.incentives import (
    my_funds,
    my_rebates,
    my_statement,
    my_statement_csv,
    my_statement_pdf,
    running_spiffs,
    submit_fund_request,
)
from prm_app.incentives.rules import ACTIVITY_TYPES
from prm_app.incentives.ui.display import (
    EarningRow,
    RebateRow,
    RequestRow,
    TotalsRow,
    amount,
    earning_row,
    rebate_row,
    request_row,
    totals_row,
)
from prm_app.incentives.ui.parts import money_form_fields, request_card
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.web.components.forms import field_error, labelled
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


class PortalIncentivesState(AuthState):
    totals: list[TotalsRow] = []
    earnings: list[EarningRow] = []
    allocations: list[tuple[str, str]] = []  # (id, "FY27 Q1 MDF: 8,000.00 USD left of 10,000.00 USD")
    requests: list[RequestRow] = []
    rebates: list[RebateRow] = []
    spiffs: list[str] = []
    errors: dict[str, str] = {}
    form_key: int = 0  # bumped after a request is sent: the form starts empty again

    def _reload(self) -> None:
        (statement, funds), zone = self._run(with_zone, lambda s, a: (my_statement(s, a), my_funds(s, a)))
        now = utcnow()
        self.totals = [totals_row(t) for t in statement.totals]
        self.earnings = [earning_row(line, zone, now) for line in statement.lines[:100]]
        self.allocations = [
            (str(a.id), f"{a.budget}: {amount(a.remaining, a.currency)} left of {amount(a.amount, a.currency)}")
            for a in funds.allocations
        ]
        self.requests = [request_row(r, now.date()) for r in funds.requests]
        self.rebates = [rebate_row(r) for r in self._run(my_rebates, today=now.date())]
        self.spiffs = [
            f"{v.name}: {v.bonus} to the rep for each deal registered {v.window}, {v.product}"
            + (f", at most {v.cap} per rep" if v.cap else "")
            for v in self._run(running_spiffs, today=now.date())
        ]

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def request_funds(self, form: dict):
        raw = str(form.get("allocation_id", ""))
        if not raw.isdigit():
            self.errors = {"allocation_id": "Choose the allocation to draw from."}
            return None
        fields = {
            k: str(form.get(k, ""))[:200]
            for k in (
                "activity_type",
                "title",
                "starts_on",
                "ends_on",
                "expected_leads",
                "requested_amount",
                "partner_contribution",
            )
        }
        try:
            self._run(submit_fund_request, int(raw), fields)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except NotFound:
            self.errors = {"allocation_id": "Choose the allocation to draw from."}
            return None
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return rx.toast.success("Request sent to your channel manager.")

    @rx.event
    def download_statement(self):
        text = self._run(my_statement_csv)
        return rx.download(data=text, filename="incentive-statement.csv")

    @rx.event
    def download_statement_pdf(self):
        return rx.download(data=self._run(my_statement_pdf), filename="incentive-statement.pdf")


def _earning(row: rx.Var[EarningRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            row.what,
            rx.cond(row.reason != "", rx.text("Reason: ", row.reason, size="1", as_="p")),
            rx.cond(row.fx != "", rx.text(row.fx, size="1", color_scheme="gray", as_="p")),
        ),
        rx.table.cell(row.day),
        rx.table.cell(row.amount, white_space="nowrap"),
        rx.table.cell(row.status, rx.cond(row.when_payable != "", rx.text(row.when_payable, size="1", as_="p"))),
    )


def _totals(row: rx.Var[TotalsRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.currency),
        rx.table.cell(row.accrued),
        rx.table.cell(row.payable),
        rx.table.cell(row.in_payout),
        rx.table.cell(row.paid),
    )


def _rebate(r: rx.Var[RebateRow]) -> rx.Component:
    return rx.card(
        rx.heading(r.name, size="3", as_="h3"),
        rx.text(r.terms, size="2", color_scheme="gray"),
        rx.text(r.volume, size="2"),
        rx.text(r.earned, size="2"),
        rx.text(r.next_step, size="2", weight="medium"),
        width="100%",
    )


def _request_form() -> rx.Component:
    s = PortalIncentivesState
    return rx.form(
        rx.vstack(
            labelled(
                s.errors,
                "Allocation",
                "allocation_id",
                rx.el.select(
                    rx.el.option("Choose an allocation…", value=""),
                    rx.foreach(s.allocations, lambda a: rx.el.option(a[1], value=a[0])),
                    id="field-allocation_id",
                    name="allocation_id",
                    class_name="native-select",
                ),
            ),
            money_form_fields(s.errors, list(ACTIVITY_TYPES.items())),
            rx.button("Request funds", type="submit"),
            spacing="3",
            width="100%",
        ),
        key=s.form_key,
        on_submit=s.request_funds,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Request funds",
    )


@page(
    "/portal/incentives",
    title="Incentives",
    audience=Audience.PARTNER,
    on_load=PortalIncentivesState.load,
    nav=Nav("Incentives", "coins", 35),
)
def portal_incentives_page() -> rx.Component:
    s = PortalIncentivesState
    return rx.vstack(
        rx.flex(
            rx.heading("Earnings", size="5", as_="h2"),
            rx.flex(
                rx.button("Download statement (CSV)", on_click=s.download_statement, variant="soft", type="button"),
                rx.button("Download statement (PDF)", on_click=s.download_statement_pdf, variant="soft", type="button"),
                spacing="2",
                wrap="wrap",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            width="100%",
            spacing="3",
        ),
        rx.cond(
            s.totals.length() > 0,
            data_table(
                ["Currency", "Accrued (holding)", "Payable", "In a payout", "Paid"],
                s.totals,
                _totals,
                label="Earnings to date",
            ),
            rx.text("No earnings yet: commissions accrue when your registered deals are won.", size="2"),
        ),
        rx.cond(
            s.earnings.length() > 0,
            data_table(
                ["What", "Date", "Amount", "Status"], s.earnings, _earning, label="Earnings by deal and program"
            ),
        ),
        rx.cond(
            s.rebates.length() > 0,
            rx.vstack(
                rx.heading("Rebates", size="5", as_="h2", margin_top="1rem"),
                rx.foreach(s.rebates, _rebate),
                spacing="2",
                width="100%",
            ),
        ),
        rx.cond(
            s.spiffs.length() > 0,
            rx.vstack(
                rx.heading("SPIFFs running now", size="5", as_="h2", margin_top="1rem"),
                rx.foreach(s.spiffs, lambda t: rx.text(t, size="2")),
                rx.link("Claim a SPIFF with evidence", href="/portal/incentives/spiffs"),
                spacing="2",
                width="100%",
            ),
        ),
        rx.heading("Market development funds", size="5", as_="h2", margin_top="1rem"),
        rx.cond(
            s.allocations.length() > 0,
            rx.vstack(
                rx.foreach(s.allocations, lambda a: rx.text(a[1], size="2")),
                rx.card(
                    rx.heading("Request funds", size="4", as_="h3", margin_bottom="0.5rem"),
                    _request_form(),
                    width="100%",
                    max_width="40rem",
                ),
                spacing="2",
                width="100%",
            ),
            rx.text(
                "Your organization has no MDF allocation yet; your channel manager can tell you when it will.", size="2"
            ),
        ),
        field_error(s.errors, "form"),
        rx.heading("Your requests", size="4", as_="h3", margin_top="1rem"),
        rx.cond(
            s.requests.length() > 0,
            rx.vstack(rx.foreach(s.requests, lambda r: request_card(r, "/portal/incentives/requests/")), width="100%"),
            rx.text("No requests yet.", size="2"),
        ),
        spacing="3",
        width="100%",
    )
