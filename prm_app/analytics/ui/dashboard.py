"""Executive dashboards: engagement, pipeline health, revenue attribution, efficiency and partner NPS.

Every chart obeys the filters and has a CSV download of its data. The page stays live (its state, in
dashboard_state.py, redraws what moved); this module only lays it out.
"""

from __future__ import annotations

import reflex as rx

from prm_app.analytics.ui.dashboard_state import PERIODS, DashboardState
from prm_app.web.components.charts import chart
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page


def _select(label: str, name: str, options, value: rx.Var) -> rx.Component:
    select_id = f"dash-{name}"
    return rx.box(
        rx.el.label(label, html_for=select_id, class_name="field-label"),
        rx.el.select(
            *options,
            id=select_id,
            class_name="native-select",
            value=value,
            on_change=lambda v: DashboardState.set_filter(name, v),
        ),
        min_width="10rem",
        flex="1",
    )


def _options(key: str) -> list:
    return [
        rx.el.option("All", value=""),
        rx.foreach(DashboardState.options[key], lambda o: rx.el.option(o.label, value=o.value)),
    ]


def _kpi(label: str, key: str) -> rx.Component:
    return rx.card(
        rx.text(label, size="2"),
        rx.heading(getattr(DashboardState.kpis, key), size="7", as_="p", id=f"kpi-{key}"),
        min_width="9rem",
        flex="1",
    )


def _chart(title: str, key: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.heading(title, size="3", as_="h3"),
            rx.spacer(),
            rx.button(
                "CSV",
                size="1",
                variant="soft",
                aria_label=f"Download {title} as CSV",
                on_click=DashboardState.download(key),
            ),
            align="center",
        ),
        chart(getattr(DashboardState, f"fig_{key}"), height="320px", width="100%"),
        width="100%",
    )


def _fact(label: str, key: str) -> rx.Component:
    return rx.box(
        rx.text(label, size="1", color_scheme="gray"), rx.text(getattr(DashboardState.efficiency, key), size="4")
    )


def _small_table(title: str, headers: list[str], rows: rx.Var, cells) -> rx.Component:
    return rx.card(
        rx.heading(title, size="3", as_="h3", margin_bottom="0.5rem"),
        data_table(headers, rows, lambda r: rx.table.row(*cells(r)), label=title, size="1"),
        width="100%",
    )


@page(
    "/dashboards",
    title="Dashboards",
    audience=Audience.INTERNAL,
    on_load=DashboardState.load,
    nav=Nav("Dashboards", "chart-column", 10),
)
def dashboard_page() -> rx.Component:
    grid = {"initial": "1", "md": "2"}
    return rx.vstack(
        rx.flex(
            _select("Period", "days", [rx.el.option(t, value=v) for v, t in PERIODS], DashboardState.days),
            _select("Region", "region", _options("regions"), DashboardState.region),
            _select("Partner type", "partner_type", _options("types"), DashboardState.partner_type),
            _select("Tier", "tier_id", _options("tiers"), DashboardState.tier_id),
            _select("Channel manager", "manager_id", _options("managers"), DashboardState.manager_id),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        rx.text(
            "Live: updates by itself when partners act. Last update ",
            DashboardState.updated,
            ".",
            size="1",
            color_scheme="gray",
            role="status",
        ),
        rx.flex(
            _kpi("Active partners (30 days)", "active"),
            _kpi("Logins", "logins"),
            _kpi("Deal registrations", "registrations"),
            _kpi("Lead acceptances", "acceptances"),
            _kpi("Partner NPS", "nps"),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        rx.heading("Engagement", size="5", as_="h2"),
        rx.grid(
            _chart("Logins per week", "engagement"),
            _small_table(
                "Least engaged partners",
                ["Partner", "Manager", "Last login", "Events"],
                DashboardState.least_engaged,
                lambda r: [
                    rx.table.row_header_cell(r.partner),
                    rx.table.cell(r.manager),
                    rx.table.cell(r.last_login),
                    rx.table.cell(r.events),
                ],
            ),
            columns=grid,
            gap="4",
            width="100%",
        ),
        rx.heading("Pipeline health", size="5", as_="h2"),
        rx.grid(
            _chart("Pipeline by stage", "pipeline"),
            _chart("Waiting for a decision", "ageing"),
            _chart("Lead funnel", "funnel"),
            _chart("Forecast by close month", "forecast"),
            columns=grid,
            gap="4",
            width="100%",
        ),
        rx.heading("Revenue attribution", size="5", as_="h2"),
        rx.grid(
            _chart("Won revenue by tier", "revenue"),
            _small_table(
                "Top partners (USD)",
                ["Partner", "Sourced", "Influenced", "Total"],
                DashboardState.top_partners,
                lambda r: [
                    rx.table.row_header_cell(r.partner),
                    rx.table.cell(r.sourced),
                    rx.table.cell(r.influenced),
                    rx.table.cell(r.total),
                ],
            ),
            columns=grid,
            gap="4",
            width="100%",
        ),
        rx.heading("Efficiency and satisfaction", size="5", as_="h2"),
        rx.grid(
            rx.card(
                rx.grid(
                    _fact("Median time to a decision", "approval"),
                    _fact("Decided within the SLA", "within_sla"),
                    _fact("Review SLA", "sla"),
                    _fact("Median lead response", "response"),
                    _fact("Leads recycled", "recycled"),
                    _fact("Decisions in the period", "decisions"),
                    columns="2",
                    gap="4",
                ),
                width="100%",
            ),
            _chart("Partner NPS", "nps"),
            columns=grid,
            gap="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
