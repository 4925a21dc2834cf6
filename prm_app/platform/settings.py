"""All runtime settings in one place, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _minutes(name: str, default: int) -> timedelta:
    return timedelta(minutes=int(os.environ.get(name, default)))


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
        sign_in_threads=int(os.environ.get("PRM_SIGN_IN_THREADS", 2)),
        password_min_length=10,
        page_size=25,
        protection_days=int(os.environ.get("PRM_PROTECTION_DAYS", 90)),
        review_sla_business_days=2,
        expiry_notice_days=14,
        max_extension_days=90,
        lead_accept_hours=int(os.environ.get("PRM_LEAD_ACCEPT_HOURS", 48)),
        max_upload_bytes=int(float(os.environ.get("PRM_MAX_UPLOAD_MB", 5)) * 1024 * 1024),
        metrics_token=os.environ.get("PRM_METRICS_TOKEN") or None,
        log_format=_log_format(demo_mode),
        smtp_url=os.environ.get("PRM_SMTP_URL") or None,
        mail_from=os.environ.get("PRM_MAIL_FROM") or "Open PRM <no-reply@localhost>",
        password_reset_lifetime=_minutes("PRM_PASSWORD_RESET_MINUTES", 60),
    )


settings = load_settings()
