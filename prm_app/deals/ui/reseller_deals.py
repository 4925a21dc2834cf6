"""A distributor's view of its resellers' registrations: those that name it and were shared with it (deals.scope's
rule), read-only, filtered and paged. A partner that distributes nothing sees an empty list and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

import reflex as rx

from prm_app.deals.distribution import ResellerDeal, list_reseller_deals
from prm_app.deals.labels import DEAL_STATUS_LABELS
from prm_app.deals.ui.deal_view import status_badge, status_filter
from prm_app.identity import with_zone
from prm_app.web.components.tables import data_table, pager
from prm_app.web.format import day, money, plural
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class ResellerDealLine:
    id: int
    customer: str
    reseller: str
    status: str
    status_label: str
    value: str
    close: str
    submitted: str


def reseller_deal_line(d: ResellerDeal, zone: tzinfo = UTC) -> ResellerDealLine:
    return ResellerDealLine(
        id=d.id,
        customer=d.customer,
        reseller=d.reseller,
        status=d.status.value,
        status_label=DEAL_STATUS_LABELS[d.status],
        value=money(d.estimated_value, d.currency),
        close=day(d.expected_close),
        submitted=day(d.submitted_at, zone),
    )


class ResellerDealsState(AuthState):
    rows: list[ResellerDealLine] = []
    status: str = ""
    page: int = 1
    pages: int = 1
    total_text: str = ""

    def _query(self) -> None:
        result, zone = self._run(with_zone, list_reseller_deals, self.status, self.page)
        self.rows = [reseller_deal_line(r, zone) for r in result.rows]
        self.page, self.pages = result.page, result.pages
        self.total_text = plural(result.total, "shared registration")

    @rx.event
    def load(self) -> None:
        self._query()

    @rx.event
    def set_status(self, value: str) -> None:
        self.status = value if value in DEAL_STATUS_LABELS else ""
        self.page = 1
        self._query()

    @rx.event
    def go_to(self, page: int) -> None:
        self.page = int(page)
        self._query()


def _row(r: rx.Var[ResellerDealLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.customer, href=url_for("deal_detail_page", deal_id=r.id))),
        rx.table.cell(r.reseller),
        rx.table.cell(status_badge(r.status, r.status_label)),
        rx.table.cell(r.value),
        rx.table.cell(r.close),
        rx.table.cell(r.submitted),
    )


@page("/deals/resellers", title="Resellers' deals", audience=Audience.PARTNER, on_load=ResellerDealsState.load)
def reseller_deals_page() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Registrations your resellers name you on as their distributor and share with you. "
            "Those they keep to themselves are not shown.",
            size="2",
        ),
        rx.flex(
            rx.hstack(
                rx.link("Your own registrations", href=url_for("deals_page")),
                rx.link("Your resellers' tiers and certifications", href=url_for("resellers_page")),
                spacing="4",
                wrap="wrap",
            ),
            status_filter("reseller-deal-status", ResellerDealsState.set_status),
            justify="between",
            align="end",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        rx.text(ResellerDealsState.total_text, size="2", color_scheme="gray", role="status"),
        data_table(
            ["Customer", "Reseller", "Status", "Estimated value", "Expected close", "Submitted"],
            ResellerDealsState.rows,
            _row,
            label="Your resellers' registrations",
        ),
        pager(ResellerDealsState.page, ResellerDealsState.pages, ResellerDealsState.go_to),
        spacing="4",
        width="100%",
    )
