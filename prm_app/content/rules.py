"""The content library's pure rules: what an asset's form may hold, which files the library accepts (by content),
which outside links it accepts, where co-brand zones may sit, and when an asset is live. No session, no I/O."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from urllib.parse import unquote, urlsplit

import filetype

from prm_app.platform.errors import FormInvalid


class Category(StrEnum):
    SALES = "sales"
    CAMPAIGN = "campaign"
    TECHNICAL = "technical"
    COMPETITIVE = "competitive"
    TRAINING = "training"
    LEGAL = "legal"


CATEGORY_LABELS = {
    Category.SALES: "Sales collateral",
    Category.CAMPAIGN: "Campaign",
    Category.TECHNICAL: "Technical",
    Category.COMPETITIVE: "Competitive",
    Category.TRAINING: "Training",
    Category.LEGAL: "Legal",
}
LANGUAGES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese", "ja": "Japanese"}

# --- files ------------------------------------------------------------------------------------------------------

PDF = "application/pdf"
ZIP = "application/zip"
OFFICE = {
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ACCEPTED = frozenset({PDF, "image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4", ZIP, *OFFICE.values()})
INLINE = frozenset({PDF, "image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4"})  # never HTML or SVG
TYPE_LABELS = {PDF: "PDF", "video/mp4": "Video", ZIP: "Zip archive", **{v: k[:-1].upper() for k, v in OFFICE.items()}}
HEAD_BYTES = 8192
NOT_ACCEPTED = "That file is not a PDF, image (PNG, JPEG, GIF, WebP), MP4 video, slide deck, spreadsheet or zip."


def sniff(head: bytes) -> str | None:
    """The accepted type a file's first bytes prove, or None (an executable renamed .pdf proves nothing accepted).
    A zip is refined later by storage.office_type, from its table of contents."""
    kind: str | None = filetype.guess_mime(head)
    if kind in OFFICE.values():  # filetype reads a few office files' inner names from the head
        return kind
    return kind if kind in ACCEPTED else None


def type_label(content_type: str) -> str:
    return TYPE_LABELS.get(content_type, content_type.split("/")[-1].upper() if content_type else "Link")


# --- links ------------------------------------------------------------------------------------------------------

_LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".home.arpa")
PRIVATE_LINK = "That address points inside a private network."
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _ipv4_number(part: str) -> int | None:
    """One dotted part as a browser reads it (WHATWG URL: 0x.. hex, 0.. octal, else decimal), or None."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def browser_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a browser would take `host` for ("127.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433" are all
    127.0.0.1), None when it is a name. Python's ipaddress accepts only the four-decimal form."""
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if not parts or len(parts) > 4 or _ipv4_number(parts[-1]) is None:
        return None
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    *head, last = [n or 0 for n in numbers]
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(parts)):
        return None
    value = last
    for index, n in enumerate(head):
        value += n << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, 6to4, Teredo, NAT64, the old ::a.b.c.d), if any."""
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64 or (int(ip) >> 32 == 0 and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_is_private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not a public internet address: loopback, private, link-local, reserved, shared, or an IPv6 form of one."""
    if not ip.is_global:
        return True
    embedded = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    return embedded is not None and not embedded.is_global


def link_host(url: str) -> str | None:
    """The host a browser would connect to for `url` (percent-decoded, lower case, no trailing dot), or None when
    it is no http(s) address with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        return None
    return unquote(parts.hostname).lower().rstrip(".")


def link_problem(url: str) -> str | None:
    """Why an outside link cannot be an asset, or None. Only http(s) to a public host: no file://, no loopback,
    private, link-local or reserved address in any form a browser reads as one (127.1, 0x7f.0.0.1, %31%32%37.0.0.1,
    ::ffff:127.0.0.1, 64:ff9b::7f00:1), no local names. A name that resolves to such an address is refused by the
    service (content.links), which may look the name up; this rule does no I/O."""
    host = link_host(url)
    if host is None:
        return "Enter a web address starting with https://."
    if host == "localhost" or host.endswith(_LOCAL_NAMES) or ("." not in host and ":" not in host):
        return PRIVATE_LINK
    if any(c in host for c in "%/\\@\x00 "):
        return PRIVATE_LINK if browser_ipv4(host) else "Enter a valid web address."
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = browser_ipv4(host)
    if ip is None:
        try:
            ip = ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            return None
    return PRIVATE_LINK if address_is_private(ip) else None


# --- the asset form ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetInput:
    title: str
    description: str
    category: str
    tags: str = ""
    product: str = ""
    language: str = "en"
    folder: str = ""
    publish_at: datetime | None = None  # aware, or a wall-clock time in the manager's zone (check_asset reads it)
    expire_at: datetime | None = None
    link_url: str = ""


def clean_tags(raw: str) -> str:
    """ "Pricing, EMEA ,pricing" -> "pricing, emea": lower case, no repeats, at most 12."""
    seen: list[str] = []
    for tag in (t.strip().lower()[:30] for t in raw.split(",")):
        if tag and tag not in seen:
            seen.append(tag)
    return ", ".join(seen[:12])


NO_SUCH_TIME = "The clocks skip that time there (they go forward): choose another."


def zoned_moment(value: datetime | None, zone: tzinfo) -> datetime | None:
    """A publish or expiry moment: a wall-clock time (naive, as a form gives it) read in `zone`, the manager's, and
    returned in UTC; an aware moment as it is. None for a wall-clock time the zone skips (the hour clocks go
    forward), which is no moment at all; a repeated hour (clocks going back) is its first occurrence."""
    if value is None or value.tzinfo is not None:
        return value
    moment = value.replace(tzinfo=zone).astimezone(UTC)
    return moment if moment.astimezone(zone).replace(tzinfo=None) == value else None


def check_asset(data: AssetInput, *, is_link: bool = False, zone: tzinfo = UTC) -> AssetInput:
    """The input cleaned, with its publish and expiry moments in UTC (wall-clock times read in `zone`), or
    FormInvalid naming each field that is wrong."""
    errors: dict[str, str] = {}
    publish_at, expire_at = zoned_moment(data.publish_at, zone), zoned_moment(data.expire_at, zone)
    for name, given, moment in (("publish_at", data.publish_at, publish_at), ("expire_at", data.expire_at, expire_at)):
        if given is not None and moment is None:
            errors[name] = NO_SUCH_TIME
    title, description = data.title.strip(), data.description.strip()
    if not 3 <= len(title) <= 160:
        errors["title"] = "Enter a title of 3 to 160 characters."
    if len(description) > 4000:
        errors["description"] = "Keep the description under 4,000 characters."
    if data.category not in {c.value for c in Category}:
        errors["category"] = "Choose a category."
    if data.language not in LANGUAGES:
        errors["language"] = "Choose a language."
    if publish_at and expire_at and expire_at <= publish_at:
        errors["expire_at"] = "The expiry must come after the publish time."
    if is_link and (problem := link_problem(data.link_url)):
        errors["link_url"] = problem
    if errors:
        raise FormInvalid(errors)
    return AssetInput(
        title=title,
        description=description,
        category=data.category,
        tags=clean_tags(data.tags),
        product=data.product.strip()[:80],
        language=data.language,
        folder=data.folder.strip()[:120],
        publish_at=publish_at,
        expire_at=expire_at,
        link_url=data.link_url.strip() if is_link else "",
    )


def slugify(title: str) -> str:
    """ "Q3 Price List (EMEA)" -> "q3-price-list-emea": ASCII letters, digits and dashes, at most 60."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-") or "asset"


MAX_ROW_NUMBER = 2**31 - 1  # ids and version numbers are INTEGER columns


def row_number(n: int | None) -> int:
    """A number from the browser or a URL as one a lookup can take: out of the INTEGER range it is 0, which finds
    nothing (PostgreSQL refused 2**40 with an error: a 500 for a visible asset, a 404 for a hidden one)."""
    return n if isinstance(n, int) and 0 < n <= MAX_ROW_NUMBER else 0


def is_live(publish_at: datetime, expire_at: datetime | None, now: datetime) -> bool:
    return publish_at <= now and (expire_at is None or now < expire_at)


# --- co-brand zones ---------------------------------------------------------------------------------------------


class ZoneKind(StrEnum):
    LOGO = "logo"
    FIELD = "field"  # a profile field
    FREE_TEXT = "free_text"


ZONE_LABELS = {ZoneKind.LOGO: "Logo", ZoneKind.FIELD: "Profile field", ZoneKind.FREE_TEXT: "Free text"}
PROFILE_FIELDS = {"name": "Company name", "phone": "Phone", "website": "Website", "address": "Address",
                  "date": "Date of the copy (in the partner's language)"}  # fmt: skip
FREE_TEXT_MAX = 120


@dataclass(frozen=True)
class ZoneInput:
    page: int
    x: float
    y: float
    w: float
    h: float
    kind: str
    binding: str = ""
    text: str = ""
    locked: bool = False


def check_zone(zone: ZoneInput, page_sizes: list[tuple[float, float]]) -> ZoneInput:
    """The zone, or FormInvalid: on a page of the PDF, inside it, with a kind and (for fields) a profile field."""
    errors: dict[str, str] = {}
    if not 1 <= zone.page <= len(page_sizes):
        errors["page"] = f"Choose a page from 1 to {len(page_sizes)}."
    elif zone.w <= 0 or zone.h <= 0 or zone.x < 0 or zone.y < 0:
        errors["w"] = "Width and height must be above 0; x and y at least 0."
    else:
        width, height = page_sizes[zone.page - 1]
        if zone.x + zone.w > width + 0.5 or zone.y + zone.h > height + 0.5:
            errors["w"] = f"The box must fit on the page ({width:g} × {height:g} points)."
    if zone.kind not in {k.value for k in ZoneKind}:
        errors["kind"] = "Choose what the zone shows."
    elif zone.kind == ZoneKind.FIELD and zone.binding not in PROFILE_FIELDS:
        errors["binding"] = "Choose the profile field it shows."
    if len(zone.text) > FREE_TEXT_MAX:
        errors["text"] = f"Keep the text under {FREE_TEXT_MAX} characters."
    if errors:
        raise FormInvalid(errors)
    return zone


def stamp_hash(parts: Mapping[str, object]) -> str:
    """A stable hash of everything a co-branded render depends on (profile values, logo key, zones, texts)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
