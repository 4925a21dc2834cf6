"""python -m prm_app.cli rebuild-rollups: fold the dashboards' daily rollups again from the raw rows."""

from __future__ import annotations

import time

from prm_app.analytics import rebuild_rollups
from prm_app.platform.db import session_scope


def rebuild_command() -> int:
    """One transaction: readers see the old cells until it commits, then the new ones."""
    started = time.perf_counter()
    with session_scope() as session:
        run = rebuild_rollups(session)
    print(
        f"rollups rebuilt: {run.folded_days} days folded up to {run.folded_until} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0
