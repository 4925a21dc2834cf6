"""Assigning a lead by hand: the partners a manager may choose from, and the choice itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from prm_app.leads.models import QUEUED, Lead, LeadStatus, RoutingProfile
from prm_app.leads.queue_access import check_queue
from prm_app.leads.routing_inputs import lead_facts
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.errors import DomainError, NotFound


@dataclass(frozen=True)
class PartnerOption:
    """A partner a lead can be assigned to by hand."""

    id: int
    name: str


def routable_partners(session: Session, actor: Actor) -> list[PartnerOption]:
    """Every partner that takes leads, by name."""
    actor.require(Permission.VIEW_PARTNERS)
    rows = session.exec(
        select(Organization.id, Organization.name)
        .join(RoutingProfile, col(RoutingProfile.organization_id) == Organization.id)
        .where(RoutingProfile.accepts_leads)
        .order_by(col(Organization.name))
    ).all()
    # a primary key read back is never None: the filter only tells the type checker so
    return [PartnerOption(id=i, name=n) for i, n in rows if i is not None]


def assign_by_hand(session: Session, actor: Actor, lead_id: int, partner_id: int) -> None:
    """A manager's own choice of partner; the reasons then say who chose."""
    actor.require(Permission.MANAGE_LEADS)
    lead = session.get(Lead, lead_id)
    if lead is None or lead.status not in QUEUED:
        raise NotFound("lead")
    check_queue(session, actor, lead.queue_id, write=True)
    partner = session.exec(
        select(Organization)
        .join(RoutingProfile, col(RoutingProfile.organization_id) == Organization.id)
        .where(Organization.id == partner_id, RoutingProfile.accepts_leads)
    ).first()
    if partner is None:
        raise NotFound("partner")
    if partner_id in lead_facts(session, [lead])[0].declined_by:
        raise DomainError(f"{partner.name} already declined this lead.")
    lead.status, lead.partner_id, lead.proposal_score = LeadStatus.PROPOSED, partner.id, None
    lead.proposal_reasons = f"assigned by {actor.name}"
    session.add(lead)
    audit(session, actor, "lead_assigned_by_hand", "lead", lead.id, partner_id=partner.id)
