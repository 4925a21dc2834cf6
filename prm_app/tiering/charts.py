"""The tier distribution over time as plain plotly JSON (web/components/charts.py): one stacked bar per evaluated
period, a segment per tier held, lowest tier at the bottom. Pure: small aggregates in, a figure's data out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prm_app.tiering.queries import PeriodCount

COLORS = {0: "#8b8d98", 1: "#3e63dd", 2: "#ffc53d", 3: "#8e4ec6"}


def distribution_figure(counts: Sequence[PeriodCount]) -> dict[str, Any]:
    periods = sorted({c.period for c in counts})
    tiers = sorted({(c.rank, c.tier) for c in counts})
    by = {(c.period, c.tier): c.partners for c in counts}
    data = [
        {"type": "bar", "name": name, "x": periods, "y": [by.get((p, name), 0) for p in periods],
         "marker": {"color": COLORS.get(rank, "#8b8d98")}}
        for rank, name in tiers
    ]  # fmt: skip
    layout = {
        "barmode": "stack",
        "title": {"text": "Partners per tier, by evaluated month"},
        "xaxis": {"title": {"text": "Month"}, "type": "category"},
        "yaxis": {"title": {"text": "Partners"}, "rangemode": "tozero"},
        "margin": {"l": 48, "r": 16, "t": 48, "b": 48},
        "legend": {"orientation": "h"},
        "height": 320,
    }
    return {"data": data, "layout": layout}


def distribution_sentence(counts: Sequence[PeriodCount]) -> str:
    """The chart's text alternative: the latest month's split."""
    if not counts:
        return "No evaluations yet."
    latest = max(c.period for c in counts)
    parts = ", ".join(f"{c.partners} {c.tier}" for c in counts if c.period == latest)
    return f"Partners per tier by evaluated month; in {latest}: {parts}."
