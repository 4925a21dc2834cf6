"""Who works a lead queue: channel managers see the queues they are members of, admins and executives every
queue. Only the queue's members and admins route, reorder, assign and confirm; executives and partners are refused
(PermissionDenied), and a manager outside the queue does not see it at all (NotFound, "Queue not found.").
A refusal changes nothing.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import Session

from prm_app.leads.assignment import PartnerOption, assign_by_hand, routable_partners
from prm_app.leads.models import LeadEvent
from prm_app.leads.queries import queue_leads
from prm_app.leads.queue_access import QueueOption, my_queues
from prm_app.leads.routing_runs import confirm_proposals, route_leads
from prm_app.leads.store import reorder_queue
from prm_app.platform.errors import NotFound, PermissionDenied
from prm_app.platform.models import AuditLog
from tests.factories import T0
from tests.leads.factories import count_rows, lead_rows, make_lead, make_lead_world, refused


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    return make_lead_world(session)


def test_managers_work_the_queues_they_belong_to_admins_and_execs_see_every_queue(session, w):
    assert my_queues(session, w.maya) == [QueueOption(w.americas.id, "Americas")]
    assert my_queues(session, w.lars) == [QueueOption(w.emea.id, "EMEA")]
    everything = [QueueOption(w.americas.id, "Americas"), QueueOption(w.emea.id, "EMEA")]
    assert my_queues(session, w.admin) == everything
    assert my_queues(session, w.exec) == everything
    with pytest.raises(PermissionDenied):
        my_queues(session, w.nw)


# -- who may act -----------------------------------------------------------------------------------------------
ACTIONS = {
    "route": lambda s, w, who: route_leads(s, who, w.americas.id, now=T0),
    "reorder": lambda s, w, who: reorder_queue(s, who, w.americas.id, [w.waiting.id, w.proposed.id]),
    "assign": lambda s, w, who: assign_by_hand(s, who, w.waiting.id, w.cobalt.id),
    "confirm": lambda s, w, who: confirm_proposals(s, who, [w.proposed.id], now=T0),
}


@pytest.fixture
def busy(session, w) -> SimpleNamespace:
    """The Americas queue with a proposed lead (to Northwind) ahead of a lead nobody serves."""
    w.proposed = make_lead(session, w.americas, "Acme Retail", vertical="retail")
    w.waiting = make_lead(session, w.americas, "Monterrey Foods", country="MX")
    route_leads(session, w.maya, w.americas.id, now=T0)
    session.commit()
    return w


REFUSALS = [
    ("nw", PermissionDenied, "You are not allowed to do that."),
    ("exec", PermissionDenied, "You are not allowed to do that."),
    ("lars", NotFound, "Queue not found."),  # a manager outside the queue does not see it at all
]


def test_only_the_queues_members_and_admins_act_on_it_and_a_refusal_changes_nothing(session, busy):
    before = (lead_rows(session), count_rows(session, AuditLog), count_rows(session, LeadEvent))

    for who, error, message in REFUSALS:
        for action, act in ACTIONS.items():
            with refused(error, message):
                act(session, busy, getattr(busy, who))
            after = (lead_rows(session), count_rows(session, AuditLog), count_rows(session, LeadEvent))
            assert after == before, f"{who} {action}"


def test_an_admin_acts_on_any_queue_without_being_a_member(session, busy):
    expected = {  # (status, partner, rank) of the proposed lead, then of the waiting one
        "route": [("proposed", busy.northwind.id, 1), ("new", None, 2)],
        "reorder": [("proposed", busy.northwind.id, 2), ("new", None, 1)],
        "assign": [("proposed", busy.northwind.id, 1), ("proposed", busy.cobalt.id, 2)],
        "confirm": [("offered", busy.northwind.id, 1), ("new", None, 2)],
    }
    for action, act in ACTIONS.items():
        act(session, busy, busy.admin)
        assert [row[1:4] for row in lead_rows(session)] == expected[action], action
        by_admin = count_rows(session, AuditLog, AuditLog.actor_user_id == busy.admin.user_id) + count_rows(
            session, LeadEvent, LeadEvent.actor_user_id == busy.admin.user_id
        )
        assert by_admin == 1, action  # the audit entry (or, for an offer, the lead's history) names the admin
        session.rollback()  # back to the committed queue for the next action


def test_queue_reads_are_for_the_vendors_people(session, w):
    make_lead(session, w.americas, "Acme Retail")
    assert [r.company for r in queue_leads(session, w.exec, w.americas.id)] == ["Acme Retail"]
    with pytest.raises(NotFound):
        queue_leads(session, w.lars, w.americas.id)
    with pytest.raises(PermissionDenied):
        queue_leads(session, w.nw, w.americas.id)
    assert routable_partners(session, w.maya) == [
        PartnerOption(org.id, org.name)
        for org in (w.bluepeak, w.cobalt, w.harbor, w.lisboa, w.northwind)  # by name; Dormant takes no leads
    ]
