"""Lead intake and queue benchmarks: import 10k CSV rows (target < 10 s) and persist a drag in a 500-lead queue
(target < 50 ms), each next to a raw-SQL baseline measured in the same run. Prints figures; never asserts.

Run: .venv/bin/python bench/lead_queue.py [--db URL]   (default: a fresh SQLite file in a temp dir)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
CITIES = [("US", "Chicago"), ("CA", "Toronto"), ("BR", "São Paulo"), ("DE", "Munich"), ("PT", "Porto"),
          ("JP", "Osaka"), ("IN", "Pune"), ("AU", "Perth")]  # fmt: skip


def _csv(rows: int) -> bytes:
    head = "company,domain,contact_name,contact_email,country,city,postcode,vertical,products,estimated_size,source"
    lines = [head]
    for i in range(rows):
        country, city = CITIES[i % len(CITIES)]
        lines.append(
            f"Bench Company {i},benchco{i}.com,Buyer {i},buyer{i}@benchco{i}.com,{country},{city},,"
            f"retail,PRM-CORE;PRM-ANL,{i * 10},event"
        )
    return "\n".join(lines).encode()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--queue", type=int, default=500)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-leads-")
    url = args.db or f"sqlite:///{tmp}/bench.db"
    env = {**os.environ, "REFLEX_DB_URL": url}
    for cmd in ([sys.executable, "-m", "alembic", "upgrade", "head"], [sys.executable, "-m", "prm_app.cli", "seed"]):
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    os.environ["REFLEX_DB_URL"] = url

    from sqlalchemy import text, update
    from sqlmodel import select

    from prm_app.dataio.runs import CHUNK
    from prm_app.identity.models import User
    from prm_app.leads import LEAD_TABLE
    from prm_app.leads import store as leads
    from prm_app.leads.models import Lead, LeadQueue
    from prm_app.platform.access import Actor, Role
    from prm_app.platform.db import get_engine, session_scope
    from prm_app.platform.table_io import Mode, apply_chunk, read_table, repeats

    with session_scope() as s:
        admin = s.exec(select(User).where(User.email == "admin@vendor.example")).one()
        actor = Actor(user_id=admin.id, role=Role.ADMIN, organization_id=None, name=admin.full_name)

    # 1. Import: read + check and store in chunks (as the import job does), vs a raw executemany INSERT.
    data = _csv(args.rows)
    t0 = time.perf_counter()
    mapped = read_table(LEAD_TABLE, data)
    failed_before = repeats(LEAD_TABLE, mapped.rows)
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    for start in range(0, len(mapped.rows), CHUNK):
        with session_scope() as s:
            apply_chunk(s, actor, LEAD_TABLE, Mode.UPSERT, mapped.rows[start : start + CHUNK], failed_before)
    t_store = time.perf_counter() - t0
    with get_engine().begin() as conn:
        queue_id = conn.execute(text("SELECT min(id) FROM lead_queue")).scalar()
        rows = [{"q": queue_id, "r": 10**6 + i, "c": f"Raw {i}", "e": f"raw{i}@raw{i}.com"} for i in range(args.rows)]
        t0 = time.perf_counter()
        conn.execute(
            text(
                "INSERT INTO lead (queue_id, rank, status, company, domain, contact_name, contact_email, country, city,"
                " postcode, vertical, currency, source, created_at, proposal_reasons, status_note, recycle_count)"
                " VALUES (:q, :r, 'new', :c, '', '', :e, 'US', '', '', '', 'USD', 'other',"
                " CURRENT_TIMESTAMP, '', '', 0)"
            ),
            rows,
        )
        t_raw_insert = time.perf_counter() - t0
        conn.execute(text("DELETE FROM lead WHERE company LIKE 'Raw %'"))

    # 2. Reorder: a queue of N leads; move the last one to the top (every id sent, as the drag-sort does).
    with session_scope() as s:
        queue = LeadQueue(name="Bench queue", countries="ZZ")
        s.add(queue)
        s.flush()
        bench_queue = queue.id
        s.add_all(
            [
                Lead(
                    queue_id=bench_queue,
                    rank=i + 1,
                    status="new",
                    company=f"Q{i}",
                    contact_email=f"q{i}@q.com",
                    country="ZZ",
                )
                for i in range(args.queue)
            ]
        )
    with session_scope() as s:
        order = list(s.exec(select(Lead.id).where(Lead.queue_id == bench_queue).order_by(Lead.rank)).all())
    persist, raw = [], []
    for _ in range(30):
        order = [order[-1], *order[:-1]]
        t0 = time.perf_counter()
        with session_scope() as s:
            leads.reorder_queue(s, actor, bench_queue, order)
        persist.append((time.perf_counter() - t0) * 1000)
        changes = [{"id": lead_id, "rank": i + 1} for i, lead_id in enumerate(order)]
        t0 = time.perf_counter()
        with session_scope() as s:
            s.execute(update(Lead), changes)
        raw.append((time.perf_counter() - t0) * 1000)

    db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    result = {
        "database": db,
        "import_rows": args.rows,
        "import_parse_s": round(t_parse, 3),
        "import_store_s": round(t_store, 3),
        "import_total_s": round(t_parse + t_store, 3),
        "raw_insert_s": round(t_raw_insert, 3),
        "queue": args.queue,
        "reorder_median_ms": round(statistics.median(persist), 2),
        "reorder_p95_ms": round(_pct(persist, 0.95), 2),
        "raw_update_median_ms": round(statistics.median(raw), 2),
    }
    print(f"database: {db}")
    print(
        f"import {args.rows:,} CSV rows: parse {t_parse:.2f} s + store {t_store:.2f} s = {t_parse + t_store:.2f} s"
        f"   (raw executemany INSERT of the same count: {t_raw_insert:.2f} s)   target < 10 s: "
        f"{'met' if t_parse + t_store < 10 else 'NOT MET'}"
    )
    print(
        f"persist a drag in a {args.queue}-lead queue (reorder_queue, all ids): median "
        f"{result['reorder_median_ms']} ms, p95 {result['reorder_p95_ms']} ms   (raw UPDATE of every rank: "
        f"{result['raw_update_median_ms']} ms)   target < 50 ms: "
        f"{'met' if result['reorder_p95_ms'] < 50 else 'NOT MET'}"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"lead_queue_{db.lower()}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
