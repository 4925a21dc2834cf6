"""Drawing the dashboard's 7 charts and the scorecard's trend: the plain-JSON figures of prm_app/analytics/charts.py
against the plotly path they replaced (#10), in the same run.

Baseline: the plotly builders as they were (kept in tests/analytics/test_charts_plain.py, the reference its tests
compare with), each Figure turned into a state's data by web.components.charts.figure_data, as the dashboards did.
Reports shaped like an exec's whole-program dashboard over 90 days: 13 weeks x 8 partner types, 6 stages in two
statuses, the 4 waiting times, the 4 funnel steps, 12 forecast months, 5 tiers, 8 NPS surveys, 12 scorecard weeks.

Each round draws all eight figures one way and then the other (the garbage collector runs between rounds, not during
them, as with timeit); both ways' figures are checked equal once. Prints the median and p95 per round, per figure and
the ratio. Asserts nothing. Run from the repo root: .venv/bin/python bench/charts.py [-n 50]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prm_app.analytics.dashboards import AgeBucket, FunnelStep, GroupRevenue, MonthValue, StageValue
from prm_app.analytics.engagement import EngagementKpis, GroupWeek
from prm_app.analytics.labels import FUNNEL_LABELS
from prm_app.analytics.metrics import EngagementReport, PipelineReport, RevenueReport, Scorecard
from prm_app.analytics.scorecard import WeekActivity
from prm_app.nps import NpsReport, NpsTrendPoint
from prm_app.nps.rules import tally
from prm_app.partners import PartnerType
from prm_app.web.components.charts import figure_data
from tests.analytics.test_charts_plain import FIGURES

DASHBOARD = ("engagement logins", "pipeline", "ageing", "funnel", "forecast", "revenue", "nps")  # as the page draws
DRAWN = (*DASHBOARD, "trend")


def reports() -> SimpleNamespace:
    monday = date(2030, 1, 7)
    weeks = [monday + timedelta(weeks=w) for w in range(13)]
    types = [t.value for t in PartnerType]
    stages = ["Prospecting", "Qualified", "Proposal", "Negotiation", "Commit", "Closing"]
    return SimpleNamespace(
        engagement=EngagementReport(
            by="partner_type", kpis=EngagementKpis(900, 41000, 3100, 800), least_engaged=(),
            weekly=tuple(GroupWeek(w, t, 400 + 37 * i + n, 30 + i, 8 + n % 5) for n, w in enumerate(weeks)
                         for i, t in enumerate(types)),
        ),
        pipeline=PipelineReport(
            by_stage=tuple(StageValue(s, status, 120 + 9 * i, 1_234_567.89 * (i + 1) / (1 + (status == "approved")))
                           for i, s in enumerate(stages) for status in ("registered", "approved")),
            ageing=(AgeBucket(0, 3, 412), AgeBucket(3, 8, 230), AgeBucket(8, 31, 97), AgeBucket(31, None, 21)),
            funnel=tuple(FunnelStep(s, c) for s, c in zip(FUNNEL_LABELS, (20000, 14250, 6100, 2380), strict=True)),
            forecast=tuple(MonthValue(date(2030 + m // 12, m % 12 + 1, 1), 987_654.32 + 1000 * m) for m in range(12)),
            missing_rate_deals=0,
        ),
        revenue=RevenueReport(
            by="tier", top_partners=(), missing_rate_deals=0,
            by_group=tuple(GroupRevenue(t, 2_500_000.5 * (i + 1), 800_000.25 * i)
                           for i, t in enumerate(["Platinum", "Gold", "Silver", "Bronze", "Registered"])),
        ),
        nps=NpsReport(
            survey_id=None, survey=None, by="tier", tally=tally(400, 180, 90), groups=(),
            trend=tuple(NpsTrendPoint(n, f"Q{n % 4 + 1} {2028 + n // 4}", datetime(2028, 1, 1, tzinfo=UTC),
                                      tally(300 + n, 120 + n, 80)) for n in range(8)),
        ),
        card=Scorecard(
            organization_id=1, partner="Partner", period_start=date(2030, 1, 7), period_end=date(2030, 4, 7),
            previous_start=date(2029, 10, 7), metrics=(), missing_rate_deals=0,
            trend=tuple(WeekActivity(w, registrations=n % 6, logins=20 + n) for n, w in enumerate(weeks[:12])),
        ),
    )  # fmt: skip


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="timed rounds (after 3 warm-ups)")
    args = parser.parse_args()
    world = reports()
    draws = {name: (ours, plotly, report) for name, ours, plotly, report in FIGURES if name in DRAWN}

    def plain(name: str) -> dict:
        ours, _, report = draws[name]
        return ours(getattr(world, report))

    def plotly_path(name: str) -> dict:
        _, plotly, report = draws[name]
        return figure_data(plotly(getattr(world, report)))

    for name in DRAWN:  # the same figures both ways
        assert json.dumps(plain(name)) == json.dumps(plotly_path(name)), name

    timings: dict[str, dict[str, list[float]]] = {way: {name: [] for name in DRAWN} for way in ("plain", "plotly")}
    for round_ in range(args.n + 3):
        gc.collect()
        gc.disable()
        for way, draw in (("plain", plain), ("plotly", plotly_path)):
            for name in DRAWN:
                t0 = time.perf_counter()
                draw(name)
                if round_ >= 3:
                    timings[way][name].append((time.perf_counter() - t0) * 1000)
        gc.enable()

    def total(way: str, names: tuple[str, ...]) -> list[float]:
        return [sum(timings[way][n][i] for n in names) for i in range(args.n)]

    print(f"charts drawn, {args.n} rounds: median (p95) ms")
    print(f"{'':28} {'plain JSON':>18} {'plotly (before)':>18} {'ratio':>8}")
    rows = [(f"dashboard's {len(DASHBOARD)} charts", DASHBOARD), ("+ scorecard trend (all 8)", DRAWN)]
    rows += [(name, (name,)) for name in DRAWN]
    out = {}
    for label, names in rows:
        ours, base = total("plain", names), total("plotly", names)
        m, b = statistics.median(ours), statistics.median(base)
        print(f"{label:28} {m:9.3f} ({pct(ours, 0.95):6.3f}) {b:9.2f} ({pct(base, 0.95):6.2f}) {m / b:8.4f}")
        out[label] = {"median_ms": m, "p95_ms": pct(ours, 0.95), "baseline_median_ms": b,
                      "baseline_p95_ms": pct(base, 0.95)}  # fmt: skip
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / "charts.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
