"""Lead routing of 10,000 queued leads over 5,000 partners (target: < 1 s of domain time).

Builds a seeded world: partners based in one of 40 countries (coordinates jittered around the capital; a few
unknown), serving their home country and up to two others, with random verticals, product certifications,
capacities, loads, tiers and track records; leads spread over the same countries (plus two nobody serves), some
requiring certification, some already declined by a partner. Then times, with `time.perf_counter`:

- `route_many` on all the leads, best of 3 (index build included: that is what a routing run pays);
- `naive_route_many`, the plain double loop, on the first N leads of the same queue (all of them when that is
  projected to take under a minute, else 1,000 scaled up linearly: its cost per lead does not depend on the
  queue position). Its proposals are compared with route_many's first N (a queue prefix routes the same).

Prints figures only; it asserts nothing. Run from the repo root: `python bench/routing.py [--leads N]
[--partners N] [--seed N]`. Results also go to bench/results/routing.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"

# Re-run under the project's venv if started with another interpreter (numpy lives there).
if (VENV_BIN / "python").exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    os.execv(str(VENV_BIN / "python"), [str(VENV_BIN / "python"), *sys.argv])  # noqa: S606  (same script, argv as given)
sys.path.insert(0, str(ROOT))  # `python bench/routing.py` puts bench/, not the repo root, on sys.path

import numpy as np  # noqa: E402

from prm_app.leads.routing import LeadFacts, PartnerCandidate, naive_route_many, route_many  # noqa: E402

TARGET_S = 1.0
NAIVE_BUDGET_S = 60.0
NAIVE_SLICE = 1_000
RESULTS = ROOT / "bench" / "results" / "routing.json"

# ISO code -> (capital latitude, longitude, relative weight of partners and leads)
CAPITALS: dict[str, tuple[float, float, float]] = {
    "US": (38.90, -77.04, 12), "CA": (45.42, -75.70, 3), "MX": (19.43, -99.13, 2), "BR": (-15.79, -47.88, 3),
    "AR": (-34.60, -58.38, 1), "CL": (-33.45, -70.67, 1), "CO": (4.71, -74.07, 1), "GB": (51.51, -0.13, 6),
    "IE": (53.35, -6.26, 1), "FR": (48.86, 2.35, 5), "DE": (52.52, 13.40, 6), "NL": (52.37, 4.90, 2),
    "BE": (50.85, 4.35, 1), "LU": (49.61, 6.13, 0.3), "CH": (46.95, 7.45, 1), "AT": (48.21, 16.37, 1),
    "ES": (40.42, -3.70, 3), "IT": (41.90, 12.50, 3), "PL": (52.23, 21.01, 2), "CZ": (50.08, 14.44, 1),
    "SE": (59.33, 18.07, 1), "NO": (59.91, 10.75, 1), "DK": (55.68, 12.57, 1), "FI": (60.17, 24.94, 1),
    "GR": (37.98, 23.73, 0.5), "RO": (44.43, 26.10, 1), "TR": (39.93, 32.86, 1), "IL": (31.77, 35.21, 1),
    "AE": (24.45, 54.38, 1), "SA": (24.71, 46.68, 1), "ZA": (-25.75, 28.19, 1), "NG": (9.08, 7.40, 0.5),
    "KE": (-1.29, 36.82, 0.5), "EG": (30.04, 31.24, 0.5), "IN": (28.61, 77.21, 4), "SG": (1.35, 103.82, 1),
    "JP": (35.68, 139.69, 3), "KR": (37.57, 126.98, 1), "AU": (-35.28, 149.13, 2), "NZ": (-41.29, 174.78, 0.5),
}  # fmt: skip
UNSERVED = ["PT", "IS"]  # leads arrive from here, no partner serves them
VERTICALS = "healthcare manufacturing finance retail education government energy logistics media telecom".split()
TIERS = ("Registered", "Silver", "Gold", "Platinum")
PRODUCTS = range(1, 31)


def build_world(n_partners: int, n_leads: int, seed: int) -> tuple[list[LeadFacts], list[PartnerCandidate]]:
    rng = random.Random(seed)
    codes = list(CAPITALS)
    weights = [CAPITALS[c][2] for c in codes]

    def near(code: str, spread: float, unknown: float) -> tuple[float | None, float | None]:
        if rng.random() < unknown:
            return None, None
        lat, lon, _ = CAPITALS[code]
        return max(-90.0, min(90.0, rng.gauss(lat, spread))), (rng.gauss(lon, spread) + 180.0) % 360.0 - 180.0

    def rate(mean: float) -> float | None:
        return None if rng.random() < 0.15 else min(1.0, max(0.0, rng.gauss(mean, 0.2)))

    partners = []
    for partner_id in range(1, n_partners + 1):
        home = rng.choices(codes, weights)[0]
        served = {home, *rng.sample(codes, rng.choice([0, 0, 1, 2]))}
        lat, lon = near(home, 1.5, 0.03)
        capacity = rng.randint(5, 40)
        tier = rng.choices(range(4), [4, 3, 2, 1])[0]
        partners.append(PartnerCandidate(
            partner_id, f"Partner {partner_id}", frozenset(served), lat, lon,
            frozenset(rng.sample(VERTICALS, rng.randint(0, 3))), frozenset(rng.sample(PRODUCTS, rng.randint(0, 5))),
            capacity, rng.randint(0, capacity), tier, TIERS[tier], rate(0.7), rate(0.3),
            None if rng.random() < 0.15 else rng.lognormvariate(2.0, 1.0),
        ))  # fmt: skip
    serving: dict[str, list[int]] = {}
    for p in partners:
        for code in p.countries:
            serving.setdefault(code, []).append(p.partner_id)
    leads = []
    for lead_id in range(1, n_leads + 1):
        code = rng.choice(UNSERVED) if rng.random() < 0.01 else rng.choices(codes, weights)[0]
        lat, lon = near(code, 2.0, 0.05) if code in CAPITALS else (None, None)
        declined = rng.sample(serving[code], 2) if code in serving and rng.random() < 0.1 else []
        leads.append(LeadFacts(
            lead_id, code, lat, lon, "" if rng.random() < 0.2 else rng.choice(VERTICALS),
            frozenset(rng.sample(PRODUCTS, rng.randint(1, 2))), rng.random() < 0.25, frozenset(declined),
        ))  # fmt: skip
    return leads, partners


def why_kind(reason: str) -> str:
    for words, kind in (("no partner serves", "country unserved"), ("of the", "mixed"), ("certified", "uncertified"),
                        ("capacity", "all at capacity"), ("declined", "all declined")):  # fmt: skip
        if words in reason:
            return kind
    return reason


def best_of(runs: int, func, *args) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--partners", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args()

    leads, partners = build_world(args.partners, args.leads, args.seed)
    sizes = [sum(lead.country in p.countries for p in partners[:500]) * len(partners) / 500 for lead in leads[:500]]
    print(f"world: {len(partners):,} partners over {len(CAPITALS)} countries, {len(leads):,} leads "
          f"(~{sum(sizes) / len(sizes):.0f} partners serve a lead's country on average)")  # fmt: skip

    fast_s, fast = best_of(3, route_many, leads, partners)
    whys = Counter(why_kind(p.no_match_reason) for p in fast if p.partner_id is None)
    per_lead_us = fast_s / len(leads) * 1e6
    print(f"route_many        {len(leads):>6,} leads  best of 3  {fast_s:8.3f} s  ({per_lead_us:.1f} µs/lead)")
    print(f"  proposed {sum(p.partner_id is not None for p in fast):,}; no match {sum(whys.values()):,}: {dict(whys)}")

    probe_s, _ = best_of(1, naive_route_many, leads[:100], partners)
    n_naive = len(leads) if probe_s * len(leads) / 100 < NAIVE_BUDGET_S else min(NAIVE_SLICE, len(leads))
    naive_s, naive = best_of(1 if n_naive > NAIVE_SLICE else 3, naive_route_many, leads[:n_naive], partners)
    naive_full_s = naive_s * len(leads) / n_naive
    identical = naive == fast[:n_naive]
    scaled = "" if n_naive == len(leads) else f"  -> {naive_full_s:.1f} s scaled to {len(leads):,}"
    print(f"naive_route_many  {n_naive:>6,} leads             {naive_s:8.3f} s{scaled}")
    print(f"  identical proposals on those {n_naive:,} leads: {identical}")
    ratio = naive_full_s / fast_s
    print(f"speed-up: {ratio:.0f}x    target: route_many < {TARGET_S:.0f} s for {args.leads:,} x {args.partners:,}: "
          f"{'met' if fast_s < TARGET_S else 'NOT met'} ({fast_s:.3f} s)")  # fmt: skip

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "leads": len(leads), "partners": len(partners), "seed": args.seed,
        "route_many_best_of_3_s": round(fast_s, 4), "route_many_us_per_lead": round(per_lead_us, 1),
        "naive_leads_timed": n_naive, "naive_s": round(naive_s, 3), "naive_scaled_s": round(naive_full_s, 3),
        "speedup": round(ratio, 1), "identical_on_timed_slice": identical, "target_s": TARGET_S,
        "target_met": fast_s < TARGET_S, "proposed": sum(p.partner_id is not None for p in fast),
        "no_match": dict(whys), "python": platform.python_version(), "numpy": np.__version__,
        "machine": f"{platform.machine()} {platform.processor() or platform.system()} ({os.cpu_count()} CPUs)",
    }, indent=2) + "\n")  # fmt: skip
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
