"""The plain data routing works on: a partner as a candidate (its routing profile, load and record), a lead's
facts, the weights, and a proposal. Each checks its own values on creation, so the routing code can trust them."""

from __future__ import annotations

import math
from dataclasses import dataclass

TIER_NAMES = ("Registered", "Silver", "Gold", "Platinum")
TIER_MAX = 3


def require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _check_point(lat: float | None, lon: float | None, what: str) -> None:
    require((lat is None) == (lon is None), f"{what}: lat and lon are both given or both None")
    if lat is not None and lon is not None:
        require(-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0, f"{what}: coordinates out of range")


@dataclass(frozen=True)
class PartnerCandidate:
    """What routing knows about a partner. Countries are stored stripped and upper-case, verticals stripped and
    lower-case. Raises ValueError for negative capacity or load, a tier outside 0..3, a rate outside 0..1,
    negative hours or tier weight, or half or out-of-range coordinates."""

    partner_id: int
    name: str
    countries: frozenset[str]  # ISO alpha-2 the partner serves
    lat: float | None
    lon: float | None
    verticals: frozenset[str]
    certified_products: frozenset[int]
    capacity: int  # leads per month
    load: int  # leads offered/accepted this month so far
    tier_rank: int  # 0 Registered .. 3 Platinum
    tier_name: str
    acceptance_rate: float | None  # 0..1 over history; None = no history
    win_rate: float | None
    median_response_hours: float | None
    # The tier's lead-routing weight (a tier benefit), on the tier ranks' scale: weight 2 counts as a Gold rank does.
    # None: the tier gives none, and its rank counts.
    tier_weight: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "countries", frozenset(c.strip().upper() for c in self.countries if c.strip()))
        object.__setattr__(self, "verticals", frozenset(v.strip().lower() for v in self.verticals if v.strip()))
        object.__setattr__(self, "certified_products", frozenset(self.certified_products))
        what, hours = f"partner {self.partner_id}", self.median_response_hours
        _check_point(self.lat, self.lon, what)
        require(self.capacity >= 0 and self.load >= 0, f"{what}: capacity and load must be >= 0")
        require(hours is None or hours >= 0.0, f"{what}: median_response_hours must be >= 0")
        rates = (self.acceptance_rate, self.win_rate)
        require(all(r is None or 0.0 <= r <= 1.0 for r in rates), f"{what}: rates must be in 0..1")
        require(0 <= self.tier_rank <= TIER_MAX, f"{what}: tier_rank must be in 0..{TIER_MAX}")
        weight = self.tier_weight
        require(weight is None or (math.isfinite(weight) and weight >= 0.0), f"{what}: tier_weight must be >= 0")


@dataclass(frozen=True)
class LeadFacts:
    """What routing knows about a lead. The country is stored stripped and upper-case, the vertical stripped and
    lower-case. `certification_required`: only partners certified for ALL the lead's products are eligible.
    `declined_by`: partners that declined or let this lead expire; never offered it again."""

    lead_id: int
    country: str
    lat: float | None
    lon: float | None
    vertical: str  # "" when unknown
    product_ids: frozenset[int]
    certification_required: bool
    declined_by: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", self.country.strip().upper())
        object.__setattr__(self, "vertical", self.vertical.strip().lower())
        object.__setattr__(self, "product_ids", frozenset(self.product_ids))
        object.__setattr__(self, "declined_by", frozenset(self.declined_by))
        _check_point(self.lat, self.lon, f"lead {self.lead_id}")


@dataclass(frozen=True)
class Weights:
    """How much each score component counts. Only the ratios matter (the score is divided by the sum), so the
    defaults sum to 1: closeness 30 %, vertical and track record 20 % each, tier and spare capacity 15 % each.
    `distance_scale_km`: the distance at which the distance component is 1/2. Raises ValueError for a negative
    or non-finite weight, all-zero weights, or a scale that is not > 0."""

    distance: float = 0.30
    vertical: float = 0.20
    tier: float = 0.15
    performance: float = 0.20
    load: float = 0.15
    distance_scale_km: float = 1000.0

    def __post_init__(self) -> None:
        values = (self.distance, self.vertical, self.tier, self.performance, self.load)
        require(all(math.isfinite(v) and v >= 0.0 for v in values), "weights must be finite and >= 0")
        require(self._sum > 0.0, "weights must not all be zero")
        require(math.isfinite(self.distance_scale_km) and self.distance_scale_km > 0.0, "scale must be > 0 km")

    @property
    def _sum(self) -> float:
        return (((self.distance + self.vertical) + self.tier) + self.performance) + self.load


@dataclass(frozen=True)
class Proposal:
    lead_id: int
    partner_id: int | None  # None when nobody is eligible
    partner_name: str
    score: float  # 0..100, one decimal
    reasons: tuple[str, ...]  # distance, vertical (if it matches), tier, track record, capacity used
    runner_up_ids: tuple[int, ...]  # the next best (up to 3), for the manager to pick instead
    no_match_reason: str = ""
