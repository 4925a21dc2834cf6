"""Run several end-to-end suites at once, each with its own server (port) and database, and fail if any
fails: `python -m tools.e2e_parallel "name|ENV=value ...|pytest arguments" ...`.

Why: the browser tests, the hostile handler sweep and the scale-out run spend most of their time waiting on the
app (page loads, settle periods, socket round trips), not computing, so on two cores they finish in about the time
of the longest one instead of the sum. The first suite's server makes the one prod build; the others serve copies of
it (E2E_SHARED_BUILD, tests/e2e/shared_build.py) instead of making two more. Each suite's lines are prefixed with
its name as they arrive; the summary at the end gives each suite's result and time.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
import time
import uuid


def _pump(name: str, proc: subprocess.Popen, lock: threading.Lock, ended: dict[str, float]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        with lock:
            sys.stdout.write(f"[{name}] {line}")
            sys.stdout.flush()
    proc.wait()
    ended[name] = time.monotonic()


def main(specs: list[str]) -> int:
    lock = threading.Lock()
    ended: dict[str, float] = {}
    runs = []
    parsed = [(name, dict(item.split("=", 1) for item in shlex.split(env_text)), args)
              for name, env_text, args in (spec.split("|", 2) for spec in specs)]  # fmt: skip
    shared = {"E2E_SHARED_BUILD": f"{parsed[0][1].get('E2E_PORT', '3055')}:{uuid.uuid4().hex}"}
    for name, suite_env, args in parsed:
        env = dict(os.environ) | shared | suite_env
        proc = subprocess.Popen(  # noqa: S603  (pytest with the Makefile's arguments, no shell)
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *shlex.split(args)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        pump = threading.Thread(target=_pump, args=(name, proc, lock, ended), daemon=True)
        pump.start()
        runs.append((name, proc, pump, time.monotonic()))
    worst = 0
    summary = []
    for name, proc, pump, started in runs:
        code = proc.wait()
        pump.join()
        took = ended[name] - started
        summary.append(f"{name}: {'passed' if code == 0 else f'FAILED (exit {code})'} in {took:.0f} s")
        worst = worst or code
    print("\n".join(["", "end-to-end suites:", *summary]))
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
