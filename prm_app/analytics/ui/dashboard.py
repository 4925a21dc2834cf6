"""Executive dashboards: engagement, pipeline health, revenue attribution, efficiency and partner NPS.

Every chart obeys the filters and has a CSV download of its data. The page stays live: a background loop looks
at the data version once a second (one shared query per worker, see analytics.live) and recomputes only when it moved;
reports are computed once per (filters, version) per worker and shared by every viewer.
"""

from __future__ import annotations

import asyncio
import time

import plotly.graph_objects as go
import reflex as rx

from prm_app.analytics import charts, metrics
from prm_app.analytics.live import current_version, dashboard_reports, reports_to_show
from prm_app.partners import directory_options
from prm_app.platform.clock import utcnow
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState

PERIODS = [("30", "Last 30 days"), ("90", "Last 90 days"), ("180", "Last 6 months"), ("365", "Last 12 months")]
WATCH_SECONDS = 60 * 60  # a forgotten tab stops polling after an hour; reloading starts it again


class DashboardState(AuthState):
    days: str = "90"
    region: str = ""
    partner_type: str = ""
    tier_id: str = ""
    manager_id: str = ""
    options: dict[str, list[dict[str, str]]] = {}
    kpis: dict[str, str] = {}
    fig_engagement: go.Figure = go.Figure()
    fig_pipeline: go.Figure = go.Figure()
    fig_ageing: go.Figure = go.Figure()
    fig_funnel: go.Figure = go.Figure()
    fig_forecast: go.Figure = go.Figure()
    fig_revenue: go.Figure = go.Figure()
    fig_nps: go.Figure = go.Figure()
    least_engaged: list[dict] = []
    top_partners: list[dict] = []
    efficiency: dict[str, str] = {}
    updated: str = ""
    _version: tuple = ()
    _shown: metrics.Filters | None = None  # the filters of what is on screen (at `_version`)
    _watching: bool = False

    def _filters(self) -> metrics.Filters:
        return metrics.Filters.last_days(
            int(self.days),
            utcnow(),
            region=self.region,
            partner_type=self.partner_type,
            tier_id=int(self.tier_id) if self.tier_id.isdigit() else None,
            manager_id=int(self.manager_id) if self.manager_id.isdigit() else None,
        )

    def _show(self, version: tuple) -> None:
        """Put the reports on screen, touching only the parts whose data moved (or all, after a filter change)."""
        f = self._filters()
        reports = self._run(dashboard_reports, f, version)
        fresh = reports_to_show(self._shown, f, self._version, version)
        e, p, r, eff, n = (reports[k] for k in ("engagement", "pipeline", "revenue", "efficiency", "nps"))
        if fresh & {"engagement", "nps"}:
            self.kpis = {
                "active": f"{e.kpis['active_partners_30d']:,}",
                "logins": f"{e.kpis['logins']:,}",
                "registrations": f"{e.kpis['registrations']:,}",
                "acceptances": f"{e.kpis['lead_acceptances']:,}",
                "nps": "—" if n.tally.nps is None else f"{n.tally.nps:.1f}",
            }
        if "engagement" in fresh:
            self.fig_engagement, self.least_engaged = charts.engagement_figure(e), e.least_engaged
        if "pipeline" in fresh:
            self.fig_pipeline, self.fig_ageing = charts.pipeline_figure(p), charts.ageing_figure(p)
            self.fig_funnel, self.fig_forecast = charts.funnel_figure(p), charts.forecast_figure(p)
        if "revenue" in fresh:
            self.fig_revenue, self.top_partners = charts.revenue_figure(r), r.top_partners
        if "nps" in fresh:
            self.fig_nps = charts.nps_figure(n)
        if "efficiency" in fresh:
            self.efficiency = {
                "approval": "—" if eff.approval_hours_median is None else f"{eff.approval_hours_median:.1f} h",
                "within_sla": "—" if eff.approvals_within_sla_pct is None else f"{eff.approvals_within_sla_pct:.0f}%",
                "sla": f"{eff.sla_business_days} business days",
                "response": "—"
                if eff.lead_response_hours_median is None
                else f"{eff.lead_response_hours_median:.1f} h",
                "recycled": f"{eff.leads_recycled:,}",
                "decisions": f"{eff.decisions:,}",
            }
        self._shown = f
        self._version = version
        self.updated = utcnow().strftime("%H:%M:%S UTC")

    @rx.event
    def load(self):
        self.options = self._run(directory_options)
        self._show(current_version())
        return DashboardState.watch

    @rx.event
    def set_filter(self, name: str, value: str):
        if name in {"days", "region", "partner_type", "tier_id", "manager_id"}:
            setattr(self, name, str(value) if name != "days" or value in {v for v, _ in PERIODS} else "90")
            self._show(current_version())

    @rx.event
    def download(self, chart: str):
        rows = charts.chart_rows(self._run(dashboard_reports, self._filters(), current_version()), chart)
        return rx.download(data=charts.to_csv(rows), filename=f"{chart}.csv")

    @rx.event(background=True)
    async def watch(self):
        """Refresh this viewer when the data version moves; stop when it leaves the page or signs out."""
        async with self:
            if self._watching:
                return
            self._watching = True
        started = time.monotonic()
        try:
            while time.monotonic() - started < WATCH_SECONDS:
                await asyncio.sleep(1)
                version = await asyncio.to_thread(current_version)
                async with self:
                    if not self.router.url.path.rstrip("/").endswith("/dashboards"):
                        break
                    if version != self._version:
                        self._show(version)
        finally:
            async with self:
                self._watching = False


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
        rx.foreach(DashboardState.options[key], lambda o: rx.el.option(o["label"], value=o["value"])),
    ]


def _kpi(label: str, key: str) -> rx.Component:
    return rx.card(
        rx.text(label, size="2"),
        rx.heading(DashboardState.kpis[key], size="7", as_="p", id=f"kpi-{key}"),
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
        rx.plotly(data=getattr(DashboardState, f"fig_{key}"), height="320px", width="100%"),
        width="100%",
    )


def _fact(label: str, key: str) -> rx.Component:
    return rx.box(rx.text(label, size="1", color_scheme="gray"), rx.text(DashboardState.efficiency[key], size="4"))


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
                    rx.table.row_header_cell(r["partner"]),
                    rx.table.cell(r["manager"]),
                    rx.table.cell(r["last_login"]),
                    rx.table.cell(r["events"]),
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
                    rx.table.row_header_cell(r["partner"]),
                    rx.table.cell(r["sourced_usd"]),
                    rx.table.cell(r["influenced_usd"]),
                    rx.table.cell(r["total_usd"]),
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
