"""The charts are written as plain JSON (prm_app/analytics/charts.py) byte for byte as plotly wrote them.

The reference is the plotly path as it was (commit 5c40666): the figure built with plotly objects by the builders
below, kept verbatim here and only here, turned into a state's data by web.components.charts.figure_data. Comparing
with that proves more than feeding our dict to go.Figure and back, which only shows plotly accepts what we wrote,
not that we wrote what the page got before (a dropped axis title or a changed colour round-trips just as well).
Both are checked: plotly must still accept every dict unchanged.

Equal means: the same JSON text (keys, their order, 1 vs 1.0, null) and the same Python values (a list, not a
tuple) over worlds chosen for their edges (empty, one group, many groups, None and zero, dates across a year,
money) and seeded random ones.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from prm_app.analytics import charts
from prm_app.analytics.charts import PALETTE
from prm_app.analytics.dashboards import AgeBucket, FunnelStep, GroupRevenue, MonthValue, StageValue
from prm_app.analytics.engagement import EngagementKpis, GroupWeek
from prm_app.analytics.labels import (
    FUNNEL_LABELS,
    MEASURE_LABELS,
    STAGE_STATUS_LABELS,
    age_label,
    group_name,
    grouping_name,
)
from prm_app.analytics.metrics import EngagementReport, PipelineReport, RevenueReport, Scorecard
from prm_app.analytics.scorecard import WeekActivity
from prm_app.nps import NpsReport, NpsTrendPoint
from prm_app.nps.rules import NO_ANSWERS, tally
from prm_app.web.components.charts import figure_data
from tests.analytics.test_charts import CARD, ENGAGEMENT, NPS, PIPELINE, REVENUE

pytestmark = pytest.mark.pure


# --- The reference: the plotly builders of prm_app/analytics/charts.py at 5c40666, verbatim. ---------------------


def _figure(data: go.Bar | go.Scatter | list[go.Bar] | list[go.Scatter] | None = None) -> go.Figure:
    return go.Figure(data, layout={"template": {}})


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, *, height: int = charts.HEIGHT) -> go.Figure:
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


def plotly_engagement(report: EngagementReport, measure: str = "logins") -> go.Figure:
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


def plotly_pipeline(report: PipelineReport) -> go.Figure:
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


def plotly_ageing(report: PipelineReport) -> go.Figure:
    fig = _figure(
        go.Bar(
            x=[age_label(b.from_days, b.until_days) for b in report.ageing],
            y=[b.deals for b in report.ageing],
            marker_color=PALETTE[1],
        )
    )
    return _layout(fig, "Registrations waiting for a decision", "Waiting", "Registrations")


def plotly_funnel(report: PipelineReport) -> go.Figure:
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


def plotly_forecast(report: PipelineReport) -> go.Figure:
    fig = _figure(
        go.Bar(
            x=[r.month.strftime("%Y-%m") for r in report.forecast],
            y=[r.value_usd for r in report.forecast],
            marker_color=PALETTE[2],
            hovertemplate="%{x}: $%{y:,.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return _layout(fig, "Approved pipeline by expected close", "Expected close month", "Value (USD)")


def plotly_revenue(report: RevenueReport) -> go.Figure:
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


def plotly_trend(scorecard: Scorecard) -> go.Figure:
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


def plotly_nps(report: NpsReport) -> go.Figure:
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


# --- Every figure function, its reference, and the report of a world it draws. ----------------------------------

Draw = Callable[[Any], Any]
FIGURES: list[tuple[str, Draw, Draw, str]] = [
    ("engagement logins", charts.engagement_figure, plotly_engagement, "engagement"),
    *[
        (f"engagement {m}", lambda r, m=m: charts.engagement_figure(r, m), lambda r, m=m: plotly_engagement(r, m),
         "engagement")
        for m in ("registrations", "acceptances")
    ],
    ("pipeline", charts.pipeline_figure, plotly_pipeline, "pipeline"),
    ("ageing", charts.ageing_figure, plotly_ageing, "pipeline"),
    ("funnel", charts.funnel_figure, plotly_funnel, "pipeline"),
    ("forecast", charts.forecast_figure, plotly_forecast, "pipeline"),
    ("revenue", charts.revenue_figure, plotly_revenue, "revenue"),
    ("trend", charts.trend_figure, plotly_trend, "card"),
    ("nps", charts.nps_figure, plotly_nps, "nps"),
]  # fmt: skip


def _world(weekly=(), by_stage=(), ageing=(), funnel=(), forecast=(), by_group=(), trend=(), card=(), by="tier"):
    return SimpleNamespace(
        engagement=EngagementReport(by=by, kpis=EngagementKpis(0, 0, 0, 0), weekly=tuple(weekly), least_engaged=()),
        pipeline=PipelineReport(
            by_stage=tuple(by_stage), ageing=tuple(ageing), funnel=tuple(funnel), forecast=tuple(forecast),
            missing_rate_deals=0,
        ),
        revenue=RevenueReport(by=by, by_group=tuple(by_group), top_partners=(), missing_rate_deals=0),
        nps=NpsReport(survey_id=None, survey=None, by=by, tally=NO_ANSWERS, groups=(), trend=tuple(trend)),
        card=Scorecard(
            organization_id=1, partner="P", period_start=date(2030, 1, 1), period_end=date(2030, 2, 1),
            previous_start=date(2029, 12, 1), metrics=(), trend=tuple(card), missing_rate_deals=0,
        ),
    )  # fmt: skip


def _nps_point(n: int, title: str, nps_tally) -> NpsTrendPoint:
    return NpsTrendPoint(n, title, datetime(2029, 1, 1, tzinfo=UTC) + timedelta(days=90 * n), nps_tally)


MONDAY = date(2029, 12, 24)  # the weeks run across a new year
EMPTY = _world()
ONE_GROUP = _world(
    weekly=[GroupWeek(MONDAY, "Gold", 3, 1, 0)],
    by_stage=[StageValue("Proposal", "approved", 1, 2500.0)],
    ageing=[AgeBucket(0, 3, 1)],
    funnel=[FunnelStep("offered", 4)],
    forecast=[MonthValue(date(2029, 12, 1), 2500.0)],
    by_group=[GroupRevenue("Gold", 2500.0, 0.0)],
    trend=[_nps_point(1, "Q1", tally(3, 2, 0))],
    card=[WeekActivity(MONDAY, registrations=1, logins=3)],
)
# More groups than colours (the palette wraps), interleaved rows, a region without a name, stages in one status only.
MANY_GROUPS = _world(
    by="region",
    weekly=[GroupWeek(MONDAY + timedelta(weeks=w), g, w * g_i, g_i % 2, w) for w in range(3)
            for g_i, g in enumerate([f"Region {n}" for n in range(10)] + [None])],
    by_stage=[StageValue(f"Stage {n}", ("registered", "approved")[n % 2], n, 1000.0 * n) for n in range(7)]
    + [StageValue("Stage 0", "approved", 2, 50.5)],
    ageing=[AgeBucket(0, 3, 1), AgeBucket(3, 8, 1), AgeBucket(8, 31, 0), AgeBucket(31, None, 2)],
    funnel=[FunnelStep(s, c) for s, c in zip(FUNNEL_LABELS, (1234567, 654321, 3210, 7), strict=True)],
    forecast=[MonthValue(date(2029 + (m + 10) // 12, (m + 10) % 12 + 1, 1), 100.0 * m) for m in range(14)],
    by_group=[GroupRevenue(f"Region {n}", 10.0 * n, 5.0 * n) for n in range(12)] + [GroupRevenue(None, 1.0, 2.0)],
    trend=[_nps_point(n, f"Survey {n}", tally(n * 3, n, n // 2)) for n in range(1, 11)],
    card=[WeekActivity(MONDAY + timedelta(weeks=w), registrations=w % 4, logins=w * 7) for w in range(12)],
)  # fmt: skip
# Nothing or nought: a survey without answers (NPS None), zero counts and values, a funnel that offered no lead.
NONE_AND_ZERO = _world(
    by="partner_type",
    weekly=[GroupWeek(MONDAY, "msp", 0, 0, 0), GroupWeek(MONDAY, "", 0, 0, 0), GroupWeek(MONDAY, None, 0, 0, 0)],
    by_stage=[StageValue("Prospecting", "registered", 0, 0.0), StageValue("Lost", "rejected", 1, 9.0)],
    ageing=[AgeBucket(31, None, 0)],
    funnel=[FunnelStep(s, 0) for s in FUNNEL_LABELS],
    forecast=[MonthValue(date(2030, 1, 1), 0.0)],
    by_group=[GroupRevenue("", 0.0, 0.0)],
    trend=[_nps_point(1, "Q1", NO_ANSWERS), _nps_point(2, "Q2", tally(1, 0, 1)), _nps_point(3, "Q3", NO_ANSWERS)],
    card=[WeekActivity(MONDAY, 0, 0)],
)
# Money as it comes: cents that floats cannot hold, large sums, ints among floats, a refund, an exact Decimal sum
# (plotly wrote it as a float), and values plotly wrote as null (NaN, infinity).
MONEY = _world(
    by_stage=[StageValue("A", "registered", 1, 0.1 + 0.2), StageValue("A", "approved", 2, 1e12 + 0.01),
              StageValue("B", "approved", 3, 12345678.9), StageValue("C", "registered", 1, Decimal("1234.56"))],
    forecast=[MonthValue(date(2030, 1, 1), 1e-7), MonthValue(date(2030, 2, 1), 5),
              MonthValue(date(2030, 3, 1), float("nan")), MonthValue(date(2030, 4, 1), Decimal("99.990"))],
    by_group=[GroupRevenue("Gold", -5.0, 3.3333333333333335), GroupRevenue("Silver", float("inf"), 7)],
    trend=[_nps_point(1, "Q1", tally(3, 1, 1)), _nps_point(2, "Q2", tally(7, 3, 2))],  # NPS 0.0 and 14.28…
)  # fmt: skip
TEST_CHARTS = SimpleNamespace(engagement=ENGAGEMENT, pipeline=PIPELINE, revenue=REVENUE, nps=NPS, card=CARD)
EDGE_WORLDS = {"empty": EMPTY, "one group": ONE_GROUP, "many groups": MANY_GROUPS, "none and zero": NONE_AND_ZERO,
               "money": MONEY, "test_charts": TEST_CHARTS}  # fmt: skip


def _random_world(seed: int) -> SimpleNamespace:
    rnd = random.Random(seed)
    by = rnd.choice(["tier", "region", "partner_type"])
    names = {"tier": ["Gold", "Silver", "Bronze", "Platinum"], "region": ["EMEA", "APAC", None, "North America"],
             "partner_type": ["msp", "var", "reseller", "unknown", ""]}[by]  # fmt: skip

    def money() -> float:
        return rnd.choice([0.0, round(rnd.uniform(0, 1e7), 2), rnd.uniform(0, 1e3), float(rnd.randint(0, 9))])

    weeks = [MONDAY + timedelta(weeks=w) for w in range(rnd.randint(0, 12))]
    return _world(
        by=by,
        weekly=[GroupWeek(w, g, rnd.randint(0, 50), rnd.randint(0, 5), rnd.randint(0, 5)) for w in weeks
                for g in rnd.sample(names, rnd.randint(1, len(names)))],
        by_stage=[StageValue(rnd.choice(["Prospecting", "Qualified", "Proposal", "Negotiation"]),
                             rnd.choice(["registered", "approved"]), rnd.randint(0, 99), money())
                  for _ in range(rnd.randint(0, 8))],
        ageing=[AgeBucket(a, b, rnd.randint(0, 40)) for a, b in [(0, 3), (3, 8), (8, 31), (31, None)]],
        funnel=[FunnelStep(s, rnd.randint(0, 10**rnd.randint(0, 6))) for s in FUNNEL_LABELS][: rnd.randint(0, 4)],
        forecast=[MonthValue(date(2030, m, 1), money()) for m in sorted(rnd.sample(range(1, 13), rnd.randint(0, 6)))],
        by_group=[GroupRevenue(g, money(), money()) for g in rnd.sample(names, rnd.randint(0, len(names)))],
        trend=[_nps_point(n, f"Survey {n}", tally(r, rnd.randint(0, r), 0) if (r := rnd.randint(0, 30)) else NO_ANSWERS)
               for n in range(rnd.randint(0, 6))],
        card=[WeekActivity(w, rnd.randint(0, 9), rnd.randint(0, 99)) for w in weeks],
    )  # fmt: skip


WORLDS = {**EDGE_WORLDS, **{f"random {seed}": _random_world(seed) for seed in range(20)}}


def _drawings(world: SimpleNamespace) -> Iterator[tuple[str, dict, dict]]:
    """(figure, our dict, what the plotly path gave) for every figure of `world`."""
    for name, ours, reference, report in FIGURES:
        yield name, ours(getattr(world, report)), figure_data(reference(getattr(world, report)))


@pytest.mark.parametrize("world", WORLDS.values(), ids=WORLDS.keys())
def test_every_figure_is_the_json_plotly_wrote(world):
    for name, ours, plotly_path in _drawings(world):
        assert json.dumps(ours) == json.dumps(plotly_path), name  # keys in order, 1 vs 1.0, null for None
        assert ours == plotly_path, name  # and the same Python values: lists, not tuples


@pytest.mark.parametrize("world", EDGE_WORLDS.values(), ids=EDGE_WORLDS.keys())
def test_plotly_accepts_every_figure_unchanged(world):
    for name, ours, _ in _drawings(world):
        again = figure_data(go.Figure(ours))  # plotly validates every property: an unknown one raises
        assert again == ours, name  # every value as plotly would keep it (its Layout() orders keys its own way)


def test_the_worlds_reach_the_edges():
    """Each world draws the edge it is named for: otherwise the comparison above would prove less than it says."""
    drawn = {(w, name): ours for w, world in EDGE_WORLDS.items() for name, ours, _ in _drawings(world)}
    assert all(fig["data"] == [] for (w, name), fig in drawn.items() if w == "empty" and name.startswith("eng"))
    assert len(drawn["many groups", "engagement logins"]["data"]) > len(PALETTE)  # the colours wrap
    assert drawn["none and zero", "nps"]["data"][0]["y"] == [None, -100.0, None]
    assert drawn["none and zero", "funnel"]["data"][0]["text"] == ["0"] * 4  # no share of nothing
    assert drawn["money", "forecast"]["data"][0]["y"] == [1e-7, 5, None, 99.99]  # NaN null, Decimal a float
    assert drawn["money", "revenue"]["data"][0]["y"] == [-5.0, None]
    assert drawn["many groups", "forecast"]["data"][0]["x"][:3] == ["2029-11", "2029-12", "2030-01"]
    assert drawn["one group", "trend"]["data"][0]["x"] == ["2029-12-24"]


@pytest.mark.parametrize("mode", ["plotly", "plotly_dark"])  # what reflex's plotly component applies, by colour mode
def test_figures_leave_light_and_dark_to_the_page(mode):
    """No figure carries a template or a colour a template sets (background, text, grid): the page merges the light
    or the dark one over the same figure, so one drawing serves every viewer (dashboard_state shares it)."""
    template = pio.templates[mode]
    for name, ours, _ in _drawings(MANY_GROUPS):
        text = json.dumps(ours["layout"])
        assert "template" not in ours["layout"] and "bgcolor" not in text and "gridcolor" not in text, name
        assert all("color" not in font for font in _fonts(ours["layout"])), name
        page = go.Figure({"data": ours["data"], "layout": {**ours["layout"], "template": template}})  # its merge
        assert page.layout.template.layout.paper_bgcolor == template.layout.paper_bgcolor, name


def _fonts(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "font" and isinstance(value, dict):
                yield value
            yield from _fonts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _fonts(value)
