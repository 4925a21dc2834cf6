"""Dashboard charts (domain.charts): each figure carries the report's data, a title, axis titles and the shared
look; CSV downloads hold the rows and defuse spreadsheet formulas. Pure functions: no database."""

from __future__ import annotations

import csv
import io

import plotly.graph_objects as go
import pytest

from prm_app.analytics import charts
from prm_app.analytics.metrics import EngagementReport, PipelineReport, RevenueReport, Scorecard

ENGAGEMENT = EngagementReport(
    by="partner_type",
    kpis={"active_partners_30d": 2, "logins": 6, "registrations": 2, "lead_acceptances": 1},
    weekly=[
        {"week": "2030-01-07", "group": "MSP", "logins": 1, "registrations": 0, "acceptances": 0},
        {"week": "2030-01-07", "group": "Reseller", "logins": 2, "registrations": 1, "acceptances": 1},
        {"week": "2030-01-14", "group": "MSP", "logins": 0, "registrations": 1, "acceptances": 0},
        {"week": "2030-01-14", "group": "Reseller", "logins": 3, "registrations": 0, "acceptances": 0},
    ],
    least_engaged=[],
)
PIPELINE = PipelineReport(
    by_stage=[
        {"stage": "Prospecting", "status": "registered", "deals": 1, "value_usd": 100.0},
        {"stage": "Prospecting", "status": "approved", "deals": 0, "value_usd": 0.0},
        {"stage": "Proposal", "status": "registered", "deals": 0, "value_usd": 0.0},
        {"stage": "Proposal", "status": "approved", "deals": 2, "value_usd": 3100.0},
    ],
    ageing=[
        {"bucket": "0-2 days", "deals": 1},
        {"bucket": "3-7 days", "deals": 1},
        {"bucket": "8-30 days", "deals": 0},
        {"bucket": "31+ days", "deals": 2},
    ],
    funnel=[
        {"step": "Leads offered", "count": 10},
        {"step": "Accepted", "count": 6},
        {"step": "Converted to deal", "count": 3},
        {"step": "Won", "count": 1},
    ],
    forecast=[{"month": "2030-02", "value_usd": 2000.0}, {"month": "2030-03", "value_usd": 1100.0}],
    missing_rate_deals=0,
)
REVENUE = RevenueReport(
    by="tier",
    by_group=[
        {"group": "Silver", "sourced_usd": 1000.0, "influenced_usd": 800.0},
        {"group": "Gold", "sourced_usd": 8200.0, "influenced_usd": 0.0},
    ],
    top_partners=[],
    missing_rate_deals=1,
)
CARD = Scorecard(
    organization_id=1,
    partner="Partner A",
    period="07 Jan 2030 – 20 Jan 2030",
    previous_period="24 Dec 2029 – 06 Jan 2030",
    metrics=[],
    trend=[{"week": f"2029-12-{d:02d}", "registrations": d % 3, "logins": d} for d in (3, 10, 17)],
    missing_rate_deals=0,
)


def _looks_right(fig: go.Figure, title: str) -> None:
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == title
    assert fig.layout.template.layout.paper_bgcolor == "white"  # plotly_white
    assert fig.layout.height <= charts.HEIGHT
    assert fig.layout.margin.t <= 48 and fig.layout.margin.l <= 48
    assert list(fig.layout.colorway) == list(charts.PALETTE)


def test_engagement_lines_one_per_group():
    fig = charts.engagement_figure(ENGAGEMENT)

    _looks_right(fig, "Logins per week by partner type")
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data] == [
        ("MSP", ["2030-01-07", "2030-01-14"], [1, 0]),
        ("Reseller", ["2030-01-07", "2030-01-14"], [2, 3]),
    ]
    assert fig.layout.xaxis.title.text == "Week starting" and fig.layout.yaxis.title.text == "Logins"
    assert fig.data[0].line.color != fig.data[1].line.color
    registrations = charts.engagement_figure(ENGAGEMENT, "registrations")
    assert registrations.layout.title.text == "Deal registrations per week by partner type"
    assert list(registrations.data[1].y) == [1, 0]


def test_pipeline_stacks_awaiting_and_approved_by_stage():
    fig = charts.pipeline_figure(PIPELINE)

    _looks_right(fig, "Open pipeline by stage")
    assert fig.layout.barmode == "stack"
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data] == [
        ("Awaiting review", ["Prospecting", "Proposal"], [100.0, 0.0]),
        ("Approved", ["Prospecting", "Proposal"], [0.0, 3100.0]),
    ]
    assert list(fig.data[1].customdata) == [0, 2]  # deal counts, in the hover
    assert fig.layout.yaxis.title.text == "Value (USD)"


def test_ageing_funnel_and_forecast():
    ageing, funnel, forecast = (charts.ageing_figure(PIPELINE), charts.funnel_figure(PIPELINE),
                                charts.forecast_figure(PIPELINE))  # fmt: skip

    _looks_right(ageing, "Registrations waiting for a decision")
    assert list(ageing.data[0].x) == ["0-2 days", "3-7 days", "8-30 days", "31+ days"]
    assert list(ageing.data[0].y) == [1, 1, 0, 2]
    _looks_right(funnel, "Lead funnel")
    assert isinstance(funnel.data[0], go.Funnel)
    assert list(funnel.data[0].y) == ["Leads offered", "Accepted", "Converted to deal", "Won"]
    assert list(funnel.data[0].x) == [10, 6, 3, 1]
    _looks_right(forecast, "Approved pipeline by expected close")
    assert list(forecast.data[0].x) == ["2030-02", "2030-03"] and list(forecast.data[0].y) == [2000.0, 1100.0]
    assert forecast.layout.xaxis.type == "category"  # months stay labels, not dates between them


def test_revenue_stacks_sourced_and_influenced():
    fig = charts.revenue_figure(REVENUE)

    _looks_right(fig, "Won revenue by tier")
    assert [(t.name, list(t.y)) for t in fig.data] == [
        ("Partner-sourced", [1000.0, 8200.0]),
        ("Partner-influenced", [800.0, 0.0]),
    ]
    assert list(fig.data[0].x) == ["Silver", "Gold"]
    assert not any("direct" in (t.name or "").lower() for t in fig.data)  # not in our data, so not shown


def test_trend_sparkline_is_small():
    fig = charts.trend_figure(CARD)

    assert fig.layout.title.text == "Last 12 weeks"
    assert fig.layout.height == 180
    assert [t.name for t in fig.data] == ["Logins", "Deal registrations"]
    assert list(fig.data[0].y) == [3, 10, 17] and list(fig.data[1].y) == [0, 1, 2]


def test_empty_reports_still_draw():
    empty = EngagementReport(by="region", kpis={}, weekly=[], least_engaged=[])
    assert charts.engagement_figure(empty).data == ()
    assert charts.engagement_figure(empty).layout.title.text == "Logins per week by region"


def test_csv_has_the_rows():
    text = charts.to_csv(PIPELINE.forecast)

    assert text == "month,value_usd\r\n2030-02,2000.0\r\n2030-03,1100.0\r\n"
    assert list(csv.DictReader(io.StringIO(charts.to_csv(ENGAGEMENT.weekly))))[3] == {
        "week": "2030-01-14", "group": "Reseller", "logins": "3", "registrations": "0", "acceptances": "0",
    }  # fmt: skip
    assert charts.to_csv([]) == ""


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_csv_defuses_formulas(name):
    rows = [{"partner": name, "total_usd": -5.0, "last_login": None}]

    cell = next(csv.DictReader(io.StringIO(charts.to_csv(rows))))

    assert cell == {"partner": "'" + name, "total_usd": "-5.0", "last_login": ""}
