"""Dashboard and scorecard charts: pure functions from a report (metrics.py) to a figure as plain JSON data (the
`{"data": [...], "layout": {...}}` dict a page's state keeps and plotly.js draws), and the rows behind each
dashboard chart with their CSV text for its download button.

Every figure uses the same look: no template of its own (the page applies the light or the dark one), small
margins, about 320 px high, axis titles, and the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies). Figures are built from the report's small lists of plain values only; nothing here reads the
database.

The figures are written as plain dicts, not plotly objects: plotly validates every property it is given, then the
Figure had to be turned into JSON for the state, which made drawing the charts a large share of the web workers' CPU
under load (#10); bench/charts.py draws the dashboard's 7 charts in 0.3 ms instead of 42 ms. The dicts are exactly
what `json.loads(go.Figure(...).to_json())` gave for the same report, template left out: the same keys in the same
order (a trace's properties alphabetically, then its `type`, as plotly writes them), numbers as plotly's JSON
encoder writes them (`_numbers`). tests/analytics/test_charts_plain.py holds every figure to the one plotly built,
and plotly accepts each dict.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from prm_app.analytics.labels import (
    FUNNEL_LABELS,
    MEASURE_LABELS,
    STAGE_STATUS_LABELS,
    age_label,
    group_name,
    grouping_name,
)
from prm_app.analytics.live import DashboardReports
from prm_app.analytics.metrics import EngagementReport, PipelineReport, RevenueReport, Scorecard
from prm_app.analytics.panels import PanelBars
from prm_app.nps import NpsReport

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, reddish purple, sky blue, vermillion,
# yellow, black.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HEIGHT = 320
MARGIN = {"l": 48, "r": 12, "t": 44, "b": 40}

Figure = dict[str, Any]  # {"data": [trace, ...], "layout": {...}}: plotly's figure as plain JSON data


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> Figure:
    """A figure without a template: the page's chart component applies the light or the dark one."""
    return {"data": data, "layout": layout}


def _layout(
    title: str,
    x_title: str,
    y_title: str,
    *,
    height: int = HEIGHT,
    margin: dict[str, int] = MARGIN,
    first: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The shared look. `first`: the figure's own layout settings, set before the shared look as plotly had them
    (their keys come first; an axis of its own gains its title after its settings)."""
    layout = dict(first) if first else {}
    layout["title"] = {"font": {"size": 15}, "text": title, "x": 0, "xanchor": "left"}
    layout["margin"] = dict(margin)
    layout["legend"] = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1}
    layout["height"] = height
    layout["colorway"] = list(PALETTE)
    layout["xaxis"] = {**layout.get("xaxis", {}), "title": {"text": x_title}}
    layout["yaxis"] = {**layout.get("yaxis", {}), "title": {"text": y_title}}
    return layout


def _numbers(values: Iterable[object]) -> list[object]:
    """`values` as plotly's JSON encoder writes them: a Decimal as a float, NaN and infinities as null (strict
    JSON; the browser could not parse them), anything else as it is."""
    return [_number(v) for v in values]


def _number(value: object) -> object:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def engagement_figure(report: EngagementReport, measure: str = "logins") -> Figure:
    """One line per group (partner type, tier or region): `measure` per week."""
    label = MEASURE_LABELS[measure]
    groups = list(dict.fromkeys(r.group for r in report.weekly))
    data = []
    for i, group in enumerate(groups):
        rows = [r for r in report.weekly if r.group == group]
        data.append(
            {
                "line": {"color": PALETTE[i % len(PALETTE)]},
                "mode": "lines+markers",
                "name": group_name(report.by, group),
                "x": [r.week.isoformat() for r in rows],
                "y": _numbers(getattr(r, measure) for r in rows),
                "type": "scatter",
            }
        )
    return _figure(data, _layout(f"{label} per week by {grouping_name(report.by)}", "Week starting", label))


def pipeline_figure(report: PipelineReport) -> Figure:
    """Open pipeline value by stage, awaiting review and approved stacked."""
    stages = list(dict.fromkeys(r.stage for r in report.by_stage))
    data = []
    for i, (status, name) in enumerate(STAGE_STATUS_LABELS.items()):
        values = {r.stage: r.value_usd for r in report.by_stage if r.status == status}
        deals = {r.stage: r.deals for r in report.by_stage if r.status == status}
        data.append(
            {
                "customdata": _numbers(deals.get(s, 0) for s in stages),
                "hovertemplate": "%{x}: $%{y:,.0f} (%{customdata} deals)<extra>" + name + "</extra>",
                "marker": {"color": PALETTE[i]},
                "name": name,
                "x": list(stages),
                "y": _numbers(values.get(s, 0) for s in stages),
                "type": "bar",
            }
        )
    return _figure(data, _layout("Open pipeline by stage", "Stage", "Value (USD)", first={"barmode": "stack"}))


def ageing_figure(report: PipelineReport) -> Figure:
    """How long registrations awaiting a decision have waited."""
    bar = {
        "marker": {"color": PALETTE[1]},
        "x": [age_label(b.from_days, b.until_days) for b in report.ageing],
        "y": _numbers(b.deals for b in report.ageing),
        "type": "bar",
    }
    return _figure([bar], _layout("Registrations waiting for a decision", "Waiting", "Registrations"))


def funnel_figure(report: PipelineReport) -> Figure:
    """Leads offered → accepted → converted to deal → won: horizontal bars, first step on top, each labelled with its
    count and its share of the leads offered (plotly's funnel trace is not in the basic bundle the pages load)."""
    first = report.funnel[0].count if report.funnel else 0
    bar = {
        "hovertemplate": "%{y}: %{x:,}<extra></extra>",
        "marker": {"color": [PALETTE[i % len(PALETTE)] for i in range(len(report.funnel))]},
        "orientation": "h",
        "text": [f"{r.count:,}" + (f" ({100 * r.count / first:.0f} %)" if first else "") for r in report.funnel],
        "textposition": "auto",
        "x": _numbers(r.count for r in report.funnel),
        "y": [FUNNEL_LABELS[r.step] for r in report.funnel],
        "type": "bar",
    }
    # The y axis reversed: the first step on top, as a funnel reads.
    return _figure([bar], _layout("Lead funnel", "Leads", "", first={"yaxis": {"autorange": "reversed"}}))


def forecast_figure(report: PipelineReport) -> Figure:
    """Approved pipeline by expected close month."""
    bar = {
        "hovertemplate": "%{x}: $%{y:,.0f}<extra></extra>",
        "marker": {"color": PALETTE[2]},
        "x": [_month(r.month) for r in report.forecast],
        "y": _numbers(r.value_usd for r in report.forecast),
        "type": "bar",
    }
    # Months stay labels on a category axis, not dates with days between them.
    layout = _layout(
        "Approved pipeline by expected close", "Expected close month", "Value (USD)",
        first={"xaxis": {"type": "category"}},
    )  # fmt: skip
    return _figure([bar], layout)


def revenue_figure(report: RevenueReport) -> Figure:
    """Won revenue by group: partner-sourced and partner-influenced stacked (direct revenue is not in our data)."""
    groups = [group_name(report.by, r.group) for r in report.by_group]
    data = [
        {
            "marker": {"color": PALETTE[0]},
            "name": "Partner-sourced",
            "x": groups,
            "y": _numbers(r.sourced_usd for r in report.by_group),
            "type": "bar",
        },
        {
            "marker": {"color": PALETTE[1]},
            "name": "Partner-influenced",
            "x": list(groups),
            "y": _numbers(r.influenced_usd for r in report.by_group),
            "type": "bar",
        },
    ]
    by = grouping_name(report.by)
    return _figure(data, _layout(f"Won revenue by {by}", by.capitalize(), "Revenue (USD)", first={"barmode": "stack"}))


def trend_figure(
    scorecard: Scorecard,
    names: tuple[str, str] = ("Logins", "Deal registrations"),
    titles: tuple[str, str, str] = ("Last 12 weeks", "Week starting", "Per week"),
) -> Figure:
    """The scorecard's sparkline: registrations and logins per week over the last 12 weeks (`names`: its two
    lines', `titles`: the chart's and its axes', in the reader's language)."""
    weeks = [t.week.isoformat() for t in scorecard.trend]
    data = [
        {
            "line": {"color": PALETTE[0], "width": 2},
            "mode": "lines",
            "name": names[0],
            "x": weeks,
            "y": _numbers(t.logins for t in scorecard.trend),
            "type": "scatter",
        },
        {
            "line": {"color": PALETTE[1], "width": 2},
            "mode": "lines",
            "name": names[1],
            "x": list(weeks),
            "y": _numbers(t.registrations for t in scorecard.trend),
            "type": "scatter",
        },
    ]
    margin = {"l": 36, "r": 8, "t": 36, "b": 28}
    return _figure(data, _layout(*titles, height=180, margin=margin))


def nps_figure(report: NpsReport) -> Figure:
    """NPS per survey, oldest first, on the fixed -100..100 scale."""
    line = {
        "line": {"color": PALETTE[0], "width": 2},
        "mode": "lines+markers",
        "x": [t.survey for t in report.trend],
        "y": _numbers(t.tally.nps for t in report.trend),
        "type": "scatter",
    }
    return _figure([line], _layout("Partner NPS by survey", "Survey", "NPS", first={"yaxis": {"range": [-100, 100]}}))


def bars_figure(bars: PanelBars) -> Figure:
    """A panel's bar series (a panel of an area above analytics), in the shared look."""
    bar = {
        "hovertemplate": "%{x}: %{y:,}<extra></extra>",
        "marker": {"color": PALETTE[0]},
        "x": list(bars.labels),
        "y": _numbers(bars.values),
        "type": "bar",
    }
    # Labels stay categories (a tier called "2026" must not become a year on a date axis).
    # Small counts get a tick per whole number: "2.5 people" is no figure.
    whole = all(float(v).is_integer() for v in bars.values) and max(bars.values, default=0) <= 10
    first = {"xaxis": {"type": "category"}, "yaxis": {"rangemode": "tozero", **({"dtick": 1} if whole else {})}}
    layout = _layout(bars.title, bars.item, bars.unit.capitalize(), first=first)
    return _figure([bar], layout)


def bars_rows(bars: PanelBars) -> list[dict[str, object]]:
    """A panel's bar series as rows for its data table and CSV: the label under the series' item name, the value
    under its unit ("Tier", "partners"); whole numbers stay whole."""
    item, unit = bars.item or "item", bars.unit or "value"
    return [
        {item: label, unit: int(v) if float(v).is_integer() else v}
        for label, v in zip(bars.labels, bars.values, strict=True)
    ]


def _month(first_day: date) -> str:
    return first_day.strftime("%Y-%m")


def chart_rows(reports: DashboardReports, chart: str) -> list[dict[str, object]]:
    """The rows behind one dashboard chart (`reports`: live.DashboardReports), for its CSV download: one dict per
    row, columns in order, numbers raw and codes named as on the chart."""
    engagement, pipeline, revenue, nps = reports.engagement, reports.pipeline, reports.revenue, reports.nps
    rows: dict[str, Callable[[], list[dict[str, object]]]] = {
        "engagement": lambda: [
            {"week": r.week.isoformat(), "group": group_name(engagement.by, r.group), "logins": r.logins,
             "registrations": r.registrations, "acceptances": r.acceptances}
            for r in engagement.weekly
        ],
        "pipeline": lambda: [dataclasses.asdict(r) for r in pipeline.by_stage],
        "ageing": lambda: [{"bucket": age_label(b.from_days, b.until_days), "deals": b.deals} for b in pipeline.ageing],
        "funnel": lambda: [{"step": FUNNEL_LABELS[s.step], "count": s.count} for s in pipeline.funnel],
        "forecast": lambda: [{"month": _month(m.month), "value_usd": m.value_usd} for m in pipeline.forecast],
        "revenue": lambda: [
            {"group": group_name(revenue.by, g.group), "sourced_usd": g.sourced_usd, "influenced_usd": g.influenced_usd}
            for g in revenue.by_group
        ],
        "nps": lambda: [
            {"survey_id": t.survey_id, "survey": t.survey, "opens": t.first_day.isoformat(),
             **dataclasses.asdict(t.tally)}
            for t in nps.trend
        ],
    }  # fmt: skip
    return rows[chart]()


def to_csv(rows: list[dict[str, object]]) -> str:
    """CSV text of a chart's rows (header from the first row's keys; later keys appended). Text that a spreadsheet
    would run as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe."""
    if not rows:
        return ""
    fields = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in fields})
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
