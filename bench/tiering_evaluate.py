"""Evaluating 5,000 partners' tiers (#16): `evaluate_tiers` (grouped reads, per-partner windows, stored evaluations
with their source ids, proposals) on SQLite and PostgreSQL, next to a hand-written SQL of the same sums (revenue in
USD at the deal-date rate, won deals, approved registrations, lead answers) measured in the same run.

The world: 5,000 resellers over four tiers, a rolling-12-month program whose tiers ask revenue, won deals, approved
registrations and lead acceptance in AND/OR groups; 6 won deals (USD and EUR, dated rates), 2 lost and 3 lead answers
per partner. Each backend: the first run (inserting 5,000 evaluations), then a second (upserting the same period),
then the baseline SQL. The sums of both are checked equal. The goal: under 5 s. Asserts nothing.
Run from the repo root: .venv/bin/python bench/tiering_evaluate.py [--partners 5000] [--pg-url URL | --no-pg]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from sqlalchemy import insert
from sqlmodel import Session, SQLModel, select

import prm_app.areas  # noqa: F401  (every table)
from prm_app.deals import Deal
from prm_app.identity import User
from prm_app.leads import Lead, LeadEvent
from prm_app.leads.models import LeadQueue
from prm_app.partners import Organization, Tier
from prm_app.platform.db import make_engine
from prm_app.platform.models import ExchangeRate
from prm_app.tiering import ProgramTier, TierCriterion, TierEvaluation, TierProgram, evaluate_tiers

AS_OF = date(2026, 11, 30)
BASELINE = """
WITH won AS (
  SELECT d.organization_id AS org, COUNT(*) AS deals,
         SUM(ROUND(d.final_amount * CASE WHEN d.currency = 'USD' THEN 1 ELSE r.usd_per_unit END, 2)) AS revenue
  FROM deal d LEFT JOIN exchange_rate r ON r.currency = d.currency
  WHERE d.status = 'won' AND d.closed_at >= :lo AND d.closed_at < :hi
  GROUP BY d.organization_id
), approved AS (
  SELECT organization_id AS org, COUNT(*) AS n FROM deal
  WHERE status IN ('approved', 'won', 'lost', 'expired') AND decided_at >= :lo AND decided_at < :hi
  GROUP BY organization_id
), answers AS (
  SELECT partner_id AS org, COUNT(*) AS n, SUM(CASE WHEN action = 'accepted' THEN 1 ELSE 0 END) AS accepted
  FROM lead_event WHERE action IN ('accepted', 'declined', 'expired') AND at >= :lo AND at < :hi
  GROUP BY partner_id
)
SELECT o.id, COALESCE(w.revenue, 0), COALESCE(w.deals, 0), COALESCE(a.n, 0), COALESCE(l.n, 0), COALESCE(l.accepted, 0)
FROM organization o LEFT JOIN won w ON w.org = o.id LEFT JOIN approved a ON a.org = o.id
  LEFT JOIN answers l ON l.org = o.id
"""


def build(engine: sa.Engine, partners: int) -> None:
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        tiers = [Tier(name=n, rank=r) for r, n in enumerate(("Registered", "Silver", "Gold", "Platinum"))]
        s.add_all(tiers)
        s.add(ExchangeRate(currency="EUR", as_of=date(2020, 1, 1), usd_per_unit=Decimal("1.08")))
        user = User(email="bench@vendor.example", full_name="Bench", password_hash="x", role="admin")
        s.add(user)
        s.flush()
        program = TierProgram(name="Bench program", partner_types="reseller")
        s.add(program)
        s.flush()
        rules = {
            1: (("revenue", "50000", 1),),
            2: (("revenue", "250000", 1), ("won_deals", "5", 2), ("lead_acceptance", "60", 2)),
            3: (("revenue", "600000", 1), ("approved_registrations", "8", 1)),
        }
        for tier in tiers:
            pt = ProgramTier(program_id=program.id or 0, tier_id=tier.id or 0)
            s.add(pt)
            s.flush()
            for metric, threshold, group in rules.get(tier.rank, ()):
                s.add(
                    TierCriterion(program_tier_id=pt.id or 0, metric=metric, threshold=Decimal(threshold), group=group)
                )
        joined = datetime(2022, 1, 1, tzinfo=UTC)
        s.execute(insert(Organization), [
            {"name": f"Bench Partner {i:05d}", "name_lower": f"bench partner {i:05d}", "partner_type": "reseller",
             "tier_id": tiers[i % 4].id, "region": "EMEA", "country": "DE", "joined_at": joined}
            for i in range(partners)
        ])  # fmt: skip
        org_ids = s.exec(select(Organization.id).order_by(Organization.id)).all()
        deals, events = [], []
        for n, org in enumerate(org_ids):
            for k in range(8):
                closed = datetime(2026, 1 + (n + k) % 11, 1 + k, 12, tzinfo=UTC)
                amount = Decimal(5000 + (n * 37 + k * 1013) % 90000) + Decimal("0.55")
                deals.append({
                    "organization_id": org, "created_by_id": user.id, "status": "won" if k < 6 else "lost",
                    "customer_name": "Acme", "name_norm": "acme", "country": "DE", "contact_name": "A",
                    "contact_email": "a@acme.example", "estimated_value": amount,
                    "currency": "EUR" if k % 3 == 0 else "USD",
                    "expected_close": closed.date(), "stage": "Proposal", "final_amount": amount if k < 6 else None,
                    "closed_at": closed, "decided_at": closed - timedelta(days=30), "created_at": closed,
                })  # fmt: skip
        s.execute(insert(Deal), deals)
        queue = LeadQueue(name="Bench queue")
        s.add(queue)
        s.flush()
        lead = Lead(
            queue_id=queue.id or 0, status="accepted", company="Lead", contact_email="x@lead.example", country="DE"
        )
        s.add(lead)  # lead events only need a lead: one shared lead is enough for the sums
        s.flush()
        lead_id = lead.id
        for n, org in enumerate(org_ids):
            for k, action in enumerate(("accepted", "declined" if n % 2 else "accepted", "expired")):
                events.append({"lead_id": lead_id, "partner_id": org, "action": action,
                               "at": datetime(2026, 3 + k, 5, tzinfo=UTC), "note": ""})  # fmt: skip
        s.execute(insert(LeadEvent), events)
        s.commit()


def measure(name: str, engine: sa.Engine) -> None:
    timings = []
    for _ in range(2):
        with Session(engine) as s:
            start = time.perf_counter()
            run = evaluate_tiers(s, AS_OF)
            s.commit()
            timings.append(time.perf_counter() - start)
    lo, hi = datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    with engine.connect() as conn:
        start = time.perf_counter()
        rows = conn.execute(sa.text(BASELINE), {"lo": lo, "hi": hi}).all()
        baseline = time.perf_counter() - start
    with Session(engine) as s:
        stored = {e.organization_id: json.loads(e.values) for e in s.exec(select(TierEvaluation)).all()}
    same = all(
        Decimal(stored[org].get("revenue", {"value": "0"})["value"]) == Decimal(str(revenue)).quantize(Decimal("0.01"))
        and int(stored[org].get("won_deals", {"value": "0"})["value"]) == won
        for org, revenue, won, _approved, _answered, _accepted in rows
    )
    print(f"{name:10s} {run.evaluated:6d} partners  evaluate_tiers first {timings[0]:.2f} s, again {timings[1]:.2f} s"
          f"  | hand-written SQL of the sums {baseline:.2f} s  | sums equal: {same}  | goal < 5 s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=5000)
    parser.add_argument(
        "--pg-url", default=os.environ.get("PRM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    with TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        build(engine, args.partners)
        measure("SQLite", engine)
        engine.dispose()
    if not args.no_pg:
        os.environ["PRM_TEST_PG_URL"] = args.pg_url
        from tests.conftest import private_pg_schema

        with private_pg_schema("bench_tiering") as engine:
            build(engine, args.partners)
            measure("PostgreSQL", engine)


if __name__ == "__main__":
    main()
