"""First to file wins while protected, enforced by the database: two managers approving two overlapping
registrations at the same moment, each in its own session and thread, end with exactly one approved.

Runs on a SQLite file database in WAL mode (the app's own engine) and on PostgreSQL (a private schema), each with
the AppLock row the migration inserts. Several rounds, so a missing lock shows up as a double approval.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, func, select

import prm_app.areas  # noqa: F401  (registers every table)
from prm_app.deals.models import Deal, DealEvent, DealExtension, DealStatus
from prm_app.deals.review import PROTECTION_LOCK, approve_deal, decide_extension, reject_deal, request_more_info
from prm_app.deals.service import request_extension, withdraw_deal
from prm_app.platform.errors import DomainError
from prm_app.platform.models import AppLock
from tests.conftest import SHARED_BACKENDS, private_pg_schema, shared_database
from tests.conftest import race as race_threads
from tests.deals.factories import make_world, register
from tests.deals.test_queued_conflicts import assert_stored_equals_evidence
from tests.factories import T0

ROUNDS = 10
CUSTOMERS = (
    "Vandelay Industries",
    "Initrode",
    "Hooli",
    "Soylent",
    "Cyberdyne",
    "Wonka Confectionery",
    "Oscorp",
    "Gringotts",
    "Duff Brewing",
    "Nakatomi Trading",
)
assert len(CUSTOMERS) >= ROUNDS  # each round a customer unlike the others (earlier winners stay protected)


def _with_lock_row(engine: Engine) -> Engine:
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(AppLock(name=PROTECTION_LOCK, counter=0))
        session.commit()
    return engine


@pytest.fixture(params=SHARED_BACKENDS, ids=["sqlite", "pg"])
def shared_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """One engine that several threads open sessions on, like the app's workers, with the protection lock row."""
    with shared_database(request.param, tmp_path, "race") as engine:
        yield _with_lock_row(engine)


@pytest.fixture
def w(shared_engine: Engine) -> SimpleNamespace:
    with Session(shared_engine, expire_on_commit=False) as session:
        return make_world(session)  # commits; the actors are plain values any session may use


def _outcome(result: object) -> tuple[str, object]:
    if isinstance(result, DomainError):
        return "refused", result.message
    if isinstance(result, Exception):
        return "error", repr(result)
    return "ok", result


def race(engine: Engine, *jobs: Callable[[Session], object]) -> list[tuple[str, object]]:
    """`tests.conftest.race`, each outcome named: ("ok", result), ("refused", DomainError message) or ("error",
    repr of anything else)."""
    return [_outcome(result) for result in race_threads(engine, *jobs)]


def _approved_for(engine: Engine, domain: str) -> list[int]:
    with Session(engine) as session:
        return list(
            session.exec(select(Deal.id).where(Deal.domain == domain, Deal.status == DealStatus.APPROVED)).all()
        )


def _assert_exactly_one_approval(engine: Engine, results: list[tuple[str, object]], domain: str, n: int) -> None:
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["ok", "refused"], f"round {n}: {results}"
    refusal = next(message for kind, message in results if kind == "refused")
    assert str(refusal).startswith("Cannot approve"), f"round {n}: {refusal}"
    assert f"same normalized domain {domain}" in str(refusal)
    assert len(_approved_for(engine, domain)) == 1, f"round {n}: {results}"


def test_two_simultaneous_approvals_of_the_same_customer_grant_protection_once(shared_engine, w):
    token = secrets.token_hex(3)
    for n, customer in enumerate(CUSTOMERS[:ROUNDS]):
        domain = f"{customer.split()[0].lower()}-{token}.com"
        with Session(shared_engine, expire_on_commit=False) as session:
            first = register(session, w.a, w.products, customer_name=customer, customer_site=f"https://{domain}")
            second = register(session, w.b, w.products, customer_name=f"{customer} Inc.", customer_site=f"www.{domain}")
            session.commit()

        results = race(
            shared_engine,
            lambda s, deal_id=first: approve_deal(s, w.manager, deal_id, now=T0),
            lambda s, deal_id=second: approve_deal(s, w.admin, deal_id, now=T0),
        )
        _assert_exactly_one_approval(shared_engine, results, domain, n)

    with Session(shared_engine) as session:
        assert session.exec(select(func.count()).select_from(Deal).where(Deal.status == "approved")).one() == ROUNDS
        # Every committed approval went through the lock (a refused one rolls its increment back).
        assert session.get(AppLock, PROTECTION_LOCK).counter == ROUNDS


def test_simultaneous_registrations_then_simultaneous_approvals(shared_engine, w):
    token = secrets.token_hex(3)
    for n, customer in enumerate(CUSTOMERS[:ROUNDS]):
        domain = f"{customer.split()[0].lower()}-{token}.com"
        registered = race(
            shared_engine,
            lambda s, c=customer, d=domain: register(s, w.a, w.products, customer_name=c, customer_site=d),
            lambda s, c=customer, d=domain: register(s, w.b, w.products, customer_name=c, customer_site=f"shop.{d}"),
        )
        assert [kind for kind, _ in registered] == ["ok", "ok"], f"round {n}: {registered}"
        first, second = (deal_id for _, deal_id in registered)
        with Session(shared_engine) as session:  # each one's stored conflicts include the other, filed at once
            assert_stored_equals_evidence(session, w, T0)

        approvals = race(
            shared_engine,
            lambda s, deal_id=first: approve_deal(s, w.manager, deal_id, now=T0),
            lambda s, deal_id=second: approve_deal(s, w.manager, deal_id, now=T0),
        )
        _assert_exactly_one_approval(shared_engine, approvals, domain, n)
        with Session(shared_engine) as session:
            assert_stored_equals_evidence(session, w, T0)


# ------------------------------------------------------------------------------------------------ one registration,
# two people at once: exactly one outcome, never one overwriting the other


def _submitted(engine: Engine, w: SimpleNamespace, customer: str) -> int:
    with Session(engine, expire_on_commit=False) as session:
        deal_id = register(
            session, w.a, w.products, customer_name=customer, customer_site=f"{secrets.token_hex(4)}.com"
        )
        session.commit()
    return deal_id


def _history(engine: Engine, deal_id: int) -> tuple[str, list[str]]:
    with Session(engine) as session:
        status = session.get(Deal, deal_id).status
        actions = session.exec(select(DealEvent.action).where(DealEvent.deal_id == deal_id).order_by(DealEvent.id))
        return status, [a for a in actions.all() if a not in ("created", "submitted")]  # the decisions


OTHER_DECISIONS = {
    "rejected": lambda w, deal_id: lambda s: reject_deal(s, w.admin, deal_id, "Registered twice.", now=T0),
    "info_requested": lambda w, deal_id: lambda s: request_more_info(s, w.admin, deal_id, "Which products?"),
    "withdrawn": lambda w, deal_id: lambda s: withdraw_deal(s, w.a, deal_id, "Lost interest."),
}


@pytest.mark.parametrize("other", sorted(OTHER_DECISIONS))
def test_a_decision_racing_an_approval_leaves_exactly_one_outcome(shared_engine, w, other):
    for n, customer in enumerate(CUSTOMERS[:5]):
        deal_id = _submitted(shared_engine, w, customer)

        results = race(
            shared_engine,
            lambda s, deal_id=deal_id: approve_deal(s, w.manager, deal_id, now=T0),
            OTHER_DECISIONS[other](w, deal_id),
        )

        assert sorted(kind for kind, _ in results) == ["ok", "refused"], f"round {n}: {results}"
        winner = "approved" if results[0][0] == "ok" else other
        assert _history(shared_engine, deal_id) == (winner, [winner]), f"round {n}: {results}"


def test_two_managers_deciding_one_extension_lengthen_protection_once(shared_engine, w):
    deal_id = _submitted(shared_engine, w, "Stark Industries")
    with Session(shared_engine, expire_on_commit=False) as session:
        ends = approve_deal(session, w.manager, deal_id, now=T0)
        extension_id = request_extension(session, w.a, deal_id, 30, "Procurement is slow.", now=T0)
        session.commit()

    results = race(
        shared_engine,
        lambda s: decide_extension(s, w.manager, extension_id, approve=True, now=T0),
        lambda s: decide_extension(s, w.admin, extension_id, approve=True, now=T0),
    )

    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert next(m for kind, m in results if kind == "refused") == "This extension request was already decided."
    with Session(shared_engine) as session:
        assert session.get(Deal, deal_id).protection_ends_at == ends + timedelta(days=30)
        assert session.get(DealExtension, extension_id).status == "approved"


@pytest.mark.integration
def test_refreshes_wait_only_for_records_that_may_match():
    """PostgreSQL: a refresh holds locks on its record's blocking keys and domain until commit; a refresh of a
    record that shares one waits, one of an unrelated customer goes ahead (no program-wide queue)."""
    from sqlalchemy import exc, text

    from prm_app.deals.matching.queued import _take_lock, lock_keys

    with private_pg_schema("locks") as engine, Session(engine) as holder:
        _take_lock(holder, lock_keys("acme retail", "acme.com"))  # held until this transaction ends

        def attempt(name_norm: str, domain: str) -> str:
            with Session(engine) as other:
                other.connection().execute(text("SET lock_timeout = '500ms'"))
                try:
                    _take_lock(other, lock_keys(name_norm, domain))
                    return "went ahead"
                except exc.OperationalError:
                    return "waited"
                finally:
                    other.rollback()

        assert attempt("zenith foods", "zenith.example") == "went ahead"
        assert attempt("acme retail group", "") == "waited"  # same first significant word
        assert attempt("totally different", "acme.com") == "waited"  # same domain
        holder.rollback()
        assert attempt("acme retail group", "") == "went ahead"
