"""The session cookie: set by an HTTP endpoint (HttpOnly), read on the event socket, never kept in Reflex state.

The browser sends `prm_session` with the event socket's handshake. Reflex copies every handshake header into
the root state's router data, which is pickled into Redis in scale-out; so `ConnectionGate` (ASGI middleware in
front of the Reflex backend) takes the cookie out of the handshake before Reflex sees it, keeps the token in this
process for as long as that one connection is open, and puts a random per-connection reference in its place.
The reference travels in the `Authorization` header, one of the headers Reflex never sends to the browser; it
means nothing outside this process and ends with the connection, and a client cannot bring its own (any
`Authorization` header it sends is dropped). Events of a connection run in the process holding its socket; an
upload, though, is an HTTP request that another worker may serve with the connection's stored headers. So with
several workers (REFLEX_REDIS_URL) the gate also files the reference in Redis with the token's SHA-256 (what the
database holds, never the token itself), and any worker resolves the session from that.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import redis
import redis.asyncio
from starlette.requests import Request

from prm_app.platform.security import hash_token
from prm_app.platform.settings import settings

SESSION_COOKIE = "prm_session"
SIGN_IN_PATH = "/_auth/sign-in"  # the endpoints live in identity/ui/session_http.py
SIGN_OUT_PATH = "/_auth/sign-out"
EVENT_PATH = "/_event"
_REF_HEADER = b"authorization"
_REF_SCHEME = "PRM-Connection "

# connection reference -> session token, for the sockets open in this process
_live: dict[str, str] = {}


def cookie_value(cookie_header: str, name: str = SESSION_COOKIE) -> str:
    """The value of cookie `name` in a Cookie header ("" when absent)."""
    for part in cookie_header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip().strip('"')
    return ""


def _without_cookie(cookie_header: str, name: str = SESSION_COOKIE) -> str:
    return "; ".join(p.strip() for p in cookie_header.split(";") if p.strip().partition("=")[0] != name)


def session_token(raw_headers: Mapping[str, str]) -> str:
    """The session token of the socket whose handshake headers these are, if it is open in this process ("" when
    none or closed)."""
    value = raw_headers.get("authorization", "")
    if not value.startswith(_REF_SCHEME):
        return ""
    return _live.get(value.removeprefix(_REF_SCHEME), "")


def session_token_hash(raw_headers: Mapping[str, str]) -> str:
    """The SHA-256 of the session token of the connection these headers name, from this process or, with several
    workers, from Redis ("" when none, closed, or not signed in)."""
    if token := session_token(raw_headers):
        return hash_token(token)
    value = raw_headers.get("authorization", "")
    if not value.startswith(_REF_SCHEME) or not settings.redis_url:
        return ""
    filed = _redis().get(_REF_KEY + value.removeprefix(_REF_SCHEME))
    return filed.decode() if isinstance(filed, bytes) else ""


_REF_KEY = "prm-connection:"


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.redis_url or "")


@cache
def _redis_async() -> redis.asyncio.Redis:
    """For the gate, which runs on the event loop: filing a reference must not block every other socket."""
    return redis.asyncio.Redis.from_url(settings.redis_url or "")


def cookie_attributes(*, remember: bool) -> dict[str, Any]:
    """Starlette `set_cookie` keywords for the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure on https;
    a browser-session cookie unless the person asked to stay signed in (then it lasts the absolute timeout)."""
    return {
        "key": SESSION_COOKIE,
        "path": "/",
        "httponly": True,
        "samesite": "strict",
        "secure": settings.app_origin.startswith("https://"),
        "max_age": int(settings.session_absolute.total_seconds()) if remember else None,
    }


class ConnectionGate:
    """ASGI middleware: the event socket's handshake loses the session cookie and gains a connection reference."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket" or not scope.get("path", "").startswith(EVENT_PATH):
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = []
        token = ""
        for key, value in scope.get("headers", []):
            if key == _REF_HEADER:
                continue  # only this gate sets it
            if key == b"cookie":
                text = value.decode("latin-1")
                token = token or cookie_value(text)
                value = _without_cookie(text).encode("latin-1")
                if not value:
                    continue
            headers.append((key, value))
        ref = ""
        if token:
            ref = secrets.token_urlsafe(24)
            _live[ref] = token
            headers.append((_REF_HEADER, (_REF_SCHEME + ref).encode("latin-1")))
            if settings.redis_url:  # other workers serve this connection's uploads
                lifetime = int(settings.session_absolute.total_seconds())
                await _redis_async().set(_REF_KEY + ref, hash_token(token), ex=lifetime)
        try:
            await self.app({**scope, "headers": headers}, receive, send)
        finally:
            _live.pop(ref, None)
            if ref and settings.redis_url:
                await _redis_async().delete(_REF_KEY + ref)


def same_origin(request: Request) -> bool:
    """Whether a POST comes from the app's own pages. Browsers send Origin with every POST: one from another site
    (login CSRF, forced sign-out, a forged SCORM commit) is refused. Without Origin (an old browser or a script)
    the Referer must be ours."""
    origin = request.headers.get("origin")
    if origin is None:
        referer = urlsplit(request.headers.get("referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else ""
    ours = settings.app_origin.rstrip("/")
    return origin.rstrip("/") in {ours, ours.replace("localhost", "127.0.0.1")}
