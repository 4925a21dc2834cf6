"""Partner profiles (scoped to the actor) and the internal directory: search, filters, sorting, paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from prm_app.partners import filter_choices
from prm_app.partners.models import Organization
from prm_app.partners.queries import (
    Contact,
    DirectoryEntry,
    DirectoryQuery,
    OrganizationRef,
    directory_filter_options,
    get_my_profile,
    get_partner_profile,
    search_partners,
)
from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound, PermissionDenied, ValidationError
from prm_app.platform.settings import settings
from tests.factories import T0, actor_for, make_org, make_tier, make_user

INTERNAL = [Role.ADMIN, Role.CHANNEL_MANAGER, Role.EXEC]
PARTNER = [Role.PARTNER_ADMIN, Role.PARTNER_USER]


@pytest.fixture
def program(session: Session) -> dict:
    """Five partners whose name, tier, type, region and join date each sort in a different order."""
    tiers = {
        name: make_tier(session, name=name, rank=rank, benefits=benefits)
        for name, rank, benefits in [
            ("Registered", 0, "Portal access"),
            ("Silver", 1, "10% discount\n\nMDF on request\n"),
            ("Gold", 2, "20% discount"),
            ("Platinum", 3, "30% discount"),
        ]
    }
    maya = make_user(session, Role.CHANNEL_MANAGER, full_name="Maya Okafor")
    lars = make_user(session, Role.CHANNEL_MANAGER, full_name="Lars Jensen")
    make_user(session, Role.CHANNEL_MANAGER, full_name="Former Manager", is_active=False)
    specs = [
        # name, tier, type, region, manager, joined (days after T0)
        ("Atlas Value Partners", "Gold", "var", "EMEA", lars, 30),
        ("Bluepeak Resellers", "Silver", "reseller", "North America", maya, 10),
        ("Cobalt Systems", "Platinum", "system_integrator", "APAC", lars, 40),
        ("Delta Cloud MSP", "Registered", "msp", "Latin America", maya, 0),
        ("Echo Distribution", "Silver", "distributor", "EMEA", None, 20),
    ]
    orgs = {
        name: make_org(
            session,
            name=name,
            tier=tiers[tier],
            partner_type=ptype,
            region=region,
            manager=manager,
            joined_at=T0 + timedelta(days=days),
        )
        for name, tier, ptype, region, manager, days in specs
    }
    sub = orgs["Bluepeak Resellers"]
    sub.parent_id = orgs["Echo Distribution"].id
    session.add(sub)
    session.commit()
    return {"tiers": tiers, "maya": maya, "lars": lars, "orgs": orgs, "ranks": {n: tiers[t].rank for n, t, *_ in specs}}


def _internal(session: Session, role: Role = Role.ADMIN):
    return actor_for(make_user(session, role))


def _names(page) -> list[str]:
    return [row.name for row in page.rows]


def test_partner_sees_its_own_profile(session, program):
    bluepeak = program["orgs"]["Bluepeak Resellers"]
    actor = actor_for(make_user(session, Role.PARTNER_USER, bluepeak))

    profile = get_my_profile(session, actor)

    assert (profile.id, profile.name, profile.partner_type, profile.tier) == (
        bluepeak.id,
        "Bluepeak Resellers",
        "reseller",
        "Silver",
    )
    assert profile.tier_benefits == ("10% discount", "MDF on request")
    assert (profile.region, profile.country) == ("North America", "DE")
    assert profile.manager == Contact(name="Maya Okafor", email=program["maya"].email)
    assert profile.parent == OrganizationRef(
        id=program["orgs"]["Echo Distribution"].id, name="Echo Distribution", partner_type="distributor"
    )


def test_distributor_profile_lists_its_sub_partners(session, program):
    echo = program["orgs"]["Echo Distribution"]

    profile = get_partner_profile(session, _internal(session, Role.EXEC), echo.id)

    assert profile.sub_partners == (
        OrganizationRef(
            id=program["orgs"]["Bluepeak Resellers"].id, name="Bluepeak Resellers", partner_type="reseller"
        ),
    )
    assert profile.manager is None


@pytest.mark.parametrize("role", PARTNER)
def test_partner_asking_for_another_orgs_profile_gets_not_found(session, program, role):
    actor = actor_for(make_user(session, role, program["orgs"]["Atlas Value Partners"]))
    other = program["orgs"]["Cobalt Systems"]

    with pytest.raises(NotFound) as existing:
        get_partner_profile(session, actor, other.id)
    with pytest.raises(NotFound) as missing:
        get_partner_profile(session, actor, other.id + 1000)
    assert existing.value.message == missing.value.message


def test_internal_user_has_no_own_profile(session, program):
    with pytest.raises(NotFound):
        get_my_profile(session, _internal(session))


@pytest.mark.parametrize("role", PARTNER)
def test_partners_cannot_use_the_directory(session, program, role):
    actor = actor_for(make_user(session, role, program["orgs"]["Atlas Value Partners"]))

    with pytest.raises(PermissionDenied):
        search_partners(session, actor, DirectoryQuery())
    with pytest.raises(PermissionDenied):
        directory_filter_options(session, actor)


@pytest.mark.parametrize("role", INTERNAL)
def test_internal_roles_can_search_every_partner(session, program, role):
    page = search_partners(session, _internal(session, role), DirectoryQuery())

    assert sorted(_names(page)) == sorted(program["orgs"])
    assert (page.total, page.page, page.pages) == (5, 1, 1)
    atlas = next(row for row in page.rows if row.name == "Atlas Value Partners")
    assert atlas == DirectoryEntry(
        id=program["orgs"]["Atlas Value Partners"].id,
        name="Atlas Value Partners",
        partner_type="var",
        tier="Gold",
        region="EMEA",
        country="DE",
        manager="Lars Jensen",
    )


def test_directory_options_list_tiers_by_rank_and_active_managers(session, program):
    options = filter_choices(directory_filter_options(session, actor_for(program["maya"])))

    assert [t.label for t in options["tiers"]] == ["Registered", "Silver", "Gold", "Platinum"]
    assert [t.value for t in options["tiers"]] == [str(t.id) for t in program["tiers"].values()]
    # Sorted by name; the deactivated manager is not offered.
    assert [m.label for m in options["managers"]] == ["Lars Jensen", "Maya Okafor"]
    assert len(options["types"]) == 8


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("CLOUD", ["Delta Cloud MSP"]),
        ("aL", ["Atlas Value Partners", "Cobalt Systems"]),
        ("  res ", ["Bluepeak Resellers"]),
        ("partners", ["Atlas Value Partners"]),
    ],
)
def test_search_is_a_case_insensitive_substring(session, program, search, expected):
    page = search_partners(session, _internal(session), DirectoryQuery(search=search))

    assert _names(page) == expected
    assert page.total == len(expected)


def test_search_treats_percent_and_underscore_literally(session, program):
    for name in ["100% Channel", "1000 Channel", "A_B Systems", "AxB Systems"]:
        make_org(session, name=name)
    session.commit()
    admin = _internal(session)

    assert _names(search_partners(session, admin, DirectoryQuery(search="0%"))) == ["100% Channel"]
    assert _names(search_partners(session, admin, DirectoryQuery(search="a_b"))) == ["A_B Systems"]
    assert search_partners(session, admin, DirectoryQuery(search="%")).total == 1
    assert search_partners(session, admin, DirectoryQuery(search="_")).total == 1


def test_filters_by_type_tier_region_and_manager(session, program):
    admin = _internal(session)
    tiers, maya, lars = program["tiers"], program["maya"], program["lars"]

    def names(**filters) -> list[str]:
        return _names(search_partners(session, admin, DirectoryQuery(**filters)))

    assert names(partner_type="msp") == ["Delta Cloud MSP"]
    assert names(tier_id=tiers["Silver"].id) == ["Bluepeak Resellers", "Echo Distribution"]
    assert names(region="EMEA") == ["Atlas Value Partners", "Echo Distribution"]
    assert names(manager_id=maya.id) == ["Bluepeak Resellers", "Delta Cloud MSP"]
    assert names(manager_id=lars.id, region="APAC") == ["Cobalt Systems"]
    assert names(manager_id=lars.id, tier_id=tiers["Silver"].id) == []


@pytest.mark.parametrize("sort", ["name", "tier", "type", "region", "joined"])
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_each_key(session, program, sort, descending):
    orgs, ranks = program["orgs"], program["ranks"]
    key = {
        "name": lambda o: o.name_lower,
        "tier": lambda o: ranks[o.name],
        "type": lambda o: o.partner_type,
        "region": lambda o: o.region,
        "joined": lambda o: o.joined_at,
    }[sort]
    # Ties (two Silver, two EMEA) fall back to the name, ascending, whichever way the key goes.
    by_name = sorted(orgs.values(), key=lambda o: o.name_lower)
    expected = sorted(by_name, key=key, reverse=descending)
    if sort != "name":  # the fixture is built so that every key gives its own order
        assert expected not in (by_name, by_name[::-1])

    page = search_partners(session, _internal(session), DirectoryQuery(sort=sort, descending=descending))

    assert _names(page) == [o.name for o in expected]


def test_unknown_sort_is_refused(session, program):
    with pytest.raises(ValidationError) as err:
        search_partners(session, _internal(session), DirectoryQuery(sort="password_hash"))
    assert err.value.field == "sort"


def test_paging_uses_the_page_size_and_clamps_the_page(session, program):
    size = settings.page_size
    assert size == 25
    tier = program["tiers"]["Gold"]
    for i in range(size + 3):  # 28 more, 33 in all
        make_org(session, name=f"Paged Partner {i:02d}", tier=tier)
    session.commit()
    admin = _internal(session)
    total = size + 3 + len(program["orgs"])

    first = search_partners(session, admin, DirectoryQuery(page=1))
    second = search_partners(session, admin, DirectoryQuery(page=2))

    assert (first.total, first.pages, len(first.rows)) == (total, 2, size)
    assert (second.page, len(second.rows)) == (2, total - size)
    assert set(_names(first)).isdisjoint(_names(second))
    assert set(_names(first)) | set(_names(second)) == set(session.exec(select(Organization.name)).all())
    assert search_partners(session, admin, DirectoryQuery(page=99)).page == 2
    assert _names(search_partners(session, admin, DirectoryQuery(page=99))) == _names(second)
    assert search_partners(session, admin, DirectoryQuery(page=-3)).page == 1


def test_an_empty_result_is_one_empty_page(session, program):
    page = search_partners(session, _internal(session), DirectoryQuery(search="no such partner", page=4))

    assert (page.rows, page.total, page.page, page.pages) == ((), 0, 1, 1)
