"""Earnings a missing FX rate holds: the event is kept (one HeldEarning per source event: a won deal, a registration
earning SPIFFs, an approved SPIFF claim), its problem shown to admins in the fx area's words ("missing FX rate for
CLP on 2026-12-07"), and it posts again once the rate is added (commissions.post_held_earnings)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from prm_app.incentives.ledger import Posting
from prm_app.incentives.models import HeldEarning
from prm_app.incentives.payout_currency import to_payout_currency
from prm_app.incentives.rules import FxMissing
from prm_app.platform.clock import utcnow

WON_DEAL = "deal"  # a won deal's commissions and rebates (source id: the deal)
REGISTRATION = "deal_registered"  # the SPIFFs a registered deal earns (source id: the deal)
SPIFF_CLAIM = "spiff_claim"  # an approved SPIFF claim's line (source id: the claim)


def _held(session: Session, source_type: str, source_id: int) -> HeldEarning | None:
    return session.exec(
        select(HeldEarning).where(HeldEarning.source_type == source_type, HeldEarning.source_id == source_id)
    ).first()


def hold(session: Session, source_type: str, source_id: int, organization_id: int, problem: str) -> None:
    """Keep the event for later with its problem (the latest problem when it is held again)."""
    held = _held(session, source_type, source_id)
    if held is None:
        held = HeldEarning(
            source_type=source_type, source_id=source_id, organization_id=organization_id, problem=problem
        )
    else:
        held.problem = problem
    session.add(held)


def resolve(session: Session, source_type: str, source_id: int) -> None:
    """The event posted: it is no longer held (nothing when it never was)."""
    held = _held(session, source_type, source_id)
    if held is not None and held.resolved_at is None:
        held.resolved_at = utcnow()
        session.add(held)


def still_held(session: Session) -> list[HeldEarning]:
    return list(session.exec(select(HeldEarning).where(HeldEarning.resolved_at.is_(None))).all())  # type: ignore[union-attr]


def in_payout_currency(
    session: Session, posting: Posting, day: date, source_type: str, source_id: int
) -> Posting | None:
    """`posting` in its partner's payout currency at the rate of `day` (payout_currency.to_payout_currency), or None
    when a rate is missing: the event is held then, with the fx area's words."""
    try:
        return to_payout_currency(session, posting, day)
    except FxMissing as missing:
        hold(session, source_type, source_id, posting.organization_id or 0, missing.message)
        return None
