"""A page's figure is plain JSON data in its state: what the chart shows is kept, the plotly objects are not."""

from __future__ import annotations

import pickle

import plotly.graph_objects as go
import reflex as rx

from prm_app.analytics import charts
from prm_app.web.components.charts import CONFIG, EMPTY_FIGURE, chart, figure_data
from tests.analytics.test_charts import CARD, ENGAGEMENT, NPS, PIPELINE, REVENUE


def test_the_figure_survives_as_plain_data_without_the_template():
    fig = go.Figure(go.Bar(x=["Q1", "Q2"], y=[3, 5], name="Won"))
    fig.update_layout(template="plotly_white", title={"text": "Revenue"}, height=320)

    data = figure_data(fig)

    assert data["data"] == [{"type": "bar", "x": ["Q1", "Q2"], "y": [3, 5], "name": "Won"}]
    assert data["layout"]["title"]["text"] == "Revenue" and data["layout"]["height"] == 320
    assert "template" not in data["layout"]  # the chart component applies the light or dark one
    assert pickle.loads(pickle.dumps(data)) == data  # noqa: S301  (our own bytes: what Redis keeps between workers)
    assert len(pickle.dumps(data)) < len(pickle.dumps(fig)) / 5


def test_a_chart_is_one_named_image_from_the_basic_bundle_without_a_toolbar():
    component = chart(rx.Var.create(EMPTY_FIGURE), "Logins per week: MSP: 3.")
    rendered = str(component.render())

    assert "role" in rendered and "img" in rendered and "Logins per week: MSP: 3." in rendered
    plot = component.children[0]
    assert type(plot).__name__ == "PlotlyBasic"
    assert plot.lib_dependencies == ["plotly.js-basic-dist-min@3.7.0"]
    assert CONFIG["displayModeBar"] is False  # the toolbar's buttons were Tab stops without names


def test_every_dashboard_and_scorecard_figure_draws_with_the_basic_bundle():
    """plotly.js-basic draws bar, scatter and pie traces only: a trace of another type would render as nothing."""
    figures = [
        charts.engagement_figure(ENGAGEMENT),
        charts.pipeline_figure(PIPELINE),
        charts.ageing_figure(PIPELINE),
        charts.funnel_figure(PIPELINE),
        charts.forecast_figure(PIPELINE),
        charts.revenue_figure(REVENUE),
        charts.nps_figure(NPS),
        charts.trend_figure(CARD),
    ]
    assert {trace["type"] for fig in figures for trace in fig["data"]} <= {"bar", "scatter", "pie"}
