"""The library's files over HTTP, each request checked against the session and the asset's audience:

    GET /_files/content/<slug>            the current version          (?inline=1: to preview, when safe)
    GET /_files/content/<slug>/v/<n>      a pinned version
    GET /_files/content/<slug>/lang/<code> the file of the asset's variant in that language (when it has its own)
    GET /_files/content/<slug>/cobrand    the partner's own co-branded copy (?zone-<id>=text for editable zones)
    GET /_files/content/<slug>/copies.zip every partner's current copy of a template, for the channel team

Anything the person may not open (signed out, not in the audience, locked, deleted, expired, no such slug or
version) is the same 404 with the same body. Files go out with their proven Content-Type, Content-Disposition
(attachment unless a preview of a PDF, image or video was asked for: never HTML or SVG inline), nosniff and a
sandboxing CSP; Starlette's FileResponse answers Range requests, so videos seek. A partner held by the agreement
gate gets 403. A text sent for a locked zone is 422."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from prm_app.content.cobrand import LockedZone, cobranded_file
from prm_app.content.cobrand_bulk import copies_zip
from prm_app.content.rules import INLINE
from prm_app.content.service import FileToServe, file_to_serve
from prm_app.content.storage import CONTENT_FILES, RENDERS, ContentStorage
from prm_app.content.variants import variant_file
from prm_app.identity import resolve_session
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.web.session_cookie import SESSION_COOKIE
from prm_app.web.state import HeldByGate, refuse_if_held

FILES_PATH = "/_files/content"
NOT_FOUND = "Not found."
HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


class _CheckedFileResponse(FileResponse):
    """Starlette answers a malformed or unsatisfiable Range itself (400/416, from inside FileResponse) without the
    headers given to FileResponse; every answer from this route carries them."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name.lower() not in headers:
                        headers[name] = value
            await send(message)

        await super().__call__(scope, receive, send_with_headers)


class _SentThenDeleted(FileResponse):
    """A temporary file sent by this process, then deleted by the response's background task. Granian offers the
    ASGI pathsend extension, and Starlette then hands granian the path and runs the background task at once, while
    granian has yet to open the file: the delete won under load and granian answered 404 "Not found". Without the
    extension in the scope, Starlette streams the file itself and deletes it after the last byte."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        extensions = {k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"}
        await super().__call__({**scope, "extensions": extensions}, receive, send)


def file_url(slug: str, n: int | None = None, *, inline: bool = False) -> str:
    path = f"{FILES_PATH}/{slug}" + (f"/v/{n}" if n else "")
    return path + ("?inline=1" if inline else "")


def variant_file_url(slug: str, language: str, *, inline: bool = False) -> str:
    return f"{FILES_PATH}/{slug}/lang/{language}" + ("?inline=1" if inline else "")


def cobrand_url(slug: str) -> str:
    return f"{FILES_PATH}/{slug}/cobrand"


def _texts(request: Request) -> dict[int, str]:
    texts = {}
    for name, value in request.query_params.items():
        if name.startswith("zone-") and name[5:].isdigit():
            texts[int(name[5:])] = value[:500]
    return texts


def _counted(request: Request, inline: bool) -> bool:
    """Whether this request is a download to count: a GET of the whole file or of its start. A preview, a HEAD, and
    the later ranges of a resumed or seeking download are the same download, not new ones."""
    first = request.headers.get("range", "bytes=0-").replace(" ", "").lower()
    return not inline and request.method == "GET" and first.startswith("bytes=0-")


def _find(
    token: str, ip: str, slug: str, n: int | None, counted: bool, texts: dict[int, str] | None, language: str | None
) -> FileToServe:
    with session_scope() as session:
        actor = resolve_session(session, token, ip=ip, touch=False)
        refuse_if_held(session, actor)
        if texts is not None:
            return cobranded_file(session, actor, slug, texts)
        if language is not None:
            return variant_file(session, actor, slug, language, download=counted)
        return file_to_serve(session, actor, slug, n, download=counted)


def _send(found: FileToServe, store: ContentStorage, inline: bool) -> Response:
    path = store.path(found.key)
    if path is None or not path.is_file():
        return PlainTextResponse(NOT_FOUND, status_code=404)
    shown_inline = inline and found.content_type in INLINE
    return _CheckedFileResponse(
        path,
        media_type=found.content_type,
        filename=found.name or "file",
        content_disposition_type="inline" if shown_inline else "attachment",
        headers=HEADERS,
    )


def _zip(token: str, ip: str, slug: str, folder: Path) -> tuple[Path, str]:
    with session_scope() as session:
        return copies_zip(session, resolve_session(session, token, ip=ip, touch=False), slug, folder)


def _sweep(folder: Path) -> None:
    """Delete the zips left over an hour ago (a client that went away mid-way). Another request's zip may be deleted
    between the listing and the look at its age (it was just sent): that one is skipped, not an error."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.zip"):
        try:
            if time.time() - old.stat().st_mtime > 3600:
                old.unlink(missing_ok=True)
        except FileNotFoundError:
            continue


async def _copies(request: Request) -> Response:
    """Every partner's copy in one zip, built for this request in a temporary file deleted once sent (and, should a
    client go away mid-way, with the next zip after an hour)."""
    token, ip = request.cookies.get(SESSION_COOKIE, ""), request.client.host if request.client else ""
    folder = RENDERS.folder.parent / "content-zips"
    await asyncio.to_thread(_sweep, folder)
    try:
        path, name = await asyncio.to_thread(_zip, token, ip, request.path_params["slug"], folder)
    except DomainError:  # not signed in, not the channel team, no such template or no copy yet: one answer
        return PlainTextResponse(NOT_FOUND, status_code=404)
    gone = BackgroundTask(path.unlink, missing_ok=True)
    return _SentThenDeleted(path, media_type="application/zip", filename=name, headers=HEADERS, background=gone)


def content_routes() -> Starlette:
    """The endpoints, for the app's `api_transformer` list."""

    async def serve(request: Request) -> Response:
        params = request.path_params
        cobrand = request.url.path.endswith("/cobrand")
        inline = request.query_params.get("inline") == "1" and not cobrand
        token = request.cookies.get(SESSION_COOKIE, "")
        ip = request.client.host if request.client else ""
        texts = _texts(request) if cobrand else None
        try:
            counted = _counted(request, inline)
            found = await asyncio.to_thread(
                _find, token, ip, params["slug"], params.get("n"), counted, texts, params.get("code")
            )
        except HeldByGate as held:
            return PlainTextResponse(held.message, status_code=403)
        except LockedZone as locked:
            return PlainTextResponse(locked.message, status_code=422)
        except ValidationError as wrong:
            return PlainTextResponse(wrong.message, status_code=422)
        except DomainError:  # not signed in, not in the audience, or no such asset: one answer
            return PlainTextResponse(NOT_FOUND, status_code=404)
        return _send(found, RENDERS if cobrand else CONTENT_FILES, inline)

    return Starlette(
        routes=[
            Route(FILES_PATH + "/{slug}", serve, methods=["GET", "HEAD"]),
            Route(FILES_PATH + "/{slug}/v/{n:int}", serve, methods=["GET", "HEAD"]),
            Route(FILES_PATH + "/{slug}/lang/{code}", serve, methods=["GET", "HEAD"]),
            Route(FILES_PATH + "/{slug}/cobrand", serve, methods=["GET"]),
            Route(FILES_PATH + "/{slug}/copies.zip", _copies, methods=["GET"]),
        ]
    )
