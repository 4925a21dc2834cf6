"""The recruitment funnel's steps and the conversion from one step to the next (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FUNNEL_STAGES = ("visited", "started", "submitted", "approved", "first_deal", "first_win")
FUNNEL_LABELS = {
    "visited": "Form visited",
    "started": "Form started",
    "submitted": "Submitted",
    "approved": "Approved",
    "first_deal": "First deal registered",
    "first_win": "First deal won",
}


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    label: str
    count: int
    rate: float | None  # share of the step before, in percent (None for the first step or after a 0)


def funnel(counts: Mapping[str, int]) -> list[FunnelStep]:
    """The funnel's steps with their counts and the conversion from the step before, one decimal."""
    steps: list[FunnelStep] = []
    before: Decimal | None = None
    for stage in FUNNEL_STAGES:
        n = int(counts.get(stage, 0))
        rate: float | None = (
            None if not before else float((Decimal(n) * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP))
        )
        steps.append(FunnelStep(stage, FUNNEL_LABELS[stage], n, rate))
        before = Decimal(n)
    return steps
