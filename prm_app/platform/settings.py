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
    lockout_failures: int
    lockout_window: timedelta
    lockout_duration: timedelta
    password_min_length: int
    page_size: int
    protection_days: int
    review_sla_business_days: int
    expiry_notice_days: int
    max_extension_days: int
    lead_accept_hours: int
    max_upload_bytes: int  # one uploaded file; refused while it streams in, before anything parses it


def load_settings() -> Settings:
    return Settings(
        demo_mode=os.environ.get("PRM_DEMO", "").lower() in {"1", "true", "yes"},
        db_url=os.environ.get("REFLEX_DB_URL") or f"sqlite:///{PROJECT_DIR / 'prm.db'}",
        redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
        app_origin=os.environ.get("PRM_APP_ORIGIN", "http://localhost:3000"),
        session_idle=_minutes("PRM_SESSION_IDLE_MINUTES", 30),
        session_absolute=_minutes("PRM_SESSION_ABSOLUTE_MINUTES", 12 * 60),
        invite_lifetime=_minutes("PRM_INVITE_LIFETIME_MINUTES", 7 * 24 * 60),
        lockout_failures=5,
        lockout_window=timedelta(minutes=15),
        lockout_duration=timedelta(minutes=15),
        password_min_length=10,
        page_size=25,
        protection_days=int(os.environ.get("PRM_PROTECTION_DAYS", 90)),
        review_sla_business_days=2,
        expiry_notice_days=14,
        max_extension_days=90,
        lead_accept_hours=int(os.environ.get("PRM_LEAD_ACCEPT_HOURS", 48)),
        max_upload_bytes=int(float(os.environ.get("PRM_MAX_UPLOAD_MB", 5)) * 1024 * 1024),
    )


settings = load_settings()
