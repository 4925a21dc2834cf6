"""Importing 10,000 partners from CSV (#17) through the one engine (platform/table_io.py, dataio/runs.py) as the job
consumer does: a dry run (every row applied in a savepoint, each chunk rolled back), the real run (each partner
through `provision_organization`, audited), and the same file again (every row unchanged, skipped). Next to it, in
the same run: a raw executemany INSERT of the same 10,000 organizations (no checks, no audit).
Prints rows/s for each on SQLite and PostgreSQL. Asserts nothing. The target: the real run under 60 s (> 170 rows/s).
Run from the repo root: .venv/bin/python bench/record_import.py [--rows 10000] [--pg-url URL | --no-pg]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from sqlalchemy import insert
from sqlmodel import Session, SQLModel, delete, select

import prm_app.areas  # noqa: F401  (every table)
from prm_app.dataio.runs import TABLE_IMPORT, import_progress, run_import, start_import
from prm_app.identity import User
from prm_app.partners import Organization, Tier
from prm_app.platform import jobs_progress
from prm_app.platform.access import Actor, Role
from prm_app.platform.db import make_engine, session_scope
from prm_app.platform.import_files import FolderStorage

HEADER = "external_id,name,partner_type,region,country,city,website,channel_manager_email"
MANAGER = "maya.cm@vendor.example"


def build(engine: sa.Engine) -> Actor:
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(Tier(name="Registered", rank=0))
        admin = User(email="admin@vendor.example", full_name="Admin", password_hash="x", role="admin")
        manager = User(email=MANAGER, full_name="Maya", password_hash="x", role="channel_manager")
        s.add_all([admin, manager])
        s.commit()
        return Actor(admin.id, Role.ADMIN, None, name="Admin")


def csv_text(rows: int) -> bytes:
    lines = [HEADER] + [
        f"B-{n},Bench Partner {n:05d},reseller,EMEA,PT,Lisbon,bench{n}.example,{MANAGER}" for n in range(rows)
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def timed_run(engine: sa.Engine, storage: FolderStorage, actor: Actor, key: str, *, dry: bool) -> tuple[float, dict]:
    with session_scope(engine) as session:
        run_id = start_import(session, actor, "partners", "upsert", key, [], storage, dry=dry)
    start = time.perf_counter()
    run_import(run_id, storage, lambda: session_scope(engine))
    elapsed = time.perf_counter() - start
    with session_scope(engine) as session:
        return elapsed, dict(import_progress(session, actor, run_id).summary)


def measure(name: str, engine: sa.Engine, rows: int, folder: Path) -> None:
    actor = build(engine)
    storage = FolderStorage(folder)
    data = csv_text(rows)
    figures = []
    for label, dry in (("dry run", True), ("real run", False), ("same file again", False)):
        key, file = storage.create()
        with file:
            file.write(data)
        seconds, summary = timed_run(engine, storage, actor, key, dry=dry)
        counts = "/".join(str(summary.get(k, 0)) for k in ("added", "updated", "skipped", "failed"))
        figures.append(f"{label} {rows / seconds:,.0f} rows/s ({seconds:.1f} s, a/u/s/f {counts})")
    with Session(engine) as s:
        tier_id = s.exec(select(Tier.id)).one()
        manager_id = s.exec(select(User.id).where(User.email == MANAGER)).one()
        s.exec(delete(Organization))  # type: ignore[call-overload]
        s.commit()
        joined = datetime.now(UTC)
        values = [
            {"name": f"Raw Partner {n:05d}", "name_lower": f"raw partner {n:05d}", "partner_type": "reseller",
             "tier_id": tier_id, "region": "EMEA", "country": "PT", "city": "Lisbon",
             "website": f"https://raw{n}.example", "channel_manager_id": manager_id, "external_id": f"R-{n}",
             "joined_at": joined}
            for n in range(rows)
        ]  # fmt: skip
        start = time.perf_counter()
        s.execute(insert(Organization), values)
        s.commit()
        raw = time.perf_counter() - start
    print(f"{name:10s} {rows} partners | " + " | ".join(figures) + f" | raw executemany INSERT {rows / raw:,.0f} rows/s"
          f" ({raw:.2f} s) | goal: real run < 60 s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--pg-url", default=os.environ.get("PRM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    jobs_progress.register_sender(TABLE_IMPORT, lambda _run_id: None)  # the bench works each run itself
    with TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        measure("SQLite", engine, args.rows, Path(tmp) / "uploads")
        engine.dispose()
        if not args.no_pg:
            os.environ["PRM_TEST_PG_URL"] = args.pg_url
            from tests.conftest import private_pg_schema

            with private_pg_schema("bench_record_import") as engine:
                measure("PostgreSQL", engine, args.rows, Path(tmp) / "uploads-pg")


if __name__ == "__main__":
    main()
