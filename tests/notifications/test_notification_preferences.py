"""Each person chooses which events they also get by email (rules: defaults, subjects, links; service: own
choices only, audited, unknown kinds ignored)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from prm_app.notifications import my_email_choices, set_email_choices
from prm_app.notifications.models import NotificationPreference
from prm_app.notifications.rules import (
    EMAIL_EVENTS,
    SUBJECT_LENGTH,
    absolute_link,
    email_choices,
    email_subject,
    wants_email,
)
from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound, PermissionDenied
from prm_app.platform.models import AuditLog
from tests.factories import T0, actor_for, make_org, make_user


# -- rules ---------------------------------------------------------------------------------------------------------
def test_defaults_email_what_asks_for_action_and_keep_mere_news_in_the_app():
    defaults = {e.kind: e.email_by_default for e in EMAIL_EVENTS}
    assert defaults == {
        "lead_offered": True,
        "lead_offer_expiring": True,
        "deal_approved": True,
        "deal_rejected": True,
        "deal_info_requested": True,
        "protection_ending": True,
        "deal_expired": False,
        "nps_survey": True,
    }


def test_a_choice_wins_over_the_default_and_unknown_kinds_are_never_emailed():
    assert wants_email("lead_offered", None) is True
    assert wants_email("lead_offered", False) is False
    assert wants_email("deal_expired", True) is True
    assert wants_email("mark_all_read", True) is False
    assert email_choices({"lead_offered": False})["lead_offered"] is False
    assert email_choices({})["nps_survey"] is True


def test_subjects_are_one_line_cut_on_a_word():
    assert email_subject("Registration for Hooli\napproved.") == "Registration for Hooli approved."
    long = "word " * 60
    cut = email_subject(long)
    assert len(cut) <= SUBJECT_LENGTH and cut.endswith("word…")


def test_links_are_absolute_on_this_site_only():
    assert absolute_link("https://prm.example/", "/deals/4", "/portal") == "https://prm.example/deals/4"
    for foreign in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""):
        assert absolute_link("https://prm.example", foreign, "/portal/notifications") == (
            "https://prm.example/portal/notifications"
        )


# -- the use cases -------------------------------------------------------------------------------------------------
def test_a_person_sees_the_defaults_then_their_own_choices(session: Session):
    org = make_org(session)
    ann, bob = (actor_for(make_user(session, role, org)) for role in (Role.PARTNER_ADMIN, Role.PARTNER_USER))
    session.commit()
    assert {c.kind: c.email for c in my_email_choices(session, ann)} == {
        e.kind: e.email_by_default for e in EMAIL_EVENTS
    }

    saved = set_email_choices(session, ann, ["lead_offered", "deal_expired", "not_a_kind"], now=T0)
    session.commit()
    assert {c.kind for c in saved if c.email} == {"lead_offered", "deal_expired"}
    assert {c.kind for c in my_email_choices(session, ann) if c.email} == {"lead_offered", "deal_expired"}
    assert session.exec(select(NotificationPreference).where(NotificationPreference.kind == "not_a_kind")).all() == []
    # A colleague's choices are their own.
    assert all(c.email == c.default for c in my_email_choices(session, bob))


def test_saving_is_audited_with_what_changed_and_saving_again_changes_nothing(session: Session):
    person = actor_for(make_user(session, Role.PARTNER_USER, make_org(session)))
    session.commit()
    everything_but_surveys = [e.kind for e in EMAIL_EVENTS if e.kind != "nps_survey"]
    set_email_choices(session, person, everything_but_surveys, now=T0)
    session.commit()
    (entry,) = session.exec(select(AuditLog).where(AuditLog.action == "notification_preferences.update")).all()
    assert entry.actor_user_id == person.user_id
    assert "nps_survey" in str(entry.summary) and "lead_offered" not in str(entry.summary)
    set_email_choices(session, person, everything_but_surveys, now=T0)
    session.commit()
    assert len(session.exec(select(AuditLog).where(AuditLog.action == "notification_preferences.update")).all()) == 1


def test_the_vendors_people_have_no_notification_settings(session: Session):
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    session.commit()
    with pytest.raises((NotFound, PermissionDenied)):
        my_email_choices(session, manager)
    with pytest.raises((NotFound, PermissionDenied)):
        set_email_choices(session, manager, ["lead_offered"])
