"""A manager's routing run over a queue (a proposed partner, with reasons, per waiting lead) and the
confirmation that sends the proposals to their partners as offers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.leads.models import QUEUED, Lead, LeadStatus
from prm_app.leads.offers import offer
from prm_app.leads.queue_access import check_queue
from prm_app.leads.routing import route_many
from prm_app.leads.routing_inputs import lead_facts, partner_candidates, product_names
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound


@dataclass(frozen=True)
class RoutingRun:
    proposed: int
    unmatched: int


def route_leads(
    session: Session, actor: Actor, queue_id: int, lead_ids: Sequence[int] | None = None, now: datetime | None = None
) -> RoutingRun:
    """Propose a partner, with reasons, for the queue's waiting leads (or the given ones), in queue order.

    Pending proposals count toward a partner's load, so capacity holds across runs and chunks.
    """
    check_queue(session, actor, queue_id, write=True)
    now = now or utcnow()
    stmt = select(Lead).where(Lead.queue_id == queue_id, col(Lead.status).in_([s.value for s in QUEUED]))
    if lead_ids is not None:
        stmt = stmt.where(col(Lead.id).in_([int(i) for i in lead_ids]))
    leads = session.exec(stmt.order_by(col(Lead.rank), col(Lead.id))).all()
    if lead_ids is not None and len(leads) != len(set(lead_ids)):
        raise NotFound("lead")  # not waiting in this queue (or not this manager's): nothing is routed
    pending: dict[int | None, int] = dict(  # by partner id; proposed leads always have one
        session.exec(
            select(Lead.partner_id, func.count())
            .where(Lead.status == LeadStatus.PROPOSED, col(Lead.id).not_in([lead.id for lead in leads]))
            .group_by(col(Lead.partner_id))
        ).all()
    )
    profiles = [
        p.__class__(**{**p.__dict__, "load": p.load + pending.get(p.partner_id, 0)})
        for p in partner_candidates(session, now)
    ]
    proposals = route_many(lead_facts(session, leads), profiles, product_names=product_names(session))
    matched = 0
    for lead, proposal in zip(leads, proposals, strict=True):
        if proposal.partner_id is None:
            lead.status, lead.partner_id, lead.proposal_score = LeadStatus.NEW, None, None
            lead.proposal_reasons = proposal.no_match_reason
        else:
            lead.status, lead.partner_id, lead.proposal_score = LeadStatus.PROPOSED, proposal.partner_id, proposal.score
            lead.proposal_reasons = "\n".join(proposal.reasons)
            matched += 1
        session.add(lead)
    audit(session, actor, "leads_routed", "lead_queue", queue_id, proposed=matched, unmatched=len(leads) - matched)
    return RoutingRun(proposed=matched, unmatched=len(leads) - matched)


def confirm_proposals(session: Session, actor: Actor, lead_ids: Sequence[int], now: datetime | None = None) -> int:
    """Send the proposed leads to their partners (the accept deadline starts). Returns how many were sent."""
    actor.require(Permission.MANAGE_LEADS)
    now = now or utcnow()
    sent = 0
    for lead in session.exec(select(Lead).where(col(Lead.id).in_([int(i) for i in lead_ids])).order_by(col(Lead.rank))):
        check_queue(session, actor, lead.queue_id, write=True)
        if lead.status == LeadStatus.PROPOSED and lead.partner_id is not None:
            offer(session, actor, lead, now)
            sent += 1
    return sent
