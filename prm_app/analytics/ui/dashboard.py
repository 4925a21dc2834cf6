"""Executive dashboards: engagement, pipeline health, revenue attribution, efficiency and partner NPS.

Every chart obeys the filters, says what it shows in words (its accessible name), and offers its figures as a
table and a CSV download. Skeletons until the first reports arrive, a busy state while a filter change recomputes,
and an empty state that offers to reset the filters. The page stays live (its state, in dashboard_state.py, redraws
what moved); this module only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.analytics.ui.chart_card import chart_card, panel_sections
from prm_app.analytics.ui.dashboard_state import PERIODS, DashboardState
from prm_app.analytics.ui.display import CHARTS
from prm_app.onboarding import QuarterMedians, onboarding_medians
from prm_app.platform.access import Role
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


def _days(days: float | None) -> str:
    return "—" if days is None else f"{round(days)} days"


@dataclass(frozen=True)
class QuarterLine:
    quarter: str = ""
    joined: str = ""
    to_onboard: str = ""  # median, "—" until one partner of the quarter is onboarded
    to_first_deal: str = ""


def quarter_line(q: QuarterMedians) -> QuarterLine:
    return QuarterLine(q.quarter, str(q.joined), _days(q.median_days_to_onboard), _days(q.median_days_to_first_deal))


class OnboardingMediansState(AuthState):
    """Time to onboard and to first deal, medians per quarter of joining (the last four quarters with partners
    joining), over every partner the viewer reaches; the dashboard's filters do not apply to them."""

    quarters: list[QuarterLine] = []

    @rx.event
    def load(self):
        self.quarters = [quarter_line(q) for q in self._run(onboarding_medians)]


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


def _kpi(label: str, key: str, hint: str = "") -> rx.Component:
    return rx.card(
        rx.text(label, size="2"),
        rx.skeleton(
            # A figure, not a heading (Radix renders a Heading with as_="p" as an h1: the page had six).
            rx.text(getattr(DashboardState.kpis, key), size="7", weight="bold", as_="p", id=f"kpi-{key}"),
            loading=~DashboardState.loaded,
        ),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        min_width="9rem",
        flex="1",
    )


def _chart(title: str, key: str) -> rx.Component:
    figure, summary = getattr(DashboardState, f"fig_{key}"), DashboardState.summaries[key]
    return chart_card(title, key, figure, summary, DashboardState.empty.contains(key))


def _status() -> rx.Component:
    """The live line: "Updating…" while a filter change recomputes, else when the figures were last updated."""
    return rx.box(
        rx.cond(
            DashboardState.busy | ~DashboardState.loaded,
            rx.hstack(rx.spinner(size="1"), rx.text("Updating the figures…", size="1"), align="center", spacing="2"),
            rx.text(
                "Live: updates by itself when partners act. Last update ",
                DashboardState.updated,
                ".",
                size="1",
                color_scheme="gray",
            ),
        ),
        role="status",
    )


def _nothing_matches() -> rx.Component:
    return rx.cond(
        DashboardState.loaded & (DashboardState.empty.length() == len(CHARTS)),
        rx.callout.root(
            rx.callout.text(
                rx.cond(
                    DashboardState.filtered,
                    "Nothing matches these filters in this period.",
                    "Nothing has happened in this period yet.",
                )
            ),
            rx.cond(
                DashboardState.filtered,
                rx.button(
                    "Reset filters",
                    size="1",
                    color_scheme="indigo",  # the app's accent: the grey callout's would be too faint on it
                    on_click=DashboardState.reset_filters,
                    width="fit-content",
                ),
            ),
            color_scheme="gray",
            id="dashboard-empty",
        ),
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
    on_load=[DashboardState.load, OnboardingMediansState.load],
    nav=Nav("Dashboards", "chart-column", 10),
    home_of=(Role.EXEC,),  # what an exec signs in to look at
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
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        _status(),
        rx.vstack(
            _nothing_matches(),
            rx.flex(
                _kpi("Active partners", "active", hint="Signed in during the last 30 days, whatever the period"),
                _kpi("Logins", "logins"),
                _kpi("Deal registrations", "registrations"),
                _kpi("Lead acceptances", "acceptances"),
                _kpi("Partner NPS", "nps"),
                spacing="3",
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
                spacing="4",
                width="100%",
            ),
            rx.heading("Pipeline health", size="5", as_="h2"),
            rx.grid(
                _chart("Pipeline by stage", "pipeline"),
                _chart("Waiting for a decision", "ageing"),
                _chart("Lead funnel", "funnel"),
                _chart("Forecast by close month", "forecast"),
                columns=grid,
                spacing="4",
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
                spacing="4",
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
                        spacing="4",
                    ),
                    width="100%",
                ),
                _chart("Partner NPS", "nps"),
                columns=grid,
                spacing="4",
                width="100%",
            ),
            rx.heading("Onboarding", size="5", as_="h2"),
            _small_table(
                "Time to onboard and to first deal, medians by quarter joined (all partners)",
                ["Quarter joined", "Partners", "Median time to onboard", "Median time to first deal"],
                OnboardingMediansState.quarters,
                lambda q: [
                    rx.table.row_header_cell(q.quarter),
                    rx.table.cell(q.joined),
                    rx.table.cell(q.to_onboard),
                    rx.table.cell(q.to_first_deal),
                ],
            ),
            panel_sections(),
            spacing="4",
            width="100%",
            aria_busy=rx.cond(DashboardState.busy, "true", "false"),
            opacity=rx.cond(DashboardState.busy, "0.55", "1"),
            transition="opacity 0.15s",
        ),
        spacing="4",
        width="100%",
    )
