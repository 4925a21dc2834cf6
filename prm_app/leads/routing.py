"""Lead routing: which partner should get a lead, and why.

Pure rules on plain data (stdlib + numpy, no database): the caller loads a PartnerCandidate per active partner
(regions expanded to countries, performance computed from history) and a LeadFacts per lead, in queue order.

Eligible: serves the lead's country, has not declined (or let expire) this lead, is certified for every product
of the lead when the lead requires it, and has load < capacity. Each component of the score is in 0..1:

    component    value                                                        neutral when unknown
    distance     1 / (1 + km / distance_scale_km): 1 next door, 1/2 at the scale  0.5  (either side lacks lat/lon)
    vertical     1 if the lead's vertical is one of the partner's, else 0         0    (lead vertical "")
    tier         tier_rank / 3, or min(tier_weight, 3) / 3 when the tier gives a lead-routing weight (its benefit)
    performance  mean of the known ones of acceptance rate, win rate and
                 response speed 1 / (1 + hours / 24)                              0.5  (no history at all)
    load         1 - load / capacity

score = 100 * (sum of weight * component) / (sum of weights), rounded half up to one decimal *before* comparing.
Distance decays as 1/(1 + km/scale), not exp(-km/scale): its long tail still tells 3,000 km from 6,000 km in wide
countries (US, BR, AU), where exp is already ~0. The proposal is the best eligible partner: higher score, then
lower current load, then lower partner_id; the next three in that order are the runners-up. Reasons come in a
fixed order: distance, vertical (only when it matches), tier, track record, capacity used before this lead.

`route_many` (vectorized: partners indexed by country once, numpy per lead) and `naive_route_many` / `route_lead`
(a plain Python loop over every partner) return equal Proposals for equal inputs, bit for bit: both compute every
float with the same IEEE operations in the same order. + - * / and sqrt are correctly rounded in numpy and Python
alike; sin/cos are taken once per point with `math` in both paths; the great-circle arcsine is fdlibm's rational
approximation written with + - * / (np.arcsin and math.asin disagree in the last bit on AVX-512 machines).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from prm_app.leads.routing_model import TIER_MAX, TIER_NAMES, LeadFacts, PartnerCandidate, Proposal, Weights, require

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
RESPONSE_HALF_SCORE_HOURS = 24.0  # a partner answering in 24 h gets half the speed score
NEUTRAL = 0.5
RUNNERS_UP = 3

_TWO_R = 2.0 * EARTH_RADIUS_KM
_HALF_PI = math.pi / 2
_CHUNK_CELLS = 1 << 16  # leads x partners scored per numpy block: bounds memory in countries every partner serves
# fdlibm e_asin.c: asin(x) = x + x * P(x^2) / Q(x^2) for |x| <= 0.5, within 1 ulp.
_P = (1.66666666666666657415e-01, -3.25565818622400915405e-01, 2.01212532134862925881e-01,
      -4.00555345006794114027e-02, 7.91534994289814532176e-04, 3.47933107596021167570e-05)  # fmt: skip
_Q = (-2.40339491173441421878e00, 2.02094576023350569471e00, -6.88283971605453293030e-01, 7.70381505559019352791e-02)
# numpy columns, typed through np.typing (this module imports only math, collections.abc and numpy)
_Floats = np.typing.NDArray[np.float64]
_Flags = np.typing.NDArray[np.bool_]


def _xyz(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _unit(lat: float | None, lon: float | None) -> tuple[float, float, float] | None:
    return None if lat is None or lon is None else _xyz(lat, lon)


def _asin_small(x: float) -> float:  # x in 0..0.5
    t = x * x
    p = t * (_P[0] + t * (_P[1] + t * (_P[2] + t * (_P[3] + t * (_P[4] + t * _P[5])))))
    q = 1.0 + t * (_Q[0] + t * (_Q[1] + t * (_Q[2] + t * _Q[3])))
    return x + x * (p / q)


def _asin_small_block(x: _Floats) -> _Floats:
    """_asin_small on every element: the very same expression (two typed copies, since the module imports nothing
    to type one function for both floats and arrays; the routing equivalence tests hold them equal)."""
    t = x * x
    p = t * (_P[0] + t * (_P[1] + t * (_P[2] + t * (_P[3] + t * (_P[4] + t * _P[5])))))
    q = 1.0 + t * (_Q[0] + t * (_Q[1] + t * (_Q[2] + t * _Q[3])))
    return x + x * (p / q)


def _km(u: tuple[float, float, float], v: tuple[float, float, float]) -> float:
    # haversine: hav(angle) = (chord / 2)^2, so angle = 2 asin(chord / 2); the chord is exact to a few ulp
    dx, dy, dz = u[0] - v[0], u[1] - v[1], u[2] - v[2]
    s = min(math.sqrt(dx * dx + dy * dy + dz * dz) * 0.5, 1.0)
    half_angle = _asin_small(s) if s < 0.5 else _HALF_PI - 2.0 * _asin_small(math.sqrt((1.0 - s) * 0.5))
    return _TWO_R * half_angle


def _km_block(dx: _Floats, dy: _Floats, dz: _Floats) -> _Floats:
    s = np.minimum(np.sqrt(dx * dx + dy * dy + dz * dz) * 0.5, 1.0)
    half_angle = _asin_small_block(s)
    far = s >= 0.5
    if far.any():
        half_angle[far] = _HALF_PI - 2.0 * _asin_small_block(np.sqrt((1.0 - s[far]) * 0.5))
    return _TWO_R * half_angle


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points in degrees, on a sphere of radius EARTH_RADIUS_KM (within
    ~0.5 % of the real ellipsoid). Symmetric, 0 for the same point, exact to about 1e-15 relative."""
    return _km(_xyz(lat1, lon1), _xyz(lat2, lon2))


def _performance(p: PartnerCandidate) -> float:
    hours = p.median_response_hours
    speed = None if hours is None else 1.0 / (1.0 + hours / RESPONSE_HALF_SCORE_HOURS)
    known = [x for x in (p.acceptance_rate, p.win_rate, speed) if x is not None]
    total = 0.0
    for x in known:  # not sum(): its float algorithm changed in Python 3.12
        total += x
    return total / len(known) if known else NEUTRAL


def _tier_share(p: PartnerCandidate) -> float:
    return (p.tier_rank if p.tier_weight is None else min(p.tier_weight, float(TIER_MAX))) / TIER_MAX


def _static_part(p: PartnerCandidate, w: Weights) -> float:
    return w.tier * _tier_share(p) + w.performance * _performance(p)


def _load_part(load: int, capacity: int, w: Weights) -> float:
    return w.load * (1.0 - load / capacity) if capacity > 0 else 0.0  # capacity 0 is never eligible


def _tenths(distance: float, vertical: float, static: float, load_part: float, w: Weights) -> int:
    total = ((w.distance * distance + w.vertical * vertical) + static) + load_part
    return math.floor(total * (1000.0 / w._sum) + 0.5)


def _track_record(p: PartnerCandidate) -> str:
    hours = p.median_response_hours
    time = "" if hours is None else " in under 1 h" if hours < 0.5 else f" in {math.floor(hours + 0.5)} h"
    parts = []
    if p.acceptance_rate is not None:
        parts.append(f"accepts {math.floor(p.acceptance_rate * 100 + 0.5)}%{time}")  # "accepts 82% in 6 h"
    elif time:
        parts.append(f"responds{time}")
    if p.win_rate is not None:
        parts.append(f"wins {math.floor(p.win_rate * 100 + 0.5)}%")
    return ", ".join(parts) or "no track record yet"


def _reasons(lead: LeadFacts, p: PartnerCandidate, load: int, km: float | None) -> tuple[str, ...]:
    distance = (
        "distance unknown" if km is None else "under 1 km away" if km < 0.5 else f"{math.floor(km + 0.5):,} km away"
    )
    vertical = [f"{lead.vertical} vertical"] if lead.vertical and lead.vertical in p.verticals else []
    tier = f"{p.tier_name.strip() or TIER_NAMES[p.tier_rank]} tier"
    if p.tier_weight is not None:  # "Gold tier weight 2": the weight its tier's benefit gives
        tier += f" weight {p.tier_weight:g}"
    return (distance, *vertical, tier, _track_record(p), f"{load}/{p.capacity} capacity used")


def _products(ids: frozenset[int], names: Mapping[int, str]) -> str:
    words = [names.get(i) or f"product {i}" for i in sorted(ids)]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _no_match(
    lead: LeadFacts, serving: int, declined: int, uncertified: int, full: int, names: Mapping[int, str] | None
) -> Proposal:
    """Each serving partner is counted under the first filter it fails: declined, then not certified (both final
    for this lead), then at capacity (which passes), so "at capacity" is said only when waiting could help."""
    c, n, products = lead.country, serving, _products(lead.product_ids, names or {})
    only = f"the only partner serving {c}" if n == 1 else f"the only {n} partners serving {c}"
    if not c:
        why = "the lead has no country"
    elif n == 0:
        why = f"no partner serves {c}"
    elif declined == n:
        why = f"{only} declined it"
    elif uncertified == n:
        why = f"no partner serving {c} is certified for {products}"
    elif full == n:
        why = f"{only} is at capacity" if n == 1 else f"all {n} partners serving {c} are at capacity"
    else:
        parts = [f"{declined} declined it"] if declined else []
        for k, what in ((uncertified, f"not certified for {products}"), (full, "at capacity")):
            parts += [f"{k} {'is' if k == 1 else 'are'} {what}"] if k else []
        why = f"of the {n} partners serving {c}: " + ", ".join(parts)
    return Proposal(lead.lead_id, None, "", 0.0, (), (), why)


def _proposal(lead: LeadFacts, ranked: list[tuple[int, int, int, PartnerCandidate, float | None]]) -> Proposal:
    """The first of `ranked` (-tenths, load, partner_id, partner, km) proposed, the next ones as runners-up."""
    minus_tenths, load, _, best, km = ranked[0]
    runners = tuple(r[2] for r in ranked[1 : RUNNERS_UP + 1])
    return Proposal(
        lead.lead_id, best.partner_id, best.name, -minus_tenths / 10, _reasons(lead, best, load, km), runners
    )


def _check_partners(partners: Sequence[PartnerCandidate]) -> None:
    require(len({p.partner_id for p in partners}) == len(partners), "partner ids must be unique")


def _route_naive(
    lead: LeadFacts,
    partners: Sequence[PartnerCandidate],
    loads: Mapping[int, int],
    w: Weights,
    names: Mapping[int, str] | None,
) -> Proposal:
    serving = declined = uncertified = full = 0
    lead_unit = _unit(lead.lat, lead.lon)
    ranked = []  # (-tenths, load, partner_id, partner, km): sorted, the best comes first (ids are unique)
    for p in partners:
        if not lead.country or lead.country not in p.countries:
            continue
        serving += 1
        load = loads[p.partner_id]
        if p.partner_id in lead.declined_by:
            declined += 1
        elif lead.certification_required and not lead.product_ids <= p.certified_products:
            uncertified += 1
        elif load >= p.capacity:
            full += 1
        else:
            unit = _unit(p.lat, p.lon)
            km = None if lead_unit is None or unit is None else _km(lead_unit, unit)
            distance = NEUTRAL if km is None else 1.0 / (1.0 + km / w.distance_scale_km)
            vertical = 1.0 if lead.vertical and lead.vertical in p.verticals else 0.0
            tenths = _tenths(distance, vertical, _static_part(p, w), _load_part(load, p.capacity, w), w)
            ranked.append((-tenths, load, p.partner_id, p, km))
    if not ranked:
        return _no_match(lead, serving, declined, uncertified, full, names)
    return _proposal(lead, sorted(ranked))


def route_lead(lead: LeadFacts, partners: Sequence[PartnerCandidate], weights: Weights = Weights(),
               product_names: Mapping[int, str] | None = None) -> Proposal:  # fmt: skip
    """The proposal for one lead at the partners' current loads (see the module docstring). Deterministic: equal
    inputs give an equal Proposal; never changes its inputs. Raises ValueError for duplicate partner ids."""
    return naive_route_many([lead], partners, weights, product_names)[0]


def naive_route_many(leads: Sequence[LeadFacts], partners: Sequence[PartnerCandidate], weights: Weights = Weights(),
                     product_names: Mapping[int, str] | None = None) -> list[Proposal]:  # fmt: skip
    """`route_many` as a plain double loop (every lead x every partner, no index): the reference the tests hold
    `route_many` to, and the benchmark's baseline. Same guarantees and same results."""
    _check_partners(partners)
    loads = {p.partner_id: p.load for p in partners}
    proposals = []
    for lead in leads:
        proposal = _route_naive(lead, partners, loads, weights, product_names)
        if proposal.partner_id is not None:
            loads[proposal.partner_id] += 1
        proposals.append(proposal)
    return proposals


class _Country:
    """The partners serving one country, ordered by partner_id, as numpy columns; loads change as leads route."""

    def __init__(self, members: list[PartnerCandidate], w: Weights) -> None:
        self.partners = members
        self.index = {p.partner_id: i for i, p in enumerate(members)}
        units = [_unit(p.lat, p.lon) for p in members]
        self.located: _Flags = np.array([u is not None for u in units])
        self.xyz: _Floats = np.array([u or (0.0, 0.0, 0.0) for u in units]).T.reshape(3, len(members))
        self.static: _Floats = np.array([_static_part(p, w) for p in members])
        self.capacity = [p.capacity for p in members]
        self.load = [p.load for p in members]
        self.load_part: _Floats = np.array([_load_part(p.load, p.capacity, w) for p in members])
        self.open: _Flags = np.array([p.load < p.capacity for p in members])
        self._verticals: dict[str, _Floats] = {}
        self._certified: dict[frozenset[int], _Flags] = {}
        self._columns: dict[int, int]  # product -> column of _matrix; both are set by the first certified()
        self._matrix: _Flags

    def vertical(self, name: str) -> _Floats:
        if name not in self._verticals:
            self._verticals[name] = np.array([1.0 if name and name in p.verticals else 0.0 for p in self.partners])
        return self._verticals[name]

    def certified(self, products: frozenset[int]) -> _Flags:
        if not self._certified:  # first use: one partners x products matrix, then a column AND per product set
            columns = {product: j for j, product in enumerate({q for p in self.partners for q in p.certified_products})}
            self._columns, self._matrix = columns, np.zeros((len(self.partners), len(columns) + 1), bool)
            for i, p in enumerate(self.partners):
                self._matrix[i, [columns[q] for q in p.certified_products]] = True
        if products not in self._certified:  # an unknown product points at the last column, all False
            wanted = [self._columns.get(q, -1) for q in products]
            self._certified[products] = np.all(self._matrix[:, wanted], axis=1)
        return self._certified[products]

    def take(self, i: int, w: Weights) -> None:
        self.load[i] += 1
        self.load_part[i] = _load_part(self.load[i], self.capacity[i], w)
        self.open[i] = self.load[i] < self.capacity[i]


_Row = tuple[_Floats, _Floats, bool]  # (base score part, km, lead located) per partner


def _base_rows(country: _Country, leads: list[LeadFacts], w: Weights) -> Iterator[_Row]:
    """Per lead (in order): the load-independent part of every partner's score, the distances in km (meaningful
    where both sides are located) and whether the lead is located; computed a block of leads at a time."""
    step = max(1, _CHUNK_CELLS // len(country.partners))
    for start in range(0, len(leads), step):
        block = leads[start : start + step]
        units = [_unit(lead.lat, lead.lon) for lead in block]
        located = np.array([u is not None for u in units])
        lx, ly, lz = (np.array([u or (0.0, 0.0, 0.0) for u in units]).T.reshape(3, len(block)))[:, :, None]
        km = _km_block(lx - country.xyz[0], ly - country.xyz[1], lz - country.xyz[2])
        distance = np.where(located[:, None] & country.located, 1.0 / (1.0 + km / w.distance_scale_km), NEUTRAL)
        vertical = np.stack([country.vertical(lead.vertical) for lead in block])
        yield from zip(
            (w.distance * distance + w.vertical * vertical) + country.static, km, located.tolist(), strict=True
        )


def _route_indexed(lead: LeadFacts, country: _Country, row: _Row, w: Weights,
                   names: Mapping[int, str] | None) -> Proposal:  # fmt: skip
    (base, km, located), n, index = row, len(country.partners), country.index
    eligible, declined = country.open, np.zeros(n, bool)
    if lead.declined_by:
        declined[[index[partner_id] for partner_id in lead.declined_by if partner_id in index]] = True
        eligible = eligible & ~declined
    certified = country.certified(lead.product_ids) if lead.certification_required else None
    if certified is not None:
        eligible = eligible & certified
    count = int(np.count_nonzero(eligible))
    if count == 0:
        declined_count = int(np.count_nonzero(declined))
        uncertified = 0 if certified is None else int(np.count_nonzero(~certified & ~declined))
        return _no_match(lead, n, declined_count, uncertified, n - declined_count - uncertified, names)
    tenths = base + country.load_part  # the same operations, in the same order, as _tenths
    tenths *= 1000.0 / w._sum
    tenths += 0.5
    tenths = np.where(eligible, np.floor(tenths, out=tenths), -1.0)
    keep = min(count, RUNNERS_UP + 1)
    threshold = np.partition(tenths, n - keep)[n - keep]  # the keep-th best score; ties around it all stay in
    candidates = np.flatnonzero(tenths >= threshold).tolist()
    top = sorted((-int(tenths[i]), country.load[i], i) for i in candidates)[:keep]  # i follows partner_id order
    ranked = []
    for minus_tenths, load, i in top:
        p, both_located = country.partners[i], located and country.located[i]
        ranked.append((minus_tenths, load, p.partner_id, p, float(km[i]) if both_located else None))
    return _proposal(lead, ranked)


def route_many(leads: Sequence[LeadFacts], partners: Sequence[PartnerCandidate], weights: Weights = Weights(),
               product_names: Mapping[int, str] | None = None) -> list[Proposal]:  # fmt: skip
    """One proposal per lead, in the given (queue) order. Each proposal consumes one unit of its partner's
    capacity, so later leads see the raised load (the "x/y capacity used" reason is the load before the lead).
    Equal to `naive_route_many` on the same inputs, bit for bit; never changes its inputs. Raises ValueError for
    duplicate partner ids. Cost: O(partners + leads x partners serving the lead's country), vectorized."""
    _check_partners(partners)
    members: dict[str, list[PartnerCandidate]] = {}
    for p in sorted(partners, key=lambda p: p.partner_id):
        for code in p.countries:
            members.setdefault(code, []).append(p)
    countries = {code: _Country(group, weights) for code, group in members.items()}
    seats: dict[int, list[tuple[_Country, int]]] = {}  # partner_id -> where it sits in each country it serves
    for place in countries.values():
        for i, p in enumerate(place.partners):
            seats.setdefault(p.partner_id, []).append((place, i))
    queues: dict[str, list[LeadFacts]] = {}
    for lead in leads:
        if lead.country in countries:
            queues.setdefault(lead.country, []).append(lead)
    rows = {code: _base_rows(countries[code], queue, weights) for code, queue in queues.items()}
    proposals = []
    for lead in leads:
        country = countries.get(lead.country)
        if country is None:
            proposals.append(_no_match(lead, 0, 0, 0, 0, product_names))
            continue
        proposal = _route_indexed(lead, country, next(rows[lead.country]), weights, product_names)
        if proposal.partner_id is not None:
            for seat, i in seats[proposal.partner_id]:
                seat.take(i, weights)
        proposals.append(proposal)
    return proposals
