"""Live dashboards (engagement, pipeline, revenue, efficiency) and partner scorecards, and the daily rollups that keep
the dashboards' cost independent of the data's size."""

# distribution_panel registers its panel at import (analytics reads deals and partners itself; higher areas register
# theirs from their reactions modules).
from prm_app.analytics import distribution_panel  # noqa: F401
from prm_app.analytics.panels import (
    Panel,
    PanelBars,
    PanelFact,
    PanelTable,
    dashboard_panels,
    register_dashboard_panel,
)
from prm_app.analytics.rollups import FoldRun, fold_rollups, rebuild_rollups

__all__ = [
    "FoldRun",
    "Panel",
    "PanelBars",
    "PanelFact",
    "PanelTable",
    "charts",
    "dashboard_panels",
    "fold_rollups",
    "metrics",
    "rebuild_rollups",
    "register_dashboard_panel",
]
