"""The distribution hierarchy: no loops (A→B→A, longer ones, judged on the days they would exist), effective dates,
and the channel team's use cases that keep it (with parent_id kept in step for the older readers)."""

from __future__ import annotations

from datetime import date

import pytest

from prm_app.partners import (
    Organization,
    PartnerType,
    add_relation,
    current_children,
    current_parents,
    end_relation,
    partner_relations,
)
from prm_app.partners.relation_rules import Edge, Period, check_new_relation, cycle_path
from prm_app.platform.access import Role
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from tests.factories import actor_for, make_org, make_user

A, B, C, D = 1, 2, 3, 4
OPEN = Period(date(2026, 1, 1))


def test_a_partner_above_itself_is_a_loop():
    assert cycle_path([], A, A, OPEN) == (A,)
    with pytest.raises(ValidationError, match="above itself"):
        check_new_relation([], A, A, OPEN)


def test_a_b_a_is_refused():
    edges = [Edge(A, B, OPEN)]  # A above B
    assert cycle_path(edges, B, A, OPEN) == (A, B)  # B above A would close A→B→A
    with pytest.raises(ValidationError, match="loop") as exc:
        check_new_relation(edges, B, A, OPEN)
    assert exc.value.field == "parent_id"


def test_a_longer_loop_is_refused_and_a_tree_is_not():
    edges = [Edge(A, B, OPEN), Edge(B, C, OPEN), Edge(C, D, OPEN)]
    assert cycle_path(edges, D, A, OPEN) == (A, B, C, D)
    assert cycle_path(edges, A, D, OPEN) is None  # a second route down is no loop
    check_new_relation(edges, A, D, OPEN)
    check_new_relation(edges, B, D, OPEN)


def test_loops_are_judged_on_the_days_they_would_exist():
    y26 = Period(date(2026, 1, 1), date(2027, 1, 1))
    y28 = Period(date(2028, 1, 1))
    edges = [Edge(A, B, y26)]
    assert cycle_path(edges, B, A, y28) is None  # B above A only after A stopped being above B
    assert cycle_path(edges, B, A, Period(date(2026, 6, 1))) == (A, B)  # overlapping periods
    # A chain whose links never hold on one same day is no loop: A→B in 2026, B→C in 2028, then C above A.
    edges = [Edge(A, B, y26), Edge(B, C, y28)]
    assert cycle_path(edges, C, A, OPEN) is None
    edges = [Edge(A, B, OPEN), Edge(B, C, y28)]
    assert cycle_path(edges, C, A, Period(date(2026, 1, 1), date(2028, 1, 1))) is None
    assert cycle_path(edges, C, A, Period(date(2026, 1, 1), date(2028, 1, 2))) == (A, B, C)


def test_the_same_pair_twice_on_overlapping_days_is_refused():
    edges = [Edge(A, B, Period(date(2026, 1, 1), date(2026, 6, 1)))]
    with pytest.raises(ValidationError, match="already related"):
        check_new_relation(edges, A, B, Period(date(2026, 5, 1)))
    check_new_relation(edges, A, B, Period(date(2026, 6, 1)))  # the day it ended: fine
    with pytest.raises(ValidationError, match="after the start"):
        check_new_relation([], A, B, Period(date(2026, 6, 1), date(2026, 6, 1)))


def _world(session):
    manager = make_user(session, Role.CHANNEL_MANAGER)
    dist = make_org(session, name="Dist One", partner_type=PartnerType.DISTRIBUTOR, manager=manager)
    dist2 = make_org(session, name="Dist Two", partner_type=PartnerType.DISTRIBUTOR, manager=manager)
    reseller = make_org(session, name="Resell One", manager=manager)
    return actor_for(manager), dist, dist2, reseller


def test_the_channel_team_adds_and_ends_relations(session):
    actor, dist, dist2, reseller = _world(session)
    today = date.today()
    rid = add_relation(session, actor, reseller.id, str(dist.id), "distributor", today.isoformat())
    add_relation(session, actor, reseller.id, str(dist2.id), "master_agent", today.isoformat())
    assert current_parents(session, reseller.id) == [(dist.id, "Dist One"), (dist2.id, "Dist Two")]
    assert current_children(session, dist.id) == [(reseller.id, "Resell One")]
    assert session.get(Organization, reseller.id).parent_id == dist.id  # kept in step for the profile
    rel = partner_relations(session, actor, reseller.id)
    assert [(r.other_name, r.kind, r.current) for r in rel.above] == [
        ("Dist Two", "master_agent", True),
        ("Dist One", "distributor", True),
    ]
    assert [r.other_name for r in partner_relations(session, actor, dist.id).below] == ["Resell One"]

    end_relation(session, actor, rid)
    assert current_parents(session, reseller.id) == [(dist2.id, "Dist Two")]
    assert session.get(Organization, reseller.id).parent_id is None  # no current distributor (a master agent only)
    with pytest.raises(ValidationError, match="already ended"):
        end_relation(session, actor, rid)


def test_a_loop_through_the_database_is_refused_next_to_its_field(session):
    actor, dist, dist2, _ = _world(session)
    add_relation(session, actor, dist2.id, str(dist.id), "distributor", "2026-01-01")
    with pytest.raises(FormInvalid) as exc:
        add_relation(session, actor, dist.id, str(dist2.id), "distributor", "2026-03-01")
    assert "loop" in exc.value.errors["parent_id"]


def test_bad_input_is_named_per_field(session):
    actor, dist, _, reseller = _world(session)
    with pytest.raises(FormInvalid) as exc:
        add_relation(session, actor, reseller.id, "", "boss", "tomorrow")
    assert set(exc.value.errors) == {"parent_id", "kind", "valid_from"}
    with pytest.raises(FormInvalid) as exc:
        add_relation(session, actor, dist.id, str(reseller.id), "distributor", "2026-01-01")
    assert exc.value.errors == {"parent_id": "Resell One is not a distributor."}


def test_partners_and_other_books_cannot_change_the_hierarchy(session):
    _, dist, _, reseller = _world(session)
    partner = actor_for(make_user(session, Role.PARTNER_ADMIN, org=reseller))
    with pytest.raises(NotFound):
        add_relation(session, partner, reseller.id, str(dist.id), "distributor", "2026-01-01")
    other_manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    with pytest.raises(NotFound):
        add_relation(session, other_manager, reseller.id, str(dist.id), "distributor", "2026-01-01")
    execs = actor_for(make_user(session, Role.EXEC))
    with pytest.raises(PermissionDenied):
        add_relation(session, execs, reseller.id, str(dist.id), "distributor", "2026-01-01")
