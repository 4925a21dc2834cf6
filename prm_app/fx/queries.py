"""FX reads for the admins' rates page: the dated rates (narrowed to a currency, one page), the values locked at
won deals, and won revenue per quarter in the corporate currency from those locks (never recomputed at today's
rates). Raw values only: the page formats them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select as columns  # sqlmodel's select types at most 4 columns
from sqlmodel import Session, col, select

from prm_app.deals import Deal, DealPayment, DealStatus
from prm_app.fx.models import FxLock
from prm_app.fx.rules import quarter_of
from prm_app.fx.service import corporate_currency
from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.models import ExchangeRate

PAGE_ROWS = 100


@dataclass(frozen=True)
class RateView:
    currency: str
    on_date: date
    rate: Decimal
    source: str
    entered_by: str


@dataclass(frozen=True)
class RatesPage:
    rates: list[RateView]
    currencies: list[str]  # every currency with a rate, for the filter
    more: bool  # more rates than this page shows
    corporate: str  # the corporate currency in force


@dataclass(frozen=True)
class LockView:
    deal_id: int
    customer: str
    partner: str
    event_date: date
    currency: str
    amount: Decimal
    rate: Decimal
    rate_date: date
    rate_source: str
    corporate_currency: str
    corporate_amount: Decimal


@dataclass(frozen=True)
class UsedRate:
    currency: str
    rate: Decimal
    rate_date: date
    source: str


@dataclass(frozen=True)
class QuarterRevenue:
    quarter: str
    corporate_currency: str
    won: Decimal  # deals won in the quarter (still won), at their locked rates
    refunded: Decimal  # refunds dated in the quarter (negative), at their locked rates
    deals: int
    rates: list[UsedRate]  # the rates other than 1 that the quarter's won deals took


def rates_page(session: Session, actor: Actor, currency: str = "") -> RatesPage:
    """The latest PAGE_ROWS rates (of `currency` when given), newest day first, with who entered them."""
    actor.require(Permission.MANAGE_INCENTIVES)
    query = (
        select(ExchangeRate, User.full_name)
        .join(User, col(User.id) == ExchangeRate.entered_by_id, isouter=True)
        .order_by(col(ExchangeRate.as_of).desc(), col(ExchangeRate.currency))
        .limit(PAGE_ROWS + 1)
    )
    if currency:
        query = query.where(ExchangeRate.currency == currency)
    rows = session.exec(query).all()
    currencies = sorted(session.exec(select(ExchangeRate.currency).distinct()).all())
    return RatesPage(
        [RateView(r.currency, r.as_of, Decimal(r.usd_per_unit), r.source, name or "") for r, name in rows[:PAGE_ROWS]],
        currencies,
        len(rows) > PAGE_ROWS,
        corporate_currency(session),
    )


def locked_deals(session: Session, actor: Actor, currency: str = "", limit: int = 50) -> list[LockView]:
    """The values locked when deals in another currency than the corporate one were won, latest win first."""
    actor.require(Permission.MANAGE_INCENTIVES)
    query = (
        select(FxLock, Deal.customer_name, Organization.name)
        .join(Deal, col(Deal.id) == FxLock.subject_id)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(FxLock.subject_kind == "deal_won", FxLock.currency != FxLock.corporate_currency)
        .order_by(col(FxLock.event_date).desc(), col(FxLock.id).desc())
        .limit(limit)
    )
    if currency:
        query = query.where(FxLock.currency == currency)
    return [
        LockView(
            lock.subject_id,
            customer,
            partner,
            lock.event_date,
            lock.currency,
            Decimal(lock.amount),
            Decimal(lock.rate),
            lock.rate_date,
            lock.rate_source,
            lock.corporate_currency,
            Decimal(lock.corporate_amount),
        )
        for lock, customer, partner in session.exec(query).all()
    ]


def revenue_by_quarter(session: Session, actor: Actor, quarters: int = 8) -> list[QuarterRevenue]:
    """Won revenue per quarter (latest `quarters`, newest first) in the corporate currency, summed from the locks:
    each deal at the rate of its win, each refund at the rate of its day, so a later rate never moves a quarter.
    A deal corrected to lost no longer counts, nor do its refunds (that is a correction of the deal, not of a rate)."""
    actor.require(Permission.MANAGE_INCENTIVES)
    # Each lock's deal: the deal itself for a win, the refunded payment's deal for a refund.
    refunded_payment = (col(DealPayment.id) == FxLock.subject_id) & (FxLock.subject_kind == "deal_refunded")
    its_deal = col(Deal.id) == func.coalesce(col(DealPayment.deal_id), FxLock.subject_id)
    still_won = col(Deal.status) == DealStatus.WON
    per_day = session.execute(
        columns(
            col(FxLock.event_date),
            col(FxLock.corporate_currency),
            col(FxLock.subject_kind),
            func.sum(col(FxLock.corporate_amount)),
            func.count(),
        )
        .join(DealPayment, refunded_payment, isouter=True)
        .join(Deal, its_deal)
        .where(still_won)
        .group_by(col(FxLock.event_date), col(FxLock.corporate_currency), col(FxLock.subject_kind))
    ).all()
    won: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    refunded: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    deals: dict[tuple[str, str], int] = defaultdict(int)
    for day, corporate, kind, total, count in per_day:
        key = (quarter_of(day), corporate)
        if kind == "deal_won":
            won[key] += Decimal(total)
            deals[key] += count
        else:
            refunded[key] += Decimal(total)
    keys = sorted(set(won) | set(refunded), reverse=True)[:quarters]
    used: dict[tuple[str, str], set[UsedRate]] = defaultdict(set)
    if keys:
        for day, corporate, cur, rate, rate_date, source in session.execute(
            columns(
                col(FxLock.event_date),
                col(FxLock.corporate_currency),
                col(FxLock.currency),
                col(FxLock.rate),
                col(FxLock.rate_date),
                col(FxLock.rate_source),
            )
            .join(Deal, col(Deal.id) == FxLock.subject_id)
            .where(
                col(FxLock.subject_kind) == "deal_won",
                col(FxLock.currency) != col(FxLock.corporate_currency),
                col(Deal.status) == DealStatus.WON,
                col(FxLock.event_date) >= _quarter_start(keys[-1][0]),
            )
            .distinct()
        ).all():
            used[(quarter_of(day), corporate)].add(UsedRate(cur, Decimal(rate), rate_date, source))
    return [
        QuarterRevenue(
            q,
            corporate,
            won[(q, corporate)],
            refunded[(q, corporate)],
            deals[(q, corporate)],
            sorted(used[(q, corporate)], key=lambda u: (u.currency, u.rate_date, u.rate)),
        )
        for q, corporate in keys
    ]


def _quarter_start(quarter: str) -> date:
    """ "2026 Q1" → 2026-01-01."""
    year, q = quarter.split(" Q")
    return date(int(year), 3 * int(q) - 2, 1)
