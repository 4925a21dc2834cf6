"""Faults during bench/load.py's load (issue #10), and what the simulated people saw of them.

- `--kill-worker-at S`: S seconds into a step's measured window, SIGKILL one web worker (a granian worker child of
  the launcher -- the one holding the most event sockets -- never the main process). The launcher's granian
  respawns it; the tabs it served reconnect by themselves (bench/load_people.py's `Tab`, as the browser does).
- `--cut db|redis --cut-at S --cut-for S`: the server reaches PostgreSQL or Redis through tests/e2e/fault_proxy.py's
  FaultProxy; S seconds into the window every connection through it is reset and new ones are refused for
  `--cut-for` seconds, as a restart of that service would, then it is let through again.

The report: errors by kind during the fault and after it; for a kill, how many tabs dropped and the time until every
one of them was back (reconnected, hydrated and its next action answered), and how long the worker took to respawn;
for a cut, whether the errors were the app's clear "briefly unavailable" toast rather than hangs (the longest action
that overlapped the cut), and the time from the end of the cut until p95 was back to what it was before.

After every step, `data_check`: every deal registration a simulated partner saw confirmed exists exactly once (under
the id it was confirmed with), a refused one does not exist, one whose answer was lost (in flight when its socket
dropped, or timed out) was applied at most once, and no partner has the same customer + product registered twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
from load_metrics import pct
from load_people import RUN, Recorder

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.e2e.fault_proxy: the same proxy the outage e2e test cuts

from tests.e2e.fault_proxy import FaultProxy  # noqa: E402

RECOVERY_BIN_S = 2.0  # p95 is judged "back to normal" per bin of this many seconds of actions (by start)


# ------------------------------------------------------------------------------------------------ injecting
def route_through_proxy(env: dict[str, str], service: str) -> FaultProxy:
    """Point the server's REFLEX_DB_URL (`service` "db") or REFLEX_REDIS_URL ("redis") in `env` at a new
    FaultProxy in front of the real one; the bench itself keeps talking to the real one."""
    import urllib.parse

    from sqlalchemy.engine import make_url

    if service == "db":
        url = make_url(env["REFLEX_DB_URL"])
        proxy = FaultProxy(url.host or "127.0.0.1", url.port or 5432)
        env["REFLEX_DB_URL"] = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    else:
        parts = urllib.parse.urlsplit(env["REFLEX_REDIS_URL"])
        proxy = FaultProxy(parts.hostname or "127.0.0.1", parts.port or 6379)
        env["REFLEX_REDIS_URL"] = parts._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
    return proxy


def web_workers(main_pid: int) -> list[psutil.Process]:
    """The launcher's web workers: granian forks them with the main process's command line (the job consumer is
    `prm_app.cli worker`, another one)."""
    main = psutil.Process(main_pid)
    found = []
    for child in main.children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and child.cmdline() == main.cmdline():
                found.append(child)
        except psutil.Error:
            continue
    return found


def _sockets(proc: psutil.Process, port: int) -> int:
    try:
        return sum(1 for c in proc.net_connections("tcp") if c.laddr and c.laddr.port == port and c.raddr)
    except psutil.Error:
        return 0


async def kill_worker(main_pid: int, port: int, at: float) -> dict[str, Any]:
    """At perf_counter `at`, SIGKILL the web worker with the most open sockets on `port`; then wait (up to 90 s)
    until the launcher has as many workers again."""
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    workers = web_workers(main_pid)
    if not workers:
        return {"kind": "kill", "error": "no web worker found"}
    victim = max(workers, key=lambda w: _sockets(w, port))
    sockets = _sockets(victim, port)
    start = time.perf_counter()
    os.kill(victim.pid, signal.SIGKILL)
    respawned = None
    while time.perf_counter() - start < 90:
        now = web_workers(main_pid)
        if len(now) >= len(workers) and victim.pid not in {w.pid for w in now}:
            respawned = time.perf_counter()
            break
        await asyncio.sleep(0.2)
    return {
        "kind": "kill",
        "start": start,
        "victim_pid": victim.pid,
        "workers_before": len(workers),
        "victim_sockets": sockets,
        "respawned_after_s": round(respawned - start, 1) if respawned else None,
        "main_alive": psutil.pid_exists(main_pid),
    }


async def cut(proxy: FaultProxy, service: str, at: float, seconds: float) -> dict[str, Any]:
    """At perf_counter `at`, reset every connection through `proxy` and refuse new ones for `seconds`."""
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    start = time.perf_counter()
    await asyncio.to_thread(proxy.cut)
    await asyncio.sleep(seconds)
    proxy.restore()
    return {"kind": f"cut {service}", "start": start, "end": time.perf_counter(), "cut_for_s": seconds}


# ------------------------------------------------------------------------------------------------ reporting
def fault_report(rec: Recorder, fault: dict[str, Any]) -> dict[str, Any]:
    """Errors by kind during and after the fault, the longest action overlapping it, and the recovery times."""
    if "start" not in fault:
        return fault
    start = fault["start"]
    out = {k: v for k, v in fault.items() if k not in ("start", "end")}
    timeline = [e for e in rec.timeline if not e[2].startswith("blank")]
    before = [(t1 - t0) * 1000 for t0, t1, _k, o in timeline if t1 < start and o == "ok"]
    base = pct(before, 95)
    out["p95_before_ms"] = round(base)
    if fault["kind"] == "kill":
        drops = [d for d in rec.drops if d.dropped >= start - 0.5]
        out["tabs_dropped"] = len(drops)
        out["tabs_with_an_action_in_flight"] = sum(1 for d in drops if d.in_flight)
        out["new_tokens_given"] = rec.new_tokens
        out["tabs_not_back"] = sum(1 for d in drops if d.answered is None)
        out["reconnect_attempts_max"] = max((d.attempts for d in drops), default=0)
        hydrated = [d.back - start for d in drops if d.back is not None]
        out["all_rehydrated_after_s"] = round(max(hydrated), 1) if len(hydrated) == len(drops) and drops else None
        back = [d.answered - start for d in drops if d.answered is not None]
        # A person's next action comes after its think time (about 10 s for an exec), so "answered" includes it;
        # next_action_ms_max says whether that action itself was served promptly.
        out["all_back_after_s"] = round(max(back), 1) if back and not out["tabs_not_back"] else None
        out["back_after_s_median"] = round(statistics.median(back), 1) if back else None
        out["next_action_ms_max"] = round(max((d.next_action_ms or 0 for d in drops), default=0))
        end = start + (max(back) if back else 0.0)
    else:
        end = fault["end"]
    out["errors_during"] = _errors(timeline, start, end)
    out["errors_after"] = _errors(timeline, end, float("inf"))
    out["errors_before"] = _errors(timeline, float("-inf"), start)
    overlapping = [(t1 - t0, k) for t0, t1, k, _o in timeline if t0 <= end and t1 >= start]
    longest = max(overlapping, default=(0.0, ""))
    out["longest_action_overlapping_s"] = {"seconds": round(longest[0], 1), "kind": longest[1]}
    out["normal_p95_again_after_end_s"] = _recovered(timeline, end, base)
    return out


def _errors(timeline: list[tuple[float, float, str, str]], lo: float, hi: float) -> dict[str, int]:
    """Failed actions by kind and error, counted where they started: one sent during the fault that timed out
    after it is the fault's (refusals by the domain, e.g. an approval that overlaps a protected claim, are not
    failures)."""
    counts = Counter(f"{k}: {o}" for t0, _t1, k, o in timeline if _failed(o) and lo <= t0 < hi)
    return dict(counts.most_common())


def _failed(outcome: str) -> bool:
    return outcome != "ok" and not outcome.startswith("refused")


def _recovered(timeline: list[tuple[float, float, str, str]], end: float, base_ms: float) -> float | None:
    """Seconds from `end` to the first bin of actions (by start) with no error and a p95 within 1.5x (or 100 ms
    of) the p95 before the fault; None when no such bin came before the window closed."""
    limit = max(1.5 * base_ms, base_ms + 100)
    after = sorted((t0, (t1 - t0) * 1000, o) for t0, t1, _k, o in timeline if t0 >= end)
    i = 0
    while i < len(after):
        lo = after[i][0]
        batch = [a for a in after[i:] if a[0] < lo + RECOVERY_BIN_S]
        healthy = not any(_failed(o) for *_x, o in batch)
        if len(batch) >= 3 and healthy and pct([ms for _t, ms, _o in batch], 95) <= limit:
            return round(lo - end, 1)
        i += len(batch)
    return None


# --------------------------------------------------------------------------------------------- data check
def data_check(db_url: str, submits: dict[str, str]) -> dict[str, Any]:
    """The deal registrations the simulated partners submitted (customer name -> what they saw), against the
    database (the bench's own connection, not through any proxy)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            stored: dict[str, list[int]] = {}
            # This run's registrations only (the names carry its id): kept data may hold earlier runs'.
            mine = {"pattern": f"Loadtest Customer {RUN}%"}
            rows = conn.execute(text("SELECT customer_name, id FROM deal WHERE customer_name LIKE :pattern"), mine)
            for name, deal_id in rows:
                stored.setdefault(name, []).append(int(deal_id))
            duplicates = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT d.organization_id, lower(d.customer_name), dp.product_id FROM deal d "
                    "JOIN deal_product dp ON dp.deal_id = d.id WHERE d.customer_name LIKE :pattern "
                    "GROUP BY 1, 2, 3 HAVING count(*) > 1) AS twice"
                ),
                mine,
            ).scalar_one()
    finally:
        engine.dispose()
    out: Counter[str] = Counter()
    for name, seen in submits.items():
        ids = stored.get(name, [])
        if seen.startswith("confirmed"):
            confirmed_id = int(seen.split()[1]) if seen.split()[1].isdigit() else -1
            key = "confirmed: stored once" if ids == [confirmed_id] else f"confirmed: BAD (stored {ids})"
        elif seen.startswith("refused"):
            key = "refused: not stored" if not ids else f"refused: BAD (stored {len(ids)}x)"
        else:
            key = {0: "no answer: not applied", 1: "no answer: applied once"}.get(len(ids), "no answer: BAD (twice)")
        out[key] += 1
    bad = sum(v for k, v in out.items() if "BAD" in k) + int(duplicates)
    return {"submits": len(submits), "outcomes": dict(out.most_common()), "duplicate_registrations": int(duplicates),
            "ok": bad == 0}  # fmt: skip


def print_fault(r: dict[str, Any]) -> None:
    print(f"fault: {r.get('kind')}: " + ", ".join(f"{k}={v}" for k, v in r.items() if k != "kind"))


def print_data_check(r: dict[str, Any]) -> None:
    verdict = "OK" if r["ok"] else "PROBLEM"
    print(f"data check ({verdict}): {r['submits']} deal submits: {r['outcomes']}; "
          f"duplicate registrations (partner + customer + product twice): {r['duplicate_registrations']}")  # fmt: skip
