"""python -m prm_app.cli rebuild-rollups: fold the dashboards' daily rollups again from the raw rows."""

from __future__ import annotations

import time

from sqlalchemy import text

from prm_app.analytics import rebuild_rollups
from prm_app.platform.db import get_engine, session_scope


def rebuild_command() -> int:
    """One transaction: readers see the old cells until it commits, then the new ones."""
    started = time.perf_counter()
    with session_scope() as session:
        run = rebuild_rollups(session)
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        # The reports read their cells from the primary key's index alone once the table's visibility map says the
        # pages are all-visible: a rebuild rewrites every cell, so vacuum now rather than when autovacuum gets to it.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE) rollup_cell"))
    print(
        f"rollups rebuilt: {run.folded_days} days folded up to {run.folded_until} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0
