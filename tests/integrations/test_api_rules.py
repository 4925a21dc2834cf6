"""The API's pure rules: key form checks, bearer parsing, cursors, updated_since, page sizes, request fingerprints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prm_app.integrations.rules import (
    PARTNER_SCOPES,
    KeyInput,
    bearer_secret,
    check_key,
    decode_cursor,
    encode_cursor,
    page_size,
    parse_updated_since,
    request_fingerprint,
)
from prm_app.platform.errors import FormInvalid, ValidationError

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_key_needs_a_name_a_listed_scope_and_a_sensible_expiry():
    with pytest.raises(FormInvalid) as caught:
        check_key(KeyInput(name="  ", scopes=(), expires_in_days="0"), partner=False, now=NOW)
    assert set(caught.value.errors) == {"name", "scopes", "expires_in_days"}
    clean = check_key(
        KeyInput(name=" CRM   sync ", scopes=("deals:read",), expires_in_days="30"), partner=True, now=NOW
    )
    assert (clean.name, clean.scopes, clean.expires_at) == ("CRM sync", ("deals:read",), NOW + timedelta(days=30))
    assert check_key(KeyInput(name="x", scopes=("audit:read",)), partner=False, now=NOW).expires_at is None


def test_a_partner_key_cannot_hold_the_audit_scope_nor_an_unknown_one():
    assert "audit:read" not in PARTNER_SCOPES
    for scopes in (("audit:read",), ("deals:read", "audit:read"), ("deals:read", "root")):
        with pytest.raises(FormInvalid) as caught:
            check_key(KeyInput(name="x", scopes=scopes), partner=True, now=NOW)
        assert "scopes" in caught.value.errors


def test_only_our_bearer_keys_are_read():
    assert bearer_secret("Bearer prm_abc") == "prm_abc"
    assert bearer_secret("bearer   prm_abc ") == "prm_abc"
    for header in ("", "Basic prm_abc", "Bearer abc", "prm_abc", "Bearer " + "prm_" + "x" * 300):
        assert bearer_secret(header) == ""


def test_cursors_round_trip_and_foreign_ones_are_refused_on_the_cursor_field():
    assert decode_cursor(encode_cursor(41)) == 41
    assert decode_cursor("") == 0
    for forged in ("nonsense", encode_cursor(-1), "eyJhZnRlciI6ICJ4In0", "W10"):
        with pytest.raises(ValidationError) as caught:
            decode_cursor(forged)
        assert caught.value.field == "cursor"


def test_updated_since_reads_iso_moments_as_utc():
    assert parse_updated_since("") is None
    assert parse_updated_since("2026-12-01T10:00:00Z") == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert parse_updated_since("2026-12-01T12:00:00+02:00") == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert parse_updated_since("2026-12-01") == datetime(2026, 12, 1, tzinfo=UTC)
    with pytest.raises(ValidationError) as caught:
        parse_updated_since("yesterday")
    assert caught.value.field == "updated_since"


def test_page_sizes_and_fingerprints():
    assert page_size(None) == 50 and page_size(100) == 100
    for bad in (0, 101):
        with pytest.raises(ValidationError):
            page_size(bad)
    same = request_fingerprint("post", "/api/v1/deals", b'{"a":1}')
    assert same == request_fingerprint("POST", "/api/v1/deals", b'{"a":1}')
    assert same != request_fingerprint("POST", "/api/v1/deals", b'{"a":2}')
    assert same != request_fingerprint("POST", "/api/v1/surveys/1/answers", b'{"a":1}')
