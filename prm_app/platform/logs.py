"""Logs: every record of the app's stdlib loggers (`logging.getLogger("prm_app....")`) leaves the process as one
structured line, JSON or readable, with the request or event it belongs to and nothing secret or personal in it.

`configure_logging()` is called once per process, when the app starts. It puts one handler on the root logger whose
formatter runs structlog's processors over the stdlib record: the context bound for the current HTTP request or
Reflex event (`request_id`, `event_id`, `handler`), level, logger name, an ISO-8601 UTC timestamp, then `redact`,
then the renderer. `redact` is the last step before rendering, so whatever a call site passed (`extra=`, bound
context, an exception message) goes through it.

Reflex's own `reflex` logger keeps its handlers (it does not propagate to the root); REFLEX_LOG_JSON switches
those to JSON lines too.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

from prm_app.platform.settings import settings

MASK = "[redacted]"
# Keys whose values are credentials or personal data, whatever the call site meant: matched as parts of a
# lower-cased key, so `password_hash`, `Set-Cookie`, `x_auth_token`, `contact_email` and `session_token` all match.
SENSITIVE_KEY_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "cookie",
    "authorization",
    "auth_header",
    "api_key",
    "apikey",
    "email",
    "phone",
    "session",
)
# Keys that name a request, not a person, though they contain a sensitive word (`session` in `session_id` is
# Reflex's socket id, a random per-tab value).
ALLOWED_KEYS = frozenset({"request_id", "event_id", "handler", "logger", "level", "timestamp", "event"})
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def _sensitive(key: str) -> bool:
    lowered = key.lower().replace("-", "_")
    return lowered not in ALLOWED_KEYS and any(part in lowered for part in SENSITIVE_KEY_PARTS)


def _scrub_text(text: str) -> str:
    return _BEARER.sub(r"\1 " + MASK, _EMAIL.sub(MASK, text))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _scrub_text(value)
    if isinstance(value, Mapping):
        return {k: MASK if isinstance(k, str) and _sensitive(k) else _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub(v) for v in value]
    return value


def redact(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """structlog processor: values of keys that name credentials or personal data become MASK (nested mappings
    too), and e-mail addresses and bearer/basic credentials inside any string (the message, an exception's text)
    are masked. Guarantees no such value reaches the renderer, whatever the call site passed."""
    for key in list(event_dict):
        if _sensitive(key):
            event_dict[key] = MASK
        else:
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def _drop_copies(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    # Copies of the message that other formatters leave on the record (uvicorn's coloured `color_message`, the
    # stdlib's `message` and `asctime`) would come along as extras: `event` already says it.
    for key in ("color_message", "message", "asctime"):
        event_dict.pop(key, None)
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_copies,
    ]


def formatter(log_format: str) -> structlog.stdlib.ProcessorFormatter:
    """The stdlib formatter for `log_format` ("json" or "console"): context, level, logger, UTC timestamp,
    exception text, redaction, then the renderer."""
    renderer: Processor = (
        structlog.processors.JSONRenderer() if log_format == "json" else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,  # after format_exc_info, so an exception's text is scrubbed too
            renderer,
        ],
    )


_HANDLER_NAME = "prm_app"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a record comes (as logging's own last-resort handler does), so a
    process or test that swaps stderr later still gets the lines."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(log_format: str | None = None, level: int = logging.INFO) -> None:
    """Route stdlib logging (and structlog's own loggers) through one handler on stderr that writes `log_format`
    ("json" or "console"; default: the setting PRM_LOG_FORMAT, see settings). The app's `prm_app.*` loggers pass
    `level` and up; other libraries' loggers warnings and up, as before (their info lines are chatter). Idempotent:
    calling it again replaces the handler it added, never adds a second one."""
    chosen = log_format or settings.log_format
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(existing)
    handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter(chosen))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("prm_app").setLevel(level)
    structlog.configure(
        processors=[*_shared_processors(), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def new_request_id(offered: str | None = None) -> str:
    """A request id: the one a proxy sent (X-Request-ID) when it is a plain token of 8 to 64 characters, so a line
    can be followed through the proxy's logs; otherwise a fresh random one. Never anything the client could use to
    inject text into a log line."""
    if offered and _REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


@contextmanager
def request_context(request_id: str) -> Iterator[None]:
    """Every record logged inside (in this task or a thread it starts with asyncio.to_thread) carries
    `request_id`; the previous context is back afterwards."""
    with structlog.contextvars.bound_contextvars(request_id=request_id):
        yield


def bind_event(event_id: str, handler: str) -> None:
    """Tag every further record of the current task with the Reflex event it serves. Meant for the task Reflex
    runs one event in (its context ends with the task), so nothing is unbound."""
    structlog.contextvars.bind_contextvars(event_id=event_id, handler=handler)
