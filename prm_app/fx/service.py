"""FX use cases: admins add dated rates (one by one or from a CSV, with their source) and set the corporate currency,
and a business event locks the rate it took into the corporate currency (`lock_rate`, called by the area's reactions
in the event's own unit of work, and by other areas for their own events, e.g. an MDF claim approved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.deals import Deal, DealPayment, DealStatus
from prm_app.fx.models import CorporateCurrency, FxLock
from prm_app.fx.rules import (
    DEFAULT_CORPORATE,
    DatedRate,
    FxRateMissing,
    RateRow,
    RowProblem,
    check_rate,
    corporate_amount,
    cross_rate,
    is_currency,
    parse_rates_csv,
    rate_on,
)
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, ValidationError
from prm_app.platform.models import ExchangeRate

RATES_ADDED = "exchange_rates_added"  # the engagement event of rates added (one per form or file)


class RatesRefused(ValidationError):
    """A rates file with bad lines: nothing of it was saved; `problems` lists each line and what is wrong."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"Nothing was imported: {len(problems)} line(s) to fix.", "file")
        self.problems = problems


def _existing(session: Session, row: RateRow) -> ExchangeRate | None:
    return session.exec(
        select(ExchangeRate).where(ExchangeRate.currency == row.currency, ExchangeRate.as_of == row.on_date)
    ).first()


def _clash(row: RateRow, have: ExchangeRate) -> str:
    """Why `row` cannot be saved over the day's rate already there ("" when it is the same rate again)."""
    if Decimal(have.usd_per_unit) == row.rate:
        return ""
    return (
        f"{row.currency} already has {Decimal(have.usd_per_unit).normalize():f} on {row.on_date.isoformat()}: "
        "a day's rate is set once."
    )


def _save(session: Session, actor: Actor, rows: list[RateRow]) -> int:
    made = 0
    for row in rows:
        if _existing(session, row) is not None:
            continue  # the same rate again (checked before): nothing to add
        session.add(
            ExchangeRate(
                currency=row.currency,
                as_of=row.on_date,
                usd_per_unit=row.rate,
                source=row.source,
                entered_by_id=actor.user_id,
                entered_at=utcnow(),
            )
        )
        audit(
            session, actor, "exchange_rate_added", "exchange_rate", None,
            currency=row.currency, day=row.on_date.isoformat(), rate=str(row.rate), source=row.source,
        )  # fmt: skip
        made += 1
    session.flush()
    if made:  # what a missing rate held may post now (incentives reacts)
        record_engagement(session, actor, RATES_ADDED, "exchange_rate", None)
    return made


def add_rate(session: Session, actor: Actor, currency: str, on_date: str, rate: str, source: str) -> int:
    """Add what one unit of `currency` is worth in the corporate currency from `on_date`, with its source. A day's
    rate is set once (the same rate again changes nothing; another is refused beside the rate), so what an event
    took can always be found again. Returns how many rates were added (0 or 1). Raises FormInvalid per field."""
    actor.require(Permission.MANAGE_INCENTIVES)
    row, errors = check_rate(currency, on_date, rate, source)
    if row is None:
        raise FormInvalid(errors)
    have = _existing(session, row)
    if have is not None and _clash(row, have):
        raise FormInvalid({"rate": _clash(row, have)})
    return _save(session, actor, [row])


def import_rates(session: Session, actor: Actor, text: str) -> int:
    """Add every rate of a CSV (currency,date,rate,source), all or nothing: any bad line (or a day whose rate is
    already another) refuses the whole file with RatesRefused listing each line. Returns how many were added (a
    rate already there is not added twice)."""
    actor.require(Permission.MANAGE_INCENTIVES)
    rows, problems = parse_rates_csv(text)
    for row in rows:
        have = _existing(session, row)
        if have is not None and _clash(row, have):
            problems.append(RowProblem(row.line, _clash(row, have)))
    if problems:
        raise RatesRefused(sorted(problems, key=lambda p: p.row))
    return _save(session, actor, rows)


def dated_rate(session: Session, currency: str, day: date) -> DatedRate:
    """The rate `currency` takes on `day` (rules.rate_on over the stored rates). Raises FxRateMissing."""
    rows = session.exec(
        select(col(ExchangeRate.as_of), col(ExchangeRate.usd_per_unit), col(ExchangeRate.source))
        .where(ExchangeRate.currency == currency, col(ExchangeRate.as_of) <= day)
        .order_by(col(ExchangeRate.as_of).desc())
        .limit(1)
    ).all()
    return rate_on(currency, day, [DatedRate(d, Decimal(r), s) for d, r, s in rows])


def corporate_currency(session: Session) -> str:
    """The corporate currency in force: the latest an admin set, USD until one did."""
    row = session.exec(select(CorporateCurrency).order_by(col(CorporateCurrency.id).desc()).limit(1)).first()
    return row.currency if row is not None else DEFAULT_CORPORATE


def set_corporate_currency(session: Session, actor: Actor, currency: str) -> bool:
    """Make `currency` the corporate currency from now on (admins). Locks already written keep what they took;
    events after it lock into the new one, which then needs its own dated rates. Returns False when it was the
    corporate currency already (nothing written). Raises FormInvalid for a code that is not a currency."""
    actor.require(Permission.MANAGE_INCENTIVES)
    code = (currency or "").strip().upper()
    if not is_currency(code):
        raise FormInvalid({"corporate_currency": "Choose a currency, like EUR."})
    before = corporate_currency(session)
    if code == before:
        return False
    session.add(CorporateCurrency(currency=code, set_by_id=actor.user_id, set_at=utcnow()))
    audit(session, actor, "corporate_currency_set", "corporate_currency", None, currency=code, before=before)
    session.flush()
    return True


def rate_between(session: Session, currency: str, into: str, day: date) -> DatedRate:
    """Units of `into` per unit of `currency` on `day`, from the stored USD rates of both (rules.cross_rate), with
    the rate's date and source. Raises FxRateMissing naming the currency without a rate."""
    if currency == into:
        return DatedRate(day, Decimal(1), "")
    return cross_rate(dated_rate(session, currency, day), dated_rate(session, into, day))


def lock_rate(
    session: Session,
    subject_kind: str,
    subject_id: int,
    currency: str,
    amount: Decimal,
    day: date,
    organization_id: int | None,
) -> FxLock:
    """Lock the rate of `day` into the corporate currency in force for the event (`subject_kind`, `subject_id`):
    written once, the first lock stands when the event repeats (a deal won again keeps the rate of its first win).
    Raises FxRateMissing (nothing written) when `currency` or the corporate currency has no rate on `day` or in
    the FX_LOOKBACK_DAYS before it."""
    have = session.exec(
        select(FxLock).where(FxLock.subject_kind == subject_kind, FxLock.subject_id == subject_id)
    ).first()
    if have is not None:
        return have
    corporate = corporate_currency(session)
    rate = rate_between(session, currency, corporate, day)
    lock = FxLock(
        subject_kind=subject_kind,
        subject_id=subject_id,
        organization_id=organization_id,
        event_date=day,
        currency=currency,
        amount=amount,
        rate=rate.rate,
        rate_date=rate.on_date,
        rate_source=rate.source,
        corporate_currency=corporate,
        corporate_amount=corporate_amount(amount, rate.rate, corporate),
    )
    session.add(lock)
    session.flush()
    saved_id(lock)
    return lock


@dataclass(frozen=True)
class Backfill:
    locked: int  # locks written now
    missing: list[str]  # "missing FX rate for KWD on 2026-03-31", once each, for the events still without a lock


def backfill_locks(session: Session) -> Backfill:
    """Lock the rate of every won deal (still won) and every refund of one that has no lock yet: the deals won
    before rates were locked (or while their rate was missing), each at the rate of its own day (its close, the
    refund's day) into the corporate currency in force. Idempotent: a lock is written once, a second run writes
    nothing new; an event whose rate is still missing is listed and left for a later run."""
    locked, missing = 0, dict[str, None]()  # the messages, once each, in order
    have = set(session.exec(select(FxLock.subject_kind, FxLock.subject_id)).all())
    events: list[tuple[str, int, Decimal, date, Deal]] = []
    won = (Deal.status == DealStatus.WON, col(Deal.closed_at).is_not(None))
    for deal in session.exec(select(Deal).where(*won).order_by(col(Deal.id))).all():
        if ("deal_won", deal.id) not in have and deal.closed_at is not None:
            amount = deal.final_amount if deal.final_amount is not None else deal.estimated_value
            events.append(("deal_won", saved_id(deal), amount, deal.closed_at.date(), deal))
    refunds = session.exec(
        select(DealPayment, Deal)
        .join(Deal, col(Deal.id) == DealPayment.deal_id)
        .where(DealPayment.kind == "refund", *won)
        .order_by(col(DealPayment.id))
    ).all()
    events += [
        ("deal_refunded", saved_id(r), r.amount, r.on_date, deal)
        for r, deal in refunds
        if ("deal_refunded", r.id) not in have
    ]
    for kind, subject, amount, day, deal in events:
        try:
            lock_rate(session, kind, subject, deal.currency, amount, day, deal.organization_id)
        except FxRateMissing as exc:
            missing[exc.message] = None
            continue
        locked += 1
    return Backfill(locked, list(missing))
