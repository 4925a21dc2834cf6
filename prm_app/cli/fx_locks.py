"""python -m prm_app.cli backfill-fx-locks: lock the rate of every won deal and refund that has none yet (those won
before rates were locked), each at its own day's rate; idempotent, so it may run again once missing rates are in."""

from __future__ import annotations

from prm_app.fx import backfill_locks
from prm_app.platform.db import session_scope


def backfill_command() -> int:
    """One transaction. Prints what it locked and each rate still missing; exits 1 while one is."""
    with session_scope() as session:
        done = backfill_locks(session)
    print(f"fx locks written: {done.locked}")
    for message in done.missing:
        print(f"  not locked, {message}: add the rate on /settings/fx-rates and run this again")
    return 1 if done.missing else 0
