"""The REST API's list and create latency next to a bare FastAPI route, in the same process, on the same server app.

Builds a fresh SQLite file database in a temp dir (every table, as `create_all` makes them), two partners with a
partner admin each, three products and D registrations (default 300) for the first, and an API key for that
partner admin. Then, through Starlette's TestClient on `build_api()` (the app's own API, with one extra route
`GET /bare` returning a constant JSON: no key, no database, the floor of a FastAPI round trip), interleaves:

- bare: `GET /bare`;
- list: `GET /api/v1/deals?limit=50` with the key (resolve the key, count the rate limit, one scoped page);
- create: `POST /api/v1/deals` with a new `Idempotency-Key` each time (claim, register with conflict checks, store
  the answer);
- replay: the same POST with the previous key again (answered from the idempotency record).

5 warm-ups, then N samples of each (default 100), timed with perf_counter around request + full response. Prints
median / p95 and each route's median over the bare route's; results also go to bench/results/api_latency.json.
Figures only: nothing is asserted.

Run from the repo root: `python bench/api_latency.py [--deals D] [--samples N]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "api_latency.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=300)
    parser.add_argument("--samples", type=int, default=100)
    args = parser.parse_args()

    from sqlmodel import Session, SQLModel
    from starlette.testclient import TestClient

    import prm_app.areas  # noqa: F401  (every table on the metadata)
    from prm_app.integrations import KeyInput, create_api_key
    from prm_app.integrations.ui.api_http import build_api
    from prm_app.platform import db
    from prm_app.platform.clock import utcnow
    from tests.deals.factories import make_world, register

    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'api.db'}")
        SQLModel.metadata.create_all(engine)
        db.get_engine = lambda: engine  # type: ignore[method-assign]  # the API's units of work open here
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            for i in range(args.deals):
                register(session, w.a, w.products, now=utcnow(), customer_name=f"Bench Customer {i}")
            key = create_api_key(session, w.a, KeyInput("Bench", ("deals:read", "deals:write"))).secret
            products = list(w.products)
            session.commit()

        app = build_api(rate_limit="1000000/minute")

        @app.get("/bare")
        def bare() -> dict[str, bool]:
            return {"ok": True}

        client = TestClient(app)
        auth = {"Authorization": f"Bearer {key}"}
        close = (utcnow().date() + timedelta(days=30)).isoformat()
        samples: dict[str, list[float]] = {"bare": [], "list": [], "create": [], "replay": []}
        last: tuple[str, dict] = ("", {})

        def body(n: int) -> dict:
            return {
                "customer_name": f"Api Bench {n}", "customer_site": f"https://api-bench-{n}.com", "country": "US",
                "contact_name": "Bench", "contact_email": f"b@api-bench-{n}.com", "product_ids": products,
                "estimated_value": "1000.00", "currency": "USD", "expected_close": close, "stage": "Proposal",
            }  # fmt: skip

        for n in range(5 + args.samples):
            timed: dict[str, float] = {}
            start = time.perf_counter()
            client.get("/bare").raise_for_status()
            timed["bare"] = time.perf_counter() - start
            start = time.perf_counter()
            client.get("/api/v1/deals", params={"limit": 50}, headers=auth).raise_for_status()
            timed["list"] = time.perf_counter() - start
            idem, payload = str(uuid.uuid4()), body(n)
            start = time.perf_counter()
            client.post("/api/v1/deals", json=payload, headers={**auth, "Idempotency-Key": idem}).raise_for_status()
            timed["create"] = time.perf_counter() - start
            last = (idem, payload)
            start = time.perf_counter()
            client.post("/api/v1/deals", json=last[1], headers={**auth, "Idempotency-Key": last[0]}).raise_for_status()
            timed["replay"] = time.perf_counter() - start
            if n >= 5:
                for name, value in timed.items():
                    samples[name].append(value)
        engine.dispose()

    def stats(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "median_ms": round(statistics.median(ordered) * 1000, 3),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3),
        }

    figures = {name: stats(values) for name, values in samples.items()}
    floor = figures["bare"]["median_ms"]
    print(f"API latency, {args.samples} samples each, {args.deals} deals (SQLite, in process)")
    for name, figure in figures.items():
        ratio = figure["median_ms"] / floor if floor else 0.0
        print(f"  {name:7} median {figure['median_ms']:8.2f} ms  p95 {figure['p95_ms']:8.2f} ms  x{ratio:6.1f} bare")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"deals": args.deals, "samples": args.samples, **figures}, indent=2))


if __name__ == "__main__":
    main()
