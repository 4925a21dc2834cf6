"""Webhooks' pure rules: Standard Webhooks signing (the spec's reference vector, both secrets during a rotation),
what URL an endpoint may have, which addresses are refused, and the retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from itertools import pairwise

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from prm_app.integrations.webhook_rules import (
    RETRY_DELAYS,
    EndpointInput,
    address_allowed,
    check_endpoint,
    retry_delay,
    retryable,
    secrets_in_use,
    signature_headers,
)
from prm_app.platform.errors import FormInvalid

# The reference vector of the Standard Webhooks libraries' own tests.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID, SPEC_TS, SPEC_BODY = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_signature_matches_the_specs_reference_vector():
    headers = signature_headers(SPEC_ID, SPEC_BODY, datetime.fromtimestamp(SPEC_TS, UTC), (SPEC_SECRET,))
    assert headers["webhook-id"] == SPEC_ID
    assert headers["webhook-timestamp"] == str(SPEC_TS)
    assert headers["webhook-signature"] == SPEC_SIGNATURE


def test_during_a_rotation_both_secrets_sign_and_either_verifies_then_only_the_new_one():
    old, new = "whsec_" + "A" * 32, "whsec_" + "B" * 32
    rotated_at = datetime.now(UTC)
    until = rotated_at + timedelta(hours=24)
    assert secrets_in_use(new, old, until, rotated_at) == (new, old)
    headers = signature_headers("msg_1", '{"a":1}', rotated_at, secrets_in_use(new, old, until, rotated_at))
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        assert Webhook(secret).verify('{"a":1}', headers) == {"a": 1}
    assert secrets_in_use(new, old, until, until) == (new,)  # the overlap is over
    later = signature_headers("msg_1", '{"a":1}', rotated_at, (new,))
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify('{"a":1}', later)
    with pytest.raises(WebhookVerificationError):  # a body changed on the way does not verify
        Webhook(new).verify('{"a":2}', later)


@pytest.mark.parametrize(
    ("url", "allow_local", "message"),
    [
        ("", False, "Enter the URL"),
        ("example.com/hook", False, "full web address"),
        ("ftp://example.com/hook", False, "full web address"),
        ("https://user:pw@example.com/hook", False, "user name and password"),
        ("http://example.com/hook", False, "Use https://"),
        ("http://example.com/hook", True, "Use https://"),  # plain http only to this machine, even in the demo
        ("http://localhost:9000/hook", False, "Use https://"),
        ("https://localhost/hook", False, "server's own network"),
        ("https://example.com:99999/hook", False, "full web address"),
    ],
)
def test_a_bad_url_is_refused_with_a_message_next_to_it(url, allow_local, message):
    with pytest.raises(FormInvalid) as refused:
        check_endpoint(EndpointInput(url, ("deal.won",)), allow_local=allow_local)
    assert message in refused.value.errors["url"]


def test_events_are_required_and_known_and_kept_in_the_lists_order():
    with pytest.raises(FormInvalid) as none:
        check_endpoint(EndpointInput("https://example.com/h", ()), allow_local=False)
    assert "at least one event" in none.value.errors["events"]
    with pytest.raises(FormInvalid) as unknown:
        check_endpoint(EndpointInput("https://example.com/h", ("deal.hacked",)), allow_local=False)
    assert "from the list" in unknown.value.errors["events"]
    clean = check_endpoint(EndpointInput(" https://example.com/h ", ("deal.won", "deal.submitted")), allow_local=False)
    assert clean.url == "https://example.com/h" and clean.events == ("deal.submitted", "deal.won")
    assert check_endpoint(EndpointInput("http://127.0.0.1:8000/h", ("deal.won",)), allow_local=True).url


@pytest.mark.parametrize(
    "address",
    ["10.0.0.5", "172.16.1.1", "192.168.1.10", "169.254.169.254", "127.0.0.1", "::1", "fe80::1", "fd00::1",
     "0.0.0.0",  # noqa: S104
     "224.0.0.1", "100.64.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"],
)  # fmt: skip
def test_private_loopback_and_link_local_addresses_are_refused(address):
    assert not address_allowed(ip_address(address), allow_local=False)


def test_public_addresses_pass_and_loopback_only_where_local_receivers_are_allowed():
    assert address_allowed(ip_address("93.184.215.14"), allow_local=False)
    assert address_allowed(ip_address("2606:4700::1111"), allow_local=False)
    assert address_allowed(ip_address("127.0.0.1"), allow_local=True)
    assert address_allowed(ip_address("::1"), allow_local=True)
    assert not address_allowed(ip_address("10.0.0.5"), allow_local=True)  # private stays refused in the demo
    assert not address_allowed(ip_address("169.254.169.254"), allow_local=True)


def test_retries_back_off_exponentially_with_jitter_for_about_a_day_then_stop():
    waits = [retry_delay(n, 0.5) for n in range(1, len(RETRY_DELAYS) + 1)]
    assert waits == list(RETRY_DELAYS)  # jitter 0 at the middle of the range
    assert all(a < b for a, b in pairwise(waits[:6]))  # growing
    assert timedelta(hours=20) < sum(RETRY_DELAYS, timedelta()) < timedelta(hours=36)
    assert retry_delay(len(RETRY_DELAYS) + 1, 0.5) is None
    low, high = retry_delay(3, 0.0), retry_delay(3, 0.999999)
    assert low is not None and high is not None
    assert low == timedelta(minutes=24) and timedelta(minutes=35) < high <= timedelta(minutes=36)


def test_only_timeouts_408_429_and_server_errors_are_tried_again():
    assert [c for c in (0, 200, 301, 400, 401, 404, 408, 410, 429, 500, 503) if retryable(c)] == [0, 408, 429, 500, 503]
