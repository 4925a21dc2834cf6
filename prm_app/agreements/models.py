"""Agreement templates, their published versions (immutable) and the signatures partner organizations give them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Integer, String, Text, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class AgreementTemplate(SQLModel, table=True):
    """An agreement the program asks partners to sign, e.g. "Partner Program Agreement". `body` is the draft a
    manager edits freely (markdown with merge fields); what partners sign is a published `AgreementVersion`.
    It applies to the partner types and regions listed (codes; an empty list means every one)."""

    __tablename__ = "agreement_template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    partner_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    regions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class AgreementVersion(SQLModel, table=True):
    """A published text of a template: numbered 1, 2, ... per template and never changed afterwards (the ORM
    refuses an UPDATE, below). `requires_acceptance`: organizations that signed an earlier version must sign this
    one, `grace_days` after it was published (version 1 always requires it). `partner_types` and `regions` are the
    template's as published: who must sign is decided by the published versions, never by an unpublished draft (a
    draft widened to EMEA holds no EMEA partner until it is published)."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="agreement_template.id")  # indexed by the unique (template, number)
    number: int = Field(sa_column=Column(Integer, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_sha256: str = Field(sa_column=Column(String(64), nullable=False))
    requires_acceptance: bool = Field(sa_column=Column(Boolean, nullable=False))
    grace_days: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0"), default=0))
    partner_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    regions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    published_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    published_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class AgreementSignature(SQLModel, table=True):
    """An organization's acceptance of one version, given by one of its partner admins, with the evidence: the
    name they typed, when, from which address and browser, the exact text they were shown (merged for this
    organization) and its SHA-256. One per organization and version, enforced by the database."""

    __tablename__ = "agreement_signature"
    __table_args__ = (UniqueConstraint("version_id", "organization_id"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id")  # indexed by the unique (version, organization)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    user_id: int = Field(foreign_key="app_user.id")
    typed_name: str = Field(sa_column=Column(String(120), nullable=False))
    signed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    ip: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    user_agent: str = Field(default="", sa_column=Column(String(400), nullable=False, default=""))
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_sha256: str = Field(sa_column=Column(String(64), nullable=False))
    # The language version signed (a code of platform/i18n.py's LANGUAGES; "en" is the version's own text).
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False, server_default="en", default="en"))


class AgreementVersionText(SQLModel, table=True):
    """A published version's text in another language than its own (English), so a partner signs it in theirs.
    A manager adds or corrects it until an organization has signed it in that language; from then on it is evidence
    and never changes (publish a new version instead)."""

    __tablename__ = "agreement_version_text"
    __table_args__ = (UniqueConstraint("version_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id")  # indexed by the unique (version, language)
    language: str = Field(sa_column=Column(String(8), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_sha256: str = Field(sa_column=Column(String(64), nullable=False))
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ImmutableVersion(Exception):
    """A published agreement version was about to change: publish a new version instead."""


@event.listens_for(AgreementVersion, "before_update")
def _refuse_update(_mapper: Any, _connection: Any, target: AgreementVersion) -> None:
    # Published text is evidence: partners signed exactly it. Any change is a programming error, never data.
    raise ImmutableVersion(f"agreement version {target.id} is published and cannot change")
