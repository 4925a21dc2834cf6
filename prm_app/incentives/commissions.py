"""Commission plans: their effective-dated rules, exchange rates, and the earnings a won deal accrues (or a
refund reverses) in the ledger. The amount is `rules.calculate_earning` over the event and the rules in force
when it happened; this module only gathers those facts and posts the result."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from sqlmodel import Session, select

from prm_app.deals import Deal, DealProduct, DealStatus, Product
from prm_app.incentives.clawbacks import accruals_of, loss_reversed, refunded_share
from prm_app.incentives.holds import REGISTRATION, SPIFF_CLAIM, WON_DEAL, hold, in_payout_currency, resolve, still_held
from prm_app.incentives.ledger import EARNINGS, Posting, convert, post
from prm_app.incentives.models import CommissionRule, IncentiveProgram, LedgerLine
from prm_app.incentives.payout_currency import in_program_currency
from prm_app.incentives.rebates import accrue_rebates
from prm_app.incentives.rules import (
    CAP_PERIODS,
    CREDITS,
    CURRENCIES,
    EVENTS,
    Calc,
    EarningEvent,
    FxMissing,
    RuleTerms,
    calculate_earning,
    cap_period_start,
    months_between,
    payable_from,
    to_minor,
)
from prm_app.incentives.spiff_claims import post_claim_earning
from prm_app.incentives.spiffs import accrue_spiffs
from prm_app.partners import Organization, PartnerType, Tier, benefit_number
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.money import parse_money_in

PERCENT_PLACES = Decimal("0.0001")  # a rule's rate: NUMERIC(9, 4)


def _decimal(
    text: str, field: str, errors: dict[str, str], currency: str | None, *, required: bool = True
) -> Decimal | None:
    """A number typed into a programme form: an amount in `currency`, rounded half-even to its minor unit
    (platform.money.to_minor), or a percentage (`currency` None), kept to the rule's 4 decimals."""
    if not (text or "").strip():
        if required:
            errors[field] = "Enter a number."
        return None
    try:
        if currency is not None:
            value = parse_money_in(text, currency)
        else:
            value = Decimal(text.strip().replace(",", "")).quantize(PERCENT_PLACES, rounding=ROUND_HALF_EVEN)
            if not value.is_finite():
                raise ValueError
    except (ValueError, ArithmeticError):
        errors[field] = "Enter a number, like 12.5."
        return None
    if value < 0 or value >= Decimal("1000000000"):
        errors[field] = "Enter a number from 0 up."
        return None
    return value


def _int(text: str, field: str, errors: dict[str, str]) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= 240:
        errors[field] = "Enter a whole number of months from 1 to 240."
        return None
    return int(text)


def create_program(session: Session, actor: Actor, name: str, currency: str, holding_days: str, min_payout: str) -> int:
    """A new commission plan: its currency, the holding period before its earnings are payable, and the minimum a
    payout of it must reach (smaller balances carry forward). Its rules are set one by one."""
    actor.require(Permission.MANAGE_INCENTIVES)
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())[:120]
    if not name:
        errors["program_name"] = "Name the plan."
    elif session.exec(select(IncentiveProgram).where(IncentiveProgram.name == name)).first() is not None:
        errors["program_name"] = "A plan has this name already."
    if currency not in CURRENCIES:
        errors["program_currency"] = "Choose a currency."
    days = (holding_days or "").strip()
    if not days.isdigit() or int(days) > 365:
        errors["holding_days"] = "Enter whole days from 0 to 365."
    minimum = _decimal(min_payout or "0", "min_payout", errors, currency if currency in CURRENCIES else "USD")
    if errors:
        raise FormInvalid(errors)
    program = IncentiveProgram(
        kind="commission", name=name, currency=currency, holding_days=int(days), min_payout=minimum or Decimal(0)
    )
    session.add(program)
    session.flush()
    audit(
        session,
        actor,
        "incentive_program_created",
        "incentive_program",
        program.id,
        currency=currency,
        holding_days=int(days),
        min_payout=str(minimum),
    )
    return saved_id(program)


def set_commission_rule(
    session: Session, actor: Actor, program_id: int, form: dict[str, str], *, now: datetime | None = None
) -> int:
    """Put a rule in force from now: the rule of the same scope (event, tier, partner type, product) in force
    until now ends now, so earlier events keep the rule they were judged by. Returns the new rule's id; raises
    FormInvalid with a message per bad field."""
    actor.require(Permission.MANAGE_INCENTIVES)
    now = now or utcnow()
    program = session.get(IncentiveProgram, program_id)
    if program is None:
        raise NotFound("program")
    errors: dict[str, str] = {}
    event = form.get("event", "")
    if event not in EVENTS:
        errors["event"] = "Choose an event."
    calc = form.get("calc", "")
    if calc not in (Calc.PERCENT, Calc.FLAT):
        errors["calc"] = "Choose percent or flat."
    money = program.currency
    rate = _decimal(form.get("rate", ""), "rate", errors, money if calc == Calc.FLAT else None)
    if rate is not None and calc == Calc.PERCENT and rate > 100:
        errors["rate"] = "A percentage is at most 100."
    tier_id = int(form["tier_id"]) if (form.get("tier_id") or "").isdigit() else None
    if tier_id is not None and session.get(Tier, tier_id) is None:
        errors["tier_id"] = "Choose a tier."
    partner_type = form.get("partner_type", "")
    if partner_type and partner_type not in set(PartnerType):
        errors["partner_type"] = "Choose a partner type."
    raw_product = (form.get("product_id") or "").strip()
    product_id = int(raw_product) if raw_product.isdigit() and len(raw_product) <= 9 else None
    if (raw_product and product_id is None) or (product_id is not None and session.get(Product, product_id) is None):
        errors["product_id"] = "Choose a product."
    credit = form.get("credit", "")
    if credit not in CREDITS:
        errors["credit"] = "Choose sourced, influenced or either."
    step_months = _int(form.get("step_months", ""), "step_months", errors)
    then_rate = _decimal(
        form.get("then_rate", ""), "then_rate", errors, money if calc == Calc.FLAT else None, required=False
    )
    if (step_months is None) != (then_rate is None) and "step_months" not in errors:
        errors["then_rate"] = "A step-down needs both its months and the rate after them."
    max_months = _int(form.get("max_months", ""), "max_months", errors)
    cap_amount = _decimal(form.get("cap_amount", ""), "cap_amount", errors, money, required=False)
    cap_period = form.get("cap_period", "")
    if cap_period not in CAP_PERIODS or (cap_amount is None) != (cap_period == ""):
        errors["cap_period"] = "A cap needs both an amount and a period."
    if errors:
        raise FormInvalid(errors)
    assert rate is not None
    scope = (
        CommissionRule.program_id == program_id,
        CommissionRule.event == event,
        CommissionRule.tier_id == tier_id if tier_id is not None else CommissionRule.tier_id.is_(None),  # type: ignore[union-attr]
        CommissionRule.partner_type == partner_type,
        CommissionRule.credit == credit,
        CommissionRule.product_id == product_id if product_id is not None else CommissionRule.product_id.is_(None),  # type: ignore[union-attr]
        CommissionRule.effective_to.is_(None),  # type: ignore[union-attr]
    )
    for old in session.exec(select(CommissionRule).where(*scope)).all():
        old.effective_to = now
        session.add(old)
        audit(session, actor, "commission_rule_ended", "commission_rule", old.id, at=now.isoformat())
    rule = CommissionRule(
        program_id=program_id,
        event=event,
        tier_id=tier_id,
        partner_type=partner_type,
        product_id=product_id,
        credit=credit,
        calc=calc,
        rate=rate,
        step_months=step_months,
        then_rate=then_rate,
        max_months=max_months,
        cap_amount=cap_amount,
        cap_period=cap_period,
        effective_from=now,
        created_by_id=actor.user_id,
    )
    session.add(rule)
    session.flush()
    audit(
        session,
        actor,
        "commission_rule_set",
        "commission_rule",
        rule.id,
        calc=calc,
        rate=str(rate),
        tier=tier_id,
        product=product_id,
        credit=credit,
    )
    return saved_id(rule)


def _terms(session: Session, program_id: int) -> list[RuleTerms]:
    tiers = {t.id: t.name for t in session.exec(select(Tier)).all()}
    products = {p.id: p.name for p in session.exec(select(Product)).all()}
    return [
        RuleTerms(
            id=saved_id(r),
            event=r.event,
            calc=r.calc,
            rate=r.rate,
            tier_id=r.tier_id,
            partner_type=r.partner_type,
            product_id=r.product_id,
            step_months=r.step_months,
            then_rate=r.then_rate,
            max_months=r.max_months,
            cap_amount=r.cap_amount,
            cap_period=r.cap_period,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            tier_name=tiers.get(r.tier_id, "") if r.tier_id else "",
            product_name=products.get(r.product_id, "") if r.product_id else "",
            credit=r.credit,
        )
        for r in session.exec(select(CommissionRule).where(CommissionRule.program_id == program_id)).all()
    ]


def accrue_deal(session: Session, actor: Actor | None, deal_id: int) -> list[LedgerLine]:
    """Accrue every commission plan's earning for a won deal, once per plan (the key is the deal and the plan:
    a repeated event posts nothing new). A missing FX rate holds the earning (HeldEarning) instead of failing the
    deal's change; it posts when the rate is added."""
    deal = session.get(Deal, deal_id)
    if deal is None or deal.status != DealStatus.WON or deal.final_amount is None:
        return []
    org = session.get(Organization, deal.organization_id)
    assert org is not None
    at = deal.closed_at or utcnow()
    products = frozenset(session.exec(select(DealProduct.product_id).where(DealProduct.deal_id == deal_id)).all())
    event_kind = (
        "referral_converted" if org.partner_type in (PartnerType.REFERRAL, PartnerType.AFFILIATE) else "deal_won"
    )
    posted: list[LedgerLine] = []
    for program in session.exec(select(IncentiveProgram).where(IncentiveProgram.kind == "commission")).all():
        try:
            base, rate = convert(session, deal.final_amount, deal.currency, program.currency, at.date())
        except FxMissing as missing:
            _hold(session, deal, missing.message)
            continue
        rules = _terms(session, saved_id(program))
        first = session.exec(
            select(LedgerLine.created_at)
            .where(
                LedgerLine.program_id == program.id, LedgerLine.organization_id == org.id, LedgerLine.kind == "accrual"
            )
            .order_by(LedgerLine.created_at)  # type: ignore[arg-type]
        ).first()
        event = EarningEvent(
            event=event_kind,
            at=at,
            base=base,
            currency=program.currency,
            tier_id=org.tier_id,
            partner_type=org.partner_type,
            product_ids=products,
            months_in=months_between(first, at) if first else 0,
            subject=deal.customer_name,
            credit=deal.credit,
            tier_rate=_tier_rate(benefit_number(session, org.id or 0, "commission_rate", at.date())),
        )
        key = f"accrual:deal:{deal_id}:program:{program.id}"
        made = [a for a in accruals_of(session, deal_id) if a.program_id == program.id]
        standing = [a for a in made if not loss_reversed(session, a)]
        if standing:  # the event repeated: the accrual is there already
            posted += standing
            continue
        if made:  # won again after a loss reversed every accrual before: one more, so it counts once
            key += f":again:{len(made)}"
        earning = calculate_earning(event, rules)
        if earning is None:
            continue
        rule = next(r for r in rules if r.id == earning.rule_id)
        if rule.cap_period:
            earned = _earned_since(
                session, org.id, earning.rule_id, cap_period_start(at, rule.cap_period), program.currency
            )
            earning = (
                calculate_earning(EarningEvent(**{**event.__dict__, "earned_in_cap_period": earned}), rules) or earning
            )
        posting = Posting(
            account=EARNINGS,
            kind="accrual",
            amount=to_minor(earning.amount * (1 - refunded_share(session, deal)), program.currency),
            currency=program.currency,
            idempotency_key=key,
            source_type="deal",
            source_id=deal_id,
            organization_id=org.id,
            explanation=earning.explanation,
            source_amount=deal.final_amount,
            source_currency=deal.currency,
            fx_rate=rate.rate,
            fx_date=rate.on_date,
            program_id=program.id,
            rule_id=earning.rule_id,
            payable_from=payable_from(at, program.holding_days),
            reason="Deal won",
        )
        converted = in_payout_currency(session, posting, at.date(), WON_DEAL, deal_id)
        if converted is not None:
            posted += post(session, actor, [converted])
    try:
        posted += accrue_rebates(session, actor, deal)
    except FxMissing as missing:
        _hold(session, deal, missing.message)
    if posted:
        resolve(session, WON_DEAL, deal_id)
    return posted


def _tier_rate(value: Decimal | None) -> Decimal | None:
    """The tier's commission-rate benefit as a usable percentage (0-100), else None (the rule's own rate)."""
    return value if value is not None and 0 <= value <= 100 else None


def _earned_since(session: Session, org_id: int | None, rule_id: int, start: datetime, currency: str) -> Decimal:
    """What the rule paid the partner since `start`, in the program's `currency` (lines converted into the
    partner's payout currency count at their source amount)."""
    return Decimal(
        session.exec(
            select(in_program_currency(currency)).where(
                LedgerLine.account == EARNINGS,
                LedgerLine.organization_id == org_id,
                LedgerLine.rule_id == rule_id,
                LedgerLine.created_at >= start,
            )
        ).one()
    )


def _hold(session: Session, deal: Deal, problem: str) -> None:
    hold(session, WON_DEAL, saved_id(deal), deal.organization_id, problem)


def post_held_earnings(session: Session, actor: Actor | None) -> int:
    """Post again every earning a missing rate held (won deals, SPIFFs of a registration, approved SPIFF claims);
    returns how many posted."""
    count = 0
    for held in still_held(session):
        if held.source_type == REGISTRATION:
            accrue_spiffs(session, actor, held.source_id)
            posted = held.resolved_at is not None
        elif held.source_type == SPIFF_CLAIM:
            posted = post_claim_earning(session, actor, held.source_id)
        else:
            posted = bool(accrue_deal(session, actor, held.source_id))
        count += posted
    return count
