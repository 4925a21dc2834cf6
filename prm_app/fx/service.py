"""FX use cases: admins add dated rates (one by one or from a CSV, with their source), and a business event locks
the rate it took (`lock_rate`, called by the area's reactions in the event's own unit of work)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.fx.models import FxLock
from prm_app.fx.rules import (
    CORPORATE,
    DatedRate,
    RateRow,
    RowProblem,
    check_rate,
    corporate_amount,
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


def lock_rate(
    session: Session,
    subject_kind: str,
    subject_id: int,
    currency: str,
    amount: Decimal,
    day: date,
    organization_id: int | None,
) -> FxLock:
    """Lock the rate of `day` for the event (`subject_kind`, `subject_id`): written once, the first lock stands
    when the event repeats (a deal won again keeps the rate of its first win). Raises FxRateMissing (nothing
    written) when `currency` has no rate on `day` or in the FX_LOOKBACK_DAYS before it."""
    have = session.exec(
        select(FxLock).where(FxLock.subject_kind == subject_kind, FxLock.subject_id == subject_id)
    ).first()
    if have is not None:
        return have
    rate = dated_rate(session, currency, day)
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
        corporate_currency=CORPORATE,
        corporate_amount=corporate_amount(amount, rate.rate),
    )
    session.add(lock)
    session.flush()
    saved_id(lock)
    return lock
