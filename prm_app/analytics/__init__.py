"""Live dashboards (engagement, pipeline, revenue, efficiency) and partner scorecards, and the daily rollups that keep
the dashboards' cost independent of the data's size."""

from prm_app.analytics.rollups import FoldRun, fold_rollups, rebuild_rollups

__all__ = [
    "FoldRun",
    "charts",
    "fold_rollups",
    "metrics",
    "rebuild_rollups",
]
