"""The run-time endpoints' body reader: capped, and a body nested past the JSON parser's depth is malformed (a
400 with SCORM's general error), not a server error."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import Request

from prm_app.scorm.ui.runtime_http import _json_body


def _request(body: bytes) -> Request:
    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    return Request({"type": "http", "method": "POST", "headers": [], "path": "/"}, receive)


def test_the_body_is_json_within_its_cap():
    assert asyncio.run(_json_body(_request(b'{"seq": 1, "cmi": {}}'), 100)) == {"seq": 1, "cmi": {}}
    with pytest.raises(ValueError):
        asyncio.run(_json_body(_request(b'{"seq": 1, "cmi": "' + b"x" * 200 + b'"}'), 100))


def test_a_body_nested_past_the_parsers_depth_is_malformed():
    nested = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(ValueError):
        asyncio.run(_json_body(_request(nested), 1_000_000))
