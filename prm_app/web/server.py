"""Serving the prod build: `python -m prm_app.web.server --port 3000` (what `cli serve` and `cli demo` run).

It is `reflex run --env prod --single-port` in this process, with what Reflex 0.10.1 leaves out:
- **Failed workers are respawned.** Reflex builds granian's server itself, without its `respawn_failed_workers`
  option, so one worker that died (SIGKILL, out of memory) shut the whole app down and disconnected everyone.
  Here granian restarts that worker; browsers reconnect to a live worker and carry on (state is in Redis).
- **The worker count comes from the cores** (Reflex's default is 2 × cores + 1, which on 2 cores meant 5 workers
  contending for them). One worker without Redis: in-memory state cannot be shared. PRM_WEB_WORKERS overrides.
- **A job-queue consumer** (`python -m prm_app.cli worker`) runs beside it as a child process, so one command
  starts everything. PRM_JOBS=external leaves that to separately run consumers (scale-out).
- **`--prebuilt` serves the frontend build already in the web directory** (REFLEX_WEB_WORKDIR) instead of making
  one: Reflex's prod run always compiles and builds (minutes of CPU), and its backend-only run serves no frontend.
  The end-to-end suites build once and serve that build on each suite's port (tests/e2e/shared_build.py).
"""

from __future__ import annotations

import argparse
import atexit
import os
import subprocess
import sys
from typing import Any

from prm_app.platform.settings import PROJECT_DIR, settings

WORKER_KILL_TIMEOUT_SECONDS = 10  # on shutdown, a worker still busy after this is killed
CONSUMER_STOP_SECONDS = 30  # on shutdown, the consumer's running jobs get this long to finish


def web_workers() -> int:
    """How many web workers to run: one per core scaled out (Redis shares state), else one."""
    if settings.web_workers:
        return settings.web_workers
    if not settings.redis_url:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _respawn_failed_workers() -> None:
    """Make the granian server Reflex builds respawn a worker that dies (Reflex imports the class at call time)."""
    import granian.server as granian_server

    base = granian_server.Server

    class RespawningServer(base):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            kwargs.setdefault("workers_kill_timeout", WORKER_KILL_TIMEOUT_SECONDS)
            super().__init__(*args, **kwargs)

    granian_server.Server = RespawningServer


def _start_consumer() -> subprocess.Popen[bytes]:
    """The job consumer as a child; it stops gracefully with this process (atexit) or when orphaned."""
    consumer = subprocess.Popen(  # noqa: S603  (our own module, no shell)
        [sys.executable, "-m", "prm_app.cli", "worker", "--parent", str(os.getpid())], cwd=PROJECT_DIR
    )

    def stop() -> None:
        if consumer.poll() is None:
            consumer.terminate()  # SIGTERM: graceful for the consumer
            try:
                consumer.wait(CONSUMER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                consumer.kill()

    atexit.register(stop)
    return consumer


def _serve_frontend_from_backend() -> None:
    """Make Reflex's backend-only prod run mount the compiled frontend, as its single-port run does (Reflex looks the
    function up at call time)."""
    from reflex.constants import LogLevel
    from reflex.utils import exec as reflex_exec

    run = reflex_exec.run_backend_prod

    def run_with_frontend(
        host: str, port: int, loglevel: LogLevel = LogLevel.ERROR, mount_frontend_compiled_app: bool = False
    ) -> None:
        run(host, port, loglevel, mount_frontend_compiled_app=True)

    reflex_exec.run_backend_prod = run_with_frontend


def main(port: int, *, prebuilt: bool = False) -> None:
    os.chdir(PROJECT_DIR)
    os.environ["GRANIAN_WORKERS"] = str(web_workers())
    if not settings.jobs_external:
        _start_consumer()
    _respawn_failed_workers()
    from reflex.reflex import cli

    if prebuilt:
        _serve_frontend_from_backend()
        args = ["run", "--env", "prod", "--backend-only", "--backend-port", str(port)]
    else:
        args = ["run", "--env", "prod", "--single-port", "--frontend-port", str(port)]
    cli.main(args=args, prog_name="reflex")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m prm_app.web.server")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--prebuilt", action="store_true", help="serve the build in the web directory, do not build")
    options = parser.parse_args()
    main(options.port, prebuilt=options.prebuilt)
