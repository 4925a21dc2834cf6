"""A person's own profile (name, title, phone): the rules on plain text, and the use case on the actor's own row,
audited with what changed."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from prm_app.identity.models import User
from prm_app.identity.profile import my_profile, update_my_profile
from prm_app.identity.rules import ProfileFields, check_profile
from prm_app.platform.access import Actor
from prm_app.platform.errors import FormInvalid, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from tests.factories import actor_for, make_user


# ------------------------------------------------------------------------------------------------ rules
def test_a_profile_is_trimmed_to_one_line_and_title_and_phone_may_be_empty():
    assert check_profile("  Dana   Scully ", " Channel\tlead ", " +1 (415)  555-0100 ") == ProfileFields(
        full_name="Dana Scully", title="Channel lead", phone="+1 (415) 555-0100"
    )
    assert check_profile("Dana", "", "   ") == ProfileFields(full_name="Dana", title="", phone="")
    assert check_profile("Dana", "t" * 120, "12.34.56").title == "t" * 120


@pytest.mark.parametrize(
    "phone",
    ["12345", "1" * 31, "+44 20 7946 0958 ext 2", "call me", "0800-FLOWERS", "((((((", "+1 (2) 3-4", "12\n34;56"],
)
def test_a_phone_is_6_to_30_digits_spaces_or_plus_minus_brackets_dots(phone):
    with pytest.raises(FormInvalid) as refused:
        check_profile("Dana", "", phone)
    assert set(refused.value.errors) == {"phone"}


@pytest.mark.parametrize("phone", ["123456", "1" * 30, "+351 21 123 4567", "(0)20.7946.0958", "+1-415-555-0100"])
def test_a_phone_within_the_rules_is_kept(phone):
    assert check_profile("Dana", "", phone).phone == phone


def test_every_bad_field_is_named_at_once():
    with pytest.raises(FormInvalid) as refused:
        check_profile("   ", "x" * 121, "abc")
    assert refused.value.errors == {
        "full_name": "Enter your name.",
        "title": "Keep the title under 120 characters.",
        "phone": "Enter a phone number of 6 to 30 digits, spaces or + - ( ) . such as +1 415 555 0100.",
    }
    with pytest.raises(FormInvalid) as refused:
        check_profile("n" * 121, "", "")
    assert refused.value.errors == {"full_name": "Keep the name under 120 characters."}


# ------------------------------------------------------------------------------------------------ use case
def _audits(session) -> list[dict]:
    rows = session.exec(select(AuditLog).where(AuditLog.action == "user.profile_changed").order_by(AuditLog.id)).all()
    return [json.loads(r.summary) for r in rows]


def test_a_person_edits_their_own_profile_and_the_change_is_audited(session):
    user = make_user(session, email="dana@example.com", full_name="Dana")
    session.commit()
    actor = actor_for(user)
    assert my_profile(session, actor) == ProfileFields(full_name="Dana", title="", phone="")

    saved = update_my_profile(session, actor, "  Dana   Scully ", "Alliances lead", "+1 415 555 0100")
    session.commit()
    assert saved == ProfileFields(full_name="Dana Scully", title="Alliances lead", phone="+1 415 555 0100")
    stored = session.get(User, user.id, populate_existing=True)
    assert stored is not None and (stored.full_name, stored.title, stored.phone) == (
        "Dana Scully",
        "Alliances lead",
        "+1 415 555 0100",
    )
    assert my_profile(session, actor) == saved
    assert _audits(session) == [
        {
            "before": {"full_name": "Dana", "phone": "", "title": ""},
            "after": {"full_name": "Dana Scully", "phone": "+1 415 555 0100", "title": "Alliances lead"},
        }
    ]

    # Saving the same again writes nothing; clearing the phone records only the phone.
    update_my_profile(session, actor, "Dana Scully", "Alliances lead", "+1 415 555 0100")
    update_my_profile(session, actor, "Dana Scully", "Alliances lead", "")
    session.commit()
    assert _audits(session)[1:] == [{"before": {"phone": "+1 415 555 0100"}, "after": {"phone": ""}}]


def test_a_bad_field_writes_nothing(session):
    user = make_user(session, email="dana@example.com", full_name="Dana")
    session.commit()
    with pytest.raises(ValidationError) as refused:
        update_my_profile(session, actor_for(user), "Dana Scully", "Lead", "not a phone")
    assert refused.value.field == "phone"
    session.commit()
    stored = session.get(User, user.id, populate_existing=True)
    assert stored is not None and (stored.full_name, stored.title, stored.phone) == ("Dana", "", "")
    assert _audits(session) == []


def test_only_the_actors_own_active_user_is_changed(session):
    dana = make_user(session, email="dana@example.com", full_name="Dana")
    other = make_user(session, email="other@example.com", full_name="Other")
    gone = make_user(session, email="gone@example.com", full_name="Gone", is_active=False)
    session.commit()
    update_my_profile(session, actor_for(dana), "Dana", "", "123456")
    session.commit()
    assert session.get(User, other.id, populate_existing=True).phone == ""  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        update_my_profile(session, actor_for(gone), "Gone", "", "")
    with pytest.raises(PermissionDenied):
        update_my_profile(session, Actor.system("job"), "Robot", "", "")
    with pytest.raises(PermissionDenied):
        my_profile(session, Actor.system("job"))
