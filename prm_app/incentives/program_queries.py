"""Reads for the admins' side of the programs: each commission plan with its rules (in force and ended), the tiers,
partner types and products a rule may name, and the earnings a missing rate holds (rates are entered on the FX page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.deals import Product, list_products
from prm_app.incentives.models import CommissionRule, HeldEarning, IncentiveProgram
from prm_app.incentives.rules import CAP_PERIODS, CREDITS, EVENTS, Calc, minor_units
from prm_app.partners import PARTNER_TYPE_LABELS, Organization, PartnerType, Tier
from prm_app.platform.access import Actor, Permission


@dataclass(frozen=True)
class RuleView:
    id: int
    words: str  # "12 % on a won deal, Gold partners (first 3 months 40 %, then 20 %), capped at 5,000 per month"
    effective_from: datetime
    effective_to: datetime | None


@dataclass(frozen=True)
class ProgramView:
    id: int
    name: str
    currency: str
    holding_days: int
    min_payout: Decimal
    rules: list[RuleView]


@dataclass(frozen=True)
class HeldView:
    organization: str
    problem: str
    created_at: datetime


@dataclass(frozen=True)
class ProgramsOverview:
    programs: list[ProgramView]
    tiers: list[tuple[str, str]]  # (id, name)
    products: list[tuple[str, str]]  # (id, name) of the active catalogue, for a rule by product
    held: list[HeldView]


def _words(rule: CommissionRule, tiers: dict[int, str], products: dict[int, str], currency: str) -> str:
    places = minor_units(currency)
    amount = f"{rule.rate.normalize():f} %" if rule.calc == Calc.PERCENT else f"{rule.rate:,.{places}f} {currency} flat"
    who = [
        tiers.get(rule.tier_id, "") if rule.tier_id else "",
        PARTNER_TYPE_LABELS.get(PartnerType(rule.partner_type), "") if rule.partner_type else "",
    ]
    scope = " ".join(w for w in who if w) or "all"
    text = f"{amount} on {EVENTS.get(rule.event, rule.event)}, {scope} partners"
    if rule.product_id:
        text += f", deals with {products.get(rule.product_id, 'a product')}"
    if rule.credit:
        text += f", {CREDITS.get(rule.credit, rule.credit)} only"
    if rule.step_months and rule.then_rate is not None:
        text += f" (first {rule.step_months} months, then {rule.then_rate.normalize():f} %)"
    if rule.max_months:
        text += f", for {rule.max_months} months"
    if rule.cap_amount is not None and rule.cap_period:
        text += f", capped at {rule.cap_amount:,.{places}f} {currency} {CAP_PERIODS[rule.cap_period]}"
    return text


def programs_overview(session: Session, actor: Actor) -> ProgramsOverview:
    actor.require(Permission.MANAGE_INCENTIVES)
    tiers = {t.id: t.name for t in session.exec(select(Tier).order_by(col(Tier.rank))).all() if t.id is not None}
    products = {p.id: p.name for p in session.exec(select(Product).order_by(col(Product.name))).all() if p.id}
    programs = []
    for program in session.exec(select(IncentiveProgram).order_by(col(IncentiveProgram.id))).all():
        rules = session.exec(
            select(CommissionRule)
            .where(CommissionRule.program_id == program.id)
            .order_by(CommissionRule.effective_to.is_not(None), CommissionRule.effective_from.desc())  # type: ignore[union-attr,attr-defined]
            .limit(50)
        ).all()
        programs.append(
            ProgramView(
                program.id or 0,
                program.name,
                program.currency,
                program.holding_days,
                program.min_payout,
                [
                    RuleView(r.id or 0, _words(r, tiers, products, program.currency), r.effective_from, r.effective_to)
                    for r in rules
                ],
            )
        )
    held = [
        HeldView(name, h.problem, h.created_at)
        for h, name in session.exec(
            select(HeldEarning, Organization.name)
            .join(Organization, Organization.id == HeldEarning.organization_id)  # type: ignore[arg-type]
            .where(col(HeldEarning.resolved_at).is_(None))
            .limit(50)
        ).all()
    ]
    active = [(str(p.id), p.name) for p in list_products(session)]
    return ProgramsOverview(programs, [(str(i), n) for i, n in tiers.items()], active, held)


@dataclass(frozen=True)
class PartnerOption:
    id: int
    name: str


def partner_options(session: Session, actor: Actor) -> list[PartnerOption]:
    """Every partner, by name, for the allocation form (admins reach every partner)."""
    actor.require(Permission.MANAGE_INCENTIVES)
    return [
        PartnerOption(o.id or 0, o.name) for o in session.exec(select(Organization).order_by(Organization.name)).all()
    ]
