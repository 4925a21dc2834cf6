"""A small tier world: Registered < Silver < Gold, a resellers program whose Gold asks 250,000 USD revenue AND
(5 won deals OR 90 % lead acceptance), Silver 50,000 USD revenue; partners with won deals in USD and EUR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import Session

from prm_app.deals import Deal, DealStatus
from prm_app.identity import User
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Role
from prm_app.platform.models import ExchangeRate
from prm_app.tiering import ProgramTier, TierBenefit, TierCriterion, TierProgram
from tests.factories import make_org, make_tier, make_user

AS_OF = date(2026, 11, 30)


@dataclass
class World:
    registered: Tier
    silver: Tier
    gold: Tier
    program: TierProgram
    gold_revenue: TierCriterion
    manager: User
    other_manager: User


def make_world(session: Session, *, auto_apply: bool = False) -> World:
    registered, silver, gold = (
        make_tier(session, name=n, rank=r) for n, r in (("Registered", 0), ("Silver", 1), ("Gold", 2))
    )
    program = TierProgram(name="Resellers", partner_types="reseller,var", auto_apply_upgrades=auto_apply)
    session.add(program)
    session.flush()
    pts = {}
    for tier, color in ((registered, "gray"), (silver, "indigo"), (gold, "amber")):
        pt = ProgramTier(program_id=program.id, tier_id=tier.id, color=color)
        session.add(pt)
        session.flush()
        pts[tier.name] = pt
    session.add(TierCriterion(program_tier_id=pts["Silver"].id, metric="revenue", threshold=Decimal("50000")))
    gold_revenue = TierCriterion(program_tier_id=pts["Gold"].id, metric="revenue", threshold=Decimal("250000"))
    session.add(gold_revenue)
    session.add(TierCriterion(program_tier_id=pts["Gold"].id, metric="won_deals", threshold=Decimal(5), group=2))
    session.add(TierCriterion(program_tier_id=pts["Gold"].id, metric="lead_acceptance", threshold=Decimal(90), group=2))
    session.add(
        TierBenefit(program_tier_id=pts["Gold"].id, kind="discount_pct", value="20", effective_from=date(2026, 1, 1))
    )
    session.add(ExchangeRate(currency="EUR", as_of=date(2026, 1, 1), usd_per_unit=Decimal("1.25")))
    session.flush()
    manager = make_user(session, Role.CHANNEL_MANAGER)
    other = make_user(session, Role.CHANNEL_MANAGER)
    return World(registered, silver, gold, program, gold_revenue, manager, other)


def partner(session: Session, world: World, tier: Tier, name: str | None = None) -> Organization:
    return make_org(session, name=name, tier=tier, manager=world.manager, joined_at=datetime(2024, 1, 1, tzinfo=UTC))


def won_deal(session: Session, org: Organization, amount: str, closed: date, currency: str = "USD") -> Deal:
    user = make_user(session, Role.PARTNER_USER, org)
    deal = Deal(
        organization_id=org.id, created_by_id=user.id, status=DealStatus.WON, customer_name="Acme", name_norm="acme",
        country="DE", contact_name="A B", contact_email="a@acme.example", estimated_value=Decimal(amount),
        currency=currency, expected_close=closed, stage="Proposal", final_amount=Decimal(amount),
        closed_at=datetime(closed.year, closed.month, closed.day, 12, tzinfo=UTC),
        decided_at=datetime(closed.year, closed.month, 1, tzinfo=UTC),
    )  # fmt: skip
    session.add(deal)
    session.flush()
    return deal
