"""`GET /_files/agreement/<signature id>`: a signed agreement as a PDF, for whoever may read it.

It needs a live session cookie and answers only what `signed_copy` lets the actor read: a partner's people their
own organization's copies, the channel team those of the partners in its scope. Anything else is 404 (the same as
a signature that does not exist). It is part of the agreement page, so the agreement gate does not refuse it. Sent
as an attachment with `nosniff`, never cached by a shared cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from prm_app.agreements import SignedCopy, signed_copy
from prm_app.agreements.pdf import signed_copy_pdf
from prm_app.identity import resolve_session
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError
from prm_app.web.session_cookie import SESSION_COOKIE

AGREEMENT_FILES = "/_files/agreement"


def pdf_url(signature_id: int) -> str:
    return f"{AGREEMENT_FILES}/{signature_id}"


def _find(token: str, ip: str, signature_id: int) -> SignedCopy:
    with session_scope() as session:
        actor = resolve_session(session, token, ip=ip)
        return signed_copy(session, actor, signature_id)


Find = Callable[[str, str, int], SignedCopy]


def agreement_routes(find: Find = _find) -> Starlette:
    """The endpoint, for the app's `api_transformer` list (`find` is for tests)."""

    async def serve_pdf(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        ip = request.client.host if request.client else ""
        try:
            copy = await asyncio.to_thread(find, token, ip, request.path_params["signature_id"])
        except DomainError:  # not signed in, or not this actor's to read
            return PlainTextResponse("Not found.", status_code=404)
        body = await asyncio.to_thread(signed_copy_pdf, copy)
        name = f"agreement-{copy.signature_id}-v{copy.version_number}.pdf"
        return Response(
            body,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return Starlette(routes=[Route(AGREEMENT_FILES + "/{signature_id:int}", serve_pdf, methods=["GET"])])
