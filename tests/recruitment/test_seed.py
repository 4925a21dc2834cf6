"""Recruitment's demo data: every status, scored, adjusted, one approved partner that exists, and safe to rerun."""

from __future__ import annotations

from sqlmodel import select

from prm_app.partners import Organization
from prm_app.partners.seed import seed as seed_partners
from prm_app.recruitment.models import Application, FunnelEvent, Program, ScoreAdjustment
from prm_app.recruitment.rules import STATUSES
from prm_app.recruitment.seed import seed


def test_demo_applications_cover_every_status_and_seeding_again_adds_nothing(session):
    seed_partners(session)
    created = seed(session)
    session.commit()
    apps = session.exec(select(Application)).all()
    assert created["applications"] == len(apps) >= 10 and created["recruitment programs"] == 2
    assert {a.status for a in apps} == set(STATUSES)
    assert all(a.score > 0 for a in apps)
    assert any(a.reject_reason == "needs_more_detail" for a in apps)
    (approved,) = [a for a in apps if a.status == "approved"]
    assert approved.organization_id is not None and session.get(Organization, approved.organization_id) is not None
    assert len(session.exec(select(ScoreAdjustment)).all()) == 2
    assert {p.slug for p in session.exec(select(Program)).all()} == {"resellers", "msp"}
    stages = {e.stage for e in session.exec(select(FunnelEvent)).all()}
    assert stages == {"visited", "started", "submitted", "approved", "first_deal", "first_win"}

    again = seed(session)
    session.commit()
    assert set(again.values()) == {0}
    assert len(session.exec(select(Application)).all()) == len(apps)
