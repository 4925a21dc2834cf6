"""The criterion values of many partners at once, each with the ids of the records behind it.

One grouped read per metric for the whole program (the window's widest span), filtered to each partner's own window
in Python: partnership years start on each partner's anniversary. Revenue is the won deals' final amounts converted
to the program currency at the stored rates of the day each deal closed (platform ExchangeRate, USD per unit). A
deal counts by its current status and close date: one row, so a deal moved won → lost → won counts once. Revenue
paid is what customers paid on the partner's deals (payments less refunds, deals.DealPayment) dated in the window,
at the rates of each payment's day. Both count the deals the partner sourced, not those it only influenced. NPS is
the partner's people's answers in its window (the nps area buckets them), with how many answers it rests on;
onboarding complete is 1 once its checklist was completed by the end of `as_of`, else 0.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from prm_app.deals import Credit, Deal, DealPayment, DealStatus
from prm_app.leads import LeadEvent
from prm_app.nps import partner_answers
from prm_app.onboarding import onboarding_completions
from prm_app.platform.models import ExchangeRate
from prm_app.tiering.models import CustomMetricValue
from prm_app.tiering.rules import nps_of
from prm_app.training import certified_headcount

CENT = Decimal("0.01")
MAX_SOURCES = 200  # ids kept per criterion in an evaluation (the count is always exact)
APPROVED_ONCE = (DealStatus.APPROVED, DealStatus.WON, DealStatus.LOST, DealStatus.EXPIRED)


@dataclass
class Measured:
    """One partner's values (metric key -> Decimal), the source record ids behind each and, for a value that is
    not a count of its sources (NPS), how many records it rests on (`basis`)."""

    values: dict[str, Decimal] = field(default_factory=dict)
    sources: dict[str, list[int]] = field(default_factory=dict)
    basis: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, amount: Decimal, source: int | None) -> None:
        self.values[key] = self.values.get(key, Decimal(0)) + amount
        ids = self.sources.setdefault(key, [])
        if source is not None and len(ids) < MAX_SOURCES:
            ids.append(source)


# Extra metrics other areas provide (training: certified headcount per certification):
# fn(session, organization_ids, as_of) -> {organization id: {param: (value, source ids)}}
ExtraSource = Callable[[Session, Collection[int], date], Mapping[int, Mapping[str, tuple[Decimal, list[int]]]]]
EXTRA_SOURCES: dict[str, ExtraSource] = {}


class Rates:
    """USD per unit of each currency, valid from its date until the next one."""

    def __init__(self, session: Session) -> None:
        self._by: dict[str, tuple[list[date], list[Decimal]]] = {}
        rows = session.exec(
            select(col(ExchangeRate.currency), col(ExchangeRate.as_of), col(ExchangeRate.usd_per_unit)).order_by(
                col(ExchangeRate.currency), col(ExchangeRate.as_of)
            )
        ).all()
        for currency, as_of, rate in rows:
            dates, values = self._by.setdefault(currency, ([], []))
            dates.append(as_of)
            values.append(Decimal(str(rate)))

    def usd(self, currency: str, day: date) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        dates, values = self._by.get(currency, ([], []))
        i = bisect_right(dates, day)
        return values[i - 1] if i else None

    def convert(self, amount: Decimal, currency: str, to: str, day: date) -> Decimal | None:
        """`amount` in `currency` as `to` at the rates of `day`, to the cent; None when a rate is missing."""
        if currency == to:
            return amount
        src, dst = self.usd(currency, day), self.usd(to, day)
        if src is None or dst is None or dst == 0:
            return None
        return (amount * src / dst).quantize(CENT)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def measure(
    session: Session,
    windows: Mapping[int, tuple[date, date]],
    as_of: date,
    currency: str,
    keys: Collection[str],
) -> dict[int, Measured]:
    """Every partner's values over its own window [start, end) for the criteria keys (rules.metric_key) of the
    program. Certified headcount is counted at the end of `as_of` (people holding a live certificate then)."""
    metrics = {k.split(":", 1)[0] for k in keys}
    out = {org_id: Measured() for org_id in windows}
    if not windows:
        return out
    ids = list(windows)
    lo = _at(min(s for s, _e in windows.values()))
    hi = _at(max(e for _s, e in windows.values()))

    def inside(org_id: int, at: datetime) -> bool:
        start, end = windows[org_id]
        return _at(start) <= at < _at(end)

    if {"revenue", "won_deals"} & set(metrics):
        rates = Rates(session)
        # Select(...) is what select() builds for several columns; select() itself is typed for at most 4
        columns: Select[int, int | None, datetime | None, Decimal | None, str] = Select(
            col(Deal.organization_id), col(Deal.id), col(Deal.closed_at), col(Deal.final_amount), col(Deal.currency)
        )
        won = session.exec(
            columns.where(col(Deal.status) == DealStatus.WON, col(Deal.closed_at) >= lo, col(Deal.closed_at) < hi)
            .where(col(Deal.organization_id).in_(ids), col(Deal.credit) == Credit.SOURCED)
            .order_by(col(Deal.id))
        ).all()
        for org_id, deal_id, closed_at, amount, cur in won:
            if closed_at is None or not inside(org_id, closed_at):
                continue
            out[org_id].add("won_deals", Decimal(1), deal_id)
            converted = rates.convert(Decimal(amount or 0), cur, currency, closed_at.astimezone(UTC).date())
            if converted is not None:
                out[org_id].add("revenue", converted, deal_id)
    if "revenue_paid" in metrics:
        _revenue_paid(session, out, ids, (lo, hi), currency, inside)
    if "approved_registrations" in metrics:
        approved = session.exec(
            select(Deal.organization_id, Deal.id, Deal.decided_at)
            .where(col(Deal.status).in_(APPROVED_ONCE), col(Deal.decided_at) >= lo, col(Deal.decided_at) < hi)
            .where(col(Deal.organization_id).in_(ids))
            .order_by(col(Deal.id))
        ).all()
        for org_id, deal_id, decided_at in approved:
            if decided_at is not None and inside(org_id, decided_at):
                out[org_id].add("approved_registrations", Decimal(1), deal_id)
    if "lead_acceptance" in metrics:
        _lead_acceptance(session, out, ids, lo, hi, inside)
    if "custom" in metrics:
        _custom(session, out, ids, as_of)
    if "nps" in metrics:
        _nps(session, out, ids, (lo, hi), inside)
    if "onboarding" in metrics:
        done_by = _at(as_of) + timedelta(days=1)
        completed = onboarding_completions(session, ids)
        for org_id in ids:
            checklist_id, at = completed.get(org_id, (None, None))
            finished = at is not None and at < done_by
            out[org_id].values["onboarding"] = Decimal(1 if finished else 0)
            out[org_id].sources["onboarding"] = [checklist_id] if finished and checklist_id else []
    for key in sorted(k for k in keys if k.startswith("certified_headcount:")):
        at = _at(as_of) + timedelta(days=1)
        for org_id in ids:  # training's public count, one partner at a time (only programs that ask for it)
            out[org_id].values[key] = Decimal(certified_headcount(session, org_id, key.split(":", 1)[1], at))
    for metric, source in EXTRA_SOURCES.items():
        if metric in metrics:
            for org_id, by_param in source(session, ids, as_of).items():
                for param, (value, sources) in by_param.items():
                    key = f"{metric}:{param}"
                    out[org_id].values[key] = value
                    out[org_id].sources[key] = sources[:MAX_SOURCES]
    return out


def _revenue_paid(session: Session, out: dict[int, Measured], ids: list[int], span: tuple[datetime, datetime],
                  currency: str, inside: Callable[[int, datetime], bool]) -> None:  # fmt: skip
    """Payments less refunds on the partner's sourced deals, dated in its window, each at its own day's rates."""
    rates = Rates(session)
    columns: Select[int, int, date, Decimal, str] = Select(
        col(Deal.organization_id), col(Deal.id), col(DealPayment.on_date), col(DealPayment.amount), col(Deal.currency)
    )
    rows = session.exec(
        columns.select_from(DealPayment)
        .join(Deal, col(Deal.id) == col(DealPayment.deal_id))
        .where(col(Deal.organization_id).in_(ids), col(Deal.credit) == Credit.SOURCED)
        .where(col(DealPayment.on_date) >= span[0].date(), col(DealPayment.on_date) < span[1].date())
        .order_by(col(DealPayment.id))
    ).all()
    for org_id, deal_id, on_date, amount, cur in rows:
        if not inside(org_id, _at(on_date)):
            continue
        converted = rates.convert(Decimal(amount), cur, currency, on_date)
        if converted is not None:
            source = deal_id if deal_id not in out[org_id].sources.get("revenue_paid", []) else None
            out[org_id].add("revenue_paid", converted, source)


def _lead_acceptance(
    session: Session,
    out: dict[int, Measured],
    ids: list[int],
    lo: datetime,
    hi: datetime,
    inside: Callable[[int, datetime], bool],
) -> None:
    """Accepted offers as a share (%) of the offers the partner answered or let expire in its window."""
    rows = session.exec(
        select(LeadEvent.partner_id, LeadEvent.lead_id, LeadEvent.action, LeadEvent.at)
        .where(col(LeadEvent.action).in_(["accepted", "declined", "expired"]))
        .where(col(LeadEvent.at) >= lo, col(LeadEvent.at) < hi, col(LeadEvent.partner_id).in_(ids))
        .order_by(col(LeadEvent.id))
    ).all()
    answered: dict[int, int] = {}
    accepted: dict[int, list[int]] = {}
    for org_id, lead_id, action, at in rows:
        if org_id is None or not inside(org_id, at):
            continue
        answered[org_id] = answered.get(org_id, 0) + 1
        if action == "accepted":
            accepted.setdefault(org_id, []).append(lead_id)
    for org_id, count in answered.items():
        leads = accepted.get(org_id, [])
        out[org_id].values["lead_acceptance"] = (Decimal(len(leads) * 100) / Decimal(count)).quantize(CENT)
        out[org_id].sources["lead_acceptance"] = leads[:MAX_SOURCES]


def _nps(session: Session, out: dict[int, Measured], ids: list[int], span: tuple[datetime, datetime],
         inside: Callable[[int, datetime], bool]) -> None:  # fmt: skip
    """The NPS of the answers the partner's people gave in its window (`span` covers every window); absent when
    nobody answered."""
    counts: dict[int, list[int]] = {}  # promoters, detractors, answers
    sources: dict[int, list[int]] = {}
    for a in partner_answers(session, ids, *span):
        if not inside(a.organization_id, a.answered_at):
            continue
        c = counts.setdefault(a.organization_id, [0, 0, 0])
        c[0], c[1], c[2] = c[0] + a.promoter, c[1] + a.detractor, c[2] + 1
        sources.setdefault(a.organization_id, []).append(a.response_id)
    for org_id, (promoters, detractors, answers) in counts.items():
        out[org_id].values["nps"] = nps_of(promoters, detractors, answers)
        out[org_id].sources["nps"] = sources[org_id][:MAX_SOURCES]
        out[org_id].basis["nps"] = answers


def _custom(session: Session, out: dict[int, Measured], ids: list[int], as_of: date) -> None:
    """Each partner's custom metrics: the latest value entered on or before `as_of`."""
    latest = (
        select(CustomMetricValue.organization_id, CustomMetricValue.name, func.max(CustomMetricValue.as_of).label("d"))
        .where(col(CustomMetricValue.as_of) <= as_of, col(CustomMetricValue.organization_id).in_(ids))
        .group_by(col(CustomMetricValue.organization_id), col(CustomMetricValue.name))
        .subquery()
    )
    rows = session.exec(
        select(
            col(CustomMetricValue.organization_id),
            col(CustomMetricValue.name),
            col(CustomMetricValue.id),
            col(CustomMetricValue.value),
        ).join(
            latest,
            (col(CustomMetricValue.organization_id) == latest.c.organization_id)
            & (col(CustomMetricValue.name) == latest.c.name)
            & (col(CustomMetricValue.as_of) == latest.c.d),
        )
    ).all()
    for org_id, name, row_id, value in rows:
        out[org_id].values[f"custom:{name}"] = Decimal(value)
        out[org_id].sources[f"custom:{name}"] = [row_id or 0]
