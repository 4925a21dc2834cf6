"""Signing in and out: credentials, server-side sessions and their timeouts (throttling: test_throttle.py)."""

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


def test_unattended_work_does_not_keep_an_idle_session_alive(session):
    """A live dashboard refreshing itself checks the session with touch=False: it is still refused once the person
    has been idle for 30 minutes, however often it refreshed meanwhile."""
    user = make_user(session)
    session.commit()
    token = log_in(session, user.email, PASSWORD, now=T0).token

    for minute in (5, 10, 20, 29):
        assert resolve_session(session, token, now=T0 + minute * MIN, touch=False).user_id == user.id
    with pytest.raises(NotAuthenticated):
        resolve_session(session, token, now=T0 + 31 * MIN, touch=False)


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
