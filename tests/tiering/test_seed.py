"""Tiering's demo data: two programs with criteria and benefits, scorecard points, this period's evaluation with
one open Gold proposal (Atlas Value Partners) and partners in grace; seeding again adds nothing."""

from __future__ import annotations

from sqlmodel import select

from prm_app.deals.seed import seed as seed_deals
from prm_app.partners import Organization
from prm_app.partners.seed import seed as seed_partners
from prm_app.tiering import TierEvaluation, TierProgram, TierProposal
from prm_app.tiering.seed import seed


def test_demo_programs_evaluations_and_seeding_again_adds_nothing(session):
    seed_partners(session)
    seed_deals(session)
    created = seed(session)
    session.commit()
    assert created["tier programs"] == 2 and created["tier criteria"] > 10
    assert {p.name for p in session.exec(select(TierProgram)).all()} == {"Partner program", "Distribution program"}
    (proposal,) = session.exec(select(TierProposal)).all()
    assert session.get(Organization, proposal.organization_id).name == "Atlas Value Partners"
    graces = session.exec(select(TierEvaluation).where(TierEvaluation.state == "grace")).all()
    assert len(graces) >= 1
    evaluations = len(session.exec(select(TierEvaluation)).all())
    assert evaluations == len(session.exec(select(Organization)).all())

    again = seed(session)
    session.commit()
    assert set(again.values()) == {0}
    assert len(session.exec(select(TierEvaluation)).all()) == evaluations
    assert len(session.exec(select(TierProposal)).all()) == 1
