"""What tiering tells training about a partner's required certifications (training.register_required_certifications):
the codes of the certifications that its current tier and its next tier count through `certified_headcount`
criteria, in its partner type's program. It registers itself when reactions.py imports it."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.partners import Organization, Tier
from prm_app.tiering.benefits import program_of
from prm_app.tiering.evaluate import program_rules
from prm_app.training import register_required_certifications


def tier_certifications(session: Session, organization_id: int) -> frozenset[str]:
    """Certification codes the partner's current and next tier ask for (empty without a program)."""
    org = session.get(Organization, organization_id)
    program = program_of(session, org.partner_type) if org is not None else None
    if org is None or program is None:
        return frozenset()
    tier = session.get(Tier, org.tier_id)
    rank = tier.rank if tier is not None else 0
    rules = program_rules(session, program.id or 0)
    current = [t for t in rules if t.tier_id == org.tier_id]
    higher = [t for t in rules if t.rank > rank][:1]
    asked = [c for t in [*current, *higher] for c in t.criteria if c.metric == "certified_headcount"]
    return frozenset(c.param.upper() for c in asked if c.param)


register_required_certifications(tier_certifications)
