"""What the dashboard and scorecard pages show: the reports in, small frozen rows of display text out.

All formatting of analytics happens here (with prm_app/web/format.py); names for codes come from labels.py and
charts from charts.py. Pure functions: tested in tests/analytics/test_analytics_display.py without a browser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from prm_app.analytics.dashboards import PartnerRevenue
from prm_app.analytics.engagement import EngagementReport, QuietPartner
from prm_app.analytics.labels import STAGE_STATUS_LABELS
from prm_app.analytics.metrics import EfficiencyReport
from prm_app.analytics.panels import PanelBars
from prm_app.analytics.scorecard import Scorecard, ScorecardFigure
from prm_app.nps import NpsReport
from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue
from prm_app.web.format import DASH, day, hours, number, percent, whole_money


@dataclass(frozen=True)
class DashboardKpis:
    """The headline figures ("" before the first load)."""

    active: str = ""
    logins: str = ""
    registrations: str = ""
    acceptances: str = ""
    nps: str = ""


def dashboard_kpis(engagement: EngagementReport, nps: NpsReport) -> DashboardKpis:
    k = engagement.kpis
    return DashboardKpis(
        active=number(k.active_partners_30d),
        logins=number(k.logins),
        registrations=number(k.registrations),
        acceptances=number(k.lead_acceptances),
        nps=number(nps.tally.nps, 1),
    )


@dataclass(frozen=True)
class EfficiencyFacts:
    """How fast the program works, as the dashboard's facts read."""

    approval: str = ""
    within_sla: str = ""
    sla: str = ""
    response: str = ""
    recycled: str = ""
    decisions: str = ""


def efficiency_facts(report: EfficiencyReport) -> EfficiencyFacts:
    return EfficiencyFacts(
        approval=hours(report.approval_hours_median),
        within_sla=percent(report.approvals_within_sla_pct),
        sla=f"{report.sla_business_days} business days",
        response=hours(report.lead_response_hours_median),
        recycled=number(report.leads_recycled),
        decisions=number(report.decisions),
    )


@dataclass(frozen=True)
class QuietPartnerLine:
    """One of the least engaged partners ("" for no manager and for never signed in)."""

    partner: str
    manager: str
    last_login: str
    events: str


def quiet_partner_line(p: QuietPartner) -> QuietPartnerLine:
    return QuietPartnerLine(
        partner=p.partner,
        manager=p.manager or "",
        last_login=day(p.last_login) if p.last_login else "",
        events=number(p.events),
    )


@dataclass(frozen=True)
class TopPartnerLine:
    """One of the top partners by won revenue, in whole USD ("6,201"; the table's title names the currency)."""

    partner: str
    sourced: str
    influenced: str
    total: str


def top_partner_line(p: PartnerRevenue) -> TopPartnerLine:
    return TopPartnerLine(
        partner=p.partner,
        sourced=whole_money(p.sourced_usd),
        influenced=whole_money(p.influenced_usd),
        total=whole_money(p.total_usd),
    )


@dataclass(frozen=True)
class ScorecardLine:
    """One figure of a scorecard: this period, the previous one, the change and the program median."""

    label: str
    current: str
    previous: str
    change: str
    median: str


def _figure(value: float | int | None, key: str = "", language: str = DEFAULT_LANGUAGE) -> str:
    """Counts as whole numbers, money (a key ending in _usd: its label names the currency) in whole units as every
    total on the dashboards, rates and hours to one decimal, "—" when there is none; as `language` writes numbers."""
    if key.endswith("_usd"):
        return whole_money(value, language=language)
    return number(value, 1 if isinstance(value, float) else 0, language=language)


def scorecard_line(figure: ScorecardFigure, language: str = DEFAULT_LANGUAGE) -> ScorecardLine:
    """One figure with its name and numbers in `language` (the house's English labels by default)."""
    return ScorecardLine(
        label=catalogue(language).text(f"analytics.score.{figure.key}"),
        current=_figure(figure.current, figure.key, language),
        previous=_figure(figure.previous, figure.key, language),
        change=percent(figure.change_pct, signed=True, language=language),
        median=_figure(figure.program_median, figure.key, language),
    )


# --- What each dashboard chart says in words, and its figures as a table -----------------------------------------

Row = dict[str, object]


@dataclass(frozen=True)
class ChartText:
    """How one chart is put in words: its title, what names an item of it and the item's figure (from chart_rows)."""

    title: str
    item: Callable[[Row], str]
    value: Callable[[Row], float]
    money: bool = False


def _num(row: Row, *keys: str) -> float:
    return sum(float(v) if isinstance(v, int | float) else 0.0 for v in (row.get(k) for k in keys))


CHART_TEXT = {
    "engagement": ChartText("Logins per week", lambda r: str(r["group"]), lambda r: _num(r, "logins")),
    "pipeline": ChartText(
        "Open pipeline by stage",
        lambda r: f"{r['stage']}, {STAGE_STATUS_LABELS.get(str(r['status']), r['status']).lower()}",
        lambda r: _num(r, "value_usd"),
        money=True,
    ),
    "ageing": ChartText("Registrations waiting for a decision", lambda r: str(r["bucket"]), lambda r: _num(r, "deals")),
    "funnel": ChartText("Lead funnel", lambda r: str(r["step"]), lambda r: _num(r, "count")),
    "forecast": ChartText(
        "Approved pipeline by expected close month", lambda r: str(r["month"]), lambda r: _num(r, "value_usd"), True
    ),
    "revenue": ChartText(
        "Won revenue", lambda r: str(r["group"]), lambda r: _num(r, "sourced_usd", "influenced_usd"), money=True
    ),
    "nps": ChartText("Partner NPS by survey", lambda r: str(r["survey"]), lambda r: _num(r, "nps")),
}
CHARTS = tuple(CHART_TEXT)
SUMMARY_ITEMS = 6  # a text alternative names at most this many items, then says how many more there are


def chart_is_empty(rows: list[Row], chart: str) -> bool:
    """Nothing to draw: no rows, or every item's figure is zero (a pipeline of empty stages); for NPS, no survey with
    an answer (an NPS of 0 is a figure, a survey nobody answered is not)."""
    if chart == "nps":
        return all(r.get("nps") is None for r in rows)
    return not any(CHART_TEXT[chart].value(r) for r in rows)


def chart_summary(rows: list[Row], chart: str) -> str:
    """The chart in one or two sentences, for people who cannot see it (its accessible name): each item with its
    figure (items that repeat, like a group's weeks, added up), largest first when there are more than
    SUMMARY_ITEMS, in the chart's own order otherwise."""
    text = CHART_TEXT[chart]
    if chart_is_empty(rows, chart):
        return _sentence(text.title, {})
    totals: dict[str, float] = defaultdict(float)
    for r in rows:
        totals[text.item(r)] += text.value(r)
    return _sentence(text.title, totals, text.money)


def bars_summary(bars: PanelBars) -> str:
    """A panel's bar series in words (its accessible name), as chart_summary puts a report's chart."""
    totals: dict[str, float] = defaultdict(float)
    for label, value in zip(bars.labels, bars.values, strict=True):
        totals[label] += value
    return _sentence(bars.title, totals if any(bars.values) else {})


def _sentence(title: str, totals: dict[str, float], money: bool = False) -> str:
    """ "Title: a: 1; b: 2." naming at most SUMMARY_ITEMS items (largest first when there are more); no items:
    nothing to show."""
    if not totals:
        return f"{title}: nothing to show for these filters."
    items = list(totals.items())
    if len(items) > SUMMARY_ITEMS:
        items = sorted(items, key=lambda kv: -kv[1])
    shown = "; ".join(f"{name}: {_amount(v, money)}" for name, v in items[:SUMMARY_ITEMS])
    more = len(totals) - SUMMARY_ITEMS
    return f"{title}: {shown}" + (f"; and {more} more (largest shown)." if more > 0 else ".")


def _amount(value: float, money: bool) -> str:
    if money:
        return whole_money(value, "USD")
    return number(value, 0 if value == int(value) else 1)


def chart_table(rows: list[Row]) -> list[list[str]]:
    """A chart's rows as a table of text: a header row ("value_usd" -> "Value usd" reads badly, so "Value (USD)"),
    then one row per item; numbers with thousands separators, money to the cent, "—" for none."""
    if not rows:
        return []
    keys = list(dict.fromkeys(k for r in rows for k in r))
    header = [_heading(k) for k in keys]
    return [header, *[[_cell(k, r.get(k)) for k in keys] for r in rows]]


HEADINGS = {"nps": "NPS", "survey_id": "Survey ID"}  # where capitalising the column's name reads wrong


def _heading(key: str) -> str:
    if key in HEADINGS:
        return HEADINGS[key]
    words = key.removesuffix("_usd").replace("_", " ")
    return words[:1].upper() + words[1:] + (" (USD)" if key.endswith("_usd") else "")


def _cell(key: str, value: object) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if key.endswith("_usd"):
        return number(value, 2)
    return number(value, 0 if isinstance(value, int) else 1)


def trend_summary(card: Scorecard, language: str = DEFAULT_LANGUAGE) -> str:
    """The scorecard's 12-week sparkline in words (its accessible name), in `language`."""
    words = catalogue(language)
    logins = [t.logins for t in card.trend]
    registrations = [t.registrations for t in card.trend]
    if not any(logins) and not any(registrations):
        return words.plural("analytics.score.trend_quiet", len(card.trend))
    busiest = max(card.trend, key=lambda t: t.logins)
    return words.plural(
        "analytics.score.trend",
        len(card.trend),
        logins=number(sum(logins), language=language),
        registrations=number(sum(registrations), language=language),
        week=day(busiest.week, language=language),
        busiest=number(busiest.logins, language=language),
    )
