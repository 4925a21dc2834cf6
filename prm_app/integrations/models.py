"""API keys and the idempotency records of the REST API's POSTs.

(Webhook endpoints, the event outbox and CRM sync links will sit beside these: one area for what talks to other
systems.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class ApiKey(SQLModel, table=True):
    """A key for the REST API. Only the SHA-256 of the secret is stored; `prefix` (its first characters) names it
    in lists. It acts as the person who created it (their role and organization, re-read on every request), narrowed
    to `scopes`. `organization_id` is None for a program-wide key (an administrator's), else the partner it is
    limited to."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(80), nullable=False))
    prefix: str = Field(sa_column=Column(String(16), nullable=False))
    secret_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: int = Field(foreign_key="app_user.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    scopes: str = Field(sa_column=Column(String(400), nullable=False))  # space-separated, e.g. "deals:read deals:write"
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class IdempotencyRecord(SQLModel, table=True):
    """One POST made with an `Idempotency-Key`: claimed (status 0) before the use case runs, then holding the
    answer given, written in the use case's own transaction, so a retry gets that same answer."""

    __tablename__ = "api_idempotency"
    __table_args__ = (UniqueConstraint("api_key_id", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int = Field(foreign_key="api_key.id", index=True)
    idempotency_key: str = Field(sa_column=Column(String(255), nullable=False))
    request_hash: str = Field(sa_column=Column(String(64), nullable=False))  # method, path and body
    status_code: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))  # 0: in flight
    response_body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))


__all__ = ["ApiKey", "IdempotencyRecord"]
