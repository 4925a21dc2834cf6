"""What every REST route shares: the key behind the request, its rate limit, the unit of work its use case runs in,
idempotent POSTs, JSON without float money, and errors as RFC 9457 problem details.

The API adds no business rule: a route checks the key's scope, then runs the area's own use case as the key's
actor through the same permission table as the pages (and the same gate: a partner who must first sign the
agreement gets its message here too). Domain errors map to statuses in one table (`problem_for`).
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from http import HTTPStatus
from typing import Any, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import parse
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import event
from sqlmodel import Session

from prm_app.integrations import idempotency
from prm_app.integrations.keys import KeyHolder, resolve_api_key
from prm_app.integrations.rules import bearer_secret, request_fingerprint
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.db import session_scope
from prm_app.platform.errors import (
    DomainError,
    FormInvalid,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from prm_app.platform.models import AuditLog
from prm_app.platform.ratelimit import make_storage
from prm_app.platform.settings import settings
from prm_app.web.state import refuse_if_held

T = TypeVar("T")
PROBLEM = "application/problem+json"
DEFAULT_RATE = "600/minute;20/second"


class RateLimited(DomainError):
    def __init__(self, retry_after: float) -> None:
        super().__init__("This key made too many requests; wait before the next one.")
        self.retry_after = max(1, math.ceil(retry_after))


class KeyLimiter:
    """Requests per key in a moving window: the `limits` limiter sign-in uses, on the same storage (Redis when the
    app runs scale-out, so every worker counts together; this process's memory otherwise)."""

    def __init__(self, rates: str) -> None:
        self.items = [parse(r) for r in rates.split(";") if r.strip()]

    @cached_property
    def _limiter(self) -> MovingWindowRateLimiter:
        return MovingWindowRateLimiter(make_storage(settings.redis_url, "prm-api"))

    def check(self, key_id: int) -> None:
        """Count one request of key `key_id`; RateLimited (with the seconds to wait) once a window is used up."""
        for item in self.items:
            if not self._limiter.hit(item, "api-key", str(key_id)):
                reset_at = self._limiter.get_window_stats(item, "api-key", str(key_id)).reset_time
                raise RateLimited(reset_at - time.time())


def plain(value: Any) -> Any:
    """JSON-ready: dataclasses as objects, money as decimal strings (never a float), times in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_json(value: Any) -> str:
    return json.dumps(plain(value), separators=(",", ":"))


def answer(value: Any, status_code: int = 200) -> Response:
    return Response(to_json(value), status_code=status_code, media_type="application/json")


def problem(
    status: int, detail: str, errors: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An RFC 9457 problem: `errors` lists each bad field with its message (`field`: a body field, a query
    parameter or a header's name)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": field, "detail": message} for field, message in errors.items()]
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def problem_for(exc: DomainError) -> JSONResponse:
    """The one table from domain errors to HTTP statuses."""
    if isinstance(exc, RateLimited):
        return problem(429, exc.message, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, NotAuthenticated):
        return problem(401, "Send a valid API key: Authorization: Bearer prm_…", headers={"WWW-Authenticate": "Bearer"})
    if isinstance(exc, NotFound):
        return problem(404, exc.message)
    if isinstance(exc, PermissionDenied):
        return problem(403, exc.message)
    if isinstance(exc, FormInvalid):
        return problem(422, "Some fields need attention.", exc.errors)
    if isinstance(exc, ValidationError):
        return problem(422, exc.message, {exc.field: exc.message} if exc.field else None)
    return problem(409, exc.message)  # a rule about the record's state refused it (e.g. not a draft any more)


_bearer = HTTPBearer(auto_error=False, description="An API key from the API keys page: `Bearer prm_…`")


def key_holder(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> KeyHolder:
    """The key this request carries, resolved and counted against its rate limit (NotAuthenticated, RateLimited)."""
    secret = bearer_secret(f"Bearer {credentials.credentials}" if credentials else "")
    if not secret:
        raise NotAuthenticated()
    with session_scope() as session:
        holder = resolve_api_key(session, secret, ip=request.client.host if request.client else "")
    request.app.state.limiter.check(holder.key_id)
    return holder


def _allow(holder: KeyHolder, scope: str) -> None:
    if scope not in holder.scopes:
        raise PermissionDenied(f"This key does not have the {scope} scope.")


def _name_the_key(session: Session, holder: KeyHolder) -> None:
    """Every audit entry this unit of work writes says which key did it (`api_key`: its id and shown prefix, never
    the secret): the use case audits as the key's person, as on the pages, and this adds the "through which key"."""

    def tag(flushing: Session, _context: object, _instances: object) -> None:
        for row in flushing.new:
            if isinstance(row, AuditLog):
                summary = json.loads(row.summary) if row.summary else {}
                summary["api_key"] = {"id": holder.key_id, "prefix": holder.prefix}
                row.summary = json.dumps(summary, default=str, sort_keys=True)

    event.listen(session, "before_flush", tag)


def run(holder: KeyHolder, scope: str, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`use_case(session, actor, *args, **kwargs)` in one unit of work, as the key's actor, if its scope allows."""
    _allow(holder, scope)
    with session_scope() as session:
        _name_the_key(session, holder)
        refuse_if_held(session, holder.actor)
        return use_case(session, holder.actor, *args, **kwargs)


async def post(
    request: Request, holder: KeyHolder, scope: str, effect: Callable[[Session, Actor], Any], status_code: int = 201
) -> Response:
    """A POST's effect, idempotent under its `Idempotency-Key` header: the same key and body again get the stored
    answer (marked `Idempotent-Replayed: true`), another body 422, while the first still runs 409."""
    _allow(holder, scope)
    key = request.headers.get(idempotency.HEADER)
    fingerprint = request_fingerprint(request.method, request.url.path, await request.body())
    return await run_in_threadpool(_post, holder, key, fingerprint, effect, status_code)


def _post(
    holder: KeyHolder, key: str | None, fingerprint: str, effect: Callable[[Session, Actor], Any], status_code: int
) -> Response:
    claimed_at = utcnow()
    if key is not None:
        key = idempotency.check_key_text(key)
        with session_scope() as session:
            stored = idempotency.claim(session, holder.key_id, key, fingerprint, claimed_at)
        if stored is not None:
            return Response(
                stored.body, stored.status_code, media_type="application/json", headers={"Idempotent-Replayed": "true"}
            )
    try:
        with session_scope() as session:
            _name_the_key(session, holder)
            refuse_if_held(session, holder.actor)
            body = to_json(effect(session, holder.actor))
            if key is not None:
                idempotency.complete(session, holder.key_id, key, claimed_at, status_code, body)
    except BaseException:
        if key is not None:  # nothing was done: the same request may be tried again under the same key
            with session_scope() as session:
                idempotency.release(session, holder.key_id, key, claimed_at)
        raise
    return Response(body, status_code, media_type="application/json")
