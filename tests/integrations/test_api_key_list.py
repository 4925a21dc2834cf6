"""The key list pages (console and portal): however many keys there are, each can be found (by name, key prefix,
partner or creator) and reached page by page, within the manager's reach only."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.integrations import KeyInput, create_api_key, list_api_keys
from prm_app.platform.access import Role
from tests.factories import actor_for, make_org, make_user


def test_every_key_can_be_found_and_paged_through(session: Session):
    admin = actor_for(make_user(session, Role.ADMIN, full_name="Ada Admin"))
    acme = make_org(session, name="Acme_Partners 100%")
    partner_admin = actor_for(make_user(session, Role.PARTNER_ADMIN, acme, full_name="Pat Partner"))
    program = [create_api_key(session, admin, KeyInput(f"Export {i}", ("deals:read",))) for i in range(230)]
    theirs = create_api_key(session, partner_admin, KeyInput("CRM sync", ("deals:read",)))

    first = list_api_keys(session, admin)
    assert len(first.rows) == 50 and first.more and first.rows[0].id == theirs.id  # newest first
    everything = list_api_keys(session, admin, shown=500)
    assert len(everything.rows) == 231 and not everything.more  # no cut at 200
    assert [r.id for r in list_api_keys(session, admin, "export 7").rows] == sorted(
        (k.id for k in program if k.name.startswith("Export 7")), reverse=True
    )
    found = list_api_keys(session, admin, theirs.secret[4:12].upper()).rows
    assert [r.id for r in found] == [theirs.id], (theirs.secret[:12], [(r.prefix, r.name) for r in found])  # prefix
    assert [r.id for r in list_api_keys(session, admin, "  acme_partners 100% ").rows] == [theirs.id]  # partner
    assert [r.id for r in list_api_keys(session, admin, "pat").rows] == [theirs.id]  # creator
    assert list_api_keys(session, admin, "_").rows == [] or all(
        "_" in (r.name + r.prefix + r.organization + r.created_by) for r in list_api_keys(session, admin, "_").rows
    )  # a wildcard character is only itself
    assert list_api_keys(session, admin, "%").rows == [r for r in list_api_keys(session, admin, "100%").rows]
    # A partner admin sees its organization's keys only, however it searches.
    assert [r.id for r in list_api_keys(session, partner_admin, "export").rows] == []
    assert [r.id for r in list_api_keys(session, partner_admin).rows] == [theirs.id]
