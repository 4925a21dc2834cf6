"""Lead routing: eligibility filters and why nobody qualified, the weighted score and its reasons word for word,
deterministic tie-breaks, capacity consumed in queue order, and the vectorized router equal to the plain loop on
random worlds. Pure functions: no database."""

from __future__ import annotations

import ast
import math
import random
from dataclasses import replace
from pathlib import Path

import pytest

from prm_app.leads import routing
from prm_app.leads.routing import (
    EARTH_RADIUS_KM,
    LeadFacts,
    PartnerCandidate,
    Proposal,
    Weights,
    haversine_km,
    naive_route_many,
    route_lead,
    route_many,
)

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # along a meridian
SECURITY, BACKUP = 7, 8
NAMES = {SECURITY: "Security Suite", BACKUP: "Backup Pro"}


def partner(partner_id: int = 1, **changes) -> PartnerCandidate:
    base = PartnerCandidate(
        partner_id=partner_id,
        name=f"Partner {partner_id}",
        countries=frozenset({"PT"}),
        lat=0.0,
        lon=0.0,
        verticals=frozenset(),
        certified_products=frozenset(),
        capacity=10,
        load=0,
        tier_rank=1,
        tier_name="Silver",
        acceptance_rate=None,
        win_rate=None,
        median_response_hours=None,
    )
    return replace(base, **changes)


def lead(lead_id: int = 100, **changes) -> LeadFacts:
    base = LeadFacts(
        lead_id=lead_id,
        country="PT",
        lat=0.0,
        lon=0.0,
        vertical="",
        product_ids=frozenset(),
        certification_required=False,
    )
    return replace(base, **changes)


def via_route_many(one_lead, partners, weights=Weights(), product_names=None) -> Proposal:
    return route_many([one_lead], partners, weights, product_names)[0]


# Every single-lead check runs through both routers.
ROUTERS = pytest.mark.parametrize("route", [route_lead, via_route_many], ids=["route_lead", "route_many"])


# ---- distance ----


def test_haversine_known_distances():
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(344, rel=0.01)  # Paris - London
    assert haversine_km(40.7128, -74.0060, 34.0522, -118.2437) == pytest.approx(3936, rel=0.01)  # NYC - LA
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM, rel=1e-12)  # antipodes
    assert haversine_km(38.72, -9.14, 38.72, -9.14) == 0.0
    assert haversine_km(10, 20, -30, 40) == haversine_km(-30, 40, 10, 20)


def test_haversine_matches_the_textbook_formula():
    rng = random.Random(7)
    for _ in range(2000):
        lat1, lat2 = rng.uniform(-90, 90), rng.uniform(-90, 90)
        lon1, lon2 = rng.uniform(-180, 180), rng.uniform(-180, 180)
        p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
        hav = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        textbook = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(hav))
        assert haversine_km(lat1, lon1, lat2, lon2) == pytest.approx(textbook, rel=1e-9, abs=1e-6)


# ---- filters and why nobody qualified ----


@ROUTERS
def test_no_partner_serves_the_country(route):
    proposal = route(lead(country="pt"), [partner(countries=frozenset({"ES"}))])
    assert proposal == Proposal(100, None, "", 0.0, (), (), "no partner serves PT")
    assert route(lead(country=" "), [partner()]).no_match_reason == "the lead has no country"
    assert route(lead(), []).no_match_reason == "no partner serves PT"


@ROUTERS
def test_partners_at_capacity_are_skipped(route):
    full = [partner(i, capacity=3, load=3) for i in (1, 2, 3, 4)]
    assert route(lead(), full).no_match_reason == "all 4 partners serving PT are at capacity"
    assert route(lead(), [partner(capacity=0)]).no_match_reason == "the only partner serving PT is at capacity"
    assert route(lead(), [*full, partner(9, capacity=3, load=2)]).partner_id == 9


@ROUTERS
def test_a_partner_that_declined_never_gets_the_lead_again(route):
    declined = lead(declined_by=frozenset({1, 2, 77}))
    assert route(declined, [partner(1)]).no_match_reason == "the only partner serving PT declined it"
    assert route(declined, [partner(1), partner(2)]).no_match_reason == "the only 2 partners serving PT declined it"
    assert route(declined, [partner(1, tier_rank=3), partner(3)]).partner_id == 3


@ROUTERS
def test_certification_required_for_all_the_leads_products(route):
    needs = lead(product_ids=frozenset({SECURITY}), certification_required=True)
    uncertified = [partner(1), partner(2, certified_products=frozenset({BACKUP}))]
    assert route(needs, uncertified, product_names=NAMES).no_match_reason == (
        "no partner serving PT is certified for Security Suite"
    )
    assert route(needs, uncertified).no_match_reason == "no partner serving PT is certified for product 7"
    both = replace(needs, product_ids=frozenset({SECURITY, BACKUP}))
    half = [partner(1, certified_products=frozenset({SECURITY}))]
    assert route(both, half, product_names=NAMES).no_match_reason == (
        "no partner serving PT is certified for Security Suite and Backup Pro"
    )
    assert route(both, [*half, partner(2, certified_products=frozenset({7, 8, 9}))]).partner_id == 2
    assert route(replace(both, certification_required=False), half).partner_id == 1


@ROUTERS
def test_mixed_exclusions_are_counted_once_each_permanent_reasons_first(route):
    needs = lead(product_ids=frozenset({SECURITY}), certification_required=True, declined_by=frozenset({1}))
    partners = [
        partner(1, capacity=0),  # declined, also full: counted as declined
        partner(2, capacity=0),  # not certified, also full: counted as not certified
        partner(3, capacity=1, load=1, certified_products=frozenset({SECURITY})),
        partner(4, capacity=2, load=5, certified_products=frozenset({SECURITY})),
    ]
    assert route(needs, partners, product_names=NAMES).no_match_reason == (
        "of the 4 partners serving PT: 1 declined it, 1 is not certified for Security Suite, 2 are at capacity"
    )


# ---- score and reasons ----


@ROUTERS
def test_reasons_and_score_word_for_word(route):
    gold = partner(
        5,
        name="Lisbon Systems",
        lat=312.0 / KM_PER_DEGREE,
        verticals=frozenset({"Healthcare", "retail"}),
        capacity=10,
        load=3,
        tier_rank=2,
        tier_name="Gold",
        acceptance_rate=0.82,
        win_rate=0.40,
        median_response_hours=6.0,
    )
    proposal = route(lead(vertical="Healthcare "), [gold])
    assert proposal.reasons == ("312 km away", "healthcare vertical", "Gold tier", "accepts 82% in 6 h, wins 40%",
                                "3/10 capacity used")  # fmt: skip
    # 0.3 / (1 + 0.312) + 0.2 * 1 + 0.15 * 2/3 + 0.2 * (0.82 + 0.40 + 1 / (1 + 6/24)) / 3 + 0.15 * (1 - 3/10) = 0.7683
    assert (proposal.partner_id, proposal.partner_name, proposal.score) == (5, "Lisbon Systems", 76.8)
    assert proposal.runner_up_ids == () and proposal.no_match_reason == ""


@ROUTERS
def test_reason_variants(route):
    def reasons(one_lead=lead(), **changes):
        return route(one_lead, [partner(**changes)]).reasons

    assert reasons(lat=None, lon=None) == (
        "distance unknown",
        "Silver tier",
        "no track record yet",
        "0/10 capacity used",
    )
    assert reasons(lead(lat=None, lon=None))[0] == "distance unknown"
    assert reasons(lat=0.001)[0] == "under 1 km away"
    assert reasons(lat=1204.0 / KM_PER_DEGREE)[0] == "1,204 km away"
    assert reasons(lead(vertical="retail"), verticals=frozenset({"healthcare"}))[1] == "Silver tier"
    assert reasons(tier_rank=3, tier_name="")[1] == "Platinum tier"
    assert reasons(acceptance_rate=0.5)[2] == "accepts 50%"
    assert reasons(median_response_hours=30.4)[2] == "responds in 30 h"
    assert reasons(win_rate=0.125)[2] == "wins 13%"
    assert reasons(acceptance_rate=1.0, median_response_hours=0.2)[2] == "accepts 100% in under 1 h"


def test_components_at_their_extremes():
    best = partner(tier_rank=3, verticals=frozenset({"x"}), acceptance_rate=1.0, win_rate=1.0, median_response_hours=0)
    assert route_lead(lead(vertical="x"), [best]).score == 100.0
    worst = partner(lat=0, lon=180, tier_rank=0, acceptance_rate=0.0, win_rate=0.0, capacity=4, load=3)
    # distance 1 / (1 + 20015 / 1000) = 0.0476; speed unknown; load 1/4
    assert route_lead(lead(lat=0, lon=0), [worst]).score == pytest.approx(100 * (0.3 * 0.0476 + 0.15 * 0.25), abs=0.1)
    unknown = partner(lat=None, lon=None, tier_rank=0, capacity=1)
    assert route_lead(lead(), [unknown]).score == 100 * (0.3 * 0.5 + 0.2 * 0.5 + 0.15 * 1.0)


@ROUTERS
def test_weights_change_the_winner(route):
    near_registered = partner(1, lat=0.5, tier_rank=0, tier_name="Registered")
    far_platinum = partner(2, lat=20.0, tier_rank=3, tier_name="Platinum")
    assert route(lead(), [near_registered, far_platinum]).partner_id == 1
    tier_first = Weights(distance=0.1, tier=0.5)
    assert route(lead(), [near_registered, far_platinum], tier_first).partner_id == 2
    assert route(lead(), [near_registered, far_platinum], Weights(distance_scale_km=100_000)).partner_id == 2


@ROUTERS
def test_a_tier_weight_counts_on_the_ranks_scale_and_is_explained(route):
    silver = partner(1, tier_rank=1, tier_name="Silver")
    gold_weighted = partner(2, tier_rank=2, tier_name="Gold", tier_weight=2.0)
    gold_rank = partner(2, tier_rank=2, tier_name="Gold")
    assert route(lead(), [gold_weighted]).score == route(lead(), [gold_rank]).score  # weight 2 = Gold's rank
    assert route(lead(), [silver, gold_weighted]).reasons[1] == "Gold tier weight 2"
    assert route(lead(), [gold_rank]).reasons[1] == "Gold tier"
    # A Silver partner whose tier gives weight 3 outranks a Gold one with the same record; weights past 3 count as 3.
    boosted = partner(1, tier_rank=1, tier_name="Silver", tier_weight=3.0)
    assert route(lead(), [boosted, gold_rank]).partner_id == 1
    assert route(lead(), [replace(boosted, tier_weight=9.0)]).score == route(lead(), [boosted]).score
    assert route(lead(), [replace(boosted, tier_weight=1.5)]).reasons[1] == "Silver tier weight 1.5"
    with pytest.raises(ValueError, match="tier_weight"):
        partner(tier_weight=-1.0)


def test_weights_are_checked():
    for bad in ({"tier": -0.1}, {"load": math.nan}, {"distance_scale_km": 0}):
        with pytest.raises(ValueError):
            Weights(**bad)
    with pytest.raises(ValueError, match="all be zero"):
        Weights(0, 0, 0, 0, 0)
    only_ratios = Weights(3.0, 2.0, 1.5, 2.0, 1.5)
    candidates = [partner(1, lat=1.0, tier_rank=2), partner(2, lat=3.0, capacity=50, load=49)]
    assert route_lead(lead(), candidates, only_ratios) == route_lead(lead(), candidates)


def test_profiles_are_checked_and_normalized():
    for bad in ({"capacity": -1}, {"load": -1}, {"tier_rank": 4}, {"win_rate": 1.5}, {"median_response_hours": -1},
                {"lat": None}, {"lat": 91.0}, {"lon": 181.0}):  # fmt: skip
        with pytest.raises(ValueError):
            partner(**bad)
    with pytest.raises(ValueError):
        lead(lon=None)
    with pytest.raises(ValueError, match="unique"):
        route_many([lead()], [partner(1), partner(1)])
    assert partner(countries={" pt", "es", ""}, verticals={" Retail"}).countries == frozenset({"PT", "ES"})
    assert partner(verticals={" Retail", ""}).verticals == frozenset({"retail"})


# ---- ties ----


@ROUTERS
def test_ties_break_on_lower_load_then_lower_partner_id(route):
    twins = [partner(i) for i in (8, 3, 5)]
    assert route(lead(), twins).partner_id == 3
    assert route(lead(), twins).runner_up_ids == (5, 8)
    assert route(lead(), list(reversed(twins))) == route(lead(), twins)
    # same score (90 % capacity left on both), fewer leads on 9: it wins over the lower id
    assert route(lead(), [partner(2, capacity=20, load=2), partner(9, capacity=10, load=1)]).partner_id == 9


@ROUTERS
def test_scores_are_rounded_before_comparing(route):
    slightly_nearer = partner(6, lat=100.0 / KM_PER_DEGREE)
    slightly_farther = partner(4, lat=100.3 / KM_PER_DEGREE)
    proposal = route(lead(), [slightly_nearer, slightly_farther])
    assert route(lead(), [slightly_nearer]).score == route(lead(), [slightly_farther]).score
    assert (proposal.partner_id, proposal.runner_up_ids) == (4, (6,))


@ROUTERS
def test_runners_up_are_the_next_three_in_order(route):
    partners = [partner(i, lat=i / 10) for i in range(1, 7)]
    proposal = route(lead(), partners)
    assert (proposal.partner_id, proposal.runner_up_ids) == (1, (2, 3, 4))


# ---- queue order and capacity ----


def test_route_many_consumes_capacity_in_queue_order():
    near = partner(1, capacity=2, load=0, countries=frozenset({"DE", "AT"}))
    far = partner(2, lat=5.0, countries=frozenset({"DE", "AT"}))
    queue = [lead(10, country="DE"), lead(11, country="AT"), lead(12, country="DE"), lead(13, country="ES")]
    for router in (route_many, naive_route_many):
        proposals = router(queue, [near, far])
        assert [p.partner_id for p in proposals] == [1, 1, 2, None]
        assert proposals[0].reasons[-1] == "0/2 capacity used"
        assert proposals[1].reasons[-1] == "1/2 capacity used"
        assert proposals[2].runner_up_ids == ()  # 1 is full now
        assert proposals[3].no_match_reason == "no partner serves ES"
    assert near.load == 0  # the inputs are untouched
    assert route_many(queue, [near, far]) == route_many(queue, [far, near])


# ---- the vectorized router is the plain loop, bit for bit ----


def random_world(seed: int, n_partners: int = 300, n_leads: int = 500):
    rng = random.Random(seed)
    countries = ["PT", "ES", "FR", "DE", "US", "BR", "AU", "JP"]
    verticals = ["healthcare", "retail", "finance", "manufacturing", "education"]

    def point():
        if rng.random() < 0.1:
            return None, None
        if rng.random() < 0.2:  # anywhere on Earth: exercises the far-distance branch
            return rng.uniform(-90, 90), rng.uniform(-180, 180)
        return round(rng.uniform(30, 50), 1), round(rng.uniform(-10, 10), 1)  # coarse: provokes ties

    def rate():
        return None if rng.random() < 0.2 else round(rng.random(), 2)

    partners = []
    for partner_id in rng.sample(range(1, 10_000), n_partners):
        lat, lon = point()
        capacity = rng.randint(0, 6)
        partners.append(PartnerCandidate(
            partner_id, f"P{partner_id}", frozenset(rng.sample(countries, rng.randint(1, 3))), lat, lon,
            frozenset(rng.sample(verticals, rng.randint(0, 2))), frozenset(rng.sample(range(1, 6), rng.randint(0, 3))),
            capacity, rng.randint(0, capacity), rng.randint(0, 3), "", rate(), rate(),
            None if rng.random() < 0.2 else rng.choice([0.5, 2.0, 6.0, 24.0, 72.0]),
            None if rng.random() < 0.5 else rng.choice([0.0, 1.0, 2.0, 2.5, 4.0]),
        ))  # fmt: skip
    ids = [p.partner_id for p in partners]
    leads = []
    for lead_id in range(n_leads):
        lat, lon = point()
        leads.append(LeadFacts(
            lead_id, rng.choice([*countries, "PT", "US", "IT"]), lat, lon, rng.choice(["", *verticals]),
            frozenset(rng.sample(range(1, 6), rng.randint(0, 2))), rng.random() < 0.3,
            frozenset(rng.sample(ids, rng.randint(0, 30))) if rng.random() < 0.2 else frozenset(),
        ))  # fmt: skip
    return leads, partners


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("chunk_cells", [routing._CHUNK_CELLS, 7], ids=["one_block", "many_blocks"])
def test_route_many_equals_the_naive_loop(seed, chunk_cells, monkeypatch):
    monkeypatch.setattr(routing, "_CHUNK_CELLS", chunk_cells)
    leads, partners = random_world(seed)
    weights = Weights() if seed % 2 else Weights(0.5, 0.1, 0.1, 0.1, 0.2, distance_scale_km=300)
    fast = route_many(leads, partners, weights, NAMES)
    assert fast == naive_route_many(leads, partners, weights, NAMES)
    assert fast == route_many(leads, partners, weights, NAMES)  # same inputs, same output
    # the world exercises what it should: matches, every kind of no-match, capacity running out, ties, runners-up
    whys = " | ".join(p.no_match_reason for p in fast)
    assert sum(p.partner_id is not None for p in fast) > 200
    for words in ("no partner serves IT", "at capacity", "not certified", "declined", "of the"):
        assert words in whys
    assert any(p.partner_id is not None and "distance unknown" in p.reasons for p in fast)
    assert any(len(p.runner_up_ids) == 3 for p in fast)


def test_the_module_is_pure():
    """Routing and its data model import only the standard library, numpy and each other."""
    from prm_app.leads import routing_model

    imported = set()
    for module in (routing, routing_model):
        for node in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
    allowed = {"__future__", "math", "collections.abc", "dataclasses", "numpy", "prm_app.leads.routing_model"}
    assert imported <= allowed, imported - allowed
