"""Lead queues, vendor side: storing leads at the end of their country's queue, routing a queue (proposals with
reasons, capacity / country / certification filters, why nobody matched), confirming proposals into offers,
assigning by hand, reordering. Who may do each of these: test_queue_access.py.

Scores are the arithmetic of tests/leads/factories.py: partners without coordinates or history.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from prm_app.leads import offers
from prm_app.leads.assignment import assign_by_hand
from prm_app.leads.intake import LeadDraft
from prm_app.leads.models import Lead, LeadEvent, LeadProduct, LeadStatus
from prm_app.leads.queries import queue_leads
from prm_app.leads.routing_runs import RoutingRun, confirm_proposals, route_leads
from prm_app.leads.store import reorder_queue, store_leads
from prm_app.notifications.models import Notification
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied
from prm_app.platform.models import AuditLog
from prm_app.platform.settings import settings
from tests.factories import T0
from tests.leads.factories import count_rows, lead_rows, make_lead, make_lead_world, make_queue, refused, send

US_REASONS_NORTHWIND = ("distance unknown", "retail vertical", "Platinum tier", "no track record yet")


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    return make_lead_world(session)


def _audits(session: Session, action: str) -> list[dict]:
    rows = session.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()
    return [{"record": r.record_id, "by": r.actor_user_id, **json.loads(r.summary)} for r in rows]


# -- intake ---------------------------------------------------------------------------------------------------------
def _draft(row: int, company: str, country: str, product_ids=()) -> LeadDraft:
    slug = company.lower().replace(" ", "")
    return LeadDraft(
        row,
        company,
        f"{slug}.example",
        "Jo",
        f"jo@{slug}.example",
        country,
        "",
        "",
        None,
        None,
        "retail",
        tuple(product_ids),
        None,
        "event",
    )


def test_stored_leads_join_the_end_of_their_countrys_queue_or_the_catch_all(session, w):
    rest = make_queue(session, "Rest of world", "", [w.maya])
    make_lead(session, w.americas, "Already Waiting", rank=7)
    drafts = [
        _draft(2, "Ohio Retail", "US", [w.core.id, w.sec.id]),
        _draft(3, "Porto Shop", "PT"),
        _draft(4, "Tokyo Mart", "JP"),
        _draft(5, "Toronto Retail", "CA"),
    ]

    ids = store_leads(session, w.maya, drafts, now=T0)

    stored = [session.get(Lead, i) for i in ids]
    assert [(lead.company, lead.queue_id, lead.rank, lead.status) for lead in stored] == [
        ("Ohio Retail", w.americas.id, 8, "new"),
        ("Porto Shop", w.emea.id, 1, "new"),
        ("Tokyo Mart", rest.id, 1, "new"),
        ("Toronto Retail", w.americas.id, 9, "new"),
    ]
    assert {(lead.created_at, lead.created_by_id, lead.source) for lead in stored} == {(T0, w.maya.user_id, "event")}
    assert session.exec(select(LeadProduct.product_id).where(LeadProduct.lead_id == ids[0])).all() == [
        w.core.id,
        w.sec.id,
    ]
    event = session.exec(select(LeadEvent).where(LeadEvent.action == "imported")).one()
    assert (event.lead_id, event.at, event.note, event.actor_user_id) == (ids[0], T0, "4 leads", w.maya.user_id)
    assert _audits(session, "leads_created") == [{"record": ids[0], "by": w.maya.user_id, "count": 4}]


def test_a_country_no_queue_takes_is_refused_and_partners_cannot_store_leads(session, w):
    with refused(DomainError, "No lead queue takes leads from JP; ask an admin to add one."):
        store_leads(session, w.maya, [_draft(2, "Tokyo Mart", "JP")], now=T0)
    with pytest.raises(PermissionDenied):
        store_leads(session, w.nw, [_draft(2, "Ohio Retail", "US")], now=T0)
    assert count_rows(session, Lead) == 0


# -- routing -------------------------------------------------------------------------------------------------
def test_routing_a_queue_proposes_in_queue_order_with_reasons_and_says_why_nobody_matched(session, w):
    acme = make_lead(session, w.americas, "Acme Retail", vertical="retail")
    beta = make_lead(session, w.americas, "Beta Retail", vertical="retail")
    gamma = make_lead(session, w.americas, "Gamma Retail", vertical="retail")
    clinic = make_lead(session, w.americas, "Secure Clinic", vertical="healthcare", products=[w.sec])
    mexico = make_lead(session, w.americas, "Monterrey Foods", country="MX")

    assert route_leads(session, w.maya, w.americas.id, now=T0) == RoutingRun(proposed=3, unmatched=2)

    assert [(x.status, x.partner_id, x.proposal_score) for x in (acme, beta, gamma, clinic, mexico)] == [
        ("proposed", w.northwind.id, 75.0),
        ("proposed", w.northwind.id, 67.5),  # Northwind's second lead: half its capacity of 2 used
        ("proposed", w.bluepeak.id, 50.0),  # Northwind is full; the Platinum retail partner takes no leads
        ("new", None, None),
        ("new", None, None),
    ]
    assert acme.proposal_reasons.splitlines() == [*US_REASONS_NORTHWIND, "0/2 capacity used"]
    assert beta.proposal_reasons.splitlines() == [*US_REASONS_NORTHWIND, "1/2 capacity used"]
    assert gamma.proposal_reasons.splitlines() == [
        "distance unknown",
        "Gold tier",
        "no track record yet",
        "0/5 capacity used",
    ]
    assert clinic.proposal_reasons == (
        "of the 3 partners serving US: 2 are not certified for Security Suite, 1 is at capacity"
    )
    assert mexico.proposal_reasons == "no partner serves MX"

    rows = queue_leads(session, w.maya, w.americas.id)
    assert [(r.company, r.status, r.partner, r.score) for r in rows] == [
        ("Acme Retail", "proposed", "Northwind Distribution", 75.0),
        ("Beta Retail", "proposed", "Northwind Distribution", 67.5),
        ("Gamma Retail", "proposed", "Bluepeak Resellers", 50.0),
        ("Secure Clinic", "new", None, None),
        ("Monterrey Foods", "new", None, None),
    ]
    assert rows[3].reasons == (clinic.proposal_reasons,)
    assert _audits(session, "leads_routed") == [
        {"record": w.americas.id, "by": w.maya.user_id, "proposed": 3, "unmatched": 2}
    ]


def test_certification_is_required_even_when_an_uncertified_partner_scores_higher(session, w):
    clinic = make_lead(session, w.americas, "Secure Clinic", vertical="healthcare", products=[w.sec])
    plain = make_lead(session, w.americas, "Plain Clinic", vertical="healthcare", products=[w.core])
    bundle = make_lead(session, w.americas, "Bundle Clinic", vertical="healthcare", products=[w.core, w.sec])

    route_leads(session, w.maya, w.americas.id, now=T0)

    # Bluepeak would score 70.0 on a healthcare lead; only Northwind is certified for the Security Suite.
    assert (clinic.partner_id, clinic.proposal_score) == (w.northwind.id, 55.0)
    assert (plain.partner_id, plain.proposal_score) == (w.bluepeak.id, 70.0)  # Core needs no certification
    # When a lead needs certification, the partner must be certified for every one of its products.
    assert (bundle.status, bundle.partner_id) == ("new", None)
    assert bundle.proposal_reasons == "no partner serving US is certified for Core Platform and Security Suite"


def test_capacity_holds_across_routing_runs_through_pending_proposals(session, w):
    leads = [make_lead(session, w.americas, f"Retail {n}", vertical="retail") for n in range(3)]

    for lead in leads:  # one run per lead, as the queue page routes in chunks
        route_leads(session, w.maya, w.americas.id, [lead.id], now=T0)

    assert [(x.partner_id, x.proposal_score) for x in leads] == [
        (w.northwind.id, 75.0),
        (w.northwind.id, 67.5),
        (w.bluepeak.id, 50.0),
    ]
    # Routing the first lead again does not count its own proposal against Northwind.
    route_leads(session, w.maya, w.americas.id, [leads[0].id], now=T0)
    assert (leads[0].partner_id, leads[0].proposal_reasons.splitlines()[-1]) == (w.northwind.id, "1/2 capacity used")


def test_offers_made_this_month_count_toward_capacity_and_last_months_do_not(session, w):
    old = make_lead(session, w.americas, "Old Retail", vertical="retail")
    old.status = LeadStatus.ACCEPTED
    session.add(LeadEvent(lead_id=old.id, partner_id=w.northwind.id, action="offered", at=T0 - timedelta(days=1)))
    session.add(LeadEvent(lead_id=old.id, partner_id=w.northwind.id, action="offered", at=T0.replace(day=1)))
    session.add(LeadEvent(lead_id=old.id, partner_id=w.northwind.id, action="offered", at=T0 - timedelta(days=15)))
    new = make_lead(session, w.americas, "New Retail", vertical="retail")

    route_leads(session, w.maya, w.americas.id, now=T0)  # two offers since January 1st: Northwind is full
    assert (new.partner_id, new.proposal_score) == (w.bluepeak.id, 50.0)

    route_leads(
        session, w.maya, w.americas.id, now=T0 + timedelta(days=31)
    )  # in February, January's offers no longer count
    assert (new.partner_id, new.proposal_score) == (w.northwind.id, 75.0)


def test_offers_confirmed_at_a_given_now_count_toward_that_months_capacity(session, w):
    first, second = (make_lead(session, w.americas, f"Retail {n}", vertical="retail") for n in (1, 2))
    send(session, w.maya, w.americas, [first, second], now=T0)
    third = make_lead(session, w.americas, "Retail 3", vertical="retail")

    route_leads(session, w.maya, w.americas.id, [third.id], now=T0)

    assert (first.partner_id, second.partner_id) == (w.northwind.id, w.northwind.id)
    assert third.partner_id == w.bluepeak.id  # Northwind (capacity 2) had two offers this month


def test_routing_named_leads_refuses_any_not_waiting_in_that_queue_and_changes_nothing(session, w):
    ours = make_lead(session, w.americas, "Ours", vertical="retail")
    elsewhere = make_lead(session, w.emea, "Porto Shop", country="PT")
    sent = make_lead(session, w.americas, "Already Sent", vertical="retail")
    send(session, w.maya, w.americas, [sent])
    before = lead_rows(session)

    for ids in ([ours.id, elsewhere.id], [ours.id, sent.id], [ours.id, 999_999]):
        with refused(NotFound, "Lead not found."):
            route_leads(session, w.maya, w.americas.id, ids, now=T0)
    assert lead_rows(session) == before


# -- confirming, assigning, reordering --------------------------------------------------------------------------
def test_confirming_offers_each_proposed_lead_to_its_partner_and_tells_the_partner(session, w):
    acme = make_lead(session, w.americas, "Acme Retail", vertical="retail")
    mexico = make_lead(session, w.americas, "Monterrey Foods", country="MX")
    route_leads(session, w.maya, w.americas.id, now=T0)

    assert confirm_proposals(session, w.maya, [acme.id, mexico.id], now=T0 + timedelta(minutes=5)) == 1

    offered_at = T0 + timedelta(minutes=5)
    deadline = offered_at + timedelta(hours=settings.lead_accept_hours)
    assert (acme.status, acme.partner_id, acme.offered_at, acme.accept_deadline) == (
        "offered",
        w.northwind.id,
        offered_at,
        deadline,
    )
    assert (mexico.status, mexico.offered_at, mexico.accept_deadline) == ("new", None, None)
    event = session.exec(select(LeadEvent).where(LeadEvent.action == "offered")).one()
    assert (event.lead_id, event.partner_id, event.actor_user_id, event.score, event.note) == (
        acme.id,
        w.northwind.id,
        w.maya.user_id,
        75.0,
        "distance unknown; retail vertical; Platinum tier; no track record yet; 0/2 capacity used",
    )
    note = session.exec(select(Notification)).one()
    assert (note.organization_id, note.kind, note.link, note.message) == (
        w.northwind.id,
        "lead_offered",
        f"/leads/{acme.id}",
        f"New lead: Acme Retail. Accept by {deadline:%Y-%m-%d %H:%M} UTC.",
    )
    assert queue_leads(session, w.maya, w.americas.id)[0].company == "Monterrey Foods"  # sent leads leave the queue

    assert confirm_proposals(session, w.maya, [acme.id], now=T0 + timedelta(hours=1)) == 0  # already sent
    assert acme.offered_at == offered_at
    assert count_rows(session, Notification) == 1


def test_the_accept_deadline_is_the_configured_number_of_hours_after_the_offer(session, w, monkeypatch):
    monkeypatch.setattr(offers, "settings", replace(settings, lead_accept_hours=6))
    acme = make_lead(session, w.americas, "Acme Retail")

    send(session, w.maya, w.americas, [acme], now=T0)

    assert acme.accept_deadline == T0 + timedelta(hours=6)
    assert session.exec(select(Notification.message)).one() == "New lead: Acme Retail. Accept by 2030-01-15 15:00 UTC."


def test_a_manager_assigns_by_hand_and_the_reasons_say_who_chose(session, w):
    mexico = make_lead(session, w.americas, "Monterrey Foods", country="MX")
    route_leads(session, w.maya, w.americas.id, now=T0)

    assign_by_hand(session, w.maya, mexico.id, w.harbor.id)

    assert (mexico.status, mexico.partner_id, mexico.proposal_score) == ("proposed", w.harbor.id, None)
    assert mexico.proposal_reasons == "assigned by Maya Manager"
    assert queue_leads(session, w.maya, w.americas.id)[0].reasons == ("assigned by Maya Manager",)
    assert _audits(session, "lead_assigned_by_hand") == [
        {"record": mexico.id, "by": w.maya.user_id, "partner_id": w.harbor.id}
    ]
    assert confirm_proposals(session, w.maya, [mexico.id], now=T0) == 1
    assert (mexico.status, mexico.partner_id) == ("offered", w.harbor.id)


def test_assigning_by_hand_needs_a_waiting_lead_and_a_partner_that_takes_leads(session, w):
    acme = make_lead(session, w.americas, "Acme Retail")
    sent = make_lead(session, w.americas, "Already Sent")
    send(session, w.maya, w.americas, [sent])
    before = lead_rows(session)

    with refused(NotFound, "Partner not found."):
        assign_by_hand(session, w.maya, acme.id, w.dormant.id)  # its profile says it takes no leads
    with refused(NotFound, "Lead not found."):
        assign_by_hand(session, w.maya, sent.id, w.cobalt.id)
    assert lead_rows(session) == before


def test_reordering_keeps_the_ranks_the_leads_occupy_and_persists(session, w):
    a, b, c, d = (make_lead(session, w.americas, name) for name in ("A", "B", "C", "D"))
    session.commit()

    reorder_queue(session, w.maya, w.americas.id, [d.id, a.id])  # only D and A on screen: they swap places
    session.commit()

    with Session(session.get_bind()) as other:
        assert other.exec(select(Lead.company, Lead.rank).order_by(Lead.rank)).all() == [
            ("D", 1),
            ("B", 2),
            ("C", 3),
            ("A", 4),
        ]
    assert [r.company for r in queue_leads(session, w.maya, w.americas.id)] == ["D", "B", "C", "A"]
    assert _audits(session, "lead_queue_reordered") == [{"record": w.americas.id, "by": w.maya.user_id, "moved": 2}]

    reorder_queue(session, w.maya, w.americas.id, [b.id, c.id])  # already in that order: nothing to write
    assert len(_audits(session, "lead_queue_reordered")) == 1


def test_a_new_order_naming_a_lead_twice_or_from_elsewhere_is_refused(session, w):
    a, b = make_lead(session, w.americas, "A"), make_lead(session, w.americas, "B")
    porto = make_lead(session, w.emea, "Porto Shop", country="PT")
    before = lead_rows(session)

    with refused(DomainError, "The new order lists a lead twice."):
        reorder_queue(session, w.maya, w.americas.id, [b.id, a.id, b.id])
    with refused(NotFound, "Lead not found."):
        reorder_queue(session, w.maya, w.americas.id, [b.id, porto.id, a.id])
    assert lead_rows(session) == before
