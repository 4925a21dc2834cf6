"""The managers' custom-metric entry page (/tiers/custom-metrics): a partner of their book, one of the custom metrics
the tier criteria use, its value and the day it holds from; each bad field gets its message and keeps what was
typed; the history of entered values below. Saving re-runs the partner's evaluation, so its tier page shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from prm_app.identity import viewer_zone
from prm_app.platform.errors import FormInvalid
from prm_app.tiering import custom_metrics_page, enter_custom_metric
from prm_app.web.components.forms import field, labelled
from prm_app.web.components.tables import data_table
from prm_app.web.format import day
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


@dataclass
class EntryLine:
    partner: str = ""
    metric: str = ""
    value: str = ""
    as_of: str = ""
    by: str = ""


def _view(session, actor):
    return custom_metrics_page(session, actor), viewer_zone(session, actor)


class CustomMetricsState(AuthState):
    partners: list[str] = []
    metrics: list[str] = []
    history: list[EntryLine] = []
    today: str = ""  # ISO, the reader's today: the as-of field's default and latest day
    errors: dict[str, str] = {}

    def _reload(self) -> None:
        view, zone = self._run(_view)
        self.partners, self.metrics = list(view.partners), list(view.metrics)
        self.history = [
            EntryLine(e.partner, e.name, f"{e.value:,f}", day(e.as_of), e.entered_by or "Demo data")
            for e in view.history
        ]
        self.today = datetime.now(zone).date().isoformat()

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def save(self, form: dict):
        try:
            self._run(enter_custom_metric, form)
        except FormInvalid as exc:
            self.errors = dict(exc.errors)
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Value saved; the partner's evaluation now reads it.")


def _metric_select() -> rx.Component:
    return labelled(
        CustomMetricsState.errors,
        "Metric",
        "metric",
        rx.el.select(
            rx.el.option("Choose a metric…", value=""),
            rx.foreach(CustomMetricsState.metrics, lambda m: rx.el.option(m, value=m)),
            id="field-metric",
            name="metric",
            class_name="native-select",
        ),
    )


def _partner_field() -> rx.Component:
    return rx.box(
        labelled(
            CustomMetricsState.errors,
            "Partner",
            "partner",
            rx.input(
                id="field-partner", name="partner", list="book-partners", auto_complete="off", size="3", width="100%"
            ),
        ),
        rx.el.datalist(rx.foreach(CustomMetricsState.partners, lambda n: rx.el.option(value=n)), id="book-partners"),
        width="100%",
    )


@page(
    "/tiers/custom-metrics",
    title="Custom metrics",
    audience=Audience.INTERNAL,
    on_load=CustomMetricsState.load,
)
def custom_metrics_page_view() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Enter a value the tier criteria ask for, for a partner you manage. It counts from its day on; the "
            "latest value on or before an evaluation's day is the one it reads.",
            size="2",
        ),
        rx.link("Back to partner tiers", href=url_for("tiers_page")),
        rx.card(
            rx.heading("Enter a value", size="4", as_="h2"),
            rx.form(
                rx.grid(
                    _partner_field(),
                    _metric_select(),
                    field("Value", "value", CustomMetricsState.errors.get("value", ""), hint="A number, like 72.5"),
                    field(
                        "Holds from",
                        "as_of",
                        CustomMetricsState.errors.get("as_of", ""),
                        type="date",
                        default_value=CustomMetricsState.today,
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.button("Save the value", type="submit", margin_top="0.75rem"),
                on_submit=CustomMetricsState.save,
                reset_on_submit=False,
                aria_label="Enter a custom metric value",
            ),
            width="100%",
        ),
        rx.card(
            rx.heading("Entered values", size="4", as_="h2"),
            rx.cond(
                CustomMetricsState.history.length() > 0,
                data_table(
                    ["Partner", "Metric", "Value", "Holds from", "Entered by"],
                    CustomMetricsState.history,
                    lambda e: rx.table.row(
                        rx.table.row_header_cell(e.partner),
                        rx.table.cell(e.metric),
                        rx.table.cell(e.value),
                        rx.table.cell(e.as_of),
                        rx.table.cell(e.by),
                    ),
                    label="Entered custom metric values",
                ),
                rx.text("No value entered yet.", size="2"),
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
