"""Signing in and out, server-side sessions and lockout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, func, select

from prm_app.identity.models import AuthSession, LoginAttempt, User
from prm_app.platform.access import Actor, Role
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import AuthError, NotAuthenticated
from prm_app.platform.security import hash_token, new_token, verify_password
from prm_app.platform.settings import settings

WRONG_CREDENTIALS = "Wrong email or password."
# Writing last_seen on every event would turn every click into a write; a minute is precise enough.
_TOUCH_EVERY_SECONDS = 60


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


@dataclass(frozen=True)
class SignedIn:
    token: str
    actor: Actor


def _actor_for(user: User, ip: str = "") -> Actor:
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        organization_id=user.organization_id,
        name=user.full_name,
        email=user.email,
        ip=ip,
    )


def _recent_failures(session: Session, email: str, now: datetime) -> list[datetime]:
    """Failed attempts for `email` inside the lockout window and after its last success, newest first."""
    last_success = session.exec(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.email == email, LoginAttempt.succeeded)
    ).one()
    since = now - settings.lockout_window
    if last_success is not None and last_success > since:
        since = last_success
    return list(
        session.exec(
            select(LoginAttempt.at)
            .where(LoginAttempt.email == email, ~col(LoginAttempt.succeeded), LoginAttempt.at > since)
            .order_by(col(LoginAttempt.at).desc())
        ).all()
    )


def lockout_remaining(session: Session, email: str, now: datetime) -> int:
    """Minutes left on a lock for `email` (0 when not locked).

    Locked when `lockout_failures` failures happened within `lockout_window` with no success after them;
    the lock lasts `lockout_duration` from the last failure.
    """
    # Count the failures in the window that ends at the *last failure*, not at `now`: counting back from `now`
    # ended the lock as soon as the oldest of the five left the window (e.g. after 11 minutes, not 15).
    failures = _recent_failures(session, email, now - settings.lockout_duration)
    if not failures:
        return 0
    until = failures[0] + settings.lockout_duration
    if until <= now:
        return 0
    if sum(1 for at in failures if at > failures[0] - settings.lockout_window) < settings.lockout_failures:
        return 0
    return max(1, int((until - now).total_seconds() + 59) // 60)


def _locked_message(minutes: int) -> str:
    return f"Too many failed sign-in attempts. Try again in {minutes} minute{'s' if minutes > 1 else ''}."


def _failure_message(failures: int) -> str:
    """Warn before the lock so a person can stop in time; the same for known and unknown emails."""
    left = settings.lockout_failures - failures
    if left <= 0:
        return _locked_message(int(settings.lockout_duration.total_seconds()) // 60)
    if left <= 2:
        return f"{WRONG_CREDENTIALS} {left} attempt{'s' if left > 1 else ''} left before sign-in is locked."
    return WRONG_CREDENTIALS


def log_in(
    session: Session, email: str, password: str, *, ip: str = "", user_agent: str = "", now: datetime | None = None
) -> SignedIn:
    """Check the credentials and open a new session (a fresh token every time).

    Raises AuthError with one message for an unknown email, a wrong password or an inactive user, so the
    response never tells which (the last two tries before the lock add how many are left). After
    `lockout_failures` failures in the window the email is locked, whether or not it has an account.
    """
    now = now or utcnow()
    email = normalize_email(email)
    if not email or not password:
        raise AuthError(WRONG_CREDENTIALS)
    minutes = lockout_remaining(session, email, now)
    if minutes:
        raise AuthError(_locked_message(minutes))
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        session.add(LoginAttempt(email=email, at=now, succeeded=False, ip=ip))
        audit(session, None, "login_failed", "user", user.id if user else None, email=email, ip=ip)
        session.commit()
        raise AuthError(_failure_message(len(_recent_failures(session, email, now))))
    token = new_token()
    session.add(LoginAttempt(email=email, at=now, succeeded=True, ip=ip))
    session.add(
        AuthSession(
            token_hash=hash_token(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + settings.session_absolute,
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    user.last_login_at = now
    session.add(user)
    actor = _actor_for(user, ip)
    audit(session, actor, "login", "user", user.id)
    record_engagement(session, actor, "login", "user", user.id)
    session.commit()
    return SignedIn(token=token, actor=actor)


def resolve_session(session: Session, token: str, *, ip: str = "", now: datetime | None = None) -> Actor:
    """The actor behind `token`, or NotAuthenticated when it is unknown, idle too long, past its absolute
    lifetime, or its user was deactivated. Expired sessions are deleted on sight."""
    now = now or utcnow()
    if not token:
        raise NotAuthenticated()
    row = session.exec(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        raise NotAuthenticated()
    auth, user = row
    if not user.is_active or now >= auth.expires_at or now - auth.last_seen_at > settings.session_idle:
        session.delete(auth)
        session.commit()
        raise NotAuthenticated()
    if (now - auth.last_seen_at).total_seconds() > _TOUCH_EVERY_SECONDS:
        auth.last_seen_at = now
        session.add(auth)
        session.commit()
    return _actor_for(user, ip)


def log_out(session: Session, token: str) -> None:
    """End the session server-side; the token is useless afterwards."""
    if not token:
        return
    auth = session.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
    if auth is not None:
        user = session.get(User, auth.user_id)
        session.delete(auth)
        if user is not None:
            audit(session, _actor_for(user), "logout", "user", user.id)
        session.commit()


def end_sessions(session: Session, user_id: int) -> None:
    """Sign a user out everywhere (used on deactivation)."""
    session.exec(delete(AuthSession).where(AuthSession.user_id == user_id))
