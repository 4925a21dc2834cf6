"""Notices a partner organization reads on its portal home: a deal decided, protection ending, a lead offered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class Notification(SQLModel, table=True):
    __tablename__ = "notification"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    message: str = Field(sa_column=Column(Text, nullable=False))
    link: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    read_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
