"""Forgotten and changed passwords: single-use expiring links by email (only a hash stored), no account
enumeration, rate limits, sessions ended; changing one's own password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from prm_app.identity.auth import log_in, resolve_session
from prm_app.identity.models import AuthSession, PasswordReset
from prm_app.identity.password import (
    RESET_SENT,
    change_password,
    check_reset_link,
    request_password_reset,
    reset_password,
)
from prm_app.identity.rules import reset_problem
from prm_app.mail.models import OutboxMessage
from prm_app.platform.access import Role
from prm_app.platform.errors import AuthError, NotAuthenticated, ValidationError
from prm_app.platform.security import hash_token
from prm_app.platform.settings import settings
from tests.factories import PASSWORD, T0, actor_for, make_user

NEW = "a-brand-new-password"


def _token_from_mail(session: Session, email: str) -> str:
    """The reset token from the newest message to `email` in the outbox (as the person would click it)."""
    message = session.exec(
        select(OutboxMessage).where(OutboxMessage.to_address == email).order_by(OutboxMessage.id.desc())  # type: ignore[union-attr]
    ).first()
    assert message is not None and message.kind == "password_reset"
    link = next(word for word in message.text_body.split() if "/reset-password/" in word)
    return link.rsplit("/", 1)[-1]


def _outbox(session: Session) -> int:
    return session.exec(select(func.count()).select_from(OutboxMessage)).one()


def test_asking_emails_a_single_use_link_whose_token_is_stored_only_hashed(session):
    user = make_user(session, email="dana@example.com")
    session.commit()
    assert request_password_reset(session, " Dana@Example.com ", ip="10.0.0.1", now=T0) == RESET_SENT
    session.commit()
    token = _token_from_mail(session, "dana@example.com")
    stored = session.exec(select(PasswordReset)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.expires_at == T0 + settings.password_reset_lifetime
    assert check_reset_link(session, token, now=T0).email == "dana@example.com"

    signed_in = log_in(session, "dana@example.com", PASSWORD, now=T0)
    assert reset_password(session, token, NEW, NEW, now=T0 + timedelta(minutes=5)) == "dana@example.com"
    session.commit()
    with pytest.raises(NotAuthenticated):  # every session of the account ended
        resolve_session(session, signed_in.token, now=T0 + timedelta(minutes=6))
    with pytest.raises(AuthError):
        log_in(session, "dana@example.com", PASSWORD, now=T0 + timedelta(minutes=7))
    assert log_in(session, "dana@example.com", NEW, now=T0 + timedelta(minutes=8)).actor.user_id == user.id
    with pytest.raises(ValidationError, match="already been used"):
        reset_password(session, token, "another-new-password", "another-new-password", now=T0 + timedelta(minutes=9))


def test_unknown_inactive_and_known_addresses_get_the_same_answer(session):
    make_user(session, email="active@example.com")
    make_user(session, email="gone@example.com", is_active=False)
    session.commit()
    answers = {request_password_reset(session, email, now=T0) for email in ("nobody@example.com", "gone@example.com")}
    session.commit()
    assert _outbox(session) == 0  # nobody was emailed
    answers.add(request_password_reset(session, "active@example.com", now=T0))
    session.commit()
    assert answers == {RESET_SENT} and _outbox(session) == 1


def test_an_empty_address_is_asked_for_again(session):
    with pytest.raises(ValidationError) as raised:
        request_password_reset(session, "   ", now=T0)
    assert raised.value.field == "email"


def test_a_link_expires_and_a_new_one_burns_the_rest(session):
    make_user(session, email="dana@example.com")
    session.commit()
    request_password_reset(session, "dana@example.com", now=T0)
    session.commit()
    first = _token_from_mail(session, "dana@example.com")
    with pytest.raises(ValidationError, match="expired"):
        check_reset_link(session, first, now=T0 + settings.password_reset_lifetime)
    request_password_reset(session, "dana@example.com", now=T0 + timedelta(minutes=1))
    session.commit()
    second = _token_from_mail(session, "dana@example.com")
    assert second != first
    reset_password(session, second, NEW, NEW, now=T0 + timedelta(minutes=2))
    session.commit()
    with pytest.raises(ValidationError, match="already been used"):
        check_reset_link(session, first, now=T0 + timedelta(minutes=3))
    with pytest.raises(ValidationError, match="not valid"):
        check_reset_link(session, "made-up-token", now=T0)


def test_the_new_password_follows_the_invitation_rules_and_a_refusal_keeps_the_link(session):
    make_user(session, email="dana@example.com")
    session.commit()
    request_password_reset(session, "dana@example.com", now=T0)
    session.commit()
    token = _token_from_mail(session, "dana@example.com")
    for password, confirm, field in (("short", "short", "password"), (NEW, NEW + "x", "confirm")):
        with pytest.raises(ValidationError) as raised:
            reset_password(session, token, password, confirm, now=T0)
        assert raised.value.field == field
        session.rollback()
    assert check_reset_link(session, token, now=T0).email == "dana@example.com"


def test_a_deactivated_person_cannot_use_a_link_they_got_before(session):
    user = make_user(session, email="dana@example.com")
    session.commit()
    request_password_reset(session, "dana@example.com", now=T0)
    session.commit()
    token = _token_from_mail(session, "dana@example.com")
    user.is_active = False
    session.add(user)
    session.commit()
    with pytest.raises(ValidationError, match="not valid"):
        reset_password(session, token, NEW, NEW, now=T0)


def test_one_address_gets_few_mails_and_one_network_few_requests(session):
    make_user(session, email="dana@example.com")
    session.commit()
    for _ in range(5):
        assert request_password_reset(session, "dana@example.com", ip="10.0.0.9", now=T0) == RESET_SENT
        session.commit()
    assert _outbox(session) == 3  # the per-address limit: the same answer, no more mail
    for n in range(15):
        request_password_reset(session, f"probe{n}@example.com", ip="10.0.0.9", now=T0)
    with pytest.raises(ValidationError, match="Too many requests from this network"):
        request_password_reset(session, "someone@example.com", ip="10.0.0.9", now=T0)
    assert request_password_reset(session, "someone@example.com", ip="10.0.0.10", now=T0) == RESET_SENT


def test_reset_problem_rules():
    def problem(**kwargs) -> str:
        said = reset_problem(expires_at=T0, **kwargs)
        return said.english if said is not None else ""

    assert reset_problem(expires_at=T0, used_at=None, user_active=True, now=T0 - timedelta(seconds=1)) is None
    assert "expired" in problem(used_at=None, user_active=True, now=T0)
    assert "used" in problem(used_at=T0, user_active=True, now=T0 - timedelta(hours=1))
    assert "not valid" in problem(used_at=None, user_active=False, now=T0 - timedelta(1))
    # The reset page says it in the browser's language.
    said = reset_problem(expires_at=T0, used_at=None, user_active=True, now=T0)
    assert said is not None and said.say("de") == "Dieser Link ist abgelaufen. Fordern Sie einen neuen an."


def test_changing_ones_password_needs_the_current_one_and_ends_the_other_sessions(session):
    user = make_user(session, Role.PARTNER_ADMIN, email="dana@example.com")
    session.commit()
    here = log_in(session, "dana@example.com", PASSWORD, now=T0)
    elsewhere = log_in(session, "dana@example.com", PASSWORD, now=T0)
    actor = actor_for(user)
    with pytest.raises(ValidationError) as raised:
        change_password(session, actor, "wrong-password", NEW, NEW, keep_token_hash=hash_token(here.token))
    assert raised.value.field == "current"
    with pytest.raises(ValidationError) as raised:
        change_password(session, actor, PASSWORD, PASSWORD, PASSWORD, keep_token_hash=hash_token(here.token))
    assert raised.value.field == "password"
    change_password(session, actor, PASSWORD, NEW, NEW, keep_token_hash=hash_token(here.token), now=T0)
    session.commit()
    assert resolve_session(session, here.token, now=T0).user_id == user.id  # this browser stays signed in
    with pytest.raises(NotAuthenticated):
        resolve_session(session, elsewhere.token, now=T0)
    assert session.exec(select(func.count()).select_from(AuthSession)).one() == 1
    assert log_in(session, "dana@example.com", NEW, now=T0 + timedelta(minutes=1)).actor.user_id == user.id


def test_guessing_the_current_password_is_rate_limited(session):
    user = make_user(session, email="dana@example.com")
    session.commit()
    for _ in range(10):
        with pytest.raises(ValidationError, match="not your current password"):
            change_password(session, actor_for(user), "guess", NEW, NEW)
    with pytest.raises(ValidationError, match="Too many tries"):
        change_password(session, actor_for(user), PASSWORD, NEW, NEW)


def test_a_reset_lifts_the_sign_in_wait_that_forgetting_caused(session):
    make_user(session, email="dana@example.com")
    session.commit()
    for minute in range(6):  # six wrong guesses: the next try must wait
        with pytest.raises(AuthError):
            log_in(session, "dana@example.com", "wrong-guess", now=T0 + timedelta(seconds=minute))
    with pytest.raises(AuthError, match="Too many"):
        log_in(session, "dana@example.com", PASSWORD, now=T0 + timedelta(seconds=7))
    request_password_reset(session, "dana@example.com", now=T0 + timedelta(seconds=8))
    session.commit()
    reset_password(session, _token_from_mail(session, "dana@example.com"), NEW, NEW, now=T0 + timedelta(seconds=9))
    session.commit()
    assert log_in(session, "dana@example.com", NEW, now=T0 + timedelta(seconds=10)).actor.email == "dana@example.com"


def test_the_reset_email_is_in_the_persons_language_and_the_answer_the_same(session):
    user = make_user(session, Role.PARTNER_USER, email="jo@example.com")
    user.language = "de"
    session.add(user)
    session.commit()
    assert request_password_reset(session, "jo@example.com", ip="10.0.0.20", now=T0) == RESET_SENT
    session.commit()
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.to_address == "jo@example.com")).one()
    assert mail.subject == "Setzen Sie Ihr Open-PRM-Passwort zurück"
    assert "Öffnen Sie den folgenden Link" in mail.text_body and "/reset-password/" in mail.text_body
