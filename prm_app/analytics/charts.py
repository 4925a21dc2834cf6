"""Dashboard and scorecard charts: pure functions from a report (metrics.py) to a plotly Figure, and the rows
behind each dashboard chart with their CSV text for its download button.

Every figure uses the same look: no template of its own (the page applies the light or the dark one), small
margins, about 320 px high, axis titles, and the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies). Figures are built from the report's small lists of plain values only; nothing here reads the
database.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go

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
from prm_app.nps import NpsReport

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, reddish purple, sky blue, vermillion,
# yellow, black.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HEIGHT = 320


def _figure(data: go.Bar | go.Scatter | list[go.Bar] | list[go.Scatter] | None = None) -> go.Figure:
    """A new figure without a template. The page's chart component applies the light or the dark one (and
    web.components.charts.figure_data drops the layout's template), so none is set here: plotly validates and
    deep-copies a template into every figure, its default one included, which made drawing a chart ~6 times as
    costly (about 75 of 87 ms per figure, the largest part of a dashboard refresh in the load bench's profile)."""
    return go.Figure(data, layout={"template": {}})


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, *, height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height,
        margin={"l": 48, "r": 12, "t": 44, "b": 40},
        colorway=list(PALETTE),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    return fig


def engagement_figure(report: EngagementReport, measure: str = "logins") -> go.Figure:
    """One line per group (partner type, tier or region): `measure` per week."""
    label = MEASURE_LABELS[measure]
    fig = _figure()
    groups = list(dict.fromkeys(r.group for r in report.weekly))
    for i, group in enumerate(groups):
        rows = [r for r in report.weekly if r.group == group]
        fig.add_trace(
            go.Scatter(
                x=[r.week.isoformat() for r in rows],
                y=[getattr(r, measure) for r in rows],
                mode="lines+markers",
                name=group_name(report.by, group),
                line={"color": PALETTE[i % len(PALETTE)]},
            )
        )
    return _layout(fig, f"{label} per week by {grouping_name(report.by)}", "Week starting", label)


def pipeline_figure(report: PipelineReport) -> go.Figure:
    """Open pipeline value by stage, awaiting review and approved stacked."""
    stages = list(dict.fromkeys(r.stage for r in report.by_stage))
    fig = _figure()
    for i, (status, name) in enumerate(STAGE_STATUS_LABELS.items()):
        values = {r.stage: r.value_usd for r in report.by_stage if r.status == status}
        deals = {r.stage: r.deals for r in report.by_stage if r.status == status}
        fig.add_trace(
            go.Bar(
                x=stages,
                y=[values.get(s, 0) for s in stages],
                name=name,
                marker_color=PALETTE[i],
                customdata=[deals.get(s, 0) for s in stages],
                hovertemplate="%{x}: $%{y:,.0f} (%{customdata} deals)<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    return _layout(fig, "Open pipeline by stage", "Stage", "Value (USD)")


def ageing_figure(report: PipelineReport) -> go.Figure:
    """How long registrations awaiting a decision have waited."""
    fig = _figure(
        go.Bar(
            x=[age_label(b.from_days, b.until_days) for b in report.ageing],
            y=[b.deals for b in report.ageing],
            marker_color=PALETTE[1],
        )
    )
    return _layout(fig, "Registrations waiting for a decision", "Waiting", "Registrations")


def funnel_figure(report: PipelineReport) -> go.Figure:
    """Leads offered → accepted → converted to deal → won: horizontal bars, first step on top, each labelled with its
    count and its share of the leads offered (plotly's funnel trace is not in the basic bundle the pages load)."""
    first = report.funnel[0].count if report.funnel else 0
    fig = _figure(
        go.Bar(
            y=[FUNNEL_LABELS[r.step] for r in report.funnel],
            x=[r.count for r in report.funnel],
            orientation="h",
            text=[f"{r.count:,}" + (f" ({100 * r.count / first:.0f} %)" if first else "") for r in report.funnel],
            textposition="auto",
            marker={"color": [PALETTE[i % len(PALETTE)] for i in range(len(report.funnel))]},
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "Lead funnel", "Leads", "")


def forecast_figure(report: PipelineReport) -> go.Figure:
    """Approved pipeline by expected close month."""
    fig = _figure(
        go.Bar(
            x=[_month(r.month) for r in report.forecast],
            y=[r.value_usd for r in report.forecast],
            marker_color=PALETTE[2],
            hovertemplate="%{x}: $%{y:,.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return _layout(fig, "Approved pipeline by expected close", "Expected close month", "Value (USD)")


def revenue_figure(report: RevenueReport) -> go.Figure:
    """Won revenue by group: partner-sourced and partner-influenced stacked (direct revenue is not in our data)."""
    groups = [group_name(report.by, r.group) for r in report.by_group]
    fig = _figure(
        [
            go.Bar(
                x=groups, y=[r.sourced_usd for r in report.by_group], name="Partner-sourced", marker_color=PALETTE[0]
            ),
            go.Bar(
                x=groups,
                y=[r.influenced_usd for r in report.by_group],
                name="Partner-influenced",
                marker_color=PALETTE[1],
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    by = grouping_name(report.by)
    return _layout(fig, f"Won revenue by {by}", by.capitalize(), "Revenue (USD)")


def trend_figure(scorecard: Scorecard) -> go.Figure:
    """The scorecard's sparkline: registrations and logins per week over the last 12 weeks."""
    weeks = [t.week.isoformat() for t in scorecard.trend]
    fig = _figure(
        [
            go.Scatter(
                x=weeks,
                y=[t.logins for t in scorecard.trend],
                mode="lines",
                name="Logins",
                line={"color": PALETTE[0], "width": 2},
            ),
            go.Scatter(
                x=weeks,
                y=[t.registrations for t in scorecard.trend],
                mode="lines",
                name="Deal registrations",
                line={"color": PALETTE[1], "width": 2},
            ),
        ]
    )
    fig = _layout(fig, "Last 12 weeks", "Week starting", "Per week", height=180)
    fig.update_layout(margin={"l": 36, "r": 8, "t": 36, "b": 28})
    return fig


def nps_figure(report: NpsReport) -> go.Figure:
    """NPS per survey, oldest first, on the fixed -100..100 scale."""
    fig = _figure(
        go.Scatter(
            x=[t.survey for t in report.trend],
            y=[t.tally.nps for t in report.trend],
            mode="lines+markers",
            line={"color": PALETTE[0], "width": 2},
        )
    )
    fig.update_yaxes(range=[-100, 100])
    return _layout(fig, "Partner NPS by survey", "Survey", "NPS")


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
            {"survey_id": t.survey_id, "survey": t.survey, "opens": t.opens_at.strftime("%Y-%m-%d"),
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
