"""CRM sync's pure rules: what a sync sends on create and on update, the hash, drift by kind, the order of
inbound events, what the PRM takes from the CRM, and the inbound signatures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prm_app.crm.rules import (
    OBJECTS,
    ConnectionInput,
    Direction,
    FieldRule,
    MapInput,
    check_connection,
    check_map,
    drifts,
    fresh,
    hubspot_v3_signature,
    is_newer,
    outgoing,
    signature_matches,
    signed_json_signature,
    taken_value,
    value_hash,
)
from prm_app.platform.errors import FormInvalid, ValidationError

T, P, N = Direction.TO_CRM, Direction.TO_PRM, Direction.NONE
RULES = [
    FieldRule("dealname", "customer_name", on_create=T, on_update=T),
    FieldRule("amount", "estimated_value", on_create=T, on_update=N, first_sync_only=True),
    FieldRule("closedate", "expected_close", on_create=T, on_update=P),
    FieldRule("dealstage", "", "appointmentscheduled", on_create=T, on_update=T),
    FieldRule("hs_note", "stage", on_create=N, on_update=T),
]
VALUES = {"customer_name": "Acme", "estimated_value": "1200.00", "expected_close": "2027-01-31", "stage": "Proposal"}


def test_a_create_sends_the_create_directions_and_fixed_values():
    assert outgoing(VALUES, RULES, creating=True) == {
        "dealname": "Acme", "amount": "1200.00", "closedate": "2027-01-31", "dealstage": "appointmentscheduled",
    }  # fmt: skip


def test_an_update_leaves_out_first_sync_only_and_crm_owned_fields():
    assert outgoing(VALUES, RULES, creating=False) == {
        "dealname": "Acme", "dealstage": "appointmentscheduled", "hs_note": "Proposal",
    }  # fmt: skip
    # first-sync-only wins even over an update direction toward the CRM
    assert outgoing(VALUES, [FieldRule("amount", "estimated_value", first_sync_only=True)], creating=False) == {}


def test_the_hash_ignores_key_order_and_sees_any_value_change():
    assert value_hash({"a": "1", "b": "2"}) == value_hash({"b": "2", "a": "1"})
    assert value_hash({"a": "1"}) != value_hash({"a": "1.0"})
    assert value_hash({"a": "1", "b": ""}) != value_hash({"a": "1"})


def test_drift_compares_by_kind_and_skips_first_sync_only_and_fixed_values():
    deal = OBJECTS["deal"]
    crm = {
        "dealname": "Acme ",
        "amount": "999",
        "closedate": "2027-01-31T00:00:00Z",
        "dealstage": "x",
        "hs_note": "Proposal",
    }
    assert drifts(deal, VALUES, crm, RULES) == []  # amount is first-sync-only; the date is the same day
    found = drifts(deal, VALUES, {**crm, "closedate": "2027-02-01"}, RULES)
    assert [(d.crm_field, d.prm_value, d.crm_value) for d in found] == [("closedate", "2027-01-31", "2027-02-01")]
    amounts = [FieldRule("amount", "estimated_value")]
    assert drifts(deal, VALUES, {"amount": "1200"}, amounts) == []  # 1200 and 1200.00 are one amount
    assert len(drifts(deal, VALUES, {"amount": "1250"}, amounts)) == 1
    assert len(drifts(deal, VALUES, {}, amounts)) == 1  # a value emptied in the CRM is drift too


def test_an_older_event_never_overwrites_a_newer_one():
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    assert is_newer(now, None)
    assert is_newer(now, now - timedelta(seconds=1))
    assert not is_newer(now - timedelta(seconds=1), now)
    assert not is_newer(now, now)  # the same moment again: already applied


def test_the_prm_takes_crm_values_only_into_its_writable_fields_and_checks_them():
    deal = OBJECTS["deal"]
    assert taken_value(deal.field("estimated_value"), " 1500.5 ") == "1500.5"
    assert taken_value(deal.field("expected_close"), "2027-03-01T00:00:00.000Z") == "2027-03-01"
    assert taken_value(deal.field("stage"), "Negotiation") == "Negotiation"
    for name, bad in (("estimated_value", "lots"), ("estimated_value", "-1"), ("estimated_value", "NaN"),
                      ("expected_close", "soon"), ("stage", "Closed won"), ("status", "won")):  # fmt: skip
        with pytest.raises(ValidationError):
            taken_value(deal.field(name), bad)


def test_hubspot_v3_signature_matches_the_documented_recipe():
    import base64
    import hashlib
    import hmac

    body, uri, ts = b'[{"eventId":1}]', "https://prm.example/crm/inbound/hubspot", "1765108800000"
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"POST" + uri.encode() + body + ts.encode(), hashlib.sha256).digest()
    )
    assert hubspot_v3_signature("s3cret", "post", uri, body, ts) == expected.decode()
    assert signature_matches(expected.decode(), hubspot_v3_signature("s3cret", "POST", uri, body, ts))
    assert not signature_matches(expected.decode(), hubspot_v3_signature("s3cret", "POST", uri, body + b" ", ts))
    assert not signature_matches(expected.decode(), "")
    assert signed_json_signature("k", b"{}", "10") == hmac.new(b"k", b"10.{}", hashlib.sha256).hexdigest()
    assert fresh(1000, 1000 + 300) and not fresh(1000, 1000 + 301) and not fresh(1000 + 301, 1000)


def test_connection_and_map_forms_name_each_field_at_fault():
    with pytest.raises(FormInvalid) as refused:
        check_connection(ConnectionInput("hubspot", "ftp://x"), has_token=False, has_secret=False, allow_http=False)
    assert set(refused.value.errors) == {"base_url", "token", "inbound_secret"}
    given = ConnectionInput("hubspot", "http://127.0.0.1:9/", "tok", "sec")
    with pytest.raises(FormInvalid):
        check_connection(given, has_token=True, has_secret=True, allow_http=False)  # plain http outside the demo
    assert check_connection(given, has_token=False, has_secret=False, allow_http=True) == "http://127.0.0.1:9"
    ok = ConnectionInput("salesforce", "https://acme.my.salesforce.com")  # keeps the stored token and secret
    assert check_connection(ok, has_token=True, has_secret=True, allow_http=False) == "https://acme.my.salesforce.com"

    with pytest.raises(FormInvalid) as refused:
        check_map(MapInput("deal", "amount", "status", on_update=P))
    assert "is the PRM's own" in refused.value.errors["on_update"]
    with pytest.raises(FormInvalid) as refused:
        check_map(MapInput("deal", "bad field!", "", ""))
    assert set(refused.value.errors) == {"crm_field", "prm_field"}
    with pytest.raises(FormInvalid):
        check_map(MapInput("deal", "pipeline", "", "default", on_update=P))  # a fixed value is only sent
    rule = check_map(MapInput("deal", "amount", "estimated_value", on_create=T, on_update=P, first_sync_only=True))
    assert rule == FieldRule("amount", "estimated_value", "", T, P, True)
