"""The gate in front of the event socket: the session cookie never reaches Reflex (whose router data is state,
pickled into Redis in scale-out); events find the token through a per-connection reference that ends with it."""

from __future__ import annotations

import asyncio

from prm_app.web.session_cookie import ConnectionGate, cookie_attributes, cookie_value, session_token


def _pass_through(scope: dict) -> tuple[dict, dict[str, str]]:
    """Run the gate on `scope`; returns the scope the app behind it saw and the token it could resolve then."""
    seen: dict = {}

    async def app(inner_scope, receive, send):
        seen["scope"] = inner_scope
        headers = {k.decode(): v.decode() for k, v in inner_scope["headers"]}
        seen["token"] = session_token(headers)

    asyncio.run(ConnectionGate(app)(scope, None, None))
    return seen["scope"], seen


def _socket(headers: list[tuple[bytes, bytes]], path: str = "/_event/") -> dict:
    return {"type": "websocket", "path": path, "headers": headers}


def test_the_event_socket_never_sees_the_session_cookie():
    token = "s3cret-session-token-value"
    scope, seen = _pass_through(
        _socket([(b"cookie", f"theme=dark; prm_session={token}; other=1".encode()), (b"origin", b"http://x")])
    )
    raw = dict(scope["headers"])
    assert token.encode() not in b"".join(v for _, v in scope["headers"])
    assert raw[b"cookie"] == b"theme=dark; other=1"
    assert raw[b"origin"] == b"http://x"
    assert seen["token"] == token  # resolvable while the connection is open...
    headers = {k.decode(): v.decode() for k, v in scope["headers"]}
    assert session_token(headers) == ""  # ...and not after it closed


def test_a_client_cannot_bring_its_own_connection_reference():
    scope, seen = _pass_through(_socket([(b"authorization", b"PRM-Connection guessed"), (b"cookie", b"a=b")]))
    assert seen["token"] == ""
    assert b"authorization" not in dict(scope["headers"])


def test_no_cookie_means_no_session_and_no_cookie_header_left_empty():
    scope, seen = _pass_through(_socket([(b"cookie", b"prm_session=abc")]))
    assert seen["token"] == "abc"
    assert b"cookie" not in dict(scope["headers"])
    scope, seen = _pass_through(_socket([]))
    assert seen["token"] == "" and scope["headers"] == []


def test_other_requests_pass_untouched():
    scope = {"type": "http", "path": "/_event/", "headers": [(b"cookie", b"prm_session=abc")]}
    seen_scope, _ = _pass_through(scope)
    assert seen_scope is scope


def test_cookie_value_reads_one_cookie():
    assert cookie_value("a=1; prm_session=xyz; b=2") == "xyz"
    assert cookie_value("prm_session_other=1") == ""
    assert cookie_value("") == ""


def test_the_cookie_is_http_only_strict_and_kept_only_when_asked():
    session_only = cookie_attributes(remember=False)
    assert session_only["httponly"] is True and session_only["samesite"] == "strict" and session_only["path"] == "/"
    assert session_only["max_age"] is None
    assert cookie_attributes(remember=True)["max_age"] == 12 * 60 * 60


def test_the_cookie_is_secure_when_the_app_is_served_over_https(monkeypatch):
    import dataclasses

    from prm_app.web import session_cookie

    assert cookie_attributes(remember=False)["secure"] is False  # tests run on http://localhost
    monkeypatch.setattr(
        session_cookie, "settings", dataclasses.replace(session_cookie.settings, app_origin="https://prm.example.com")
    )
    assert cookie_attributes(remember=False)["secure"] is True


def test_with_several_workers_another_worker_resolves_the_connection_by_the_tokens_hash(monkeypatch):
    """An upload is an HTTP request another worker may serve with the connection's stored headers: that worker
    finds the session through Redis, which holds only the token's SHA-256, and only while the connection lives."""
    import dataclasses

    import pytest
    import redis

    from prm_app.platform.security import hash_token
    from prm_app.web import session_cookie

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable")
    scaled = dataclasses.replace(session_cookie.settings, redis_url="redis://127.0.0.1:6379/0")
    monkeypatch.setattr(session_cookie, "settings", scaled)
    session_cookie._redis.cache_clear()
    session_cookie._redis_async.cache_clear()
    token, seen = "another-s3cret-session-token", {}

    async def app(inner_scope, receive, send):
        headers = {k.decode(): v.decode() for k, v in inner_scope["headers"]}
        ref = headers["authorization"].removeprefix("PRM-Connection ")
        live = session_cookie._live.pop(ref)  # as if this request were served by another process
        seen["elsewhere"] = session_cookie.session_token_hash(headers)
        seen["filed"] = session_cookie._redis().get("prm-connection:" + ref)
        session_cookie._live[ref] = live
        seen["headers"] = headers

    asyncio.run(ConnectionGate(app)(_socket([(b"cookie", f"prm_session={token}".encode())]), None, None))

    assert seen["elsewhere"] == hash_token(token)
    assert seen["filed"] == hash_token(token).encode()  # the hash, never the token
    assert session_cookie.session_token_hash(seen["headers"]) == ""  # gone once the connection closed
    session_cookie._redis.cache_clear()
    session_cookie._redis_async.cache_clear()
