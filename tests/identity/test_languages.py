"""A person's language: taken once from the browser at sign-in, changed only by the person, English otherwise."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from prm_app.identity import adopt_browser_language, my_language, set_my_language
from prm_app.platform.access import Actor, Role
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from tests.factories import actor_for, make_user


def test_someone_whose_language_is_not_known_reads_english(session):
    me = actor_for(make_user(session))

    assert my_language(session, me) == "en"
    assert my_language(session, Actor.system("Expiry")) == "en"


def test_the_browsers_language_is_kept_once_and_never_overwrites_a_choice(session):
    user = make_user(session)

    assert adopt_browser_language(session, user.id, "de-CH,de;q=0.9,en;q=0.8") is True
    assert adopt_browser_language(session, user.id, "fr-FR,fr;q=0.9") is False  # a later browser elsewhere
    assert user.language == "de"
    assert my_language(session, actor_for(user)) == "de"


@pytest.mark.parametrize("header", ["", "pl-PL,pl;q=0.9", "*", "x" * 600])
def test_a_browser_naming_no_shipped_language_changes_nothing(session, header):
    user = make_user(session)

    assert adopt_browser_language(session, user.id, header) is False
    assert user.language == ""


def test_the_person_changes_their_language_with_an_audit_entry(session):
    user = make_user(session)
    me = actor_for(user)
    adopt_browser_language(session, user.id, "en-US")

    assert set_my_language(session, me, " ja ") == "ja"
    assert set_my_language(session, me, "ja") == "ja"  # no change, no second entry

    rows = session.exec(select(AuditLog).where(AuditLog.action == "user.language")).all()
    assert [json.loads(r.summary) for r in rows] == [{"before": "en", "after": "ja"}]
    assert rows[0].record_id == user.id


@pytest.mark.parametrize("code", ["", "pl", "DE", "de-DE", "../en", "x" * 300])
def test_a_language_we_do_not_ship_is_refused_beside_the_field_and_nothing_changes(session, code):
    user = make_user(session)
    set_my_language(session, actor_for(user), "fr")

    with pytest.raises(ValidationError) as refused:
        set_my_language(session, actor_for(user), code)

    assert refused.value.field == "language"
    assert user.language == "fr"


def test_only_a_signed_in_person_has_a_language_to_set(session):
    with pytest.raises(PermissionDenied):
        set_my_language(session, Actor.system("Expiry"), "de")
    gone = make_user(session, role=Role.PARTNER_USER)
    gone.is_active = False
    with pytest.raises(PermissionDenied):
        set_my_language(session, actor_for(gone), "de")
