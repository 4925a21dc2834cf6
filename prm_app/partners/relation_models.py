"""Two-tier distribution: which partner sits above which (a distributor above its resellers, a master agent above
its agents), effective-dated. A partner may have several parents at once; a history is kept, never rewritten."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, String
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class RelationKind(StrEnum):
    DISTRIBUTOR = "distributor"  # the parent distributes to the child (a reseller or a sub-distributor)
    MASTER_AGENT = "master_agent"  # the parent is the child's master agent


class PartnerRelation(SQLModel, table=True):
    """`parent_id` is above `child_id` from `valid_from` (inclusive) until `valid_to` (exclusive; None: open)."""

    __tablename__ = "partner_relation"

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int = Field(foreign_key="organization.id", index=True)
    child_id: int = Field(foreign_key="organization.id", index=True)
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    valid_from: date = Field(sa_column=Column(Date, nullable=False))
    valid_to: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
