"""The fairness report: per partner over a period, leads offered against monthly capacity, how it answered,
and the average routing score of its offers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.leads.models import LeadEvent, RoutingProfile
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow


def fairness_report(session: Session, actor: Actor, since: datetime, until: datetime | None = None) -> list[dict]:
    """Per partner over the period: leads offered vs monthly capacity, how it answered, average routing score."""
    actor.require(Permission.VIEW_PARTNERS)
    until = until or utcnow()
    stats: dict[int, dict] = {}
    for partner_id, action, n, avg_score in session.exec(
        select(LeadEvent.partner_id, LeadEvent.action, func.count(), func.avg(LeadEvent.score))
        .where(
            LeadEvent.at >= since,
            LeadEvent.at < until,
            col(LeadEvent.partner_id).is_not(None),
            col(LeadEvent.action).in_(["offered", "accepted", "declined", "expired"]),
        )
        .group_by(LeadEvent.partner_id, LeadEvent.action)
    ):
        row = stats.setdefault(partner_id, {"offered": 0, "accepted": 0, "declined": 0, "expired": 0, "score": None})
        row[action] = n
        if action == "offered" and avg_score is not None:
            row["score"] = round(float(avg_score), 1)
    months = max(1.0, (until - since).days / 30.4)
    report = []
    for org_id, name, capacity in session.exec(
        select(Organization.id, Organization.name, RoutingProfile.monthly_capacity)
        .join(RoutingProfile, RoutingProfile.organization_id == Organization.id)
        .order_by(Organization.name)
    ):
        row = stats.get(org_id, {"offered": 0, "accepted": 0, "declined": 0, "expired": 0, "score": None})
        allowance = round(capacity * months)
        report.append(
            {
                "partner": name,
                "offered": row["offered"],
                "capacity": allowance,
                "share": f"{row['offered'] / allowance:.0%}" if allowance else "—",
                "accepted": row["accepted"],
                "declined": row["declined"],
                "expired": row["expired"],
                "score": "—" if row["score"] is None else f"{row['score']:.1f}",
            }
        )
    return report
