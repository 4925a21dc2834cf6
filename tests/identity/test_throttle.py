"""Sign-in throttling: the soft lockout per account, the limit per client IP, and nothing that tells emails apart.

Every try carries its own `now`, so nothing here sleeps: the account delay is computed from the recorded tries.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from prm_app.identity import auth
from prm_app.identity.auth import TOO_MANY, TOO_MANY_FROM_IP, WRONG_CREDENTIALS, log_in, sign_in_wait
from prm_app.identity.models import LoginAttempt
from prm_app.identity.throttle import account_delay, ip_limiter, make_ip_limiter, wait_phrase
from prm_app.platform.errors import AuthError
from prm_app.platform.settings import settings
from tests.factories import PASSWORD, T0, make_user

SEC = timedelta(seconds=1)
MIN = timedelta(minutes=1)
CAP = timedelta(minutes=15)
ATTACKER_IP = "203.0.113.66"
OWNER_IP = "198.51.100.7"


def _try(session: Session, email: str, password: str, at, ip: str = ATTACKER_IP) -> str:
    """The message a try gets ("signed in" when it gets in)."""
    try:
        log_in(session, email, password, ip=ip, now=at)
    except AuthError as err:
        return err.message
    return "signed in"


def _attempts(session: Session) -> int:
    return session.exec(select(func.count()).select_from(LoginAttempt)).one()


@pytest.fixture(autouse=True)
def verify_calls(monkeypatch) -> list[bool]:
    """Stands in for argon2 (about 0.3 s a check here; test_auth.py and the off-loop test use the real one) and
    records each check: True when it ran against a user's hash, False when against the dummy for unknown emails."""
    calls: list[bool] = []

    def recording(password: str, password_hash: str | None) -> bool:
        calls.append(password_hash is not None)
        return password_hash is not None and password == PASSWORD

    monkeypatch.setattr(auth, "verify_password", recording)
    return calls


@pytest.fixture
def ip_limit_of_3(monkeypatch) -> int:
    """The IP limit's counting with a small limit (the default of 30 is checked in test_settings_...)."""
    limiter = make_ip_limiter(None, "3 per 15 minutes")
    monkeypatch.setattr(auth, "ip_limiter", lambda: limiter)
    return 3


def test_settings_are_the_documented_ones():
    assert (settings.login_free_failures, settings.login_delay_cap) == (3, CAP)
    assert settings.login_ip_limit == "30 per 15 minutes"


def test_account_delay_is_free_for_three_failures_then_doubles_up_to_the_cap():
    delays = [account_delay(n, free=3, cap=CAP).total_seconds() for n in range(14)]

    assert delays == [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert account_delay(10**6, free=3, cap=CAP) == CAP  # no overflow, however long an attack goes on


def test_wait_phrase_says_seconds_then_whole_minutes():
    assert [wait_phrase(s) for s in (0.2, 1, 2, 59, 60, 61, 900)] == [
        "1 second",
        "1 second",
        "2 seconds",
        "59 seconds",
        "1 minute",
        "2 minutes",
        "15 minutes",
    ]


def test_three_failures_are_free_then_each_try_must_wait_twice_as_long(session):
    make_user(session, email="pat@example.com")
    session.commit()

    said = [
        _try(session, "pat@example.com", "wrong-password-123", T0),
        _try(session, "pat@example.com", "wrong-password-123", T0 + SEC),
        _try(session, "pat@example.com", "wrong-password-123", T0 + 2 * SEC),  # third: next try waits 2 s
        _try(session, "pat@example.com", PASSWORD, T0 + 3 * SEC),  # too early, even with the right password
        _try(session, "pat@example.com", "wrong-password-123", T0 + 4 * SEC),  # the wait is over: judged, fails
        _try(session, "pat@example.com", PASSWORD, T0 + 7 * SEC),  # 4 s wait not over
        _try(session, "pat@example.com", PASSWORD, T0 + 8 * SEC),  # over: the owner gets in
    ]

    assert said == [
        WRONG_CREDENTIALS,
        WRONG_CREDENTIALS,
        f"{WRONG_CREDENTIALS} Try again in 2 seconds.",
        f"{TOO_MANY} Try again in 1 second.",
        f"{WRONG_CREDENTIALS} Try again in 4 seconds.",
        f"{TOO_MANY} Try again in 1 second.",
        "signed in",
    ]
    # The refused tries were not recorded: only the four judged failures and the success.
    assert _attempts(session) == 5


def test_an_attacker_cannot_lock_the_owner_out_for_longer_than_the_cap(session, verify_calls):
    """Hammering a known email: the wait grows to 15 minutes and stays there; tries during the wait are refused
    without a password check and without counting, so they never extend it; once it passes the owner gets in."""
    make_user(session, email="victim@example.com")
    session.commit()
    at = T0
    for i in range(20):  # every failure as soon as it is allowed, from many addresses: the fastest way up
        at += sign_in_wait(session, "victim@example.com", at, ip=ATTACKER_IP)
        assert _try(session, "victim@example.com", "guess", at, ip=f"192.0.2.{i}").startswith(WRONG_CREDENTIALS)
    last_failure = at
    assert sign_in_wait(session, "victim@example.com", last_failure) == CAP
    checks_so_far, attempts_so_far = len(verify_calls), _attempts(session)

    for second in range(1, 900, 7):  # keeps trying all through the wait
        message = _try(session, "victim@example.com", "guess", last_failure + second * SEC, ip=f"192.0.2.{second}")
        assert message.startswith(f"{TOO_MANY} Try again in")
    assert (len(verify_calls), _attempts(session)) == (checks_so_far, attempts_so_far)

    assert _try(session, "victim@example.com", PASSWORD, last_failure + CAP, ip=OWNER_IP) == "signed in"
    # A success starts the count afresh: the owner's next typo costs nothing.
    assert _try(session, "victim@example.com", "typo", last_failure + CAP + SEC, ip=OWNER_IP) == WRONG_CREDENTIALS


def test_an_ip_that_signed_in_before_is_judged_on_its_own_failures_only(session):
    make_user(session, email="owner@example.com")
    session.commit()
    assert _try(session, "owner@example.com", PASSWORD, T0, ip=OWNER_IP) == "signed in"
    at = T0 + MIN
    for _ in range(12):
        at += sign_in_wait(session, "owner@example.com", at, ip=ATTACKER_IP)
        _try(session, "owner@example.com", "guess", at, ip=ATTACKER_IP)
    assert sign_in_wait(session, "owner@example.com", at, ip=ATTACKER_IP) == CAP

    # A new address waits like everyone else...
    assert _try(session, "owner@example.com", PASSWORD, at + SEC, ip="100.64.0.9").startswith(TOO_MANY)
    # ...the owner's usual address gets straight in while the attacker still waits 15 minutes...
    assert _try(session, "owner@example.com", PASSWORD, at + 2 * SEC, ip=OWNER_IP) == "signed in"
    # ...and the usual address's own failures still slow it down.
    said = [_try(session, "owner@example.com", "typo", at + (3 + i) * SEC, ip=OWNER_IP) for i in range(4)]
    assert said == [
        WRONG_CREDENTIALS,
        WRONG_CREDENTIALS,
        f"{WRONG_CREDENTIALS} Try again in 2 seconds.",
        f"{TOO_MANY} Try again in 1 second.",
    ]


def test_unknown_and_inactive_emails_get_the_same_answers_and_the_same_work(session, verify_calls):
    make_user(session, email="known@example.com")
    make_user(session, email="gone@example.com", is_active=False)
    session.commit()
    offsets = [0, 1, 2, 3, 4, 5, 9, 10, 30]  # free failures, a refusal, judged failures, refusals, ...

    answers = {}
    for email in ["known@example.com", "ghost@example.com", "gone@example.com"]:
        start = len(verify_calls)
        said = [_try(session, email, "wrong-password-123", T0 + s * SEC) for s in offsets]
        answers[email] = (said, len(verify_calls) - start)
        ip_limiter().reset()  # one IP for all three runs; this test is about the account side

    assert answers["ghost@example.com"] == answers["known@example.com"] == answers["gone@example.com"]
    said, password_checks = answers["known@example.com"]
    assert said[3] == f"{TOO_MANY} Try again in 1 second."  # the refusals are there for every email
    assert password_checks == sum(not m.startswith(TOO_MANY) for m in said)  # one check per judged try
    assert False in verify_calls  # the unknown email was checked against the dummy hash, not skipped


def test_failures_are_forgotten_after_a_day(session):
    make_user(session, email="slow@example.com")
    session.commit()
    for i in range(3):
        _try(session, "slow@example.com", "typo", T0 + i * SEC)

    assert sign_in_wait(session, "slow@example.com", T0 + 3 * SEC) == SEC
    # A day later the three old failures no longer count: a fourth costs no wait.
    assert _try(session, "slow@example.com", "typo", T0 + timedelta(days=1, seconds=3)) == WRONG_CREDENTIALS


def test_ip_limit_stops_guessing_across_many_emails(session, verify_calls, ip_limit_of_3):
    make_user(session, email="real@example.com")
    session.commit()

    said = [_try(session, f"guess{i}@example.com", "password-1", T0 + i * SEC) for i in range(ip_limit_of_3)]
    assert set(said) == {WRONG_CREDENTIALS}  # one try per email: no account ever waits
    checks = len(verify_calls)

    # The address is now over its limit: refused before any lookup or password check, right password or not.
    blocked = _try(session, "real@example.com", PASSWORD, T0 + MIN)
    assert blocked.startswith(f"{TOO_MANY_FROM_IP} Try again in")
    assert blocked.endswith(("minutes.", "minute."))
    assert len(verify_calls) == checks
    # Another address is not affected.
    assert _try(session, "real@example.com", PASSWORD, T0 + MIN, ip=OWNER_IP) == "signed in"


def test_ip_limit_counts_failures_not_sign_ins(session, ip_limit_of_3):
    """A shared office address signs many people in; only failures (and refused tries) count against it."""
    users = [make_user(session, email=f"person{i}@example.com") for i in range(2 * ip_limit_of_3)]
    session.commit()

    assert {_try(session, u.email, PASSWORD, T0, ip=OWNER_IP) for u in users} == {"signed in"}


def test_refused_tries_count_against_the_ip(session, ip_limit_of_3):
    make_user(session, email="pat@example.com")
    session.commit()
    for i in range(3):
        assert _try(session, "pat@example.com", "typo", T0 + i * SEC, ip=OWNER_IP).startswith(WRONG_CREDENTIALS)
    limiter = auth.ip_limiter()
    limiter.forget(OWNER_IP)
    for _ in range(ip_limit_of_3):  # refused while the account waits: cheap, but still counted for the address
        assert _try(session, "pat@example.com", "typo", T0 + 2 * SEC).startswith(f"{TOO_MANY} Try again")

    assert _try(session, "other@example.com", "typo", T0 + 3 * SEC).startswith(TOO_MANY_FROM_IP)


def test_limiter_uses_memory_on_one_worker_and_redis_when_configured():
    from limits.storage import MemoryStorage, RedisStorage

    assert isinstance(make_ip_limiter(None, "30 per 15 minutes").storage, MemoryStorage)
    assert isinstance(make_ip_limiter("redis://127.0.0.1:6379/0", "30 per 15 minutes").storage, RedisStorage)


@pytest.mark.integration
def test_workers_on_redis_share_the_ip_counts():
    import os
    import secrets

    url = os.environ.get("PRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    worker_a, worker_b = make_ip_limiter(url, "2 per 15 minutes"), make_ip_limiter(url, "2 per 15 minutes")
    if not worker_a.storage.check():
        pytest.skip(f"Redis not reachable at {url}")
    ip = f"test-{secrets.token_hex(6)}"  # a key of its own: other runs may share this Redis
    try:
        worker_a.count_failure(ip)
        worker_b.count_failure(ip)

        assert worker_a.retry_after(ip) > 0 and worker_b.retry_after(ip) > 0
    finally:
        worker_a.forget(ip)
