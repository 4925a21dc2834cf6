"""The benefits other areas apply read through partners.benefits: the partner's own tier in its partner type's
program, from each benefit's effective date, the latest of each kind; numbers read loosely ("20 %"), words not."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

import prm_app.tiering.reactions  # noqa: F401  # registers the reader, as the app does
from prm_app.leads.models import RoutingProfile
from prm_app.leads.routing import route_lead
from prm_app.leads.routing_inputs import partner_candidates
from prm_app.leads.routing_model import LeadFacts
from prm_app.partners import benefit_number, benefits_of
from prm_app.partners.benefits import parse_benefit_number
from prm_app.tiering import ProgramTier, TierBenefit
from tests.factories import make_org
from tests.tiering.factories import make_world, partner


def test_a_partner_reads_its_own_tiers_benefits_from_their_dates(session: Session) -> None:
    w = make_world(session)
    gold, silver = partner(session, w, w.gold), partner(session, w, w.silver)
    pt = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.gold.id)).one()
    later = (("discount_pct", "25 %", date(2026, 12, 1)), ("audience", "Gold courses", date(2026, 1, 1)))
    for kind, value, starts in later:
        session.add(TierBenefit(program_tier_id=pt.id, kind=kind, value=value, effective_from=starts))
    session.flush()
    assert benefits_of(session, gold.id, date(2025, 12, 31)) == {}
    assert benefits_of(session, gold.id, date(2026, 11, 30)) == {"discount_pct": "20", "audience": "Gold courses"}
    assert benefit_number(session, gold.id, "discount_pct", date(2026, 12, 1)) == Decimal(25)
    assert benefit_number(session, gold.id, "audience", date(2026, 12, 1)) is None
    assert benefit_number(session, gold.id, "lead_weight", date(2026, 12, 1)) is None
    assert benefits_of(session, silver.id, date(2026, 12, 1)) == {}
    distributor = make_org(session, tier=w.gold, partner_type="distributor")  # no program covers distributors
    assert benefits_of(session, distributor.id, date(2026, 12, 1)) == {}


def test_lead_routing_applies_the_tiers_weight_from_its_day(session: Session) -> None:
    w = make_world(session)
    gold, silver = partner(session, w, w.gold, "Gold Co"), partner(session, w, w.silver, "Silver Co")
    for org in (gold, silver):
        session.add(RoutingProfile(organization_id=org.id, countries="US", monthly_capacity=10))
    gold_tier = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.gold.id)).one()
    session.add(
        TierBenefit(program_tier_id=gold_tier.id, kind="lead_weight", value="3", effective_from=date(2026, 12, 1))
    )
    session.flush()
    lead = LeadFacts(0, "US", None, None, "", frozenset(), False)

    def routed(day: date) -> dict[int, tuple[float, tuple[str, ...]]]:
        candidates = partner_candidates(session, datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
        return {p.partner_id: (route_lead(lead, [p]).score, route_lead(lead, [p]).reasons) for p in candidates}

    before, after = routed(date(2026, 11, 30)), routed(date(2026, 12, 1))
    assert "Gold tier" in before[gold.id][1]  # no weight yet: its rank counts
    assert "Gold tier weight 3" in after[gold.id][1] and after[gold.id][0] > before[gold.id][0]
    assert after[silver.id] == before[silver.id] and "Silver tier" in after[silver.id][1]


@pytest.mark.pure
@pytest.mark.parametrize(
    ("text", "number"),
    [("20", Decimal(20)), ("20%", Decimal(20)), (" 12.5 % ", Decimal("12.5")), ("1,000", Decimal(1000)),
     ("Gold courses", None), ("", None), ("NaN", None), (None, None)],
)  # fmt: skip
def test_benefit_values_read_as_numbers(text: str | None, number: Decimal | None) -> None:
    assert parse_benefit_number(text) == number
