"""Two-tier distribution on leads: a distributor (or master agent) that accepted a lead passes it to one of its
current resellers. The lead is then offered to that reseller with the usual deadline and notice; if the reseller
declines or lets the offer lapse, the lead comes back to the distributor, accepted as it was (offers.reroute), never
to routing. A deal registered from a passed lead names the distributor that passed it (my_leads.lead_deal_prefill).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from prm_app.leads.models import WORKABLE, LeadStatus
from prm_app.leads.offers import log_lead, offer
from prm_app.leads.partner_access import my_lead
from prm_app.notifications import resolve
from prm_app.partners import Organization, current_children
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.platform.i18n import Words


def pass_choices(session: Session, actor: Actor, lead_id: int) -> list[tuple[int, str]]:
    """The resellers and agents the actor's organization may pass this lead to today (by name); [] when it may not
    pass it (not accepted and being worked by it, or nobody below it)."""
    lead = my_lead(session, actor, lead_id)
    if lead.status not in WORKABLE or lead.deal_id is not None:
        return []
    return current_children(session, actor.organization_id or 0)


def pass_lead(session: Session, actor: Actor, lead_id: int, reseller: str, now: datetime | None = None) -> None:
    """Offer the organization's accepted lead to one of its current resellers (`reseller`: its id as chosen)."""
    now = now or utcnow()
    lead = my_lead(session, actor, lead_id)
    if lead.status not in WORKABLE or lead.deal_id is not None:
        raise DomainError(Words("leads.error.pass_worked_only"))
    choice = (reseller or "").strip()
    resellers = dict(current_children(session, actor.organization_id or 0))
    if not choice.isdigit() or int(choice) not in resellers:
        raise ValidationError(Words("leads.error.choose_reseller"), "reseller_id")
    distributor = actor.organization_id or 0
    resolve(session, distributor, ("lead", saved_id(lead)), "lead_given_back", at=now)
    lead.passed_by_id, lead.partner_id = distributor, int(choice)
    name = session.get_one(Organization, distributor).name
    lead.proposal_reasons, lead.proposal_score = f"passed on by its distributor, {name}", None
    lead.status = LeadStatus.PROPOSED
    log_lead(session, lead, actor, "passed", now, f"to {resellers[int(choice)]}")
    audit(session, actor, "lead_passed", "lead", lead.id, reseller_id=int(choice))
    offer(session, actor, lead, now)
