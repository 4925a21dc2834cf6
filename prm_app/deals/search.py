"""What the header's search finds among registrations: a partner's own, or for the vendor's people those of the
partners in their reach (the scopes of the deal list and the review queue)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from prm_app.deals.models import Deal, DealStatus
from prm_app.deals.scope import in_reach, partner_reach
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id


@dataclass(frozen=True)
class DealHit:
    """A registration found by the header's search."""

    id: int
    customer: str
    partner: str  # the organization that registered it
    status: DealStatus
    own: bool  # the actor's own organization's (a partner's view of it); False: the vendor's review view


def find_deals(session: Session, actor: Actor, text: str, limit: int = 8) -> tuple[DealHit, ...]:
    """Registrations whose customer name or website contains `text` (any case), newest first, at most `limit`: a
    partner's own organization's (and those shared with it as a distributor, deals.scope.partner_reach), or for the
    vendor's people those of the partners in their reach (the same scopes as the deal lists and the review queue).
    Nothing for anyone else."""
    if actor.is_partner:
        reach = [partner_reach(actor)]  # its own, and those its resellers shared with it as their distributor
    else:  # a partner's drafts are not registrations yet: the vendor does not see them
        actor.require(Permission.VIEW_PARTNERS)
        reach = [in_reach(actor), col(Deal.status) != DealStatus.DRAFT]
    needle = text.strip().lower()
    rows = session.exec(
        select(Deal, Organization.name)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(
            *reach,
            or_(
                func.lower(col(Deal.customer_name)).contains(needle, autoescape=True),
                func.lower(col(Deal.customer_site)).contains(needle, autoescape=True),
            ),
        )
        .order_by(col(Deal.created_at).desc(), col(Deal.id).desc())
        .limit(limit)
    ).all()
    return tuple(
        DealHit(
            id=saved_id(deal),
            customer=deal.customer_name,
            partner=name,
            status=DealStatus(deal.status),
            own=actor.is_partner,
        )
        for deal, name in rows
    )
