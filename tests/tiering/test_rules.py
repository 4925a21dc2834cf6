"""Tier rules without a database: exact boundaries, AND/OR groups, the grace state machine, windows, projection."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from prm_app.tiering.rules import (
    ADDITIVE,
    CriterionRule,
    TierRule,
    eligible,
    gaps,
    meets,
    next_period_end,
    next_state,
    period_end,
    period_of,
    previous_period_day,
    projected_values,
    window_bounds,
)

BASE = TierRule(1, "Registered", 0, ())
GOLD = TierRule(
    3,
    "Gold",
    2,
    (
        CriterionRule(1, "revenue", "", Decimal("250000"), 1),
        CriterionRule(2, "won_deals", "", Decimal("5"), 2),
        CriterionRule(3, "lead_acceptance", "", Decimal("90"), 2),
    ),
)


def test_the_boundary_is_exact() -> None:
    at = {"revenue": Decimal("250000.00"), "won_deals": Decimal(5)}
    assert meets(GOLD, at)
    assert not meets(GOLD, {**at, "revenue": Decimal("249999.99")})


def test_criteria_of_one_group_are_alternatives_and_every_group_must_hold() -> None:
    revenue = {"revenue": Decimal("300000")}
    assert not meets(GOLD, revenue)  # group 2 holds neither
    assert meets(GOLD, {**revenue, "lead_acceptance": Decimal("90")})
    assert meets(GOLD, {**revenue, "won_deals": Decimal("7")})
    assert not meets(GOLD, {"won_deals": Decimal("7"), "lead_acceptance": Decimal("95")})
    assert eligible([GOLD, BASE], {"won_deals": Decimal(9)}) == BASE


def test_grace_then_downgrade_and_recovery_resets() -> None:
    assert next_state(2, 1, "ok") == "grace"
    assert next_state(2, 1, "grace") == "downgrade"
    assert next_state(2, 2, "grace") == "ok"
    assert next_state(2, 1, "ok") == "grace"  # after recovery, the count starts again
    assert next_state(1, 2, "grace") == "upgrade"  # upgrades have no grace


def test_windows() -> None:
    joined = date(2023, 9, 15)
    assert window_bounds("rolling_12m", date(2026, 11, 30), joined) == (date(2025, 12, 1), date(2026, 12, 1))
    assert window_bounds("fiscal_year", date(2026, 11, 30), joined) == (date(2026, 1, 1), date(2026, 12, 1))
    assert window_bounds("partnership_year", date(2026, 11, 30), joined) == (date(2026, 9, 15), date(2026, 12, 1))
    assert window_bounds("partnership_year", date(2026, 3, 1), joined) == (date(2025, 9, 15), date(2026, 3, 2))
    assert next_period_end(date(2026, 11, 30)) == date(2026, 12, 31)


def test_gaps_say_what_is_missing_and_projection_scales_sums_only() -> None:
    values = {"revenue": Decimal("130000"), "won_deals": Decimal(3), "lead_acceptance": Decimal("80")}
    missing = {g.key: g.missing for g in gaps(GOLD, values)}
    assert missing == {"revenue": Decimal("120000"), "won_deals": Decimal(2), "lead_acceptance": Decimal(10)}
    half = projected_values(values, date(2026, 1, 1), date(2026, 7, 1), date(2027, 1, 1), ADDITIVE)
    assert half["won_deals"] > Decimal(5) and half["lead_acceptance"] == Decimal("80")


@pytest.mark.parametrize(
    ("as_of", "cadence", "name", "end", "grace_until", "previous"),
    [
        (date(2026, 11, 15), "monthly", "2026-11", date(2026, 11, 30), date(2026, 12, 31), date(2026, 10, 31)),
        (date(2026, 11, 15), "quarterly", "2026-Q4", date(2026, 12, 31), date(2027, 3, 31), date(2026, 9, 30)),
        (date(2027, 1, 1), "quarterly", "2027-Q1", date(2027, 3, 31), date(2027, 6, 30), date(2026, 12, 31)),
        (date(2028, 2, 29), "quarterly", "2028-Q1", date(2028, 3, 31), date(2028, 6, 30), date(2027, 12, 31)),
    ],
)
def test_a_period_is_a_month_or_a_calendar_quarter(as_of, cadence, name, end, grace_until, previous) -> None:
    assert period_of(as_of, cadence) == name
    assert period_end(as_of, cadence) == end
    assert next_period_end(as_of, cadence) == grace_until
    assert previous_period_day(as_of, cadence) == previous
