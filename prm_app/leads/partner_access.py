"""Which leads a partner's people may see and answer: those offered to, accepted or worked by their organization."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.leads.models import QUEUED, Lead
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound


def my_lead(session: Session, actor: Actor, lead_id: int) -> Lead:
    """The lead, if it is offered to, accepted or worked by the actor's organization; else NotFound (never saying
    whether it exists for someone else). Needs WORK_LEADS."""
    actor.require(Permission.WORK_LEADS)
    lead = session.get(Lead, lead_id)
    # Offered, accepted or worked by this partner only; a lead it declined is no longer its own.
    if lead is None or lead.partner_id != actor.organization_id or lead.status in QUEUED:
        raise NotFound("lead")
    return lead
