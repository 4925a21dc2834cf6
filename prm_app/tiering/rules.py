"""Tier rules on plain data: the evaluation window, whether a partner's values meet a tier, the tier it qualifies
for, the grace state machine, what is missing for the next tier and the projected tier at period end.

A tier's criteria form AND/OR groups: criteria with the same group number are alternatives (one suffices), every
group must hold. Boundaries are exact Decimals: 250000.00 meets a 250000 threshold, 249999.99 does not.

States of an evaluation: "ok" (holds its tier), "upgrade" (qualifies higher: a proposal, or applied at once when
the program says so), "grace" (first period below its tier: warned, nothing proposed), "downgrade" (second
consecutive period below: a downgrade proposal). Recovery in between is "ok" again.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

METRICS = {
    "revenue": "Partner-sourced revenue",
    "revenue_paid": "Partner-sourced revenue paid",
    "won_deals": "Won deals",
    "approved_registrations": "Approved deal registrations",
    "lead_acceptance": "Lead acceptance rate (%)",
    "certified_headcount": "Certified people",
    "nps": "NPS",
    "onboarding": "Onboarding complete",
    "custom": "Custom metric",
}
# Metrics a partner without data fails whatever the threshold: an NPS nobody answered is not an NPS of 0.
MEASURED_ONLY = frozenset({"nps"})
LAPSE_DAYS = 90  # a certificate that lapses this soon puts a criterion it meets at risk
WINDOWS = {"rolling_12m": "Rolling 12 months", "fiscal_year": "Fiscal year", "partnership_year": "Partnership year"}
# How often partners are judged: a period is a month or a calendar quarter. Grace lasts one period, a downgrade is
# proposed after the second below; the daily job re-evaluates the running period (and the last one in its first days).
CADENCES = {"monthly": "Monthly", "quarterly": "Quarterly"}
BENEFITS = {
    "commission_rate": "Commission rate (%)",
    "mdf_share": "MDF allocation share (%)",
    "lead_weight": "Lead-routing weight",
    "deal_protection_days": "Deal-protection days",
    "discount_pct": "Discount (%)",
    "audience": "Content and courses",
}
STATES = {"ok": "On track", "upgrade": "Qualifies higher", "grace": "At risk (grace)", "downgrade": "Below tier"}
COLORS = ("gray", "bronze", "indigo", "amber", "cyan", "purple")


def metric_key(metric: str, param: str = "") -> str:
    """The key of a criterion's value: the metric, and its certification or custom name when it has one."""
    return f"{metric}:{param}" if param else metric


@dataclass(frozen=True)
class CriterionRule:
    id: int
    metric: str
    param: str
    threshold: Decimal
    group: int

    @property
    def key(self) -> str:
        return metric_key(self.metric, self.param)

    @property
    def label(self) -> str:
        if self.metric == "custom" and self.param:
            return self.param
        if self.metric == "certified_headcount":
            return f"Certified people ({self.param})"
        return METRICS.get(self.metric, self.metric)


@dataclass(frozen=True)
class TierRule:
    tier_id: int
    name: str
    rank: int
    criteria: tuple[CriterionRule, ...]


@dataclass(frozen=True)
class Gap:
    """One criterion of the next tier: the partner's value, the threshold and what is missing (0 when met)."""

    criterion_id: int
    key: str
    label: str
    value: Decimal
    threshold: Decimal
    missing: Decimal
    group: int = 1
    measured: bool = True  # False: an NPS nobody answered (not met, whatever the threshold)

    @property
    def met(self) -> bool:
        return self.measured and self.missing <= 0


def period_start(as_of: date, cadence: str = "monthly") -> date:
    """The first day of the evaluation period `as_of` falls in: its month, or its calendar quarter."""
    if cadence == "quarterly":
        return date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    return as_of.replace(day=1)


def period_of(as_of: date, cadence: str = "monthly") -> str:
    """The period's name, which evaluations and proposals are kept under: "2026-11", or "2026-Q4"."""
    if cadence == "quarterly":
        return f"{as_of.year:04d}-Q{(as_of.month - 1) // 3 + 1}"
    return f"{as_of.year:04d}-{as_of.month:02d}"


def period_end(as_of: date, cadence: str = "monthly") -> date:
    start = period_start(as_of, cadence)
    last = start.month + (2 if cadence == "quarterly" else 0)
    return date(start.year, last, calendar.monthrange(start.year, last)[1])


def next_period_end(as_of: date, cadence: str = "monthly") -> date:
    """The end of the period after `as_of`'s: how long a partner in grace has to recover."""
    return period_end(period_end(as_of, cadence) + timedelta(days=1), cadence)


def previous_period_day(as_of: date, cadence: str = "monthly") -> date:
    """The last day of the period before `as_of`'s."""
    return period_start(as_of, cadence) - timedelta(days=1)


def window_bounds(window: str, as_of: date, joined: date) -> tuple[date, date]:
    """[start, end) of the evaluation window that ends with the day `as_of` (included)."""
    end = as_of + timedelta(days=1)
    if window == "fiscal_year":
        return date(as_of.year, 1, 1), end
    if window == "partnership_year":
        start = _anniversary(joined, as_of.year)
        if start > as_of:
            start = _anniversary(joined, as_of.year - 1)
        return max(start, joined), end
    return _anniversary(end, end.year - 1), end  # rolling 12 months


def window_full_end(window: str, start: date, as_of: date) -> date:
    """The day the current window closes (exclusive): where the projection looks to."""
    if window == "rolling_12m":
        return as_of + timedelta(days=1)
    return _anniversary(start, start.year + 1)


def _anniversary(day: date, year: int) -> date:
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def nps_of(promoters: int, detractors: int, answers: int) -> Decimal:
    """% promoters minus % detractors, cut (never rounded up) to the cent: 29.999 is 29.99 and misses a 30
    threshold; exactly 30 meets it. 0 without answers (the criterion then fails: MEASURED_ONLY)."""
    if answers <= 0:
        return Decimal(0)
    return (Decimal((promoters - detractors) * 100) / Decimal(answers)).quantize(Decimal("0.01"), ROUND_FLOOR)


def _met(c: CriterionRule, values: Mapping[str, Decimal]) -> bool:
    if c.metric in MEASURED_ONLY and c.key not in values:
        return False
    return values.get(c.key, Decimal(0)) >= c.threshold


def meets(tier: TierRule, values: Mapping[str, Decimal]) -> bool:
    """Whether `values` meet every group of the tier's criteria (a tier without criteria is met by anyone)."""
    groups: dict[int, bool] = {}
    for c in tier.criteria:
        groups[c.group] = groups.get(c.group, False) or _met(c, values)
    return all(groups.values())


def eligible(tiers: Sequence[TierRule], values: Mapping[str, Decimal]) -> TierRule:
    """The highest-ranked tier whose criteria the values meet (the lowest tier when none is)."""
    ranked = sorted(tiers, key=lambda t: t.rank)
    best = ranked[0]
    for tier in ranked:
        if meets(tier, values):
            best = tier
    return best


def next_state(current_rank: int, eligible_rank: int, previous_state: str) -> str:
    """The evaluation's state from the tier held, the tier qualified for and the previous period's state."""
    if eligible_rank > current_rank:
        return "upgrade"
    if eligible_rank == current_rank:
        return "ok"
    return "downgrade" if previous_state in {"grace", "downgrade"} else "grace"


def gaps(tier: TierRule, values: Mapping[str, Decimal]) -> list[Gap]:
    """Each criterion of `tier` with the partner's value and what is still missing."""
    out = []
    for c in sorted(tier.criteria, key=lambda c: (c.group, c.id)):
        value = values.get(c.key, Decimal(0))
        measured = c.metric not in MEASURED_ONLY or c.key in values
        missing = max(c.threshold - value, Decimal(0))
        out.append(Gap(c.id, c.key, c.label, value, c.threshold, missing, c.group, measured))
    return out


def failing(found: Sequence[Gap]) -> list[Gap]:
    """The gaps of the groups that do not hold (no alternative of theirs is met): what is missing or at risk."""
    held = {g.group for g in found if g.met}
    return [g for g in found if g.group not in held]


def projected_values(
    values: Mapping[str, Decimal], start: date, as_of: date, full_end: date, additive: frozenset[str]
) -> dict[str, Decimal]:
    """Values at the window's end at the current run rate: sums (revenue, counts) scaled by the elapsed share of the
    window; rates, scores and headcounts stay as they are."""
    elapsed = (as_of - start).days + 1
    total = (full_end - start).days
    if elapsed <= 0 or total <= elapsed:
        return dict(values)
    factor = Decimal(total) / Decimal(elapsed)
    return {k: (v * factor).quantize(Decimal("0.01")) if k.split(":")[0] in additive else v for k, v in values.items()}


ADDITIVE = frozenset({"revenue", "revenue_paid", "won_deals", "approved_registrations"})
