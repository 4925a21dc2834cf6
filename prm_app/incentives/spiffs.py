"""SPIFFs: a bonus per deal registered inside a time box (whole days in the program's time zone), optionally only
for a product, at most a number per rep, for the partners an audience rule names, paid to the individual rep who
registered the deal through a payee profile that outlives the rep's account. Accrued when the deals area records
a registration (reactions.py), once per deal and program."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from prm_app.audience import AudienceRule, audience_names, partner_facts, rule_with_errors, verdict
from prm_app.deals import Deal, DealProduct, Product
from prm_app.identity import User
from prm_app.incentives.holds import REGISTRATION, in_payout_currency, resolve
from prm_app.incentives.ledger import EARNINGS, Posting, post
from prm_app.incentives.models import IncentiveProgram, LedgerLine, PayeeProfile
from prm_app.incentives.rules import CURRENCIES, ZERO, in_window
from prm_app.incentives.spiff_models import SpiffEvidenceRule
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid
from prm_app.platform.money import parse_money_in


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def create_spiff(session: Session, actor: Actor, form: dict[str, object]) -> int:
    """A SPIFF program; FormInvalid with a message per field when something is missing or wrong."""
    actor.require(Permission.MANAGE_INCENTIVES)
    text = {
        k: str(form.get(k, "") or "")[:200]
        for k in ("spiff_name", "spiff_currency", "time_zone", "window_start", "window_end", "bonus", "product", "cap")
    }
    errors: dict[str, str] = {}
    name = " ".join(text["spiff_name"].split())[:120]
    if not name:
        errors["spiff_name"] = "Name the SPIFF."
    elif session.exec(select(IncentiveProgram).where(IncentiveProgram.name == name)).first() is not None:
        errors["spiff_name"] = "A program has this name already."
    if text["spiff_currency"] not in CURRENCIES:
        errors["spiff_currency"] = "Choose a currency."
    if _zone(text["time_zone"]) is None:
        errors["time_zone"] = "Enter a time zone such as America/New_York."
    start = end = None
    try:
        start, end = date.fromisoformat(text["window_start"]), date.fromisoformat(text["window_end"])
        if end < start:
            errors["window_end"] = "The window ends on or after its first day."
    except ValueError:
        errors["window_start"] = "Enter the window's first and last day."
    bonus = ZERO
    try:
        bonus = parse_money_in(text["bonus"], text["spiff_currency"] if text["spiff_currency"] in CURRENCIES else "USD")
        if bonus <= 0:
            raise ValueError
    except ValueError:
        errors["bonus"] = "Enter the bonus per deal, above zero."
    product_id = None
    if text["product"]:
        product = session.exec(select(Product).where(Product.sku == text["product"])).first()
        if product is None:
            errors["product"] = "Choose a product."
        else:
            product_id = product.id
    cap = text["cap"].strip()
    if cap and (not cap.isdigit() or not 0 < int(cap) <= 1000):
        errors["cap"] = "Enter a whole number of deals, or leave it empty."
    rule = rule_with_errors(form, audience_names(session), errors)
    if errors:
        raise FormInvalid(errors)
    program = IncentiveProgram(
        kind="spiff", name=name, currency=text["spiff_currency"], holding_days=0, min_payout=ZERO,
        period_start=start, period_end=end, time_zone=text["time_zone"], bonus=bonus, product_id=product_id,
        cap_count=int(cap) if cap else None, audience=rule.to_json(),
    )  # fmt: skip
    session.add(program)
    session.flush()
    if str(form.get("needs_claim", "")).lower() in ("on", "true", "1", "yes"):  # paid on the rep's claim instead
        session.add(SpiffEvidenceRule(program_id=saved_id(program)))
    audit(session, actor, "spiff_created", "incentive_program", program.id, bonus=str(bonus), zone=text["time_zone"])
    return saved_id(program)


def payee_for(session: Session, user_id: int) -> PayeeProfile:
    """The rep's payee profile, made on their first individual reward (name and address kept from then on)."""
    profile = session.exec(select(PayeeProfile).where(PayeeProfile.user_id == user_id)).first()
    if profile is None:
        user = session.get(User, user_id)
        assert user is not None and user.organization_id is not None
        profile = PayeeProfile(user_id=user_id, organization_id=user.organization_id, name=user.full_name,
                               email=user.email)  # fmt: skip
        session.add(profile)
        session.flush()
    return profile


def qualifies(session: Session, program: IncentiveProgram, deal: Deal) -> bool:
    """Whether the deal earns the SPIFF: registered on a day of its window (in its zone), naming its product when
    it has one, by a partner its audience holds."""
    zone = _zone(program.time_zone)
    if zone is None or program.period_start is None or program.period_end is None or program.bonus is None:
        return False
    if deal.submitted_at is None or not in_window(deal.submitted_at, program.period_start, program.period_end, zone):
        return False
    if program.product_id is not None:
        products = session.exec(select(DealProduct.product_id).where(DealProduct.deal_id == deal.id)).all()
        if program.product_id not in products:
            return False
    rule = AudienceRule.from_json(program.audience) if program.audience else AudienceRule()
    return rule.is_everyone or verdict(rule, partner_facts(session, deal.organization_id)).visible


def at_cap(session: Session, program: IncentiveProgram, payee_id: int | None) -> bool:
    """Whether the rep has earned the SPIFF as many times as its cap allows."""
    if program.cap_count is None:
        return False
    earned = session.exec(
        select(LedgerLine.id).where(LedgerLine.program_id == program.id, LedgerLine.payee_id == payee_id,
                                    LedgerLine.kind == "spiff")
    ).all()  # fmt: skip
    return len(earned) >= program.cap_count


def spiff_posting(
    program: IncentiveProgram, deal: Deal, payee_id: int | None, payable_from: datetime, reason: str, explanation: str
) -> Posting:
    """The SPIFF's earnings line for the deal, to the rep's payee, in the SPIFF's currency: keyed by SPIFF and deal,
    so an automatic SPIFF and an approved claim of it post once."""
    assert program.bonus is not None
    return Posting(
        account=EARNINGS, kind="spiff", amount=program.bonus, currency=program.currency,
        idempotency_key=f"spiff:{program.id}:deal:{deal.id}", source_type="deal", source_id=deal.id,
        organization_id=deal.organization_id, program_id=program.id, payee_id=payee_id, payable_from=payable_from,
        reason=reason, explanation=explanation,
    )  # fmt: skip


def accrue_spiffs(session: Session, actor: Actor | None, deal_id: int) -> list[LedgerLine]:
    """A registered deal earns each SPIFF whose window (in its zone) holds the registration, whose product it
    names, whose audience holds the partner, and whose cap the rep has not reached: a line to the rep's payee, in
    the partner's payout currency when it has one (converted at the rate of the registration's day, the SPIFF's
    amount, the rate and its date kept on the line). A missing rate holds the registration's SPIFFs (holds.py)
    until the rate is added; the others still post."""
    deal = session.get(Deal, deal_id)
    # A deal a distributor registered for its reseller: no rep of the reseller registered it, and the distributor's
    # rep is not the reseller's person to pay on the reseller's ledger.
    if deal is None or deal.submitted_at is None or deal.registered_by_org_id is not None:
        return []
    posted: list[LedgerLine] = []
    held = False
    claimed = set(session.exec(select(SpiffEvidenceRule.program_id)).all())  # paid on claims (spiff_claims.py)
    for program in session.exec(select(IncentiveProgram).where(IncentiveProgram.kind == "spiff")).all():
        if program.id in claimed or not qualifies(session, program, deal):
            continue
        payee = payee_for(session, deal.created_by_id)
        if at_cap(session, program, payee.id):
            continue
        assert program.period_end is not None and program.bonus is not None
        zone = _zone(program.time_zone)
        window_end = datetime.combine(program.period_end + timedelta(days=1), time.min, zone).astimezone(UTC)
        posting = spiff_posting(
            program, deal, payee.id, window_end, "Deal registered in the SPIFF window",
            f"{program.name}: {program.bonus:,.2f} {program.currency} to {payee.name} for registering "
            f"{deal.customer_name}",
        )  # fmt: skip
        # Into the partner's payout currency at the rate of the registration's day, like a commission.
        converted = in_payout_currency(session, posting, deal.submitted_at.date(), REGISTRATION, deal_id)
        if converted is None:
            held = True
            continue
        posted += post(session, actor, [converted])
    if not held:
        resolve(session, REGISTRATION, deal_id)
    return posted


@dataclass(frozen=True)
class SpiffView:
    name: str
    window: str  # "1 Dec – 31 Dec 2026 (America/New_York)"
    bonus: str
    product: str
    cap: int | None


def running_spiffs(session: Session, actor: Actor, *, today: date) -> list[SpiffView]:
    """SPIFFs whose window holds today, for the actor's organization (partners) or all (admins)."""
    if actor.is_partner:
        actor.require(Permission.USE_PORTAL)
    else:
        actor.require(Permission.MANAGE_INCENTIVES)
    names = {p.id: p.name for p in session.exec(select(Product)).all()}
    out = []
    for p in session.exec(select(IncentiveProgram).where(IncentiveProgram.kind == "spiff")).all():
        if p.period_start is None or p.period_end is None or p.bonus is None:
            continue
        if actor.is_partner:
            if not p.period_start <= today <= p.period_end or actor.organization_id is None:
                continue
            rule = AudienceRule.from_json(p.audience) if p.audience else AudienceRule()
            if not rule.is_everyone and not verdict(rule, partner_facts(session, actor.organization_id)).visible:
                continue
        out.append(
            SpiffView(
                p.name,
                f"{p.period_start:%d %b} – {p.period_end:%d %b %Y} ({p.time_zone})",
                f"{p.bonus:,.2f} {p.currency}",
                names.get(p.product_id, "any product"),
                p.cap_count,
            )
        )
    return out
