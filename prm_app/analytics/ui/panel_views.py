"""The registered dashboard panels (analytics.panels: training, content, tiering, ...) as the dashboard's state keeps
them: plain frozen values that pickle (Redis scale-out), each bar series drawn as a figure of plain JSON with its
sentence and its empty flag, like the built-in charts. Pure: no Reflex, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prm_app.analytics import charts
from prm_app.analytics.panels import Panel, PanelFact
from prm_app.analytics.ui.display import bars_summary


@dataclass(frozen=True)
class PanelChartView:
    key: str = ""  # "panel-<panel key>-<n>": the chart's id on the page, for its data table and CSV
    title: str = ""
    figure: dict[str, Any] = field(default_factory=dict)
    summary: str = ""  # the chart in words: its accessible name
    empty: bool = True  # every bar at zero: the chart says so instead of drawing empty axes


@dataclass(frozen=True)
class PanelTableView:
    title: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class PanelView:
    key: str = ""
    title: str = ""
    note: str = ""
    facts: list[PanelFact] = field(default_factory=list)
    tables: list[PanelTableView] = field(default_factory=list)
    charts: list[PanelChartView] = field(default_factory=list)


def chart_key(panel: Panel, n: int) -> str:
    return f"panel-{panel.key}-{n}"


def panel_view(panel: Panel) -> PanelView:
    return PanelView(
        key=panel.key,
        title=panel.title,
        note=panel.note,
        facts=list(panel.facts),
        tables=[PanelTableView(t.title, list(t.headers), [list(r) for r in t.rows]) for t in panel.tables],
        charts=[
            PanelChartView(chart_key(panel, n), b.title, charts.bars_figure(b), bars_summary(b), not any(b.values))
            for n, b in enumerate(panel.bars)
        ],
    )


def panel_chart_rows(panels: tuple[Panel, ...], key: str) -> list[dict[str, object]] | None:
    """The rows behind panel chart `key` (for its data table and CSV), or None when no panel has that chart."""
    for panel in panels:
        for n, bars in enumerate(panel.bars):
            if chart_key(panel, n) == key:
                return charts.bars_rows(bars)
    return None
