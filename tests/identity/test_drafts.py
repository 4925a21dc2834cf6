"""Form drafts: one person's unsent form, kept per person and form, never shown to anyone else nor inside another
organization, bounded in size, and gone once discarded (on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from prm_app.identity.drafts import MAX_FIELDS, MAX_VALUE, clean_fields, discard_form_draft, form_draft, save_form_draft
from prm_app.platform.access import Role
from prm_app.platform.errors import ValidationError
from tests.factories import T0, actor_for, make_user


@pytest.fixture
def two(session):
    kim = make_user(session, Role.PARTNER_USER)
    lee = make_user(session, Role.PARTNER_USER)
    session.commit()
    return actor_for(kim), actor_for(lee)


def test_a_draft_is_kept_replaced_and_discarded(session, two):
    kim, lee = two
    save_form_draft(session, kim, "deal:new", {"customer_name": "Acme", "product_3": "on"}, now=T0)
    session.commit()
    draft = form_draft(session, kim, "deal:new")
    assert draft is not None and draft.fields == {"customer_name": "Acme", "product_3": "on"} and draft.saved_at == T0

    save_form_draft(session, kim, "deal:new", {"customer_name": "Acme Corp"}, now=T0 + timedelta(minutes=1))
    session.commit()
    assert form_draft(session, kim, "deal:new").fields == {"customer_name": "Acme Corp"}
    assert form_draft(session, kim, "deal:lead:7") is None  # another form of the same person
    assert form_draft(session, lee, "deal:new") is None  # nobody else's

    assert discard_form_draft(session, kim, "deal:new") is True
    session.commit()
    assert form_draft(session, kim, "deal:new") is None
    assert discard_form_draft(session, kim, "deal:new") is False


def test_a_draft_typed_in_another_organization_is_not_shown(session, two):
    kim, _ = two
    save_form_draft(session, kim, "deal:new", {"customer_name": "Acme"})
    session.commit()
    assert form_draft(session, replace(kim, organization_id=(kim.organization_id or 0) + 1000), "deal:new") is None


def test_what_a_draft_may_hold_is_bounded():
    kept = clean_fields({f"f{i}": "x" * (MAX_VALUE + 10) for i in range(MAX_FIELDS + 5)})
    assert len(kept) == MAX_FIELDS and all(len(v) == MAX_VALUE for v in kept.values())
    assert clean_fields({"a": {"nested": 1}, "b": [1], "c": None, "d": 5, 7: "x"}) == {"c": "", "d": "5"}


def test_a_form_key_must_be_short(session, two):
    with pytest.raises(ValidationError):
        save_form_draft(session, two[0], "x" * 61, {})
