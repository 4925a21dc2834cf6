"""Named partner groups: a set of partners a manager names ("Security Elite", "Benelux launch") so an audience rule
can address them. The rule keeps a group's `key` (made once from its first name, never changed), so renaming a
group never changes who sees what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class PartnerGroup(SQLModel, table=True):
    __tablename__ = "partner_group"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(80), nullable=False))
    name_lower: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PartnerGroupMember(SQLModel, table=True):
    __tablename__ = "partner_group_member"

    group_id: int = Field(foreign_key="partner_group.id", primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", primary_key=True, index=True)
    added_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    added_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
