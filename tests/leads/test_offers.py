"""Leads, partner side: only the partner a lead is offered to sees and answers it; accepting (before the deadline);
declining with a reason, which re-offers the lead at once to the next best partner, never to one that declined it,
and returns it to its queue when nobody is left; working an accepted lead (contacted, qualified, disqualified);
the deal form's prefill.

The world is tests/leads/factories.py's: for a retail lead in the US, Northwind (75.0) > Bluepeak (50.0) >
Cobalt (45.0); Dormant takes no leads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from prm_app.leads.assignment import assign_by_hand
from prm_app.leads.models import Lead, LeadDecline, LeadEvent, LeadStatus
from prm_app.leads.my_leads import LeadDealPrefill, MyLead, MyLeadDetail, get_my_lead, lead_deal_prefill, list_my_leads
from prm_app.leads.offers import accept_lead, decline_lead, update_lead_status
from prm_app.leads.queries import queue_leads
from prm_app.leads.routing_runs import route_leads
from prm_app.notifications.models import Notification
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog, EngagementEvent
from prm_app.platform.settings import settings
from tests.factories import T0
from tests.leads.factories import make_lead, make_lead_world, partner_actor, refused, send

HOURS = timedelta(hours=settings.lead_accept_hours)
DEADLINE = T0 + HOURS


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    """The world, with Acme Retail (Detroit, US; Core Platform) offered to Northwind at T0."""
    w = make_lead_world(session)
    w.acme = make_lead(
        session,
        w.americas,
        "Acme Retail",
        vertical="retail",
        products=[w.core],
        city="Detroit",
        postcode="48201",
        estimated_size="25000",
    )
    send(session, w.maya, w.americas, [w.acme], now=T0)
    session.commit()
    return w


def _events(session: Session, lead_id: int) -> list[tuple]:
    rows = session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)).all()
    return [(e.action, e.partner_id, e.actor_user_id, e.score, e.note) for e in rows]


def _state(session: Session, lead_id: int) -> tuple:
    return session.exec(
        select(Lead.status, Lead.partner_id, Lead.accept_deadline, Lead.recycle_count).where(Lead.id == lead_id)
    ).one()


# -- who sees an offer ---------------------------------------------------------------------------------------
def test_the_offered_partner_sees_its_lead_with_the_deadline(session, w):
    expected_row = MyLead(
        id=w.acme.id,
        company="Acme Retail",
        status=LeadStatus.OFFERED,
        city="Detroit",
        country="US",
        vertical="retail",
        accept_deadline=DEADLINE,
        overdue=False,
    )
    assert list_my_leads(session, w.nw, now=DEADLINE - timedelta(seconds=1)) == [expected_row]
    assert list_my_leads(session, w.nw, now=DEADLINE) == [replace(expected_row, overdue=True)]
    colleague = partner_actor(session, w.northwind, Role.PARTNER_USER)
    assert get_my_lead(session, colleague, w.acme.id) == MyLeadDetail(
        id=w.acme.id,
        company="Acme Retail",
        domain="acmeretail.example",
        status=LeadStatus.OFFERED,
        contact_name=None,  # whom to call is shown once the partner accepts (#9)
        contact_email=None,
        city="Detroit",
        postcode="48201",
        country="US",
        vertical="retail",
        products=("Core Platform",),
        estimated_size=Decimal("25000"),
        currency="USD",
        accept_deadline=DEADLINE,
        status_note="",
        deal_id=None,
    )


def test_the_contact_person_is_shown_once_the_partner_accepts(session, w):
    offered = get_my_lead(session, w.nw, w.acme.id)
    assert (offered.contact_name, offered.contact_email) == (None, None)

    accept_lead(session, w.nw, w.acme.id, now=DEADLINE - timedelta(hours=1))
    session.commit()

    accepted = get_my_lead(session, w.nw, w.acme.id)
    assert (accepted.contact_name, accepted.contact_email) == ("Jo Buyer", "jo@acmeretail.example")


def test_another_partner_gets_not_found_for_everything_and_changes_nothing(session, w):
    before = _state(session, w.acme.id)

    assert list_my_leads(session, w.bp, now=T0) == []
    for attempt in (
        lambda: get_my_lead(session, w.bp, w.acme.id),
        lambda: accept_lead(session, w.bp, w.acme.id, now=T0),
        lambda: decline_lead(session, w.bp, w.acme.id, "Spam", now=T0),
        lambda: update_lead_status(session, w.bp, w.acme.id, "contacted"),
        lambda: lead_deal_prefill(session, w.bp, w.acme.id),
    ):
        with refused(NotFound, "Lead not found."):
            attempt()
    assert _state(session, w.acme.id) == before
    assert session.exec(select(LeadDecline)).all() == []
    with pytest.raises(PermissionDenied):
        get_my_lead(session, w.maya, w.acme.id)  # the vendor's people use the queue, not the partner pages


def test_a_proposal_not_yet_confirmed_is_invisible_to_the_partner(session, w):
    pending = make_lead(session, w.americas, "Pending Retail", vertical="retail")
    route_leads(session, w.maya, w.americas.id, [pending.id], now=T0)
    assert (pending.status, pending.partner_id) == ("proposed", w.northwind.id)

    assert [row.company for row in list_my_leads(session, w.nw, now=T0)] == ["Acme Retail"]
    with refused(NotFound, "Lead not found."):
        accept_lead(session, w.nw, pending.id, now=T0)


# -- accepting -------------------------------------------------------------------------------------------------
def test_accepting_an_offer_before_its_deadline(session, w):
    accept_lead(session, w.nw, w.acme.id, now=DEADLINE - timedelta(seconds=1))

    assert (w.acme.status, w.acme.accepted_at) == ("accepted", DEADLINE - timedelta(seconds=1))
    assert _events(session, w.acme.id)[-1] == ("accepted", w.northwind.id, w.nw.user_id, None, "")
    audit = session.exec(select(AuditLog).where(AuditLog.action == "lead_accepted")).one()
    assert (audit.record_id, audit.actor_user_id, audit.actor_org_id) == (w.acme.id, w.nw.user_id, w.northwind.id)
    engaged = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "lead_accepted")).one()
    assert (engaged.subject_id, engaged.organization_id) == (w.acme.id, w.northwind.id)
    assert list_my_leads(session, w.nw, now=T0) == [
        MyLead(
            id=w.acme.id,
            company="Acme Retail",
            status=LeadStatus.ACCEPTED,
            city="Detroit",
            country="US",
            vertical="retail",
            accept_deadline=DEADLINE,  # kept as it was; it no longer runs
            overdue=False,
        )
    ]

    with refused(DomainError, "Only new offers can be accepted."):
        accept_lead(session, w.nw, w.acme.id, now=T0)
    with refused(DomainError, "Only new offers can be declined."):
        decline_lead(session, w.nw, w.acme.id, "No capacity", now=T0)


def test_an_offer_cannot_be_accepted_once_its_deadline_is_reached(session, w):
    with refused(DomainError, "The deadline to accept this lead has passed."):
        accept_lead(session, w.nw, w.acme.id, now=DEADLINE)

    assert _state(session, w.acme.id) == ("offered", w.northwind.id, DEADLINE, 0)


# -- declining -------------------------------------------------------------------------------------------------
def test_a_decline_re_offers_the_lead_at_once_to_the_next_best_partner(session, w):
    at = T0 + timedelta(hours=1)

    decline_lead(session, w.nw, w.acme.id, "No capacity", now=at)

    assert _state(session, w.acme.id) == ("offered", w.bluepeak.id, at + HOURS, 1)
    assert (w.acme.offered_at, w.acme.proposal_score) == (at, 50.0)
    assert w.acme.proposal_reasons.splitlines() == [
        "recycled: declined by a partner (no capacity)",
        "distance unknown",
        "Gold tier",
        "no track record yet",
        "0/5 capacity used",
    ]
    decline = session.exec(select(LeadDecline)).one()
    assert (decline.lead_id, decline.partner_id, decline.reason, decline.expired, decline.at) == (
        w.acme.id,
        w.northwind.id,
        "No capacity",
        False,
        at,
    )
    assert _events(session, w.acme.id)[1:] == [
        ("declined", w.northwind.id, w.nw.user_id, None, "No capacity"),
        ("offered", w.bluepeak.id, None, 50.0, "; ".join(w.acme.proposal_reasons.splitlines())),
    ]
    assert session.exec(select(Notification.organization_id, Notification.link).order_by(Notification.id)).all() == [
        (w.northwind.id, f"/leads/{w.acme.id}"),
        (w.bluepeak.id, f"/leads/{w.acme.id}"),
    ]
    assert list_my_leads(session, w.nw, now=at) == []  # a declined lead is no longer Northwind's
    with refused(NotFound, "Lead not found."):
        get_my_lead(session, w.nw, w.acme.id)
    assert [row.company for row in list_my_leads(session, w.bp, now=at)] == ["Acme Retail"]


def test_a_lead_never_goes_back_to_a_partner_that_declined_it_and_returns_to_its_queue_when_nobody_is_left(session, w):
    decline_lead(session, w.nw, w.acme.id, "No capacity", now=T0 + timedelta(hours=1))
    decline_lead(session, w.bp, w.acme.id, "Not a fit", now=T0 + timedelta(hours=2))

    # Northwind still outscores Cobalt on a retail lead, but it declined this one.
    assert _state(session, w.acme.id) == ("offered", w.cobalt.id, T0 + timedelta(hours=2) + HOURS, 2)
    assert w.acme.proposal_score == 45.0
    assert w.acme.proposal_reasons.splitlines()[:3] == [
        "recycled: declined by a partner (not a fit)",
        "distance unknown",
        "Silver tier",
    ]
    fresh = make_lead(session, w.americas, "Fresh Retail", vertical="retail")
    route_leads(session, w.maya, w.americas.id, [fresh.id], now=T0)
    assert fresh.partner_id == w.northwind.id  # ... and stays the first choice for other retail leads

    decline_lead(session, w.cb, w.acme.id, "Spam", now=T0 + timedelta(hours=3))

    assert _state(session, w.acme.id) == ("new", None, None, 3)
    assert (w.acme.offered_at, w.acme.proposal_score) == (None, None)
    assert w.acme.proposal_reasons == "declined by a partner (spam)\nthe only 3 partners serving US declined it"
    assert _events(session, w.acme.id)[-1] == ("returned", None, None, None, w.acme.proposal_reasons)
    assert [(r.company, r.status) for r in queue_leads(session, w.maya, w.americas.id)] == [
        ("Acme Retail", "new"),
        ("Fresh Retail", "proposed"),
    ]
    assert [(d.partner_id, d.reason) for d in session.exec(select(LeadDecline).order_by(LeadDecline.id))] == [
        (w.northwind.id, "No capacity"),
        (w.bluepeak.id, "Not a fit"),
        (w.cobalt.id, "Spam"),
    ]

    assert route_leads(session, w.maya, w.americas.id, [w.acme.id], now=T0).unmatched == 1
    assert w.acme.proposal_reasons == "the only 3 partners serving US declined it"
    with refused(DomainError, "Northwind Distribution already declined this lead."):
        assign_by_hand(session, w.maya, w.acme.id, w.northwind.id)


def test_a_decline_needs_one_of_the_listed_reasons(session, w):
    before = _state(session, w.acme.id)

    for reason in ("Too busy", "", "no capacity"):
        with pytest.raises(ValidationError) as caught:
            decline_lead(session, w.nw, w.acme.id, reason, now=T0)
        assert (caught.value.message, caught.value.field) == ("Choose why you decline.", "reason")

    assert _state(session, w.acme.id) == before
    assert session.exec(select(LeadDecline)).all() == []


# -- working an accepted lead ----------------------------------------------------------------------------------
WORK_PATHS = [  # steps taken after accepting, and whether the last one is allowed
    (["contacted", "qualified", "disqualified"], True),
    (["contacted", "disqualified"], True),
    (["disqualified"], True),
    (["qualified"], False),  # qualifying comes after contact
    (["contacted", "contacted"], False),
    (["disqualified", "contacted"], False),
    (["converted"], False),  # only by registering a deal
    (["accepted"], False),
]


def test_an_accepted_lead_moves_only_forward(session, w):
    for steps, allowed in WORK_PATHS:
        accept_lead(session, w.nw, w.acme.id, now=T0)
        *before, last = steps
        for step in before:
            update_lead_status(session, w.nw, w.acme.id, step, note=f"{step} note")
        status_before = w.acme.status

        if allowed:
            update_lead_status(session, w.nw, w.acme.id, last, note="  Budget frozen  ")
            assert (w.acme.status, w.acme.status_note) == (last, "Budget frozen"), steps
            assert [e[0] for e in _events(session, w.acme.id)] == ["offered", "accepted", *steps]
            assert _events(session, w.acme.id)[-1] == (last, w.northwind.id, w.nw.user_id, None, "Budget frozen")
            assert get_my_lead(session, w.nw, w.acme.id).status_note == "Budget frozen"
        else:
            with refused(DomainError, "That step does not follow from where this lead is."):
                update_lead_status(session, w.nw, w.acme.id, last, note="x")
            assert w.acme.status == status_before, steps
        session.rollback()  # back to the committed offer for the next path


def test_an_offer_is_not_worked_and_a_disqualification_says_why(session, w):
    with refused(DomainError, "That step does not follow from where this lead is."):
        update_lead_status(session, w.nw, w.acme.id, "contacted")
    accept_lead(session, w.nw, w.acme.id, now=T0)

    with refused(ValidationError, "Say why the lead is disqualified."):
        update_lead_status(session, w.nw, w.acme.id, "disqualified", note="   ")

    assert session.exec(select(Lead.status).where(Lead.id == w.acme.id)).one() == "accepted"


def test_the_deal_form_starts_from_an_accepted_lead_only(session, w):
    with refused(PermissionDenied, "Accept the lead before registering a deal from it."):
        lead_deal_prefill(session, w.nw, w.acme.id)
    accept_lead(session, w.nw, w.acme.id, now=T0)
    update_lead_status(session, w.nw, w.acme.id, "contacted")

    assert lead_deal_prefill(session, w.nw, w.acme.id) == LeadDealPrefill(
        lead_id=w.acme.id,
        customer_name="Acme Retail",
        customer_site="acmeretail.example",
        country="US",
        contact_name="Jo Buyer",
        contact_email="jo@acmeretail.example",
        estimated_size=Decimal("25000.00"),
        product_ids=(w.core.id,),
    )


def test_the_lead_history_is_stamped_at_the_given_now(session, w):
    at = T0 + timedelta(hours=1)
    decline_lead(session, w.nw, w.acme.id, "No capacity", now=at)

    history = session.exec(select(LeadEvent.action, LeadEvent.at).order_by(LeadEvent.id)).all()
    assert history == [("offered", T0), ("declined", at), ("offered", at)]
