"""A person's own signed-in browsers: which are live, and signing out the others (one, or all at once).

Only the person's own sessions are ever listed or ended; an id from the browser is looked up among them, and a
miss is "not found". The browser asking is recognised by its token's hash (it never sees its token), and is never
ended from here: signing out of it is the header's Sign out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from prm_app.identity.auth import end_other_sessions
from prm_app.identity.models import AuthSession
from prm_app.identity.rules import idle_warning_lead
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, PermissionDenied
from prm_app.platform.settings import settings


@dataclass(frozen=True)
class BrowserSession:
    """One browser the person is signed in on."""

    id: int
    signed_in_at: datetime  # UTC
    last_active_at: datetime  # UTC, to within a minute or so (activity is recorded at most that often)
    ip: str  # "" when unknown
    user_agent: str  # as the browser sent it; "" when unknown
    current: bool  # the browser asking


def _own(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied()
    return actor.user_id


def my_sessions(
    session: Session, actor: Actor, current_token_hash: str, now: datetime | None = None
) -> tuple[BrowserSession, ...]:
    """The person's live sessions (neither idle past the timeout nor past their absolute end), this browser first,
    then by last activity."""
    now = now or utcnow()
    rows = session.exec(
        select(AuthSession)
        .where(
            col(AuthSession.user_id) == _own(actor),
            col(AuthSession.expires_at) > now,
            col(AuthSession.last_seen_at) >= now - settings.session_idle,
        )
        .order_by(col(AuthSession.last_seen_at).desc(), col(AuthSession.id).desc())
    ).all()
    found = [
        BrowserSession(
            id=saved_id(s),
            signed_in_at=s.created_at,
            last_active_at=s.last_seen_at,
            ip=s.ip,
            user_agent=s.user_agent,
            current=bool(current_token_hash) and s.token_hash == current_token_hash,
        )
        for s in rows
    ]
    return tuple(sorted(found, key=lambda b: not b.current))  # stable: the rest keep their order


def end_my_session(session: Session, actor: Actor, session_id: int, current_token_hash: str) -> None:
    """Sign the person out of one of their other browsers; NotFound for any id that is not theirs, or is this one."""
    own = session.exec(
        select(AuthSession).where(col(AuthSession.id) == session_id, col(AuthSession.user_id) == _own(actor))
    ).first()
    if own is None or own.token_hash == current_token_hash:
        raise NotFound("session")
    session.delete(own)
    audit(session, actor, "session_ended", "user", actor.user_id, session_id=session_id)


def end_my_other_sessions(session: Session, actor: Actor, current_token_hash: str) -> int:
    """Sign the person out everywhere but this browser. Returns how many sessions ended."""
    ended = end_other_sessions(session, _own(actor), current_token_hash)
    audit(session, actor, "sessions_ended_elsewhere", "user", actor.user_id, count=ended)
    return ended


@dataclass(frozen=True)
class SessionTimeLeft:
    """How long this browser's session has before it ends, as the server sees it now."""

    remaining: timedelta  # never negative
    idle: bool  # it ends by the idle timeout (activity moves the end), not at its absolute end (nothing does)
    warn_before: timedelta  # how long before the end the page warns (rules.idle_warning_lead)


def _own_session(session: Session, actor: Actor, current_token_hash: str) -> AuthSession:
    row = session.exec(
        select(AuthSession).where(
            col(AuthSession.token_hash) == current_token_hash, col(AuthSession.user_id) == _own(actor)
        )
    ).first()
    if row is None or not current_token_hash:
        raise NotFound("session")
    return row


def _time_left(row: AuthSession, now: datetime) -> SessionTimeLeft:
    idle_end = row.last_seen_at + settings.session_idle
    end = min(idle_end, row.expires_at)
    return SessionTimeLeft(
        remaining=max(timedelta(0), end - now),
        idle=idle_end <= row.expires_at,
        warn_before=idle_warning_lead(settings.session_idle),
    )


def session_time_left(
    session: Session, actor: Actor, current_token_hash: str, now: datetime | None = None
) -> SessionTimeLeft:
    """Time left on the browser asking (found by its token's hash, among the actor's own sessions only). Reading
    it is not activity: call it through the front door's unattended path so a page asking never keeps an idle
    session alive."""
    return _time_left(_own_session(session, actor, current_token_hash), now or utcnow())


def keep_signed_in(
    session: Session, actor: Actor, current_token_hash: str, now: datetime | None = None
) -> SessionTimeLeft:
    """ "Stay signed in": the person is here, so their idle time starts again now (never past the session's
    absolute end, which nothing extends). Recorded at once, not within the minute activity is otherwise
    rounded to, so the time shown afterwards is the time the server will keep."""
    now = now or utcnow()
    row = _own_session(session, actor, current_token_hash)
    row.last_seen_at = now
    session.add(row)
    return _time_left(row, now)
