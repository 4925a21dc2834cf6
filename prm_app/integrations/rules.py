"""The REST API's pure rules: what a key may be scoped to, how a key and a cursor look, what makes two POSTs the
same request. No session, no I/O.

Scopes only narrow: a key acts as the person who made it, so what it may do is what that person may do (the same
permission table as the web pages) *and* what its scopes allow. A partner's key can never reach further than its
partner admin, and a program key no further than its administrator.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from prm_app.platform.errors import FormInvalid, ValidationError

KEY_PREFIX = "prm_"
SHOWN_PREFIX_LENGTH = 12  # "prm_" and 8 characters of the secret: enough to tell keys apart in a list
MAX_EXPIRY_DAYS = 730
MAX_PAGE = 100
DEFAULT_PAGE = 50

SCOPES: dict[str, str] = {  # scope -> what it allows, as the key form explains it
    "partners:read": "Read partner organizations",
    "users:read": "Read partners' people",
    "deals:read": "Read deal registrations",
    "deals:write": "Register deals",
    "leads:read": "Read leads",
    "leads:write": "Work leads: accept or decline offers; for program keys, add, route and offer",
    "surveys:read": "Read NPS surveys",
    "surveys:write": "Answer NPS surveys",
    "training:read": "Read training courses and certificates",
    "tiers:read": "Read tiers and their requirements",
    "audit:read": "Read the audit log",
}
# What a partner's key may hold: its organization's records, never the program's audit log.
PARTNER_SCOPES = (
    "partners:read", "users:read", "deals:read", "deals:write", "leads:read", "leads:write", "surveys:read",
    "surveys:write", "training:read", "tiers:read",
)  # fmt: skip
PROGRAM_SCOPES = tuple(SCOPES)


@dataclass(frozen=True)
class KeyInput:
    """What the key form sends, as typed."""

    name: str = ""
    scopes: tuple[str, ...] = ()
    expires_in_days: str = ""  # "" for a key that does not expire


@dataclass(frozen=True)
class CleanKey:
    name: str
    scopes: tuple[str, ...]
    expires_at: datetime | None


def allowed_scopes(*, partner: bool) -> tuple[str, ...]:
    return PARTNER_SCOPES if partner else PROGRAM_SCOPES


def check_key(data: KeyInput, *, partner: bool, now: datetime) -> CleanKey:
    """The key to create, or FormInvalid naming each bad field: a name (1-80 characters), at least one scope of
    those the creator's kind of key may hold, an expiry of 1-730 days or none."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = "Name the key after what will use it, e.g. “CRM sync”."
    elif len(name) > 80:
        errors["name"] = "Keep the name under 80 characters."
    allowed = allowed_scopes(partner=partner)
    scopes = tuple(s for s in allowed if s in data.scopes)
    if not scopes or len(set(data.scopes)) != len(scopes):
        errors["scopes"] = "Choose at least one of the listed permissions."
    expires_at = None
    days_text = data.expires_in_days.strip()
    if days_text:
        try:
            days = int(days_text)
        except ValueError:
            days = 0
        if not 1 <= days <= MAX_EXPIRY_DAYS:
            errors["expires_in_days"] = f"Give a whole number of days from 1 to {MAX_EXPIRY_DAYS}, or leave it empty."
        else:
            expires_at = now + timedelta(days=days)
    if errors:
        raise FormInvalid(errors)
    return CleanKey(name=name, scopes=scopes, expires_at=expires_at)


def bearer_secret(authorization: str) -> str:
    """The key in an `Authorization: Bearer prm_…` header ("" when there is none or it is not one of ours)."""
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value.startswith(KEY_PREFIX) or len(value) > 200:
        return ""
    return value


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes a retried POST the same request: its method, path and exact body."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


def encode_cursor(last_id: int) -> str:
    """An opaque cursor for the page after the row `last_id` (lists run in id order, so a row added meanwhile never
    shifts a page: it shows up at the end)."""
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor continues after (0 for none); ValidationError on `cursor` for anything we did not issue."""
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = data["after"]
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise ValidationError("This cursor is not one the API gave out.", "cursor") from None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise ValidationError("This cursor is not one the API gave out.", "cursor")
    return after


def parse_updated_since(text: str) -> datetime | None:
    """An ISO 8601 moment (`2026-12-01T00:00:00Z`; a date alone means its midnight UTC) as aware UTC, None for "";
    ValidationError on `updated_since` otherwise."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValidationError("Give an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z.", "updated_since") from None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def page_size(limit: int | None) -> int:
    """The rows on one page: DEFAULT_PAGE when not asked, else 1..MAX_PAGE (ValidationError on `limit`)."""
    if limit is None:
        return DEFAULT_PAGE
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"Ask for 1 to {MAX_PAGE} rows.", "limit")
    return limit
