"""CRM sync against the local stand-in over real HTTP (SQLite and PostgreSQL): a sync creates each record once and a
second changes nothing; a run resumed after its consumer died goes on from its cursor; reconciliation finds what
changed in the CRM and resolving it either way makes both sides agree; inbound events are applied once, in the order
they happened; Salesforce's per-record refusals are logged, not fatal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from prm_app.crm import (
    RECONCILE,
    SYNC,
    ConnectionInput,
    CrmDrift,
    CrmInboundEvent,
    CrmLink,
    CrmSyncLog,
    HubSpot,
    connectors,
    parse_signed_json,
    receive_events,
    resolve_drift,
    run_crm_job,
    save_connection,
    start_crm_run,
)
from prm_app.crm import service as crm_service
from prm_app.crm.inbound import InboundEvent
from prm_app.deals import Deal
from prm_app.platform.access import Role
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError, PermissionDenied
from prm_app.platform.jobs_progress import JobRun
from tests.crm.standin import StandIn, start_standin
from tests.factories import actor_for, make_org, make_user


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = start_standin("tok-123")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _local_http(monkeypatch):
    monkeypatch.setattr(crm_service, "settings", SimpleNamespace(demo_mode=True))  # the stand-in speaks plain http
    monkeypatch.setattr(connectors, "local_receivers_allowed", lambda: True)  # on this machine's own address


def test_outside_the_demo_a_crm_on_this_machine_or_the_private_network_is_refused(monkeypatch, standin):
    """The webhooks' rule: a CRM address resolving to loopback or a private network is never called in production
    (an admin's typo or a hostile value cannot make the app reach its own database or cloud metadata)."""
    monkeypatch.setattr(connectors, "local_receivers_allowed", lambda: False)
    for base in (standin.url, "http://10.1.2.3:8080", "https://169.254.169.254"):
        with pytest.raises(connectors.CrmError, match="not allowed"):
            connectors.HubSpot(base, "tok-123").upsert("companies", [("p:1", {"name": "X"})])


def _world(session: Session, deals: int = 3):
    admin = make_user(session, Role.ADMIN)
    orgs = [make_org(session, name=f"Partner {n} GmbH") for n in (1, 2)]
    creator = make_user(session, Role.PARTNER_ADMIN, orgs[0])
    for n in range(deals):
        session.add(Deal(
            organization_id=orgs[n % 2].id, created_by_id=creator.id, status="draft" if n == deals - 1 else "submitted",
            customer_name=f"Customer {n}", name_norm=f"customer {n}", country="DE", contact_name="Ann",
            contact_email="ann@customer.example", estimated_value=Decimal("1000.00") + n, currency="EUR",
            expected_close=date(2027, 1, 10 + n), stage="Proposal",
        ))  # fmt: skip
    session.commit()
    return actor_for(admin)


def _connect(session: Session, admin, standin: StandIn, provider: str = "hubspot") -> None:
    save_connection(session, admin, ConnectionInput(provider, standin.url + "/", "tok-123", "in-secret"))
    session.commit()


def _run(session: Session, engine, admin, kind: str = SYNC, provider: str = "hubspot", **kw) -> JobRun:
    run_id = start_crm_run(session, admin, provider, kind)
    session.commit()
    run_crm_job(run_id, lambda: session_scope(engine), **kw)
    run = session.get(JobRun, run_id, populate_existing=True)
    assert run is not None
    return run


def test_a_sync_creates_each_record_once_and_a_second_changes_nothing(session, engine, standin):
    admin = _world(session)
    _connect(session, admin, standin)
    first = _run(session, engine, admin)
    assert first.status == "done", first.error
    assert len(standin.table("hubspot", "companies")) == 2
    assert len(standin.table("hubspot", "deals")) == 2  # the draft is the partner's own
    _id, deal = standin.find("hubspot", "deals", "deal-1")
    assert deal["dealname"] == "Customer 0" and deal["amount"] == "1000.00" and deal["prm_partner"] == "Partner 1 GmbH"
    assert deal["closedate"] == "2027-01-10"
    assert json.loads(first.summary)["created"] == 2 + 2 + 1  # partners, deals, the partner admin (a contact)

    calls = len(standin.requests)
    second = _run(session, engine, admin)
    assert json.loads(second.summary) == {"created": 0, "updated": 0, "failed": 0, "differing": 0}
    assert len(standin.requests) == calls  # nothing changed: nothing sent
    assert len(standin.table("hubspot", "deals")) == 2
    log = session.exec(select(CrmSyncLog).where(CrmSyncLog.run_id == second.id)).all()
    assert log[-1].message.startswith("Sync finished: 0 created, 0 updated, 5 unchanged")

    deal_row = session.exec(select(Deal).where(Deal.customer_name == "Customer 1")).one()
    deal_row.estimated_value = Decimal("1999.99")
    session.add(deal_row)
    session.commit()
    third = _run(session, engine, admin)
    assert json.loads(third.summary)["updated"] == 1
    assert standin.find("hubspot", "deals", f"deal-{deal_row.id}")[1]["amount"] == "1999.99"


class Dies(BaseException):
    """The consumer's process dies mid-run (nothing of the run's own catches it)."""


def test_a_run_resumed_after_its_consumer_died_goes_on_from_its_cursor(session, engine, standin):
    admin = _world(session, deals=5)
    _connect(session, admin, standin)
    calls = {"n": 0}

    class OneAtATime(HubSpot):
        batch_size = 1

        def upsert(self, crm_type, records):
            calls["n"] += 1
            if calls["n"] == 4:  # partner 1, partner 2, the contact, then death before the first deal
                raise Dies()
            return super().upsert(crm_type, records)

    def one_at_a_time(_provider: str, base_url: str, token: str) -> HubSpot:
        return OneAtATime(base_url, token)

    run_id = start_crm_run(session, admin, "hubspot", SYNC)
    session.commit()
    with pytest.raises(Dies):
        run_crm_job(run_id, lambda: session_scope(engine), make=one_at_a_time)
    assert not standin.table("hubspot", "deals")
    # Its heartbeat goes stale; the periodic resend hands it to another consumer.
    session.exec(update(JobRun).where(JobRun.id == run_id).values(heartbeat_at=datetime.now(UTC) - timedelta(hours=1)))
    session.commit()
    run_crm_job(run_id, lambda: session_scope(engine), make=one_at_a_time)
    run = session.get(JobRun, run_id, populate_existing=True)
    assert run.status == "done" and run.attempt == 2
    assert calls["n"] == 4 + 4  # the 4 deals, none of the 3 records done before sent again
    assert len(standin.table("hubspot", "deals")) == 4 and len(standin.table("hubspot", "companies")) == 2


def test_reconciliation_lists_drift_and_resolving_it_either_way_makes_both_agree(session, engine, standin):
    admin = _world(session)
    _connect(session, admin, standin)
    _run(session, engine, admin)
    deals = session.exec(select(Deal).where(Deal.status == "submitted").order_by(Deal.id)).all()
    for deal, amount in zip(deals, ("5000", "6000"), strict=True):
        record_id, _ = standin.find("hubspot", "deals", f"deal-{deal.id}")
        answer = httpx.patch(f"{standin.url}/crm/v3/objects/deals/{record_id}", json={"properties": {"amount": amount}},
                             headers={"Authorization": "Bearer tok-123"})  # fmt: skip
        assert answer.status_code == 200
    record_id, _ = standin.find("hubspot", "deals", f"deal-{deals[0].id}")
    httpx.patch(f"{standin.url}/crm/v3/objects/deals/{record_id}", json={"properties": {"dealname": "Renamed"}},
                headers={"Authorization": "Bearer tok-123"})  # fmt: skip

    run = _run(session, engine, admin, RECONCILE)
    assert json.loads(run.summary)["differing"] == 3
    groups = crm_service.drift_groups(session, admin, "hubspot")
    assert [(g.object_name, g.crm_field, g.count) for g in groups] == [("deal", "amount", 2), ("deal", "dealname", 1)]

    with pytest.raises(DomainError, match="PRM's own"):  # the customer's name is the PRM's: toward the CRM only
        resolve_drift(session, admin, "hubspot", "deal", "dealname", "to_prm")
    assert resolve_drift(session, admin, "hubspot", "deal", "amount", "to_prm") == 2
    assert resolve_drift(session, admin, "hubspot", "deal", "dealname", "to_crm") == 1
    session.commit()
    assert [session.get(Deal, d.id, populate_existing=True).estimated_value for d in deals] == [5000, 6000]
    assert standin.find("hubspot", "deals", f"deal-{deals[0].id}")[1]["dealname"] == "Customer 0"
    assert session.exec(select(CrmDrift)).all() == []
    again = _run(session, engine, admin, RECONCILE)
    assert json.loads(again.summary)["differing"] == 0

    partner_user = actor_for(make_user(session, Role.PARTNER_ADMIN))
    with pytest.raises(PermissionDenied):
        resolve_drift(session, partner_user, "hubspot", "deal", "amount", "to_prm")


def _event(event_id: str, external_id: str, value: str, at: datetime, field: str = "amount") -> InboundEvent:
    return InboundEvent(event_id, at, "deals", external_id, field, value, "deal.propertyChange")


def test_inbound_events_apply_once_and_in_the_order_they_happened(session, engine, standin):
    admin = _world(session)
    _connect(session, admin, standin)
    _run(session, engine, admin)
    crm_service.save_map(
        session,
        admin,
        "hubspot",
        crm_service.MapInput("deal", "amount", "estimated_value", on_create="to_crm", on_update="to_prm"),
    )
    session.commit()
    deal = session.exec(select(Deal).where(Deal.status == "submitted").order_by(Deal.id)).first()
    link = session.exec(select(CrmLink).where(CrmLink.object_name == "deal", CrmLink.entity_id == deal.id)).one()
    t0 = datetime(2026, 12, 7, 10, tzinfo=UTC)

    # Delivered newest first: the newer value stands, the older is kept as stale.
    counts = receive_events(session, "hubspot", [_event("e2", link.external_id, "2200", t0 + timedelta(minutes=5)),
                                                  _event("e1", link.external_id, "2100", t0)])  # fmt: skip
    session.commit()
    assert counts == {"applied": 2, "stale": 0, "ignored": 0, "duplicate": 0}  # sorted by time: 2100 then 2200
    assert session.get(Deal, deal.id, populate_existing=True).estimated_value == Decimal("2200.00")
    late = receive_events(session, "hubspot", [_event("e0", link.external_id, "1900", t0 - timedelta(minutes=1))])
    session.commit()
    assert late["stale"] == 1 and session.get(Deal, deal.id, populate_existing=True).estimated_value == 2200

    before = session.exec(select(CrmInboundEvent).order_by(CrmInboundEvent.id)).all()
    again = receive_events(session, "hubspot", [_event("e2", link.external_id, "9999", t0 + timedelta(hours=1))])
    session.commit()
    assert again["duplicate"] == 1
    assert session.exec(select(CrmInboundEvent).order_by(CrmInboundEvent.id)).all() == before
    assert session.get(Deal, deal.id, populate_existing=True).estimated_value == 2200

    odd = receive_events(session, "hubspot", [_event("e9", link.external_id, "x", t0 + timedelta(hours=2)),
                                               _event("e8", "404", "1", t0), _event("e7", link.external_id, "A", t0,
                                                                                    "dealname")])  # fmt: skip
    assert odd == {"applied": 0, "stale": 0, "ignored": 3, "duplicate": 0}


def test_salesforce_upserts_by_external_id_and_logs_each_refused_record(session, engine, standin):
    admin = _world(session)
    org = make_org(session, name="Nameless Leads Ltd")
    session.commit()
    _connect(session, admin, standin, "salesforce")
    run = _run(session, engine, admin, provider="salesforce")
    assert run.status == "done", run.error
    assert len(standin.table("salesforce", "Opportunity")) == 2 and len(standin.table("salesforce", "Account")) == 3
    _id, opp = standin.find("salesforce", "Opportunity", "deal-1")
    assert opp["StageName"] == "Prospecting" and opp["Amount"] == "1000.00" and opp["PRM_Partner__c"]
    assert standin.find("salesforce", "Account", f"partner-{org.id}")[1]["Name"] == "Nameless Leads Ltd"
    again = _run(session, engine, admin, provider="salesforce")
    assert json.loads(again.summary)["created"] == 0

    # Amount becomes Salesforce's on update; its signed JSON events name the sObject and the record.
    crm_service.save_map(
        session,
        admin,
        "salesforce",
        crm_service.MapInput("deal", "Amount", "estimated_value", on_create="to_crm", on_update="to_prm"),
    )
    session.commit()
    body = json.dumps({"events": [{"eventId": "a0B7", "sobject": "Opportunity", "recordId": _id, "field": "Amount",
                                   "value": 4321, "occurredAt": "2026-12-07T10:00:00Z"}]}).encode()  # fmt: skip
    assert receive_events(session, "salesforce", parse_signed_json(body))["applied"] == 1
    session.commit()
    assert session.exec(select(Deal.estimated_value).where(Deal.id == 1)).one() == Decimal("4321.00")

    standin.token = "rotated"  # the CRM no longer takes the token: the run stops and says why
    failed = _run(session, engine, admin, RECONCILE, provider="salesforce")
    assert failed.status == "failed" and "refused the access token (HTTP 401)" in failed.error
