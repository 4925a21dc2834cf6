"""`GET /_files/logo/<organization id>/<key>`: an organization's logo, for whoever may read its profile.

Logos are stored outside Reflex's public upload folder (prm_app/partners/logos.py), so this is the only way to
them. It needs a live session cookie (the browser sends it with the page's own image requests: same site) and
answers only what profile_org lets the actor read: a partner's people their own organization's logo, internal
users any partner's. Anything else, an old key included, is 404. The key is the file's random name, so the URL
changes with the logo and the answer may be cached; it is served with its checked image type, `nosniff` and a
sandboxing CSP, never as anything a browser would run. A person a registered gate holds (web/state.py: a partner
whose agreement is overdue) gets 403 until it lifts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from prm_app.identity import resolve_session
from prm_app.partners.logos import LOGOS, LogoStorage
from prm_app.partners.org_profile import org_logo
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError
from prm_app.web.session_cookie import SESSION_COOKIE
from prm_app.web.state import HeldByGate, refuse_if_held

LOGO_PATH = "/_files/logo"


def logo_url(organization_id: int | str, key: str) -> str:
    """Where the browser fetches the logo `key` of an organization ("" when it has none)."""
    return f"{LOGO_PATH}/{organization_id}/{key}" if key else ""


def _find(token: str, ip: str, organization_id: int, key: str) -> tuple[str, str]:
    with session_scope() as session:
        # Showing a logo is part of a page the person opened, not activity of its own.
        actor = resolve_session(session, token, ip=ip, touch=False)
        refuse_if_held(session, actor)
        return org_logo(session, actor, organization_id, key)


Find = Callable[[str, str, int, str], tuple[str, str]]  # (token, ip, organization id, key) -> (key, type)


def logo_routes(find: Find = _find, storage: LogoStorage = LOGOS) -> Starlette:
    """The endpoint, for the app's `api_transformer` list (`find` and `storage` are for tests)."""

    async def serve_logo(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        organization_id, key = request.path_params["organization_id"], request.path_params["key"]
        ip = request.client.host if request.client else ""
        try:
            found_key, content_type = await asyncio.to_thread(find, token, ip, organization_id, key)
        except HeldByGate as held:
            return PlainTextResponse(held.message, status_code=403)
        except DomainError:  # not signed in, or not this actor's to see: the same answer as a missing logo
            return PlainTextResponse("Not found.", status_code=404)
        path = storage.path(found_key)
        if path is None or not path.is_file():
            return PlainTextResponse("Not found.", status_code=404)
        return FileResponse(
            path,
            media_type=content_type,
            headers={
                "Cache-Control": "private, max-age=86400",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
                "Content-Disposition": "inline",
            },
        )

    return Starlette(routes=[Route(LOGO_PATH + "/{organization_id:int}/{key:str}", serve_logo, methods=["GET"])])
