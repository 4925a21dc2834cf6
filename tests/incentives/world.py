"""A small program for the incentive tests: a Gold partner with an admin, an admin of the vendor, a channel
manager who owns the partner, a commission plan in USD and an approved deal ready to be won."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from prm_app.deals import Deal, DealStatus
from prm_app.incentives.models import IncentiveProgram
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Role
from tests.factories import actor_for, make_org, make_tier, make_user

T0 = datetime(2026, 1, 15, 12, tzinfo=UTC)


@dataclass
class World:
    org: Organization
    partner: Actor
    admin: Actor
    manager: Actor
    program_id: int
    other_partner: Actor


def make_world(session: Session, *, holding_days: int = 30, min_payout: str = "50") -> World:
    gold = make_tier(session, name="Gold", rank=2)
    cm = make_user(session, Role.CHANNEL_MANAGER)
    org = make_org(session, tier=gold, manager=cm, name="Acme Partners GmbH")
    partner = make_user(session, Role.PARTNER_ADMIN, org)
    other = make_user(session, Role.PARTNER_ADMIN, make_org(session, tier=gold, manager=cm))
    admin = make_user(session, Role.ADMIN)
    program = IncentiveProgram(
        kind="commission",
        name="Partner commissions",
        currency="USD",
        holding_days=holding_days,
        min_payout=Decimal(min_payout),
    )
    session.add(program)
    session.flush()
    return World(org, actor_for(partner), actor_for(admin), actor_for(cm), program.id, actor_for(other))


def approved_deal(session: Session, w: World, customer: str = "ACME Corp", currency: str = "USD") -> int:
    assert w.partner.user_id is not None
    deal = Deal(
        organization_id=w.org.id,
        created_by_id=w.partner.user_id,
        status=DealStatus.APPROVED,
        customer_name=customer,
        name_norm=customer.lower(),
        country="DE",
        contact_name="Jo Buyer",
        contact_email="jo@acme.example",
        estimated_value=Decimal("40000"),
        currency=currency,
        expected_close=date(2026, 3, 1),
        stage="Proposal",
        protection_ends_at=T0 + timedelta(days=90),
    )
    session.add(deal)
    session.flush()
    assert deal.id is not None
    return deal.id
