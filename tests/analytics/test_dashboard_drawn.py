"""Each dashboard chart is drawn once per report in a worker, whoever views it (prm_app/analytics/ui/dashboard_state.py
`_drawn`): the figure every open dashboard shows after a data change is built once, not once per viewer."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from prm_app.analytics import charts
from prm_app.analytics.ui import dashboard_state
from prm_app.analytics.ui.dashboard_state import FIGURES, _drawn
from tests.analytics.test_charts import ENGAGEMENT, NPS, PIPELINE, REVENUE

pytestmark = pytest.mark.pure


def _reports(**changes):
    return SimpleNamespace(
        **{"engagement": ENGAGEMENT, "pipeline": PIPELINE, "revenue": REVENUE, "nps": NPS, **changes}
    )


def _counting_draws(monkeypatch) -> list[str]:
    drawn: list[str] = []
    for key, (report, draw) in FIGURES.items():

        def counted(r, _draw=draw, _key=key):
            drawn.append(_key)
            return _draw(r)

        monkeypatch.setitem(FIGURES, key, (report, counted))
    monkeypatch.setattr(dashboard_state, "_drawn_cache", type(dashboard_state._drawn_cache)())
    return drawn


def test_viewers_of_the_same_report_share_one_drawing(monkeypatch):
    drawn = _counting_draws(monkeypatch)
    reports = _reports()
    first = {key: _drawn(reports, key) for key in FIGURES}
    again = {key: _drawn(_reports(), key) for key in FIGURES}  # another viewer: the same shared report objects
    assert drawn == list(FIGURES)
    assert again == first
    assert first["funnel"].rows == charts.chart_rows(reports, "funnel")
    assert first["funnel"].summary.startswith("Lead funnel:")


def test_a_new_report_is_drawn_again_and_never_confused_with_the_old(monkeypatch):
    drawn = _counting_draws(monkeypatch)
    before = _drawn(_reports(), "revenue")
    trimmed = dataclasses.replace(REVENUE, by_group=REVENUE.by_group[:1])  # another version, or a manager's copy
    after = _drawn(_reports(revenue=trimmed), "revenue")
    assert drawn == ["revenue", "revenue"]
    assert after.rows == charts.chart_rows(_reports(revenue=trimmed), "revenue") != before.rows


def test_the_cache_stays_bounded(monkeypatch):
    _counting_draws(monkeypatch)
    for n in range(dashboard_state.MAX_DRAWN + 10):
        _drawn(_reports(revenue=dataclasses.replace(REVENUE, by_group=REVENUE.by_group[: n % 2])), "revenue")
    assert len(dashboard_state._drawn_cache) == dashboard_state.MAX_DRAWN
