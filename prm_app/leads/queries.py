"""What the vendor's queue page reads, as frozen dataclasses with raw values (status codes, the routing score as a
number, None for what does not exist). The pages (prm_app/leads/ui/) decide how they look."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from prm_app.leads.assignment import PartnerOption, routable_partners
from prm_app.leads.models import QUEUED, Lead, LeadStatus
from prm_app.leads.queue_access import QueueOption, check_queue, my_queues
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id


@dataclass(frozen=True)
class QueuedLead:
    """A lead waiting in its queue: new, or proposed to a partner by routing (or by hand)."""

    id: int
    company: str
    city: str
    country: str
    vertical: str  # "" when unknown
    status: LeadStatus
    partner: str | None  # the proposed partner's name
    score: float | None  # routing's score, 0..100; None when nobody matched or a manager chose
    reasons: tuple[str, ...]  # routing's reasons (or why nobody matched), one per line


def queue_leads(session: Session, actor: Actor, queue_id: int, limit: int = 500) -> list[QueuedLead]:
    """The queue in priority order: leads waiting for routing or for confirmation of a proposal."""
    check_queue(session, actor, queue_id, write=False)
    rows = session.exec(
        select(Lead, Organization.name)
        .join(Organization, col(Organization.id) == Lead.partner_id, isouter=True)
        .where(Lead.queue_id == queue_id, col(Lead.status).in_([s.value for s in QUEUED]))
        .order_by(col(Lead.rank), col(Lead.id))
        .limit(limit)
    ).all()
    return [
        QueuedLead(
            id=saved_id(lead),
            company=lead.company,
            city=lead.city,
            country=lead.country,
            vertical=lead.vertical,
            status=LeadStatus(lead.status),
            partner=name,
            score=lead.proposal_score,
            reasons=tuple(r for r in lead.proposal_reasons.splitlines() if r),
        )
        for lead, name in rows
    ]


@dataclass(frozen=True)
class QueueView:
    queues: list[QueueOption]  # the queues the actor works, by name
    queue_id: int | None  # the one shown: the asked-for queue if it is the actor's, else the first
    rows: list[QueuedLead]  # its waiting and routed leads in queue order
    partners: list[PartnerOption]  # partners a lead can be assigned to by hand
    can_route: bool


def queue_view(session: Session, actor: Actor, queue_id: int | None) -> QueueView:
    """A channel manager's queue page: only queues the actor is a member of (admins and execs: all)."""
    queues = my_queues(session, actor)
    if queues and queue_id not in {q.id for q in queues}:
        queue_id = queues[0].id
    rows = queue_leads(session, actor, queue_id) if queue_id else []
    return QueueView(queues, queue_id, rows, routable_partners(session, actor), actor.can(Permission.MANAGE_LEADS))


@dataclass(frozen=True)
class LeadHit:
    """A lead found by the header's search."""

    id: int
    company: str
    status: LeadStatus
    queue_id: int  # its queue (the vendor's people open that queue; a partner opens the lead itself)
    own: bool  # offered to or worked by the actor's own organization (a partner's view of it)


def find_leads(session: Session, actor: Actor, text: str, limit: int = 8) -> tuple[LeadHit, ...]:
    """Leads whose company contains `text` (any case), newest first, at most `limit`: for a partner, those its
    organization was offered or works (what its Leads page lists); for the vendor's people, those in the queues
    they work (what their queue page shows)."""
    if actor.is_partner:
        actor.require(Permission.WORK_LEADS)
        reach = [col(Lead.partner_id) == actor.organization_id, col(Lead.status).not_in([s.value for s in QUEUED])]
    else:
        reach = [col(Lead.queue_id).in_([q.id for q in my_queues(session, actor)])]
    rows = session.exec(
        select(Lead)
        .where(*reach, func.lower(col(Lead.company)).contains(text.strip().lower(), autoescape=True))
        .order_by(col(Lead.id).desc())
        .limit(limit)
    ).all()
    return tuple(
        LeadHit(
            id=saved_id(lead),
            company=lead.company,
            status=LeadStatus(lead.status),
            queue_id=lead.queue_id,
            own=actor.is_partner,
        )
        for lead in rows
    )
