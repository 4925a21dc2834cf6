"""Simulated people over the real event socket: how many signed-in sessions one machine holds, and what each costs.

Starts the app through the production launcher (`start_server`: `python -m prm_app.web.server`, so what is measured
is what production runs -- granian respawning failed workers, the job consumer beside them) on PostgreSQL + Redis with
several workers (PRM_WEB_WORKERS, default = cores), or `--sqlite` with one worker and state in memory, migrated and
seeded with the demo program (PRM_DEMO=1, so the demo logins work). Next to it, a blank Reflex app with one no-op
handler: the floor any Reflex event pays, measured by the same client code in the same window.

Then, for each step of `--sessions` (e.g. 25,50,100,200), N people each open a tab (bench/load_people.py) and act
at about one event a second with jitter for `--seconds`: partners browse their deals and register new ones,
channel managers work the registrations queue (approve / reject) and the lead queue, execs keep the dashboards
open (live pushes) and change a filter now and then. `--idle-dashboards N` instead opens N dashboards that only
wait, with nothing changing, and reports what they cost in CPU.

Prints per kind of event: count, events/s, p50/p95/p99/max and errors (timeouts, error toasts); CPU % and RSS per
server process; Redis calls and PostgreSQL transactions per client event; Redis bytes per tab and per state; the
longest state-lock holds by handler (Redis mode) and the server log's "lock expired" lines. Results go to
bench/results/load_<mode>.json (and `--json PATH`). Figures only: nothing is asserted.

Faults (bench/load_faults.py): `--kill-worker-at S` SIGKILLs a web worker S seconds into each window; `--cut db|redis`
cuts PostgreSQL or Redis (through tests/e2e/fault_proxy.py's FaultProxy) for `--cut-for` seconds at `--cut-at`. After
every step a data check of the deal registrations the partners submitted. `--floor-load` runs the steps against the
blank app alone (same workers, state in Redis): the framework's own ceiling, next to the app's last results.

The bench DROPS the public schema of `--db-url` (unless `--keep-data`) and FLUSHES the Redis database of `--redis-url`:
give it its own.

Run from the repo root:
  .venv/bin/python bench/load.py --sessions 25,50,100,200 --seconds 60            # PostgreSQL + Redis, workers = cores
  .venv/bin/python bench/load.py --sessions 25,50 --sqlite                        # the embedded default
  .venv/bin/python bench/load.py --idle-dashboards 50 --seconds 60
  .venv/bin/python bench/load.py --sessions 25,50 --kill-worker-at 15                # a worker dies mid-step
  .venv/bin/python bench/load.py --sessions 25,50 --cut redis --cut-at 20 --cut-for 5
  .venv/bin/python bench/load.py --floor-load --sessions 25,50,100,200 [--think-scale 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_PY = ROOT / ".venv" / "bin" / "python"
# Re-run under the project's venv if started with another interpreter (Reflex, socketio and psutil live there).
if VENV_PY.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    os.execv(str(VENV_PY), [str(VENV_PY), *sys.argv])  # noqa: S606  (same script, argv as given)

import load_faults as faults  # noqa: E402
import load_locktrace as locktrace  # noqa: E402
import load_people as people  # noqa: E402
from load_metrics import ProcessSampler, RedisWatch, kinds_table, log_counts, pg_xacts, redis_delta, summary_row  # noqa: E402
from page_load import START_TIMEOUT_S, Server, _base_env  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BLANK_NOOP_APP = """\
import reflex as rx


class BlankState(rx.State):
    count: int = 0

    @rx.event
    def noop(self):
        self.count += 1  # the smallest change that still sends a delta back, so the client sees the event end


def index() -> rx.Component:
    return rx.text(BlankState.count)


app = rx.App()
app.add_page(index, route="/", title="Blank")
"""
BLANK_RXCONFIG = 'import reflex as rx\n\nconfig = rx.Config(app_name="blank", telemetry_enabled=False, ' \
    'show_built_with_reflex=False, disable_plugins=[rx.plugins.SitemapPlugin])\n'  # fmt: skip
FLOOR_TABS = 2  # blank tabs at ~1 event/s during every window
FLOOR_LOAD_KIND = "no-op event (floor load)"  # `--floor-load`: every person is a blank tab, at the people's pace
WARMUP_S = 5.0


def start_server(cwd: Path, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start the app in `cwd` on `port` the way production does -- the launcher `python -m prm_app.web.server`
    (`cli serve` runs it): the prod build on one port, granian respawning a worker that dies, the job consumer as a
    child -- in its own process group, logging to `log`. PRM_WEB_WORKERS in `env` sets the worker count."""
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "prm_app.web.server", "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


class AppServer(Server):
    def start(self) -> None:
        self.proc = start_server(self.cwd, self.port, self.env, self.log)


def _prepare_prm(args: argparse.Namespace, tmp: Path) -> AppServer:
    env = _base_env()
    env.update(PRM_APP_ORIGIN=f"http://localhost:{args.port}", PRM_DEMO="1")
    env["REFLEX_WEB_WORKDIR"] = str(ROOT / f".web-{args.port}")  # a build bakes in its port: never share one
    if args.sqlite:
        env["REFLEX_DB_URL"] = args.direct_db_url = f"sqlite:///{tmp / 'load.db'}"
    else:
        if not args.keep_data:
            _drop_public_schema(args.db_url)
        _flush_redis(args.redis_url)
        env.update(REFLEX_DB_URL=args.db_url, REFLEX_REDIS_URL=args.redis_url)
        args.direct_db_url = args.db_url
    env["PRM_WEB_WORKERS"] = str(args.workers)
    # Migrated (a no-op on kept data) and seeded with the demo program (seeding again duplicates nothing).
    for cmd in (["alembic", "upgrade", "head"], [sys.executable, "-m", "prm_app.cli", "seed"]):
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    if args.trace_locks:
        locktrace.install(env, args.trace_dir)
    if args.cut:  # only the server goes through the proxy: the bench's own checks reach the service directly
        args.proxy = faults.route_through_proxy(env, args.cut)
    return AppServer("PRM", ROOT, args.port, env, tmp / "prm-server.log")


def _drop_public_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _prepare_blank(args: argparse.Namespace, tmp: Path) -> Server:
    """The blank app; for `--floor-load` with the PRM app's worker count and its state in Redis (as the PRM app's)."""
    # Kept between runs (one per port, as .web-<port> is for the PRM app): its frontend packages install once.
    app_dir = Path(tempfile.gettempdir()) / f"prm-load-blank-{args.blank_port}"
    (app_dir / "blank").mkdir(parents=True, exist_ok=True)
    (app_dir / "rxconfig.py").write_text(BLANK_RXCONFIG)
    (app_dir / "blank" / "__init__.py").write_text("")
    (app_dir / "blank" / "blank.py").write_text(BLANK_NOOP_APP)
    env = _base_env()
    if args.floor_load and not args.sqlite:
        _flush_redis(args.redis_url)
        env.update(REFLEX_REDIS_URL=args.redis_url, GRANIAN_WORKERS=str(args.workers))
    elif args.floor_load:
        env["GRANIAN_WORKERS"] = "1"
    return Server("blank", app_dir, args.blank_port, env, tmp / "blank-server.log")


# ------------------------------------------------------------------------------------------------ one step
def _cast(n: int, idle: bool, floor_load: bool = False) -> list[tuple[str, str, str]]:
    """(role, account, first page) for n people: 60 % partners, 25 % channel managers, 15 % execs (at least one
    of each from 7 people on); `idle`: n execs; `floor_load`: n people of the blank app."""
    if floor_load:
        return [("floor", "", "/")] * n
    if idle:
        return [("exec", people.EXECS[0], "/dashboards")] * n
    execs = max(1, round(n * 0.15)) if n >= 7 else 0
    managers = max(1, round(n * 0.25)) if n >= 4 else 0
    cast = [("exec", people.EXECS[i % len(people.EXECS)], "/dashboards") for i in range(execs)]
    cast += [("manager", people.MANAGERS[i % len(people.MANAGERS)], "/registrations") for i in range(managers)]
    cast += [("partner", people.PARTNERS[i % len(people.PARTNERS)], "/deals") for i in range(n - len(cast))]
    return cast


async def _person(role: str, tab: people.Tab, rng: random.Random, stop: asyncio.Event, idle: bool) -> None:
    try:
        if role == "partner":
            await people.partner(tab, rng, stop)
        elif role == "manager":
            await people.manager(tab, rng, stop)
        elif role == "exec":
            await people.executive(tab, rng, stop, idle=idle)
        elif role == "floor":
            await people.blank(tab, rng, stop, kind=FLOOR_LOAD_KIND)
        else:
            await people.blank(tab, rng, stop)
    except (ConnectionError, OSError) as exc:  # the socket went away: counted, the person stops
        tab.rec.error(f"{role} session", type(exc).__name__)


Jars = dict[tuple[str, int], dict[str, str]]


async def _sign_in_all(url: str, cast: list[tuple[str, str, str]], cookies: Jars) -> None:
    """Person i's own cookie jar (one sign-in each, kept across steps); a few sign-ins at a time (argon2). A jar is
    keyed by account and place: the cast of a larger step puts other roles at the same places (keyed by place alone,
    at 50 sessions partners' cookies opened the channel managers' pages and were refused)."""
    gate = asyncio.Semaphore(4)

    async def one(i: int, account: str) -> None:
        async with gate:
            cookies[account, i] = await people.sign_in(url, account) if account else {}

    await asyncio.gather(*(one(i, a) for i, (_, a, _) in enumerate(cast) if (a, i) not in cookies))


async def run_step(args: argparse.Namespace, n: int, prm: Server, cookies: Jars) -> dict:
    """One step: n people for args.seconds (after ramp-up and WARMUP_S), with the floor alongside (`prm` is the
    blank app itself with `--floor-load`); a fault in the window with `--kill-worker-at` / `--cut`."""
    idle = bool(args.idle_dashboards)
    rec = people.Recorder()
    rng = random.Random(args.seed + n)
    cast = _cast(n, idle, args.floor_load)
    await _sign_in_all(prm.url, cast, cookies)
    tabs = [people.Tab(prm.url, cookies[a, i], rec, page=p) for i, (_, a, p) in enumerate(cast)]
    floor = [people.Tab(f"http://localhost:{args.blank_port}", {}, rec, page="/")
             for _ in range(0 if args.floor_load else FLOOR_TABS)]  # fmt: skip
    t0 = time.perf_counter()
    ramp = min(15.0, n / 15)  # people arrive over a few seconds, not in one burst

    failed: list[str] = []

    async def arrive(i: int, tab: people.Tab) -> None:
        await asyncio.sleep(i * ramp / max(1, len(tabs)))
        try:
            await tab.connect("connect + hydrate (ramp-up)" if i < len(tabs) else "blank connect")
        except Exception as exc:  # counted; that person's loop then stops at its first event
            failed.append(type(exc).__name__)

    await asyncio.gather(*(arrive(i, t) for i, t in enumerate([*tabs, *floor])))
    ramp_s = time.perf_counter() - t0
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_person(r, t, random.Random(rng.random()), stop, idle)) for (r, _, _), t in
             zip(cast, tabs, strict=True)]  # fmt: skip
    tasks += [asyncio.create_task(_person("blank", t, random.Random(rng.random()), stop, idle)) for t in floor]
    await asyncio.sleep(WARMUP_S)

    log_offset = prm.log.stat().st_size
    sampler, stop_watch = ProcessSampler(prm.proc.pid), asyncio.Event()  # type: ignore[union-attr]
    rw = None if args.sqlite else RedisWatch(args.redis_url)
    before = await rw.commandstats() if rw else None
    xacts0 = await asyncio.to_thread(pg_xacts, "" if args.sqlite or args.floor_load else args.db_url)
    watchers = [asyncio.create_task(sampler.run(stop_watch))]
    if rw:
        watchers.append(asyncio.create_task(rw.watch_locks(stop_watch)))
    traced = locktrace.offsets(args.trace_dir) if args.trace_locks else {}
    rec.recording, w0 = True, time.perf_counter()
    fault = _inject(args, prm, w0)
    await asyncio.sleep(args.seconds)
    rec.recording, window = False, time.perf_counter() - w0
    after = await rw.commandstats() if rw else None
    xacts1 = await asyncio.to_thread(pg_xacts, "" if args.sqlite or args.floor_load else args.db_url)
    stop_watch.set()
    await asyncio.gather(*watchers)

    stop.set()
    await asyncio.wait(tasks, timeout=people.ACTION_TIMEOUT_S + 5)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*(tab.close() for tab in [*tabs, *floor]), return_exceptions=True)
    await asyncio.sleep(1)  # the last lines of the log
    log, expired_in = log_counts(prm.log, log_offset)
    fault_result = faults.fault_report(rec, await fault) if fault else None

    kinds = kinds_table(rec.latencies, rec.errors, window)
    events = sum(
        k["count"] + sum(k["errors"].values())
        for name, k in kinds.items()
        if not name.startswith(("blank", "reconnect", "connect"))
    )
    result: dict[str, Any] = {
        "sessions": n,
        "people": {r: sum(1 for c in cast if c[0] == r) for r in ("partner", "manager", "exec")},
        "seconds": round(window, 1),
        "ramp_up_s": round(ramp_s, 1),
        "connect_failures": failed,
        "client_events": events,
        "events_per_s": round(events / window, 1),
        "pushes_per_s": round(rec.pushes / window, 1),
        "kinds": kinds,
        "processes": sampler.report(),
        "machine_cpu_pct_mean": round(sum(sampler.machine) / max(1, len(sampler.machine)), 1),
        "load_average_1m": round(os.getloadavg()[0], 1),  # other work on the machine shares the cores
        "server_log": log,
        "lock_expired_in": expired_in,
    }
    if xacts0 is not None and xacts1 is not None:
        result["pg_xacts_per_event"] = round((xacts1 - xacts0) / max(1, events), 2)
    if rw and before is not None and after is not None:
        result["redis"] = redis_delta(before, after, rw.own, events)
        result["locks"] = rw.lock_report()
        result["stalls"] = rw.stall_report(rec.stalls)
        result["redis_state_bytes"] = await rw.bytes_per_state([t.token for t in tabs])
        await rw.close()
    if args.trace_locks:
        result["lock_trace"] = locktrace.report(args.trace_dir, traced)
    result["redis_calls_per_s"] = round(result.get("redis", {}).get("calls", 0) / window, 1)
    if fault_result:
        result["fault"] = fault_result
    if not args.floor_load:
        result["data_check"] = await asyncio.to_thread(faults.data_check, args.direct_db_url, rec.submits)
    return result


def _inject(args: argparse.Namespace, server: Server, w0: float) -> asyncio.Task | None:
    """The fault of `--kill-worker-at` / `--cut`, scheduled into the window that starts at `w0` (perf_counter)."""
    assert server.proc is not None
    if args.kill_worker_at is not None:
        return asyncio.create_task(faults.kill_worker(server.proc.pid, server.port, w0 + args.kill_worker_at))
    if args.cut:
        return asyncio.create_task(faults.cut(args.proxy, args.cut, w0 + args.cut_at, args.cut_for))
    return None


# ----------------------------------------------------------------------------------------------- printing
def print_step(r: dict, mode: str) -> None:
    print(f"\n=== {r['sessions']} sessions ({r['people']}) on {mode}: {r['seconds']} s measured after "
          f"{r['ramp_up_s']} s ramp-up; {r['events_per_s']} client events/s, {r['pushes_per_s']} pushes/s")  # fmt: skip
    print(f"{'kind of event':<30}{'count':>7}{'ev/s':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}  errors")
    for kind, k in r["kinds"].items():
        errs = ", ".join(f"{v} {e}" for e, v in k["errors"].items()) or "-"
        print(f"{kind:<30}{k['count']:>7}{k['per_s']:>7.1f}{k['p50_ms']:>7}{k['p95_ms']:>7}{k['p99_ms']:>7}"
              f"{k['max_ms']:>7}  {errs}")  # fmt: skip
    print(f"processes (machine CPU {r['machine_cpu_pct_mean']} % of {os.cpu_count()} cores, "
          f"load average {r['load_average_1m']}):")  # fmt: skip
    for p in r["processes"]:
        print(f"  {p['role']:<26} pid {p['pid']:<8} CPU {p['cpu_pct_mean']:>6.1f} %   RSS {p['rss_mb_max']:>5} MB")
    if "redis" in r:
        print(f"Redis: {r['redis']['calls_per_event']} calls per client event ({r['redis_calls_per_s']}/s, "
              f"commands run inside scripts included); top per event: {r['redis']['top']}")  # fmt: skip
        b = r["redis_state_bytes"]
        print(f"Redis bytes: {b['bytes_per_tab_mean']} per tab (mean of {b['tabs_sampled']}); per state: "
              f"{b['bytes_per_state_mean']}")  # fmt: skip
        print(f"state locks: {r['locks']}")
        for st in r.get("stalls", []):
            print(f"  stall {st['stall_s']} s in {st['kind']!r}: lock free (no holder seen) {st['seen_free_s']} s; "
                  f"holders {st['holders']}")  # fmt: skip
    if "pg_xacts_per_event" in r:
        print(f"PostgreSQL: {r['pg_xacts_per_event']} transactions per client event")
    print(f"server log: {r['server_log']} {r['lock_expired_in'] or ''}")
    if "lock_trace" in r:
        locktrace.print_report(r["lock_trace"])
    if "fault" in r:
        faults.print_fault(r["fault"])
    if "data_check" in r:
        faults.print_data_check(r["data_check"])


def print_summary(rows: list[dict], mode: str) -> None:
    print(f"\n{mode}: target 200 sessions, p95 < 250 ms for page events, 0 errors")
    cols = list(rows[0])
    print(" | ".join(cols))
    for row in rows:
        print(" | ".join(str(row[c]) for c in cols))


# ----------------------------------------------------------------------------------------------- main
def _args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", default="25", help="people per step, e.g. 25,50,100,200 (one step each)")
    ap.add_argument("--seconds", type=float, default=60, help="measured time per step")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server workers (Redis mode)")
    ap.add_argument("--sqlite", action="store_true", help="SQLite, state in memory, one worker")
    ap.add_argument("--idle-dashboards", type=int, default=0, help="only N execs with dashboards open, idle")
    ap.add_argument(
        "--db-url", default=os.environ.get("LOAD_DB_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_load")
    )
    ap.add_argument("--redis-url", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7"))
    ap.add_argument("--port", type=int, default=3103)
    ap.add_argument("--blank-port", type=int, default=3104)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--trace-locks", action="store_true", help="log every state-lock acquisition in the server")
    ap.add_argument(
        "--keep-data",
        action="store_true",
        help="do not drop --db-url's public schema (e.g. scale data "
        "seeded there, or in a schema named by ?options=-csearch_path%%3D<schema>); still migrates + seeds",
    )
    ap.add_argument(
        "--floor-load",
        action="store_true",
        help="the steps against the blank app's no-op event alone "
        "(same workers, state in Redis): the framework's own ceiling, next to the app's last results",
    )
    ap.add_argument("--kill-worker-at", type=float, help="SIGKILL one web worker this many s into each window")
    ap.add_argument(
        "--cut",
        choices=("db", "redis"),
        help="route the server's PostgreSQL or Redis through a proxy and cut it in each window (--cut-at, --cut-for)",
    )
    ap.add_argument("--cut-at", type=float, default=15, help="seconds into the window")
    ap.add_argument("--think-scale", type=float, default=1.0, help="scale every think time (0.2: people act 5x as "
                    "often), to push the --floor-load past what 1 event/s per person offers")  # fmt: skip
    ap.add_argument("--cut-for", type=float, default=5, help="seconds the service stays cut")
    args = ap.parse_args(argv)
    args.steps = [args.idle_dashboards] if args.idle_dashboards else [int(s) for s in args.sessions.split(",")]
    people.THINK_SCALE = args.think_scale
    if args.sqlite:
        args.workers, args.trace_locks = 1, False  # no Redis, no lock
        if args.cut:
            ap.error("--cut needs PostgreSQL + Redis")
    if args.floor_load and (args.cut or args.kill_worker_at is not None or args.idle_dashboards):
        ap.error("--floor-load runs the blank app alone, without faults or idle dashboards")
    return args


async def _run_steps(args: argparse.Namespace, prm: Server) -> list[dict]:
    cookies: Jars = {}
    results = []
    for n in args.steps:
        results.append(await run_step(args, n, prm, cookies))
        print_step(results[-1], _mode(args))
    return results


def _mode(args: argparse.Namespace) -> str:
    what = "idle dashboards, " if args.idle_dashboards else "blank app (floor load), " if args.floor_load else ""
    if args.cut:
        what += f"{args.cut} cut for {args.cut_for:g} s at {args.cut_at:g} s, "
    elif args.kill_worker_at is not None:
        what += f"worker killed at {args.kill_worker_at:g} s, "
    if args.think_scale != 1:
        what += f"think times x{args.think_scale:g}, "
    if args.floor_load:
        return what + ("1 worker, state in memory" if args.sqlite else f"Redis, {args.workers} workers")
    return what + ("SQLite, 1 worker" if args.sqlite else f"PostgreSQL + Redis, {args.workers} workers")


def _result_name(args: argparse.Namespace) -> str:
    if args.idle_dashboards:
        return "idle"
    name = ("sqlite" if args.sqlite else f"pg_redis_{args.workers}w") + ("_kept_data" if args.keep_data else "")
    if args.floor_load:
        return f"floor_{name}" + (f"_think{args.think_scale:g}" if args.think_scale != 1 else "")
    if args.cut:
        return f"{name}_cut_{args.cut}"
    return f"{name}_kill" if args.kill_worker_at is not None else name


def print_floor_vs_app(rows: list[dict], args: argparse.Namespace) -> dict[int, dict]:
    """The floor load's steps next to the app's from its last plain run of the same mode (bench/results)."""
    app_file = RESULTS / f"load_{'sqlite' if args.sqlite else f'pg_redis_{args.workers}w'}.json"
    try:
        app = {r["sessions"]: r for r in json.loads(app_file.read_text())["summary"]}
        measured = json.loads(app_file.read_text())["measured_at"]
    except (OSError, ValueError, KeyError):
        app, measured = {}, "never"
    print(f"\nthe framework's own ceiling (blank no-op events) next to the app ({app_file.name}, measured {measured}):")
    print(f"{'sessions':>8}{'floor ev/s':>12}{'floor p95':>11}{'floor err':>10}{'app ev/s':>10}{'app page p95':>14}"
          f"{'app handler p95':>17}{'app err':>9}")  # fmt: skip
    for r in rows:
        a = app.get(r["sessions"], {})
        print(f"{r['sessions']:>8}{r['events_per_s']:>12}{r['handler_p95_ms']:>11}{r['errors']:>10}"
              f"{a.get('events_per_s', '-'):>10}{a.get('page_p95_ms', '-'):>14}{a.get('handler_p95_ms', '-'):>17}"
              f"{a.get('errors', '-'):>9}")  # fmt: skip
    return app


def _exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # so the `finally` below still stops both servers


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGHUP, _exit)
    with tempfile.TemporaryDirectory(prefix="prm-load-") as tmp_name:
        tmp = Path(tmp_name)
        args.trace_dir = tmp / "locktrace"
        blank = _prepare_blank(args, tmp)
        prm = None if args.floor_load else _prepare_prm(args, tmp)
        try:
            print(f"building and starting {_mode(args)}: {prm.url if prm else '(no PRM app)'}, blank {blank.url}...",
                  flush=True)  # fmt: skip
            deadline = time.monotonic() + START_TIMEOUT_S
            for server, paths in ((prm, ("/ping", "/login")), (blank, ("/ping", "/"))):
                if server is not None:
                    server.start()
                    server.wait_until_up(paths, deadline)
            results = asyncio.run(_run_steps(args, prm or blank))
        except BaseException:
            print(f"\n--- server log (tail) ---\n{(prm or blank).log_tail()}", file=sys.stderr)
            raise
        finally:
            for server in (prm, blank):
                if server is not None:
                    server.stop()
            if prm is not None and (args.cut or args.kill_worker_at is not None):  # what the server said of the fault
                RESULTS.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(prm.log, RESULTS / f"load_{_result_name(args)}.server.log")
            if getattr(args, "proxy", None):
                args.proxy.close()
    rows = [summary_row(r) for r in results]
    print_summary(rows, _mode(args))
    out = {
        "benchmark": "load",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": _mode(args),
        "workers": args.workers,
        "summary": rows,
        "steps": results,
        "env": {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()},
    }
    if args.floor_load:
        out["app_summary"] = print_floor_vs_app(rows, args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for path in {RESULTS / f"load_{_result_name(args)}.json", *([args.json] if args.json else [])}:
        path.write_text(json.dumps(out, indent=2) + "\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
