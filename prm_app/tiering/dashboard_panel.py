"""Tiering on the executive dashboards (#16): how many of the selected partners hold each tier now, the tier changes
of the period (up and down), the proposals waiting for a manager and the partners in grace; and month by month over
the period, the tiers the partners held at each month's evaluation and how many moved up or down.

The distribution, proposals and grace are as of now (the note says so); the changes follow the period. The tier
filter selects partners by the tier they hold now, so a partner that moved down from the filtered tier in the
period is not among them. Registered at import, which reactions.py triggers (analytics sits below tiering).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from prm_app.analytics import Panel, PanelBars, PanelFact, PanelTable, register_dashboard_panel
from prm_app.partners import Filters, Organization, Tier, org_filters
from prm_app.tiering.models import TierChange, TierEvaluation, TierProposal


def tiering_panel(session: Session, f: Filters, now: datetime) -> Panel:
    """The tiering panel for these filters (`now` is unused: "now" is what the tables hold)."""
    segment = org_filters(f)
    tiers = session.exec(select(Tier.id, Tier.name, Tier.rank).order_by(col(Tier.rank))).all()
    names = {tid: name for tid, name, _rank in tiers}
    ranks = {tid: rank for tid, _name, rank in tiers}
    held = dict(
        session.exec(
            select(Organization.tier_id, func.count()).where(*segment).group_by(col(Organization.tier_id))
        ).all()
    )
    dated = session.exec(
        select(TierChange.from_tier_id, TierChange.to_tier_id, TierChange.at)
        .join(Organization, col(Organization.id) == TierChange.organization_id)
        .where(*segment, col(TierChange.at) >= f.lo, col(TierChange.at) < f.hi)
    ).all()
    moves = [(a, b) for a, b, _at in dated]
    ups = sum(1 for a, b in moves if ranks.get(b, 0) > ranks.get(a, 0))
    downs = sum(1 for a, b in moves if ranks.get(b, 0) < ranks.get(a, 0))
    pairs = Counter(moves)
    pending = session.exec(
        select(func.count())
        .select_from(TierProposal)
        .join(Organization, col(Organization.id) == TierProposal.organization_id)
        .where(*segment, TierProposal.status == "pending")
    ).one()
    latest = (
        select(TierEvaluation.organization_id, func.max(TierEvaluation.period).label("period"))
        .group_by(col(TierEvaluation.organization_id))
        .subquery()
    )
    in_grace = session.exec(
        select(func.count(func.distinct(TierEvaluation.organization_id)))
        .join(
            latest,
            (latest.c.organization_id == TierEvaluation.organization_id) & (latest.c.period == TierEvaluation.period),
        )
        .join(Organization, col(Organization.id) == TierEvaluation.organization_id)
        .where(*segment, TierEvaluation.state == "grace")
    ).one()
    return Panel(
        key="tiering",
        title="Tiers",
        facts=(
            PanelFact("Upgrades", f"{ups:,}", "partners moved up a tier in the period"),
            PanelFact("Downgrades", f"{downs:,}", "partners moved down a tier in the period"),
            PanelFact("Proposals to decide", f"{pending:,}", "tier changes waiting for a manager, now"),
            PanelFact("Partners in grace", f"{in_grace:,}", "below their tier at the latest evaluation, now"),
        ),
        tables=(
            PanelTable(
                "Tier changes in the period",
                ("From", "To", "Partners"),
                tuple(
                    (names.get(a, "?"), names.get(b, "?"), f"{n:,}")
                    for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], ranks.get(kv[0][0], 0)))
                ),
            ),
            _month_by_month(session, f, segment, tiers, dated),
        ),
        bars=(
            PanelBars(
                "Partners per tier now",
                tuple(name for _t, name, _r in tiers),
                tuple(float(held.get(tid or 0, 0)) for tid, _n, _r in tiers),
                unit="partners",
                item="Tier",
            ),
        ),
        note="Partners per tier now, proposals and grace are as of now; tier changes and the months follow the period.",
    )


def _month_by_month(
    session: Session, f: Filters, segment: list[Any], tiers: Sequence[Any], dated: Sequence[Any]
) -> PanelTable:
    """Distribution and movements over time: for each evaluated month of the period, how many of the selected
    partners held each tier at its evaluation, and how many moved up and down that month (UTC months)."""
    first, last = f.lo.strftime("%Y-%m"), (f.hi - timedelta(microseconds=1)).strftime("%Y-%m")
    held = session.exec(
        select(TierEvaluation.period, TierEvaluation.current_tier_id, func.count(func.distinct(Organization.id)))
        .join(Organization, col(Organization.id) == TierEvaluation.organization_id)
        .where(*segment, col(TierEvaluation.period) >= first, col(TierEvaluation.period) <= last)
        .group_by(col(TierEvaluation.period), col(TierEvaluation.current_tier_id))
    ).all()
    ranks = {tid: rank for tid, _name, rank in tiers}
    counts: dict[str, Counter[int]] = {}
    for period, tier_id, n in held:
        counts.setdefault(period, Counter())[tier_id] += n
    moved: dict[str, Counter[str]] = {}
    for a, b, at in dated:
        month = moved.setdefault(at.astimezone(UTC).strftime("%Y-%m"), Counter())
        month["up" if ranks.get(b, 0) > ranks.get(a, 0) else "down"] += 1
    return PanelTable(
        "Tiers month by month",
        ("Month", *(name for _t, name, _r in tiers), "Moved up", "Moved down"),
        tuple(
            (
                month,
                *(f"{counts.get(month, Counter())[tid]:,}" for tid, _n, _r in tiers),
                f"{moved.get(month, Counter())['up']:,}",
                f"{moved.get(month, Counter())['down']:,}",
            )
            for month in sorted(set(counts) | set(moved))
        ),
    )


register_dashboard_panel("tiering", 30, tiering_panel)
