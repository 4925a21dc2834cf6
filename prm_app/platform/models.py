"""Tables every area may write: the audit log (who changed what), engagement events (what dashboards count),
lock rows for critical sections, and dated exchange rates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, Index, Numeric, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    actor_org_id: int | None = Field(default=None, foreign_key="organization.id")
    action: str = Field(sa_column=Column(String(60), nullable=False, index=True))
    record_type: str = Field(sa_column=Column(String(40), nullable=False))
    record_id: int | None = Field(default=None)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    ip: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))


class EngagementEvent(SQLModel, table=True):
    __tablename__ = "engagement_event"
    # Dashboards (domain.metrics_*): a period's logins in time order; each partner's logins and people; each
    # partner's events of any kind in a period.
    __table_args__ = (
        Index("ix_engagement_event_kind_at_org", "kind", "at", "organization_id"),
        Index("ix_engagement_event_org_kind_at", "organization_id", "kind", "at", "user_id"),
        Index("ix_engagement_event_org_at", "organization_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    kind: str = Field(sa_column=Column(String(40), nullable=False, index=True))
    subject_type: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    subject_id: int | None = Field(default=None)


class AppLock(SQLModel, table=True):
    """A row to lock: approvals that grant protection take it first, so two can never pass the check together."""

    __tablename__ = "app_lock"

    name: str = Field(sa_column=Column(String(40), primary_key=True))
    counter: int = 0


class ExchangeRate(SQLModel, table=True):
    """Units of USD per one unit of `currency`, valid from `as_of` until the next rate for that currency; `source`
    says where it came from (e.g. "ECB"), `entered_by_id`/`entered_at` who added it and when ("" / None for the
    demo's and older rows)."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("currency", "as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    as_of: date = Field(sa_column=Column(Date, nullable=False))
    usd_per_unit: Decimal = Field(sa_column=Column(Numeric(18, 8), nullable=False))
    source: str = Field(
        default="", sa_column=Column(String(120), nullable=False, default="", server_default=text("''"))
    )
    entered_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    entered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
