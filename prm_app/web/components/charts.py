"""Charts on pages: a figure lives in a page's state as plain JSON data, never as plotly objects.

Reflex deep-copies every state default when it builds or resets a tab's state and, scaled out, unpickles the state
from Redis on every event; plotly rebuilds and re-validates each Figure (its template deep-copied) every time. Under
load that cost more CPU than everything else in an event (the load bench's profile: 40 % of a worker's samples).

Every chart is drawn with plotly's basic bundle (bar, scatter and pie traces: all our charts need), loaded when a page
first shows a chart: the full bundle made the dashboards page load six times the JavaScript of any other page
(bench/dashboard_page.py). No mode bar: its ~10 buttons per chart were Tab stops with no text; each chart instead
carries a text alternative (`label`) and its page offers the figures as a table and a CSV download.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import reflex as rx

EMPTY_FIGURE: dict[str, Any] = {"data": [], "layout": {}}


def figure_data(fig: go.Figure) -> dict[str, Any]:
    """A plotly `fig` as the plain JSON a state keeps (what Reflex would send for the Figure anyway). The layout's
    template is left out: the chart component applies the light or the dark one over it, as it always did.

    The dashboards' and the scorecard's figures skip plotly altogether: analytics.charts writes this same JSON
    directly (plotly's validation was most of what drawing them cost a worker), and its tests hold each of them to
    `figure_data` of the Figure plotly builds for the same report."""
    data: dict[str, Any] = json.loads(fig.to_json())
    data.get("layout", {}).pop("template", None)
    return data


CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}


def chart(data: rx.Var, label: rx.Var | str, **props: Any) -> rx.Component:
    """A plotly chart of a state's figure data (plain JSON, from analytics.charts or `figure_data`), announced as
    one image named `label` (a sentence that says what the chart shows: screen readers cannot read plotly's SVG)."""
    if isinstance(label, rx.Var):  # a sentence computed with the figures: never an unnamed image meanwhile
        label = rx.cond(label, label, "Chart, being drawn")
    return rx.box(
        rx.plotly.basic(data=data.to(go.Figure), config=CONFIG, **props),
        role="img",
        aria_label=label,
        width="100%",
    )
