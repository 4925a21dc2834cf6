"""Pure rules of outbound mail: the messages' small templates and their rendering (plain text and HTML, values
escaped) in the reader's language, when a failed message is tried again, and how PRM_SMTP_URL names a server. No I/O
here.

A message is written in its recipient's language (their setting; the caller decides whose): its words come from
the message catalogue (platform/i18n.py, keys "mail.*"), and its dates and amounts follow that language's region
(Babel's CLDR patterns) in the recipient's time zone."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from babel.dates import format_date, format_time
from babel.numbers import format_currency

from prm_app.platform.i18n import DEFAULT_LANGUAGE, FORMAT_LOCALES, Amount, Words, catalogue, supported
from prm_app.platform.zones import zone_named

# A failed try waits this long before the next; after the last wait the message is given up ("failed").
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after the `failed_attempts`-th failed try (1, 5, 30 minutes, 2 hours), or None: give up."""
    if failed_attempts < 1:
        raise ValueError("retry_delay is asked after a failed try")
    return BACKOFF[failed_attempts - 1] if failed_attempts <= len(BACKOFF) else None


@dataclass(frozen=True)
class Template:
    """A message whose words are in the catalogue (platform/locales), under `prefix`: `<prefix>.subject`, one key
    per paragraph, `<prefix>.action` (the call to action's label, linking to the value named `action`) and
    `<prefix>.footer`. A key starting with "mail." is shared ("mail.hello"). A message with plural forms takes
    the value named `count` as its count ("It works once, for 1 minute / for 30 minutes")."""

    prefix: str
    paragraphs: tuple[str, ...]
    action: str | None = None
    footer: bool = False
    count: str | None = None

    def key(self, part: str) -> str:
        return part if part.startswith("mail.") else f"{self.prefix}.{part}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


TEMPLATES: dict[str, Template] = {
    "invitation": Template("mail.invitation", ("mail.hello", "invited", "choose"), action="link", footer=True),
    "password_reset": Template(
        "mail.reset", ("mail.hello", "asked", "choose"), action="link", footer=True, count="minutes"
    ),
    # Recruitment (prm_app/recruitment): an applicant's confirmation, and the private link to add detail.
    "application_received": Template("mail.applied", ("mail.hello", "thanks", "review"), footer=True),
    "application_needs_detail": Template("mail.needs_detail", ("mail.hello", "before", "note", "edit"), action="link"),
    "application_declined": Template("recruitment.declined_mail", ("mail.hello", "decided", "thanks")),
    # A notice of the notifications area, emailed to a person who wants that event by email.
    "notice": Template("mail.notice", ("mail.hello", "message"), action="link", footer=True),
}


def shown(value: object, language: str = DEFAULT_LANGUAGE, zone: str = "UTC") -> str:
    """A value as a message to a reader of `language` in `zone` shows it: a moment in that zone, named ("6 Dec
    2026, 17:05 UTC"; German "6. Dezember 2026, 18:05 CET"), a day ("6 Dec 2026", "6. Dezember 2026"), an amount
    ("48,500.00 EUR", "48.500,00 €"), a sentence (Words) in that language, anything else as text."""
    if isinstance(value, Words):
        return value.say(language, lambda v: shown(v, language, zone))
    region = None if language == DEFAULT_LANGUAGE else FORMAT_LOCALES.get(language)
    if isinstance(value, datetime):
        local = value.astimezone(zone_named(zone))
        name = local.strftime("%Z")
        name = f"UTC{name}" if name[:1] in "+-" else name
        if region is None:
            return f"{local:%-d %b %Y, %H:%M} {name}"
        return f"{format_date(local, 'long', locale=region)}, {format_time(local, 'HH:mm', locale=region)} {name}"
    if isinstance(value, date):
        return f"{value:%-d %b %Y}" if region is None else format_date(value, "long", locale=region)
    if isinstance(value, Amount):
        if region is None:
            return f"{value.value:,.2f} {value.currency}"
        return format_currency(value.value, value.currency, locale=region, format_type="standard")
    return str(value)


# Any run of whitespace but the no-break spaces a region's numbers, money and dates hold ("1.234,56\xa0€").
_BREAKS = re.compile(r"[^\S\xa0\u202f]+")


def _one_line(value: str) -> str:
    """Header values never carry a line break (that would let a value add headers of its own)."""
    return _BREAKS.sub(" ", value).strip()


def _checked_url(url: str) -> str:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"a message links only to http(s) pages, not {url!r}")
    return url


def render(kind: str, values: Mapping[str, object], language: str = DEFAULT_LANGUAGE, zone: str = "UTC") -> Rendered:
    """The message of `kind` in `language` (English filling any gap), filled with `values` as a reader in `zone`
    reads them (`shown`): the subject on one line, plain text, and HTML in which every value is escaped (a name
    like `<script>` shows as text). Raises KeyError for an unknown kind or a missing value, ValueError for a link
    that is not http(s)."""
    template = TEMPLATES[kind]
    plain = {name: _one_line(shown(value, language, zone)) for name, value in values.items()}
    counted = int(str(values[template.count])) if template.count else None
    english = catalogue(DEFAULT_LANGUAGE).messages

    def say(part: str) -> str:
        key = template.key(part)
        plural = not isinstance(english.get(key, ""), str)
        return Words(key, plain, count=counted if plural else None).say(language)

    paragraphs = [say(p) for p in template.paragraphs]
    text_parts = list(paragraphs)
    html_parts = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    if template.action is not None:
        label, url = say("action"), _checked_url(plain[template.action])
        text_parts.append(f"{label}:\n{url}")
        html_parts.append(f'<p><a href="{html.escape(url, quote=True)}">{html.escape(label)}</a></p>')
    if template.footer:
        footer = say("footer")
        text_parts.append(footer)
        html_parts.append(f'<p style="color:#555;font-size:90%">{html.escape(footer)}</p>')
    body = "\n".join(html_parts)
    lang = html.escape(supported(language), quote=True)
    return Rendered(
        subject=_one_line(say("subject"))[:200],
        text="\n\n".join(text_parts) + "\n",
        html=f'<!doctype html>\n<html lang="{lang}"><body style="font-family:sans-serif">\n{body}\n</body></html>\n',
    )


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str = ""
    password: str = ""
    tls: bool = False  # smtps://: TLS from the first byte
    starttls: bool = False  # smtp://…?starttls=1: upgrade the plain connection before logging in


def parse_smtp_url(url: str) -> SmtpServer:
    """PRM_SMTP_URL as a server: smtp://user:pass@host:port (port 25 by default), smtps://… (TLS, port 465),
    `?starttls=1` to upgrade a plain connection. User and password may be percent-encoded."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("PRM_SMTP_URL looks like smtp://user:password@host:port or smtps://…")
    tls = parts.scheme == "smtps"
    starttls = parse_qs(parts.query).get("starttls", [""])[0].lower() in {"1", "true", "yes"}
    if tls and starttls:
        raise ValueError("PRM_SMTP_URL: smtps:// is already TLS; starttls=1 is for smtp://")
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or (465 if tls else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        tls=tls,
        starttls=starttls,
    )
