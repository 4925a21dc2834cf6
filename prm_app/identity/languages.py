"""A person's language: the one setting that decides which words, date and number formats their pages use.

Stored as a shipped language's code on the user ("" until known; platform/i18n.py lists them). The browser's
preferred language (its Accept-Language header) is taken once, at the first sign-in that names one we ship
(`adopt_browser_language`); after that only the person changes it, on their account page. Someone whose language
is not known reads English, and so do the emails written to them (`mail_reader`).
"""

from __future__ import annotations

from sqlmodel import Session

from prm_app.identity.models import User
from prm_app.mail import Reader
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.i18n import DEFAULT_LANGUAGE, LANGUAGES, from_accept_language


def _me(session: Session, actor: Actor) -> User | None:
    # resolve_session loaded this row into the same session moments ago: no second query.
    return session.get(User, actor.user_id) if actor.user_id is not None else None


def my_language(session: Session, actor: Actor) -> str:
    """The language the actor reads the app in: their setting, else English (jobs too)."""
    user = _me(session, actor)
    return user.language if user is not None and user.language in LANGUAGES else DEFAULT_LANGUAGE


def mail_reader(user: User | None) -> Reader:
    """How an email to `user` is written: in their language and time zone (English and UTC when unknown)."""
    if user is None:
        return Reader()
    language = user.language if user.language in LANGUAGES else DEFAULT_LANGUAGE
    return Reader(language=language, zone=user.time_zone or "UTC")


def set_my_language(session: Session, actor: Actor, code: str) -> str:
    """The signed-in person picks the language they read the app in (a shipped one: ValidationError on the
    `language` field otherwise). Audited with before and after. Returns the code as stored."""
    user = _me(session, actor)
    if user is None or not user.is_active:
        raise PermissionDenied()
    code = (code or "").strip()
    if code not in LANGUAGES:
        raise ValidationError("Choose a language from the list.", "language")
    if code != user.language:
        audit(session, actor, "user.language", "user", user.id, before=user.language, after=code)
        user.language = code
        session.add(user)
    return code


def adopt_browser_language(session: Session, user_id: int, accept_language: str) -> bool:
    """At sign-in: keep the browser's most preferred shipped language as the person's setting if they have none
    yet (never overwrites a choice; a browser that names none we ship changes nothing). Returns whether it was
    stored."""
    user, code = session.get(User, user_id), from_accept_language(accept_language or "")
    if user is None or user.language or code is None:
        return False
    user.language = code
    session.add(user)
    return True
