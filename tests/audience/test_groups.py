"""Partner groups and partner facts on SQLite and PostgreSQL: who may change a group, a channel manager's book,
and the facts rules read (tier, languages, groups, certifications from a registered source)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from prm_app.audience import (
    AudienceRule,
    add_partner,
    all_partner_facts,
    audience_options,
    create_group,
    group_detail,
    list_groups,
    partner_facts,
    register_fact_source,
    remove_partner,
    rename_group,
    verdict,
)
from prm_app.audience import facts as facts_module
from prm_app.platform.access import Role
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied
from prm_app.platform.models import AuditLog
from tests.factories import actor_for, make_org, make_tier, make_user


def _world(session):
    silver, gold = make_tier(session, name="Silver", rank=1), make_tier(session, name="Gold", rank=2)
    manager = make_user(session, Role.CHANNEL_MANAGER)
    other_manager = make_user(session, Role.CHANNEL_MANAGER)
    fjord = make_org(session, name="Fjord Managed IT", tier=silver, country="NO", manager=manager)
    cobalt = make_org(
        session, name="Cobalt Systems VAR", tier=gold, country="US", region="North America", manager=other_manager
    )
    return manager, other_manager, fjord, cobalt


def test_a_manager_makes_a_group_and_fills_it_from_their_book(session):
    manager, *_ = _world(session)
    actor = actor_for(manager)
    key = create_group(session, actor, "  Security   Elite ", "Lead with Security Suite")
    assert key == "security-elite"
    assert add_partner(session, actor, key, "fjord managed it") == "Fjord Managed IT"
    with pytest.raises(FormInvalid) as twice:
        add_partner(session, actor, key, "Fjord Managed IT")
    assert twice.value.errors == {"partner": "Fjord Managed IT is already in Security Elite."}
    with pytest.raises(FormInvalid) as outside:  # another manager's partner reads as unknown
        add_partner(session, actor, key, "Cobalt Systems VAR")
    assert outside.value.errors == {"partner": "No partner called Cobalt Systems VAR in your book."}
    detail = group_detail(session, actor, key)
    assert [m.name for m in detail.members] == ["Fjord Managed IT"] and detail.can_manage
    assert [(g.name, g.members) for g in list_groups(session, actor)] == [("Security Elite", 1)]
    assert len(session.exec(select(AuditLog).where(col(AuditLog.action).like("partner_group.%"))).all()) == 2


def test_names_are_unique_and_renaming_keeps_the_key(session):
    manager, *_ = _world(session)
    actor = actor_for(manager)
    key = create_group(session, actor, "EMEA launch")
    with pytest.raises(FormInvalid) as clash:
        create_group(session, actor, "emea LAUNCH")
    assert clash.value.errors == {"name": "There is already a group called emea LAUNCH."}
    with pytest.raises(FormInvalid):
        create_group(session, actor, "   ")
    rename_group(session, actor, key, "EMEA launch 2027", "")
    assert group_detail(session, actor, key).name == "EMEA launch 2027"
    assert create_group(session, actor, "EMEA launch") == "emea-launch-2"  # the old name is free; the key is not


def test_partners_and_execs_cannot_change_groups(session):
    manager, _, fjord, _ = _world(session)
    key = create_group(session, actor_for(manager), "Security Elite")
    partner = actor_for(make_user(session, Role.PARTNER_ADMIN, fjord))
    with pytest.raises(NotFound):
        list_groups(session, partner)
    with pytest.raises(NotFound):
        group_detail(session, partner, key)
    with pytest.raises(PermissionDenied):
        add_partner(session, partner, key, "Fjord Managed IT")
    execs = actor_for(make_user(session, Role.EXEC))
    assert group_detail(session, execs, key).can_manage is False
    with pytest.raises(PermissionDenied):
        create_group(session, execs, "Mine")


def test_removing_checks_membership_and_book(session):
    manager, other, fjord, cobalt = _world(session)
    key = create_group(session, actor_for(manager), "Security Elite")
    add_partner(session, actor_for(manager), key, "Fjord Managed IT")
    with pytest.raises(NotFound):
        remove_partner(session, actor_for(other), key, fjord.id)  # not in their book
    with pytest.raises(NotFound):
        remove_partner(session, actor_for(manager), key, cobalt.id)  # not in the group
    remove_partner(session, actor_for(manager), key, fjord.id)
    assert group_detail(session, actor_for(manager), key).members == ()


def test_facts_and_a_registered_certification_source(session, monkeypatch):
    manager, _, fjord, cobalt = _world(session)
    key = create_group(session, actor_for(manager), "Security Elite")
    add_partner(session, actor_for(manager), key, "Fjord Managed IT")
    monkeypatch.setattr(facts_module, "_SOURCES", {})
    register_fact_source(
        "certifications",
        holders=lambda s, ids: {cobalt.id: frozenset({"sec-pro"})},
        names=lambda s: {"sec-pro": "Security Suite Professional"},
    )
    facts = all_partner_facts(session)
    f = facts[fjord.id]
    assert (f.tier, f.languages, f.groups) == ("Silver", frozenset({"no", "nb", "nn"}), {key})
    assert f.certifications == frozenset()
    assert facts[cobalt.id].certifications == {"sec-pro"} and facts[cobalt.id].languages == {"en"}
    assert f.names.tiers[-2:] == ("Silver", "Gold")
    assert verdict(AudienceRule(min_tier="Gold"), f).locked_from_tier == "Gold"
    assert verdict(AudienceRule(certifications=("sec-pro",)), partner_facts(session, cobalt.id)).visible
    with pytest.raises(NotFound):
        partner_facts(session, 987654)
    options = audience_options(session, actor_for(manager))
    assert [c.label for c in options.certifications] == ["Security Suite Professional"]
    assert [c.value for c in options.groups] == [key]
    with pytest.raises(ValueError):
        register_fact_source("shoe size", holders=lambda s, ids: {}, names=lambda s: {})
