"""Webhooks' tables: the endpoints people register, the outbox of events (written in the transaction of the change
they announce) and one delivery per event and endpoint, with a log line per attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class WebhookEndpoint(SQLModel, table=True):
    """A URL that gets the events it chose, signed the Standard Webhooks way with `secret` (and, until
    `previous_valid_until`, with the secret it replaced too, so a receiver can switch without missing one).
    `organization_id` None: an administrator's, for the whole program; else a partner admin's, for that partner's
    events only. `status` "active" or "failing" (a delivery ran out of retries: it gets no new events until a
    test event or a redelivery gets through)."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(String(2000), nullable=False))
    events: str = Field(sa_column=Column(String(1000), nullable=False))  # space-separated event types
    secret: str = Field(sa_column=Column(String(80), nullable=False))  # whsec_…: needed to sign, so kept as is
    previous_secret: str = Field(default="", sa_column=Column(String(80), nullable=False, default=""))
    previous_valid_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    user_id: int = Field(foreign_key="app_user.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    status: str = Field(default="active", sa_column=Column(String(16), nullable=False, default="active"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class WebhookEvent(SQLModel, table=True):
    """One event of the outbox: `event_id` is its webhook-id (receivers deduplicate on it), `body` the exact JSON
    signed and sent. `organization_id`: the partner it is about (None: the program's own)."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    event_type: str = Field(sa_column=Column(String(60), nullable=False))
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class WebhookDelivery(SQLModel, table=True):
    """An event on its way to one endpoint: "pending" (due at `next_attempt_at`; while a sender holds it, that is
    the end of its lease), "succeeded" or "dead" (out of retries). `attempts` counts every try (a sender's claim
    is the try number it set); `round_tries` the tries since it was last (re)queued, which the backoff follows."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("event_id", "endpoint_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="webhook_event.id", index=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    status: str = Field(default="pending", sa_column=Column(String(16), nullable=False, default="pending"))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    round_tries: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class WebhookAttempt(SQLModel, table=True):
    """One try of a delivery: the HTTP status (0: no answer), how long it took and the start of the answer or the
    error, for the deliveries list."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    attempt: int = Field(sa_column=Column(Integer, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    status_code: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    duration_ms: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    response_excerpt: str = Field(default="", sa_column=Column(String(500), nullable=False, default=""))
