"""All runtime settings in one place, read from the environment once.

A value that cannot be used (`PRM_WEB_WORKERS=two`, `PRM_JOBS=extrenal`) stops the process at start-up with a
`SettingsError` naming the variable and what it accepts, rather than a bare `ValueError` from deep inside, or a
typo silently meaning the default. An unset or blank variable means its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


class SettingsError(ValueError):
    """An environment variable holds a value the app cannot use; the message names it and what it accepts."""


def _raw(name: str) -> str:
    return os.environ.get(name, "").strip()


def _number(name: str, default: int, *, minimum: int = 1) -> int:
    """A whole number of at least `minimum` from `name`, or `default` when it is unset."""
    raw = _raw(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _minutes(name: str, default: int) -> timedelta:
    return timedelta(minutes=_number(name, default))


def _upload_bytes(name: str, default_mb: float) -> int:
    raw = _raw(name)
    try:
        megabytes = float(raw) if raw else default_mb
    except ValueError:
        raise SettingsError(f"{name} must be a number of megabytes, got {raw!r}") from None
    if not megabytes > 0:
        raise SettingsError(f"{name} must be more than 0, got {raw!r}")
    return int(megabytes * 1024 * 1024)


def _jobs_external(name: str) -> bool:
    """PRM_JOBS: unset = the server starts a job consumer beside itself; `external` = consumers run separately."""
    raw = _raw(name).lower()
    if raw not in {"", "external"}:
        raise SettingsError(f"{name} must be 'external' or unset, got {raw!r}")
    return raw == "external"


@dataclass(frozen=True)
class Settings:
    demo_mode: bool  # `make run`: demo accounts allowed, "Demo mode" in the header; otherwise production
    db_url: str
    redis_url: str | None
    app_origin: str
    session_idle: timedelta
    session_absolute: timedelta
    invite_lifetime: timedelta
    # Sign-in throttling (prm_app.identity.throttle): a soft lockout per account, a hard cap per client IP.
    login_free_failures: int  # failures on an account (since its last success) before each further try must wait
    login_delay_cap: timedelta  # the wait doubles from 2 s with each further failure, up to this
    login_failure_memory: timedelta  # failures older than this no longer count
    login_trusted_ip_for: timedelta  # an IP that signed in to an account is judged only on its own failures there
    login_ip_limit: str  # failed sign-ins per client IP, in `limits` notation ("30 per 15 minutes")
    sign_in_threads: int  # argon2 verifications at once (64 MiB each), off the event loop
    password_min_length: int
    page_size: int
    protection_days: int
    review_sla_business_days: int
    expiry_notice_days: int
    max_extension_days: int
    lead_accept_hours: int
    max_upload_bytes: int  # one uploaded file; refused while it streams in, before anything parses it
    # Operations (web/metrics_http.py, platform/logs.py)
    metrics_token: str | None  # the bearer token a scraper sends to /metrics; unset = /metrics does not exist (404)
    log_format: str  # "json" (one JSON object a line, for log shippers) or "console" (readable); see _log_format
    # Processes (web/server.py, web/state.py, runtime/queue.py)
    web_workers: int | None  # web worker processes; None = one per core with Redis (shared state), else one
    handler_threads: int  # event handlers running at once per web worker; fewer than the database pool (5 + 10)
    jobs_external: bool  # True: no consumer beside the server, `python -m prm_app.cli worker` processes run apart
    jobs_db: Path | None  # the embedded (SQLite) queue's file; None = beside the SQLite database (runtime/queue.py)
    jobs_queue: str  # the queue's name: two deployments sharing one Redis need two names
    # Outbound mail (prm_app/mail): unset = messages stay in the outbox, listed on the admin's Outbox page.
    smtp_url: str | None  # smtp://user:pass@host:port, smtps:// for TLS, ?starttls=1 to upgrade a plain connection
    mail_from: str  # the From address of every message
    password_reset_lifetime: timedelta  # how long an emailed password-reset link works (once)


def _log_format(demo_mode: bool) -> str:
    """PRM_LOG_FORMAT when it names a format; otherwise readable lines for the demo, which a person watches in a
    terminal, and JSON everywhere else, where a log shipper reads the lines and a person queries them."""
    chosen = os.environ.get("PRM_LOG_FORMAT", "").strip().lower()
    if chosen in {"json", "console"}:
        return chosen
    return "console" if demo_mode else "json"


def load_settings() -> Settings:
    demo_mode = os.environ.get("PRM_DEMO", "").lower() in {"1", "true", "yes"}
    return Settings(
        demo_mode=demo_mode,
        db_url=os.environ.get("REFLEX_DB_URL") or f"sqlite:///{PROJECT_DIR / 'prm.db'}",
        redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
        app_origin=os.environ.get("PRM_APP_ORIGIN", "http://localhost:3000"),
        session_idle=_minutes("PRM_SESSION_IDLE_MINUTES", 30),
        session_absolute=_minutes("PRM_SESSION_ABSOLUTE_MINUTES", 12 * 60),
        invite_lifetime=_minutes("PRM_INVITE_LIFETIME_MINUTES", 7 * 24 * 60),
        login_free_failures=3,
        login_delay_cap=timedelta(minutes=15),
        login_failure_memory=timedelta(hours=24),
        login_trusted_ip_for=timedelta(days=30),
        login_ip_limit=os.environ.get("PRM_LOGIN_IP_LIMIT", "30 per 15 minutes"),
        sign_in_threads=_number("PRM_SIGN_IN_THREADS", 2),
        password_min_length=10,
        page_size=25,
        protection_days=_number("PRM_PROTECTION_DAYS", 90),
        review_sla_business_days=2,
        expiry_notice_days=14,
        max_extension_days=90,
        lead_accept_hours=_number("PRM_LEAD_ACCEPT_HOURS", 48),
        max_upload_bytes=_upload_bytes("PRM_MAX_UPLOAD_MB", 5),
        metrics_token=os.environ.get("PRM_METRICS_TOKEN") or None,
        log_format=_log_format(demo_mode),
        web_workers=_number("PRM_WEB_WORKERS", 0) or None,  # 0 only stands for unset: a value given must be ≥ 1
        handler_threads=_number("PRM_HANDLER_THREADS", 8),
        jobs_external=_jobs_external("PRM_JOBS"),
        jobs_db=Path(jobs_db) if (jobs_db := _raw("PRM_JOBS_DB")) else None,
        jobs_queue=_raw("PRM_JOBS_QUEUE") or "prm-jobs",
        smtp_url=_raw("PRM_SMTP_URL") or None,
        mail_from=_raw("PRM_MAIL_FROM") or "Open PRM <no-reply@localhost>",
        password_reset_lifetime=_minutes("PRM_PASSWORD_RESET_MINUTES", 60),
    )


settings = load_settings()
