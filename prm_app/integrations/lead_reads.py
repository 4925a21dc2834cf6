"""The REST API's leads: the list and one lead, narrowed on the server by the leads area's own rules, and the shape
every lead route answers with.

A partner's key reaches the leads offered to, accepted or worked by its organization (the portal's Leads pages:
`leads.get_my_lead`'s rule), and sees the customer's contact person only once it has accepted, as on the page. The
vendor's people reach the leads of the queues they work (`leads.my_queues`: a channel manager's memberships, every
queue for admins). A lead outside that reach is NotFound, like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from prm_app.integrations.reads import Page, page_of
from prm_app.leads import QUEUED, Lead, LeadEvent, LeadProduct, LeadStatus, get_my_lead, my_queues
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound


@dataclass(frozen=True)
class LeadOut:
    id: int
    status: str
    company: str
    domain: str
    contact_name: str | None  # None for a partner while the lead is only offered
    contact_email: str | None
    country: str
    city: str
    postcode: str
    vertical: str
    product_ids: list[int]
    estimated_size: Decimal | None
    currency: str
    source: str
    partner_id: int | None  # proposed, offered to or working it
    offered_at: datetime | None
    accept_deadline: datetime | None
    accepted_at: datetime | None
    status_note: str
    deal_id: int | None
    created_at: datetime
    queue_id: int | None  # the vendor's keys only (None for a partner's)
    proposal_score: float | None  # the vendor's keys only
    proposal_reasons: list[str]  # routing's explanation, one reason a line (the vendor's keys only)


def _reach(session: Session, actor: Actor) -> Any:
    """The WHERE clause of the leads `actor` may see (see the module's docstring)."""
    if actor.is_partner:
        actor.require(Permission.WORK_LEADS)
        return (col(Lead.partner_id) == actor.organization_id) & col(Lead.status).not_in([s.value for s in QUEUED])
    return col(Lead.queue_id).in_([q.id for q in my_queues(session, actor)])


def list_leads(session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None) -> Page[LeadOut]:
    """The leads in the actor's reach, in id order; `since` keeps those created or with a history line since."""
    query = select(Lead).where(_reach(session, actor), col(Lead.id) > after)
    if since is not None:
        changed = select(LeadEvent.lead_id).where(col(LeadEvent.at) >= since)
        query = query.where(or_(col(Lead.created_at) >= since, col(Lead.id).in_(changed)))
    rows = session.exec(query.order_by(col(Lead.id)).limit(limit + 1)).all()
    return page_of(rows, limit, lambda lead: lead_out(session, actor, lead), saved_id)


def reachable_lead(session: Session, actor: Actor, lead_id: int) -> Lead:
    """The lead if it is in the actor's reach, else NotFound. A partner's reach is `leads.get_my_lead`'s own."""
    if actor.is_partner:
        get_my_lead(session, actor, lead_id)
    lead = session.exec(select(Lead).where(_reach(session, actor), col(Lead.id) == lead_id)).first()
    if lead is None:
        raise NotFound("lead")
    return lead


def get_lead(session: Session, actor: Actor, lead_id: int) -> LeadOut:
    return lead_out(session, actor, reachable_lead(session, actor, lead_id))


def lead_out(session: Session, actor: Actor, lead: Lead) -> LeadOut:
    hidden = actor.is_partner and lead.status == LeadStatus.OFFERED
    internal = not actor.is_partner
    products = session.exec(
        select(LeadProduct.product_id).where(LeadProduct.lead_id == lead.id).order_by(col(LeadProduct.product_id))
    ).all()
    return LeadOut(
        id=saved_id(lead), status=lead.status, company=lead.company, domain=lead.domain,
        contact_name=None if hidden else lead.contact_name, contact_email=None if hidden else lead.contact_email,
        country=lead.country, city=lead.city, postcode=lead.postcode, vertical=lead.vertical,
        product_ids=list(products), estimated_size=lead.estimated_size, currency=lead.currency, source=lead.source,
        partner_id=lead.partner_id, offered_at=lead.offered_at, accept_deadline=lead.accept_deadline,
        accepted_at=lead.accepted_at, status_note=lead.status_note, deal_id=lead.deal_id, created_at=lead.created_at,
        queue_id=lead.queue_id if internal else None, proposal_score=lead.proposal_score if internal else None,
        proposal_reasons=[r for r in lead.proposal_reasons.splitlines() if r] if internal else [],
    )  # fmt: skip
