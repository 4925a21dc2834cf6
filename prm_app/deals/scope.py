"""A deal as the actor may reach it: the one place that turns an id from the browser into a Deal.

A partner reaches its own organization's registrations, and, read-only, the registrations its resellers shared with
it: those naming it as their distributor, not marked "do not share", and no longer drafts (`shared_with`; a
distributor's on-behalf registrations are always submitted, service.register_deal). The vendor's people (who may
view partners) reach those of the partners in their reach (Actor.reaches_book_of: a channel manager's own book,
every partner for admins and execs). Anything else is "not found", never "forbidden", so ids reveal nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import Session, col, select

from prm_app.deals.models import Deal, DealStatus
from prm_app.partners import Organization, holds_now
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


def registering_party(session: Session, actor: Actor, on_behalf_of: int | None = None) -> tuple[int, int]:
    """The (organization id, user id) a new registration is recorded under: the partner's own, or, for a deal import
    (IMPORT_DEALS), the organization `on_behalf_of` with the importer as its creator. A partner registers only for
    itself (another organization is NotFound); the vendor's people only for a partner in their reach (Actor.
    reaches_book_of; anything else NotFound), and only on someone's behalf (they belong to no partner)."""
    if on_behalf_of is None or (actor.is_partner and on_behalf_of == actor.organization_id):
        return acting_partner(actor)
    if actor.is_partner:
        raise NotFound("partner")
    actor.require(Permission.IMPORT_DEALS)
    org = session.get(Organization, on_behalf_of)
    if org is None or actor.user_id is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("partner")
    return on_behalf_of, actor.user_id


def partner_deal(session: Session, actor: Actor, deal_id: int) -> Deal:
    """The registration `deal_id` of the actor's own organization; raises NotFound for any other id."""
    actor.require(Permission.REGISTER_DEALS)
    deal = session.get(Deal, deal_id)
    if deal is None or deal.organization_id != actor.organization_id:
        raise NotFound("deal")
    return deal


def shared_with(organization_id: int | None) -> ColumnElement[bool]:
    """A filter on Deal: the registrations another organization shared with `organization_id` as its distributor,
    while it still is (an ended relation ends the view). The "do not share" flag and drafts keep a deal out,
    whatever else the distributor knows of it."""
    return (
        (col(Deal.distributor_id) == organization_id)
        & (col(Deal.organization_id) != organization_id)
        & col(Deal.distributor_hidden).is_(False)
        & (col(Deal.status) != DealStatus.DRAFT)
        & holds_now(organization_id, Deal.organization_id)
    )


def partner_reach(actor: Actor) -> ColumnElement[bool]:
    """A filter on Deal for a partner's reads (lists, search, API): its own organization's registrations and those
    shared with it as a distributor."""
    actor.require(Permission.REGISTER_DEALS)
    return or_(col(Deal.organization_id) == actor.organization_id, shared_with(actor.organization_id))


def distributor_deal(session: Session, actor: Actor, deal_id: int) -> Deal:
    """A reseller's registration shared with the actor's organization as its distributor, to read only; NotFound for
    any other id (an unshared one included: the distributor cannot tell it from one that does not exist)."""
    actor.require(Permission.REGISTER_DEALS)
    deal = session.exec(select(Deal).where(col(Deal.id) == deal_id, shared_with(actor.organization_id))).first()
    if deal is None:
        raise NotFound("deal")
    return deal


def internal_deal(session: Session, actor: Actor, deal_id: int) -> Deal:
    """A registration of a partner in the actor's reach, for the vendor's people; NotFound for any other id."""
    actor.require(Permission.VIEW_PARTNERS)
    row = session.exec(
        select(Deal, Organization.channel_manager_id)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(col(Deal.id) == deal_id)
    ).first()
    if row is None or not actor.reaches_book_of(row[1]):
        raise NotFound("deal")
    return row[0]


def in_reach(actor: Actor) -> ColumnElement[bool]:
    """A filter for a query that joins Organization: only the partners in the actor's reach."""
    owner = actor.book_owner()
    return true() if owner is None else col(Organization.channel_manager_id) == owner
