"""A person's time zone: the one setting that decides how every time on their pages reads.

Stored as an IANA name on the user ("" until known). The browser's own zone is taken once, at the first sign-in
that reports one (`adopt_browser_zone`); after that only the person changes it, on their account page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any, TypeVar

from sqlmodel import Session

from prm_app.identity.models import User
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.zones import current_name, is_zone, zone_named

T = TypeVar("T")


def _me(session: Session, actor: Actor) -> User | None:
    # resolve_session loaded this row into the same session moments ago: no second query.
    return session.get(User, actor.user_id) if actor.user_id is not None else None


def viewer_zone(session: Session, actor: Actor) -> tzinfo:
    """The zone the actor reads times in: their setting, else UTC (jobs, and people whose zone is not known)."""
    user = _me(session, actor)
    return zone_named(user.time_zone if user else "")


def with_zone(
    session: Session, actor: Actor, use_case: Callable[..., T], *args: Any, **kwargs: Any
) -> tuple[T, tzinfo]:
    """`use_case(session, actor, *args, **kwargs)` and the actor's zone, in one unit of work: what a page that
    shows times runs (`rows, zone = self._run(with_zone, list_my_deals, status, page)`)."""
    return use_case(session, actor, *args, **kwargs), viewer_zone(session, actor)


def my_time_zone(session: Session, actor: Actor) -> str:
    """The actor's stored zone name, "" when not set."""
    user = _me(session, actor)
    return user.time_zone if user else ""


def set_my_time_zone(session: Session, actor: Actor, name: str) -> str:
    """The signed-in person picks the zone they read times in (a name the tz database knows). Audited with before
    and after. Returns the name as stored."""
    user = _me(session, actor)
    if user is None or not user.is_active:
        raise PermissionDenied()
    name = current_name(name)
    if not is_zone(name):
        raise ValidationError("Choose a time zone from the list.", "time_zone")
    if name != user.time_zone:
        audit(session, actor, "user.time_zone", "user", user.id, before=user.time_zone, after=name)
        user.time_zone = name
        session.add(user)
    return name


def adopt_browser_zone(session: Session, user_id: int, name: str) -> bool:
    """At sign-in: keep the browser's zone as the person's setting if they have none yet (never overwrites a
    choice; an old name is kept under its current one; a name the tz database does not know is ignored). Returns
    whether it was stored."""
    user, name = session.get(User, user_id), current_name(name)
    if user is None or user.time_zone or not is_zone(name):
        return False
    user.time_zone = name
    session.add(user)
    return True
