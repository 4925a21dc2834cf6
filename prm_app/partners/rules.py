"""Pure rules of an organization's profile: what a partner admin may write as its address, website and phone,
and what a logo file must be. No database, no I/O: tested in tests/partners/test_partner_rules.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from prm_app.platform.errors import FormInvalid
from prm_app.platform.places import country_code

LOGO_MAX_BYTES = 1024 * 1024  # a logo is shown small: 1 MB is plenty for a PNG, JPEG or WebP of it
LOGO_TYPES = ("image/png", "image/jpeg", "image/webp")

_POSTAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{1,18}[A-Za-z0-9]|[A-Za-z0-9]{2}")
_PHONE = re.compile(r"\+?[0-9 ().-]+(?: ?(?:ext\.?|x) ?[0-9]{1,6})?", re.IGNORECASE)
_HOST = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@dataclass(frozen=True)
class OrgProfileInput:
    """The profile form as typed (every field text)."""

    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""  # a code from the country list, or a name typed
    website: str = ""
    phone: str = ""


@dataclass(frozen=True)
class OrgContact:
    """The profile as it is stored: trimmed, the country as its ISO code, the website as an https?:// URL."""

    street: str
    city: str
    postal_code: str
    country: str  # ISO 3166 alpha-2
    website: str  # "" when none
    phone: str  # "" when none


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def normalize_website(text: str) -> str:
    """A website as a full URL ("acme.com" -> "https://acme.com"); "" stays ""; ValueError when it is no web
    address (another scheme, no dotted host, spaces, credentials)."""
    value = (text or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not _HOST.fullmatch(host) or parts.username or " " in value:
        raise ValueError(value)
    return value


def check_org_profile(data: OrgProfileInput) -> OrgContact:
    """Every field checked at once; FormInvalid with one message per bad field (the page shows each beside its
    field and keeps what was typed)."""
    errors: dict[str, str] = {}
    street, city, postal = _one_line(data.street), _one_line(data.city), _one_line(data.postal_code).upper()
    if not street:
        errors["street"] = "Enter the street and number."
    elif len(street) > 200:
        errors["street"] = "Keep the street under 200 characters."
    if not city:
        errors["city"] = "Enter the city."
    elif len(city) > 100:
        errors["city"] = "Keep the city under 100 characters."
    if postal and not _POSTAL.fullmatch(postal):
        errors["postal_code"] = "A postal code has 2 to 20 letters, digits, spaces or hyphens."
    country = country_code((data.country or "").strip())
    if not country:
        errors["country"] = "Choose the country from the list."
    website = ""
    try:
        website = normalize_website(data.website)
        if len(website) > 200:
            errors["website"] = "Keep the website under 200 characters."
    except ValueError:
        errors["website"] = "Enter a web address such as https://example.com."
    phone = _one_line(data.phone)
    if phone and (len(phone) > 40 or not _PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6):
        errors["phone"] = "Enter a phone number with at least 6 digits, e.g. +1 415 555 0100."
    if errors:
        raise FormInvalid(errors)
    return OrgContact(street=street, city=city, postal_code=postal, country=country, website=website, phone=phone)


def logo_type(head: bytes) -> str | None:
    """The image type a file's first bytes prove ("image/png", "image/jpeg", "image/webp"), or None.

    Judged by content, never by the name or the type the browser claims: a PNG's signature and its first chunk
    (IHDR), a JPEG's start-of-image marker followed by another marker, a WebP's RIFF container with its WEBP form
    and a VP8/VP8L/VP8X chunk. (Three fixed signatures, each checked a little deeper than a magic-number library
    does; SVG is not accepted: it can carry script.)"""
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return "image/png"
    if head[:3] == b"\xff\xd8\xff" and len(head) > 3 and head[3] >= 0xC0:
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:16] in {b"VP8 ", b"VP8L", b"VP8X"}:
        return "image/webp"
    return None
