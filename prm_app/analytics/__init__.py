"""Live dashboards (engagement, pipeline, revenue, efficiency) and partner scorecards."""

__all__ = [
    "charts",
    "metrics",
]
