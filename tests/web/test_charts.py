"""A page's figure is plain JSON data in its state: what the chart shows is kept, the plotly objects are not."""

from __future__ import annotations

import pickle

import plotly.graph_objects as go

from prm_app.web.components.charts import figure_data


def test_the_figure_survives_as_plain_data_without_the_template():
    fig = go.Figure(go.Bar(x=["Q1", "Q2"], y=[3, 5], name="Won"))
    fig.update_layout(template="plotly_white", title={"text": "Revenue"}, height=320)

    data = figure_data(fig)

    assert data["data"] == [{"type": "bar", "x": ["Q1", "Q2"], "y": [3, 5], "name": "Won"}]
    assert data["layout"]["title"]["text"] == "Revenue" and data["layout"]["height"] == 320
    assert "template" not in data["layout"]  # the chart component applies the light or dark one
    assert pickle.loads(pickle.dumps(data)) == data  # noqa: S301  (our own bytes: what Redis keeps between workers)
    assert len(pickle.dumps(data)) < len(pickle.dumps(fig)) / 5
