"""Forgotten and changed passwords: emailed single-use reset links, and a signed-in person changing their own.

A reset link is a 256-bit random token of which only the SHA-256 is stored; it works once, for
`settings.password_reset_lifetime`. Asking for one always gets the same answer whether or not the address has an
account (no enumeration); it is rate-limited per network and per address like signing in. Setting a new password
ends every session of the account and burns every other reset link of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult
from sqlmodel import Session, col, select, update

from prm_app.identity.auth import end_other_sessions, end_sessions, normalize_email
from prm_app.identity.demo import check_new_password
from prm_app.identity.languages import mail_reader
from prm_app.identity.models import LoginAttempt, PasswordReset, User
from prm_app.identity.rules import UNKNOWN_LINK, reset_problem
from prm_app.mail import queue_message
from prm_app.platform import ratelimit
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.i18n import Words
from prm_app.platform.security import hash_password, hash_token, new_token, verify_password
from prm_app.platform.settings import settings

RESET_PATH = "/reset-password/"  # + token: the page that sets the new password (identity/ui/password_pages.py)
# The one answer to every request, said in the asker's language by the page (RESET_SENT is its English).
RESET_SENT_WORDS = Words("reset.sent")
RESET_SENT = RESET_SENT_WORDS.english
# Per network: bounds how many addresses one place may probe or flood; per address: bounds the mails one inbox gets.
RESET_IP_RATES = "20/hour"
RESET_ACCOUNT_RATES = "3/hour;10/day"
CHANGE_RATES = "10/hour"  # current-password checks per person, so a left-open session cannot be used to guess it


def reset_link(token: str) -> str:
    return f"{settings.app_origin.rstrip('/')}{RESET_PATH}{token}"


def request_password_reset(session: Session, email: str, *, ip: str = "", now: datetime | None = None) -> str:
    """Email a reset link to `email` if it belongs to an active account; returns the one answer to show either way.

    The answer and the work done before it are the same for every address (an unknown address costs the same
    lookups; the mail is written to the outbox and sent later, so no SMTP time shows). Raises ValidationError for
    an empty address or when this network asked too often (that says nothing about any account).
    """
    now = now or utcnow()
    email = normalize_email(email)[:254]
    if "@" not in email:
        raise ValidationError(Words("reset.email_needed"), "email")
    if not ratelimit.allow("password-reset-ip", RESET_IP_RATES, ip or "unknown"):
        raise ValidationError(Words("reset.too_many"), "email")
    user = session.exec(select(User).where(User.email == email)).first()
    within_limit = ratelimit.allow("password-reset-account", RESET_ACCOUNT_RATES, email)
    if user is None or not user.is_active or not within_limit:
        return RESET_SENT  # nothing is written: a stranger's guesses leave no trace to fill the audit log with
    token = new_token()
    session.add(
        PasswordReset(
            token_hash=hash_token(token),
            user_id=saved_id(user),
            created_at=now,
            expires_at=now + settings.password_reset_lifetime,
        )
    )
    queue_message(
        session,
        to=user.email,
        kind="password_reset",
        values={
            "name": user.full_name,
            "link": reset_link(token),
            "minutes": int(settings.password_reset_lifetime.total_seconds() // 60),
        },
        reader=mail_reader(user),
    )
    audit(session, None, "password_reset.requested", "user", user.id, email=email, ip=ip)
    return RESET_SENT


@dataclass(frozen=True)
class ResetFor:
    """What the reset page shows: whose password it sets."""

    email: str


def _live_reset(session: Session, token: str, now: datetime) -> tuple[PasswordReset, User]:
    row = session.exec(
        select(PasswordReset, User)
        .join(User, col(User.id) == PasswordReset.user_id)
        .where(PasswordReset.token_hash == hash_token(token or ""))
    ).first()
    if row is None:
        raise ValidationError(UNKNOWN_LINK)
    reset, user = row
    problem = reset_problem(expires_at=reset.expires_at, used_at=reset.used_at, user_active=user.is_active, now=now)
    if problem:
        raise ValidationError(problem)
    return reset, user


def check_reset_link(session: Session, token: str, now: datetime | None = None) -> ResetFor:
    """Whose password the link sets; raises ValidationError (with the reason) when it is unknown, used or expired."""
    _reset, user = _live_reset(session, token, now or utcnow())
    return ResetFor(email=user.email)


def _burn_resets(session: Session, user_id: int, now: datetime) -> None:
    session.exec(
        update(PasswordReset)
        .where(col(PasswordReset.user_id) == user_id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


def reset_password(session: Session, token: str, password: str, confirm: str, now: datetime | None = None) -> str:
    """Set a new password with a live reset link; the link (and every other of the account) then stops working and
    every session of the account ends. Returns the account's email (to prefill the sign-in form)."""
    now = now or utcnow()
    reset, user = _live_reset(session, token, now)
    check_new_password(password, confirm)
    # Burn this link first, guarded by used_at IS NULL: of two concurrent uses only one goes on.
    claimed = session.exec(
        update(PasswordReset)
        .where(col(PasswordReset.id) == saved_id(reset), col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(claimed, CursorResult)
    if claimed.rowcount != 1:
        raise ValidationError(reset_problem(expires_at=reset.expires_at, used_at=now, user_active=True, now=now))
    user.password_hash = hash_password(password)
    session.add(user)
    _burn_resets(session, saved_id(user), now)
    end_sessions(session, saved_id(user))
    # Opening the mailed link proves the account as a sign-in would: the failed tries that likely led here no
    # longer make its owner wait (the throttle counts failures since the last success).
    session.add(LoginAttempt(email=user.email, at=now, succeeded=True, ip=""))
    audit(session, None, "password_reset.done", "user", user.id, email=user.email)
    return user.email


def change_password(
    session: Session,
    actor: Actor,
    current: str,
    password: str,
    confirm: str,
    *,
    keep_token_hash: str = "",
    now: datetime | None = None,
) -> None:
    """A signed-in person sets a new password, giving the current one. Every other session of theirs ends (the
    one whose token hash is `keep_token_hash`, the browser asking, stays) and open reset links stop working."""
    now = now or utcnow()
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.is_active:
        raise PermissionDenied()
    if not ratelimit.allow("change-password", CHANGE_RATES, str(user.id)):
        raise ValidationError("Too many tries. Try again in an hour.", "current")
    if not verify_password(current or "", user.password_hash):
        raise ValidationError("That is not your current password.", "current")
    check_new_password(password, confirm)
    if verify_password(password, user.password_hash):
        raise ValidationError("Choose a password different from the current one.", "password")
    user.password_hash = hash_password(password)
    session.add(user)
    end_other_sessions(session, saved_id(user), keep_token_hash)
    _burn_resets(session, saved_id(user), now)
    audit(session, actor, "password_changed", "user", user.id)
