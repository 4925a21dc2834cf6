"""Signing in and out, server-side sessions, sign-in throttling (a soft lockout)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, partial

from sqlmodel import Session, col, delete, func, select

from prm_app.identity.models import AuthSession, LoginAttempt, User
from prm_app.identity.throttle import account_delay, ip_limiter, wait_words
from prm_app.platform.access import Actor, Role
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import AuthError, NotAuthenticated
from prm_app.platform.i18n import Words
from prm_app.platform.security import hash_token, new_token, unknown_account_hash, verify_password
from prm_app.platform.settings import settings

# The refusals, said in the reader's language by the sign-in page (their English is the constant beside each).
_WRONG, _TOO_MANY, _TOO_MANY_FROM_IP = Words("auth.wrong"), Words("auth.too_many"), Words("auth.too_many_from_ip")
WRONG_CREDENTIALS = _WRONG.english  # "Wrong email or password."
TOO_MANY = _TOO_MANY.english
TOO_MANY_FROM_IP = _TOO_MANY_FROM_IP.english
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


def _failure_stats(session: Session, email: str, now: datetime, *, ip: str | None) -> tuple[int, datetime | None]:
    """How many tries on `email` failed after its last success and within `login_failure_memory`, and when the
    newest of them was; only those from `ip` when it is given."""
    since = now - settings.login_failure_memory
    last_success = session.exec(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.email == email, LoginAttempt.succeeded)
    ).one()
    if last_success is not None and last_success > since:
        since = last_success
    query = select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, ~col(LoginAttempt.succeeded), LoginAttempt.at > since
    )
    if ip is not None:
        query = query.where(LoginAttempt.ip == ip)
    count, newest = session.exec(query).one()
    return int(count), newest


def _signed_in_from(session: Session, email: str, ip: str, now: datetime) -> bool:
    """Has `ip` signed in to `email` recently? Then only its own failures slow it down there."""
    row = session.exec(
        select(LoginAttempt.id)
        .where(
            LoginAttempt.email == email,
            LoginAttempt.ip == ip,
            LoginAttempt.succeeded,
            LoginAttempt.at > now - settings.login_trusted_ip_for,
        )
        .limit(1)
    ).first()
    return row is not None


def sign_in_wait(session: Session, email: str, now: datetime, *, ip: str = "") -> timedelta:
    """How long a try on `email` from `ip` must still wait before it is judged (zero: judge it now).

    The soft lockout: each failure past `login_free_failures` doubles the wait after the newest failure (2 s,
    4 s, … up to `login_delay_cap`), so it always ends, and tries while waiting are refused without counting.
    Failures from anyone count, except for an IP that recently signed in to this account: it is judged on its
    own failures only, so an attacker elsewhere cannot keep the owner out. Emails without an account are
    treated exactly alike (their tries are recorded too), so the wait says nothing about which emails exist.
    """
    only_ip = ip if _signed_in_from(session, email, ip, now) else None
    count, newest = _failure_stats(session, email, now, ip=only_ip)
    if newest is None:
        return timedelta(0)
    delay = account_delay(count, free=settings.login_free_failures, cap=settings.login_delay_cap)
    return max(timedelta(0), newest + delay - now)


def _try_again(refusal: Words, seconds: float) -> Words:
    """ "Wrong email or password. Try again in 4 seconds.", in the reader's language."""
    return Words("auth.try_again", {"refusal": refusal, "wait": wait_words(seconds)})


def log_in(
    session: Session, email: str, password: str, *, ip: str = "", user_agent: str = "", now: datetime | None = None
) -> SignedIn:
    """Check the credentials and open a new session (a fresh token every time).

    Raises AuthError with one message for an unknown email, a wrong password or an inactive user, so the
    response never tells which. Throttled (see `throttle`): while the account's growing delay runs
    (`sign_in_wait`) or the client IP is over its limit of failures, the try is refused before any password is
    checked; the message says when to try again and is the same for every email.

    Verifying the password costs argon2 (tens of milliseconds of CPU, 64 MiB): never call this on the event
    loop's thread. From async code use `log_in_off_loop`.
    """
    now = now or utcnow()
    email = normalize_email(email)
    if not email or not password:
        raise AuthError(_WRONG)
    limiter = ip_limiter()
    ip_wait = limiter.retry_after(ip)
    if ip_wait:
        raise AuthError(_try_again(_TOO_MANY_FROM_IP, ip_wait))
    wait = sign_in_wait(session, email, now, ip=ip)
    if wait:
        limiter.count_failure(ip)
        raise AuthError(_try_again(_TOO_MANY, wait.total_seconds()))
    user = session.exec(select(User).where(User.email == email)).first()
    # An unknown email is verified against a dummy hash: the same work, so the same time, as a wrong password.
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        session.add(LoginAttempt(email=email, at=now, succeeded=False, ip=ip[:64]))
        audit(session, None, "login_failed", "user", user.id if user else None, email=email, ip=ip)
        wait = sign_in_wait(session, email, now, ip=ip)
        session.commit()
        limiter.count_failure(ip)
        if wait:
            raise AuthError(_try_again(_WRONG, wait.total_seconds()))
        raise AuthError(_WRONG)
    token = new_token()
    session.add(LoginAttempt(email=email, at=now, succeeded=True, ip=ip[:64]))
    session.add(
        AuthSession(
            token_hash=hash_token(token),
            user_id=saved_id(user),
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


@cache
def _sign_in_pool() -> ThreadPoolExecutor:
    """A small pool of its own: argon2 takes 64 MiB per verification, so a flood of sign-ins queues here instead
    of filling the default executor (up to 32 threads, 2 GiB) that the rest of the server uses. Its first task makes
    the hash an unknown email is checked against, so that check costs what a known one's does from the start."""
    pool = ThreadPoolExecutor(max_workers=settings.sign_in_threads, thread_name_prefix="sign-in")
    pool.submit(unknown_account_hash)
    return pool


async def log_in_off_loop(
    run: Callable[..., SignedIn], email: str, password: str, *, ip: str = "", user_agent: str = ""
) -> SignedIn:
    """`log_in` for async callers (an HTTP endpoint, an async event handler): the whole unit of work, password
    check included, runs in the sign-in thread pool, and the event loop keeps serving everyone else meanwhile.

    `run(use_case, *args, **kwargs)` opens the unit of work in the thread that calls it and runs
    `use_case(session, *args, **kwargs)` (the web layer's `run_public`). Raises what `log_in` raises.
    """
    call = partial(copy_context().run, run, log_in, email, password, ip=ip, user_agent=user_agent)
    return await asyncio.get_running_loop().run_in_executor(_sign_in_pool(), call)


def resolve_session(
    session: Session,
    token: str,
    *,
    ip: str = "",
    now: datetime | None = None,
    touch: bool = True,
    token_hash: str = "",
) -> Actor:
    """The actor behind `token`, or NotAuthenticated when it is unknown, idle too long, past its absolute
    lifetime, or its user was deactivated. Expired sessions are deleted on sight. `touch=False` for work the
    person did not ask for (a live dashboard refreshing itself): it does not count as activity, so it never keeps
    an idle session alive. `token_hash` (the token's SHA-256, as stored) may stand in for the token where only
    the hash travels (another worker serving an upload of this connection)."""
    now = now or utcnow()
    digest = token_hash or (hash_token(token) if token else "")
    if not digest:
        raise NotAuthenticated()
    row = session.exec(
        select(AuthSession, User)
        .join(User, col(User.id) == AuthSession.user_id)
        .where(AuthSession.token_hash == digest)
    ).first()
    if row is None:
        raise NotAuthenticated()
    auth, user = row
    if not user.is_active or now >= auth.expires_at or now - auth.last_seen_at > settings.session_idle:
        session.delete(auth)
        session.commit()
        raise NotAuthenticated()
    if touch and (now - auth.last_seen_at).total_seconds() > _TOUCH_EVERY_SECONDS:
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
    end_other_sessions(session, user_id, "")


def end_other_sessions(session: Session, user_id: int, keep_token_hash: str) -> int:
    """Delete every session of `user_id` but the one whose token hash is `keep_token_hash` (none kept when "").
    Returns how many ended."""
    result = session.exec(
        delete(AuthSession).where(col(AuthSession.user_id) == user_id, col(AuthSession.token_hash) != keep_token_hash)
    )
    return int(result.rowcount or 0)
