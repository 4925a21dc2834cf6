"""What happened: the audit log (who changed what) and engagement events (what dashboards count)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from prm_app.core.clock import UTCDateTime, utcnow


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
