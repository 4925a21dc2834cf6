"""NPS rules on plain values: the buckets, the score, a survey's status and days, and the limits on what is typed.

NPS = % promoters (9–10) − % detractors (0–6) of the answers, from −100 to 100.

A survey's days are calendar days in one zone, the launching manager's (kept with the survey): "closes on 14 Dec"
means open until the end of 14 Dec there. Every reader sees those same days, named with that zone, and the moment
it closes in their own zone; nobody's screen shows 13 or 15 Dec for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from prm_app.platform.zones import zone_named

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
TITLE_MAX = 120
QUESTION_MAX = 1000
COMMENT_MAX = 2000
GROUPINGS = ("tier", "partner_type", "region")


LAST_SECOND = time(23, 59, 59)  # a survey closes at the end of its last day (closes_at itself is excluded)


def day_label(on: date) -> str:
    """A day as the notifications write it: "14 Dec 2026" (the one style of prm_app/web/format.py)."""
    return on.strftime("%-d %b %Y")


def survey_window(opens_on: date, closes_on: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The moments a survey chosen as "from `opens_on` to `closes_on`" opens and closes: 00:00 on the first day and
    23:59:59 on the last, both read in `zone` (its clocks' offset on each day, so across a DST change too)."""
    return datetime.combine(opens_on, time(0), tzinfo=zone), datetime.combine(closes_on, LAST_SECOND, tzinfo=zone)


def survey_day(at: datetime, zone_name: str) -> date:
    """The calendar day `at` falls on in the survey's zone (UTC for a name the tz database does not know)."""
    return at.astimezone(zone_named(zone_name)).date()


def survey_status(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """'scheduled' before it opens, 'open' from opens_at (included) to closes_at (excluded), then 'closed'."""
    if now < opens_at:
        return "scheduled"
    return "open" if now < closes_at else "closed"


def nps_value(promoters: int, detractors: int, responses: int) -> float | None:
    if not responses:
        return None
    # Decimal with half-up so 0.05 rounds the way a person expects, on every platform.
    value = Decimal(promoters - detractors) * 100 / Decimal(responses)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def nps_score(scores: Iterable[int]) -> float | None:
    """% promoters (9–10) minus % detractors (0–6), rounded to one decimal; None when there are no answers.

    Raises ValueError for a score outside 0..10 (it could only come from a bug, never from a partner).
    """
    promoters = detractors = responses = 0
    for score in scores:
        if not 0 <= score <= 10:
            raise ValueError(f"NPS scores run from 0 to 10, not {score!r}")
        responses += 1
        promoters += score >= PROMOTER_MIN
        detractors += score <= DETRACTOR_MAX
    return nps_value(promoters, detractors, responses)


@dataclass(frozen=True)
class Tally:
    """Answers counted into the NPS buckets, and the NPS they give (None when there are no answers)."""

    nps: float | None
    responses: int
    promoters: int
    passives: int
    detractors: int


def tally(responses: int | None, promoters: int | None, detractors: int | None) -> Tally:
    """The tally of `responses` answers of which `promoters` are 9–10 and `detractors` 0–6 (NULL sums count 0);
    passives are the rest."""
    responses, promoters, detractors = int(responses or 0), int(promoters or 0), int(detractors or 0)
    return Tally(
        nps=nps_value(promoters, detractors, responses),
        responses=responses,
        promoters=promoters,
        passives=responses - promoters - detractors,
        detractors=detractors,
    )


NO_ANSWERS = tally(0, 0, 0)
