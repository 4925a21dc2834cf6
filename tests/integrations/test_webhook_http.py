"""Posting a webhook: an address that is private, loopback or link-local is refused before anything is sent (and
given up at once, not retried); where local receivers are allowed, the post goes to the checked address with the
URL's host name in the Host header, follows no redirect and keeps only the start of the answer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from prm_app.integrations.webhook_http import Refused, pinned_target, post_webhook


@pytest.fixture
def local() -> Iterator[tuple[int, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            seen.append({k.lower(): v for k, v in self.headers.items()})
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()
                return
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 100_000)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("url", ["https://10.1.2.3/h", "https://169.254.169.254/latest", "http://127.0.0.1:9/h",
                                 "https://[::1]/h", "https://[fe80::1]/h"])  # fmt: skip
def test_a_forbidden_address_is_refused_before_connecting(url):
    with pytest.raises(Refused):
        pinned_target(url, allow_local=False)
    answer = post_webhook(url, {}, b"{}", allow_local=False)
    assert answer.status_code == 0 and answer.final and answer.text.startswith("Refused:")


def test_localhost_is_refused_unless_local_receivers_are_allowed(local):
    port, seen = local
    refused = post_webhook(f"http://localhost:{port}/h", {}, b"{}", allow_local=False)
    assert refused.final and seen == []
    target, host, server_name = pinned_target(f"http://localhost:{port}/h?x=1", allow_local=True)
    assert target.endswith(f":{port}/h?x=1") and "localhost" not in target  # the checked address, not the name
    assert (host, server_name) == (f"localhost:{port}", "localhost")
    answer = post_webhook(f"http://localhost:{port}/h", {"webhook-id": "msg_1"}, b"{}", allow_local=True)
    assert answer.status_code == 200 and not answer.final
    assert 0 < len(answer.text) < 100_000  # only the start of a large answer is read
    assert seen[-1]["host"] == f"localhost:{port}" and seen[-1]["webhook-id"] == "msg_1"


def test_a_redirect_is_not_followed(local):
    port, seen = local
    answer = post_webhook(f"http://127.0.0.1:{port}/moved", {}, b"{}", allow_local=True)
    assert answer.status_code == 302 and len(seen) == 1  # a 3xx is a failed try, never a second request
