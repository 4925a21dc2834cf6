"""The organization profile's use cases: only the partner admin of the organization changes it, always their own,
every change audited; the logo is stored by content and served only to those who may read the profile."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from prm_app.partners.logos import NOT_AN_IMAGE, LogoStorage, too_large_message
from prm_app.partners.models import Organization
from prm_app.partners.org_profile import (
    check_org_editor,
    my_org_profile,
    org_logo,
    remove_org_logo,
    set_org_logo,
    update_org_profile,
)
from prm_app.partners.queries import get_partner_profile
from prm_app.partners.rules import OrgProfileInput
from prm_app.platform.access import Role
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from tests.factories import actor_for, make_org, make_user
from tests.partners.test_partner_rules import GOOD, JPEG, PNG


@dataclass(frozen=True)
class Chunk:
    filename: str
    data: bytes


async def _chunks(*parts: tuple[str, bytes]):
    for name, data in parts:
        yield Chunk(name, data)


def receive(storage: LogoStorage, *parts: tuple[str, bytes], max_bytes: int = 1024):
    return asyncio.run(storage.receive(_chunks(*parts), max_bytes=max_bytes))


@pytest.fixture
def people(session: Session) -> dict:
    org = make_org(session, name="Northwind Distribution", country="US", city="Chicago")
    other = make_org(session, name="Bluepeak Resellers")
    found = {
        "admin": make_user(session, Role.PARTNER_ADMIN, org),
        "user": make_user(session, Role.PARTNER_USER, org),
        "stranger": make_user(session, Role.PARTNER_ADMIN, other),
        "manager": make_user(session, Role.CHANNEL_MANAGER),
        "exec": make_user(session, Role.EXEC),
    }
    session.commit()
    return {"org": org, "other": other, **{k: actor_for(u) for k, u in found.items()}}


def _audits(session: Session, action: str) -> list[AuditLog]:
    return list(session.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all())


def test_the_admin_changes_their_own_organization_and_the_audit_keeps_before_and_after(session, people):
    view = update_org_profile(session, people["admin"], GOOD)
    session.commit()
    assert (view.street, view.postal_code, view.city, view.country) == ("Friedrichstraße 12", "10117", "Berlin", "DE")
    assert view.can_edit
    org = session.get(Organization, people["org"].id)
    assert org is not None and org.website == "https://northwind.example" and org.phone == "+49 30 1234 5678"
    [entry] = _audits(session, "organization_profile_changed")
    assert entry.record_id == people["org"].id and entry.actor_user_id == people["admin"].user_id
    summary = json.loads(entry.summary)
    assert summary["before"]["city"] == "Chicago" and summary["after"]["city"] == "Berlin"
    assert summary["before"]["country"] == "US" and summary["after"]["country"] == "DE"

    update_org_profile(session, people["admin"], GOOD)  # nothing changed: nothing to audit
    session.commit()
    assert len(_audits(session, "organization_profile_changed")) == 1
    assert session.get(Organization, people["other"].id).street == ""  # the other organization is untouched


def test_a_bad_form_changes_nothing(session, people):
    with pytest.raises(FormInvalid) as caught:
        update_org_profile(session, people["admin"], OrgProfileInput(**{**GOOD.__dict__, "country": "Atlantis"}))
    assert set(caught.value.errors) == {"country"}
    session.rollback()
    assert session.get(Organization, people["org"].id).city == "Chicago"
    assert _audits(session, "organization_profile_changed") == []


@pytest.mark.parametrize("who", ["user", "manager", "exec"])
def test_only_the_partner_admin_may_change_it(session, people, who):
    with pytest.raises((PermissionDenied, NotFound)):
        update_org_profile(session, people[who], GOOD)
    with pytest.raises((PermissionDenied, NotFound)):
        check_org_editor(session, people[who])
    with pytest.raises((PermissionDenied, NotFound)):
        remove_org_logo(session, people[who])


def test_colleagues_read_it_without_the_right_to_edit(session, people):
    update_org_profile(session, people["admin"], GOOD)
    session.commit()
    view = my_org_profile(session, people["user"])
    assert view.street == "Friedrichstraße 12" and not view.can_edit
    assert my_org_profile(session, people["stranger"]).name == "Bluepeak Resellers"  # their own, never another's
    with pytest.raises(PermissionDenied):
        my_org_profile(session, people["manager"])  # internal users have no portal of their own


def test_the_partner_page_shows_the_address_to_internal_users(session, people):
    update_org_profile(session, people["admin"], GOOD)
    session.commit()
    profile = get_partner_profile(session, people["exec"], people["org"].id)
    assert (profile.street, profile.postal_code, profile.phone) == ("Friedrichstraße 12", "10117", "+49 30 1234 5678")


def test_a_logo_is_stored_served_to_those_who_may_see_it_and_replaced(session, people, tmp_path):
    storage = LogoStorage(tmp_path / "logos")
    first = receive(storage, ("logo.png", PNG[:10]), ("logo.png", PNG[10:] + b"\x00" * 50))
    assert first.content_type == "image/png" and first.size == len(PNG) + 50
    assert set_org_logo(session, people["admin"], first) == ""
    session.commit()
    org_id = people["org"].id
    for who in ("admin", "user", "manager", "exec"):
        assert org_logo(session, people[who], org_id, first.key) == (first.key, "image/png")
    with pytest.raises(NotFound):
        org_logo(session, people["stranger"], org_id, first.key)  # another partner's people
    with pytest.raises(NotFound):
        org_logo(session, people["admin"], org_id, "0" * 32)  # not its current logo

    second = receive(storage, ("photo.jpg", JPEG))
    assert set_org_logo(session, people["admin"], second) == first.key  # the caller deletes the old file
    session.commit()
    with pytest.raises(NotFound):
        org_logo(session, people["user"], org_id, first.key)
    assert my_org_profile(session, people["user"]).logo_key == second.key
    assert remove_org_logo(session, people["admin"]) == second.key
    session.commit()
    with pytest.raises(NotFound):
        org_logo(session, people["user"], org_id, second.key)
    logged = [json.loads(a.summary) for a in _audits(session, "organization_logo_changed")]
    assert [e["after"]["logo"] for e in logged] == [first.key, second.key, None]


def test_an_upload_that_is_no_image_or_too_large_leaves_nothing(tmp_path):
    storage = LogoStorage(tmp_path / "logos")
    with pytest.raises(ValidationError) as caught:
        receive(storage, ("logo.png", b"<svg onload='alert(1)'/>"))
    assert caught.value.message == NOT_AN_IMAGE and caught.value.field == "logo"
    with pytest.raises(ValidationError) as caught:
        receive(storage, ("logo.png", PNG), ("logo.png", b"\x00" * 2000), max_bytes=1024)
    assert caught.value.message == too_large_message(1024)
    with pytest.raises(ValidationError):
        receive(storage, ("a.png", PNG), ("b.png", PNG))  # one image at a time
    with pytest.raises(ValidationError):
        receive(storage)  # nothing chosen
    assert list((tmp_path / "logos").iterdir()) == []


def test_keys_never_become_paths(tmp_path):
    storage = LogoStorage(tmp_path)
    assert storage.path("../../etc/passwd") is None
    assert storage.path("0" * 31 + "/") is None
    assert storage.path("") is None
    storage.delete("../outside")  # ignored, never touches the disk
