"""Webhooks' pure rules: which engagement events are sent and under what name, what makes an endpoint's URL
acceptable and an address reachable, how a message is signed (Standard Webhooks) and when a failed one is tried again.

Signing follows https://www.standardwebhooks.com (the `standardwebhooks` package signs): headers `webhook-id` (the
event's id: the same on every retry and redelivery, so receivers deduplicate on it), `webhook-timestamp` (seconds
since the epoch) and `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret in use
separated by spaces (during a rotation's overlap both the new and the previous secret sign).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import urlsplit

from standardwebhooks import Webhook

from prm_app.platform.errors import FormInvalid

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix Standard Webhooks gives secrets, not one)
TEST_EVENT = "webhook.test"
ROTATION_OVERLAP = timedelta(hours=24)  # the previous secret keeps signing this long after a rotation
TIMEOUT_SECONDS = 10.0  # a receiver answers within 10 s (Standard Webhooks' advice) or the try failed
EXCERPT = 500  # characters of an answer kept in the log

# Engagement event kind (what the areas already record, platform.audit.record_engagement) -> webhook event type.
EVENT_TYPES: dict[str, str] = {
    "deal_registered": "deal.submitted",
    "deal_approved": "deal.approved",
    "deal_rejected": "deal.rejected",
    "deal_won": "deal.won",
    "deal_lost": "deal.lost",
    "deal_withdrawn": "deal.withdrawn",
    "deal_expired": "deal.expired",
    "lead_offered": "lead.offered",
    "lead_accepted": "lead.accepted",
    "lead_declined": "lead.declined",
    "lead_converted": "lead.converted",
    "partner_provisioned": "partner.created",
    "org_profile_updated": "partner.profile_updated",
    "tier_changed": "partner.tier_changed",
    "agreement_signed": "agreement.signed",
    "course_completed": "course.completed",
    "certified": "certificate.issued",
    "certificate_expired": "certificate.expired",
    "mdf_requested": "mdf.requested",
    "mdf_claimed": "mdf.claimed",
    "nps_answered": "survey.answered",
}
EVENT_LABELS: dict[str, str] = {
    "deal.submitted": "Deal registered",
    "deal.approved": "Deal approved",
    "deal.rejected": "Deal rejected",
    "deal.won": "Deal won",
    "deal.lost": "Deal lost",
    "deal.withdrawn": "Deal withdrawn",
    "deal.expired": "Deal protection expired",
    "lead.offered": "Lead offered",
    "lead.accepted": "Lead accepted",
    "lead.declined": "Lead declined",
    "lead.converted": "Lead converted to a deal",
    "partner.created": "Partner created",
    "partner.profile_updated": "Partner profile updated",
    "partner.tier_changed": "Partner tier changed",
    "agreement.signed": "Agreement signed",
    "course.completed": "Course completed",
    "certificate.issued": "Certificate issued",
    "certificate.expired": "Certificate expired",
    "mdf.requested": "MDF requested",
    "mdf.claimed": "MDF claimed",
    "survey.answered": "Survey answered",
}
assert set(EVENT_LABELS) == set(EVENT_TYPES.values())

# Waits after the 1st, 2nd, … failed try of a round (Standard Webhooks' schedule): about 28 hours in all, then the
# delivery is given up. Each wait is jittered by up to ±20 % so receivers coming back are not hit all at once.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
JITTER = 0.2


@dataclass(frozen=True)
class EndpointInput:
    url: str
    events: tuple[str, ...]


@dataclass(frozen=True)
class CleanEndpoint:
    url: str
    events: tuple[str, ...]


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def check_endpoint(data: EndpointInput, *, allow_local: bool) -> CleanEndpoint:
    """The endpoint as stored, or FormInvalid naming each bad field. The URL is https (plain http only to this
    machine, and only where local receivers are allowed: the demo and tests), has a host and no user or password."""
    errors: dict[str, str] = {}
    url = data.url.strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        parts, host = None, ""
    if not url:
        errors["url"] = "Enter the URL that should receive the events, e.g. https://example.com/hooks/prm."
    elif len(url) > 2000 or parts is None or not host or parts.scheme not in {"https", "http"}:
        errors["url"] = "Enter a full web address starting with https://, e.g. https://example.com/hooks/prm."
    elif parts.username or parts.password:
        errors["url"] = "Leave the user name and password out of the URL: every message is signed instead."
    elif parts.scheme == "http" and not (allow_local and host in LOCAL_HOSTS):
        errors["url"] = "Use https:// so that what is sent cannot be read on the way."
    elif host in LOCAL_HOSTS and not allow_local:
        errors["url"] = "This address is on the server's own network: enter an address on the internet."
    events = tuple(dict.fromkeys(e for e in data.events if e))
    if not events:
        errors["events"] = "Choose at least one event to send."
    elif any(e not in EVENT_LABELS for e in events):
        errors["events"] = "Choose events from the list."
    if errors:
        raise FormInvalid(errors)
    return CleanEndpoint(url=url, events=tuple(e for e in EVENT_LABELS if e in events))


def address_allowed(address: IPv4Address | IPv6Address, *, allow_local: bool) -> bool:
    """Whether a message may be sent to this address: never to private, link-local (cloud metadata), multicast,
    reserved or unspecified ones, nor to loopback unless local receivers are allowed (the demo and tests)."""
    mapped = address.ipv4_mapped if isinstance(address, IPv6Address) else None
    if mapped is not None:
        return address_allowed(mapped, allow_local=allow_local)
    if address.is_loopback:
        return allow_local
    return not (
        address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def event_body(event_id: str, event_type: str, at: datetime, data: dict[str, object]) -> str:
    """The JSON sent (and signed) for an event: its type, when it happened and what it is about."""
    return json.dumps(
        {"id": event_id, "type": event_type, "timestamp": at.isoformat(), "data": data},
        separators=(",", ":"),
        sort_keys=True,
    )


def signature_headers(event_id: str, body: str, at: datetime, secrets: tuple[str, ...]) -> dict[str, str]:
    """The Standard Webhooks headers of one try at `at`, signed with every secret in `secrets`."""
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(Webhook(s).sign(event_id, at, body) for s in secrets),
        "content-type": "application/json",
    }


def secrets_in_use(secret: str, previous: str, previous_valid_until: datetime | None, now: datetime) -> tuple[str, ...]:
    """The current secret, and the previous one while its overlap lasts."""
    overlapping = previous and previous_valid_until is not None and now < previous_valid_until
    return (secret, previous) if overlapping else (secret,)


def retryable(status_code: int) -> bool:
    """A failed try worth repeating: no answer (0: timeout, refused connection), 408, 429 or a server error."""
    return status_code in {0, 408, 429} or status_code >= 500


def succeeded(status_code: int) -> bool:
    return 200 <= status_code < 300


def retry_delay(failed_tries: int, unit_random: float) -> timedelta | None:
    """How long to wait after the `failed_tries`-th failed try of a round, jittered by `unit_random` in [0, 1),
    or None: give up."""
    if failed_tries > len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[failed_tries - 1]
    return base * (1 + JITTER * (2 * unit_random - 1))


def excerpt(text: str) -> str:
    """The start of an answer or error as the log keeps it: one line, at most EXCERPT characters."""
    return " ".join(text.split())[:EXCERPT]
