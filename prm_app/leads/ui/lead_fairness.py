"""The fairness report: how many leads each partner got against its capacity, how it answered, at what score."""

from __future__ import annotations

from datetime import timedelta

import reflex as rx

from prm_app.leads.fairness import fairness_report
from prm_app.leads.ui.display import FairnessRow, fairness_row
from prm_app.platform.clock import utcnow
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

PERIODS = [("30", "Last 30 days"), ("90", "Last 90 days"), ("365", "Last 12 months")]
COLUMNS = [
    ("partner", "Partner"),
    ("offered", "Leads offered"),
    ("capacity", "Capacity in period"),
    ("share", "Share of capacity"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("expired", "Expired"),
    ("score", "Average routing score"),
]


class FairnessState(AuthState):
    days: str = "30"
    rows: list[FairnessRow] = []

    def _reload(self) -> None:
        report = self._run(fairness_report, utcnow() - timedelta(days=int(self.days)))
        self.rows = [fairness_row(line) for line in report]

    @rx.event
    def load(self):
        self._reload()

    @rx.event
    def set_days(self, value: str):
        self.days = value if value in {p for p, _ in PERIODS} else "30"
        self._reload()


@page("/lead-queue/fairness", title="Lead fairness", audience=Audience.INTERNAL, on_load=FairnessState.load)
def fairness_page() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.el.label("Period", html_for="fair-period", class_name="field-label"),
            rx.el.select(
                *[rx.el.option(t, value=v) for v, t in PERIODS],
                id="fair-period",
                class_name="native-select",
                value=FairnessState.days,
                on_change=FairnessState.set_days,
            ),
            max_width="14rem",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t) for _, t in COLUMNS])),
                rx.table.body(
                    rx.foreach(
                        FairnessState.rows,
                        lambda r: rx.table.row(
                            rx.table.row_header_cell(r.partner), *[rx.table.cell(getattr(r, k)) for k, _ in COLUMNS[1:]]
                        ),
                    )
                ),
                width="100%",
            ),
            class_name="table-scroll",
            tab_index=0,  # it may scroll sideways on a phone: keyboard users must reach it
            role="region",
            aria_label="Table",
        ),
        spacing="4",
        width="100%",
    )
