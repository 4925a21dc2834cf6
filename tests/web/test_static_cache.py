"""The build's fingerprinted files are cached for good; nothing else gets that header."""

from __future__ import annotations

import asyncio
from typing import Any

from prm_app.web.static_cache import IMMUTABLE, CacheFingerprinted


def _answer(path: str, status: int = 200, headers: list[tuple[bytes, bytes]] | None = None) -> dict[bytes, bytes]:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers or []})
        await send({"type": "http.response.body", "body": b"x"})

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(CacheFingerprinted(app)({"type": "http", "path": path}, None, send))
    assert sent[1]["body"] == b"x"
    return dict(sent[0]["headers"])


def test_a_fingerprinted_file_is_cached_for_good():
    assert _answer("/assets/root-Lt2gT1RW.js")[b"cache-control"] == IMMUTABLE
    assert _answer("/assets/root-Lt2gT1RW.js", 304)[b"cache-control"] == IMMUTABLE


def test_the_header_replaces_a_weaker_one():
    headers = _answer("/assets/app-1a2b3c4d.css", headers=[(b"Cache-Control", b"no-cache"), (b"etag", b'"1"')])
    assert headers[b"cache-control"] == IMMUTABLE and headers[b"etag"] == b'"1"'
    assert b"Cache-Control" not in headers


def test_pages_files_and_errors_keep_their_own_headers():
    assert b"cache-control" not in _answer("/portal")  # a page's HTML names the current build's files
    assert b"cache-control" not in _answer("/app.css")  # the app's own assets folder: not fingerprinted
    assert b"cache-control" not in _answer("/_files/logo/3")
    assert b"cache-control" not in _answer("/assets/gone-12345678.js", 404)
