"""A SCORM commit round trip over HTTP next to a raw HTTP no-op, measured in the same run against the same server.

Starts the PRM prod build from this checkout on port 3072 (its own frontend build in .web-3072, a fresh migrated +
seeded SQLite database in a temp dir), signs in as a channel manager through the sign-in endpoint, opens a launch
of the seeded SCORM 1.2 package (POST /_scorm/launch) and then, on one keep-alive connection, interleaves:

- no-op: `GET /ping` (Reflex's own endpoint: no session, no database), the floor of an HTTP round trip;
- commit: `POST /_scorm/commit/<launch>` with the next sequence number and a realistic CMI tree (location,
  4 KB of suspend data, status, session time): resolve the session, lock the attempt, check, write, commit;
- repeat: the same commit again (what a page-close beacon sent twice costs: it changes nothing).

5 warm-ups, then 200 samples of each, timed with perf_counter around request + full response. Prints median /
p95 of each and the commit / no-op ratio of the medians; results also go to bench/results/scorm_commit.json.
Figures only: nothing is asserted. The server's process group is stopped at the end, also on error.

Run from the repo root: `python bench/scorm_commit.py`.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from page_load import START_TIMEOUT_S, Server, _base_env

ROOT = Path(__file__).resolve().parents[1]
PORT = 3072
URL = f"http://localhost:{PORT}"
MANAGER, PASSWORD = "maya.cm@vendor.example", "demo-partner-2026"
TITLE = "Security Suite fundamentals (SCORM 1.2)"
N, WARMUP = 200, 5
RESULTS = ROOT / "bench" / "results" / "scorm_commit.json"


def _server(tmp: Path) -> Server:
    import subprocess

    env = _base_env()
    env.update(
        REFLEX_DB_URL=f"sqlite:///{tmp / 'prm.db'}", PRM_APP_ORIGIN=URL, PRM_DEMO="1",
        REFLEX_WEB_WORKDIR=str(ROOT / f".web-{PORT}"),
    )  # fmt: skip
    for cmd in (["alembic", "upgrade", "head"], [sys.executable, "-m", "prm_app.cli", "seed"]):
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    return Server("PRM", ROOT, PORT, env, tmp / "server.log")


def _package_id(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id FROM scorm_package WHERE title = ?", (TITLE,)).fetchone()[0]


def _request(conn: http.client.HTTPConnection, method: str, path: str, body: bytes = b"", headers=None):
    conn.request(method, path, body=body or None, headers=headers or {})
    response = conn.getresponse()
    return response, response.read()


def _sign_in(conn: http.client.HTTPConnection) -> str:
    form = urlencode({"email": MANAGER, "password": PASSWORD}).encode()
    headers = {"Origin": URL, "Content-Type": "application/x-www-form-urlencoded"}
    response, _ = _request(conn, "POST", "/_auth/sign-in", form, headers)
    cookie = response.getheader("set-cookie") or ""
    if response.status != 303 or "prm_session=" not in cookie:
        raise RuntimeError(f"sign-in failed: {response.status}")
    return cookie.split(";", 1)[0]


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
        "n": len(ordered),
    }


def measure(package_id: int) -> dict[str, dict[str, float]]:
    conn = http.client.HTTPConnection("localhost", PORT, timeout=30)
    cookie = _sign_in(conn)
    headers = {"Origin": URL, "Content-Type": "application/json", "Cookie": cookie}
    response, body = _request(
        conn, "POST", "/_scorm/launch", json.dumps({"package_id": package_id, "context": "preview"}).encode(), headers
    )
    if response.status != 200:
        raise RuntimeError(f"launch failed: {response.status} {body[:200]!r}")
    commit_url = json.loads(body)["commit_url"]
    timings: dict[str, list[float]] = {"no-op": [], "commit": [], "repeat": []}
    for i in range(1, WARMUP + N + 1):
        cmi = {
            "core": {"lesson_location": f"page{i % 7}", "lesson_status": "incomplete", "exit": "suspend",
                     "session_time": f"00:{i // 60 % 60:02d}:{i % 60:02d}"},
            "suspend_data": "v" * 4096,
        }  # fmt: skip
        payload = json.dumps({"seq": i, "cmi": cmi}).encode()
        for kind, method, path, body in (
            ("no-op", "GET", "/ping", b""),
            ("commit", "POST", commit_url, payload),
            ("repeat", "POST", commit_url, payload),  # the beacon sent twice: answered "true", nothing changes
        ):
            start = time.perf_counter()
            response, answer = _request(conn, method, path, body, headers if body else None)
            elapsed = time.perf_counter() - start
            if response.status != 200 or (kind != "no-op" and json.loads(answer)["result"] != "true"):
                raise RuntimeError(f"{kind} failed: {response.status} {answer[:200]!r}")
            if i > WARMUP:
                timings[kind].append(elapsed)
    conn.close()
    return {kind: _stats(samples) for kind, samples in timings.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        server = _server(tmp)
        try:
            server.start()
            server.wait_until_up(("/ping", "/login"), time.monotonic() + START_TIMEOUT_S)
            results = measure(_package_id(tmp / "prm.db"))
        finally:
            server.stop()
    ratio = results["commit"]["median_ms"] / results["no-op"]["median_ms"]
    for kind, figures in results.items():
        print(f"{kind:>7}: median {figures['median_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms (n={figures['n']})")
    print(f"commit / no-op (medians): {ratio:.1f}x")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({**results, "ratio_commit_noop": round(ratio, 2)}, indent=2) + "\n")


if __name__ == "__main__":
    main()
