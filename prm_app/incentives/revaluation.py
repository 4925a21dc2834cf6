"""Period-end FX revaluation: a ledger money event of its own, appended, never a change to an earlier line.

What is revalued, and why: the **earnings a payee is still owed in a currency other than the corporate one** (one
balance per partner, or per rep's payee profile for SPIFFs, and per currency): the sum of its earnings lines posted
up to the period's end, accrued or payable (both are money the vendor owes), net of the payouts made by then. Each
line posted at the rate of its own day, so the ledger carries the balance at a mix of old rates; the period-end
rate says what it is worth now. The revaluation line appends the difference, in the corporate currency, to the
`fx_revaluation` account, with the open balance (`source_amount`, `source_currency`), the period-end rate (`fx_rate`
in corporate units per unit, dated `fx_date`), its source and a reason: positive when the debt costs more in the
corporate currency than booked. It never joins a payout or a partner's statement: the payee is still owed exactly
what its lines say, in its own currency (IAS 21: a monetary item in a foreign currency is retranslated at the
closing rate, the difference recognised in the period).

The carried value (rules.revalue) is each rate day's lines at that day's corporate rate (fx.rate_between, the
stored dated rates), plus the earlier periods' revaluations of the balance; so a second period revalues from the
first period's closing value, and a balance paid off since is trued up to what its payment cost (the payout line
counts at the rate of its day). MDF budgets, allocations and reservations are not revalued: they are plans in their
budget's currency, not debts; an approved claim is, once it posts to earnings.

Idempotent per period: each balance's line is keyed by the period (`fx_revaluation:202611:<org>:<payee>:<currency>`)
and runs take one lock, so running a period twice, or by two managers at once, appends nothing the second time.
Periods are revalued in order: a period before one already revalued is refused (its figures would be out of date).
A missing rate (the period end's, or a line's own day's) refuses the whole run with the fx area's words, "missing
FX rate for CLP on 2026-11-30", and appends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from prm_app.fx import DatedRate, corporate_currency, rate_between
from prm_app.incentives.ledger import EARNINGS, Posting, lock, post
from prm_app.incentives.models import LedgerLine, PayeeProfile
from prm_app.incentives.rules import HeldBalance, revaluation_period, revaluation_words, revalue
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import ValidationError

REVALUATION = "fx_revaluation"  # the account, kind and source type of revaluation lines; source_id: the period key

Balance = tuple[int, int, str]  # (organization id, payee id or 0, currency)


@dataclass(frozen=True)
class RevaluationRun:
    period: str
    corporate: str
    appended: int  # lines appended now
    already: int  # balances this period had revalued before (nothing appended for them)


def _key(period_key: int, balance: Balance) -> str:
    org, payee, currency = balance
    return f"{REVALUATION}:{period_key}:{org}:{payee}:{currency}"


def _balances(session: Session, corporate: str, until: datetime) -> dict[Balance, list[tuple[Decimal, date]]]:
    """Each balance's earnings up to `until`, summed per rate day: {(org, payee, currency): [(amount, day)]}."""
    rows = session.execute(  # five columns: more than sqlmodel's typed select takes
        sa_select(
            col(LedgerLine.organization_id),
            col(LedgerLine.payee_id),
            col(LedgerLine.currency),
            col(LedgerLine.fx_date),
            func.sum(LedgerLine.amount),
        )
        .where(
            col(LedgerLine.account) == EARNINGS,
            col(LedgerLine.currency) != corporate,
            col(LedgerLine.organization_id).is_not(None),
            col(LedgerLine.created_at) < until,
        )
        .group_by(
            col(LedgerLine.organization_id), col(LedgerLine.payee_id), col(LedgerLine.currency), col(LedgerLine.fx_date)
        )
    ).all()
    out: dict[Balance, list[tuple[Decimal, date]]] = {}
    for org, payee, currency, day, amount in rows:
        out.setdefault((org or 0, payee or 0, currency), []).append((Decimal(amount), day))
    return out


def _revalued_before(session: Session, corporate: str, period_key: int) -> dict[Balance, Decimal]:
    rows = session.exec(
        select(
            col(LedgerLine.organization_id),
            col(LedgerLine.payee_id),
            col(LedgerLine.source_currency),
            func.sum(LedgerLine.amount),
        )
        .where(
            LedgerLine.account == REVALUATION,
            LedgerLine.currency == corporate,
            col(LedgerLine.source_id) < period_key,
        )
        .group_by(col(LedgerLine.organization_id), col(LedgerLine.payee_id), col(LedgerLine.source_currency))
    ).all()
    return {(org or 0, payee or 0, currency): Decimal(total) for org, payee, currency, total in rows}


def revalue_period(session: Session, actor: Actor, period: str, *, today: date | None = None) -> RevaluationRun:
    """Revalue every open balance held in a currency other than the corporate one at the end of `period` ("2026-11",
    a month that has ended): one appended line per balance whose value moved, none for one revalued already.
    Raises ValidationError (field "period") for a month not ended or before one revalued already, and FxRateMissing
    when a rate is missing (nothing appended)."""
    actor.require(Permission.MANAGE_INCENTIVES)
    try:
        period_key, end = revaluation_period(period)
    except ValueError as exc:
        raise ValidationError(str(exc), "period") from None
    period = f"{period_key // 100}-{period_key % 100:02d}"
    today = today or utcnow().date()
    if end >= today:
        raise ValidationError(
            f"{period} has not ended yet: revalue it from {end + timedelta(days=1):%d %b %Y}.", "period"
        )
    lock(session, REVALUATION)  # one run at a time: a second waits, then finds the lines there
    later = session.exec(select(func.max(LedgerLine.source_id)).where(LedgerLine.account == REVALUATION)).one()
    if later is not None and later > period_key:
        raise ValidationError(
            f"{later // 100}-{later % 100:02d} is revalued already: periods are revalued in order.", "period"
        )
    corporate = corporate_currency(session)
    until = datetime.combine(end + timedelta(days=1), time.min, UTC)
    balances = _balances(session, corporate, until)
    before = _revalued_before(session, corporate, period_key)
    day_rates: dict[tuple[str, date], Decimal] = {}
    closing: dict[str, DatedRate] = {}
    appended = already = 0
    done = set(  # this period's lines already appended (an indexed read of them all, not a query per balance)
        session.exec(
            select(LedgerLine.idempotency_key).where(
                LedgerLine.source_type == REVALUATION, LedgerLine.source_id == period_key
            )
        ).all()
    )
    for balance in sorted(set(balances) | set(before)):
        org, payee, currency = balance
        if _key(period_key, balance) in done:
            already += 1
            continue
        parts = []
        for amount, day in balances.get(balance, []):
            if (currency, day) not in day_rates:
                day_rates[currency, day] = rate_between(session, currency, corporate, day).rate
            parts.append((amount, day_rates[currency, day]))
        if currency not in closing:
            closing[currency] = rate_between(session, currency, corporate, end)
        rate = closing[currency]
        result = revalue(HeldBalance(currency, tuple(parts), before.get(balance, Decimal(0))), rate.rate, corporate)
        if result.difference == 0:
            continue
        post(session, actor, [Posting(
            account=REVALUATION, kind=REVALUATION, amount=result.difference, currency=corporate,
            idempotency_key=_key(period_key, balance), source_type=REVALUATION, source_id=period_key,
            organization_id=org, payee_id=payee or None, source_amount=result.open_amount, source_currency=currency,
            fx_rate=rate.rate, fx_date=rate.on_date,
            reason=f"Period-end FX revaluation {period}" + (f" (rate: {rate.source})" if rate.source else ""),
            explanation=revaluation_words(result, currency, corporate, rate.rate, rate.on_date, end),
        )])  # fmt: skip
        appended += 1
    audit(session, actor, "fx_revaluation_run", REVALUATION, period_key, appended=appended, corporate=corporate)
    return RevaluationRun(period, corporate, appended, already)


def revalue_due(session: Session, today: date) -> RevaluationRun:
    """The job runner's month-end run: the month before `today`'s, as the scheduled actor."""
    last_month = today.replace(day=1) - timedelta(days=1)
    return revalue_period(session, Actor.system("FX revaluation"), f"{last_month:%Y-%m}", today=today)


@dataclass(frozen=True)
class RevaluationView:
    period: str  # "2026-11"
    organization: str
    payee: str  # the rep's name for a SPIFF balance, "" for the partner's own
    open_amount: Decimal
    currency: str
    rate: Decimal
    rate_date: date
    difference: Decimal
    corporate: str
    explanation: str
    reason: str
    at: datetime


def revaluations(session: Session, actor: Actor) -> list[RevaluationView]:
    """The latest revaluation lines (100), newest period first, for the managers' ledger."""
    actor.require(Permission.MANAGE_INCENTIVES)
    rows = session.exec(
        select(LedgerLine, Organization.name, PayeeProfile.name)
        .join(Organization, col(Organization.id) == LedgerLine.organization_id)
        .join(PayeeProfile, col(PayeeProfile.id) == LedgerLine.payee_id, isouter=True)
        .where(LedgerLine.account == REVALUATION)
        .order_by(col(LedgerLine.source_id).desc(), col(Organization.name), col(LedgerLine.id))
        .limit(100)
    ).all()
    return [
        RevaluationView(
            f"{(line.source_id or 0) // 100}-{(line.source_id or 0) % 100:02d}",
            org,
            payee or "",
            line.source_amount,
            line.source_currency,
            line.fx_rate,
            line.fx_date,
            line.amount,
            line.currency,
            line.explanation,
            line.reason,
            line.created_at,
        )
        for line, org, payee in rows
    ]
