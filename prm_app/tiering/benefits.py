"""Which benefits a tier gives on a day: of each kind, the latest that has started (nothing before its effective
date). Supplies partners.benefits, the read that deals, leads and incentives apply (registered in reactions.py)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from prm_app.partners import Organization
from prm_app.tiering.models import ProgramTier, TierBenefit, TierProgram
from prm_app.tiering.rules import BENEFITS


def program_of(session: Session, partner_type: str) -> TierProgram | None:
    """The tier program that covers a partner type (the first made, if several do)."""
    for program in session.exec(select(TierProgram).order_by(col(TierProgram.id))).all():
        if partner_type in program.partner_types.split(","):
            return program
    return None


def in_effect(session: Session, program_tier_id: int, day: date) -> list[TierBenefit]:
    """The tier's benefits in effect on `day`: of each kind, the latest that has started."""
    rows = session.exec(
        select(TierBenefit)
        .where(col(TierBenefit.program_tier_id) == program_tier_id, col(TierBenefit.effective_from) <= day)
        .order_by(col(TierBenefit.effective_from), col(TierBenefit.id))
    ).all()
    latest = {b.kind: b for b in rows}
    return sorted(latest.values(), key=lambda b: list(BENEFITS).index(b.kind) if b.kind in BENEFITS else 99)


def partner_benefits(session: Session, organization_id: int, day: date) -> dict[str, str]:
    """kind -> value of the benefits the partner's current tier gives on `day`, in its partner type's program."""
    org = session.get(Organization, organization_id)
    program = program_of(session, org.partner_type) if org else None
    if org is None or program is None:
        return {}
    pt = session.exec(
        select(ProgramTier).where(col(ProgramTier.program_id) == program.id, col(ProgramTier.tier_id) == org.tier_id)
    ).first()
    return {b.kind: b.value for b in in_effect(session, pt.id or 0, day)} if pt else {}
