"""`bench/load.py --trace-locks`: what every state-lock acquisition in the server cost, seen from inside.

Reflex's Redis state manager takes a per-tab lock (`SET <token>_lock <event>:<id> NX PX 10000`) around every event
and every `async with self` of a background task; a waiter that is never woken waits out `wait_for(..., 10 s)` and
a lock nobody releases blocks the tab until it expires, 10 s later. From outside, both look like "a 10 s stall".

With `--trace-locks` the server runs with a `sitecustomize` (written into a temp dir put first on its PYTHONPATH;
the app's code is not touched) that wraps `StateManagerRedis._wait_lock` and `_lock` and writes one JSON line per
acquisition to `locks-<pid>.jsonl`: the event, how long it waited, how long it held the lock, and -- when the task
was cancelled while acquiring -- whether its SET had already landed (then the lock stays behind until it expires).
Diagnostic only: it adds a Redis GET to each cancelled acquisition and a line of file I/O per event.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from load_metrics import pct

SITECUSTOMIZE = """
import asyncio, contextlib, json, os, time

from reflex.istate.manager import redis as _redis_manager

_M = _redis_manager.StateManagerRedis
_wait, _lock = _M._wait_lock, _M._lock
_out = open(os.path.join(os.environ["PRM_LOAD_LOCK_TRACE"], f"locks-{os.getpid()}.jsonl"), "a", buffering=1)
_FIX = os.environ.get("PRM_LOAD_LOCK_FIX") == "1"
_RELEASE_IF_OURS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def _event(lock_id):
    text = lock_id.decode(errors="replace")
    return text.rsplit(":", 1)[0].rsplit(".", 1)[-1] if ":" in text else "(no event)"


async def _traced_wait(self, lock_key, lock_id):
    t0 = time.monotonic()
    try:
        await _wait(self, lock_key, lock_id)
    except BaseException as exc:
        # Did our SET NX reach Redis before the cancellation? Then nobody will ever release that lock.
        ours = await asyncio.shield(self.redis.get(lock_key)) == lock_id
        _out.write(json.dumps({"event": _event(lock_id), "wait": time.monotonic() - t0, "t": time.time(),
                               "interrupted": type(exc).__name__, "left_behind": ours}) + "\\n")
        if _FIX:  # the fix proposed for Reflex: release a lock this attempt took, and pass the wake-up on
            await asyncio.shield(self.redis.eval(_RELEASE_IF_OURS, 1, lock_key, lock_id))
            self._notify_next_waiter(lock_key)
        raise


@contextlib.asynccontextmanager
async def _traced_lock(self, token, event_name=None):
    t0 = time.monotonic()
    async with _lock(self, token, event_name) as lock_id:
        t1 = time.monotonic()
        try:
            yield lock_id
        finally:
            _out.write(json.dumps({"event": _event(lock_id), "wait": t1 - t0, "hold": time.monotonic() - t1,
                                   "t": time.time()}) + "\\n")


_M._wait_lock, _M._lock = _traced_wait, _traced_lock
"""


def install(env: dict[str, str], trace_dir: Path, *, fix: bool = False) -> None:
    """Make the server started with `env` trace its lock acquisitions into `trace_dir`; `fix`: also apply the
    fix proposed for Reflex (an interrupted acquisition deletes the lock if it took it, and wakes the next
    waiter), to measure what it changes."""
    env["PRM_LOAD_LOCK_FIX"] = "1" if fix else "0"
    trace_dir.mkdir(parents=True, exist_ok=True)
    (trace_dir / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env["PYTHONPATH"] = f"{trace_dir}:{env['PYTHONPATH']}" if env.get("PYTHONPATH") else str(trace_dir)
    env["PRM_LOAD_LOCK_TRACE"] = str(trace_dir)


def offsets(trace_dir: Path) -> dict[Path, int]:
    return {p: p.stat().st_size for p in trace_dir.glob("locks-*.jsonl")}


def report(trace_dir: Path, since: dict[Path, int], long_wait_s: float = 9.5) -> dict[str, Any]:
    """Per handler: acquisitions, wait p95/max and hold p95/max (s); the waits of `long_wait_s` or more; the
    acquisitions interrupted (cancelled) and how many left their lock behind."""
    rows: list[dict[str, Any]] = []
    for path in trace_dir.glob("locks-*.jsonl"):
        with path.open() as f:
            f.seek(since.get(path, 0))
            rows += [json.loads(line) for line in f if line.strip()]
    waits: dict[str, list[float]] = defaultdict(list)
    holds: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if "hold" in r:
            waits[r["event"]].append(r["wait"])
            holds[r["event"]].append(r["hold"])
    interrupted = [r for r in rows if "interrupted" in r]
    return {
        "acquisitions": sum(len(v) for v in waits.values()),
        "by_handler": {
            e: {
                "n": len(waits[e]),
                "wait_p95_s": round(pct(waits[e], 95), 3),
                "wait_max_s": round(max(waits[e]), 2),
                "hold_p95_s": round(pct(holds[e], 95), 3),
                "hold_max_s": round(max(holds[e]), 2),
            }
            for e in sorted(waits, key=lambda e: -max(waits[e]))
        },
        "long_waits": sorted(
            ({"event": r["event"], "wait_s": round(r["wait"], 2)} for r in rows if r["wait"] >= long_wait_s),
            key=lambda r: -r["wait_s"],
        ),
        "interrupted_while_acquiring": len(interrupted),
        "left_lock_behind": [
            {"event": r["event"], "waited_s": round(r["wait"], 2), "by": r["interrupted"]}
            for r in interrupted
            if r["left_behind"]
        ],
    }


def print_report(r: dict[str, Any]) -> None:
    print(f"lock trace: {r['acquisitions']} acquisitions; {r['interrupted_while_acquiring']} interrupted while "
          f"acquiring, {len(r['left_lock_behind'])} of them left the lock behind: {r['left_lock_behind']}")  # fmt: skip
    print(f"  waits >= 9.5 s: {r['long_waits']}")
    for e, h in list(r["by_handler"].items())[:8]:
        print(f"  {e:<24} n {h['n']:>5}  wait p95 {h['wait_p95_s']:>6} max {h['wait_max_s']:>6}  "
              f"hold p95 {h['hold_p95_s']:>6} max {h['hold_max_s']:>6} s")  # fmt: skip
