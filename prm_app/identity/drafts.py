"""Form drafts: what a person has typed into a long form and not sent yet, kept server-side so it survives a closed
tab, a crash, a lapsed session or a change of browser, and comes back when they return to the form.

Why on the server and not in the browser's localStorage: a deal registration names a customer, its contact and
the deal's size. localStorage keeps that in clear text on the device after the session has ended (a shared or
lost laptop shows it to the next person, any script of the origin can read it; OWASP ASVS 8.2.2 asks that browser
storage holds no such data), and it is per browser, not per person. Here a draft belongs to one person and their
organization: nobody else reads it, it follows them to another device, and it is gone once the form is sent or
discarded. The cost is a small write every time typing pauses.

A form names itself with a short key ("deal:new", "deal:lead:42"); the fields are plain text by name. What a
draft may hold is bounded (field count and lengths), so a client calling the save handler by hand cannot store
more than a form's worth.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, delete, select

from prm_app.platform.access import Actor
from prm_app.platform.clock import UTCDateTime, utcnow
from prm_app.platform.errors import PermissionDenied, ValidationError

MAX_FIELDS = 80
MAX_NAME = 60
MAX_VALUE = 5000
_FORM_KEY = 60


class FormDraft(SQLModel, table=True):
    """One person's unsent form."""

    __tablename__ = "form_draft"
    __table_args__ = (UniqueConstraint("user_id", "form", name="uq_form_draft_user_id_form"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    # The organization the person belonged to when typing: a draft is never shown inside another organization.
    organization_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    form: str = Field(sa_column=Column(String(_FORM_KEY), nullable=False))
    fields: str = Field(sa_column=Column(Text, nullable=False))  # a JSON object of name -> text
    saved_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


@dataclass(frozen=True)
class SavedDraft:
    form: str
    fields: dict[str, str]
    saved_at: datetime  # UTC


def clean_fields(fields: Mapping[str, object]) -> dict[str, str]:
    """The fields worth keeping: text values by name, names and values cut to their bounds, at most MAX_FIELDS.
    Anything that is not a string-named scalar is dropped (a hostile client may send anything)."""
    kept: dict[str, str] = {}
    for name, value in fields.items():
        if len(kept) >= MAX_FIELDS:
            break
        if not isinstance(name, str) or not name or isinstance(value, dict | list):
            continue
        kept[name[:MAX_NAME]] = ("" if value is None else str(value))[:MAX_VALUE]
    return kept


def _owner(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied()
    return actor.user_id


def _form_key(form: str) -> str:
    if not form or len(form) > _FORM_KEY:
        raise ValidationError("Unknown form.")
    return form


def _row(session: Session, actor: Actor, form: str) -> FormDraft | None:
    return session.exec(
        select(FormDraft).where(col(FormDraft.user_id) == _owner(actor), col(FormDraft.form) == _form_key(form))
    ).first()


def save_form_draft(
    session: Session, actor: Actor, form: str, fields: Mapping[str, object], now: datetime | None = None
) -> SavedDraft:
    """Keep what the actor has typed into `form` (replacing their earlier draft of it). Only their own draft is
    ever written: the owner is the actor, never an id from the browser."""
    kept = clean_fields(fields)
    row = _row(session, actor, form) or FormDraft(user_id=_owner(actor), form=form, fields="{}")
    row.organization_id = actor.organization_id
    row.fields = json.dumps(kept, sort_keys=True)
    row.saved_at = now or utcnow()
    session.add(row)
    return SavedDraft(form=form, fields=kept, saved_at=row.saved_at)


def form_draft(session: Session, actor: Actor, form: str) -> SavedDraft | None:
    """The actor's draft of `form`, or None (also when it was typed while they belonged to another organization)."""
    row = _row(session, actor, form)
    if row is None or row.organization_id != actor.organization_id:
        return None
    try:
        loaded = json.loads(row.fields)
    except ValueError:
        return None
    return SavedDraft(form=form, fields=clean_fields(loaded if isinstance(loaded, dict) else {}), saved_at=row.saved_at)


def discard_form_draft(session: Session, actor: Actor, form: str) -> bool:
    """Delete the actor's draft of `form`; whether there was one."""
    result = session.exec(
        delete(FormDraft).where(col(FormDraft.user_id) == _owner(actor), col(FormDraft.form) == _form_key(form))
    )
    return bool(result.rowcount)
