"""When partners finished onboarding: what another area reads as a fact of its own (tiering's "onboarding complete"
criterion). A system read: the caller has already decided which partners it may look at."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.onboarding.models import Checklist


def onboarding_completions(session: Session, organization_ids: Collection[int]) -> dict[int, tuple[int, datetime]]:
    """{organization id: (its checklist's id, when it was completed)} of those partners that completed theirs."""
    if not organization_ids:
        return {}
    rows = session.exec(
        select(Checklist.organization_id, Checklist.id, Checklist.completed_at).where(
            col(Checklist.organization_id).in_(list(organization_ids)), col(Checklist.completed_at).is_not(None)
        )
    ).all()
    return {org_id: (checklist_id or 0, done) for org_id, checklist_id, done in rows if done is not None}
