"""The outbox: every message the app sends is first a row here, written in the transaction of the change it
announces, then sent by the job runner (service.py)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class MailStatus(StrEnum):
    QUEUED = "queued"  # waiting for its (next) try
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # every try failed; an admin may send it again
    WITHDRAWN = "withdrawn"  # its recipient left before it went out (deactivated, or no longer in the organization)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_due", "status", "next_attempt_at"),)  # what is due now

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(sa_column=Column(String(254), nullable=False))
    subject: str = Field(sa_column=Column(String(200), nullable=False))
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    status: str = Field(default=MailStatus.QUEUED, sa_column=Column(String(10), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = Field(default=0)
    # When it may be tried next; while a sender holds it, the end of that sender's lease.
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_error: str = Field(default="", sa_column=Column(String(500), nullable=False, default=""))
    # A message to a person as a member of an organization (a notice's email): checked again before each try, so a
    # person deactivated or moved on meanwhile gets nothing. Plain ids, no foreign keys: mail sits below identity.
    recipient_user_id: int | None = Field(default=None)
    recipient_org_id: int | None = Field(default=None)
