"""How an actor reaches an organization: the one place that decides which partner ids a read or use case may touch.

A partner's people reach only their own organization; an id outside the actor's scope is "not found", exactly
like an id that does not exist, so nobody learns which ids exist elsewhere.
"""

from __future__ import annotations

from sqlmodel import Session

from prm_app.partners.models import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound


def profile_org(session: Session, actor: Actor, organization_id: int) -> Organization:
    """The organization whose profile the actor may read: its own for a partner, any for internal users who
    may view partners. Raises NotFound outside that scope, PermissionDenied for internal users without the grant."""
    if actor.is_partner and actor.organization_id != organization_id:
        raise NotFound("partner")
    if not actor.is_partner:
        actor.require(Permission.VIEW_PARTNERS)
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound("partner")
    return org


def team_org(session: Session, actor: Actor, organization_id: int) -> Organization:
    """The organization whose people the actor may see: its own for a partner; for internal users a partner in
    their reach (Actor.reaches_book_of: a channel manager's book, every partner for admins and execs).
    Raises NotFound outside that scope. (Changing the team is checked separately: Actor.can_manage_team_of.)"""
    if actor.is_partner and actor.organization_id != organization_id:
        raise NotFound("partner")
    if not actor.is_partner:
        actor.require(Permission.VIEW_PARTNERS)
    org = session.get(Organization, organization_id)
    if org is None or not (actor.is_partner or actor.reaches_book_of(org.channel_manager_id)):
        raise NotFound("partner")
    return org
