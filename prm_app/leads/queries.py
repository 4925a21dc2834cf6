"""Reads that compose a page's view of the leads area in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from prm_app.leads.assignment import routable_partners
from prm_app.leads.models import LEAD_STATUS_LABELS, QUEUED, Lead, LeadStatus
from prm_app.leads.queue_access import check_queue, my_queues
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission


def _row(lead: Lead, partner: str | None) -> dict:
    return {
        "id": str(lead.id),
        "label": lead.company,
        "sublabel": " · ".join(x for x in (lead.city, lead.country, lead.vertical) if x),
        "status": lead.status,
        "status_label": LEAD_STATUS_LABELS[LeadStatus(lead.status)],
        "partner": partner or "",
        "score": "" if lead.proposal_score is None else f"{lead.proposal_score:.1f}",
        "reasons": [r for r in lead.proposal_reasons.splitlines() if r],
    }


def queue_leads(session: Session, actor: Actor, queue_id: int, limit: int = 500) -> list[dict]:
    """The queue in priority order: leads waiting for routing or for confirmation of a proposal."""
    check_queue(session, actor, queue_id, write=False)
    rows = session.exec(
        select(Lead, Organization.name)
        .join(Organization, Organization.id == Lead.partner_id, isouter=True)
        .where(Lead.queue_id == queue_id, col(Lead.status).in_([s.value for s in QUEUED]))
        .order_by(Lead.rank, Lead.id)
        .limit(limit)
    ).all()
    return [_row(lead, name) for lead, name in rows]


@dataclass(frozen=True)
class QueueView:
    queues: list[dict]  # the queues the actor works, by name
    queue_id: int | None  # the one shown: the asked-for queue if it is the actor's, else the first
    rows: list[dict]  # its waiting and routed leads in queue order
    partners: list[dict]  # partners a lead can be assigned to by hand
    can_route: bool


def queue_view(session: Session, actor: Actor, queue_id: int | None) -> QueueView:
    """A channel manager's queue page: only queues the actor is a member of (admins and execs: all)."""
    queues = my_queues(session, actor)
    if queues and queue_id not in {q["id"] for q in queues}:
        queue_id = queues[0]["id"]
    rows = queue_leads(session, actor, queue_id) if queue_id else []
    return QueueView(queues, queue_id, rows, routable_partners(session, actor), actor.can(Permission.MANAGE_LEADS))
