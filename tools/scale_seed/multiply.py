"""Ten times the scale data in minutes, on PostgreSQL: copy a schema built by tools.scale_seed (e.g. bench/dashboards.py
`--schema r1x --keep`) into a new schema with its deals, leads, lead events and engagement events repeated `--times`
times (same partners, same instants: ten times the activity per day, as a program ten times as busy would have).

Copies are made with INSERT ... SELECT into tables without indexes (ids shifted per copy, references shifted with
them), then the source's indexes are created, then ANALYZE. Deal events, products and declines are copied once:
no dashboard report reads them (the rollups' change watermarks only look at ids above the last fold).

Run: .venv/bin/python -m tools.scale_seed.multiply --db postgresql+psycopg://postgres@127.0.0.1:5432/test_a \
         --source r1x --target r10x [--times 10]
"""

from __future__ import annotations

import argparse
import re
import time

import psycopg
from sqlalchemy.engine import make_url

# table: (id column to shift, {column: the table whose id it references}) -- repeated tables only
REPEATED = {
    "deal": ("id", {}),
    "lead": ("id", {"deal_id": "deal"}),
    "lead_event": ("id", {"lead_id": "lead"}),
    "engagement_event": ("id", {}),
}


def safe(name: str) -> str:
    """Schema names go into SQL text (identifiers cannot be parameters): plain lowercase names only."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"not a plain schema name: {name!r}")
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--times", type=int, default=10)
    args = parser.parse_args()
    url = make_url(args.db)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    src, dst = safe(args.source), safe(args.target)
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            (src,),
        )]  # fmt: skip
        indexes = [r[0] for r in conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s", (src,))]
        conn.execute(f'CREATE SCHEMA "{dst}"')
        offsets = {}
        for table in REPEATED:
            offsets[table] = conn.execute(f'SELECT coalesce(max(id), 0) FROM "{src}"."{table}"').fetchone()[0]  # noqa: S608  (names checked by safe() or read from the catalog)
        for table in tables:
            conn.execute(f'CREATE TABLE "{dst}"."{table}" (LIKE "{src}"."{table}" INCLUDING DEFAULTS)')
            columns = [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
                "ORDER BY ordinal_position", (src, table),
            )]  # fmt: skip
            copies = range(args.times) if table in REPEATED else range(1)
            for k in copies:
                shift, refs = REPEATED.get(table, ("", {}))
                exprs = []
                for c in columns:
                    if c == shift:
                        exprs.append(f'"{c}" + {k * offsets[table]}')
                    elif c in refs:
                        exprs.append(f'"{c}" + {k * offsets[refs[c]]}')
                    else:
                        exprs.append(f'"{c}"')
                names = ", ".join(f'"{c}"' for c in columns)
                conn.execute(
                    f'INSERT INTO "{dst}"."{table}" ({names}) SELECT {", ".join(exprs)} FROM "{src}"."{table}"'  # noqa: S608
                )
            print(f"{table}: {len(copies)} copies ({time.perf_counter() - started:.0f} s)")
        for definition in indexes:
            conn.execute(definition.replace(f" {src}.", f' "{dst}".'))
        print(f"indexes ({time.perf_counter() - started:.0f} s)")
        conn.execute(f'DELETE FROM "{dst}".rollup_cell')  # noqa: S608  (names checked by safe() or read from the catalog)
        conn.execute(f'DELETE FROM "{dst}".rollup_partner')  # noqa: S608  (names checked by safe() or read from the catalog)
        conn.execute(f'DELETE FROM "{dst}".rollup_state')  # noqa: S608  (names checked by safe() or read from the catalog)
        for table in tables:
            conn.execute(f'ANALYZE "{dst}"."{table}"')
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
