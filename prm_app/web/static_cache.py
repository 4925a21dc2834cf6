"""Long caching for the frontend's fingerprinted files.

The production build names every JavaScript and CSS file it emits under `/assets/` after a hash of its content
(`root-Lt2gT1RW.js`), so a file at such an address never changes: a new build emits new names, and the pages (whose
HTML is never cached for long) point at them. Reflex serves these files without a Cache-Control header, so a
browser asked again about each of them (~30 per page) on every page load and the server answered each; with this
header a returning browser loads a page's code from its own cache without asking.
"""

from __future__ import annotations

from typing import Any

ASSETS_PREFIX = "/assets/"
IMMUTABLE = b"public, max-age=31536000, immutable"


class CacheFingerprinted:
    """ASGI middleware: `Cache-Control: public, max-age=31536000, immutable` on successful answers for
    `/assets/...`, where the build puts only files named by their content's hash. Anything else is untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(ASSETS_PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_cached(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", IMMUTABLE)]}
            await send(message)

        await self.app(scope, receive, send_cached)
