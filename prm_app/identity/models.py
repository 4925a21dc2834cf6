"""People who sign in, their server-side sessions and login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    # The person's id in the partner's CRM: unique within a partner (two partners' CRMs may both have a contact 1).
    __table_args__ = (Index("ix_app_user_external_id", "external_id", "organization_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False))
    full_name: str = Field(sa_column=Column(String(120), nullable=False))
    title: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    # "" when not given. The '' server default stays (see the migration: dropping it would rebuild the table).
    phone: str = Field(default="", sa_column=Column(String(30), nullable=False, server_default=text("''"), default=""))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    role: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The IANA zone the person reads times in ("Europe/Lisbon"); "" until set (taken from the browser at sign-in).
    time_zone: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    # The language the person reads the app in ("de", platform/i18n.py); "" until set (taken from the browser's
    # Accept-Language at sign-in). The '' server default stays, as phone's does.
    language: str = Field(
        default="", sa_column=Column(String(8), nullable=False, server_default=text("''"), default="")
    )
    # The person's id in another system (a CRM), unique within the person's partner when set: a key of the people
    # CSV import (their e-mail address is the other; partners/people_table.py).
    external_id: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the token is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False), description="Absolute end")
    ip: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    user_agent: str = Field(default="", sa_column=Column(String(300), nullable=False, default=""))


class LoginAttempt(SQLModel, table=True):
    """Every login try, by normalized email, so lockout works for unknown emails too (no enumeration)."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), nullable=False, index=True))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    succeeded: bool = Field(default=False)
    ip: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))


class PasswordReset(SQLModel, table=True):
    """An emailed password-reset link: only the SHA-256 of its token is stored; it works once, until expires_at."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
