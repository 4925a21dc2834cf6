"""Tier benefits apply themselves, read through partners.benefit_number (tiering supplies it: its reactions are
imported here as the app imports them):
- commission_rate replaces the plan's rate for % rules, on events from the benefit's effective date (flat rules keep
  their amount);
- deal_protection_days is how long an approval protects the partner's deal (the manager may still type another);
- discount_pct is stored on the deal when it is approved."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D

from sqlmodel import select

import prm_app.tiering.reactions  # noqa: F401  # registers the benefits reader, as the app does
from prm_app.deals import Deal, DealStatus, approve_deal, close_deal, get_deal_for_review
from prm_app.incentives import set_commission_rule
from prm_app.incentives.models import LedgerLine
from prm_app.partners import Tier
from prm_app.platform.settings import settings
from prm_app.tiering import ProgramTier, TierBenefit, TierProgram
from tests.incentives.world import T0, approved_deal, make_world


def _gold_benefits(session, *benefits: tuple[str, str, date]) -> None:
    gold = session.exec(select(Tier).where(Tier.name == "Gold")).one()
    program = TierProgram(name="Resellers", partner_types="reseller,var")
    session.add(program)
    session.flush()
    pt = ProgramTier(program_id=program.id, tier_id=gold.id, color="amber")
    session.add(pt)
    session.flush()
    for kind, value, starts in benefits:
        session.add(TierBenefit(program_tier_id=pt.id, kind=kind, value=value, effective_from=starts))
    session.flush()


def _won(session, w, customer, at):
    deal_id = approved_deal(session, w, customer)
    close_deal(session, w.partner, deal_id, won=True, final_amount="10000", now=at)
    return session.exec(select(LedgerLine).where(LedgerLine.source_id == deal_id)).one()


def test_the_tiers_commission_rate_replaces_percent_rules_from_its_effective_date(session):
    w = make_world(session)
    _gold_benefits(session, ("commission_rate", "15 %", T0.date()))
    rule = {"event": "deal_won", "calc": "percent", "rate": "10", "step_months": "1", "then_rate": "5"}
    set_commission_rule(session, w.admin, w.program_id, {**rule, "cap_period": ""}, now=T0 - timedelta(days=30))
    before = _won(session, w, "Before Co", T0 - timedelta(days=1))
    after = _won(session, w, "After Co", T0)
    assert (before.amount, before.explanation) == (
        D("1000.00"),
        "10 % commission on Before Co (first 1 months 10 %, then 5 %)",
    )
    assert (after.amount, after.explanation) == (D("1500.00"), "15 % tier-rate commission on After Co")


def test_flat_rules_keep_their_amount_whatever_the_tier_rate(session):
    w = make_world(session)
    _gold_benefits(session, ("commission_rate", "15", date(2020, 1, 1)))
    flat = {"event": "deal_won", "calc": "flat", "rate": "250", "cap_period": ""}
    set_commission_rule(session, w.admin, w.program_id, flat, now=T0 - timedelta(days=30))
    assert _won(session, w, "Flat Co", T0).amount == D("250.00")


def test_approval_protects_for_the_tiers_days_and_stores_its_discount(session):
    w = make_world(session)
    now = datetime(2026, 6, 1, 9, tzinfo=T0.tzinfo)
    _gold_benefits(
        session, ("deal_protection_days", "120", date(2026, 1, 1)), ("discount_pct", "20 %", date(2026, 1, 1))
    )
    deal_id = approved_deal(session, w, "Protected Co")
    deal = session.get(Deal, deal_id)
    deal.status = DealStatus.SUBMITTED
    session.add(deal)
    session.flush()
    assert get_deal_for_review(session, w.manager, deal_id, now=now).protection_days == 120  # the form's default
    ends = approve_deal(session, w.manager, deal_id, now=now)
    assert ends == now + timedelta(days=120)
    assert session.get(Deal, deal_id).discount_pct == D("20.00")
    shown = get_deal_for_review(session, w.manager, deal_id, now=now)
    assert shown.deal.discount_pct == D("20.00")


def test_without_benefits_the_apps_default_protection_and_no_discount(session):
    w = make_world(session)
    deal_id = approved_deal(session, w, "Plain Co")
    deal = session.get(Deal, deal_id)
    deal.status = DealStatus.SUBMITTED
    session.add(deal)
    session.flush()
    now = datetime(2026, 6, 1, 9, tzinfo=T0.tzinfo)
    assert approve_deal(session, w.manager, deal_id, now=now) == now + timedelta(days=settings.protection_days)
    assert session.get(Deal, deal_id).discount_pct is None
