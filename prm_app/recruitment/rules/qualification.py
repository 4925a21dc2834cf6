"""The qualification score, a pure rule: the sum of five criteria, each worth at most its weight (the managers'
setting):
- revenue band: the band's share of the weight (under 1M: 0, 1-5M: 1/4, 5-20M: 1/2, 20-100M: 3/4, over 100M: all);
- vertical fit: half the weight per vertical the vendor targets (two or more: all);
- coverage gap: all of it where no partner works in the country yet, half for 1-2 partners, a quarter for 3-5, none
  from 6 (counted from the existing partner organizations);
- certified staff: a fifth per certified person, all from 5;
- competitor relationships: all when the company carries no competing vendor, half for one, none for more.
Points are whole numbers (rounded half up). A reviewer may set a criterion's points (0..weight) with a note; the
latest adjustment replaces the computed points and the reason shows both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from prm_app.recruitment.rules.application import REVENUE_BANDS, VERTICALS

CRITERIA = {
    "revenue_band": "Revenue band", "vertical_fit": "Vertical fit", "coverage_gap": "Coverage gap",
    "certified_staff": "Certified staff", "competitors": "Competitor relationships",
}  # fmt: skip
DEFAULT_WEIGHTS = {"revenue_band": 20, "vertical_fit": 25, "coverage_gap": 25, "certified_staff": 15, "competitors": 15}
WEIGHT_MAX = 100
_BAND_SHARE = {"under_1m": 0, "1m_5m": 0.25, "5m_20m": 0.5, "20m_100m": 0.75, "over_100m": 1}


@dataclass(frozen=True)
class CriterionSetting:
    key: str
    weight: int
    items: tuple[str, ...] = ()  # target verticals (vertical_fit), competing vendors (competitors)


@dataclass(frozen=True)
class Facts:
    """What the score is computed from: the application's answers and the partners already in its country."""

    revenue_band: str
    verticals: tuple[str, ...]
    country_name: str
    partners_in_country: int
    certified_staff: int
    vendors: tuple[str, ...]


@dataclass(frozen=True)
class Adjustment:
    criterion: str
    points: int
    note: str
    by: str
    at: datetime


@dataclass(frozen=True)
class CriterionScore:
    key: str
    label: str
    points: int  # what counts: the adjustment's when there is one
    weight: int
    reason: str  # why the computed points are what they are
    computed: int
    adjustment: Adjustment | None = None


def _share(weight: int, share: float) -> int:
    return int((Decimal(weight) * Decimal(str(share))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def criterion_points(key: str, weight: int, items: tuple[str, ...], facts: Facts) -> tuple[int, str]:
    """The computed points of one criterion (0..weight) and the reason, in words."""
    if key == "revenue_band":
        band = REVENUE_BANDS.get(facts.revenue_band, "unknown")
        return _share(weight, _BAND_SHARE.get(facts.revenue_band, 0)), f"Annual revenue {band}."
    if key == "vertical_fit":
        targets = {t.lower() for t in items}
        fit = [VERTICALS.get(v, v) for v in facts.verticals if {v, VERTICALS.get(v, v).lower()} & targets]
        if not fit:
            return 0, "None of the verticals it sells into is one we target."
        return _share(weight, min(1, len(fit) / 2)), f"Sells into {', '.join(fit)}, which we target."
    if key == "coverage_gap":
        n = facts.partners_in_country
        share = 1 if n == 0 else 0.5 if n <= 2 else 0.25 if n <= 5 else 0
        where = facts.country_name
        return _share(weight, share), (
            f"No partner in {where} yet." if n == 0 else f"{_plural(n, 'partner')} already in {where}."
        )
    if key == "certified_staff":
        n = facts.certified_staff
        return _share(weight, min(1, n / 5)), "1 certified person." if n == 1 else f"{n} certified people."
    if key == "competitors":
        competing = {c.lower() for c in items}
        found = [v for v in facts.vendors if v.lower() in competing]
        if not found:
            carried = f"Carries {', '.join(facts.vendors)}; none competes." if facts.vendors else "Carries no vendor."
            return weight, carried
        share = 0.5 if len(found) == 1 else 0
        return _share(weight, share), f"Carries {', '.join(found)}, which compete{'s' if len(found) == 1 else ''}."
    raise KeyError(key)


def score(
    facts: Facts, settings: Sequence[CriterionSetting], adjustments: Sequence[Adjustment] = ()
) -> list[CriterionScore]:
    """Every criterion's points and reason, in the order of CRITERIA; the latest adjustment of a criterion (by
    time, in the order given for equal times) replaces its computed points."""
    by_key = {s.key: s for s in settings}
    latest: dict[str, Adjustment] = {}
    for given in sorted(adjustments, key=lambda a: a.at):
        latest[given.criterion] = given
    out = []
    for key, label in CRITERIA.items():
        setting = by_key.get(key, CriterionSetting(key, DEFAULT_WEIGHTS[key]))
        computed, reason = criterion_points(key, setting.weight, setting.items, facts)
        adj = latest.get(key)
        points = min(max(adj.points, 0), setting.weight) if adj else computed
        out.append(CriterionScore(key, label, points, setting.weight, reason, computed, adj))
    return out


def total(scores: Sequence[CriterionScore]) -> int:
    return sum(s.points for s in scores)


def check_adjustment(points: str, note: str, weight: int) -> tuple[int, str]:
    """A reviewer's points (a whole number 0..weight) and note (required); raises ValueError(field, message)."""
    text = (points or "").strip()
    if not text.isdigit() or int(text) > weight:
        raise ValueError("points", f"Give points from 0 to {weight}.")
    note = (note or "").strip()
    if not note:
        raise ValueError("note", "Say why you adjust the points: the note is kept with them.")
    if len(note) > 1000:
        raise ValueError("note", "Keep the note to 1000 characters or fewer.")
    return int(text), note
