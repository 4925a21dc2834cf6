"""The partner's deal registrations: a filtered, paged list, in the person's language."""

from __future__ import annotations

import reflex as rx

from prm_app.deals.distribution import distributes
from prm_app.deals.labels import DEAL_STATUS_LABELS
from prm_app.deals.queries import list_my_deals
from prm_app.deals.table import DEAL_TABLE
from prm_app.deals.ui.deal_view import status_badge, status_filter
from prm_app.deals.ui.display import DealLine, deal_line
from prm_app.identity import with_zone
from prm_app.platform.table_io import export_csv
from prm_app.web.components.link_button import link_button
from prm_app.web.components.tables import data_table, pager
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, Nav, page, url_for
from prm_app.web.state import AuthState


class MyDealsState(AuthState):
    rows: list[DealLine] = []
    status: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    total_text: str = ""  # "1 registration", "12 registrations", in the person's language
    distributes: bool = False  # it has resellers, or registrations shared with it: link to them

    def _query(self) -> None:
        result, zone = self._run(with_zone, list_my_deals, self.status, self.page)
        self.rows = [deal_line(r, zone, self.language) for r in result.rows]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.total_text = self._words().plural("deals.count", result.total)

    @rx.event
    def load(self) -> None:
        self._query()
        self.distributes = self._run(distributes)

    @rx.event
    def set_status(self, value: str) -> None:
        self.status = value if value in DEAL_STATUS_LABELS else ""
        self.page = 1
        self._query()

    @rx.event
    def go_to(self, page: int) -> None:
        self.page = int(page)
        self._query()

    @rx.event
    def export(self, bom: bool = False):
        """The registrations the list shows now (every page, its status filter), as CSV; with `bom` for Excel."""
        text = self._run(export_csv, DEAL_TABLE, {"status": self.status}, bom=bom is True)
        return rx.download(data=text, filename="deals.csv")


_COLUMNS = ("deals.col_customer", "deals.status", "deals.col_value", "deals.col_submitted", "deals.col_protected")


def _row(r: rx.Var[DealLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.customer, href=url_for("deal_detail_page", deal_id=r.id))),
        rx.table.cell(status_badge(r.status, r.status_label)),
        rx.table.cell(r.value),
        rx.table.cell(r.submitted),
        rx.table.cell(r.protection_ends),
    )


@page("/deals", title="Deals", audience=Audience.PARTNER, on_load=MyDealsState.load, nav=Nav("Deals", "handshake", 20))
def deals_page() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.hstack(
                link_button(t("deals.register"), url_for("deal_new_page"), size="3"),
                rx.cond(
                    MyDealsState.distributes,
                    rx.link(t("deals.resellers_shared"), href=url_for("reseller_deals_page")),
                ),
                rx.cond(MyDealsState.distributes, rx.link(t("deals.your_resellers"), href=url_for("resellers_page"))),
                align="center",
                spacing="4",
                wrap="wrap",
            ),
            status_filter("deal-status", MyDealsState.set_status),
            justify="between",
            align="end",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        rx.flex(
            rx.text(MyDealsState.total_text, size="2", color_scheme="gray", role="status"),
            rx.flex(
                rx.button(t("deals.export_csv"), variant="soft", size="2", on_click=MyDealsState.export(False)),
                rx.button(t("deals.export_excel"), variant="soft", size="2", on_click=MyDealsState.export(True)),
                rx.cond(
                    AuthState.is_partner_admin,
                    rx.link(t("deals.import_csv"), href="/data/import?kind=deals", size="2"),
                ),
                gap="0.75rem",
                align="center",
                wrap="wrap",
            ),
            justify="between",
            wrap="wrap",
            gap="0.5rem",
            width="100%",
        ),
        data_table(
            [rx.table.column_header_cell(t(key)) for key in _COLUMNS],
            MyDealsState.rows,
            _row,
            label=t("deals.table"),
        ),
        pager(MyDealsState.page, MyDealsState.pages, MyDealsState.go_to),
        spacing="4",
        width="100%",
    )
