"""A person's own signed-in browsers: listed (live ones only, this browser first), and the others signed out one
by one or all at once; nobody else's session is ever listed or ended (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prm_app.identity.auth import log_in, resolve_session
from prm_app.identity.rules import describe_browser, idle_warning_lead
from prm_app.identity.sessions import (
    end_my_other_sessions,
    end_my_session,
    keep_signed_in,
    my_sessions,
    session_time_left,
)
from prm_app.platform.access import Role
from prm_app.platform.errors import NotAuthenticated, NotFound
from prm_app.platform.security import hash_token
from prm_app.platform.settings import settings
from tests.factories import PASSWORD, T0, make_user

MIN = timedelta(minutes=1)
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Safari/604.1"


@pytest.fixture
def signed_in(session):
    make_user(session, Role.PARTNER_USER, email="kim@alpha.example")
    make_user(session, Role.PARTNER_USER, email="lee@beta.example")
    session.commit()
    laptop = log_in(session, "kim@alpha.example", PASSWORD, ip="10.0.0.1", user_agent=CHROME, now=T0)
    phone = log_in(session, "kim@alpha.example", PASSWORD, ip="10.0.0.2", user_agent=IPHONE, now=T0 + MIN)
    stranger = log_in(session, "lee@beta.example", PASSWORD, now=T0)
    session.commit()
    return laptop, phone, stranger


def test_the_list_shows_this_browser_first_then_by_last_activity(session, signed_in):
    laptop, phone, _stranger = signed_in

    listed = my_sessions(session, laptop.actor, hash_token(laptop.token), now=T0 + 2 * MIN)

    assert [(s.ip, s.current) for s in listed] == [("10.0.0.1", True), ("10.0.0.2", False)]  # not the stranger's
    assert listed[1].user_agent == IPHONE and listed[1].signed_in_at == T0 + MIN
    later = T0 + settings.session_idle + MIN + MIN  # the laptop idled out; the phone was active a minute later
    assert [s.ip for s in my_sessions(session, phone.actor, hash_token(phone.token), now=later - MIN)] == ["10.0.0.2"]


def test_signing_out_another_browser_ends_it_and_only_it(session, signed_in):
    laptop, phone, stranger = signed_in
    here = hash_token(laptop.token)
    phone_id = next(s.id for s in my_sessions(session, laptop.actor, here, now=T0) if not s.current)

    end_my_session(session, laptop.actor, phone_id, here)
    session.commit()

    with pytest.raises(NotAuthenticated):
        resolve_session(session, phone.token, now=T0 + 2 * MIN)
    assert resolve_session(session, laptop.token, now=T0 + 2 * MIN).user_id == laptop.actor.user_id
    assert resolve_session(session, stranger.token, now=T0 + 2 * MIN).user_id == stranger.actor.user_id


def test_no_other_persons_session_and_not_this_one(session, signed_in):
    laptop, _phone, stranger = signed_in
    here = hash_token(laptop.token)
    theirs = my_sessions(session, stranger.actor, hash_token(stranger.token), now=T0)[0].id
    mine = my_sessions(session, laptop.actor, here, now=T0)[0].id

    for session_id in (theirs, mine, 999_999):
        with pytest.raises(NotFound):
            end_my_session(session, laptop.actor, session_id, here)
    assert resolve_session(session, stranger.token, now=T0 + MIN).user_id == stranger.actor.user_id


def test_signing_out_everywhere_else_keeps_this_browser(session, signed_in):
    laptop, phone, stranger = signed_in

    assert end_my_other_sessions(session, laptop.actor, hash_token(laptop.token)) == 1
    session.commit()

    with pytest.raises(NotAuthenticated):
        resolve_session(session, phone.token, now=T0 + 2 * MIN)
    assert resolve_session(session, laptop.token, now=T0 + 2 * MIN).user_id == laptop.actor.user_id
    assert resolve_session(session, stranger.token, now=T0 + 2 * MIN).user_id == stranger.actor.user_id


@pytest.mark.parametrize(
    ("agent", "seen"),
    [
        (CHROME, "Chrome on Windows"),
        (IPHONE, "Safari on iPhone"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge on macOS",
        ),
        ("Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36", "A browser on Android"),
        ("", "Unknown browser"),
        ("curl/8.5.0", "Unknown browser"),
    ],
)
def test_browsers_are_named_as_people_know_them(agent, seen):
    assert describe_browser(agent) == seen


def test_time_left_counts_from_the_last_activity_and_stay_signed_in_restarts_it(session, signed_in):
    laptop, _phone, stranger = signed_in
    digest = hash_token(laptop.token)
    left = session_time_left(session, laptop.actor, digest, now=T0 + 10 * MIN)
    assert left.remaining == settings.session_idle - 10 * MIN and left.idle
    assert left.warn_before == idle_warning_lead(settings.session_idle)

    kept = keep_signed_in(session, laptop.actor, digest, now=T0 + 20 * MIN)
    session.commit()
    assert kept.remaining == settings.session_idle
    assert (
        session_time_left(session, laptop.actor, digest, now=T0 + 25 * MIN).remaining == settings.session_idle - 5 * MIN
    )
    # Still signed in past the old end: the server agrees with the banner.
    resolve_session(session, laptop.token, now=T0 + settings.session_idle + 5 * MIN, touch=False)
    with pytest.raises(NotFound):  # only one's own browser
        session_time_left(session, stranger.actor, digest, now=T0)
    with pytest.raises(NotFound):
        keep_signed_in(session, laptop.actor, "", now=T0)


def test_near_the_absolute_end_nothing_extends_the_session(session, signed_in):
    laptop, _phone, _stranger = signed_in
    digest = hash_token(laptop.token)
    late = T0 + settings.session_absolute - 2 * MIN
    keep_signed_in(session, laptop.actor, digest, now=late)
    left = session_time_left(session, laptop.actor, digest, now=late)
    assert left.remaining == 2 * MIN and not left.idle


def test_the_warning_comes_five_minutes_ahead_or_halfway_for_short_timeouts():
    assert idle_warning_lead(timedelta(minutes=30)) == timedelta(minutes=5)
    assert idle_warning_lead(timedelta(minutes=4)) == timedelta(minutes=2)
