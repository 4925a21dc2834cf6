"""A partner as a manager reaches it: by id or by its exact name, always through the actor's book (a miss is "not
found", or None for a typed name the form then marks)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from prm_app.partners import Organization
from prm_app.platform.access import Actor
from prm_app.platform.errors import NotFound

NOT_IN_BOOK = "Type the name of a partner you manage, as the directory shows it."


def partner_in_book(session: Session, actor: Actor, organization_id: int) -> Organization:
    """The partner, looked up through the actor's book; a miss is "not found"."""
    org = session.get(Organization, organization_id)
    if org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("partner")
    return org


def partner_id_by_name(session: Session, actor: Actor, name: str) -> int | None:
    """The id of the partner of the actor's book named `name` (any case, outer spaces ignored), or None."""
    wanted = name.strip().lower()
    if not wanted:
        return None
    query = select(Organization.id).where(col(Organization.name_lower) == wanted)
    owner = actor.book_owner()
    if owner is not None:
        query = query.where(col(Organization.channel_manager_id) == owner)
    return session.exec(query).first()


def book_names(session: Session, actor: Actor, limit: int = 500) -> list[str]:
    """The names of the partners in the actor's book, A to Z (at most `limit`): what a form offers to pick from."""
    query = select(Organization.name).order_by(col(Organization.name_lower)).limit(limit)
    owner = actor.book_owner()
    if owner is not None:
        query = query.where(col(Organization.channel_manager_id) == owner)
    return list(session.exec(query).all())
