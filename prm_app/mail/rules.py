"""Pure rules of outbound mail: the messages' small templates and their rendering (plain text and HTML, values
escaped), when a failed message is tried again, and how PRM_SMTP_URL names a server. No I/O here."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

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
    """A message: its subject and paragraphs with {placeholders}, and one call to action (label, url field)."""

    subject: str
    paragraphs: tuple[str, ...]
    action: tuple[str, str] | None = None
    footer: str = ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


TEMPLATES: dict[str, Template] = {
    "invitation": Template(
        subject="{inviter} invited you to {organization} on Open PRM",
        paragraphs=(
            "Hello {name},",
            "{inviter} invited you to join {organization} on Open PRM as {role}.",
            "Open the link below to choose your password. It works once, until {expires}.",
        ),
        action=("Accept the invitation", "link"),
        footer="If you did not expect this invitation, you can ignore this message.",
    ),
    "password_reset": Template(
        subject="Reset your Open PRM password",
        paragraphs=(
            "Hello {name},",
            "Someone (we hope you) asked to reset the password of your Open PRM account.",
            "Open the link below to choose a new password. It works once, for {minutes} minutes.",
        ),
        action=("Choose a new password", "link"),
        footer="If you did not ask for this, ignore this message: your password stays as it is.",
    ),
    # Recruitment (prm_app/recruitment): an applicant's confirmation, and the private link to add detail.
    "application_received": Template(
        subject="We received your application ({reference})",
        paragraphs=(
            "Hello {name},",
            "Thank you for applying to the {program} on behalf of {company}. Your reference is {reference}.",
            "Our channel team reviews every application and will write to you at this address.",
        ),
        footer="If you did not apply, you can ignore this message.",
    ),
    "application_needs_detail": Template(
        subject="Your application {reference}: a few more details, please",
        paragraphs=(
            "Hello {name},",
            "Thank you for applying to the {program} on behalf of {company}. Before we decide we need more detail:",
            "{note}",
            "Open the link below to edit your application and send it again. The link is yours alone.",
        ),
        action=("Edit your application", "link"),
    ),
    # A notice of the notifications area, emailed to a person who wants that event by email.
    "notice": Template(
        subject="{subject}",
        paragraphs=("Hello {name},", "{message}"),
        action=("Open it in Open PRM", "link"),
        footer="You get this email because of your notification settings. Choose which events you get by email: "
        "{preferences}",
    ),
}


def _shown(value: object) -> str:
    """A value as the message shows it: times as "6 Dec 2026, 17:05 UTC", everything else as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")
    return str(value)


def _one_line(value: str) -> str:
    """Header values never carry a line break (that would let a value add headers of its own)."""
    return " ".join(value.split())


def _checked_url(url: str) -> str:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"a message links only to http(s) pages, not {url!r}")
    return url


def render(kind: str, values: Mapping[str, object]) -> Rendered:
    """The message of `kind` filled with `values`: the subject on one line, plain text, and HTML in which every
    value is escaped (a name like `<script>` shows as text). Raises KeyError for an unknown kind or a missing value,
    ValueError for a link that is not http(s)."""
    template = TEMPLATES[kind]
    plain = {name: _one_line(_shown(value)) for name, value in values.items()}
    paragraphs = [p.format(**plain) for p in template.paragraphs]
    text_parts = list(paragraphs)
    html_parts = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    if template.action is not None:
        label, field = template.action
        url = _checked_url(plain[field])
        text_parts.append(f"{label}:\n{url}")
        html_parts.append(f'<p><a href="{html.escape(url, quote=True)}">{html.escape(label)}</a></p>')
    if template.footer:
        footer = template.footer.format(**plain)
        text_parts.append(footer)
        html_parts.append(f'<p style="color:#555;font-size:90%">{html.escape(footer)}</p>')
    body = "\n".join(html_parts)
    return Rendered(
        subject=_one_line(template.subject.format(**plain))[:200],
        text="\n\n".join(text_parts) + "\n",
        html=f'<!doctype html>\n<html lang="en"><body style="font-family:sans-serif">\n{body}\n</body></html>\n',
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
