"""Dashboard and scorecard aggregates at scale (target: < 300 ms each, and at most 3x a hand-written SQL aggregate of
the same figure measured in the same run).

Builds the scale data -- `alembic upgrade head` on an empty database, then `python -m tools.scale_seed` (5k
partners, 1M deal registrations, 200k leads, 5M engagement events; `--scale 0.1` for a tenth) -- in a SQLite file
in a temp dir by default, or in a private schema of PostgreSQL with `--db postgresql+psycopg://...` (the public
schema is never touched; the schema is dropped at the end unless `--keep`). `--reuse PATH` reuses a SQLite file
built before (built there if missing; migrated to head either way); `--schema NAME` likewise for PostgreSQL.

Then, for typical filters -- the last 90 days of the data for the whole program, and the same period for EMEA by tier
-- times each report (engagement, pipeline, revenue, efficiency, scorecard of a mid-sized partner, as an exec) N times
after two warm-ups, each call in a fresh Session as the app does, interleaved with the hand-written baseline (the
garbage collector runs between calls, not during them, as with timeit: plotly and the app make a full collection of
this process take ~80 ms, and it otherwise lands on whichever call happens to be running):

- engagement: logins per week by partner type, one GROUP BY on a week expression joined to organization;
- pipeline: open pipeline by stage in USD, the rate looked up per deal by a correlated subquery;
- revenue: won revenue by tier, sourced vs influenced, same rate lookup;
- efficiency: median approval hours (SQLite: ORDER BY ... LIMIT/OFFSET; PostgreSQL: percentile_cont);
- scorecard: the per-partner sums its program medians need (closed deals, registrations and open pipeline,
  logins and active users, lead answers: four GROUP BY organization_id queries, rates looked up per deal),
  medians in Python.

Prints median and p95 (interpolated) per report, the ratio of medians, the JSON size of each report and of its
figures (what a page would hold in state), the process's peak and current RSS after computing everything, and the
database size. Results also go to bench/results/dashboards_<backend>.json. Asserts nothing.

Run from the repo root: .venv/bin/python bench/dashboards.py [--scale 0.1] [--db URL] [--reuse PATH] [-n 10]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from prm_app.analytics import charts, metrics  # noqa: E402
from prm_app.platform.access import Actor, Role  # noqa: E402
from prm_app.platform.db import make_engine  # noqa: E402

TARGET_MS, TARGET_RATIO = 300, 3.0

# --- hand-written baselines: the same main figure, the way one would first write it ---------------------------

# Templates, filled per dialect by `baseline_sql` (rate: the USD rate in force on the row's UTC day, looked up per
# row by a correlated subquery; week: the Monday of the row's week; hours: submission to decision).
PARTS = {
    "sqlite": {
        "rate": "(SELECT r.usd_per_unit FROM exchange_rate r WHERE r.currency = d.currency "
        "AND r.as_of <= date(d.{col}) ORDER BY r.as_of DESC LIMIT 1)",
        "week": "date(e.at, '-6 days', 'weekday 1')",
        "hours": "(julianday(decided_at) - julianday(submitted_at)) * 24",
    },
    "postgresql": {
        "rate": "(SELECT r.usd_per_unit FROM exchange_rate r WHERE r.currency = d.currency "
        "AND r.as_of <= (d.{col} AT TIME ZONE 'UTC')::date ORDER BY r.as_of DESC LIMIT 1)",
        "week": "date_trunc('week', e.at AT TIME ZONE 'UTC')",
        "hours": "extract(epoch FROM decided_at - submitted_at) / 3600",
    },
}
MEDIAN_HOURS = {
    "sqlite": "WITH x AS (SELECT {hours} AS h FROM deal WHERE decided_at >= :lo AND decided_at < :hi "
    "AND submitted_at IS NOT NULL{orgs}) SELECT avg(h) FROM (SELECT h FROM x ORDER BY h "
    "LIMIT 2 - (SELECT count(*) FROM x) % 2 OFFSET ((SELECT count(*) FROM x) - 1) / 2)",
    "postgresql": "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY {hours}) FROM deal "
    "WHERE decided_at >= :lo AND decided_at < :hi AND submitted_at IS NOT NULL{orgs}",
}
BASELINES = {
    "engagement": [
        "SELECT {week} AS week, o.{group}, count(*) FROM engagement_event e "
        "JOIN organization o ON o.id = e.organization_id WHERE e.kind = 'login' AND e.at >= :lo AND e.at < :hi"
        "{orgs_o} GROUP BY week, o.{group}"
    ],
    "pipeline": [
        "SELECT d.stage, d.status, count(*), sum(d.estimated_value * {rate_submitted}) FROM deal d "
        "WHERE d.status IN ('submitted', 'info_requested', 'approved') AND d.submitted_at >= :lo "
        "AND d.submitted_at < :hi{orgs_d} GROUP BY d.stage, d.status"
    ],
    "revenue": [
        "SELECT o.{group}, EXISTS (SELECT 1 FROM lead l WHERE l.deal_id = d.id) AS influenced, "
        "sum(coalesce(d.final_amount, d.estimated_value) * {rate_closed}) FROM deal d "
        "JOIN organization o ON o.id = d.organization_id WHERE d.status = 'won' AND d.closed_at >= :lo "
        "AND d.closed_at < :hi{orgs_o} GROUP BY 1, 2"
    ],
    "efficiency": ["{median_hours}"],
    # The scorecard's program medians are over the whole program: no partner filter here either.
    "scorecard": [
        "SELECT d.organization_id, sum(CASE WHEN d.status = 'won' AND NOT EXISTS (SELECT 1 FROM lead l WHERE "
        "l.deal_id = d.id) THEN coalesce(d.final_amount, d.estimated_value) * {rate_closed} END), "
        "sum(CASE WHEN d.status = 'won' AND EXISTS (SELECT 1 FROM lead l WHERE l.deal_id = d.id) "
        "THEN coalesce(d.final_amount, d.estimated_value) * {rate_closed} END), "
        "sum(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END), count(*) FROM deal d "
        "WHERE d.status IN ('won', 'lost') AND d.closed_at >= :lo AND d.closed_at < :hi GROUP BY d.organization_id",
        "SELECT d.organization_id, count(*), sum(CASE WHEN d.status IN ('submitted', 'info_requested', "
        "'approved') THEN d.estimated_value * {rate_submitted} END) FROM deal d WHERE d.submitted_at >= :lo "
        "AND d.submitted_at < :hi GROUP BY d.organization_id",
        "SELECT organization_id, count(*), count(DISTINCT user_id) FROM engagement_event WHERE kind = 'login' "
        "AND at >= :lo AND at < :hi GROUP BY organization_id",
        "SELECT partner_id, sum(CASE WHEN action = 'accepted' THEN 1 ELSE 0 END), count(*) FROM lead_event "
        "WHERE action IN ('accepted', 'declined', 'expired') AND at >= :lo AND at < :hi GROUP BY partner_id",
    ],
}


def baseline_sql(dialect: str, f: metrics.Filters, by: str) -> dict[str, list[str]]:
    """The baselines for `f` (only a region filter is supported: the one the bench uses) and grouping `by`."""
    parts = PARTS[dialect]
    in_region = " AND {col} IN (SELECT id FROM organization WHERE region = :region)" if f.region else ""
    fill = {
        "week": parts["week"],
        "group": {"tier": "tier_id"}.get(by, by),
        "rate_submitted": parts["rate"].format(col="submitted_at"),
        "rate_closed": parts["rate"].format(col="closed_at"),
        "median_hours": MEDIAN_HOURS[dialect].format(
            hours=parts["hours"], orgs=in_region.format(col="organization_id")
        ),
        "orgs_o": " AND o.region = :region" if f.region else "",
        "orgs_d": in_region.format(col="d.organization_id"),
    }
    return {name: [template.format(**fill) for template in sqls] for name, sqls in BASELINES.items()}


def run_baseline(engine: Engine, statements: list[str], f: metrics.Filters) -> int:
    lo, hi = f.lo, f.hi
    if engine.dialect.name == "sqlite":  # the text SQLAlchemy stores (the columns' type does this in the app)
        lo, hi = (x.strftime("%Y-%m-%d %H:%M:%S.%f") for x in (lo, hi))
    rows = 0
    with engine.connect() as conn:
        for sql in statements:
            result = conn.execute(text(sql), {"lo": lo, "hi": hi, "region": f.region}).all()
            rows += len(result)
            if sql.startswith("SELECT d.organization_id, sum"):  # the program median the scorecard shows
                statistics.median([float(r[1] or 0) for r in result] or [0])
    return rows


# --- building the data -------------------------------------------------------------------------------------------


def _env(url: str) -> dict:
    env = dict(os.environ, REFLEX_DB_URL=url, REFLEX_TELEMETRY_ENABLED="false")
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def migrate(url: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT, env=_env(url), check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - t0


def seed(url: str, scale: float) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tools.scale_seed", "--scale", str(scale), "--db", url], cwd=ROOT,
                   env=_env(url), check=True)  # fmt: skip
    return time.perf_counter() - t0


def has_data(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM deal")).scalar())


# --- timing ------------------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(engine: Engine, actor: Actor, org_id: int, f: metrics.Filters, by: str, n: int, dialect: str) -> dict:
    calls = {
        "engagement": lambda s: metrics.engagement(s, actor, f, by=by),
        "pipeline": lambda s: metrics.pipeline(s, actor, f),
        "revenue": lambda s: metrics.revenue(s, actor, f, by=by),
        "efficiency": lambda s: metrics.efficiency(s, actor, f),
        "scorecard": lambda s: metrics.scorecard(s, actor, org_id, f),
    }
    sql = baseline_sql(dialect, f, by)
    out = {}
    for name, call in calls.items():
        ours, base = [], []
        for i in range(n + 2):  # two warm-ups (page cache, statement caches, connection pool)
            gc.collect()
            gc.disable()  # as timeit does: a full collection of the whole process lands on whichever call is running
            try:
                t0 = time.perf_counter()
                with Session(engine) as s:
                    report = call(s)
                t1 = time.perf_counter()
                run_baseline(engine, sql[name], f)
                t2 = time.perf_counter()
            finally:
                gc.enable()
            if i >= 2:
                ours.append((t1 - t0) * 1000)
                base.append((t2 - t1) * 1000)
        out[name] = {
            "median_ms": statistics.median(ours), "p95_ms": pct(ours, 0.95),
            "baseline_median_ms": statistics.median(base), "baseline_p95_ms": pct(base, 0.95),
            "ratio": statistics.median(ours) / statistics.median(base),
            "report_json_bytes": len(json.dumps(dataclasses.asdict(report), default=str)),  # dates as ISO text
            "figures_json_bytes": figures_size(name, report),
            "samples_ms": [round(x, 2) for x in ours], "baseline_samples_ms": [round(x, 2) for x in base],
        }  # fmt: skip
    return out


def figures_size(name: str, report) -> int:
    figs = {
        "engagement": lambda r: [charts.engagement_figure(r, m) for m in ("logins", "registrations", "acceptances")],
        "pipeline": lambda r: [charts.pipeline_figure(r), charts.ageing_figure(r), charts.funnel_figure(r),
                               charts.forecast_figure(r)],
        "revenue": lambda r: [charts.revenue_figure(r)],
        "efficiency": lambda r: [],
        "scorecard": lambda r: [charts.trend_figure(r)],
    }[name](report)  # fmt: skip
    return sum(len(json.dumps(fig, separators=(",", ":"))) for fig in figs)


def rss_mb() -> dict:
    out = {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # KiB on Linux
    try:
        import psutil

        out["current_rss_mb"] = psutil.Process().memory_info().rss / 2**20
    except ImportError:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    out["current_rss_mb"] = int(line.split()[1]) / 1024
    return out


def db_size_mb(engine: Engine) -> float:
    if engine.dialect.name == "sqlite":
        return Path(engine.url.database).stat().st_size / 2**20
    with engine.connect() as conn:
        size = conn.execute(
            text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
            )
        ).scalar()
    return float(size) / 2**20


def pick_partner(engine: Engine) -> int:
    """A partner with the median number of registrations: a typical scorecard."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT organization_id, count(*) FROM deal GROUP BY organization_id ORDER BY 2")
        ).all()
    return rows[len(rows) // 2][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="", help="postgresql+psycopg://... (a private schema is used); default SQLite")
    parser.add_argument("--reuse", default="", help="a SQLite file to reuse (built there if missing)")
    parser.add_argument("--schema", default="", help="PostgreSQL: reuse this schema (built if empty; kept)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("-n", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    args = parser.parse_args()

    admin, schema, build = None, "", {}
    if args.db and make_url(args.db).get_backend_name() == "postgresql":
        schema = args.schema or f"bench_dash_{uuid.uuid4().hex[:10]}"
        admin = make_engine(args.db)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        url = make_url(args.db).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
        where = f"PostgreSQL {make_url(args.db).render_as_string(hide_password=True)}, schema {schema}"
    else:
        path = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="bench-dash-")) / "dashboards.db"
        url, where = f"sqlite:///{path}", f"SQLite {path}"
    try:
        build["migrate_s"] = migrate(url)
        engine = make_engine(url)
        if not has_data(engine):
            engine.dispose()  # the seeder wants the SQLite file to itself
            build["seed_s"] = seed(url, args.scale)
        dialect = engine.dialect.name
        with engine.connect() as conn:
            last = conn.execute(text("SELECT max(at) FROM engagement_event")).scalar()
            exec_id = conn.execute(text("SELECT id FROM app_user WHERE role = 'exec' ORDER BY id")).scalar()
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608
                      for t in ("organization", "deal", "lead", "lead_event", "engagement_event")}  # fmt: skip
        last = datetime.fromisoformat(str(last)) if isinstance(last, str) else last
        end = (last.astimezone(UTC) if last.tzinfo else last).date() + timedelta(days=1)
        actor = Actor(user_id=exec_id, role=Role.EXEC, organization_id=None, name="Bench exec")
        org_id = pick_partner(engine)
        runs = {
            "last 90 days, all partners (by partner type / tier)": (metrics.Filters(end - timedelta(days=90), end),
                                                                  "partner_type"),
            "last 90 days, EMEA (by tier)": (metrics.Filters(end - timedelta(days=90), end, region="EMEA"), "tier"),
        }  # fmt: skip
        results = {label: measure(engine, actor, org_id, f, by, args.n, dialect) for label, (f, by) in runs.items()}
        memory, size = rss_mb(), db_size_mb(engine)
        engine.dispose()
    finally:
        if admin is not None:
            if not (args.keep or args.schema):
                assert schema.startswith("bench_dash_")  # never anything else, never public
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    built = ", ".join(f"{k} {v:.1f}" for k, v in build.items()) or "reused"
    lines = [
        f"dashboards: {where}",
        "rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()),
        f"build (s): {built}; scorecard of partner #{org_id}; N={args.n} after 2 warm-ups; "
        f"target: p95 < {TARGET_MS} ms and median <= {TARGET_RATIO:.0f}x the hand-written baseline",
    ]
    for label, rows in results.items():
        lines += ["", label]
        lines.append(
            f"{'report':<11} {'median':>8} {'p95':>8} {'baseline':>9} {'b. p95':>8} {'ratio':>6} "
            f"{'report KB':>9} {'figs KB':>8}  verdict"
        )
        for name, r in rows.items():
            ok = r["p95_ms"] < TARGET_MS and r["ratio"] <= TARGET_RATIO
            lines.append(
                f"{name:<11} {r['median_ms']:>6.1f}ms {r['p95_ms']:>6.1f}ms {r['baseline_median_ms']:>7.1f}ms "
                f"{r['baseline_p95_ms']:>6.1f}ms {r['ratio']:>5.2f}x {r['report_json_bytes'] / 1024:>9.1f} "
                f"{r['figures_json_bytes'] / 1024:>8.1f}  {'ok' if ok else 'MISSED'}"
            )
        dashboards = [r for k, r in rows.items() if k != "scorecard"]
        state = sum(r["report_json_bytes"] for r in dashboards)
        with_figures = state + sum(r["figures_json_bytes"] for r in dashboards)
        lines.append(
            f"dashboard state (4 reports): {state / 1024:.1f} KB; with their figures {with_figures / 1024:.1f} KB"
        )
    lines += [
        "",
        f"memory after all reports: peak RSS {memory['peak_rss_mb']:.0f} MB, current RSS "
        f"{memory.get('current_rss_mb', 0):.0f} MB (this process: the app's code and the reports); "
        f"database {size:.0f} MB",
    ]
    report = "\n".join(lines)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"dashboards_{dialect}.json"
    out.write_text(json.dumps({
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "where": where, "rows": counts, "build_s": build,
        "n": args.n, "scale": args.scale, "scorecard_partner": org_id, "results": results, "memory": memory,
        "database_mb": size, "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "text": report,
    }, indent=2))  # fmt: skip
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
