"""The recruitment funnel for a period: form visited → started → submitted → approved → first deal registered →
first deal won, each step's count and its conversion from the step before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import reflex as rx

from prm_app.platform.clock import utcnow
from prm_app.recruitment import funnel_report
from prm_app.web.components.tables import data_table
from prm_app.web.format import number, percent
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

PERIODS = [("30", "Last 30 days"), ("90", "Last 90 days"), ("180", "Last 180 days"), ("365", "Last 365 days")]


@dataclass
class StepLine:
    label: str = ""
    count: str = ""
    rate: str = ""


class FunnelState(AuthState):
    days: str = "90"
    steps: list[StepLine] = []

    def _reload(self) -> None:
        end = utcnow()
        found = self._run(funnel_report, end - timedelta(days=int(self.days)), end)
        self.steps = [StepLine(s.label, number(s.count), percent(s.rate, 1)) for s in found]

    @rx.event
    def load(self):
        self._reload()

    @rx.event
    def choose(self, days: str):
        self.days = days if days in {d for d, _ in PERIODS} else "90"
        self._reload()


@page("/recruitment/funnel", title="Recruitment funnel", audience=Audience.INTERNAL, on_load=FunnelState.load)
def funnel_page() -> rx.Component:
    return rx.vstack(
        rx.link("Back to applications", href="/recruitment"),
        rx.box(
            rx.el.label("Period", html_for="funnel-period", class_name="field-label"),
            rx.el.select(
                *[rx.el.option(t, value=v) for v, t in PERIODS],
                id="funnel-period",
                value=FunnelState.days,
                class_name="native-select",
                on_change=FunnelState.choose,
            ),
            max_width="14rem",
        ),
        data_table(
            ["Step", "Count", "Conversion from the step before"],
            FunnelState.steps,
            lambda s: rx.table.row(rx.table.row_header_cell(s.label), rx.table.cell(s.count), rx.table.cell(s.rate)),
            label="Recruitment funnel",
        ),
        rx.text(
            "Steps count in the period they happened: visits and starts once per visit, the rest once per application.",
            size="2",
            color_scheme="gray",
        ),
        spacing="4",
        width="100%",
    )
