"""The read side of dashboards and scorecards: one import for the pages.

- `data_version(session)`: a cheap number that moves whenever anything the dashboards count happens, and
  `stale_reports(before, after)`: which reports a move of it touches (a login only engagement and scorecards).
- `engagement`, `pipeline`, `revenue`, `efficiency`: the executive dashboards (domain.metrics_engagement and
  domain.metrics_dashboards, whose docstring has the definitions).
- `scorecard`: one partner's figures vs the previous period and the program median (domain.metrics_scorecard).

Every report is a small frozen dataclass of plain values; definitions are in each module's docstring.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from prm_app.analytics.dashboards import (
    EfficiencyReport,
    PipelineReport,
    RevenueReport,
    efficiency,
    pipeline,
)
from prm_app.analytics.engagement import EngagementReport, engagement
from prm_app.analytics.revenue import revenue
from prm_app.analytics.scorecard import Scorecard, scorecard
from prm_app.deals import DealEvent
from prm_app.leads import LeadEvent
from prm_app.partners import Filters
from prm_app.platform.models import EngagementEvent

__all__ = [
    "EfficiencyReport",
    "EngagementReport",
    "Filters",
    "PipelineReport",
    "RevenueReport",
    "Scorecard",
    "data_version",
    "efficiency",
    "engagement",
    "pipeline",
    "revenue",
    "scorecard",
    "stale_reports",
]

# Which parts of data_version (engagement_event, deal_event, lead_event) each report reads. A login, the most
# frequent event by far, writes only an engagement event; every deal status change writes a deal event (and an
# engagement event); every lead action a lead event.
DEPENDS_ON = {
    "engagement": (0, 1, 2),
    "pipeline": (1, 2),
    "revenue": (1, 2),
    "efficiency": (1, 2),
    "scorecard": (0, 1, 2),
}


def data_version(session: Session) -> tuple[int, int, int]:
    """(max engagement_event.id, max deal_event.id, max lead_event.id): three primary-key lookups in one round trip.

    Every change a dashboard counts writes one of these rows (a login, any deal status change, any lead action), so
    the tuple moves whenever a figure may have; an unchanged tuple means nothing needs recomputing. Not covered:
    edits that write none of them (a partner's tier or region, a new exchange rate): those show at the next change
    or reload.
    """
    row = session.exec(
        select(
            select(func.max(EngagementEvent.id)).scalar_subquery(),
            select(func.max(DealEvent.id)).scalar_subquery(),
            select(func.max(LeadEvent.id)).scalar_subquery(),
        )
    ).one()
    engagement_id, deal_id, lead_id = row
    return int(engagement_id or 0), int(deal_id or 0), int(lead_id or 0)


def stale_reports(
    before: tuple[int, ...], after: tuple[int, ...], depends_on: dict[str, tuple[int, ...]] = DEPENDS_ON
) -> set[str]:
    """The reports to recompute when data_version moved from `before` to `after` (the others cannot have changed;
    the pipeline's ageing also moves with the clock, so a page refreshes it now and then regardless)."""
    moved = {i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new}
    return {name for name, parts in depends_on.items() if moved.intersection(parts)}
