"""Dashboard charts (analytics.charts): each figure (plotly's JSON, as a state keeps it) carries the report's data, a
title, axis titles and the shared look; CSV downloads hold the rows and defuse spreadsheet formulas. Pure functions:
no database. test_charts_plain.py holds every figure to the one plotly built before."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from prm_app.analytics import charts
from prm_app.analytics.dashboards import AgeBucket, FunnelStep, GroupRevenue, MonthValue, StageValue
from prm_app.analytics.engagement import EngagementKpis, GroupWeek
from prm_app.analytics.metrics import EngagementReport, PipelineReport, RevenueReport, Scorecard
from prm_app.analytics.scorecard import WeekActivity
from prm_app.nps import NpsReport, NpsTrendPoint
from prm_app.nps.rules import NO_ANSWERS, tally

ENGAGEMENT = EngagementReport(
    by="partner_type",
    kpis=EngagementKpis(active_partners_30d=2, logins=6, registrations=2, lead_acceptances=1),
    weekly=(
        GroupWeek(date(2030, 1, 7), "msp", logins=1, registrations=0, acceptances=0),
        GroupWeek(date(2030, 1, 7), "reseller", logins=2, registrations=1, acceptances=1),
        GroupWeek(date(2030, 1, 14), "msp", logins=0, registrations=1, acceptances=0),
        GroupWeek(date(2030, 1, 14), "reseller", logins=3, registrations=0, acceptances=0),
    ),
    least_engaged=(),
)
PIPELINE = PipelineReport(
    by_stage=(
        StageValue("Prospecting", "registered", 1, 100.0),
        StageValue("Prospecting", "approved", 0, 0.0),
        StageValue("Proposal", "registered", 0, 0.0),
        StageValue("Proposal", "approved", 2, 3100.0),
    ),
    ageing=(AgeBucket(0, 3, 1), AgeBucket(3, 8, 1), AgeBucket(8, 31, 0), AgeBucket(31, None, 2)),
    funnel=(FunnelStep("offered", 10), FunnelStep("accepted", 6), FunnelStep("converted", 3), FunnelStep("won", 1)),
    forecast=(MonthValue(date(2030, 2, 1), 2000.0), MonthValue(date(2030, 3, 1), 1100.0)),
    missing_rate_deals=0,
)
REVENUE = RevenueReport(
    by="tier",
    by_group=(GroupRevenue("Silver", 1000.0, 800.0), GroupRevenue("Gold", 8200.0, 0.0)),
    top_partners=(),
    missing_rate_deals=1,
)
NPS = NpsReport(
    survey_id=None,
    survey=None,
    by="tier",
    tally=tally(5, 3, 1),
    groups=(),
    trend=(
        NpsTrendPoint(4, "Q3", datetime(2029, 10, 1, tzinfo=UTC), tally(5, 3, 1)),
        NpsTrendPoint(5, "Q4", datetime(2030, 1, 2, tzinfo=UTC), NO_ANSWERS),
    ),
)
CARD = Scorecard(
    organization_id=1,
    partner="Partner A",
    period_start=date(2030, 1, 7),
    period_end=date(2030, 1, 21),
    previous_start=date(2029, 12, 24),
    metrics=(),
    trend=tuple(WeekActivity(date(2029, 12, d), registrations=d % 3, logins=d) for d in (3, 10, 17)),
    missing_rate_deals=0,
)


def _looks_right(fig: dict, title: str) -> None:
    layout = fig["layout"]
    assert layout["title"]["text"] == title
    # No template of its own: the page's chart component applies the light or dark one (a template in the figure
    # never reached the page, and validating it was most of the cost of drawing a chart).
    assert "template" not in layout
    assert layout["height"] <= charts.HEIGHT
    assert layout["margin"]["t"] <= 48 and layout["margin"]["l"] <= 48
    assert layout["colorway"] == list(charts.PALETTE)


def _traces(fig: dict, *keys: str) -> list[tuple]:
    return [tuple(t.get(k) for k in keys) for t in fig["data"]]


def test_engagement_lines_one_per_group():
    fig = charts.engagement_figure(ENGAGEMENT)

    _looks_right(fig, "Logins per week by partner type")
    assert _traces(fig, "name", "x", "y") == [
        ("MSP", ["2030-01-07", "2030-01-14"], [1, 0]),
        ("Reseller", ["2030-01-07", "2030-01-14"], [2, 3]),
    ]
    assert fig["layout"]["xaxis"]["title"]["text"] == "Week starting"
    assert fig["layout"]["yaxis"]["title"]["text"] == "Logins"
    assert fig["data"][0]["line"]["color"] != fig["data"][1]["line"]["color"]
    registrations = charts.engagement_figure(ENGAGEMENT, "registrations")
    assert registrations["layout"]["title"]["text"] == "Deal registrations per week by partner type"
    assert registrations["data"][1]["y"] == [1, 0]


def test_pipeline_stacks_awaiting_and_approved_by_stage():
    fig = charts.pipeline_figure(PIPELINE)

    _looks_right(fig, "Open pipeline by stage")
    assert fig["layout"]["barmode"] == "stack"
    assert _traces(fig, "name", "x", "y") == [
        ("Awaiting review", ["Prospecting", "Proposal"], [100.0, 0.0]),
        ("Approved", ["Prospecting", "Proposal"], [0.0, 3100.0]),
    ]
    assert fig["data"][1]["customdata"] == [0, 2]  # deal counts, in the hover
    assert fig["layout"]["yaxis"]["title"]["text"] == "Value (USD)"


def test_ageing_funnel_and_forecast():
    ageing, funnel, forecast = (charts.ageing_figure(PIPELINE), charts.funnel_figure(PIPELINE),
                                charts.forecast_figure(PIPELINE))  # fmt: skip

    _looks_right(ageing, "Registrations waiting for a decision")
    assert ageing["data"][0]["x"] == ["0-2 days", "3-7 days", "8-30 days", "31+ days"]
    assert ageing["data"][0]["y"] == [1, 1, 0, 2]
    _looks_right(funnel, "Lead funnel")
    bar = funnel["data"][0]
    assert bar["type"] == "bar" and bar["orientation"] == "h"
    assert bar["y"] == ["Leads offered", "Accepted", "Converted to deal", "Won"]
    assert bar["x"] == [10, 6, 3, 1]
    assert bar["text"] == ["10 (100 %)", "6 (60 %)", "3 (30 %)", "1 (10 %)"]  # share of offered
    assert funnel["layout"]["yaxis"]["autorange"] == "reversed"  # the first step on top, as a funnel reads
    _looks_right(forecast, "Approved pipeline by expected close")
    assert forecast["data"][0]["x"] == ["2030-02", "2030-03"] and forecast["data"][0]["y"] == [2000.0, 1100.0]
    assert forecast["layout"]["xaxis"]["type"] == "category"  # months stay labels, not dates between them


def test_revenue_stacks_sourced_and_influenced():
    fig = charts.revenue_figure(REVENUE)

    _looks_right(fig, "Won revenue by tier")
    assert _traces(fig, "name", "y") == [
        ("Partner-sourced", [1000.0, 8200.0]),
        ("Partner-influenced", [800.0, 0.0]),
    ]
    assert fig["data"][0]["x"] == ["Silver", "Gold"]
    assert not any("direct" in t.get("name", "").lower() for t in fig["data"])  # not in our data, so not shown


def test_trend_sparkline_is_small():
    fig = charts.trend_figure(CARD)

    assert fig["layout"]["title"]["text"] == "Last 12 weeks"
    assert fig["layout"]["height"] == 180
    assert [t["name"] for t in fig["data"]] == ["Logins", "Deal registrations"]
    assert fig["data"][0]["y"] == [3, 10, 17] and fig["data"][1]["y"] == [0, 1, 2]


def test_empty_reports_still_draw():
    empty = EngagementReport(by="region", kpis=EngagementKpis(0, 0, 0, 0), weekly=(), least_engaged=())
    assert charts.engagement_figure(empty)["data"] == []
    assert charts.engagement_figure(empty)["layout"]["title"]["text"] == "Logins per week by region"


def test_csv_has_the_rows():
    reports = SimpleNamespace(engagement=ENGAGEMENT, pipeline=PIPELINE, revenue=REVENUE, nps=NPS)
    text = charts.to_csv(charts.chart_rows(reports, "forecast"))

    assert text == "month,value_usd\r\n2030-02,2000.0\r\n2030-03,1100.0\r\n"
    assert list(csv.DictReader(io.StringIO(charts.to_csv(charts.chart_rows(reports, "engagement")))))[3] == {
        "week": "2030-01-14", "group": "Reseller", "logins": "3", "registrations": "0", "acceptances": "0",
    }  # fmt: skip
    assert charts.to_csv([]) == ""


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_csv_defuses_formulas(name):
    rows = [{"partner": name, "total_usd": -5.0, "last_login": None}]

    cell = next(csv.DictReader(io.StringIO(charts.to_csv(rows))))

    assert cell == {"partner": "'" + name, "total_usd": "-5.0", "last_login": ""}


def test_nps_trend_on_a_fixed_scale():
    fig = charts.nps_figure(NPS)

    _looks_right(fig, "Partner NPS by survey")
    assert fig["data"][0]["x"] == ["Q3", "Q4"] and fig["data"][0]["y"] == [40.0, None]
    assert fig["layout"]["yaxis"]["range"] == [-100, 100]


def test_chart_rows_name_codes_as_the_charts_do():
    reports = SimpleNamespace(engagement=ENGAGEMENT, pipeline=PIPELINE, revenue=REVENUE, nps=NPS)

    def header(chart: str) -> str:
        return charts.to_csv(charts.chart_rows(reports, chart)).splitlines()[0]

    assert header("pipeline") == "stage,status,deals,value_usd"  # what the e2e test downloads
    assert charts.chart_rows(reports, "ageing")[3] == {"bucket": "31+ days", "deals": 2}
    assert charts.chart_rows(reports, "funnel")[2] == {"step": "Converted to deal", "count": 3}
    assert charts.chart_rows(reports, "revenue")[0] == {
        "group": "Silver",
        "sourced_usd": 1000.0,
        "influenced_usd": 800.0,
    }
    assert charts.chart_rows(reports, "nps") == [
        {"survey_id": 4, "survey": "Q3", "opens": "2029-10-01", "nps": 40.0, "responses": 5, "promoters": 3,
         "passives": 1, "detractors": 1},
        {"survey_id": 5, "survey": "Q4", "opens": "2030-01-02", "nps": None, "responses": 0, "promoters": 0,
         "passives": 0, "detractors": 0},
    ]  # fmt: skip


def test_a_surveys_row_names_the_day_it_opened_in_its_own_zone():
    """A survey the manager opened on 1 Jan 2030 in Tokyo opens at 31 Dec 15:00 UTC: its row says 1 Jan, as the
    surveys list does, not the UTC day."""
    tokyo = NpsTrendPoint(6, "New year", datetime(2029, 12, 31, 15, tzinfo=UTC), NO_ANSWERS, time_zone="Asia/Tokyo")
    reports = SimpleNamespace(
        engagement=ENGAGEMENT, pipeline=PIPELINE, revenue=REVENUE, nps=replace(NPS, trend=(tokyo,))
    )
    assert charts.chart_rows(reports, "nps")[0]["opens"] == "2030-01-01"
