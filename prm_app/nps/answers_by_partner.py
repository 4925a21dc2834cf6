"""The answers of given partners' people in a span of time, one row each, bucketed by this area's NPS rules: what
another area counts into a measure of its own (tiering's NPS criterion over each partner's evaluation window).
A system read: the caller has already decided which partners it may look at."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.nps.models import NpsResponse
from prm_app.nps.rules import DETRACTOR_MAX, PROMOTER_MIN


@dataclass(frozen=True)
class PartnerAnswer:
    organization_id: int
    response_id: int
    answered_at: datetime
    promoter: bool  # 9-10
    detractor: bool  # 0-6


def partner_answers(
    session: Session, organization_ids: Collection[int], start: datetime, end: datetime
) -> list[PartnerAnswer]:
    """Every answer from the partners' people answered in [start, end), by id."""
    if not organization_ids:
        return []
    rows = session.exec(
        select(NpsResponse.organization_id, NpsResponse.id, NpsResponse.answered_at, NpsResponse.score)
        .where(col(NpsResponse.organization_id).in_(list(organization_ids)))
        .where(col(NpsResponse.answered_at) >= start, col(NpsResponse.answered_at) < end)
        .order_by(col(NpsResponse.id))
    ).all()
    return [
        PartnerAnswer(org_id, response_id or 0, at, score >= PROMOTER_MIN, score <= DETRACTOR_MAX)
        for org_id, response_id, at, score in rows
    ]
