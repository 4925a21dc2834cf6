"""A page following a job run it started (a CSV import, a CRM sync, co-branded copies) until the run ends.

The run works on the job queue; the page's background `watch` event reads its progress every POLL_SECONDS and shows
it. One loop per run and tab (a second `watch` for a run already followed returns at once), and a loop stops when
the tab has moved on to another run. The state keeps `_run_id` (the run it shows), `_watching` (the run a loop
follows, 0 for none) and `_show(run)`; a run has `finished`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

POLL_SECONDS = 0.5  # how often a page watching a run reads it


async def follow_run(state: Any, read: Callable[[int], Awaitable[Any]]) -> bool:
    """Show `read(run_id)` (the run's progress, None when it is gone) until the run ends; call from inside the
    state's background event, outside `async with state`. True when the run ended (or is gone) while followed,
    False when there was nothing to follow, another loop follows it, or the tab moved on."""
    async with state:
        run_id = state._run_id
        if not run_id or state._watching == run_id:
            return False
        state._watching = run_id
    try:
        while True:
            run = await read(run_id)
            async with state:
                if state._run_id != run_id:
                    return False
                state._show(run)
            if run is None or run.finished:
                return True
            await asyncio.sleep(POLL_SECONDS)
    finally:
        async with state:
            if state._watching == run_id:
                state._watching = 0
