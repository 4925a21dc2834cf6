"""Recycling overdue offers: `recycle_overdue_leads(session, now)` moves on exactly the offers whose deadline has
been reached (counting them as declined, "No answer in time"), each once however often it runs, never to a partner
that already had the lead, and back to the queue when nobody is left.

With several workers: two threads, each in its own session, recycling the same overdue offers at the same moment
move each offer once (a SQLite file in WAL mode, the app's own engine, and PostgreSQL in a private schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from prm_app.leads.models import Lead, LeadDecline, LeadEvent, LeadStatus
from prm_app.leads.my_leads import get_my_lead
from prm_app.leads.offers import OFFER_EXPIRED, RecycleRun, accept_lead, decline_lead, recycle_overdue_leads
from prm_app.notifications.models import Notification
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.models import AuditLog
from prm_app.platform.settings import settings
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import T0, actor_for, make_user
from tests.leads.factories import make_lead, make_lead_world, make_partner, make_queue, refused, send

HOURS = timedelta(hours=settings.lead_accept_hours)
SECOND = timedelta(seconds=1)


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    """The world with three offers: Acme Retail to Northwind at T0 (still open), Gamma Retail to Northwind at T0
    (accepted an hour later) and Toronto Shop to Harbor, the only partner serving CA, at T0 + 2 h."""
    w = make_lead_world(session)
    w.acme = make_lead(session, w.americas, "Acme Retail", vertical="retail")
    w.gamma = make_lead(session, w.americas, "Gamma Retail", vertical="retail")
    w.toronto = make_lead(session, w.americas, "Toronto Shop", country="CA")
    send(session, w.maya, w.americas, [w.acme, w.gamma], now=T0)
    send(session, w.maya, w.americas, [w.toronto], now=T0 + timedelta(hours=2))
    accept_lead(session, w.nw, w.gamma.id, now=T0 + timedelta(hours=1))
    session.commit()
    return w


def _snapshot(session: Session) -> tuple:
    leads = session.exec(
        select(Lead.id, Lead.status, Lead.partner_id, Lead.accept_deadline, Lead.recycle_count).order_by(Lead.id)
    ).all()
    counts = [session.exec(select(func.count()).select_from(m)).one() for m in (LeadDecline, LeadEvent, Notification)]
    return leads, counts


def _events(session: Session, lead_id: int) -> list[tuple]:
    rows = session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)).all()
    return [(e.action, e.partner_id, e.actor_user_id, e.note) for e in rows]


def _acme_offered_to_northwind(engine):
    """A committed world where Acme Retail is offered to Northwind at T0 (deadline T0 + the accept window)."""
    with Session(engine, expire_on_commit=False) as session:
        w = make_lead_world(session)
        acme = make_lead(session, w.americas, "Acme Retail", vertical="retail")
        send(session, w.maya, w.americas, [acme], now=T0)
        session.commit()
    return w, acme


def test_offers_not_yet_due_are_left_alone(session, w):
    before = _snapshot(session)

    assert recycle_overdue_leads(session, now=T0 + HOURS - SECOND) == RecycleRun(expired=0)

    assert _snapshot(session) == before


def test_accepted_leads_are_never_recycled_however_late(session, w):
    assert recycle_overdue_leads(session, now=T0 + timedelta(days=30)) == RecycleRun(expired=2)  # Acme, Toronto

    gamma = session.get(Lead, w.gamma.id)
    assert (gamma.status, gamma.partner_id, gamma.recycle_count) == ("accepted", w.northwind.id, 0)
    assert session.exec(select(LeadDecline.lead_id).order_by(LeadDecline.id)).all() == [w.acme.id, w.toronto.id]


def test_an_offer_past_its_deadline_moves_to_the_next_partner_once(session, w):
    due = T0 + HOURS  # Acme's deadline: reached counts as passed

    assert recycle_overdue_leads(session, now=due) == RecycleRun(expired=1)

    acme = session.get(Lead, w.acme.id)
    assert (acme.status, acme.partner_id, acme.offered_at, acme.accept_deadline, acme.recycle_count) == (
        "offered",
        w.bluepeak.id,
        due,
        due + HOURS,
        1,
    )
    assert acme.proposal_reasons.splitlines()[:3] == [
        "recycled: the previous partner did not answer in time",
        "distance unknown",
        "Gold tier",
    ]
    decline = session.exec(select(LeadDecline)).one()
    assert (decline.lead_id, decline.partner_id, decline.reason, decline.expired, decline.at) == (
        acme.id,
        w.northwind.id,
        "No answer in time",
        True,
        due,
    )
    assert [e[:3] for e in _events(session, acme.id)] == [
        ("offered", w.northwind.id, w.maya.user_id),
        ("expired", w.northwind.id, None),
        ("offered", w.bluepeak.id, None),
    ]
    assert session.exec(select(Notification.organization_id).order_by(Notification.id.desc())).first() == w.bluepeak.id
    others = [session.get(Lead, w.gamma.id), session.get(Lead, w.toronto.id)]
    assert [(lead.status, lead.partner_id) for lead in others] == [
        ("accepted", w.northwind.id),
        ("offered", w.harbor.id),
    ]
    with refused(NotFound, "Lead not found."):
        get_my_lead(session, w.nw, acme.id)  # too late for Northwind
    assert get_my_lead(session, w.bp, acme.id).status == "offered"

    after = _snapshot(session)
    assert recycle_overdue_leads(session, now=due) == RecycleRun(expired=0)  # a second pass finds nothing more
    toronto_due = T0 + timedelta(hours=2) + HOURS
    assert recycle_overdue_leads(session, now=toronto_due - SECOND) == RecycleRun(expired=0)
    assert _snapshot(session) == after


def test_each_expiry_excludes_one_more_partner_until_the_lead_returns_to_its_queue(session, w):
    first, second = T0 + HOURS, T0 + 2 * HOURS

    assert recycle_overdue_leads(session, now=first) == RecycleRun(expired=1)  # Acme: Northwind -> Bluepeak
    assert recycle_overdue_leads(session, now=second) == RecycleRun(expired=2)  # Toronto (due at T0 + 50 h), Acme

    acme, toronto = session.get(Lead, w.acme.id), session.get(Lead, w.toronto.id)
    # Acme goes to Cobalt, never back to Northwind, which would still outscore it on a retail lead.
    assert (acme.status, acme.partner_id, acme.accept_deadline, acme.recycle_count) == (
        "offered",
        w.cobalt.id,
        second + HOURS,
        2,
    )
    assert (toronto.status, toronto.partner_id, toronto.offered_at, toronto.accept_deadline) == (
        "new",
        None,
        None,
        None,
    )
    assert toronto.proposal_reasons == (
        "the previous partner did not answer in time\nthe only partner serving CA declined it"
    )
    assert [e[:2] for e in _events(session, toronto.id)] == [
        ("offered", w.harbor.id),
        ("expired", w.harbor.id),
        ("returned", None),
    ]
    assert session.exec(
        select(LeadDecline.lead_id, LeadDecline.partner_id, LeadDecline.at).order_by(LeadDecline.id)
    ).all() == [(acme.id, w.northwind.id, first), (acme.id, w.bluepeak.id, second), (toronto.id, w.harbor.id, second)]

    assert recycle_overdue_leads(session, now=second + 3 * HOURS) == RecycleRun(expired=1)  # Acme: Cobalt, the last
    assert (acme.status, acme.partner_id, acme.recycle_count) == ("new", None, 3)
    assert recycle_overdue_leads(session, now=second + 9 * HOURS) == RecycleRun(expired=0)


# -- several workers -------------------------------------------------------------------------------------------
@pytest.fixture(params=SHARED_BACKENDS, ids=["sqlite", "pg"])
def shared_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """One engine that several threads open sessions on, like the app's workers."""
    with shared_database(request.param, tmp_path, "recycle") as engine:
        yield engine


LEADS, ROUNDS = 8, 3


def test_two_workers_recycling_at_the_same_moment_move_each_overdue_offer_once(shared_engine):
    """Four US partners (tiers 3..0, room for every lead): each round every offer expires and moves one tier
    down. Two workers race in each round; together they must move each lead exactly once."""
    with Session(shared_engine, expire_on_commit=False) as session:
        manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
        queue = make_queue(session, "Americas", "US", [manager])
        partners = [
            make_partner(session, f"Rank {rank} Partners", capacity=100, tier_rank=rank) for rank in (3, 2, 1, 0)
        ]
        leads = [make_lead(session, queue, f"Lead {n}") for n in range(LEADS)]
        send(session, manager, queue, leads, now=T0)
        session.commit()
        ids = [lead.id for lead in leads]

    for n in range(1, ROUNDS + 1):
        now = T0 + n * HOURS
        results = race(shared_engine, *[lambda s, now=now: recycle_overdue_leads(s, now=now)] * 2)

        assert all(isinstance(r, RecycleRun) for r in results), f"round {n}: {results}"
        assert sum(r.expired for r in results) == LEADS, f"round {n}: {results}"
        with Session(shared_engine) as session:
            rows = session.exec(
                select(Lead.status, Lead.partner_id, Lead.recycle_count, Lead.accept_deadline).order_by(Lead.id)
            ).all()
            assert rows == [(LeadStatus.OFFERED, partners[n].id, n, now + HOURS)] * LEADS, f"round {n}"
            declines = session.exec(
                select(LeadDecline.lead_id, func.count()).group_by(LeadDecline.lead_id).order_by(LeadDecline.lead_id)
            ).all()
            assert declines == [(lead_id, n) for lead_id in ids], f"round {n}"
            expired = session.exec(select(func.count()).where(LeadEvent.action == "expired")).one()
            assert expired == n * LEADS


def test_an_acceptance_racing_the_recycler_leaves_the_lead_with_one_owner(shared_engine):
    """The partner reads its offer and accepts a second before the deadline; a worker recycles it at the
    deadline and commits first. Either the acceptance fails or it wins; the next partner must not end up owning
    a lead it never accepted."""
    w, acme = _acme_offered_to_northwind(shared_engine)

    with Session(shared_engine, expire_on_commit=False) as partner_session:
        accept_lead(partner_session, w.nw, acme.id, now=T0 + HOURS - SECOND)
        with Session(shared_engine) as worker_session:
            assert recycle_overdue_leads(worker_session, now=T0 + HOURS) == RecycleRun(expired=1)
            worker_session.commit()
        try:
            partner_session.commit()
        except Exception:  # refusing the late acceptance is a correct outcome
            partner_session.rollback()

    with Session(shared_engine) as session:
        status, owner = session.exec(select(Lead.status, Lead.partner_id).where(Lead.id == acme.id)).one()
        assert (status, owner) in {("accepted", w.northwind.id), ("offered", w.bluepeak.id)}


def test_an_acceptance_that_loses_the_race_says_the_offer_expired_and_writes_nothing(shared_engine):
    """As above, seen from the partner: its unit of work fails whole with a message it can read."""
    w, acme = _acme_offered_to_northwind(shared_engine)

    with Session(shared_engine, expire_on_commit=False) as partner_session:
        accept_lead(partner_session, w.nw, acme.id, now=T0 + HOURS - SECOND)
        with Session(shared_engine) as worker_session:
            assert recycle_overdue_leads(worker_session, now=T0 + HOURS) == RecycleRun(expired=1)
            worker_session.commit()
        with refused(DomainError, OFFER_EXPIRED):
            partner_session.commit()
        partner_session.rollback()

    with Session(shared_engine) as session:
        assert session.exec(select(LeadEvent.action, LeadEvent.partner_id).order_by(LeadEvent.id)).all() == [
            ("offered", w.northwind.id),
            ("expired", w.northwind.id),
            ("offered", w.bluepeak.id),
        ]
        assert session.exec(select(func.count()).where(AuditLog.action == "lead_accepted")).one() == 0


def test_an_acceptance_written_first_wins_and_the_recycler_leaves_the_lead_alone(shared_engine):
    w, acme = _acme_offered_to_northwind(shared_engine)

    with Session(shared_engine, expire_on_commit=False) as partner_session:
        accept_lead(partner_session, w.nw, acme.id, now=T0 + HOURS - SECOND)
        partner_session.commit()
    with Session(shared_engine) as session:
        assert recycle_overdue_leads(session, now=T0 + HOURS) == RecycleRun(expired=0)
        session.commit()
        status, owner = session.exec(select(Lead.status, Lead.partner_id).where(Lead.id == acme.id)).one()
        assert (status, owner) == ("accepted", w.northwind.id)


def test_a_decline_of_an_offer_the_recycler_already_moved_on_is_refused_and_writes_nothing(shared_engine):
    """The partner's page read the offer; a worker recycles it and commits; then the partner declines."""
    w, acme = _acme_offered_to_northwind(shared_engine)

    with Session(shared_engine, expire_on_commit=False) as partner_session:
        shown = partner_session.get(Lead, acme.id)  # held: the session decides on what it read here
        assert (shown.status, shown.partner_id) == (LeadStatus.OFFERED, w.northwind.id)
        with Session(shared_engine) as worker_session:
            assert recycle_overdue_leads(worker_session, now=T0 + HOURS) == RecycleRun(expired=1)
            worker_session.commit()
        with refused(DomainError, OFFER_EXPIRED):
            decline_lead(partner_session, w.nw, acme.id, "No capacity", now=T0 + HOURS - SECOND)
        partner_session.rollback()

    with Session(shared_engine) as session:
        lead = session.get(Lead, acme.id)
        assert (lead.status, lead.partner_id, lead.recycle_count) == ("offered", w.bluepeak.id, 1)
        assert session.exec(select(LeadDecline.partner_id, LeadDecline.expired)).all() == [(w.northwind.id, True)]
