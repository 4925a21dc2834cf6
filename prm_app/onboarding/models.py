"""Checklist templates (per partner type and region, in ordered stages of ordered tasks) and each partner's own
checklist, copied from its template when onboarding starts: editing a template changes only checklists started
afterwards, never a partner's journey under way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class OnboardingTemplate(SQLModel, table=True):
    """The checklist for partners of `partner_type` ("" = any type) in `region` ("" = any region). The most
    specific template wins (rules.pick_template); one template per (type, region)."""

    __tablename__ = "onboarding_template"
    __table_args__ = (UniqueConstraint("partner_type", "region"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(120), nullable=False))
    partner_type: str = Field(default="", sa_column=Column(String(30), nullable=False, default=""))
    region: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class TemplateStage(SQLModel, table=True):
    __tablename__ = "onboarding_template_stage"

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(
        sa_column=Column(Integer, ForeignKey("onboarding_template.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0  # order within the template, low first
    name: str = Field(sa_column=Column(String(80), nullable=False))


class TemplateTask(SQLModel, table=True):
    __tablename__ = "onboarding_template_task"

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("onboarding_template_stage.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    position: int = 0
    title: str = Field(sa_column=Column(String(160), nullable=False))
    kind: str = Field(sa_column=Column(String(30), nullable=False))  # rules.TaskKind
    requires_approval: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    course_code: str = Field(  # complete_course: the training course's code
        default="", sa_column=Column(String(40), nullable=False, server_default=text("''"), default="")
    )


class Checklist(SQLModel, table=True):
    """One partner's onboarding, at most one per organization (the unique key makes starting it idempotent).
    `completed_at` is when the partner was onboarded; `first_deal_at` when it registered its first deal;
    `last_progress_at` when a task last moved (a partner without progress for 14 days is stuck); `applied_at` when
    its application was submitted, for a partner that came through recruitment (time to onboard counts from it)."""

    __tablename__ = "onboarding_checklist"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(sa_column=Column(Integer, ForeignKey("organization.id"), nullable=False, unique=True))
    template_name: str = Field(sa_column=Column(String(120), nullable=False))
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_progress_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    first_deal_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    applied_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ChecklistStage(SQLModel, table=True):
    __tablename__ = "onboarding_stage"

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(
        sa_column=Column(Integer, ForeignKey("onboarding_checklist.id"), nullable=False, index=True)
    )
    position: int = 0
    name: str = Field(sa_column=Column(String(80), nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ChecklistTask(SQLModel, table=True):
    """A task of a partner's checklist. `note` is the manager's reason when sent back; the document, for an
    upload task, is a random key in the document storage (documents.py) with its checked type and the name the
    partner gave it (shown, never used as a path)."""

    __tablename__ = "onboarding_task"

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(
        sa_column=Column(Integer, ForeignKey("onboarding_checklist.id"), nullable=False, index=True)
    )
    stage_id: int = Field(sa_column=Column(Integer, ForeignKey("onboarding_stage.id"), nullable=False, index=True))
    position: int = 0
    title: str = Field(sa_column=Column(String(160), nullable=False))
    kind: str = Field(sa_column=Column(String(30), nullable=False))
    requires_approval: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    course_code: str = Field(  # complete_course: the training course's code
        default="", sa_column=Column(String(40), nullable=False, server_default=text("''"), default="")
    )
    status: str = Field(default="pending", sa_column=Column(String(20), nullable=False, default="pending"))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    document_key: str = Field(default="", sa_column=Column(String(32), nullable=False, default=""))
    document_type: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    document_name: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    decided_by_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True))


class JoinRequest(SQLModel, table=True):
    """Someone whose email domain is a partner's asks to join its team; its partner admin approves (an invitation
    is emailed: the set-password link) or declines. `status`: pending, approved, declined."""

    __tablename__ = "join_request"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(sa_column=Column(Integer, ForeignKey("organization.id"), nullable=False, index=True))
    email: str = Field(sa_column=Column(String(254), nullable=False, index=True))
    full_name: str = Field(sa_column=Column(String(120), nullable=False))
    status: str = Field(default="pending", sa_column=Column(String(20), nullable=False, default="pending"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    ip: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decided_by_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True))
