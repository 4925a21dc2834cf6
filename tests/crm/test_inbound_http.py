"""The inbound receiver's HTTP side: nothing reaches the store unless the signature over the exact bytes checks out
within 5 minutes; a body of the wrong shape is 400, an unknown CRM 404, a huge one 413."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from starlette.testclient import TestClient

from prm_app.crm.ui import inbound_http

SECRET = "client-secret"
ORIGIN = "https://prm.example"


@pytest.fixture
def received(monkeypatch) -> list:
    got: list = []
    monkeypatch.setattr(
        inbound_http, "_secret", lambda provider: SECRET if provider in ("hubspot", "salesforce") else None
    )
    monkeypatch.setattr(
        inbound_http, "_receive", lambda provider, events: got.append((provider, events)) or {"applied": len(events)}
    )
    monkeypatch.setattr(inbound_http, "settings", type("S", (), {"app_origin": ORIGIN + "/"})())
    return got


def _hubspot(body: bytes, *, secret: str = SECRET, age_ms: int = 0) -> dict[str, str]:
    stamp = str(int(time.time() * 1000) - age_ms)
    uri = f"{ORIGIN}/crm/inbound/hubspot"
    mac = hmac.new(secret.encode(), b"POST" + uri.encode() + body + stamp.encode(), hashlib.sha256).digest()
    return {"X-HubSpot-Signature-v3": base64.b64encode(mac).decode(), "X-HubSpot-Request-Timestamp": stamp}


EVENT = {"eventId": 1, "subscriptionType": "deal.propertyChange", "objectId": 5, "propertyName": "amount",
         "propertyValue": "10", "occurredAt": 1765108800000}  # fmt: skip


def test_hubspot_batches_pass_only_with_a_fresh_signature_over_the_exact_body(received):
    client = TestClient(inbound_http.crm_routes())
    body = json.dumps([EVENT]).encode()
    ok = client.post("/crm/inbound/hubspot", content=body, headers=_hubspot(body))
    assert ok.status_code == 200 and ok.json() == {"applied": 1}
    ((provider, events),) = received
    assert provider == "hubspot" and events[0].external_id == "5" and events[0].crm_type == "deals"

    for headers, content in (
        (_hubspot(body), body + b" "),  # one byte more
        (_hubspot(body, secret="guess"), body),
        (_hubspot(body, age_ms=6 * 60 * 1000), body),  # replayed 6 minutes later
        ({}, body),
    ):
        assert client.post("/crm/inbound/hubspot", content=content, headers=headers).status_code == 401
    bad = b'{"not": "a list"}'
    assert client.post("/crm/inbound/hubspot", content=bad, headers=_hubspot(bad)).status_code == 400
    no_time = json.dumps([{**EVENT, "occurredAt": "yesterday"}]).encode()
    assert client.post("/crm/inbound/hubspot", content=no_time, headers=_hubspot(no_time)).status_code == 400
    assert client.post("/crm/inbound/pipedrive", content=body).status_code == 404
    huge = b"[" + b" " * 1_000_001 + b"]"
    assert client.post("/crm/inbound/hubspot", content=huge, headers=_hubspot(huge)).status_code == 413
    assert len(received) == 1


def test_salesforce_signed_json(received):
    client = TestClient(inbound_http.crm_routes())
    body = json.dumps({"events": [{"eventId": "a0B1", "sobject": "Opportunity", "recordId": "006x", "field": "Amount",
                                   "value": "5", "occurredAt": "2026-12-07T10:00:00+00:00"}]}).encode()  # fmt: skip
    stamp = str(int(time.time()))
    signature = "v1=" + hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    ok = client.post(
        "/crm/inbound/salesforce", content=body, headers={"X-PRM-Timestamp": stamp, "X-PRM-Signature": signature}
    )
    assert ok.status_code == 200 and received[0][1][0].crm_type == "Opportunity"
    stale = str(int(time.time()) - 301)
    old = "v1=" + hmac.new(SECRET.encode(), stale.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert client.post("/crm/inbound/salesforce", content=body,
                       headers={"X-PRM-Timestamp": stale, "X-PRM-Signature": old}).status_code == 401  # fmt: skip
