"""A deal as the actor may reach it: the one place that turns an id from the browser into a Deal.

A partner reaches only its own organization's registrations; the vendor's people (who may view partners) reach
every one. Anything else is "not found", never "forbidden", so ids reveal nothing.
"""

from __future__ import annotations

from sqlmodel import Session

from prm_app.deals.models import Deal
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound, PermissionDenied


def acting_partner(actor: Actor) -> tuple[int, int]:
    """The (organization id, user id) a partner's writes are recorded under.

    Only people of a partner organization hold REGISTER_DEALS, so both exist; an actor without them is refused
    before anything is written (the NOT NULL columns would refuse it at the flush anyway).
    """
    actor.require(Permission.REGISTER_DEALS)
    if actor.organization_id is None or actor.user_id is None:
        raise PermissionDenied()
    return actor.organization_id, actor.user_id


def partner_deal(session: Session, actor: Actor, deal_id: int) -> Deal:
    """The registration `deal_id` of the actor's own organization; raises NotFound for any other id."""
    actor.require(Permission.REGISTER_DEALS)
    deal = session.get(Deal, deal_id)
    if deal is None or deal.organization_id != actor.organization_id:
        raise NotFound("deal")
    return deal


def internal_deal(session: Session, actor: Actor, deal_id: int) -> Deal:
    """Any registration, for the vendor's people; raises NotFound when there is none."""
    actor.require(Permission.VIEW_PARTNERS)
    deal = session.get(Deal, deal_id)
    if deal is None:
        raise NotFound("deal")
    return deal
