"""The receiver for CRM events, on the app's own backend (mounted through `api_transformer` like the other routes):

- `POST /crm/inbound/hubspot`: HubSpot's webhook batches, verified with its v3 signature (`X-HubSpot-Signature-v3`
  over method + URI + body + `X-HubSpot-Request-Timestamp`, with the connection's inbound secret: the app's client
  secret) and refused when the timestamp is more than 5 minutes off. The URI is the one HubSpot called: the app's
  public origin (PRM_APP_ORIGIN) and the path, since a proxy in front may change what the backend sees.
- `POST /crm/inbound/salesforce`: a signed JSON batch (a Flow or Apex callout), `X-PRM-Signature: v1=<hex HMAC-SHA256
  of "<X-PRM-Timestamp>.<body>">`, the same 5 minutes.

401 for a missing, stale or wrong signature, 400 for a body that is not a batch of the documented shape, 413 over
1 MB, 404 for a CRM not connected; otherwise 200 with the counts (a duplicate delivery is a 200 too: the sender
must stop retrying it). Nothing is written before the signature checks out.
"""

from __future__ import annotations

import asyncio
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from prm_app.crm import Malformed, Provider, parse_hubspot, parse_signed_json, receive_events, secret_of
from prm_app.crm.rules import fresh, hubspot_v3_signature, signature_matches, signed_json_signature
from prm_app.platform.db import session_scope
from prm_app.platform.settings import settings

INBOUND_PATH = "/crm/inbound"
MAX_BODY = 1_000_000


def _secret(provider: str) -> str | None:
    with session_scope() as session:
        return secret_of(session, provider)


def _receive(provider: str, events: list) -> dict[str, int]:
    with session_scope() as session:
        return receive_events(session, provider, events)


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"status": status, "detail": detail}, status_code=status)


def _verified(provider: str, request: Request, body: bytes, secret: str) -> bool:
    now = time.time()
    if provider == Provider.HUBSPOT:
        stamp = request.headers.get("x-hubspot-request-timestamp", "")
        if not stamp.isdigit() or not fresh(int(stamp) / 1000, now):
            return False
        uri = (
            settings.app_origin.rstrip("/") + request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
        expected = hubspot_v3_signature(secret, request.method, uri, body, stamp)
        return signature_matches(expected, request.headers.get("x-hubspot-signature-v3", ""))
    stamp = request.headers.get("x-prm-timestamp", "")
    if not stamp.isdigit() or not fresh(int(stamp), now):
        return False
    expected = "v1=" + signed_json_signature(secret, body, stamp)
    return signature_matches(expected, request.headers.get("x-prm-signature", ""))


async def receive(request: Request) -> Response:
    provider = request.path_params["provider"]
    if provider not in (Provider.HUBSPOT, Provider.SALESFORCE):
        return _problem(404, "No such CRM.")
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return _problem(413, "The batch is larger than 1 MB.")
    body = await request.body()
    if len(body) > MAX_BODY:
        return _problem(413, "The batch is larger than 1 MB.")
    secret = await asyncio.to_thread(_secret, provider)
    if secret is None:
        return _problem(404, "This CRM is not connected.")
    if not _verified(provider, request, body, secret):
        return _problem(401, "The signature is missing, stale or wrong.")
    try:
        events = parse_hubspot(body) if provider == Provider.HUBSPOT else parse_signed_json(body)
    except Malformed as exc:
        return _problem(400, f"Not a batch of events: {exc}.")
    return JSONResponse(await asyncio.to_thread(_receive, provider, events))


def crm_routes() -> Starlette:
    """The receiver, for the app's `api_transformer` list."""
    return Starlette(routes=[Route(INBOUND_PATH + "/{provider:str}", receive, methods=["POST"])])
