"""The channel team's review queue at 100 submitted registrations among ~100k: reading it before (the evidence of
every row recomputed on each view, as `review_queue` did until issue #10) and after (the stored figures of
`matching.queued`, paged in SQL), and what keeping those figures costs a write.

Builds the same data as bench/conflict_check.py (its `build`: the demo partners, N registrations with products and
blocking keys, M direct accounts, near-duplicate customers; seeded, so two runs build the same data), then keeps
100 registrations submitted (the others that were submitted wait for more information: still live, still
matched) and fills the stored figures with `rebuild_queued_conflicts` (timed: the migration's backfill).

Then, each read in a fresh Session as the app does (one `session_scope` per event), as the admin (every partner):
- before: `old_review_queue` below, the former code kept as the baseline: 100 rows, `evidence()` per row;
- after: `review_queue` page 1 (50 rows, what one view now reads) and pages 1 + 2 (the same 100 rows);
and checks that both give the same conflict counts. Last, the write side: `refresh_queued_conflicts` on random live
registrations (what every submit / decision / expiry now adds), rolled back. Prints figures; asserts only that
before and after agree.

Run from the repo root: `python bench/review_queue.py [--deals N] [--accounts N] [--reads N] [--db URL]`.
Results also go to bench/results/review_queue_<backend>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))  # conflict_check re-executes under the venv with PYTHONHASHSEED=0 if needed
sys.path.insert(0, str(ROOT))

import conflict_check as cc  # noqa: E402
from faker import Faker  # noqa: E402
from sqlmodel import Session, col, select, update  # noqa: E402

from prm_app.deals.conflicts import evidence  # noqa: E402
from prm_app.deals.matching.queued import rebuild_queued_conflicts, refresh_queued_conflicts  # noqa: E402
from prm_app.deals.models import Deal, DealStatus, QueuedConflict  # noqa: E402
from prm_app.deals.queries import QUEUE_PAGE_SIZE, review_queue  # noqa: E402
from prm_app.deals.rules import business_days_between  # noqa: E402
from prm_app.deals.scope import in_reach  # noqa: E402
from prm_app.identity.models import User  # noqa: E402
from prm_app.partners.models import Organization  # noqa: E402
from prm_app.platform.access import Actor, Role  # noqa: E402
from prm_app.platform.db import make_engine, saved_id  # noqa: E402
from prm_app.platform.settings import settings  # noqa: E402

WAITING = 100
WARMUP_READS = 3
RESULTS_DIR = ROOT / "bench" / "results"


def old_review_queue(session: Session, actor: Actor, now: datetime, limit: int = 100) -> list[tuple[int, int]]:
    """The baseline: review_queue as it was before issue #10 (100 rows, the full evidence of each, per view).
    Returns (id, conflicts) per row; the rest of the row it built (age, SLA) is computed as it was."""
    rows = session.exec(
        select(Deal, Organization.name)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(col(Deal.status).in_([DealStatus.SUBMITTED.value]), in_reach(actor))
        .order_by(col(Deal.submitted_at), col(Deal.id))
        .limit(limit)
    ).all()
    out = []
    for deal, _partner in rows:
        assert deal.submitted_at is not None
        age = business_days_between(deal.submitted_at, now)
        _overdue = age > settings.review_sla_business_days
        out.append((saved_id(deal), len(evidence(session, deal, now))))
    return out


def new_review_queue(session: Session, actor: Actor, now: datetime, pages: int) -> list[tuple[int, int]]:
    out = []
    for page in range(1, pages + 1):
        out += [(r.id, r.conflicts) for r in review_queue(session, actor, now=now, page=page).rows]
    return out


def _admin(engine) -> Actor:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.role == Role.ADMIN).order_by(col(User.id))).first()
        assert user is not None
        return Actor(user_id=user.id, role=Role.ADMIN, organization_id=None, name=user.full_name)


def keep_waiting(engine, rng: random.Random) -> dict[str, int]:
    """Keep WAITING registrations submitted; the others that were move to info_requested (still live)."""
    with Session(engine) as session:
        submitted = list(session.exec(select(Deal.id).where(Deal.status == DealStatus.SUBMITTED)).all())
        keep = set(rng.sample(submitted, WAITING))
        session.exec(
            update(Deal)
            .where(col(Deal.status) == DealStatus.SUBMITTED, col(Deal.id).not_in(keep))
            .values(status=DealStatus.INFO_REQUESTED)
        )
        session.commit()
    return {"submitted_before": len(submitted), "waiting": WAITING}


def timed(fn, reads: int) -> list[float]:
    ms = []
    for _ in range(reads):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    return ms


def summary(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"n": len(values), "p50_ms": q[49], "p95_ms": q[94], "max_ms": max(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000, help="registrations to build (default 100000)")
    parser.add_argument("--accounts", type=int, default=20_000, help="direct-sales accounts (default 20000)")
    parser.add_argument("--reads", type=int, default=30, help="timed reads of each kind (default 30)")
    parser.add_argument("--writes", type=int, default=200, help="timed refreshes (default 200)")
    parser.add_argument("--db", default=None, help="database URL; default a SQLite file in a temp dir")
    parser.add_argument("--seed", type=int, default=cc.SEED)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    Faker.seed(args.seed)
    fake = Faker(list(cc.LOCALES))
    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="prm-queue-") as tmp_name:
        url, backend, admin, where = cc._fresh_database(args.db, Path(tmp_name))
        engine = None
        try:
            print(f"review queue: building {args.deals:,} registrations + {args.accounts:,} accounts in {where}")
            t = time.perf_counter()
            cc._migrate(url)
            engine = make_engine(url)
            world, _ = cc.build(engine, args.deals, args.accounts, rng, fake)
            result["build_s"] = round(time.perf_counter() - t, 1)
            result["data"] = {**world.counts, **keep_waiting(engine, rng)}
            if backend == "postgresql":
                with engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
            with Session(engine) as session:
                t = time.perf_counter()
                rebuild_queued_conflicts(session)
                session.commit()
                result["backfill_ms"] = round((time.perf_counter() - t) * 1000, 1)
                result["data"]["stored_conflict_rows"] = len(session.exec(select(QueuedConflict.deal_id)).all())

            actor, now = _admin(engine), datetime.now(UTC)
            pages = -(-WAITING // QUEUE_PAGE_SIZE)

            def before() -> list[tuple[int, int]]:
                with Session(engine) as session:
                    return old_review_queue(session, actor, now)

            def after(n: int):
                def read() -> list[tuple[int, int]]:
                    with Session(engine) as session:
                        return new_review_queue(session, actor, now, n)

                return read

            old, new = before(), after(pages)()
            assert old == new, "the stored figures differ from the evidence"
            result["rows_with_conflicts"] = sum(1 for _, n in old if n)
            for fn in (before, after(1), after(pages)):
                timed(fn, WARMUP_READS)
            result["before_100_rows"] = summary(timed(before, args.reads))
            result["after_one_page_50_rows"] = summary(timed(after(1), args.reads))
            result["after_two_pages_100_rows"] = summary(timed(after(pages), args.reads))

            with Session(engine) as session:
                live = list(session.exec(select(Deal.id).where(col(Deal.status).in_(cc.LIVE))).all())
            sample = rng.sample(live, args.writes)
            ms = []
            with Session(engine) as session:
                for deal_id in sample:
                    deal = session.get_one(Deal, deal_id)
                    t = time.perf_counter()
                    refresh_queued_conflicts(session, deal)
                    ms.append((time.perf_counter() - t) * 1000)
                session.rollback()
            result["refresh_per_change"] = summary(ms)
        finally:
            if engine is not None:
                engine.dispose()
            if admin is not None:
                cc._drop_schema(admin, url)

    b, a1, a2 = result["before_100_rows"], result["after_one_page_50_rows"], result["after_two_pages_100_rows"]
    r = result["refresh_per_change"]
    print(
        f"data: {result['data']['deals']:,} registrations, {result['data']['direct_accounts']:,} direct accounts, "
        f"{WAITING} waiting ({result['rows_with_conflicts']} with possible conflicts, "
        f"{result['data']['stored_conflict_rows']} stored conflict rows); backfill {result['backfill_ms']:.0f} ms\n"
        f"{'read':34} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}\n"
        f"{'before: 100 rows, evidence per row':34} {b['p50_ms']:9.1f} {b['p95_ms']:9.1f} {b['max_ms']:9.1f}\n"
        f"{'after: one page (50 rows)':34} {a1['p50_ms']:9.1f} {a1['p95_ms']:9.1f} {a1['max_ms']:9.1f}\n"
        f"{'after: two pages (the same 100)':34} {a2['p50_ms']:9.1f} {a2['p95_ms']:9.1f} {a2['max_ms']:9.1f}\n"
        f"{'write side: one refresh per change':34} {r['p50_ms']:9.1f} {r['p95_ms']:9.1f} {r['max_ms']:9.1f}\n"
        f"speed-up at p50, same 100 rows: {b['p50_ms'] / a2['p50_ms']:.0f}x"
    )
    out = RESULTS_DIR / f"review_queue_{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
