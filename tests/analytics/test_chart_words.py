"""Each dashboard chart in words (its accessible name) and as a table (its "View data"), from the same rows its CSV
download has (prm_app/analytics/ui/display.py): pure functions, no database, no browser."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from prm_app.analytics import charts
from prm_app.analytics.dashboards import StageValue
from prm_app.analytics.ui.dashboard_state import FIGURES
from prm_app.analytics.ui.display import (
    CHARTS,
    SUMMARY_ITEMS,
    chart_is_empty,
    chart_summary,
    chart_table,
    trend_summary,
)
from tests.analytics.test_charts import CARD, ENGAGEMENT, NPS, PIPELINE, REVENUE

REPORTS = SimpleNamespace(engagement=ENGAGEMENT, pipeline=PIPELINE, revenue=REVENUE, nps=NPS)


def _rows(chart: str, reports=REPORTS) -> list[dict[str, object]]:
    return charts.chart_rows(reports, chart)


def test_every_chart_has_words_a_table_and_a_figure():
    assert set(FIGURES) == set(CHARTS)
    for chart in CHARTS:
        assert chart_summary(_rows(chart), chart).endswith(".")
        assert chart_table(_rows(chart))[0], chart


def test_summaries_name_each_item_with_its_figure():
    assert chart_summary(_rows("funnel"), "funnel") == (
        "Lead funnel: Leads offered: 10; Accepted: 6; Converted to deal: 3; Won: 1."
    )
    # A group's weeks are added up; money is whole dollars with its currency.
    assert chart_summary(_rows("engagement"), "engagement") == "Logins per week: MSP: 1; Reseller: 5."
    assert chart_summary(_rows("forecast"), "forecast") == (
        "Approved pipeline by expected close month: 2030-02: 2,000 USD; 2030-03: 1,100 USD."
    )
    assert chart_summary(_rows("revenue"), "revenue") == "Won revenue: Silver: 1,800 USD; Gold: 8,200 USD."
    assert chart_summary(_rows("pipeline"), "pipeline").startswith(
        "Open pipeline by stage: Prospecting, awaiting review: 100 USD; Prospecting, approved: 0 USD;"
    )


def test_a_long_chart_names_its_largest_items_and_counts_the_rest():
    rows = [{"step": f"Step {n}", "count": n} for n in range(1, 10)]

    text = chart_summary(rows, "funnel")

    assert text.startswith("Lead funnel: Step 9: 9; Step 8: 8;")
    assert text.endswith(f"; and {9 - SUMMARY_ITEMS} more (largest shown).")


@pytest.mark.parametrize("chart", ["engagement", "pipeline", "ageing", "funnel", "forecast", "revenue"])
def test_a_chart_of_zeros_or_no_rows_is_empty_and_says_so(chart):
    assert chart_is_empty([], chart)
    assert chart_summary([], chart).endswith(": nothing to show for these filters.")
    assert not chart_is_empty(_rows(chart), chart)


def test_empty_pipeline_stages_do_not_make_a_chart():
    zeros = tuple(StageValue(s.stage, s.status, 0, 0.0) for s in PIPELINE.by_stage)
    reports = SimpleNamespace(**{**REPORTS.__dict__, "pipeline": dataclasses.replace(PIPELINE, by_stage=zeros)})

    assert chart_is_empty(_rows("pipeline", reports), "pipeline")


def test_nps_is_empty_only_when_no_survey_has_an_answer():
    assert not chart_is_empty(_rows("nps"), "nps")  # one answered survey, one not
    assert chart_is_empty([r for r in _rows("nps") if r["nps"] is None], "nps")
    assert not chart_is_empty([{"survey": "Q1", "nps": 0.0}], "nps")  # a score of zero is a figure
    assert chart_is_empty([], "nps")


def test_tables_have_readable_headings_and_formatted_cells():
    assert chart_table(_rows("forecast")) == [
        ["Month", "Value (USD)"],
        ["2030-02", "2,000.00"],
        ["2030-03", "1,100.00"],
    ]
    header, *rows = chart_table(_rows("nps"))
    assert header[:4] == ["Survey ID", "Survey", "Opens", "NPS"]
    assert rows[1][3] == "—"  # no answers: no NPS, not zero
    assert chart_table([]) == []


def test_the_scorecard_trend_in_words():
    assert trend_summary(CARD) == (
        "Last 3 weeks: 30 logins and 3 deal registrations; most logins in the week of 17 Dec 2029 (17)."
    )
    quiet = dataclasses.replace(
        CARD, trend=tuple(dataclasses.replace(t, logins=0, registrations=0) for t in CARD.trend)
    )
    assert trend_summary(quiet) == "Last 3 weeks: no logins and no deal registrations."
