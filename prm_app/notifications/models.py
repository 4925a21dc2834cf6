"""Notices to a partner organization (or to one of the vendor's people), and what each reader has read of them.

A notice belongs to the organization (every colleague sees it), or, for the vendor's people, who belong to no
organization, to one person (`user_id`: a manager told that the override they asked for was decided). It may be
*about* a record (`subject_kind`, `subject_id`: "lead", 42). It is *resolved* once that record was acted on (the
lead accepted, declined or expired; the question answered): resolution is a fact about the record, so it holds for
the whole organization.

Reading is personal. Who read what is kept in two parts, so the unread count stays one bounded, indexed query:
- `NotificationCursor.read_through_id`: "Mark all read" moves this per-person watermark to the newest notice id;
  everything at or below it is read, whatever its age, with one row per person however many notices there are.
- `NotificationRead`: a notice read one at a time above the watermark (opened or marked read). Moving the
  watermark deletes the person's rows at or below it, so this table holds only the few exceptions.
A person's unread notices are then the organization's open notices above their watermark without a read row:
the index (organization_id, resolved_at, id) finds exactly those, and each is checked by primary key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (
        # The unread count and the Unread filter: an organization's open notices, newest ids last.
        Index("ix_notification_open", "organization_id", "resolved_at", "id"),
        # resolve(): the open notices about one record.
        Index("ix_notification_subject", "subject_kind", "subject_id", "organization_id"),
        # notify(once=...): a reminder written by a periodic job exists at most once per organization, however
        # many consumers run the job at once (NULL for every other notice: NULLs never collide).
        Index("uq_notification_once", "organization_id", "once_key", unique=True),
        # A notice to one of the vendor's people (no organization): their open notices, newest ids last.
        Index("ix_notification_person", "user_id", "resolved_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Exactly one of the two says who reads it: a partner organization (all its people), or one vendor person.
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    message: str = Field(sa_column=Column(Text, nullable=False))
    link: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    subject_kind: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))
    subject_id: int | None = Field(default=None)
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    once_key: str | None = Field(default=None, sa_column=Column(String(120), nullable=True))
    # The message as a catalogue sentence (wording.py's JSON of Words), said in each reader's language; NULL: only
    # the English `message` is known (a notice written before, or by an area that gives no Words).
    words: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class NotificationRead(SQLModel, table=True):
    """One person read one notice (above their watermark)."""

    __tablename__ = "notification_read"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    notification_id: int = Field(foreign_key="notification.id", primary_key=True, index=True)
    read_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class NotificationCursor(SQLModel, table=True):
    """One person's "read everything up to here" (Mark all read)."""

    __tablename__ = "notification_cursor"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    read_through_id: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class NotificationPreference(SQLModel, table=True):
    """One person's choice for one emailable event (rules.EMAIL_EVENTS): by email too, or in the app only.
    No row: the event's default."""

    __tablename__ = "notification_preference"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    kind: str = Field(sa_column=Column(String(40), primary_key=True))
    email: bool = Field(default=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
