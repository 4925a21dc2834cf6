"""Rebate programs: threshold bands over a period with the mode explicit (slab or marginal), for the partners an
audience rule names. The accrual follows the volume live: each won deal in the period recomputes the partner's
rebate (rules.rebate over its won volume net of refunds, converted at each deal's day) and posts the difference,
payable after the period ends plus the holding period (the period-end statement is the sum of those lines).

A correction of a won deal (lost after all, won again, refunded) recomputes the rebate of the period its win falls
in the same way: a line with the difference is appended (never an update), so the period's lines always add up to
a fresh computation over the deals as they stand. The recomputation runs under the partner's earnings lock, so two
corrections at once take turns and the second sees the first's line; an event delivered twice finds nothing left
to post."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlmodel import Session, col, func, select

from prm_app.audience import AudienceRule, audience_names, describe, partner_facts, rule_with_errors, verdict
from prm_app.deals import Deal, DealPayment, DealStatus
from prm_app.incentives.ledger import EARNINGS, Posting, convert, lock, post
from prm_app.incentives.models import IncentiveProgram, LedgerLine
from prm_app.incentives.payout_currency import in_program_currency, to_payout_currency
from prm_app.incentives.rebate_rules import Band, RebateMode, bands_text, next_band, parse_bands, rebate
from prm_app.incentives.rules import CURRENCIES, ZERO
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, ValidationError


def _bands(program: IncentiveProgram) -> list[Band]:
    return [
        Band(Decimal(lo), Decimal(hi) if hi is not None else None, Decimal(r))
        for lo, hi, r in json.loads(program.bands)
    ]


def create_rebate_program(session: Session, actor: Actor, form: dict[str, object]) -> int:
    """A rebate program: name, currency, mode, period, bands (contiguous, non-overlapping, or nothing is saved),
    holding days after the period, and its audience. Raises FormInvalid with a message per field."""
    actor.require(Permission.MANAGE_INCENTIVES)
    text = {
        k: str(form.get(k, "") or "")[:2000]
        for k in ("name", "currency", "mode", "period_start", "period_end", "bands", "holding_days")
    }
    errors: dict[str, str] = {}
    name = " ".join(text["name"].split())[:120]
    if not name:
        errors["name"] = "Name the program."
    elif session.exec(select(IncentiveProgram).where(IncentiveProgram.name == name)).first() is not None:
        errors["name"] = "A program has this name already."
    if text["currency"] not in CURRENCIES:
        errors["currency"] = "Choose a currency."
    if text["mode"] not in set(RebateMode):
        errors["mode"] = "Choose slab or marginal."
    start = end = None
    try:
        start, end = date.fromisoformat(text["period_start"]), date.fromisoformat(text["period_end"])
        if end < start:
            errors["period_end"] = "The period ends after it starts."
    except ValueError:
        errors["period_start"] = "Enter the period's first and last day."
    bands: list[Band] = []
    try:
        bands = parse_bands(text["bands"], text["currency"] if text["currency"] in CURRENCIES else "USD")
    except ValidationError as exc:
        errors["bands"] = exc.message
    days = text["holding_days"].strip() or "0"
    if not days.isdigit() or int(days) > 365:
        errors["holding_days"] = "Enter whole days from 0 to 365."
    rule = rule_with_errors(form, audience_names(session), errors)
    if errors:
        raise FormInvalid(errors)
    program = IncentiveProgram(
        kind="rebate",
        name=name,
        currency=text["currency"],
        holding_days=int(days),
        min_payout=ZERO,
        rebate_mode=text["mode"],
        period_start=start,
        period_end=end,
        audience=rule.to_json(),
        bands=json.dumps([[str(b.lower), str(b.upper) if b.upper is not None else None, str(b.rate)] for b in bands]),
    )
    session.add(program)
    session.flush()
    audit(
        session,
        actor,
        "rebate_program_created",
        "incentive_program",
        program.id,
        mode=text["mode"],
        bands=bands_text(bands),
        audience=rule.to_json(),
    )
    return saved_id(program)


def _for(session: Session, program: IncentiveProgram, organization_id: int) -> bool:
    rule = AudienceRule.from_json(program.audience) if program.audience else AudienceRule()
    return rule.is_everyone or verdict(rule, partner_facts(session, organization_id)).visible


def _volume(session: Session, program: IncentiveProgram, organization_id: int) -> Decimal:
    """The partner's won volume in the period net of the refunds on those deals, each deal converted at the rate
    of its win's day (FxMissing when one lacks). A deal corrected to lost is no longer won: it no longer counts."""
    assert program.period_start is not None and program.period_end is not None
    start = datetime.combine(program.period_start, time.min, UTC)
    end = datetime.combine(program.period_end + timedelta(days=1), time.min, UTC)
    deals = session.exec(
        select(Deal).where(
            Deal.organization_id == organization_id,
            Deal.status == DealStatus.WON,
            col(Deal.closed_at) >= start,
            col(Deal.closed_at) < end,
        )
    ).all()
    refunds: dict[int, Decimal] = {}
    if deals:
        for deal_id, amount in session.exec(
            select(col(DealPayment.deal_id), col(DealPayment.amount)).where(
                col(DealPayment.deal_id).in_([d.id for d in deals]), DealPayment.kind == "refund"
            )
        ).all():
            refunds[deal_id] = refunds.get(deal_id, ZERO) + Decimal(amount)  # refunds are negative
    volume = ZERO
    for deal in deals:
        assert deal.closed_at is not None and deal.final_amount is not None
        net = max(ZERO, deal.final_amount + refunds.get(deal.id or 0, ZERO))
        volume += convert(session, net, deal.currency, program.currency, deal.closed_at.date())[0]
    return volume


def accrue_rebates(session: Session, actor: Actor | None, deal: Deal, reason: str = "Deal won") -> list[LedgerLine]:
    """Recompute, for each rebate program whose period holds the deal's win and whose audience holds its partner,
    the partner's rebate over the deals as they stand now, and append the difference to what its lines say (nothing
    when they agree). Called when a deal is won and when a won deal is corrected (lost, won again, refunded):
    afterwards the program's lines for the partner add up to a fresh computation. Raises FxMissing."""
    if deal.closed_at is None:
        return []
    day = deal.closed_at.date()
    posted: list[LedgerLine] = []
    programs = session.exec(select(IncentiveProgram).where(IncentiveProgram.kind == "rebate")).all()
    for program in programs:
        if not (program.period_start and program.period_end and program.period_start <= day <= program.period_end):
            continue
        if not _for(session, program, deal.organization_id):
            continue
        lock(session, f"earnings:{deal.organization_id}:{program.currency}")  # before reading the sums
        volume = _volume(session, program, deal.organization_id)
        due = rebate(volume, _bands(program), RebateMode(program.rebate_mode), program.currency)
        mine = (
            LedgerLine.account == EARNINGS,
            LedgerLine.kind == "rebate",
            LedgerLine.program_id == program.id,
            LedgerLine.organization_id == deal.organization_id,
        )
        already = Decimal(session.exec(select(in_program_currency(program.currency)).where(*mine)).one())
        if due == already:
            continue
        # Unique per recomputation: the lines posted so far, counted under the lock, number this one.
        seq = session.exec(select(func.count()).select_from(LedgerLine).where(*mine)).one()
        payable = datetime.combine(program.period_end + timedelta(days=1 + program.holding_days), time.min, UTC)
        posting = Posting(
            account=EARNINGS,
            kind="rebate",
            amount=due - already,
            currency=program.currency,
            idempotency_key=f"rebate:{program.id}:org:{deal.organization_id}:{seq}",
            source_type="deal",
            source_id=deal.id,
            organization_id=deal.organization_id,
            program_id=program.id,
            payable_from=payable,
            explanation=f"{program.name} ({program.rebate_mode}): {due:,.2f} {program.currency} on "
            f"{volume:,.2f} {program.currency} won this period",
            reason=reason[:500],
        )
        posted += post(session, actor, [to_payout_currency(session, posting, day)])
    return posted


def recompute_after_correction(session: Session, actor: Actor | None, deal_id: int, reason: str) -> list[LedgerLine]:
    """A won deal corrected (lost after all, or refunded): its period's rebate recomputed (accrue_rebates), the
    difference appended with the correction's reason."""
    deal = session.get(Deal, deal_id)
    return accrue_rebates(session, actor, deal, reason or "Deal corrected") if deal is not None else []


@dataclass(frozen=True)
class RebateProgress:
    name: str
    mode: str
    bands: str
    period_start: date
    period_end: date
    currency: str
    volume: Decimal
    earned: Decimal
    needed: Decimal | None  # volume still needed for the next band; None at the top band
    next_rate: Decimal | None
    gain: Decimal | None


def my_rebates(session: Session, actor: Actor, *, today: date) -> list[RebateProgress]:
    """The rebate programs running today that are for the actor's organization, with its volume, what it earned
    and what the next band would add ("18,000 USD more unlocks 3 %: +2,860 USD")."""
    actor.require(Permission.USE_PORTAL)
    org_id = actor.organization_id
    if org_id is None:
        return []
    out = []
    for program in session.exec(select(IncentiveProgram).where(IncentiveProgram.kind == "rebate")).all():
        if not (program.period_start and program.period_end and program.period_start <= today <= program.period_end):
            continue
        if not _for(session, program, org_id):
            continue
        bands, mode = _bands(program), RebateMode(program.rebate_mode)
        volume = _volume(session, program, org_id)
        step = next_band(volume, bands, mode, program.currency)
        out.append(
            RebateProgress(
                program.name,
                mode.value,
                bands_text(bands),
                program.period_start,
                program.period_end,
                program.currency,
                volume,
                rebate(volume, bands, mode, program.currency),
                step[0] if step else None,
                step[1] if step else None,
                step[2] if step else None,
            )
        )
    return out


def rebate_programs(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(name, "Slab · 1 Oct – 31 Dec 2026 · bands · audience") of every rebate program, for admins."""
    actor.require(Permission.MANAGE_INCENTIVES)
    names = audience_names(session)
    rows = []
    for p in session.exec(
        select(IncentiveProgram).where(IncentiveProgram.kind == "rebate").order_by(col(IncentiveProgram.id))
    ).all():
        rule = AudienceRule.from_json(p.audience) if p.audience else AudienceRule()
        rows.append(
            (
                p.name,
                f"{p.rebate_mode.capitalize()} · {p.period_start:%d %b %Y} – {p.period_end:%d %b %Y} · "
                f"{bands_text(_bands(p))} · {describe(rule, names)}",
            )
        )
    return rows
