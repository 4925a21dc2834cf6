"""The fairness report: per partner over a period, leads offered against monthly capacity, how it answered,
and the average routing score of its offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.leads.models import LeadEvent, RoutingProfile
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow

ANSWERS = ("accepted", "declined", "expired")
DAYS_PER_MONTH = 30.4


@dataclass(frozen=True)
class FairnessLine:
    """One partner with a routing profile, over the report's period."""

    partner: str
    offered: int
    capacity: int  # its monthly capacity over the period (at least one month), rounded
    accepted: int
    declined: int
    expired: int
    average_score: float | None  # of the offers it got; None when it got none

    @property
    def share(self) -> float | None:
        """Leads offered as a fraction of the capacity (1.0 = all of it); None when the capacity is 0."""
        return self.offered / self.capacity if self.capacity else None


def fairness_report(
    session: Session, actor: Actor, since: datetime, until: datetime | None = None
) -> list[FairnessLine]:
    """Per partner with a routing profile, by name, over [since, until): leads offered vs monthly capacity, how it
    answered, average routing score. Events about partners without a profile (or none) count for nobody."""
    actor.require(Permission.VIEW_PARTNERS)
    until = until or utcnow()
    # keyed by partner id as the events store it (int | None; the query leaves out None)
    counts: dict[tuple[int | None, str], int] = {}
    scores: dict[int | None, float] = {}
    for partner_id, action, n, avg_score in session.exec(
        select(LeadEvent.partner_id, LeadEvent.action, func.count(), func.avg(LeadEvent.score))
        .where(
            LeadEvent.at >= since,
            LeadEvent.at < until,
            col(LeadEvent.partner_id).is_not(None),
            col(LeadEvent.action).in_(["offered", *ANSWERS]),
        )
        .group_by(col(LeadEvent.partner_id), col(LeadEvent.action))
    ):
        counts[(partner_id, action)] = n
        if action == "offered" and avg_score is not None:
            scores[partner_id] = float(avg_score)
    months = max(1.0, (until - since).days / DAYS_PER_MONTH)
    return [
        FairnessLine(
            partner=name,
            offered=counts.get((org_id, "offered"), 0),
            capacity=round(capacity * months),
            accepted=counts.get((org_id, "accepted"), 0),
            declined=counts.get((org_id, "declined"), 0),
            expired=counts.get((org_id, "expired"), 0),
            average_score=scores.get(org_id),
        )
        for org_id, name, capacity in session.exec(
            select(Organization.id, Organization.name, RoutingProfile.monthly_capacity)
            .join(RoutingProfile, col(RoutingProfile.organization_id) == Organization.id)
            .order_by(col(Organization.name))
        )
    ]
