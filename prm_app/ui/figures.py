"""Pure functions from small report dataclasses to plotly figures (and to CSV rows). No state, no database."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import plotly.graph_objects as go

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _layout(fig: go.Figure, title: str, x: str = "", y: str = "") -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        template="plotly_white",
        colorway=PALETTE,
        height=320,
        margin={"l": 50, "r": 10, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        xaxis_title=x,
        yaxis_title=y,
    )
    return fig


def engagement_figure(report) -> go.Figure:
    """Weekly logins per group (lines); registrations and acceptances are in the CSV and the KPIs."""
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for row in report.weekly:
        series[str(row["group"])][row["week"]] = row["logins"]
    fig = go.Figure(
        [
            go.Scatter(x=sorted(points), y=[points[w] for w in sorted(points)], mode="lines+markers", name=group)
            for group, points in sorted(series.items())
        ]
    )
    return _layout(fig, "Partner logins per week", "Week", "Logins")


def pipeline_figure(report) -> go.Figure:
    stages = list(dict.fromkeys(r["stage"] for r in report.by_stage))
    fig = go.Figure()
    for status in ("registered", "approved"):
        values = {r["stage"]: r["value_usd"] for r in report.by_stage if r["status"] == status}
        fig.add_bar(x=stages, y=[values.get(s, 0) for s in stages], name=status.capitalize())
    fig.update_layout(barmode="stack")
    return _layout(fig, "Pipeline by stage (USD)", "Stage", "USD")


def ageing_figure(report) -> go.Figure:
    fig = go.Figure(go.Bar(x=[r["bucket"] for r in report.ageing], y=[r["deals"] for r in report.ageing]))
    return _layout(fig, "Registrations waiting for a decision, by age", "Waiting", "Registrations")


def funnel_figure(report) -> go.Figure:
    fig = go.Figure(go.Funnel(y=[r["step"] for r in report.funnel], x=[r["count"] for r in report.funnel]))
    return _layout(fig, "Lead funnel")


def forecast_figure(report) -> go.Figure:
    fig = go.Figure(go.Bar(x=[r["month"] for r in report.forecast], y=[r["value_usd"] for r in report.forecast]))
    return _layout(fig, "Approved pipeline by expected close month (USD)", "Month", "USD")


def revenue_figure(report) -> go.Figure:
    groups = [str(r["group"]) for r in report.by_group]
    fig = go.Figure(
        [
            go.Bar(x=groups, y=[r["sourced_usd"] for r in report.by_group], name="Partner-sourced"),
            go.Bar(x=groups, y=[r["influenced_usd"] for r in report.by_group], name="Partner-influenced"),
        ]
    )
    fig.update_layout(barmode="stack")
    return _layout(fig, "Won revenue by tier (USD)", "Tier", "USD")


def nps_figure(report: dict) -> go.Figure:
    trend = report.get("trend", [])
    fig = go.Figure(go.Scatter(x=[t["survey"] for t in trend], y=[t["nps"] for t in trend], mode="lines+markers"))
    fig.update_yaxes(range=[-100, 100])
    return _layout(fig, "Partner NPS by survey", "Survey", "NPS")


def trend_figure(trend: list[dict]) -> go.Figure:
    """A scorecard's 12-week sparkline of registrations and logins."""
    weeks = [t["week"] for t in trend]
    fig = go.Figure(
        [
            go.Scatter(x=weeks, y=[t["registrations"] for t in trend], mode="lines", name="Registrations"),
            go.Scatter(x=weeks, y=[t["logins"] for t in trend], mode="lines", name="Logins"),
        ]
    )
    fig.update_layout(height=220)
    return _layout(fig, "Last 12 weeks", "Week", "")


def chart_rows(reports: dict, chart: str) -> list[dict]:
    """The data behind one chart, for its CSV download."""
    e, p, r, n = reports["engagement"], reports["pipeline"], reports["revenue"], reports["nps"]
    return {
        "engagement": e.weekly,
        "pipeline": p.by_stage,
        "ageing": p.ageing,
        "funnel": p.funnel,
        "forecast": p.forecast,
        "revenue": r.by_group,
        "nps": n.get("trend", []),
    }[chart]


def to_csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
