"""Recruitment: the programs partners apply to (each with its form), the applications, a reviewer's adjustments of
the qualification score, the score's configured criteria, and the funnel's events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class Program(SQLModel, table=True):
    """A recruitment program: its public form at /apply/<slug>. `fields` is the JSON list of its extra fields
    (rules.ExtraField: key, label, kind, options, required, hidden)."""

    __tablename__ = "recruitment_program"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(60), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(120), nullable=False))
    partner_type: str = Field(sa_column=Column(String(30), nullable=False))
    intro: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # markdown
    fields: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    is_open: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Application(SQLModel, table=True):
    """One company's application to a program. `organization_id` is set once, by the approval that provisioned the
    partner: UNIQUE, so a retry or a second manager can never make two partners of one application."""

    __tablename__ = "recruitment_application"
    __table_args__ = (Index("ix_recruitment_application_status_submitted", "status", "submitted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_column=Column(String(20), nullable=False, unique=True))
    program_id: int = Field(foreign_key="recruitment_program.id", index=True)
    status: str = Field(sa_column=Column(String(20), nullable=False))
    company: str = Field(sa_column=Column(String(200), nullable=False))
    website: str = Field(sa_column=Column(String(200), nullable=False))
    domain: str = Field(sa_column=Column(String(200), nullable=False, index=True))  # the registrable domain
    country: str = Field(sa_column=Column(String(2), nullable=False))
    partner_type: str = Field(sa_column=Column(String(30), nullable=False))
    verticals: str = Field(default="", sa_column=Column(String(300), nullable=False, default=""))  # comma-separated
    team_size: int = 0
    revenue_band: str = Field(sa_column=Column(String(20), nullable=False))
    vendors: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # one per line
    customer_count: int = 0
    certified_staff: int = 0
    contact_name: str = Field(sa_column=Column(String(120), nullable=False))
    contact_email: str = Field(sa_column=Column(String(254), nullable=False, index=True))
    contact_phone: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    contact_title: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    motivation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    extra: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # JSON: key -> value
    score: int = 0  # the total as last computed (sorting and filtering in SQL)
    reviewer_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    reject_reason: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))
    decision_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    organization_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("organization.id"), nullable=True, unique=True)
    )
    # The private link of a "needs more detail" answer: only its hash, cleared when the applicant resubmits.
    edit_token_hash: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, unique=True))
    ip: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    # The applicant's language (their browser's, as the apply page showed it): every email to them is in it.
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False, server_default="en", default="en"))


class ScoreAdjustment(SQLModel, table=True):
    """A reviewer's points for one criterion of one application, with the note saying why. Kept, never changed: the
    latest per criterion counts, the earlier ones are its history."""

    __tablename__ = "recruitment_score_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="recruitment_application.id", index=True)
    criterion: str = Field(sa_column=Column(String(30), nullable=False))
    points: int
    note: str = Field(sa_column=Column(Text, nullable=False))
    by_id: int = Field(foreign_key="app_user.id")
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Criterion(SQLModel, table=True):
    """The managers' weight for one qualification criterion (rules.CRITERIA), and its list where it has one: the
    verticals that fit, the vendors that compete (one per line)."""

    __tablename__ = "recruitment_criterion"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(30), nullable=False, unique=True))
    weight: int
    settings: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=text("''"), default=""))


class FunnelEvent(SQLModel, table=True):
    """One step of the funnel, once per visit (a form's visit, then its application): UNIQUE(visit, stage)."""

    __tablename__ = "recruitment_funnel_event"
    __table_args__ = (
        UniqueConstraint("visit", "stage"),
        Index("ix_recruitment_funnel_event_stage_at", "stage", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit: str = Field(sa_column=Column(String(40), nullable=False))
    stage: str = Field(sa_column=Column(String(20), nullable=False))
    program_id: int | None = Field(default=None, foreign_key="recruitment_program.id")
    application_id: int | None = Field(default=None, foreign_key="recruitment_application.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)  # deal events
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
