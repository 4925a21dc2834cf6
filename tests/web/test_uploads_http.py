"""The upload guard (web.uploads_http) as plain ASGI: who may reach Reflex's upload endpoint, decided from the
headers before a byte of the body is read, and bodies cut off past the cap. (tests/e2e/test_uploads.py drives the
real server.)"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.errors import NotAuthenticated
from prm_app.web import uploads_http
from prm_app.web.uploads_http import UploadRule, guard_uploads

HANDLER = "state.import_state.preview"
CAP = 1000
ACTORS = {
    "manager-token": Actor(user_id=1, role=Role.CHANNEL_MANAGER, organization_id=None, name="M", email="m@x"),
    "partner-token": Actor(user_id=2, role=Role.PARTNER_ADMIN, organization_id=7, name="P", email="p@x"),
}


def resolve(token: str, ip: str) -> Actor:
    if token not in ACTORS:
        raise NotAuthenticated()
    return ACTORS[token]


@pytest.fixture(autouse=True)
def rule(monkeypatch):
    monkeypatch.setitem(uploads_http._RULES, HANDLER, UploadRule(Permission.MANAGE_LEADS, CAP))


class Backend:
    """Stands in for Reflex: reads the whole body (as its buffered path does) unless told it was cut off."""

    def __init__(self) -> None:
        self.called, self.body, self.saw_disconnect = False, b"", False

    async def __call__(self, scope, receive, send) -> None:
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.saw_disconnect = True
                break
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def call(
    *, path="/_upload", method="POST", cookie: str | None = None, handler=HANDLER, body_parts=(b"abc",)
) -> tuple[int, Backend, int]:
    """(status, the backend, how many body messages the client had to hand over)."""
    headers = [(b"reflex-event-handler", handler.encode()), (b"reflex-client-token", b"tab")]
    if cookie is not None:
        headers.append((b"cookie", f"other=1; prm_session={cookie}; x=y".encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "path": path,
        "method": method,
        "headers": headers,
        "client": ("1.2.3.4", 5),
    }
    parts = list(body_parts)
    handed = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal handed
        handed += 1
        if handed > len(parts):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": parts[handed - 1], "more_body": handed < len(parts)}

    async def send(message: dict) -> None:
        sent.append(message)

    backend = Backend()
    asyncio.run(guard_uploads(backend, resolve)(scope, receive, send))
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert len(starts) == 1
    return starts[0]["status"], backend, handed


@pytest.mark.parametrize("cookie", [None, "", "unknown-token"])
def test_an_anonymous_upload_is_refused_before_its_body_is_read(cookie):
    status, backend, handed = call(cookie=cookie)
    assert (status, backend.called, handed) == (401, False, 0)


def test_a_partner_cannot_upload_lead_imports():
    status, backend, handed = call(cookie="partner-token")
    assert (status, backend.called, handed) == (403, False, 0)


def test_a_handler_not_registered_for_uploads_is_refused():
    status, backend, handed = call(cookie="manager-token", handler="state.some_state.something_else")
    assert (status, backend.called, handed) == (403, False, 0)


def test_someone_who_may_import_leads_reaches_the_endpoint():
    status, backend, _ = call(cookie="manager-token", body_parts=(b"a" * 500, b"b" * 500))
    assert status == 200 and backend.body == b"a" * 500 + b"b" * 500


def test_a_body_past_the_cap_is_cut_off_while_it_streams():
    limit = UploadRule(Permission.MANAGE_LEADS, CAP).body_limit
    parts = [b"z" * 1000] * (limit // 1000 * 3)  # three times what the guard lets through
    status, backend, handed = call(cookie="manager-token", body_parts=parts)
    assert status == 413
    assert backend.saw_disconnect and len(backend.body) <= limit
    assert handed <= limit // 1000 + 1


@pytest.mark.parametrize("path, method", [("/_upload/secret.csv", "GET"), ("/_upload", "GET"), ("/_upload/x", "POST")])
def test_reflex_public_upload_folder_is_not_served(path, method):
    status, backend, _ = call(path=path, method=method, cookie="manager-token")
    assert (status, backend.called) == (404, False)


def test_other_paths_pass_untouched():
    status, backend, _ = call(path="/ping", cookie=None)
    assert status == 200 and backend.called


def test_each_record_types_upload_asks_that_types_permission():
    """The import page uploads each record type through its own handler (dataio/ui/import_state.py), registered for
    that type's permission: a partner admin uploads its people and deals, never partners or leads."""
    from reflex_base.utils.format import format_event_handler

    from prm_app.dataio.tables import TABLES
    from prm_app.dataio.ui.import_state import upload_handler

    allowed = {}
    for kind, spec in TABLES.items():
        name = format_event_handler(upload_handler(kind))
        assert uploads_http._RULES[name].permission == spec.permission
        allowed[kind] = call(cookie="partner-token", handler=name)[0] == 200
        assert call(cookie="manager-token", handler=name)[0] == 200
    assert allowed == {"partners": False, "users": True, "deals": True, "leads": False}
