"""The dashboard's state: the filters, what is on screen, and the live loop that keeps it current.

A background loop looks at the data version once a second (one shared query per worker, see analytics.live) and
redraws only the reports whose data moved (analytics.live.reports_to_show); reports are computed once per
(filters, version) per worker and shared by every viewer. The page itself is in dashboard.py.

The filters live in the page's address (`/dashboards?days=30&region=EMEA`): a link or a reload shows the same view.
A filter change first shows the page as busy (its own event, so the browser gets that at once), then recomputes.
The areas' panels (analytics.panels: training, content, tiering, ...) are computed and shared the same way; after
a filter change they come in an event of their own once the reports are drawn.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

import reflex as rx
from sqlmodel import Session

from prm_app.analytics import charts, metrics
from prm_app.analytics.live import (
    DashboardReports,
    current_version,
    dashboard_reports,
    reports_to_show,
    shared_panels,
)
from prm_app.analytics.panels import Panel
from prm_app.analytics.ui.display import (
    CHARTS,
    DashboardKpis,
    EfficiencyFacts,
    QuietPartnerLine,
    TopPartnerLine,
    chart_is_empty,
    chart_summary,
    chart_table,
    dashboard_kpis,
    efficiency_facts,
    quiet_partner_line,
    top_partner_line,
)
from prm_app.analytics.ui.panel_views import PanelView, panel_chart_rows, panel_view
from prm_app.identity import my_time_zone
from prm_app.partners import Choice, directory_filter_options, filter_choices
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotAuthenticated, PermissionDenied
from prm_app.platform.zones import zone_named
from prm_app.web.components.charts import EMPTY_FIGURE
from prm_app.web.format import zone_abbreviation
from prm_app.web.state import AuthState

T = TypeVar("T")
PERIODS = [("30", "Last 30 days"), ("90", "Last 90 days"), ("180", "Last 6 months"), ("365", "Last 12 months")]
WATCH_SECONDS = 60 * 60  # a forgotten tab stops polling after an hour; reloading starts it again
SESSION_CHECK_SECONDS = 30  # while nothing changes, how often the loop checks the viewer is still signed in
FILTERS = {"days": "90", "region": "", "partner_type": "", "tier_id": "", "manager_id": ""}  # name -> default
OPTION_LISTS = {"region": "regions", "partner_type": "types", "tier_id": "tiers", "manager_id": "managers"}
# Each chart: the report it draws (a field of analytics.live.DashboardReports) and how it is drawn.
FIGURES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "engagement": ("engagement", charts.engagement_figure),
    "pipeline": ("pipeline", charts.pipeline_figure),
    "ageing": ("pipeline", charts.ageing_figure),
    "funnel": ("pipeline", charts.funnel_figure),
    "forecast": ("pipeline", charts.forecast_figure),
    "revenue": ("revenue", charts.revenue_figure),
    "nps": ("nps", charts.nps_figure),
}


class DashboardState(AuthState):
    days: str = "90"
    region: str = ""
    partner_type: str = ""
    tier_id: str = ""
    manager_id: str = ""
    options: dict[str, list[Choice]] = {}  # the filters' choices, by filter: types, tiers, regions, managers
    kpis: DashboardKpis = DashboardKpis()
    fig_engagement: dict[str, Any] = EMPTY_FIGURE
    fig_pipeline: dict[str, Any] = EMPTY_FIGURE
    fig_ageing: dict[str, Any] = EMPTY_FIGURE
    fig_funnel: dict[str, Any] = EMPTY_FIGURE
    fig_forecast: dict[str, Any] = EMPTY_FIGURE
    fig_revenue: dict[str, Any] = EMPTY_FIGURE
    fig_nps: dict[str, Any] = EMPTY_FIGURE
    least_engaged: list[QuietPartnerLine] = []
    top_partners: list[TopPartnerLine] = []
    efficiency: EfficiencyFacts = EfficiencyFacts()
    panels: list[PanelView] = []  # the areas' panels (training, content, tiering, ...), in their order
    summaries: dict[str, str] = {}  # chart -> what it shows, in words (its accessible name)
    empty: list[str] = []  # charts with nothing to draw for these filters
    tables: dict[str, list[list[str]]] = {}  # chart -> its figures as a table (header row first), while shown
    loaded: bool = False  # the first reports are on screen (skeletons until then)
    busy: bool = False  # recomputing after a filter change
    updated: str = ""  # when the figures were last updated, in the viewer's zone: "14:05:09 CET"
    _zone: str = ""  # the viewer's zone setting (a name: state must pickle), read at load
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

    def _show(self, version: tuple, *, unattended: bool = False, with_panels: bool = True) -> None:
        """Put the reports on screen, touching only the parts whose data moved (or all, after a filter change).
        `unattended`: a live refresh, which must not count as the viewer's activity. Without `with_panels` the
        areas' panels are left to show_panels and the page stays busy until then."""
        f = self._filters()
        run = self._run_unattended if unattended else self._run
        reports, panels = run(_reports_and_panels, f, version, with_panels)
        fresh = reports_to_show(self._shown, f, self._version, version)
        e, r = reports.engagement, reports.revenue
        if fresh & {"engagement", "nps"}:
            self.kpis = dashboard_kpis(e, reports.nps)
        if "engagement" in fresh:
            self.least_engaged = [quiet_partner_line(q) for q in e.least_engaged]
        if "revenue" in fresh:
            self.top_partners = [top_partner_line(t) for t in r.top_partners]
        if "efficiency" in fresh:
            self.efficiency = efficiency_facts(reports.efficiency)
        summaries, empty, tables = dict(self.summaries), set(self.empty), dict(self.tables)
        for key, (report, _draw) in FIGURES.items():
            if report not in fresh:
                continue
            drawn = _drawn(reports, key)
            setattr(self, f"fig_{key}", drawn.figure)
            summaries[key] = drawn.summary
            (empty.add if drawn.empty else empty.discard)(key)
            if key in tables:
                tables[key] = chart_table(drawn.rows)
        self.summaries, self.empty, self.tables = summaries, [k for k in CHARTS if k in empty], tables
        if fresh and panels is not None:  # a panel may read any area's rows: any move of the version redraws them
            self._put_panels(panels)
        self._shown = f
        self._version = version
        now, zone = utcnow(), zone_named(self._zone)
        self.updated = f"{now.astimezone(zone):%H:%M:%S} {zone_abbreviation(now, zone)}"
        self.loaded, self.busy = True, panels is None

    def _put_panels(self, panels: tuple[Panel, ...]) -> None:
        self.panels = _panel_views(panels)
        self.tables = {
            k: rows if k in FIGURES else chart_table(panel_chart_rows(panels, k) or [])
            for k, rows in self.tables.items()
        }

    def _valid(self, name: str, value: str) -> str:
        """`value` for filter `name` if it is one of its choices, else the filter's default (addresses are typed
        and edited by people: a stale or mistyped one shows the default view rather than an error)."""
        if name == "days":
            return value if value in {v for v, _ in PERIODS} else FILTERS["days"]
        return value if value in {c.value for c in self.options.get(OPTION_LISTS[name], [])} else ""

    def _address(self) -> str:
        """This view's address: the page's path and the filters that differ from their defaults."""
        chosen = {name: getattr(self, name) for name, default in FILTERS.items() if getattr(self, name) != default}
        path = self.router.url.path or "/dashboards"
        return f"{path}?{urlencode(chosen)}" if chosen else path

    @rx.var
    def filtered(self) -> bool:
        """Some filter differs from its default (the empty state then offers to reset them). Spelled out: Reflex
        finds a computed var's dependencies in its code, and would miss them behind getattr."""
        return (self.days, self.region, self.partner_type, self.tier_id, self.manager_id) != tuple(FILTERS.values())

    @rx.event
    def load(self):
        options, self._zone = self._run(_filter_options_and_zone)
        self.options = filter_choices(options)
        query = self.router.url.query_parameters
        for name, default in FILTERS.items():
            setattr(self, name, self._valid(name, str(query.get(name, default))))
        self.busy = True
        return [DashboardState.recompute, DashboardState.watch]

    @rx.event
    def recompute(self):
        """Show the reports for the current filters, and put the filters in the address (replacing the history
        entry: going back leaves the page rather than stepping through every filter touched)."""
        self._show(current_version(), with_panels=False)
        script = f"window.history.replaceState(window.history.state, '', {json.dumps(self._address())})"
        return [rx.call_script(script), DashboardState.show_panels]

    @rx.event
    def show_panels(self):
        """The areas' panels for the filters and data version on screen: an event of their own after the reports,
        so the built-in charts are drawn without waiting for them (the page is busy until the panels are in)."""
        self._put_panels(self._run(shared_panels, self._filters(), self._version or current_version(), utcnow()))
        self.busy = False

    @rx.event
    def set_filter(self, name: str, value: str):
        if name in FILTERS:
            setattr(self, name, self._valid(name, str(value)))
            self.busy = True
            return DashboardState.recompute

    @rx.event
    def reset_filters(self):
        for name, default in FILTERS.items():
            setattr(self, name, default)
        self.busy = True
        return DashboardState.recompute

    @rx.event
    def toggle_data(self, chart: str):
        """Show or hide a chart's figures as a table (built only when asked for: it is state every event carries)."""
        if chart in self.tables:
            self.tables = {k: v for k, v in self.tables.items() if k != chart}
        elif (rows := self._rows_on_screen(chart)) is not None:
            self.tables = {**self.tables, chart: chart_table(rows)}

    @rx.event
    def download(self, chart: str):
        if (rows := self._rows_on_screen(chart)) is not None:
            return rx.download(data=charts.to_csv(rows), filename=f"{chart}.csv")

    def _rows_on_screen(self, chart: str) -> list[dict[str, object]] | None:
        """The rows behind chart `chart` (a report's or a panel's) as on screen; None for no such chart."""
        if chart in FIGURES:
            return self._on_screen(chart).rows
        if not isinstance(chart, str) or not chart.startswith("panel-"):
            return None
        version = self._version or current_version()
        return panel_chart_rows(self._run(shared_panels, self._filters(), version, utcnow()), chart)

    def _on_screen(self, chart: str) -> Drawn:
        """Chart `chart` as this viewer sees it: the data version on screen, so its table and its CSV download
        show the figures the chart draws, even when newer data is a second away from being drawn."""
        return _drawn(self._run(dashboard_reports, self._filters(), self._version or current_version()), chart)

    @rx.event(background=True)
    async def watch(self):
        """Refresh this viewer when the data version moves. Starts only for a signed-in viewer; stops when the
        viewer leaves the page, or their session ends (signed out, deactivated, or idle: the refreshes do not
        count as activity, so an open dashboard never keeps a session alive).

        Leaving the page cancels this task (the next page load supersedes the on_load chain that started it), so
        the loop takes the tab's state (`async with self`: a load and a save of this whole state, plotly figures
        included) only when the data moved or the session is due a check, not every second: 50 idle dashboards
        cost more than a core that way. Each `async with self` is shielded from that cancellation: Reflex 0.10.1
        takes the tab's state lock with SET NX in Redis, and a cancellation landing after the SET ran but before
        its reply was read leaves a lock nobody releases; the tab's next events then wait 10 s for it to expire."""

        async def start() -> bool:
            async with self:
                if self._watching:
                    return False
                try:
                    await self._in_thread(self._run_unattended, _may_view_dashboards)
                except (NotAuthenticated, PermissionDenied):
                    return False
                self._watching = True
                return True

        async def refresh(version: tuple, check_session: bool) -> bool:
            async with self:
                if not self.router.url.path.rstrip("/").endswith("/dashboards"):
                    return False
                # The reports and charts are built on the handler threads: with many dashboards open, one
                # data change must not stall this worker's other sockets while each viewer redraws.
                if version != self._version:
                    await self._in_thread(self._show, version, unattended=True)
                elif check_session:
                    await self._in_thread(self._run_unattended, _may_view_dashboards)
                return True

        async def stop() -> None:
            async with self:
                self._watching = False

        if not await asyncio.shield(start()):
            return
        started = last_check = time.monotonic()
        shown = None  # the version this loop last looked at (the first pass always looks)
        try:
            while time.monotonic() - started < WATCH_SECONDS:
                await asyncio.sleep(1)
                version = await asyncio.to_thread(current_version)
                check = time.monotonic() - last_check >= SESSION_CHECK_SECONDS
                if version == shown and not check:
                    continue
                if not await asyncio.shield(refresh(version, check)):
                    break
                shown = version
                if check:
                    last_check = time.monotonic()
        except (NotAuthenticated, PermissionDenied):
            pass  # the session ended: nothing more goes to this tab
        finally:
            await asyncio.shield(stop())


@dataclass(frozen=True)
class Drawn:
    """One chart as a viewer's state shows it: its figure, its rows, what it shows in words, whether it is empty."""

    figure: dict[str, Any]
    rows: list[dict[str, object]]
    summary: str
    empty: bool


MAX_DRAWN = 128
_drawn_lock = threading.Lock()
_drawn_cache: OrderedDict[tuple[str, int], tuple[object, object]] = OrderedDict()


def _drawn(reports: DashboardReports, key: str) -> Drawn:
    """Chart `key` of `reports`, drawn once per report in this worker. Every viewer of the same filters and data
    version is handed the same report object (analytics.live shares them; a channel manager's book-trimmed copy is
    another object), so a data change draws each chart once rather than once per open dashboard. The cache keeps
    the report it was drawn from and checks identity, so a reused id() can never hand out another report's chart."""
    report = getattr(reports, FIGURES[key][0])

    def draw() -> Drawn:
        rows = charts.chart_rows(reports, key)
        return Drawn(FIGURES[key][1](report), rows, chart_summary(rows, key), chart_is_empty(rows, key))

    return _once(key, report, draw)


def _panel_views(panels: tuple[Panel, ...]) -> list[PanelView]:
    """The panels as the state keeps them, drawn once per computed tuple in this worker (shared_panels hands every
    viewer of the same filters and version the same tuple)."""
    return _once("panels", panels, lambda: [panel_view(p) for p in panels])


def _once(name: str, source: object, build: Callable[[], T]) -> T:
    """`build()` once per (name, source object) in this worker. The cache keeps `source` and checks identity, so a
    reused id() can never hand out another source's drawing."""
    cache_key = (name, id(source))
    with _drawn_lock:
        hit = _drawn_cache.get(cache_key)
        if hit is not None and hit[0] is source:
            _drawn_cache.move_to_end(cache_key)
            # ignored: the cache's values are typed object, but this key's is what build() returned, a T
            return hit[1]  # type: ignore[return-value]
    value = build()
    with _drawn_lock:
        _drawn_cache[cache_key] = (source, value)
        while len(_drawn_cache) > MAX_DRAWN:
            _drawn_cache.popitem(last=False)
    return value


def _reports_and_panels(
    session: Session, actor: Actor, f: metrics.Filters, version: tuple, with_panels: bool
) -> tuple[DashboardReports, tuple[Panel, ...] | None]:
    """The reports and (`with_panels`) the areas' panels for these filters, in one unit of work (each shared
    across viewers); None for the panels when not asked for."""
    panels = shared_panels(session, actor, f, version, utcnow()) if with_panels else None
    return dashboard_reports(session, actor, f, version), panels


def _filter_options_and_zone(session, actor: Actor):
    """The filters' choices and the viewer's zone setting, in one unit of work."""
    return directory_filter_options(session, actor), my_time_zone(session, actor)


def _may_view_dashboards(_session, actor: Actor) -> None:
    actor.require(Permission.VIEW_PARTNERS)
