"""Allocating a budget by tier share: each partner whose tier gives an `mdf_share` is suggested that percentage of
the whole budget; the edited amounts are allocated together, all or nothing, and never past the budget (also when
two managers allocate at once, on both databases)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import Session

from prm_app.incentives import create_budget
from prm_app.incentives.ledger import budget_allocated
from prm_app.incentives.mdf_rules import suggested_allocation
from prm_app.incentives.mdf_share import allocate_shares, share_sheet
from prm_app.partners import benefits
from prm_app.platform.errors import FormInvalid, PermissionDenied
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.incentives.world import make_world

TODAY = date.today()


@pytest.fixture
def shares(monkeypatch):
    """The tier benefits as tiering supplies them, per organization: {org_id: "5"}."""
    given: dict[int, str] = {}
    monkeypatch.setattr(
        benefits, "_readers", [lambda _s, org_id, _day: {"mdf_share": given[org_id]} if org_id in given else {}]
    )
    return given


def _budget(session, w, amount="100000"):
    return create_budget(session, w.admin, "FY27 Q2 MDF", str(TODAY), str(TODAY + timedelta(days=90)), "USD", amount)


@pytest.mark.pure
def test_the_suggestion_is_the_tier_share_of_the_whole_budget_at_the_minor_unit():
    assert suggested_allocation(D("100000"), D("5"), "USD") == D("5000.00")
    assert suggested_allocation(D("12345"), D("12.5"), "JPY") == D("1543")  # 1543.125 half-even
    assert suggested_allocation(D("100"), D("0"), "USD") == D("0")


def test_partners_with_a_tier_share_are_suggested_it_and_others_are_left_out(session: Session, shares):
    w = make_world(session)
    shares[w.org.id] = "5"
    shares[w.other_partner.organization_id] = "10 %"
    budget_id = _budget(session, w)
    sheet = share_sheet(session, w.admin, budget_id, day=TODAY)
    got = {r.organization_id: (r.share_pct, r.suggested) for r in sheet.rows}
    assert got == {w.org.id: (D(5), D("5000.00")), w.other_partner.organization_id: (D(10), D("10000.00"))}
    assert sheet.free == D("100000.00")
    with pytest.raises(PermissionDenied):
        share_sheet(session, w.manager, budget_id, day=TODAY)


def test_the_edited_amounts_are_allocated_together_and_never_past_the_budget(session: Session, shares):
    w = make_world(session)
    other = w.other_partner.organization_id
    budget_id = _budget(session, w, "10000")
    assert (
        allocate_shares(session, w.admin, budget_id, {w.org.id: "6000", other: "", 999: "0"}, idempotency_key="k1") == 1
    )
    with pytest.raises(FormInvalid) as wrong:
        allocate_shares(session, w.admin, budget_id, {other: "abc"}, idempotency_key="k2")
    assert f"amount_{other}" in wrong.value.errors
    with pytest.raises(FormInvalid) as over:
        allocate_shares(session, w.admin, budget_id, {w.org.id: "1000", other: "3500"}, idempotency_key="k3")
    assert over.value.errors["total"].endswith("allocate 4,000.00 USD or less.")
    assert allocate_shares(session, w.admin, budget_id, {w.org.id: "6000"}, idempotency_key="k1") == 1  # a retry
    assert budget_allocated(session, budget_id) == D("6000.00")
    sheet = share_sheet(session, w.admin, budget_id, day=TODAY)
    assert sheet.free == D("4000.00")


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_managers_allocating_the_last_of_a_budget_at_once_succeed_once(backend, tmp_path, shares):
    with shared_database(backend, tmp_path, "share_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            budget_id = _budget(session, w, "10000")
            session.commit()
        orgs = (w.org.id, w.other_partner.organization_id)
        results = race(
            engine,
            *(
                lambda s, o=o: allocate_shares(s, w.admin, budget_id, {o: "7000"}, idempotency_key=f"r{o}")
                for o in orgs
            ),
        )
        assert sum(r == 1 for r in results) == 1, results
        assert any(isinstance(r, FormInvalid) for r in results), results
        with Session(engine) as session:
            assert budget_allocated(session, budget_id) == D("7000.00")
