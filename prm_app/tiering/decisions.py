"""Deciding a pending row (a tier proposal, an override) exactly once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import ValidationError


def decide_once(
    session: Session, table: Any, row_id: int, actor: Actor, approve: bool, note: str, already: str, **more: Any
) -> None:
    """Compare-and-set: the decision (with `more` columns) lands only on a row still pending. Two managers deciding
    at once (one approves, one rejects; a double click) are serialized by the row's write lock and the second is
    refused with `already`, instead of a "rejected" row whose approval changed the tier anyway."""
    decided = session.execute(
        update(table)
        .where(col(table.id) == row_id, col(table.status) == "pending")
        .values(
            status="approved" if approve else "rejected",
            decided_by_id=actor.user_id,
            decided_at=utcnow(),
            note=note.strip()[:1000],
            **more,
        )
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationError(already)
