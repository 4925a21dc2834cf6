"""Signing in and out: credentials, lockout, server-side sessions and their timeouts."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from prm_app.identity.auth import WRONG_CREDENTIALS, log_in, log_out, resolve_session
from prm_app.identity.models import AuthSession, LoginAttempt, User
from prm_app.platform.access import Role
from prm_app.platform.errors import AuthError, NotAuthenticated
from prm_app.platform.models import AuditLog
from prm_app.platform.security import hash_token
from prm_app.platform.settings import settings
from tests.factories import PASSWORD, T0, make_user

MIN = timedelta(minutes=1)


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _fail(session: Session, email: str, at) -> str:
    with pytest.raises(AuthError) as err:
        log_in(session, email, "wrong-password-123", now=at)
    return err.value.message


def test_log_in_returns_fresh_256_bit_token_and_actor(session):
    user = make_user(session, Role.PARTNER_ADMIN, email="dana@northwind.example")
    session.commit()

    first = log_in(session, "  Dana@Northwind.EXAMPLE ", PASSWORD, ip="10.0.0.1", now=T0)
    second = log_in(session, "dana@northwind.example", PASSWORD, now=T0 + MIN)

    assert len(base64.urlsafe_b64decode(first.token + "=")) == 32
    assert first.token != second.token
    assert (first.actor.user_id, first.actor.role, first.actor.organization_id) == (
        user.id,
        Role.PARTNER_ADMIN,
        user.organization_id,
    )
    assert first.actor.ip == "10.0.0.1"
    assert _count(session, AuthSession) == 2
    assert session.get(User, user.id).last_login_at == T0 + MIN


def test_wrong_password_unknown_email_and_inactive_user_get_the_same_message(session):
    make_user(session, email="known@example.com")
    make_user(session, email="gone@example.com", is_active=False)
    session.commit()

    messages = set()
    for email, password in [
        ("known@example.com", "not-the-password"),
        ("nobody@example.com", PASSWORD),
        ("gone@example.com", PASSWORD),  # right password, but deactivated
    ]:
        with pytest.raises(AuthError) as err:
            log_in(session, email, password, now=T0)
        messages.add(err.value.message)

    assert messages == {"Wrong email or password."}
    assert WRONG_CREDENTIALS == "Wrong email or password."
    assert _count(session, AuthSession) == 0
    assert _count(session, LoginAttempt) == 3


# What five wrong tries in a row say: the last two warn, the fifth locks (for known and unknown emails alike).
FAILURE_MESSAGES = [
    WRONG_CREDENTIALS,
    WRONG_CREDENTIALS,
    f"{WRONG_CREDENTIALS} 2 attempts left before sign-in is locked.",
    f"{WRONG_CREDENTIALS} 1 attempt left before sign-in is locked.",
    "Too many failed sign-in attempts. Try again in 15 minutes.",
]


def test_lockout_after_five_failures_lasts_fifteen_minutes_from_the_last(session):
    make_user(session, email="pat@example.com")
    session.commit()
    assert (settings.lockout_failures, settings.lockout_duration) == (5, 15 * MIN)

    messages = [_fail(session, "pat@example.com", T0 + i * MIN) for i in range(5)]
    last_failure = T0 + 4 * MIN

    assert messages == FAILURE_MESSAGES
    # Even the right password is refused until 15 minutes after the last failure...
    for at, minutes_left in [(last_failure, "15 minutes"), (last_failure + 14 * MIN, "1 minute")]:
        with pytest.raises(AuthError) as err:
            log_in(session, "pat@example.com", PASSWORD, now=at)
        assert err.value.message == f"Too many failed sign-in attempts. Try again in {minutes_left}."
    # ...and accepted from then on.
    assert log_in(session, "pat@example.com", PASSWORD, now=last_failure + 15 * MIN).token


def test_failures_spread_beyond_the_window_do_not_lock(session):
    make_user(session, email="slow@example.com")
    session.commit()
    for i in range(5):  # one failure every 4 minutes: never 5 within 15 minutes
        _fail(session, "slow@example.com", T0 + i * 4 * MIN)

    assert log_in(session, "slow@example.com", PASSWORD, now=T0 + 16 * MIN + timedelta(seconds=1)).token


def test_lockout_also_applies_to_unknown_emails_with_the_same_messages(session):
    make_user(session, email="real@example.com")
    session.commit()

    known = [_fail(session, "real@example.com", T0 + i * MIN) for i in range(6)]
    unknown = [_fail(session, "ghost@example.com", T0 + i * MIN) for i in range(6)]

    assert unknown == known == [*FAILURE_MESSAGES, "Too many failed sign-in attempts. Try again in 14 minutes."]


def test_a_successful_login_resets_the_failure_count(session):
    make_user(session, email="reset@example.com")
    session.commit()
    for i in range(4):
        _fail(session, "reset@example.com", T0 + i * MIN)
    log_in(session, "reset@example.com", PASSWORD, now=T0 + 4 * MIN)
    for i in range(4):
        _fail(session, "reset@example.com", T0 + (5 + i) * MIN)

    # 8 failures in 15 minutes, but only 4 since the success: not locked.
    assert log_in(session, "reset@example.com", PASSWORD, now=T0 + 9 * MIN).token


def test_resolve_session_returns_the_actor_and_rejects_unknown_tokens(session):
    user = make_user(session, Role.CHANNEL_MANAGER)
    session.commit()
    token = log_in(session, user.email, PASSWORD, now=T0).token

    actor = resolve_session(session, token, ip="10.1.1.1", now=T0 + MIN)

    assert (actor.user_id, actor.role, actor.organization_id, actor.ip) == (
        user.id,
        Role.CHANNEL_MANAGER,
        None,
        "10.1.1.1",
    )
    for bad in ["", "x" * 43, token[:-1], hash_token(token)]:
        with pytest.raises(NotAuthenticated):
            resolve_session(session, bad, now=T0 + MIN)


def test_idle_session_expires_after_30_minutes_and_is_deleted(session):
    user = make_user(session)
    session.commit()
    token = log_in(session, user.email, PASSWORD, now=T0).token
    assert settings.session_idle == timedelta(minutes=30)

    # Activity keeps the session alive well past 30 minutes in total...
    resolve_session(session, token, now=T0 + 29 * MIN)
    resolve_session(session, token, now=T0 + 58 * MIN)
    # ...but 31 idle minutes end it.
    with pytest.raises(NotAuthenticated):
        resolve_session(session, token, now=T0 + 89 * MIN)

    assert _count(session, AuthSession) == 0


def test_session_ends_after_12_hours_even_when_active(session):
    user = make_user(session)
    session.commit()
    token = log_in(session, user.email, PASSWORD, now=T0).token
    lifetime = timedelta(hours=12)
    assert settings.session_absolute == lifetime

    at = T0
    while at + 20 * MIN < T0 + lifetime:
        at += 20 * MIN
        resolve_session(session, token, now=at)
    with pytest.raises(NotAuthenticated):
        resolve_session(session, token, now=T0 + lifetime)

    assert _count(session, AuthSession) == 0


def test_deactivated_users_session_is_rejected(session):
    user = make_user(session)
    session.commit()
    token = log_in(session, user.email, PASSWORD, now=T0).token

    user.is_active = False  # flipped directly: resolve_session must check it on every call
    session.add(user)
    session.commit()

    with pytest.raises(NotAuthenticated):
        resolve_session(session, token, now=T0 + MIN)


def test_log_out_deletes_the_session_server_side(session):
    user = make_user(session)
    session.commit()
    token = log_in(session, user.email, PASSWORD, now=T0).token
    other = log_in(session, user.email, PASSWORD, now=T0).token

    log_out(session, token)

    with pytest.raises(NotAuthenticated):
        resolve_session(session, token, now=T0 + MIN)
    remaining = session.exec(select(AuthSession.token_hash)).all()
    assert remaining == [hash_token(other)]  # only this browser was signed out
    assert session.exec(select(AuditLog.action).where(AuditLog.action == "logout")).all() == ["logout"]


def test_tokens_are_stored_only_as_hashes(session):
    user = make_user(session)
    session.commit()
    token = log_in(session, user.email, PASSWORD, ip="192.0.2.7", user_agent="pytest", now=T0).token

    rows = session.connection().execute(sa.text("SELECT * FROM auth_session")).all()

    assert len(rows) == 1
    assert all(token not in str(value) for value in rows[0])
    assert session.exec(select(AuthSession.token_hash)).one() == hash_token(token)


def test_password_hash_is_argon2id(session):
    user = make_user(session, password="a-fresh-password-for-hashing")

    assert user.password_hash.startswith("$argon2id$")
    assert "a-fresh-password-for-hashing" not in user.password_hash
