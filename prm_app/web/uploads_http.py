"""The guard in front of Reflex's upload endpoint (`POST /_upload`), mounted with `rx.App(api_transformer=...)`.

Reflex 0.10 dispatches an upload to any handler a client names in a header, for anyone, and its buffered path
reads the whole body (no cap) before the handler can look at who sent it. So, before a byte of the body is read:
the request must carry a live session cookie (else 401), name a handler registered here with `allow_upload`, and
come from an actor holding that handler's permission (else 403). While the body streams in, it is cut off (413)
past `body_limit`: the handler's own cap (platform/import_files.receive_upload) is the one a person meets, with a
message next to the field; this one bounds whatever the handler does. It is twice the handler's cap because Reflex
reads ahead of its handler (up to 8 parts of whatever size the server hands over): were it tighter, the guard
would cut some uploads before the handler saw the cap, the handler would be cancelled and nobody told why.
Anything else under `/_upload` (Reflex would serve its public upload folder there, without a login) is 404:
the app keeps uploads elsewhere. A person a registered gate holds (web/state.py: a partner whose agreement is
overdue) is refused too (403), whatever the handler.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from reflex_base.config import get_config
from reflex_base.constants.event import Endpoint
from reflex_base.utils.format import format_event_handler

from prm_app.identity import resolve_session
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import session_scope
from prm_app.platform.errors import NotAuthenticated, PermissionDenied
from prm_app.web.session_cookie import cookie_value  # the one session cookie, read the one way
from prm_app.web.state import refuse_if_held

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

FRAMING_BYTES = 64 * 1024  # multipart boundaries, part headers and Reflex's bound-args field


@dataclass(frozen=True)
class UploadRule:
    permission: Permission
    max_bytes: int  # the file's cap, enforced by the handler

    @property
    def body_limit(self) -> int:
        """Where the guard cuts the body off (see the module docstring)."""
        return 2 * self.max_bytes + FRAMING_BYTES


_RULES: dict[str, UploadRule] = {}


def allow_upload(handler: Any, permission: Permission, max_bytes: int) -> None:
    """Let `handler` (an upload event handler, e.g. `DataImportState.upload_leads`) receive uploads from actors holding
    `permission`, bodies cut off a little past `max_bytes`. Every other handler name is refused."""
    _RULES[format_event_handler(handler)] = UploadRule(permission, max_bytes)


def _upload_path() -> str:
    return get_config().prepend_backend_path(str(Endpoint.UPLOAD))


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    return next((value.decode("latin-1") for key, value in headers if key.lower() == name), "")


def _actor(token: str, ip: str) -> Actor:
    """The actor of `token`; HeldByGate when a gate holds them (they may upload nothing until it lifts)."""
    with session_scope() as session:
        actor = resolve_session(session, token, ip=ip)
        refuse_if_held(session, actor)
        return actor


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    # Connection: close, so a client still sending the body we never read does not keep the connection.
    await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


Resolve = Callable[[str, str], Actor]  # (session token, client ip) -> actor, or NotAuthenticated


async def check_upload(
    scope: MutableMapping[str, Any], resolve: Resolve = _actor
) -> tuple[int, str, UploadRule | None]:
    """(status, detail, rule) for an upload request, from its headers alone: 200 with the rule when it may go on."""
    headers = scope.get("headers", [])
    cookies = "; ".join(value.decode("latin-1") for key, value in headers if key.lower() == b"cookie")
    token = cookie_value(cookies)
    if not token:
        return 401, "Sign in to upload files.", None
    client = scope.get("client") or ("", 0)
    try:
        actor = await asyncio.to_thread(resolve, token, client[0])
    except NotAuthenticated:
        return 401, "Sign in to upload files.", None
    except PermissionDenied as refused:
        return 403, refused.message, None
    rule = _RULES.get(_header(headers, b"reflex-event-handler"))
    if rule is None or not actor.can(rule.permission):
        return 403, "You are not allowed to upload files here.", None
    return 200, "", rule


def guard_uploads(app: ASGIApp, resolve: Resolve = _actor) -> ASGIApp:
    """Wrap the backend ASGI app (for `rx.App(api_transformer=guard_uploads)`); `resolve` is for tests."""

    async def guarded(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        path = _upload_path()
        if scope["type"] != "http" or not (scope["path"] == path or scope["path"].startswith(path + "/")):
            await app(scope, receive, send)
            return
        if scope["method"] != "POST" or scope["path"] != path:
            await _refuse(send, 404, "Not found.")
            return
        status, detail, rule = await check_upload(scope, resolve)
        if rule is None:
            await _refuse(send, status, detail)
            return
        limit = rule.body_limit
        received, cut = 0, False

        async def bounded_receive() -> Message:
            nonlocal received, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    cut = True
                    return {"type": "http.disconnect"}  # Reflex stops reading and drops the partial upload
            return message

        started = replaced = False

        async def send_once_cut(message: Message) -> None:
            nonlocal started, replaced
            if message["type"] == "http.response.start":
                started = replaced = True
                if cut:
                    await _refuse(send, 413, "The upload is too large.")
                    return
                replaced = False
            elif replaced and message["type"] == "http.response.body":
                return  # the 413 above replaced the app's answer
            await send(message)

        await app(scope, bounded_receive, send_once_cut)
        if cut and not started:
            await _refuse(send, 413, "The upload is too large.")

    return guarded
