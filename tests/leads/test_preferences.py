"""A partner's lead preferences (its routing profile): read by its people, changed by its admins only, every field
checked before anything is written, audited, and read by routing (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from prm_app.leads.models import RoutingProfile
from prm_app.leads.preferences import (
    my_lead_preferences,
    parse_capacity,
    parse_countries,
    update_lead_preferences,
)
from prm_app.leads.routing_inputs import partner_candidates
from prm_app.platform.access import Role
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from tests.factories import T0, actor_for, make_user
from tests.leads.factories import make_partner


def test_countries_are_read_from_names_and_codes_without_repeats():
    assert parse_countries("DE, france; usa\nUS") == ("DE", "FR", "US")


@pytest.mark.parametrize(("text", "says"), [("", "at least one"), (" , ", "at least one"), ("Atlantis", "Atlantis")])
def test_countries_that_are_not_countries_are_named(text, says):
    with pytest.raises(ValidationError) as refused:
        parse_countries(text)
    assert says in refused.value.message and refused.value.field == "countries"


@pytest.mark.parametrize("text", ["-1", "1001", "ten", "", "2.5"])
def test_capacity_is_a_whole_number_up_to_1000(text):
    with pytest.raises(ValidationError):
        parse_capacity(text)
    assert parse_capacity(" 25 ") == 25 and parse_capacity("0") == 0


def test_an_admin_changes_them_routing_reads_them_and_the_audit_keeps_both(session):
    org = make_partner(session, "Alpha Resellers", countries="US", verticals="retail", capacity=10)
    admin = actor_for(make_user(session, Role.PARTNER_ADMIN, org))
    session.commit()

    saved = update_lead_preferences(session, admin, "Germany, AT", ["healthcare", "education"], "40", True)
    session.commit()

    assert (saved.countries, saved.verticals, saved.monthly_capacity) == (("DE", "AT"), ("healthcare", "education"), 40)
    assert my_lead_preferences(session, admin) == saved
    candidate = next(c for c in partner_candidates(session, T0) if c.partner_id == org.id)
    assert candidate.countries == {"DE", "AT"} and candidate.capacity == 40
    assert candidate.verticals == {"healthcare", "education"}
    entry = json.loads(
        session.exec(select(AuditLog.summary).where(AuditLog.action == "lead_preferences_changed")).one()
    )
    assert entry["before"]["countries"] == ["US"] and entry["after"]["countries"] == ["DE", "AT"]


def test_bad_input_changes_nothing(session):
    org = make_partner(session, "Alpha Resellers", countries="US", capacity=10)
    admin = actor_for(make_user(session, Role.PARTNER_ADMIN, org))
    session.commit()

    for args in (("DE", [], "9999", True), ("Narnia", [], "5", True), ("DE", ["astrology"], "5", True)):
        with pytest.raises(ValidationError):
            update_lead_preferences(session, admin, *args)
        session.rollback()
    profile = session.get(RoutingProfile, org.id)
    assert (profile.countries, profile.monthly_capacity) == ("US", 10)


def test_only_the_partners_admins_change_them(session):
    org = make_partner(session, "Alpha Resellers", countries="US")
    user = actor_for(make_user(session, Role.PARTNER_USER, org))
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    session.commit()

    assert my_lead_preferences(session, user).can_edit is False
    for who in (user, manager):
        with pytest.raises(PermissionDenied):
            update_lead_preferences(session, who, "DE", [], "5", True)
    with pytest.raises(PermissionDenied):
        my_lead_preferences(session, manager)  # the vendor's people set up routing elsewhere
