"""Training's HTTP endpoints, each behind a live session cookie and the same reach as the player (anything else
is 404; a partner held by a gate gets 403):

- `GET /_files/training/lesson/<id>`: a lesson's video or PDF, inline, with range requests (seeking a video
  fetches only what it needs), `nosniff`, never cached by shared caches;
- `POST /_files/training/lesson/<id>/position`: the second of the video the person is at (the player's beacon,
  every few seconds and when they leave; SameSite=Strict keeps other sites' requests out);
- `GET /_files/training/certificate/<id>`: a certificate as PDF, for its holder, their partner admin and managers,
  in the reader's language.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from prm_app.identity import my_language, resolve_session
from prm_app.platform.access import Actor
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError
from prm_app.training.certificate_pdf import certificate_pdf
from prm_app.training.certificates import CertificateView, certificate_for_pdf
from prm_app.training.content import MEDIA, MP4, PDF
from prm_app.training.learning import lesson_media, save_position
from prm_app.web.session_cookie import SESSION_COOKIE
from prm_app.web.state import HeldByGate, refuse_if_held

FILES = "/_files/training"


def lesson_file_url(lesson_id: Any) -> Any:
    return f"{FILES}/lesson/{lesson_id}"


def _as_actor(request: Request, use_case: Callable[..., Any], *args: Any) -> Any:
    with session_scope() as session:
        ip = request.client.host if request.client else ""
        actor: Actor = resolve_session(session, request.cookies.get(SESSION_COOKIE, ""), ip=ip, touch=False)
        refuse_if_held(session, actor)
        return use_case(session, actor, *args)


async def _answer(request: Request, use_case: Callable[..., Any], *args: Any) -> tuple[Any, Response | None]:
    try:
        return await asyncio.to_thread(_as_actor, request, use_case, *args), None
    except HeldByGate as held:
        return None, PlainTextResponse(held.message, status_code=403)
    except DomainError:  # not signed in, or out of reach: the same answer as nothing there
        return None, PlainTextResponse("Not found.", status_code=404)


PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


async def lesson_file(request: Request) -> Response:
    found, refused = await _answer(request, lesson_media, request.path_params["lesson_id"])
    if refused is not None:
        return refused
    key, content_type = found
    path = MEDIA.path(key)
    if path is None or not path.is_file() or content_type not in (MP4, PDF):
        return PlainTextResponse("Not found.", status_code=404)
    return FileResponse(path, media_type=content_type, content_disposition_type="inline", headers=PRIVATE)


async def lesson_position(request: Request) -> Response:
    try:
        seconds = int(json.loads((await request.body())[:200]).get("seconds"))
    except (ValueError, TypeError, AttributeError):
        return PlainTextResponse('Send {"seconds": n}.', status_code=400)
    _, refused = await _answer(request, save_position, request.path_params["lesson_id"], seconds)
    return refused or Response(status_code=204)


def _certificate_for_reader(session: Session, actor: Actor, certificate_id: int) -> tuple[CertificateView, str]:
    """The certificate and the language of the person downloading it (its words and dates are in theirs)."""
    return certificate_for_pdf(session, actor, certificate_id), my_language(session, actor)


async def certificate_file(request: Request) -> Response:
    found, refused = await _answer(request, _certificate_for_reader, request.path_params["certificate_id"])
    if refused is not None:
        return refused
    view, language = found
    data = await asyncio.to_thread(certificate_pdf, view, language)
    name = f"certificate-{view.certification_code.lower()}-{view.code[:8]}.pdf"
    return Response(data, media_type=PDF, headers={**PRIVATE, "Content-Disposition": f'inline; filename="{name}"'})


def training_routes() -> Starlette:
    """The endpoints, for the app's `api_transformer` list."""
    return Starlette(
        routes=[
            Route(FILES + "/lesson/{lesson_id:int}", lesson_file, methods=["GET"]),
            Route(FILES + "/lesson/{lesson_id:int}/position", lesson_position, methods=["POST"]),
            Route(FILES + "/certificate/{certificate_id:int}", certificate_file, methods=["GET"]),
        ]
    )
