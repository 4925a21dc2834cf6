"""One prod build for the end-to-end suites that `make test` runs at once (tools/e2e_parallel.py).

A prod build is minutes of CPU, and Reflex's prod run always makes one. Three suites used to make three identical
builds on two cores at the same moment. Now `E2E_SHARED_BUILD="<port>:<run id>"` names the suite that builds (its
server starts as usual); each other suite takes a copy of that build when it is ready and serves it with the
launcher's `--prebuilt` (prm_app/web/server.py). A build bakes in its server's port (the event socket's URL, e.g.
`ws://localhost:3055/_event`), so the copy has the port rewritten, and the gzip beside each rewritten file remade
(the server sends a browser the precompressed file when there is one).
"""

from __future__ import annotations

import gzip
import os
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_MARKER = ".e2e-build"  # in the build folder: the run id of the run whose build it is, once it is served


def plan(port: int) -> tuple[int, str] | None:
    """(builder's port, run id) when this run shares a build made by another suite's server, else None (build)."""
    shared = os.environ.get("E2E_SHARED_BUILD", "")
    if not shared:
        return None
    builder, run_id = shared.split(":", 1)
    return None if int(builder) == port else (int(builder), run_id)


def client_dir(port: int) -> Path:
    return ROOT / f".web-{port}" / "build" / "client"


def publish(port: int) -> None:
    """Say that the build of the server on `port` is made and served (called once that server answers)."""
    shared = os.environ.get("E2E_SHARED_BUILD", "")
    if shared and int(shared.split(":", 1)[0]) == port:
        (client_dir(port) / _MARKER).write_text(shared.split(":", 1)[1])


def adopt(builder: int, run_id: str, port: int, timeout: float = 900) -> None:
    """Wait for the build of `builder`'s server in this run, then copy it for the server on `port`."""
    source, marker = client_dir(builder), client_dir(builder) / _MARKER
    deadline = time.time() + timeout
    while not (marker.is_file() and marker.read_text() == run_id):
        if time.time() > deadline:
            raise RuntimeError(f"the shared build on port {builder} was not ready in {timeout:.0f} s")
        time.sleep(1)
    target = client_dir(port)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(_MARKER))
    old, new = f"//localhost:{builder}".encode(), f"//localhost:{port}".encode()
    for path in target.rglob("*"):
        if not path.is_file() or path.suffix == ".gz":
            continue
        data = path.read_bytes()
        if old in data:
            data = data.replace(old, new)
            path.write_bytes(data)
            packed = path.with_name(path.name + ".gz")
            if packed.exists():
                packed.write_bytes(gzip.compress(data, mtime=0))
