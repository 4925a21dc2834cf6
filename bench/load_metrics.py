"""What bench/load.py measures besides latency: CPU and RSS of the server's processes, Redis and PostgreSQL work per
event, Redis bytes per state, who holds the state locks and for how long, and what the server log says.

Every figure is a delta over the measured window. The bench's own Redis commands (this module's lock watch and the
byte count) are counted and subtracted, so "Redis calls per event" is the app's alone.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import redis.asyncio as aioredis

LOCK_EXPIRATION_MS = 10_000  # Reflex's default redis_lock_expiration; the app does not change it


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), interpolated between order statistics; 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[min(98, max(0, round(q) - 1))]


# ---------------------------------------------------------------------------------------------- reports
def kinds_table(
    latencies: dict[str, list[float]], errors: dict[str, dict[str, int]], window: float
) -> dict[str, dict[str, Any]]:
    """Count, rate, percentiles (ms) and errors per kind of event."""
    out = {}
    for kind in sorted(set(latencies) | set(errors)):
        v = latencies.get(kind, [])
        out[kind] = {
            "count": len(v),
            "per_s": round(len(v) / window, 2),
            "p50_ms": round(pct(v, 50)),
            "p95_ms": round(pct(v, 95)),
            "p99_ms": round(pct(v, 99)),
            "max_ms": round(max(v, default=0)),
            "errors": dict(errors.get(kind, {})),
        }
    return out


def summary_row(r: dict) -> dict[str, Any]:
    """One line of the summary table for a step's results."""
    pages = {k: v for k, v in r["kinds"].items() if k.startswith("page ")}
    handlers = {k: v for k, v in r["kinds"].items() if not k.startswith(("page ", "blank", "socket", "connect"))}
    errors = sum(sum(k["errors"].values()) - k["errors"].get("refused (domain error)", 0) for k in r["kinds"].values())
    workers = [p for p in r["processes"] if p["role"] == "worker"]
    floor = r["kinds"].get("blank no-op (floor)", {})
    return {
        "sessions": r["sessions"],
        "events_per_s": r["events_per_s"],
        "page_p95_ms": max((v["p95_ms"] for v in pages.values()), default=0),
        "handler_p95_ms": max((v["p95_ms"] for v in handlers.values()), default=0),
        "max_ms": max((v["max_ms"] for v in r["kinds"].values()), default=0),
        "ping_p95_ms": r["kinds"].get("socket ping", {}).get("p95_ms", 0),
        "floor_p95_ms": floor.get("p95_ms", 0),
        "errors": errors,
        "lock_expired": r["server_log"].get("lock expired", 0),
        "server_cpu_pct": round(sum(p["cpu_pct_mean"] for p in r["processes"] if p["role"] != "bench client"), 1),
        "worker_rss_mb_max": max((p["rss_mb_max"] for p in workers), default=0),
    }


# --------------------------------------------------------------------------------------------- processes
@dataclass
class ProcessSampler:
    """Samples CPU % and RSS of every process in the server's tree (and of the bench itself) once a second."""

    root_pid: int
    cpu: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    rss: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    label: dict[int, str] = field(default_factory=dict)
    machine: list[float] = field(default_factory=list)
    _procs: dict[int, psutil.Process] = field(default_factory=dict)

    def _tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.root_pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def prime(self) -> None:
        psutil.cpu_percent(None)
        for p in [*self._tree(), psutil.Process()]:
            self._procs.setdefault(p.pid, p).cpu_percent(None)

    def sample(self) -> None:
        self.machine.append(psutil.cpu_percent(None))
        me = psutil.Process().pid
        for p in [*self._tree(), psutil.Process()]:
            proc = self._procs.setdefault(p.pid, p)
            try:
                cpu, rss = proc.cpu_percent(None), proc.memory_info().rss
                if proc.pid not in self.label:
                    self.label[proc.pid] = (
                        "bench client" if proc.pid == me else "supervisor" if proc.pid == self.root_pid else _role(proc)
                    )
            except psutil.NoSuchProcess:
                continue
            self.cpu[proc.pid].append(cpu)
            self.rss[proc.pid] = max(self.rss[proc.pid], rss)

    async def run(self, stop: asyncio.Event) -> None:
        self.prime()
        while not stop.is_set():
            await asyncio.sleep(1)
            self.sample()

    def report(self) -> list[dict[str, Any]]:
        rows = [
            {
                "pid": pid,
                "role": self.label.get(pid, "?"),
                "cpu_pct_mean": round(statistics.fmean(v[1:] or v), 1),  # the first sample covers the prime gap
                "rss_mb_max": round(self.rss[pid] / 2**20),
            }
            for pid, v in self.cpu.items()
            if v
        ]
        return sorted(rows, key=lambda r: (r["role"] == "bench client", -r["cpu_pct_mean"]))


def _role(p: psutil.Process) -> str:
    """A child of the server: the job consumer (`prm_app.cli worker`), a web worker (a Python process serving
    events), or whatever else it runs."""
    name = p.name()
    try:
        cmdline = p.cmdline()
    except psutil.Error:
        cmdline = []
    if "prm_app.cli" in cmdline and "worker" in cmdline:
        return "job consumer"
    return "worker" if "python" in name or "reflex" in name or "granian" in name else name


# ------------------------------------------------------------------------------------------------ redis
class RedisWatch:
    """Redis INFO commandstats deltas, a watch over the state locks, and bytes per stored state."""

    def __init__(self, url: str) -> None:
        self.r = aioredis.Redis.from_url(url)
        self.own: Counter[str] = Counter()  # commands this bench sent, subtracted from the app's
        self.holds: dict[bytes, tuple[str, float]] = {}  # lock value -> (event name, longest hold seen, s)
        self.seen: dict[bytes, tuple[str, float, float]] = {}  # lock value -> (tab token, first seen, last seen)

    async def commandstats(self) -> Counter[str]:
        self.own["info"] += 1
        info = await self.r.info("commandstats")
        return Counter({k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in info.items()})

    async def watch_locks(self, stop: asyncio.Event, every_s: float = 0.2) -> None:
        """Every `every_s`, every `<token>_lock` key with its holder (the lock value starts with the event name)
        and how long it has been held (expiration minus PTTL)."""
        while not stop.is_set():
            cursor: int = 0
            keys: list[bytes] = []
            while True:
                self.own["scan"] += 1
                cursor, batch = await self.r.scan(cursor, match="*_lock", count=1000)
                keys += batch
                if cursor == 0:
                    break
            if keys:
                pipe = self.r.pipeline(transaction=False)
                for k in keys:
                    pipe.get(k)
                    pipe.pttl(k)
                self.own["get"] += len(keys)
                self.own["pttl"] += len(keys)
                res = await pipe.execute()
                at = time.perf_counter()
                for key, value, pttl in zip(keys, res[::2], res[1::2], strict=True):
                    if value is None or pttl is None or pttl < 0:
                        continue
                    token = key.decode().removesuffix("_lock")
                    self.seen[value] = (token, self.seen.get(value, (token, at, at))[1], at)
                    held = (LOCK_EXPIRATION_MS - pttl) / 1000
                    text = value.decode(errors="replace")
                    # Reflex names the event in the lock value; a bare id is a lock taken outside an event
                    # (linking a reconnecting socket to its token, or a background task's `async with self`).
                    event = text.rsplit(":", 1)[0] if ":" in text else "(no event: link or background)"
                    if held > self.holds.get(value, ("", 0.0))[1]:
                        self.holds[value] = (event, held)
            await asyncio.sleep(every_s)

    def lock_report(self) -> dict[str, Any]:
        long = sorted(self.holds.values(), key=lambda h: -h[1])
        by_event: dict[str, float] = {}
        for event, held in long:
            by_event.setdefault(event.rsplit(".", 1)[-1] if "." in event else event, held)
        return {
            "locks_seen": len(self.holds),
            "held_over_1s": sum(1 for _, h in long if h > 1),
            "held_over_5s": sum(1 for _, h in long if h > 5),
            "longest_s": round(long[0][1], 2) if long else 0.0,
            "longest_by_handler_s": {k: round(v, 2) for k, v in list(by_event.items())[:8]},
        }

    def stall_report(self, stalls: list[tuple[str, str, float, float]]) -> list[dict[str, Any]]:
        """For each stalled action: the locks of its tab seen held during it (handler, longest hold, seen from/to
        relative to the action's start), and how much of the stall no holder was seen (the lock was free, so the
        event was waiting for a wake-up rather than for a holder)."""
        out = []
        for token, kind, t0, t1 in stalls:
            holders = [
                # a lock seen only with its full expiry left (held 0 s) is in `seen` but not in `holds`
                (self.holds.get(v, ("?", 0.0))[0].rsplit(".", 1)[-1], self.holds.get(v, ("?", 0.0))[1], first - t0,
                 last - t0)
                for v, (tok, first, last) in self.seen.items()
                if tok == token and last >= t0 and first <= t1
            ]  # fmt: skip
            covered = sum(min(t1, t0 + b) - max(t0, t0 + a) for _, _, a, b in holders)
            out.append(
                {
                    "kind": kind,
                    "stall_s": round(t1 - t0, 2),
                    "holders": [
                        {"handler": h, "held_s": round(held, 2), "seen_from_s": round(a, 2), "seen_to_s": round(b, 2)}
                        for h, held, a, b in sorted(holders, key=lambda x: x[2])
                    ],
                    "seen_free_s": round(max(0.0, (t1 - t0) - covered), 2),
                }
            )
        return out

    async def bytes_per_state(self, tokens: list[str]) -> dict[str, Any]:
        """MEMORY USAGE of every stored state of up to 20 tabs: the mean per tab and per state (largest first)."""
        per_state: dict[str, list[int]] = defaultdict(list)
        per_tab: list[int] = []
        for token in tokens[:20]:
            total = 0
            async for key in self.r.scan_iter(match=f"{token}_*", count=1000):
                self.own["scan"] += 1
                if key.endswith(b"_lock"):
                    continue
                self.own["memory|usage"] += 1
                size = await self.r.memory_usage(key) or 0
                total += size
                per_state[key.decode().split("_", 1)[1].rsplit(".", 1)[-1]].append(size)
            per_tab.append(total)
        states = sorted(((k, round(statistics.fmean(v))) for k, v in per_state.items()), key=lambda kv: -kv[1])
        return {"tabs_sampled": len(per_tab), "bytes_per_tab_mean": round(statistics.fmean(per_tab or [0])),
                "bytes_per_state_mean": dict(states[:8])}  # fmt: skip

    async def close(self) -> None:
        await self.r.aclose()


def redis_delta(before: Counter[str], after: Counter[str], own: Counter[str], events: int) -> dict[str, Any]:
    app = Counter({k: after[k] - before[k] - own[k] for k in after}) - Counter()  # drop zero and negative
    total = sum(app.values())
    return {
        "calls": total,
        "calls_per_event": round(total / max(1, events), 1),
        "top": {k: round(v / max(1, events), 2) for k, v in app.most_common(8)},
    }


# ------------------------------------------------------------------------------------------- postgresql
def pg_xacts(url: str) -> int | None:
    """Committed + rolled-back transactions of the app's database so far (None when not PostgreSQL)."""
    if not url.startswith("postgresql"):
        return None
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else None


# ----------------------------------------------------------------------------------------------- the log
LOG_PATTERNS = {
    "lock expired": re.compile(r"Lock expired for token"),
    "lock held too long (warning)": re.compile(r"was held too long"),
    "unexpected error in a handler": re.compile(r"Unexpected error in an event handler"),
    "traceback": re.compile(r"^Traceback", re.M),
}


def log_counts(log: Path, start_offset: int) -> tuple[dict[str, int], list[str]]:
    """Counts of the patterns above in the server log after `start_offset`, and the handlers named in lock
    expiries ("Happened in event: ...")."""
    try:
        with log.open("rb") as f:
            f.seek(start_offset)
            text = f.read().decode(errors="replace")
    except OSError:
        return {}, []
    counts = {name: len(p.findall(text)) for name, p in LOG_PATTERNS.items()}
    handlers = re.findall(r"Lock expired.*?Happened in event: (\S+)", text)
    return counts, [h.rsplit(".", 1)[-1] for h in handlers]
