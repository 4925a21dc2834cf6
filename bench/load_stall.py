"""Reproduce the rare 10-second stalls of bench/load.py on purpose, and measure the proposed fix.

The stall: the dashboards' live loop (`DashboardState.watch`, a background event started by the page's on_load) is
cancelled when its viewer leaves the page (the next page load supersedes the on_load chain that started it). When
the cancellation lands while the loop's `async with self` is taking the tab's state lock -- after Reflex's
`SET <token>_lock ... NX PX 10000` ran in Redis, before its reply was read -- the lock stays behind with nobody to
release it, and the tab's next events (the page the viewer went to) wait for it to expire: 10 s.

Here execs go back and forth between the dashboards and the partner directory every couple of seconds (so the
loop is cancelled often) while partners keep the workers busy, with `--trace-locks` on: it prints how many lock
acquisitions were interrupted, how many left their lock behind, and how many actions took 9 s or more. `--fix`
runs the same with the fix proposed for Reflex applied by the trace's sitecustomize (an interrupted acquisition
deletes its lock if it took it, and wakes the next waiter).

  .venv/bin/python bench/load_stall.py --seconds 90            # as shipped
  .venv/bin/python bench/load_stall.py --seconds 90 --fix      # with the proposed fix
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import load_locktrace as locktrace
import load_people as people
from load import RESULTS, _prepare_prm
from load_metrics import kinds_table
from page_load import START_TIMEOUT_S


async def _exec(tab: people.Tab, rng: random.Random, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await tab.visit("/partners", "exec: page /partners (leaving the dashboards)")
        await people.think(rng, 0.5)
        await tab.visit("/dashboards", "exec: page /dashboards")
        await people.think(rng, 1.5)


async def _run(args: argparse.Namespace, url: str) -> dict:
    rec, rng, stop = people.Recorder(), random.Random(args.seed), asyncio.Event()
    cast = [(people.EXECS[0], "/dashboards")] * args.execs
    cast += [(people.PARTNERS[i % len(people.PARTNERS)], "/deals") for i in range(args.partners)]
    tabs = [people.Tab(url, await people.sign_in(url, account), rec, page=page) for account, page in cast]
    await asyncio.gather(*(t.connect() for t in tabs))
    loops = [_exec(t, random.Random(rng.random()), stop) for t in tabs[: args.execs]]
    loops += [people.partner(t, random.Random(rng.random()), stop) for t in tabs[args.execs :]]
    tasks = [asyncio.create_task(loop) for loop in loops]
    await asyncio.sleep(5)
    since = locktrace.offsets(args.trace_dir)
    rec.recording = True
    await asyncio.sleep(args.seconds)
    rec.recording = False
    stop.set()
    await asyncio.wait(tasks, timeout=people.ACTION_TIMEOUT_S + 5)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*(t.close() for t in tabs), return_exceptions=True)
    all_ms = [ms for v in rec.latencies.values() for ms in v]
    return {
        "fix": args.fix,
        "execs": args.execs,
        "partners": args.partners,
        "seconds": args.seconds,
        "actions": len(all_ms),
        "actions_9s_or_more": sum(1 for ms in all_ms if ms >= 9000),
        "kinds": kinds_table(rec.latencies, rec.errors, args.seconds),
        "lock_trace": locktrace.report(args.trace_dir, since),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--execs", type=int, default=20)
    ap.add_argument("--partners", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--fix", action="store_true", help="apply the fix proposed for Reflex")
    ap.add_argument("--db-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test_load")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    ap.add_argument("--port", type=int, default=3103)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.sqlite, args.trace_locks = False, True
    with tempfile.TemporaryDirectory(prefix="prm-stall-") as tmp_name:
        tmp = Path(tmp_name)
        args.trace_dir = tmp / "locktrace"
        prm = _prepare_prm(args, tmp)
        locktrace.install(prm.env, args.trace_dir, fix=args.fix)
        try:
            prm.start()
            prm.wait_until_up(("/ping", "/login"), time.monotonic() + START_TIMEOUT_S)
            result = asyncio.run(_run(args, prm.url))
        finally:
            prm.stop()
    print(f"\n{'with' if args.fix else 'without'} the proposed fix: {result['actions']} actions in "
          f"{args.seconds:.0f} s, {result['actions_9s_or_more']} took 9 s or more")  # fmt: skip
    for kind, k in result["kinds"].items():
        print(f"  {kind:<46} n {k['count']:>5}  p50 {k['p50_ms']:>6}  p95 {k['p95_ms']:>6}  max {k['max_ms']:>6} ms")
    locktrace.print_report(result["lock_trace"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load_stall_{'fix' if args.fix else 'asis'}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
