"""Two-tier distribution on the vendor's dashboards (#18): per distributor of the selected segment, its resellers now,
the open pipeline and the won revenue of the registrations that name it (the period's wins), and how many of those
it registered for a reseller.

Attribution without double counting: a registration is one row, owned by the reseller (its tier and the program's
revenue count it there, once); a distributor's figures are a view over the registrations that name it, never a copy,
so they are not added to the program's revenue. Amounts stay in their currency, one line per currency.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, func, select

from prm_app.analytics.panels import Panel, PanelFact, PanelTable, register_dashboard_panel
from prm_app.deals import LIVE_STATUSES, Deal, DealStatus, distributor_credit_pct
from prm_app.partners import Filters, Organization, PartnerRelation, PartnerType, org_filters
from prm_app.platform.money import to_minor


def _by_currency(amounts: dict[str, Decimal]) -> str:
    """ "12,500.00 USD; 900.00 EUR" (largest first), "—" when none."""
    shown = [f"{v:,.2f} {c}" for c, v in sorted(amounts.items(), key=lambda kv: -kv[1]) if v]
    return "; ".join(shown) or "—"


def _current(day: datetime) -> ColumnElement[bool]:
    return (col(PartnerRelation.valid_from) <= day.date()) & or_(
        col(PartnerRelation.valid_to).is_(None), col(PartnerRelation.valid_to) > day.date()
    )


def distribution_panel(session: Session, f: Filters, now: datetime) -> Panel | None:
    """The distribution panel for these filters; None when the segment holds no distributor."""
    distributors = session.exec(
        select(Organization.id, Organization.name)
        .where(*org_filters(f), Organization.partner_type == PartnerType.DISTRIBUTOR)
        .order_by(col(Organization.name_lower))
    ).all()
    ids = [i for i, _ in distributors if i is not None]
    if not ids:
        return None
    resellers = dict(
        session.exec(
            select(PartnerRelation.parent_id, func.count(func.distinct(PartnerRelation.child_id)))
            .where(col(PartnerRelation.parent_id).in_(ids), _current(now))
            .group_by(col(PartnerRelation.parent_id))
        ).all()
    )
    pipeline: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for dist, currency, total in session.exec(
        select(Deal.distributor_id, Deal.currency, func.sum(Deal.estimated_value))
        .where(col(Deal.distributor_id).in_(ids), col(Deal.status).in_([s.value for s in LIVE_STATUSES]))
        .group_by(col(Deal.distributor_id), col(Deal.currency))
    ).all():
        pipeline[dist or 0][currency] += Decimal(total or 0)
    won: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    won_count: dict[int, int] = defaultdict(int)
    in_period = (
        col(Deal.distributor_id).in_(ids),
        col(Deal.status) == DealStatus.WON,
        col(Deal.closed_at) >= f.lo,
        col(Deal.closed_at) < f.hi,
    )
    for dist, currency, amount, count in session.exec(
        select(Deal.distributor_id, Deal.currency, func.sum(Deal.final_amount), func.count())
        .where(*in_period)
        .group_by(col(Deal.distributor_id), col(Deal.currency))
    ).all():
        won[dist or 0][currency] += Decimal(amount or 0)
        won_count[dist or 0] += count
    on_behalf: dict[int | None, int] = dict(
        session.exec(
            select(Deal.distributor_id, func.count())
            .where(*in_period, col(Deal.registered_by_org_id).is_not(None))
            .group_by(col(Deal.distributor_id))
        ).all()
    )
    share = distributor_credit_pct(session)
    rows = tuple(
        (
            name,
            f"{resellers.get(i, 0):,}",
            _by_currency(pipeline.get(i, {})),
            f"{won_count.get(i, 0):,}",
            _by_currency(won.get(i, {})),
            f"{on_behalf.get(i, 0):,}",
            _by_currency({c: to_minor(v * share / 100, c) for c, v in won.get(i, {}).items()}),
        )
        for i, name in distributors
        if i is not None
    )
    return Panel(
        key="distribution",
        title="Two-tier distribution",
        facts=(
            PanelFact("Distributors", f"{len(ids):,}", "in the selected segment"),
            PanelFact("Resellers below them", f"{sum(resellers.values()):,}", "current relations, now"),
            PanelFact("Deals won through them", f"{sum(won_count.values()):,}", "registrations naming one, won"),
        ),
        tables=(
            PanelTable(
                "Distributors",
                (
                    "Distributor",
                    "Resellers now",
                    "Open pipeline",
                    "Won",
                    "Won revenue",
                    "Registered for resellers",
                    f"Credited to it ({share.normalize():f} %)",
                ),
                rows,
                partners=tuple(ids),
            ),
        ),
        note="A deal counts once in revenue, for the reseller that owns it; a distributor's figures are the deals "
        "that name it, shown beside (not added to) the program's totals, and it is credited the program's "
        "distributor share of their won revenue. Open pipeline and resellers are as of now.",
    )


register_dashboard_panel("distribution", 35, distribution_panel)
