"""Pure rules of signing in: where a sign-in may send the browser afterwards, when a reset link is usable, and
what a person may write in their own profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from prm_app.platform.errors import FormInvalid
from prm_app.platform.i18n import Words

LOGIN_PATH = "/login"
UNKNOWN_LINK = Words("reset.link_unknown")  # "This link is not valid. Ask for a new one."
_MAX_NEXT = 2000


def safe_next_path(value: object) -> str | None:
    """`value` when it is a path of this site to return to after signing in, else None.

    Only same-origin paths: it starts with one "/", names no scheme or host (`//evil.example`, `/\\evil`,
    `http://…`, `javascript:`), holds no backslash or control character (browsers read `\\` as `/` and drop tabs
    and newlines, which would turn a harmless-looking path into another host), and is not one of the backend's
    own endpoints (`/_auth/…`, `/_event`) nor the sign-in page itself.
    """
    if not isinstance(value, str) or not value or len(value) > _MAX_NEXT:
        return None
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith("/_"):
        return None
    if parts.path.rstrip("/") in {"", LOGIN_PATH}:
        return None
    return value


def login_url(next_path: str | None = None) -> str:
    """The sign-in page, asked to return to `next_path` afterwards when that is a safe path (see above)."""
    safe = safe_next_path(next_path)
    return f"{LOGIN_PATH}?next={quote(safe, safe='/')}" if safe else LOGIN_PATH


IDLE_WARNING_MAX = timedelta(minutes=5)


def idle_warning_lead(idle: timedelta) -> timedelta:
    """How long before an idle session ends the page warns ("You'll be signed out in N minutes"): five minutes,
    or half the idle timeout when that is shorter (a 2-minute timeout warns after one quiet minute)."""
    return min(IDLE_WARNING_MAX, idle / 2)


def reset_problem(*, expires_at: datetime, used_at: datetime | None, user_active: bool, now: datetime) -> Words | None:
    """Why a password-reset link no longer works ("This link has expired. Ask for a new one.", in the reader's
    language), or None while it does (unused, unexpired, its user active)."""
    if used_at is not None:
        return Words("reset.link_used")
    if now >= expires_at:
        return Words("reset.link_expired")
    if not user_active:
        return UNKNOWN_LINK
    return None


# (marker in the User-Agent, name), first match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_browser(user_agent: str) -> str:
    """A User-Agent as a person recognises their device: "Chrome on Windows", "Safari on iPhone"; "Unknown
    browser" when it names none we know (the raw string is shown beside it for those who want it)."""
    ua = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in ua), "")
    system = next((name for marker, name in _SYSTEMS if marker in ua), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "Unknown browser")


_PHONE_CHARS = frozenset("0123456789 +-().")


@dataclass(frozen=True)
class ProfileFields:
    """A person's own profile as stored: one-line text, "" for a title or phone not given."""

    full_name: str
    title: str
    phone: str


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def check_profile(full_name: str, title: str, phone: str) -> ProfileFields:
    """What a person may write as their own name, job title and phone, every field checked at once: FormInvalid
    with one message per bad field (the page shows each beside its field and keeps what was typed).

    The name is required, up to 120 characters; the title is optional, up to 120; the phone is optional, 6 to 30
    characters of digits, spaces and + - ( ) . with at least 6 digits (so "((((((" is no number). Runs of
    whitespace become one space."""
    name, job, tel = _one_line(full_name), _one_line(title), _one_line(phone)
    errors: dict[str, str] = {}
    if not name:
        errors["full_name"] = "Enter your name."
    elif len(name) > 120:
        errors["full_name"] = "Keep the name under 120 characters."
    if len(job) > 120:
        errors["title"] = "Keep the title under 120 characters."
    if tel and (not 6 <= len(tel) <= 30 or not set(tel) <= _PHONE_CHARS or sum(c.isdigit() for c in tel) < 6):
        errors["phone"] = "Enter a phone number of 6 to 30 digits, spaces or + - ( ) . such as +1 415 555 0100."
    if errors:
        raise FormInvalid(errors)
    return ProfileFields(full_name=name, title=job, phone=tel)
