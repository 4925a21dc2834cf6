"""The revenue dashboard: won revenue split into partner-sourced and partner-influenced, by group and for the top
partners (definitions in analytics/dashboards.py's docstring).

Every sum is exact (NUMERIC in SQL, Decimal here) and made a float once, so the figure does not depend on how the
period was split between rollup cells and raw rows. With the rollups (rollup_reads.plan), the groups come from the
'won' cells of the group's cube, and each partner's sums from its own 'won_p' cells (one per partner, day and
currency with a win: bounded by partners x days, not by deals), converted per rate epoch; days the cells do not
answer are read raw and added.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Integer, Numeric, and_, case, cast, func, literal, or_, select, type_coerce
from sqlmodel import Session, col

from prm_app.analytics import rollup_reads
from prm_app.analytics.common import (
    Rates,
    dialect,
    fetch,
    group_column,
    group_key,
    load_rates,
    missing_rate,
    require_dashboard,
    rows_first,
    usd,
    usd_rate,
)
from prm_app.analytics.dashboards import TOP_PARTNERS, GroupRevenue, PartnerRevenue, RevenueReport
from prm_app.analytics.models import RollupCell
from prm_app.analytics.rollup_changes import as_date
from prm_app.deals import Deal, DealStatus
from prm_app.leads import Lead
from prm_app.partners import Filters, Organization, org_filters
from prm_app.platform.access import Actor

Sums = list[Any]  # [group value, total, influenced, deals without a rate]: Decimal sums in USD


def revenue(session: Session, actor: Actor, f: Filters, by: str = "tier") -> RevenueReport:
    """Won revenue (deals closed in the period) split into partner-sourced and partner-influenced, by group and
    for the top partners.

    sourced: won deals a partner registered itself (no lead.deal_id points at the deal).
    influenced: won deals converted from a lead the vendor sent (lead.deal_id = deal.id).
    Direct (vendor-only) revenue is not in this system's data, so it is not reported: no number is invented.
    """
    require_dashboard(session, actor, f)
    group_column(by)  # a bad `by` is refused before anything is read
    name_of, order = group_key(session, by)
    rates = load_rates(session)
    plan = rollup_reads.plan(session, f)
    partners: dict[int, Sums] = {}
    groups: dict[object, Sums] = {}
    if plan is None:
        _add(partners, _raw(session, f, by, rates))
        for sums in partners.values():
            _add_to(groups, sums[0], sums)
    else:
        for sub in plan.raw_filters(f):
            rows = _raw(session, sub, by, rates)
            _add(partners, rows)
            for _org, g, total, influenced, lacking in rows:
                _add_to(groups, g, [g, total, influenced, lacking])
        _add(partners, _partner_cells(session, f, plan, by, rates, also=list(partners)))
        for g, total, influenced, lacking in _group_cells(session, f, plan, by, rates):
            _add_to(groups, g, [g, total, influenced, lacking])
    return RevenueReport(
        by=by,
        by_group=tuple(
            GroupRevenue(group=name_of(g), sourced_usd=usd(t - i), influenced_usd=usd(i))
            for g, (_g, t, i, _m) in sorted(groups.items(), key=lambda kv: order(kv[0]))
        ),
        top_partners=_top(session, partners),
        missing_rate_deals=int(sum(s[3] for s in groups.values())),
    )


def _add_to(into: dict[Any, Sums], key: Any, sums: Sums) -> None:
    have = into.setdefault(key, [sums[0], Decimal(0), Decimal(0), 0])
    for i in (1, 2, 3):
        have[i] += sums[i]


def _add(partners: dict[int, Sums], rows: Iterable[tuple[int, Any, Decimal, Decimal, int]]) -> None:
    for org_id, g, total, influenced, lacking in rows:
        _add_to(partners, org_id, [g, total, influenced, lacking])


def _top(session: Session, partners: dict[int, Sums]) -> tuple[PartnerRevenue, ...]:
    """The TOP_PARTNERS highest totals (in cents), ties by name then id; a partner whose wins all lack a rate (or
    add up to nothing) is left out. Names are read for the top ones and those tied with the last."""
    totals = {org_id: usd(s[1]) for org_id, s in partners.items() if usd(s[1])}
    if not totals:
        return ()
    cut = sorted(totals.values(), reverse=True)[:TOP_PARTNERS][-1]
    near = [org_id for org_id, t in totals.items() if t >= cut]
    names = dict(
        fetch(session, select(col(Organization.id), col(Organization.name)).where(col(Organization.id).in_(near)))
    )
    ranked = sorted((-totals[o], names[o], o) for o in near if o in names)[:TOP_PARTNERS]
    return tuple(
        PartnerRevenue(partner_id=o, partner=name, sourced_usd=usd(partners[o][1] - partners[o][2]),
                       influenced_usd=usd(partners[o][2]), total_usd=usd(partners[o][1]))
        for _t, name, o in ranked
    )  # fmt: skip


def _raw(session: Session, f: Filters, by: str, rates: Rates) -> list[tuple[int, Any, Decimal, Decimal, int]]:
    """(partner, group value, total, influenced, deals without a rate) from the raw won deals of the period."""
    group = group_column(by)
    amount = func.coalesce(col(Deal.final_amount), col(Deal.estimated_value)) * usd_rate(
        rates, col(Deal.currency), col(Deal.closed_at), f.start, f.end
    )
    from_lead = select(col(Lead.id)).where(col(Lead.deal_id) == Deal.id).exists()
    rows = fetch(
        session,
        select(
            col(Organization.id),
            group,
            type_coerce(func.sum(amount), Numeric()),
            type_coerce(func.sum(case((from_lead, amount))), Numeric()),  # worked out again only for those from leads
            func.sum(missing_rate(rates, col(Deal.currency), col(Deal.closed_at), f.start, f.end)),
        )
        .select_from(rows_first(Deal, col(Deal.organization_id)))
        .where(
            col(Deal.status) == DealStatus.WON, col(Deal.closed_at) >= f.lo, col(Deal.closed_at) < f.hi, *org_filters(f)
        )
        .group_by(col(Organization.id), group),
    )
    return [(int(o), g, _dec(t), _dec(i), int(m or 0)) for o, g, t, i, m in rows]


def _dec(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))


def _converted(rows: Iterable[tuple[Any, ...]], rates: Rates) -> Iterable[tuple[Any, str, Decimal, Decimal, int]]:
    """(what, currency, total, influenced, deals without a rate) in USD from cell rows (epoch, what, currency, n,
    amount, lead_amount)."""
    for epoch, what, currency, n, amount, lead_amount in rows:
        rate = rates.at(currency, as_date(epoch))
        if rate is None:
            yield what, currency, Decimal(0), Decimal(0), int(n)
        else:
            yield what, currency, _dec(amount) * rate, _dec(lead_amount) * rate, 0


def _group_cells(
    session: Session, f: Filters, plan: rollup_reads.Plan, by: str, rates: Rates
) -> list[tuple[Any, Decimal, Decimal, int]]:
    epoch = rollup_reads.epoch_of(rates, f)
    rows = rollup_reads.cells(session, "won", f, plan.cells, group=by, when=epoch)  # when, key, group, sums
    out: dict[Any, Sums] = {}
    for g, _c, total, influenced, lacking in _converted(
        ((w, g, key, n, a, la) for w, key, g, n, a, _ln, la in rows), rates
    ):
        _add_to(out, g, [g, total, influenced, lacking])
    return [(g, s[1], s[2], s[3]) for g, s in out.items()]


def _partner_cells(
    session: Session, f: Filters, plan: rollup_reads.Plan, by: str, rates: Rates, also: Iterable[int]
) -> list[tuple[int, Any, Decimal, Decimal, int]]:
    """Per partner, its USD sums from the 'won_p' cells of the plan's days -- converted and added up in SQL, and
    only for the partners that may make the top list: those within a cent of the TOP_PARTNERS-th highest total, and
    `also` (the partners with wins on the raw days; every amount is positive, so no other can overtake)."""
    if not plan.cells:
        return []
    key, day = col(RollupCell.key), col(RollupCell.day)
    partner, currency = _key_parts(session, key)
    rate = _rate_on(rates, currency, day, f)
    in_days = or_(*[and_(day >= a, day < b) for a, b in plan.cells])
    segment = [c == v for c, v in ((col(RollupCell.partner_type), f.partner_type), (col(RollupCell.tier_id), f.tier_id),
                                   (col(RollupCell.region), f.region)) if v]  # fmt: skip
    sums = (
        select(
            partner.label("partner"),
            type_coerce(func.sum(col(RollupCell.amount) * rate), Numeric()).label("total"),
            type_coerce(func.sum(col(RollupCell.lead_amount) * rate), Numeric()).label("influenced"),
        )
        .where(col(RollupCell.measure) == "won_p", col(RollupCell.cube) == 7, in_days, *segment)
        .group_by(partner)
        .cte("sums")
    )
    last = (
        select(sums.c.total).order_by(sums.c.total.desc().nulls_last()).offset(TOP_PARTNERS - 1).limit(1)
    ).scalar_subquery()
    rows = fetch(
        session,
        select(sums.c.partner, sums.c.total, sums.c.influenced).where(
            or_(
                last.is_(None),
                sums.c.total >= last - literal(Decimal("0.01"), Numeric()),
                sums.c.partner.in_(list(also)),
            )
        ),
    )
    return [(int(o), None, _dec(t), _dec(i), 0) for o, t, i in rows]


def _key_parts(session: Session, key: Any) -> tuple[Any, Any]:
    """SQL: the partner id and the currency of a 'partner id|currency' key."""
    if dialect(session) == "postgresql":
        return cast(func.split_part(key, "|", 1), Integer), func.split_part(key, "|", 2)
    bar = func.instr(key, "|")
    return cast(func.substr(key, 1, bar - 1), Integer), func.substr(key, bar + 1)


def _rate_on(rates: Rates, currency: Any, day: Any, f: Filters) -> Any:
    """SQL: the USD rate in force on a cell's day (a date column) for its currency, NULL without one: one CASE on
    the currency per rate epoch, as common.usd_rate does for timestamps."""
    currencies = ["USD", *sorted(set(rates.by_currency) - {"USD"})]

    def on(d: date) -> Any:
        whens = {c: literal(r, Numeric(18, 8)) for c in currencies if (r := rates.at(c, d)) is not None}
        return case(whens, value=currency) if whens else literal(None, Numeric(18, 8))

    changes = rates.changes(f.start, f.end)
    if not changes:  # one epoch: a CASE needs at least one WHEN
        return on(f.start)
    return case(*[(day >= literal(d, Date), on(d)) for d in reversed(changes)], else_=on(f.start))
