"""A person's time zone: taken once from the browser at sign-in, changed only by the person, read by every page."""

from __future__ import annotations

import json
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from prm_app.identity import adopt_browser_zone, my_time_zone, set_my_time_zone, viewer_zone, with_zone
from prm_app.identity.ui.login import missing_fields
from prm_app.platform.access import Actor, Role
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from tests.factories import actor_for, make_user


def test_someone_whose_zone_is_not_known_reads_utc(session):
    me = actor_for(make_user(session))

    assert my_time_zone(session, me) == ""
    assert viewer_zone(session, me) is UTC
    assert viewer_zone(session, Actor.system("Expiry")) is UTC


def test_the_browsers_zone_is_kept_once_and_never_overwrites_a_choice(session):
    user = make_user(session)

    assert adopt_browser_zone(session, user.id, "Asia/Calcutta") is True  # what Chrome reports in India
    assert adopt_browser_zone(session, user.id, "Europe/Lisbon") is False  # a later browser elsewhere
    assert user.time_zone == "Asia/Kolkata"
    assert viewer_zone(session, actor_for(user)) == ZoneInfo("Asia/Kolkata")


@pytest.mark.parametrize("reported", ["", "Mars/Olympus", "../../etc/localtime", "x" * 300])
def test_a_zone_the_tz_database_does_not_know_is_ignored_at_sign_in(session, reported):
    user = make_user(session)

    assert adopt_browser_zone(session, user.id, reported) is False
    assert user.time_zone == ""


def test_the_person_changes_their_zone_with_an_audit_entry(session):
    user = make_user(session)
    me = actor_for(user)
    adopt_browser_zone(session, user.id, "Europe/Lisbon")

    assert set_my_time_zone(session, me, " America/New_York ") == "America/New_York"
    assert set_my_time_zone(session, me, "America/New_York") == "America/New_York"  # no change, no second entry

    rows = session.exec(select(AuditLog).where(AuditLog.action == "user.time_zone")).all()
    assert [json.loads(r.summary) for r in rows] == [{"before": "Europe/Lisbon", "after": "America/New_York"}]
    assert rows[0].record_id == user.id


def test_an_unknown_zone_is_refused_beside_the_field_and_nothing_changes(session):
    user = make_user(session)
    adopt_browser_zone(session, user.id, "Europe/Lisbon")

    with pytest.raises(ValidationError) as refused:
        set_my_time_zone(session, actor_for(user), "Europe/Atlantis")

    assert (refused.value.field, refused.value.message) == ("time_zone", "Choose a time zone from the list.")
    assert user.time_zone == "Europe/Lisbon"


def test_only_an_active_person_sets_a_zone(session):
    gone = make_user(session, is_active=False)

    with pytest.raises(PermissionDenied):
        set_my_time_zone(session, actor_for(gone), "Europe/Lisbon")
    with pytest.raises(PermissionDenied):
        set_my_time_zone(session, Actor(user_id=None, role=Role.SYSTEM, organization_id=None), "Europe/Lisbon")


def test_a_page_gets_its_rows_and_the_viewers_zone_in_one_unit_of_work(session):
    user = make_user(session)
    adopt_browser_zone(session, user.id, "Asia/Tokyo")

    result, zone = with_zone(session, actor_for(user), lambda _s, actor, n: (actor.user_id, n), 3)

    assert (result, zone) == ((user.id, 3), ZoneInfo("Asia/Tokyo"))


def test_an_empty_sign_in_says_what_is_missing():
    assert missing_fields("", "") == {"email": "Enter your email address.", "password": "Enter your password."}
    assert missing_fields("  ", "secret") == {"email": "Enter your email address."}
    assert missing_fields("a@b.example", "") == {"password": "Enter your password."}
    assert missing_fields("a@b.example", " ") == {}  # a password may be anything, spaces included
