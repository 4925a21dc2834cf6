"""Leads on the REST API (SQLite and PostgreSQL): a partner's key reaches only the leads offered to or worked by its
organization (404 for any other), scopes narrow and the permission table still decides, an idempotent create, route
and offer with routing's explanation, accept and decline through the leads area's own use cases (an accept racing
a decline: exactly one wins), the audit entry naming the key, and the API's 405 and 500 answers.

The world is tests/leads/factories.py's: for a retail lead in the US, Northwind (75.0) > Bluepeak (50.0) > Cobalt."""

from __future__ import annotations

import json
import threading
import uuid
from types import SimpleNamespace

import pytest
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from prm_app.integrations import KeyInput, create_api_key
from prm_app.integrations.ui import api_leads
from prm_app.integrations.ui.api_http import build_api
from prm_app.leads.models import Lead, LeadDecline, LeadStatus
from prm_app.platform.clock import utcnow
from prm_app.platform.models import AuditLog
from tests.leads.factories import make_lead, make_lead_world, send

READ_WRITE = ("leads:read", "leads:write")


@pytest.fixture
def w(engine) -> SimpleNamespace:
    """Acme Retail offered to Northwind now; Zeta waiting in the Americas queue; Porto waiting in EMEA."""
    with Session(engine, expire_on_commit=False) as session:
        w = make_lead_world(session)
        w.acme = make_lead(session, w.americas, "Acme Retail", vertical="retail", products=[w.core]).id
        w.zeta = make_lead(session, w.americas, "Zeta Retail", vertical="retail").id
        w.porto = make_lead(session, w.emea, "Porto Shops", country="PT", vertical="retail").id
        send(session, w.maya, w.americas, [session.get(Lead, w.acme)], now=utcnow())
        key = lambda actor, name, scopes=READ_WRITE: create_api_key(session, actor, KeyInput(name, scopes)).secret  # noqa: E731
        w.nw_key, w.bp_key = key(w.nw, "Northwind CRM"), key(w.bp, "Bluepeak CRM")
        w.nw_reader = key(w.nw, "Northwind reader", ("leads:read",))
        w.admin_key = key(w.admin, "Program leads")
        session.commit()
    w.engine = engine
    return w


def client(key: str = "") -> TestClient:
    c = TestClient(build_api(), raise_server_exceptions=False)
    if key:
        c.headers["Authorization"] = f"Bearer {key}"
    return c


def lead_body(**overrides) -> dict:
    body = {"company": "Gamma Stores", "domain": "gamma-stores.com", "contact_name": "Gail Gamma",
            "contact_email": "gail@gamma-stores.com", "country": "US", "city": "Chicago", "vertical": "retail",
            "products": ["CORE"], "estimated_size": "12500", "source": "event"}  # fmt: skip
    return {**body, **overrides}


def status_of(engine, lead_id: int) -> tuple[str, int | None]:
    with Session(engine) as session:
        lead = session.get(Lead, lead_id)
        return lead.status, lead.partner_id


def test_a_partner_key_sees_only_its_own_offers_like_the_leads_page(w):
    northwind = client(w.nw_key)
    listed = northwind.get("/api/v1/leads").json()
    assert [row["id"] for row in listed["data"]] == [w.acme] and listed["next_cursor"] is None
    one = northwind.get(f"/api/v1/leads/{w.acme}").json()
    assert one["status"] == "offered" and one["company"] == "Acme Retail"
    assert one["contact_name"] is None and one["contact_email"] is None  # hidden until accepted, as on the page
    assert one["proposal_reasons"] == [] and one["queue_id"] is None  # routing's internals stay the vendor's
    for other in (w.zeta, w.porto, 999_999):  # waiting in a queue, another region, none at all: the same 404
        missing = northwind.get(f"/api/v1/leads/{other}")
        assert missing.status_code == 404 and missing.json()["detail"] == "Lead not found."
    bluepeak = client(w.bp_key)
    assert bluepeak.get("/api/v1/leads").json()["data"] == []
    assert bluepeak.get(f"/api/v1/leads/{w.acme}").status_code == 404
    assert bluepeak.post(f"/api/v1/leads/{w.acme}/accept").status_code == 404
    assert status_of(w.engine, w.acme) == ("offered", w.northwind.id)


def test_a_program_key_reaches_every_queue_with_routing_s_reasons(w):
    admin = client(w.admin_key)
    assert {r["id"] for r in admin.get("/api/v1/leads").json()["data"]} == {w.acme, w.zeta, w.porto}
    one = admin.get(f"/api/v1/leads/{w.acme}").json()
    assert one["contact_email"] == "jo@acmeretail.example" and one["proposal_reasons"]
    page = admin.get("/api/v1/leads", params={"limit": 2}).json()
    rest = admin.get("/api/v1/leads", params={"cursor": page["next_cursor"]}).json()
    assert [r["id"] for r in page["data"] + rest["data"]] == sorted([w.acme, w.zeta, w.porto])
    since = admin.get("/api/v1/leads", params={"updated_since": "2999-01-01T00:00:00Z"}).json()
    assert since["data"] == []


def test_scopes_narrow_and_the_permission_table_still_decides(w):
    reader = client(w.nw_reader)
    assert reader.get("/api/v1/leads").status_code == 200
    refused = reader.post(f"/api/v1/leads/{w.acme}/accept")
    assert refused.status_code == 403 and "leads:write" in refused.json()["detail"]
    # A partner's key with leads:write still cannot add or route a lead: only the vendor's managers do.
    assert client(w.nw_key).post("/api/v1/leads", json=lead_body()).status_code == 403
    assert client(w.nw_key).post(f"/api/v1/leads/{w.zeta}/route").status_code == 404  # not its lead: never 403
    # A program key cannot accept an offer made to a partner.
    assert client(w.admin_key).post(f"/api/v1/leads/{w.acme}/accept").status_code == 403
    assert status_of(w.engine, w.acme) == ("offered", w.northwind.id)


def count_leads(engine, company: str) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Lead).where(Lead.company == company)).one()


def test_creating_a_lead_twice_with_one_idempotency_key_adds_one(w):
    admin, headers = client(w.admin_key), {"Idempotency-Key": str(uuid.uuid4())}
    first = admin.post("/api/v1/leads", json=lead_body(), headers=headers)
    again = admin.post("/api/v1/leads", json=lead_body(), headers=headers)
    assert first.status_code == again.status_code == 201, first.text
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    made = first.json()
    assert (made["status"], made["queue_id"], made["estimated_size"]) == ("new", w.americas.id, "12500.00")
    assert made["product_ids"] == [w.core.id] and made["contact_email"] == "gail@gamma-stores.com"
    assert count_leads(w.engine, "Gamma Stores") == 1
    bad = admin.post(
        "/api/v1/leads", json=lead_body(country="Atlantis", products=["NOPE"]), headers={"Idempotency-Key": "b"}
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"country", "products"}
    assert count_leads(w.engine, "Gamma Stores") == 1


def test_route_explains_and_offer_sends_then_the_partner_accepts(w):
    admin = client(w.admin_key)
    routed = admin.post(f"/api/v1/leads/{w.zeta}/route", headers={"Idempotency-Key": "route-zeta"})
    assert routed.status_code == 200, routed.text
    assert routed.json()["proposed"] is True and routed.json()["lead"]["status"] == "proposed"
    assert routed.json()["explanation"] == routed.json()["lead"]["proposal_reasons"] and routed.json()["explanation"]
    # Northwind is full (capacity 2: Acme offered, Zeta proposed): offer Zeta by hand to Bluepeak instead.
    offered = admin.post(f"/api/v1/leads/{w.zeta}/offer", json={"partner_id": w.bluepeak.id})
    assert offered.status_code == 200 and offered.json()["status"] == "offered"
    assert offered.json()["partner_id"] == w.bluepeak.id
    again = admin.post(f"/api/v1/leads/{w.zeta}/offer", json={})
    assert again.status_code == 409  # already an offer: nothing to send
    accepted = client(w.bp_key).post(f"/api/v1/leads/{w.zeta}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["contact_email"] == "jo@zetaretail.example"  # shown once accepted
    assert status_of(w.engine, w.zeta) == ("accepted", w.bluepeak.id)


def test_decline_needs_a_reason_and_moves_the_lead_on(w):
    northwind = client(w.nw_key)
    no_reason = northwind.post(f"/api/v1/leads/{w.acme}/decline", json={"reason": "Because"})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    declined = northwind.post(f"/api/v1/leads/{w.acme}/decline", json={"reason": "No capacity"})
    assert declined.status_code == 200 and declined.json() == {"id": w.acme, "declined": True, "reason": "No capacity"}
    assert status_of(w.engine, w.acme) == ("offered", w.bluepeak.id)  # the next best partner, at once
    assert northwind.get(f"/api/v1/leads/{w.acme}").status_code == 404  # no longer Northwind's
    assert client(w.bp_key).get(f"/api/v1/leads/{w.acme}").json()["status"] == "offered"


def test_an_accept_racing_a_decline_lets_exactly_one_win(w):
    barrier, answers = threading.Barrier(2), {}

    def go(action: str) -> None:
        body = {"reason": "Not a fit"} if action == "decline" else None
        barrier.wait(5)
        answers[action] = client(w.nw_key).post(f"/api/v1/leads/{w.acme}/{action}", json=body)

    threads = [threading.Thread(target=go, args=(a,)) for a in ("accept", "decline")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    codes = {a: r.status_code for a, r in answers.items()}
    # The loser is refused: 409 when it read the lead still offered to Northwind; 404 when the winning decline had
    # already moved it to the next partner (no longer Northwind's, as after any decline). Never two winners.
    loser = codes["accept"] if codes["decline"] == 200 else codes["decline"]
    assert sorted(codes.values()).count(200) == 1 and loser in (409, 404), {a: r.text for a, r in answers.items()}
    assert loser == 409 or codes["decline"] == 200, {a: r.text for a, r in answers.items()}
    with Session(w.engine) as session:
        declines = session.exec(select(func.count()).select_from(LeadDecline)).one()
        lead = session.get(Lead, w.acme)
    if codes["accept"] == 200:
        assert (lead.status, lead.partner_id, declines) == (LeadStatus.ACCEPTED, w.northwind.id, 0)
    else:
        assert lead.partner_id != w.northwind.id and declines == 1


def test_the_audit_entry_of_an_api_write_names_the_key_never_its_secret(w):
    assert client(w.nw_key).post(f"/api/v1/leads/{w.acme}/accept").status_code == 200
    with Session(w.engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "lead_accepted")).one()
    summary = json.loads(entry.summary)
    assert summary["api_key"]["prefix"] == w.nw_key[:12] and isinstance(summary["api_key"]["id"], int)
    assert w.nw_key not in entry.summary


def test_a_wrong_method_answers_405_with_allow_and_a_crash_500_as_problem_json(w, monkeypatch):
    northwind = client(w.nw_key)
    wrong = northwind.get(f"/api/v1/leads/{w.acme}/accept")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert wrong.headers["content-type"] == "application/problem+json"
    assert northwind.delete("/api/v1/leads").headers["allow"] == "GET, POST"
    assert northwind.get("/api/v1/nothing-here").status_code == 404

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api_leads, "accept_lead", broken)
    crashed = northwind.post(f"/api/v1/leads/{w.acme}/accept")
    assert crashed.status_code == 500 and crashed.headers["content-type"] == "application/problem+json"
    assert crashed.json()["status"] == 500 and "secret internals" not in crashed.text
