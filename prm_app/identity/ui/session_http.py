"""Sign-in and sign-out as plain HTTP form posts: the only place the session cookie is set or cleared.

Reflex state cannot set an HttpOnly cookie (an `rx.Cookie` is written by JavaScript), so the login form posts
natively to `/_auth/sign-in`; the answer sets `prm_session` (HttpOnly, SameSite=Strict, Path=/, Secure on https)
and sends the browser on with a 303, which reloads the app so its event socket carries the new cookie.
The password never enters Reflex state or the event socket.

Each form carries the tab's client token (`tab`): signing in or out resets that tab's whole state tree, so the
next person in the tab cannot receive the previous person's pages on hydrate. A failed sign-in leaves its message
and the typed email in that tab's LoginState for the login page to show once (never in the URL, where anyone
could put a message of their choosing).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import reflex as rx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from prm_app.identity.auth import log_in_off_loop, log_out
from prm_app.identity.languages import adopt_browser_language
from prm_app.identity.rules import login_url, safe_next_path
from prm_app.identity.time_zones import adopt_browser_zone
from prm_app.identity.ui.login import LoginState, missing_fields
from prm_app.platform.errors import AuthError
from prm_app.platform.i18n import reader_language
from prm_app.web.session_cookie import (
    SESSION_COOKIE,
    SIGN_IN_PATH,
    SIGN_OUT_PATH,
    ConnectionGate,
    cookie_attributes,
    same_origin,
)
from prm_app.web.state import home_for, reset_tree, run_public

_MAX_FIELD = 1024
_TAB = re.compile(r"[0-9A-Za-z-]{16,64}")  # the tab's client token (a uuid from the browser)


def _field(form: Any, name: str, limit: int = _MAX_FIELD) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _tab(form: Any) -> str:
    tab = _field(form, "tab", 64)
    return tab if _TAB.fullmatch(tab) else ""


async def reset_tab(app: rx.App, tab: str) -> None:
    """Every state of this tab back to its defaults (see `reset_tree`)."""
    async with app.modify_state(rx.BaseStateToken(ident=tab, cls=rx.State)) as root:
        await reset_tree(root)


async def _leave_error(app: rx.App, tab: str, message: str, email: str, fields: dict[str, str] | None = None) -> None:
    async with app.modify_state(rx.BaseStateToken(ident=tab, cls=LoginState)) as root:
        login = await root.get_state(LoginState)
        login._flash_error, login._flash_email, login._flash_errors = message, email, fields or {}


def routes(app: rx.App) -> Starlette:
    """The sign-in and sign-out endpoints of `app`, to mount with `api_transformer`."""

    async def sign_in(request: Request) -> Response:
        if not same_origin(request):
            return PlainTextResponse("Sign-in from another site refused.", status_code=403)
        form = await request.form()
        email, password, tab = _field(form, "email", 254), _field(form, "password"), _tab(form)
        next_path = safe_next_path(_field(form, "next", 2000))  # a deep link to return to: same-origin paths only
        ip = request.client.host if request.client else ""
        language = reader_language(request.headers.get("accept-language", "")[:500])  # the page's, as it showed
        if missing := missing_fields(email, password, language):  # say what is missing, beside the field
            if tab:
                await _leave_error(app, tab, "", email, missing)
            return RedirectResponse(login_url(next_path), status_code=303)
        try:
            # argon2 takes a noticeable moment: in the sign-in pool, never on the event loop that serves every socket.
            user_agent = request.headers.get("user-agent", "")[:300]
            signed_in = await log_in_off_loop(run_public, email, password, ip=ip, user_agent=user_agent)
        except AuthError as exc:
            if tab:
                await _leave_error(app, tab, exc.in_language(language), email)
            return RedirectResponse(login_url(next_path), status_code=303)
        if previous := request.cookies.get(SESSION_COOKIE):
            await asyncio.to_thread(run_public, log_out, previous)  # a new sign-in replaces this browser's session
        if (zone := _field(form, "time_zone", 64)) and signed_in.actor.user_id is not None:
            await asyncio.to_thread(run_public, adopt_browser_zone, signed_in.actor.user_id, zone)  # once: if unset
        if (accepted := request.headers.get("accept-language", "")) and signed_in.actor.user_id is not None:
            # The browser's language (navigator.languages, sent with every request), once: if the person has none.
            await asyncio.to_thread(run_public, adopt_browser_language, signed_in.actor.user_id, accepted[:500])
        if tab:
            await reset_tab(app, tab)
        response = RedirectResponse(next_path or home_for(signed_in.actor.role), status_code=303)
        response.set_cookie(value=signed_in.token, **cookie_attributes(remember=_field(form, "remember") == "on"))
        return response

    async def sign_out(request: Request) -> Response:
        if not same_origin(request):
            return PlainTextResponse("Sign-out from another site refused.", status_code=403)
        form = await request.form()
        if token := request.cookies.get(SESSION_COOKIE):
            await asyncio.to_thread(run_public, log_out, token)
        if tab := _tab(form):
            await reset_tab(app, tab)
        response = RedirectResponse("/login", status_code=303)
        attrs = cookie_attributes(remember=False)
        response.delete_cookie(SESSION_COOKIE, path="/", secure=attrs["secure"], httponly=True, samesite="strict")
        return response

    return Starlette(
        routes=[Route(SIGN_IN_PATH, sign_in, methods=["POST"]), Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]
    )


def api_transformers(app: rx.App) -> list[Starlette | Callable[[Any], Any]]:
    """What `app.api_transformer` gets: the endpoints, then the gate that keeps the cookie out of the state."""
    return [routes(app), ConnectionGate]
