"""The library's search over 50k assets, on SQLite and PostgreSQL, next to raw SQL baselines in the same run.

Builds a fresh database (a SQLite file in a temp dir; with `--db postgresql+psycopg://…` also a private schema in
PostgreSQL, dropped at the end), with every table, the demo partners, and N assets (default 50,000) whose titles,
descriptions and tags come from Faker plus product words, under a handful of audience rules (everyone, Silver+,
Gold+, Platinum+, EMEA). Then times, for K searches of one or two words, each in a fresh Session as the app does:

- `library(...)`: the partners' library page as a Gold partner (search, audience, live window, sort, count, one
  page of 12, products), the way the page calls it;
- `matching(...)` alone: the ids that match, through the one search function (FTS5 / tsvector);
- baselines: a raw `LIKE '%word%'` over title, description and tags, and the raw index query (FTS5 MATCH on SQLite,
  `to_tsvector(...) @@ to_tsquery(...)` on PostgreSQL), each on a pooled connection.

Prints p50/p95 per row; asserts nothing. Run: `python bench/content_search.py [--assets N] [--searches K] [--db URL]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faker import Faker  # noqa: E402
from sqlalchemy import Engine, event, insert, select, text  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import prm_app.areas  # noqa: E402, F401  (every table)
from prm_app.audience import AudienceRule  # noqa: E402
from prm_app.content.models import Asset, AssetVersion  # noqa: E402
from prm_app.content.queries import LibraryQuery, library  # noqa: E402
from prm_app.content.rules import Category  # noqa: E402
from prm_app.content.search import matching, words_of  # noqa: E402
from prm_app.content.search_index import TSV  # noqa: E402
from prm_app.identity.models import User  # noqa: E402
from prm_app.partners.seed import seed as seed_partners  # noqa: E402
from prm_app.platform.access import Actor, Role  # noqa: E402
from prm_app.platform.clock import utcnow  # noqa: E402
from prm_app.platform.db import make_engine  # noqa: E402

PRODUCTS = ["NovaStor X2", "CloudVault", "EdgeGuard", "DataPilot", "SyncBridge"]
WORDS = ["backup", "storage", "ransomware", "pricing", "battlecard", "kubernetes", "replication", "webinar", "install"]
RULES = [
    AudienceRule(),
    AudienceRule(min_tier="Silver"),
    AudienceRule(min_tier="Gold"),
    AudienceRule(min_tier="Platinum"),
    AudienceRule(regions=("EMEA",)),
]


def build(engine: Engine, n: int, seed: int = 20261207) -> None:
    SQLModel.metadata.create_all(engine)
    rng, fake = random.Random(seed), Faker()
    Faker.seed(seed)
    with Session(engine) as session:
        seed_partners(session)
        session.commit()  # the search index came with the tables: the SQLite triggers index the rows as they go in
    now = utcnow()
    for start in range(0, n, 5_000):
        assets, versions = [], []
        for i in range(start, min(n, start + 5_000)):
            product = rng.choice(PRODUCTS)
            words = rng.sample(WORDS, 2)
            assets.append(
                {
                    "id": i + 1, "slug": f"asset-{i + 1}", "category": rng.choice(list(Category)).value,
                    "title": f"{product} {words[0].title()} {fake.catch_phrase()}"[:160],
                    "description": f"{fake.paragraph(nb_sentences=3)} About {words[1]} with {product}.",
                    "tags": ", ".join([*words, fake.word()]), "product": product, "language": "en", "folder": "",
                    "kind": "file", "link_url": "", "audience": rng.choice(RULES).to_json(),
                    "publish_at": now - timedelta(days=rng.randint(1, 900)), "expire_at": None, "current_n": 1,
                    "is_cobrand": False, "deleted_at": None, "created_at": now, "created_by": None,
                }
            )  # fmt: skip
            versions.append({"asset_id": i + 1, "n": 1, "file_key": uuid.uuid4().hex, "file_name": "f.pdf",
                             "content_type": "application/pdf", "size": 1000, "sha256": "", "changelog": "",
                             "material_change": False, "created_at": now, "created_by": None})  # fmt: skip
        with engine.begin() as conn:
            conn.execute(insert(Asset.__table__), assets)  # type: ignore[attr-defined]
            conn.execute(insert(AssetVersion.__table__), versions)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def _times(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    fn(queries[0])  # warm
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _report(label: str, ms: list[float]) -> None:
    p95 = statistics.quantiles(ms, n=20)[18] if len(ms) >= 20 else max(ms)
    print(f"  {label:<58} p50 {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms")


def run(engine: Engine, n: int, k: int) -> None:
    sqlite = engine.dialect.name == "sqlite"
    t = time.perf_counter()
    build(engine, n)
    print(f"{engine.dialect.name}: {n:,} assets built in {time.perf_counter() - t:.1f} s")
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == "jake.morris@cobaltsys.example")).one()  # type: ignore[call-overload]
        gold = Actor(user_id=user[0].id, role=Role.PARTNER_USER, organization_id=user[0].organization_id)
    rng = random.Random(7)
    queries = [" ".join(rng.sample(WORDS, rng.choice([1, 2]))) for _ in range(k)]

    def page(q: str) -> object:
        with Session(engine) as session:
            return library(session, gold, LibraryQuery(text=q))

    def ids(q: str) -> object:
        with Session(engine) as session:
            return session.exec(select(Asset.id).where(matching(session, q))).all()  # type: ignore[arg-type]

    def like(q: str) -> object:
        with engine.connect() as conn:
            where = " AND ".join(
                f"(title LIKE :w{i} OR description LIKE :w{i} OR tags LIKE :w{i})" for i in range(len(q.split()))
            )
            return conn.execute(
                text(f"SELECT id FROM content_asset WHERE {where}"),  # noqa: S608  (placeholders only; words bound)
                {f"w{i}": f"%{w}%" for i, w in enumerate(q.split())},
            ).all()

    def raw_index(q: str) -> object:
        with engine.connect() as conn:
            if sqlite:
                expr = " ".join(f'"{w}"*' for w in words_of(q))
                return conn.execute(text("SELECT rowid FROM content_fts WHERE content_fts MATCH :q"), {"q": expr}).all()
            tsq = " & ".join(f"{w}:*" for w in words_of(q))
            return conn.execute(
                text(f"SELECT id FROM content_asset WHERE {TSV} @@ to_tsquery('simple', :q)"),  # noqa: S608  (a constant)
                {"q": tsq},
            ).all()

    for label, fn in (
        ("library(): the partner's page (search + audience + sort + page)", page),
        ("matching(): ids through the one search function", ids),
        ("baseline: raw " + ("FTS5 MATCH" if sqlite else "tsvector @@ tsquery"), raw_index),
        ("baseline: raw LIKE '%word%' on title, description, tags", like),
    ):
        _report(label, _times(fn, queries))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=60)
    parser.add_argument("--db", default="", help="also PostgreSQL: postgresql+psycopg://… (private schema)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/content_bench.db")
        run(engine, args.assets, args.searches)
        engine.dispose()
    if args.db:
        schema = f"bench_content_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.db)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine = make_engine(args.db)

        @event.listens_for(engine, "connect")
        def _path(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            with dbapi_conn.cursor() as cur:
                cur.execute(f"SET search_path TO {schema}")

        try:
            run(engine, args.assets, args.searches)
        finally:
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


if __name__ == "__main__":
    main()
