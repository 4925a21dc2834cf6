"""The SCORM run-time's HTTP side, kept off the Reflex event socket (a commit is one short request, and a page
closing sends its last one as a beacon, which a socket cannot):

- `POST /_scorm/launch` {package_id, context}: opens a launch (service.launch) and answers the runtime's start:
  version, the launch file's URL, the commit URL and the CMI to load.
- `POST /_scorm/commit/<launch token>` {seq, cmi}: keeps a commit (service.commit), answering SCORM's
  `{"result": "true"|"false", "errorCode": n}`. A repeated sequence (a beacon sent twice) answers "true" and
  changes nothing.
- `GET /_scorm/run/<launch token>/<path>`: a file of the launched package, for the person who launched it.

All need a live session cookie (HttpOnly, SameSite=Strict); POSTs must come from the app's own origin (Origin, else
Referer), like the sign-in form's; launch bodies must be JSON. Files are served with their type from a fixed
list, `nosniff`, no caching by shared caches, and may be framed by the app only.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from prm_app.identity import resolve_session
from prm_app.platform.access import Actor
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError, NotAuthenticated
from prm_app.scorm.rules import CommitRefused, limits
from prm_app.scorm.service import COMMIT_PATH, FILES_PATH, commit, launch, launched_file
from prm_app.scorm.storage import PACKAGES
from prm_app.web.session_cookie import SESSION_COOKIE, same_origin
from prm_app.web.state import HeldByGate, refuse_if_held

LAUNCH_PATH = "/_scorm/launch"
T = TypeVar("T")
# The types a package's files are served as; anything else is a download of bytes (never sniffed into HTML).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".js": "text/javascript",
    ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json", ".xml": "application/xml",
    ".xsd": "application/xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
    ".ico": "image/x-icon", ".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg", ".wav": "audio/wav",
    ".ogg": "audio/ogg", ".vtt": "text/vtt", ".pdf": "application/pdf", ".woff": "font/woff", ".woff2": "font/woff2",
    ".ttf": "font/ttf", ".otf": "font/otf", ".swf": "application/x-shockwave-flash",
}  # fmt: skip
FILE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
}


def _as_actor(request: Request, use_case: Callable[..., T], *args: Any, touch: bool = True) -> T:
    """In one unit of work: the actor of the request's session cookie (not held by a gate), then the use case."""
    token = request.cookies.get(SESSION_COOKIE, "")
    ip = request.client.host if request.client else ""
    with session_scope() as session:
        actor: Actor = resolve_session(session, token, ip=ip, touch=touch)
        refuse_if_held(session, actor)
        return use_case(session, actor, *args)


async def _json_body(request: Request, cap: int) -> Any:
    """The request's JSON body, read up to `cap` bytes (whatever its content type: a beacon sends text/plain)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise ValueError("too large")
    try:
        return json.loads(body)
    except RecursionError:  # [[[[... nested past the parser's depth: malformed, not a server error
        raise ValueError("nested too deeply") from None


def _scorm_answer(ok: bool, code: int = 0, status: int = 200) -> JSONResponse:
    return JSONResponse(
        {"result": "true" if ok else "false", "errorCode": code},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


async def launch_endpoint(request: Request) -> Response:
    if not same_origin(request):
        return JSONResponse({"detail": "Launch from another site refused."}, status_code=403)
    if not request.headers.get("content-type", "").startswith("application/json"):
        return JSONResponse({"detail": "Send JSON."}, status_code=415)
    try:
        body = await _json_body(request, 4096)
        package_id, context = body["package_id"], body["context"]
        opened = await asyncio.to_thread(_as_actor, request, launch, package_id, context)
    except (ValueError, KeyError, TypeError, ClientDisconnect):
        return JSONResponse({"detail": "This package cannot be opened."}, status_code=400)
    except NotAuthenticated:
        return JSONResponse({"detail": "Please sign in again."}, status_code=401)
    except HeldByGate as held:
        return JSONResponse({"detail": held.message}, status_code=403)
    except DomainError:
        return JSONResponse({"detail": "This package is not available to you."}, status_code=404)
    return JSONResponse(
        {
            "version": opened.version,
            "launch_url": opened.launch_url,
            "commit_url": opened.commit_url,
            "cmi": opened.cmi,
        },
        headers={"Cache-Control": "no-store"},
    )


async def commit_endpoint(request: Request) -> Response:
    if not same_origin(request):
        return _scorm_answer(False, 101, 403)
    cap = limits().suspend_data_max * 4 + 1024 * 1024  # UTF-8 of the largest suspend data, and the rest of the tree
    try:
        body = await _json_body(request, cap)
        seq, cmi = body.get("seq"), body.get("cmi")
        await asyncio.to_thread(_as_actor, request, commit, request.path_params["token"], seq, cmi)
    except (ValueError, AttributeError, ClientDisconnect):
        return _scorm_answer(False, 101, 400)
    except CommitRefused as refused:
        return _scorm_answer(False, refused.code)
    except NotAuthenticated:
        return _scorm_answer(False, 101, 401)
    except DomainError:
        return _scorm_answer(False, 101, 404)
    return _scorm_answer(True)


async def file_endpoint(request: Request) -> Response:
    try:
        folder = await asyncio.to_thread(_as_actor, request, launched_file, request.path_params["token"], touch=False)
    except HeldByGate as held:
        return PlainTextResponse(held.message, status_code=403)
    except DomainError:  # not signed in, or not this person's current launch: the same answer as no file
        return PlainTextResponse("Not found.", status_code=404)
    relative = request.path_params["path"]
    path = PACKAGES.file(folder, relative)
    if path is None:
        return PlainTextResponse("Not found.", status_code=404)
    media_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return FileResponse(path, media_type=media_type, headers=FILE_HEADERS)


def scorm_routes() -> Starlette:
    """The three endpoints, for the app's `api_transformer` list."""
    return Starlette(
        routes=[
            Route(LAUNCH_PATH, launch_endpoint, methods=["POST"]),
            Route(COMMIT_PATH + "/{token:str}", commit_endpoint, methods=["POST"]),
            Route(FILES_PATH + "/{token:str}/{path:path}", file_endpoint, methods=["GET"]),
        ]
    )
