"""SPIFFs paid on a rep's claim with evidence: which SPIFFs want a claim, and the claims (one per SPIFF and deal),
each decided by a channel manager. The money is the ledger's (one earnings line per SPIFF and deal)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class SpiffEvidenceRule(SQLModel, table=True):
    """This SPIFF is not earned on registration: the rep claims it for a deal with evidence, and a manager decides."""

    __tablename__ = "spiff_evidence_rule"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(sa_column=Column(Integer, ForeignKey("incentive_program.id"), nullable=False, unique=True))


class SpiffClaim(SQLModel, table=True):
    """A rep's claim of a SPIFF for one of their deals, with the evidence file (stored privately, by content hash):
    pending → approved (the earnings line posted) or rejected (with the reason the rep sees)."""

    __tablename__ = "spiff_claim"
    __table_args__ = (UniqueConstraint("program_id", "deal_id", name="uq_spiff_claim_program_deal"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="incentive_program.id", index=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    payee_id: int = Field(foreign_key="payee_profile.id", index=True)
    claimed_by_id: int = Field(foreign_key="app_user.id")
    status: str = Field(sa_column=Column(String(12), nullable=False, index=True))  # pending | approved | rejected
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default="", server_default=text("''")))
    file_key: str = Field(sa_column=Column(String(32), nullable=False))
    file_type: str = Field(sa_column=Column(String(40), nullable=False))
    file_name: str = Field(sa_column=Column(String(200), nullable=False))
    file_sha256: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
