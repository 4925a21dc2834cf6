"""`GET /_files/onboarding/<task id>`: the document a partner handed in for an onboarding task, for its own people
and the managers who reach the partner (onboarding.service.task_document decides). It needs a live session cookie;
anything else is 404; a partner held by the agreement gate gets 403. Served as an attachment with its checked type,
`nosniff` and a sandboxing CSP."""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from prm_app.identity import resolve_session
from prm_app.onboarding.documents import DOCUMENT_TYPES, DOCUMENTS
from prm_app.onboarding.service import task_document
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError
from prm_app.web.session_cookie import SESSION_COOKIE
from prm_app.web.state import HeldByGate, refuse_if_held

DOCUMENT_PATH = "/_files/onboarding"


def document_url(task_id: int) -> str:
    return f"{DOCUMENT_PATH}/{task_id}"


def _find(token: str, ip: str, task_id: int) -> tuple[str, str, str]:
    with session_scope() as session:
        actor = resolve_session(session, token, ip=ip, touch=False)
        refuse_if_held(session, actor)  # a partner held on its agreement page downloads nothing else
        return task_document(session, actor, task_id)


def document_routes() -> Starlette:
    """The endpoint, for the app's `api_transformer` list."""

    async def serve(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        ip = request.client.host if request.client else ""
        try:
            key, content_type, name = await asyncio.to_thread(_find, token, ip, request.path_params["task_id"])
        except HeldByGate as held:
            return PlainTextResponse(held.message, status_code=403)
        except DomainError:  # not signed in, or not this actor's: the same answer as no document
            return PlainTextResponse("Not found.", status_code=404)
        path = DOCUMENTS.path(key)
        if path is None or not path.is_file() or content_type not in DOCUMENT_TYPES:
            return PlainTextResponse("Not found.", status_code=404)
        return FileResponse(
            path,
            media_type=content_type,
            filename=name,  # Starlette quotes it into Content-Disposition: attachment
            headers={
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )

    return Starlette(routes=[Route(DOCUMENT_PATH + "/{task_id:int}", serve, methods=["GET"])])
