"""A person's notification preferences: which emailable events (rules.EMAIL_EVENTS) they also get by email, and
which in the app only. Every notice shows in the app whatever they choose. Each person reads and changes their
own choices only: the person is the server-resolved actor, never an id from the browser."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.notifications.models import NotificationPreference
from prm_app.notifications.rules import EMAIL_EVENTS, email_choices
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound


@dataclass(frozen=True)
class EmailChoice:
    kind: str
    label: str  # finishes "Email me when…"
    email: bool  # by email too (else in the app only)
    default: bool  # what a person who never chose gets


def _person(actor: Actor) -> int:
    """The user id of a partner's person (who has notices); NotFound for anyone else."""
    actor.require(Permission.USE_PORTAL)
    if actor.user_id is None or actor.organization_id is None:
        raise NotFound("notification preferences")
    return actor.user_id


def _chosen(session: Session, user_id: int) -> dict[str, bool]:
    rows = session.exec(
        select(NotificationPreference.kind, NotificationPreference.email).where(
            col(NotificationPreference.user_id) == user_id
        )
    ).all()
    return dict(rows)


def _choices(chosen: dict[str, bool]) -> tuple[EmailChoice, ...]:
    emailed = email_choices(chosen)
    return tuple(EmailChoice(e.kind, e.label, emailed[e.kind], e.email_by_default) for e in EMAIL_EVENTS)


def my_email_choices(session: Session, actor: Actor) -> tuple[EmailChoice, ...]:
    """Every emailable event, in a fixed order, with whether the actor gets it by email."""
    return _choices(_chosen(session, _person(actor)))


def set_email_choices(
    session: Session, actor: Actor, emailed: Iterable[str], now: datetime | None = None
) -> tuple[EmailChoice, ...]:
    """The actor gets exactly the events `emailed` by email, every other emailable event in the app only (kinds
    that are not emailable are ignored). Audited with what changed; saving the same choices again changes nothing."""
    user_id = _person(actor)
    wanted = {str(k) for k in emailed}
    before = email_choices(_chosen(session, user_id))
    now = now or utcnow()
    changed: dict[str, bool] = {}
    for event in EMAIL_EVENTS:
        email = event.kind in wanted
        row = session.get(NotificationPreference, (user_id, event.kind))
        if row is None:
            row = NotificationPreference(user_id=user_id, kind=event.kind, email=email, updated_at=now)
        elif row.email == email:
            continue
        else:
            row.email, row.updated_at = email, now
        session.add(row)
        if before[event.kind] != email:
            changed[event.kind] = email
    if changed:
        audit(session, actor, "notification_preferences.update", "app_user", user_id, **changed)
    session.flush()
    return _choices(_chosen(session, user_id))
