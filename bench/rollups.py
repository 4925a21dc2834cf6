"""Dashboard reports from the daily rollups vs the same reports read raw vs the hand-written SQL, in one run.

Uses a PostgreSQL schema built by bench/dashboards.py (`--db URL --schema NAME --keep`: 5k partners, 1M deals, 5M
engagement events) or a SQLite file (`--reuse PATH`); migrates it to head and folds the rollups first (timed; a
rebuild when `--rebuild`). Then, for the last 90 days (all partners, and EMEA), times each report N times after two
warm-ups, each call in a fresh Session as the app does, interleaving: the report as the app computes it (rollups),
the report with the rollups switched off (raw), and bench/dashboards.py's hand-written baseline. Checks that the
rollup and raw reports are equal. Prints median and p95 per report. Asserts nothing.

Run: .venv/bin/python bench/rollups.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test_a --schema r1x [-n 20]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import dashboards as dash_bench  # noqa: E402  (bench/dashboards.py: the baselines and the data's build)
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from prm_app.analytics import fold_rollups, metrics, rebuild_rollups, rollup_reads  # noqa: E402
from prm_app.platform.access import Actor, Role  # noqa: E402
from prm_app.platform.db import make_engine  # noqa: E402

TARGET_MS = 50
REPORTS = {
    "engagement": lambda s, a, f, by: metrics.engagement(s, a, f, by=by),
    "pipeline": lambda s, a, f, by: metrics.pipeline(s, a, f),
    "revenue": lambda s, a, f, by: metrics.revenue(s, a, f, by=by),
    "efficiency": lambda s, a, f, by: metrics.efficiency(s, a, f),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="")
    parser.add_argument("--schema", default="")
    parser.add_argument("--reuse", default="")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    if args.db:
        url = make_url(args.db).update_query_dict({"options": f"-csearch_path={args.schema}"})
        url_s = url.render_as_string(hide_password=False)
    else:
        url_s = f"sqlite:///{args.reuse}"
    dash_bench.migrate(url_s)
    engine = make_engine(url_s)
    t0 = time.perf_counter()
    with Session(engine) as s:
        run = (rebuild_rollups if args.rebuild else fold_rollups)(s)
        s.commit()
    fold_s = time.perf_counter() - t0
    if engine.dialect.name == "postgresql":
        # what autovacuum does on its own soon after a fold this size (its insert threshold): the visibility map that
        # lets reports read their cells from the primary key's index alone (see the rollup_cell model)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) rollup_cell"))
            conn.execute(text("VACUUM (ANALYZE) rollup_partner"))
    dialect = engine.dialect.name
    with engine.connect() as conn:
        last = conn.execute(text("SELECT max(at) FROM engagement_event")).scalar()
        exec_id = conn.execute(text("SELECT id FROM app_user WHERE role = 'exec' ORDER BY id")).scalar()
        cells = conn.execute(text("SELECT count(*) FROM rollup_cell")).scalar()
        deals = conn.execute(text("SELECT count(*) FROM deal")).scalar()
    last = datetime.fromisoformat(str(last)) if isinstance(last, str) else last
    end = (last.astimezone(UTC) if last.tzinfo else last).date() + timedelta(days=1)
    actor = Actor(user_id=exec_id, role=Role.EXEC, organization_id=None, name="Bench exec")
    runs = {
        "last 90 days, all partners (by partner type)": (
            metrics.Filters(end - timedelta(days=90), end),
            "partner_type",
        ),
        "last 90 days, EMEA (by tier)": (metrics.Filters(end - timedelta(days=90), end, region="EMEA"), "tier"),
    }
    real_plan = rollup_reads.plan
    lines = [
        f"rollups: {dialect}, {deals:,} deals, {cells:,} rollup cells; fold {fold_s:.1f} s "
        f"({run.folded_days} days folded, {run.refolded_days} refolded); N={args.n} after 2 warm-ups",
    ]
    results: dict = {}
    for label, (f, by) in runs.items():
        sql = dash_bench.baseline_sql(dialect, f, by)
        lines += ["", label, f"{'report':<11} {'rollups p50':>11} {'p95':>8} {'raw p50':>8} {'p95':>8} "
                  f"{'SQL p50':>8} {'p95':>8}  equal  verdict"]  # fmt: skip
        for name, call in REPORTS.items():
            times: dict[str, list[float]] = {"rollups": [], "raw": [], "sql": []}
            equal = True
            for i in range(args.n + 2):
                gc.collect()
                gc.disable()
                try:
                    t0 = time.perf_counter()
                    with Session(engine) as s:
                        rolled = call(s, actor, f, by)
                    t1 = time.perf_counter()
                    rollup_reads.plan = lambda _s, _f: None  # type: ignore[assignment]
                    try:
                        with Session(engine) as s:
                            raw = call(s, actor, f, by)
                    finally:
                        rollup_reads.plan = real_plan
                    t2 = time.perf_counter()
                    dash_bench.run_baseline(engine, sql[name], f)
                    t3 = time.perf_counter()
                finally:
                    gc.enable()
                equal = equal and rolled == raw
                if i >= 2:
                    times["rollups"].append((t1 - t0) * 1000)
                    times["raw"].append((t2 - t1) * 1000)
                    times["sql"].append((t3 - t2) * 1000)
            row = {k: (statistics.median(v), dash_bench.pct(v, 0.95)) for k, v in times.items()}
            results.setdefault(label, {})[name] = {**row, "equal": equal}
            ok = row["rollups"][1] < TARGET_MS and row["rollups"][0] < row["sql"][0]
            lines.append(
                f"{name:<11} {row['rollups'][0]:>9.1f}ms {row['rollups'][1]:>6.1f}ms {row['raw'][0]:>6.1f}ms "
                f"{row['raw'][1]:>6.1f}ms {row['sql'][0]:>6.1f}ms {row['sql'][1]:>6.1f}ms  "
                f"{'yes' if equal else 'NO':>5}  {'ok' if ok else 'MISSED'}"
            )
    report = "\n".join(lines)
    print(report)
    dash_bench.RESULTS.mkdir(parents=True, exist_ok=True)
    out = dash_bench.RESULTS / f"rollups_{dialect}_{deals}.json"
    when = datetime.now(UTC).isoformat(timespec="seconds")
    summary = {"when": when, "fold_s": fold_s, "cells": cells, "deals": deals, "results": results, "text": report}
    out.write_text(json.dumps(summary, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    engine.dispose()


if __name__ == "__main__":
    main()
