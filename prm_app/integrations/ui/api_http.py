"""The REST API as a FastAPI app on the Reflex backend (app.py mounts it with `api_transformer`): /api/v1, its
OpenAPI document at /api/v1/openapi.json and interactive docs at /api/v1/docs.

The docs page loads Swagger UI from this server (the swagger-ui-bundle-v2 package's files, under
/api/v1/docs/static), never from a CDN: self-hosted networks often block those, and the page must work offline.
Reflex mounts itself inside this app at "", so every other path still reaches the Reflex app.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from prm_app.integrations.ui.api_leads import router as leads_router
from prm_app.integrations.ui.api_program import router as program_router
from prm_app.integrations.ui.api_routes import router
from prm_app.integrations.ui.api_support import DEFAULT_RATE, KeyLimiter, problem, problem_for
from prm_app.platform.errors import DomainError

PREFIX = "/api/v1"
MAX_BODY = 64 * 1024  # a deal with every field full is under 8 KiB
DESCRIPTION = """The Open PRM REST API.

**Keys.** Administrators create program-wide keys on *API keys* in the console; partner admins create keys for
their own organization under *API keys* in the portal. A key is shown once. Send it as
`Authorization: Bearer prm_…`. A key acts as the person who created it, narrowed to its scopes: the same
permissions as in the browser, and another tenant's record answers 404.

**Lists** are cursor-paged: pass the previous page's `next_cursor` as `cursor` until it is null. `updated_since`
(ISO 8601) keeps rows created or changed since then.

**POSTs** accept an `Idempotency-Key` header: the same key with the same body returns the stored answer (with
`Idempotent-Replayed: true`); with another body 422; while the first request still runs 409.

**Errors** are RFC 9457 `application/problem+json`, with an `errors` list of `{field, detail}` for bad input.
**Rate limits** apply per key; over the limit the answer is 429 with `Retry-After` (seconds). A request body over
64 KiB is refused with 413.
"""


def _field_name(location: tuple[object, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


log = logging.getLogger("prm_app.api")


class BodyCap:
    """Answers an API request that crashed with problem+json 500, and refuses one whose body is over MAX_BODY (413)
    before any of it reaches FastAPI, which reads a route's whole body before its dependencies run (the key among
    them): without this, anyone, with no key at all, could make the server hold any number of bytes. Only /api/v1
    is its business: the whole Reflex app is mounted inside this one and keeps its own limits (the upload guard)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(f"{PREFIX}/"):
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope.get("headers", []) if k.lower() == b"content-length"), b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            await _too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: there is no one to answer
                return
            chunks.append(message.get("body", b""))
            if sum(map(len, chunks)) > MAX_BODY:
                await _too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        first: list[Message] = [{**message, "body": b"".join(chunks), "more_body": False}]

        async def replay() -> Message:
            return first.pop() if first else await receive()

        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, replay, sending)
        except Exception:
            # A bug, not the client's fault: problem+json, the error itself logged, never shown. Caught here, for the
            # API's paths only: an app-wide Exception handler also took the mounted Reflex app's file downloads (a
            # FileResponse with a background task answered 404 "Not found").
            log.exception("API request %s failed", scope.get("path"))
            if started:
                raise
            await problem(500, "Something went wrong on our side; the request was not completed.")(scope, replay, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    answer = problem(413, f"The request body is over {MAX_BODY // 1024} KiB.", headers={"Connection": "close"})
    await answer(scope, receive, send)


ROUTERS = (router, leads_router, program_router)


def _allowed_methods(path: str) -> list[str]:
    """The methods the API's resources take at `path` (none when no resource has that path)."""
    methods: set[str] = set()
    for route in (r for each in ROUTERS for r in each.routes):
        if isinstance(route, APIRoute) and route.path_regex.match(path):
            methods |= route.methods or set()
    return sorted(methods)


def build_api(rate_limit: str = DEFAULT_RATE) -> FastAPI:
    """The API app; `rate_limit` is each key's allowance ("600/minute;20/second")."""
    api = FastAPI(
        title="Open PRM API",
        version="1",
        description=DESCRIPTION,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,  # ours below: the same Swagger UI, from this server
        redoc_url=None,
    )
    api.state.limiter = KeyLimiter(rate_limit)
    api.add_middleware(BodyCap)
    for each in ROUTERS:
        api.include_router(each)
    api.mount(f"{PREFIX}/docs/static", StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @api.get(f"{PREFIX}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{PREFIX}/openapi.json",
            title="Open PRM API",
            swagger_js_url=f"{PREFIX}/docs/static/swagger-ui-bundle.js",
            swagger_css_url=f"{PREFIX}/docs/static/swagger-ui.css",
            swagger_favicon_url=f"{PREFIX}/docs/static/favicon-32x32.png",
        )

    @api.api_route(
        f"{PREFIX}/{{rest:path}}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
    )
    def unknown(request: Request, rest: str) -> JSONResponse:
        allowed = _allowed_methods(request.url.path)
        if allowed:  # a real resource, asked with a method it does not take
            return problem(405, f"This resource takes {', '.join(allowed)}.", headers={"Allow": ", ".join(allowed)})
        return problem(404, "There is no such API resource.")

    @api.exception_handler(DomainError)
    def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return problem_for(exc)

    @api.exception_handler(RequestValidationError)
    def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors: dict[str, str] = {}
        for error in exc.errors():
            errors.setdefault(_field_name(tuple(error.get("loc", ()))), str(error.get("msg", "Invalid value.")))
        return problem(422, "Some fields need attention.", errors)

    return api


def api_routes() -> FastAPI:
    """What app.py adds to `api_transformer`."""
    return build_api()
