"""The e2e suites' shared prod build (tests/e2e/shared_build.py): a copy serves another port, gzip included."""

from __future__ import annotations

import gzip
import threading

import pytest

from tests.e2e import shared_build


@pytest.fixture
def builds(tmp_path, monkeypatch):
    monkeypatch.setattr(shared_build, "ROOT", tmp_path)
    monkeypatch.setenv("E2E_SHARED_BUILD", "3055:run-1")
    client = shared_build.client_dir(3055)
    (client / "assets").mkdir(parents=True)
    env = b'export default {"EVENT":"ws://localhost:3055/_event","PING":"http://localhost:3055/ping"}'
    (client / "assets" / "env-1.js").write_bytes(env)
    (client / "assets" / "env-1.js.gz").write_bytes(gzip.compress(env))
    (client / "index.html").write_bytes(b"<p>port 30550 is not an address</p>")
    return client


def test_the_building_suite_builds_and_the_others_adopt():
    assert shared_build.plan(3055) is None


def test_a_copy_serves_its_own_port_plain_and_gzipped(builds):
    assert shared_build.plan(3056) == (3055, "run-1")
    shared_build.publish(3055)
    shared_build.adopt(3055, "run-1", port=3056)
    copy = shared_build.client_dir(3056)
    expected = b'export default {"EVENT":"ws://localhost:3056/_event","PING":"http://localhost:3056/ping"}'
    assert (copy / "assets" / "env-1.js").read_bytes() == expected
    assert gzip.decompress((copy / "assets" / "env-1.js.gz").read_bytes()) == expected
    assert (copy / "index.html").read_bytes() == b"<p>port 30550 is not an address</p>"
    assert not (copy / ".e2e-build").exists()
    assert b"3055" in (builds / "assets" / "env-1.js").read_bytes()  # the builder's own is untouched


def test_a_copy_waits_for_this_runs_build(builds):
    (builds / ".e2e-build").write_text("an-earlier-run")  # a build left by another run is not taken
    with pytest.raises(RuntimeError, match="not ready"):
        shared_build.adopt(3055, "run-1", port=3056, timeout=0.5)
    threading.Timer(0.3, shared_build.publish, args=(3055,)).start()
    shared_build.adopt(3055, "run-1", port=3056, timeout=10)
    assert (shared_build.client_dir(3056) / "assets" / "env-1.js").exists()
