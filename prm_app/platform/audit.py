"""Writing the audit log and engagement events, inside the caller's unit of work."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session

from prm_app.platform.access import Actor
from prm_app.platform.models import AuditLog, EngagementEvent


def audit(
    session: Session,
    actor: Actor | None,
    action: str,
    record_type: str,
    record_id: int | None,
    **summary: object,
) -> None:
    """Record who did what to which record; `summary` holds the before/after facts worth keeping."""
    session.add(
        AuditLog(
            actor_user_id=actor.user_id if actor else None,
            actor_org_id=actor.organization_id if actor else None,
            action=action,
            record_type=record_type,
            record_id=record_id,
            summary=json.dumps(summary, default=str, sort_keys=True),
            ip=actor.ip if actor else "",
        )
    )


def apply_and_audit(
    session: Session,
    actor: Actor,
    row: Any,
    before: Mapping[str, object],
    after: Mapping[str, object],
    action: str,
    record_type: str,
) -> list[str]:
    """Set on `row` the fields whose value in `after` differs from `before`, and audit only those, before and after
    (nothing written or audited when nothing changed). Returns the changed fields' names."""
    changed = sorted(k for k in after if after[k] != before[k])
    if changed:
        for name in changed:
            setattr(row, name, after[name])
        session.add(row)
        audit(
            session, actor, action, record_type, row.id,
            before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
        )  # fmt: skip
    return changed


Reaction = Callable[[Session, EngagementEvent], None]
_REACTIONS: dict[str, list[Reaction]] = {}


def reacts_to(*kinds: str) -> Callable[[Reaction], Reaction]:
    """Register `fn(session, event)` to run whenever an engagement event of one of these kinds is recorded, in the
    same unit of work as the change that recorded it (so a checklist task ticks with the deal that ticked it, or not
    at all). Areas register in their `reactions` module, which prm_app.areas imports; the platform knows no area."""

    def register(fn: Reaction) -> Reaction:
        for kind in kinds:
            _REACTIONS.setdefault(kind, []).append(fn)
        return fn

    return register


def record_engagement(
    session: Session,
    actor: Actor,
    kind: str,
    subject_type: str = "",
    subject_id: int | None = None,
    organization_id: int | None = None,
) -> None:
    """Count something for the dashboards; `organization_id` names the partner it is about (default: the actor's)."""
    event = EngagementEvent(
        user_id=actor.user_id,
        organization_id=organization_id or actor.organization_id,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
    )
    session.add(event)
    for react in _REACTIONS.get(kind, ()):
        react(session, event)
