"""The REST API over HTTP (Starlette's TestClient) on SQLite and PostgreSQL: keys and their reach, scopes, tenant
isolation (404, never 403, for another partner's record), idempotent POSTs (also two at once), the per-key rate
limit, stable cursor pages, `updated_since`, problem+json errors and the offline docs."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from prm_app.deals import Deal, approve_deal, set_distributor_required
from prm_app.identity import User
from prm_app.integrations import ApiKey, KeyInput, create_api_key, revoke_api_key
from prm_app.integrations.ui import api_routes
from prm_app.integrations.ui.api_http import build_api
from prm_app.partners import PartnerType, add_relation
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from tests.deals.factories import make_world, register
from tests.factories import actor_for, make_org, make_user

PARTNER = ("partners:read", "users:read", "deals:read", "deals:write", "surveys:read", "surveys:write")


@pytest.fixture
def world(engine) -> SimpleNamespace:
    with Session(engine, expire_on_commit=False) as session:
        w = make_world(session)
        w.b_admin = actor_for(make_user(session, Role.PARTNER_ADMIN, w.beta))
        now = utcnow()
        w.alpha_deals = [register(session, w.a, w.products, now=now, customer_name=f"Alpha Co {i}") for i in range(3)]
        w.beta_deal = register(session, w.b, w.products, now=now, customer_name="Beta Customer")
        w.a_key = create_api_key(session, w.a, KeyInput("Alpha CRM", PARTNER)).secret
        w.a_read = create_api_key(session, w.a, KeyInput("Alpha reader", ("deals:read",))).secret
        w.b_key = create_api_key(session, w.b_admin, KeyInput("Beta CRM", PARTNER)).secret
        w.admin_key = create_api_key(session, w.admin, KeyInput("Program", ("deals:read", "audit:read"))).secret
        session.commit()
    w.engine = engine
    return w


def client(key: str = "", app=None) -> TestClient:
    c = TestClient(app or build_api())
    if key:
        c.headers["Authorization"] = f"Bearer {key}"
    return c


def deal_body(**overrides) -> dict:
    body = {
        "customer_name": "Gamma Industries", "customer_site": "https://gamma-industries.com", "country": "US",
        "contact_name": "Gail Gamma", "contact_email": "gail@gamma-industries.com", "product_ids": [],
        "estimated_value": "40000.00", "currency": "USD",
        "expected_close": (utcnow().date() + timedelta(days=45)).isoformat(), "stage": "Proposal",
    }  # fmt: skip
    return {**body, **overrides}


def count_deals(engine, name: str) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Deal).where(Deal.customer_name == name)).one()


def test_a_partner_key_reaches_its_own_organization_only(world):
    alpha = client(world.a_key)
    rows = alpha.get("/api/v1/deals").json()["data"]
    assert sorted(d["id"] for d in rows) == sorted(world.alpha_deals)
    assert {d["organization_id"] for d in rows} == {world.alpha.id}
    assert alpha.get(f"/api/v1/deals/{world.alpha_deals[0]}").json()["deal"]["customer"] == "Alpha Co 0"
    foreign = alpha.get(f"/api/v1/deals/{world.beta_deal}")
    assert foreign.status_code == 404 and foreign.headers["content-type"] == "application/problem+json"
    assert foreign.json() == {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Deal not found."}
    assert alpha.get("/api/v1/deals/999999").json() == foreign.json()  # the same answer as for no record at all
    assert [p["id"] for p in alpha.get("/api/v1/partners").json()["data"]] == [world.alpha.id]
    assert alpha.get(f"/api/v1/partners/{world.beta.id}").status_code == 404
    assert {u["organization_id"] for u in alpha.get("/api/v1/users").json()["data"]} == {world.alpha.id}


def test_a_program_key_reads_every_partner_and_the_evidence_of_a_deal(world):
    admin = client(world.admin_key)
    ids = {d["id"] for d in admin.get("/api/v1/deals").json()["data"]}
    assert ids == {*world.alpha_deals, world.beta_deal}
    detail = admin.get(f"/api/v1/deals/{world.beta_deal}").json()
    assert detail["partner_name"] == "Beta Systems" and isinstance(detail["evidence"], list)
    events = admin.get("/api/v1/audit-events").json()["data"]
    assert "api_key_created" in {e["action"] for e in events}


def test_scopes_narrow_a_key_and_the_permission_table_still_decides(world):
    reader = client(world.a_read)
    assert reader.get("/api/v1/deals").status_code == 200
    refused = reader.post("/api/v1/deals", json=deal_body(product_ids=list(world.products)))
    assert refused.status_code == 403 and "deals:write" in refused.json()["detail"]
    assert reader.get("/api/v1/partners").status_code == 403
    # An administrator's key with deals:write still cannot register a deal: only partners do (same use case).
    with Session(world.engine) as session:
        key = create_api_key(session, world.admin, KeyInput("Writer", ("deals:write",))).secret
        session.commit()
    assert client(key).post("/api/v1/deals", json=deal_body(product_ids=list(world.products))).status_code == 403


def test_keys_stop_working_when_revoked_expired_or_their_person_leaves(world):
    assert client("").get("/api/v1/deals").status_code == 401
    assert client("prm_not-a-real-key").get("/api/v1/deals").headers["www-authenticate"] == "Bearer"
    assert client(world.a_key).get("/api/v1/deals").status_code == 200
    with Session(world.engine) as session:
        key = session.exec(select(ApiKey).where(ApiKey.name == "Alpha CRM")).one()
        assert key.last_used_at is not None  # the list shows when it was last used
        with pytest.raises(Exception, match="not found"):
            revoke_api_key(session, world.b_admin, key.id)  # another organization's key
        revoke_api_key(session, world.a, key.id)
        reader = session.exec(select(ApiKey).where(ApiKey.name == "Alpha reader")).one()
        reader.expires_at = utcnow() - timedelta(seconds=1)
        session.add(reader)
        session.get_one(User, world.b_admin.user_id).is_active = False
        session.commit()
    for key in (world.a_key, world.a_read, world.b_key):
        assert client(key).get("/api/v1/deals").status_code == 401


def test_posting_twice_with_one_idempotency_key_registers_one_deal(world):
    alpha = client(world.a_key)
    body, headers = deal_body(product_ids=list(world.products)), {"Idempotency-Key": str(uuid.uuid4())}
    first = alpha.post("/api/v1/deals", json=body, headers=headers)
    again = alpha.post("/api/v1/deals", json=body, headers=headers)
    assert first.status_code == again.status_code == 201, first.text
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    assert first.json()["deal"]["estimated_value"] == "40000.00" and first.json()["deal"]["status"] == "submitted"
    assert count_deals(world.engine, "Gamma Industries") == 1
    changed = alpha.post("/api/v1/deals", json={**body, "estimated_value": "1.00"}, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["errors"] == [{"field": "Idempotency-Key", "detail": changed.json()["detail"]}]
    # Another key's Idempotency-Key space is its own.
    other = client(world.b_key).post("/api/v1/deals", json=body, headers=headers)
    assert other.status_code == 201 and other.json()["deal"]["id"] != first.json()["deal"]["id"]


def test_a_refused_post_frees_its_key_and_says_which_field(world):
    alpha, headers = client(world.a_key), {"Idempotency-Key": "retry-me"}
    bad = alpha.post("/api/v1/deals", json=deal_body(country="XX", product_ids=[]), headers=headers)
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in bad.json()["errors"]} == {"country", "products"}
    good = alpha.post("/api/v1/deals", json=deal_body(product_ids=list(world.products)), headers=headers)
    assert good.status_code == 201  # nothing was done the first time: the key was given back
    shape = alpha.post("/api/v1/deals", json={"customer_name": 5})
    assert shape.status_code == 422 and "country" in {e["field"] for e in shape.json()["errors"]}


def test_two_requests_at_once_with_one_key_make_one_deal(world, monkeypatch):
    slow_down = threading.Event()

    def slow_register(*args, **kwargs):
        slow_down.set()
        time.sleep(0.6)  # the first request is still working when the second arrives
        return real(*args, **kwargs)

    real = api_routes.register_deal
    monkeypatch.setattr(api_routes, "register_deal", slow_register)
    body, headers = deal_body(product_ids=list(world.products)), {"Idempotency-Key": "together"}
    answers: list = [None, None]

    def send(i: int) -> None:
        if i == 1:
            slow_down.wait(5)
        answers[i] = client(world.a_key).post("/api/v1/deals", json=body, headers=headers)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert count_deals(world.engine, "Gamma Industries") == 1
    replay = client(world.a_key).post("/api/v1/deals", json=body, headers=headers)
    assert replay.status_code == 201 and replay.json() == next(a.json() for a in answers if a.status_code == 201)


def test_each_key_has_its_own_rate_limit_with_retry_after(world):
    app = build_api(rate_limit="3/minute")
    alpha, beta = client(world.a_key, app), client(world.b_key, app)
    assert [alpha.get("/api/v1/partners").status_code for _ in range(3)] == [200, 200, 200]
    limited = alpha.get("/api/v1/partners")
    assert limited.status_code == 429 and limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert beta.get("/api/v1/partners").status_code == 200  # another key counts apart


def test_cursor_pages_are_stable_while_rows_are_added(world):
    with Session(world.engine, expire_on_commit=False) as session:
        more = [register(session, world.a, world.products, now=utcnow(), customer_name=f"More {i}") for i in range(3)]
        session.commit()
    alpha, seen, cursor = client(world.a_key), [], ""
    first = alpha.get("/api/v1/deals", params={"limit": 2}).json()
    seen += [d["id"] for d in first["data"]]
    with Session(world.engine, expire_on_commit=False) as session:  # a deal arrives between two pages
        late = register(session, world.a, world.products, now=utcnow(), customer_name="Late arrival")
        session.commit()
    cursor = first["next_cursor"]
    while cursor:
        page = alpha.get("/api/v1/deals", params={"limit": 2, "cursor": cursor}).json()
        seen += [d["id"] for d in page["data"]]
        cursor = page["next_cursor"]
    assert seen == sorted([*world.alpha_deals, *more, late])  # each once, in order, the newcomer at the end
    bad = alpha.get("/api/v1/deals", params={"cursor": "forged"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
    assert alpha.get("/api/v1/deals", params={"limit": 0}).json()["errors"][0]["field"] == "limit"


def test_updated_since_returns_what_changed_after_the_moment(world):
    since = utcnow()
    time.sleep(0.01)
    with Session(world.engine) as session:
        approve_deal(session, world.manager, world.alpha_deals[1])
        session.commit()
    admin = client(world.admin_key)
    changed = admin.get("/api/v1/deals", params={"updated_since": since.isoformat()}).json()["data"]
    assert [d["id"] for d in changed] == [world.alpha_deals[1]] and changed[0]["status"] == "approved"
    later = admin.get("/api/v1/deals", params={"updated_since": (utcnow() + timedelta(hours=1)).isoformat()})
    assert later.json() == {"data": [], "next_cursor": None}
    assert admin.get("/api/v1/deals", params={"updated_since": "soon"}).json()["errors"][0]["field"] == "updated_since"


def test_the_docs_and_the_openapi_document_come_from_this_server(world):
    anyone = client()
    page = anyone.get("/api/v1/docs")
    assert page.status_code == 200 and "/api/v1/docs/static/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert anyone.get("/api/v1/docs/static/swagger-ui-bundle.js").status_code == 200
    spec = anyone.get("/api/v1/openapi.json").json()
    assert {"/api/v1/deals", "/api/v1/partners", "/api/v1/audit-events"} <= set(spec["paths"])
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    missing = client(world.a_key).get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_a_partner_key_answers_an_open_survey_once(world):
    from prm_app.nps import launch_survey

    now = utcnow()
    with Session(world.engine) as session:
        survey = launch_survey(
            session, world.manager, title="Q4 pulse", question="Would you recommend us?",
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7), now=now,
        )  # fmt: skip
        session.commit()
    alpha = client(world.a_key)
    (listed,) = alpha.get("/api/v1/surveys").json()["data"]
    assert (listed["id"], listed["answered"]) == (survey, False)
    first = alpha.post(f"/api/v1/surveys/{survey}/answers", json={"score": 9, "comment": "Good"})
    assert first.status_code == 201 and first.json()["score"] == 9
    twice = alpha.post(f"/api/v1/surveys/{survey}/answers", json={"score": 3})
    assert twice.status_code == 409 and twice.headers["content-type"] == "application/problem+json"
    out_of_range = alpha.post(f"/api/v1/surveys/{survey}/answers", json={"score": 11})
    assert out_of_range.status_code == 422 and out_of_range.json()["errors"][0]["field"] == "score"
    assert alpha.get("/api/v1/surveys").json()["data"][0]["score"] == 9
    assert client(world.admin_key).get("/api/v1/surveys").status_code == 403  # no surveys:read on that key


def test_a_partner_held_by_an_overdue_agreement_is_held_on_the_api_too(world):
    import prm_app.identity.ui  # noqa: F401  (registers the account page, which the gate keeps open)
    from prm_app.agreements import publish_version, save_template
    from prm_app.agreements.ui.gate import HELD  # importing it registers the gate, as the app does

    with Session(world.engine) as session:
        template = save_template(session, world.manager, None, name="Partner Program Agreement", body="Hi")
        publish_version(session, world.manager, template, requires_acceptance=True, grace_days=0)
        session.commit()
    held = client(world.a_key).get("/api/v1/deals")
    assert held.status_code == 403 and held.json()["detail"] == HELD
    assert client(world.admin_key).get("/api/v1/deals").status_code == 200  # the vendor's people are not held


def test_an_oversized_body_is_refused_before_it_is_read_or_the_key_checked(world):
    """FastAPI reads a route's whole body before its dependencies run (the key among them), so without a cap anyone,
    with no key at all, could make the server hold any number of bytes in memory."""
    huge = deal_body(description="x" * 300_000)
    for key in ("", world.a_key):
        refused = client(key).post("/api/v1/deals", json=huge)
        assert refused.status_code == 413 and refused.headers["content-type"] == "application/problem+json"
    assert count_deals(world.engine, "Gamma Industries") == 0
    fits = client(world.a_key).post("/api/v1/deals", json=deal_body(product_ids=list(world.products)))
    assert fits.status_code == 201


def test_a_streamed_body_is_cut_off_at_the_cap():
    """No Content-Length (chunked): the guard stops pulling chunks once the cap is passed."""
    import asyncio

    from prm_app.integrations.ui.api_http import MAX_BODY, BodyCap

    pulled, sent, reached = [0], [], []

    async def receive():
        pulled[0] += 1
        return {"type": "http.request", "body": b"x" * 16_384, "more_body": True}

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):  # pragma: no cover - must not be reached
        reached.append(scope)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/deals", "headers": []}
    asyncio.run(BodyCap(app)(scope, receive, send))
    assert not reached and sent[0]["status"] == 413
    assert pulled[0] <= MAX_BODY // 16_384 + 1


def test_a_request_whose_claim_was_taken_over_does_not_register_a_second_deal(world, monkeypatch):
    """A claim older than STALE_CLAIM is taken over by a retry (its request is presumed dead). If that first
    request was only slow and finishes afterwards, it must not add a second deal: only the claim's holder
    completes."""
    from prm_app.integrations import IdempotencyRecord
    from prm_app.integrations.idempotency import STALE_CLAIM

    started, go_on = threading.Event(), threading.Event()
    real = api_routes.register_deal

    def first_is_slow(*args, **kwargs):
        if not started.is_set():
            started.set()
            go_on.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(api_routes, "register_deal", first_is_slow)
    body, headers = deal_body(product_ids=list(world.products)), {"Idempotency-Key": "slow-then-retried"}
    answers: dict = {}

    def send_first() -> None:
        answers["slow"] = client(world.a_key).post("/api/v1/deals", json=body, headers=headers)

    slow = threading.Thread(target=send_first)
    slow.start()
    assert started.wait(10)
    with Session(world.engine) as session:  # the first request has been working for longer than STALE_CLAIM
        record = session.exec(select(IdempotencyRecord)).one()
        record.created_at -= STALE_CLAIM + timedelta(seconds=1)
        session.add(record)
        session.commit()
    retry = client(world.a_key).post("/api/v1/deals", json=body, headers=headers)
    assert retry.status_code == 201
    go_on.set()
    slow.join(30)
    assert answers["slow"].status_code == 409
    assert count_deals(world.engine, "Gamma Industries") == 1
    replay = client(world.a_key).post("/api/v1/deals", json=body, headers=headers)
    assert replay.status_code == 201 and replay.json() == retry.json()


def test_idempotency_records_are_deleted_after_their_24_hours_by_a_scheduled_job(world):
    """The stored answers hold customers' names and contacts: they go once no retry can get them any more."""
    from prm_app.integrations import IdempotencyRecord
    from prm_app.integrations.idempotency import RETENTION
    from prm_app.runtime import jobs

    alpha = client(world.a_key)
    for key in ("old", "recent"):
        body = deal_body(customer_name=f"Kept {key}", product_ids=list(world.products))
        assert alpha.post("/api/v1/deals", json=body, headers={"Idempotency-Key": key}).status_code == 201
    with Session(world.engine) as session:
        old = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.idempotency_key == "old")).one()
        old.created_at -= RETENTION
        session.add(old)
        session.commit()
    assert "forget_idempotency_records" in {job.name for job in jobs.SCHEDULED}
    assert jobs.forget_idempotency_records_now() == 1
    with Session(world.engine) as session:
        assert session.exec(select(IdempotencyRecord.idempotency_key)).all() == ["recent"]
    assert count_deals(world.engine, "Kept old") == 1  # the deals themselves stay


def test_a_reseller_key_names_its_distributor_and_keeps_the_deal_from_it(world):
    """The API takes the registration form's distribution fields: a required distributor is asked for by field,
    a named one is checked against the reseller's current distributors, and "do not share" holds."""
    with Session(world.engine, expire_on_commit=False) as session:
        distributor = make_org(session, name="Api Distribution", partner_type=PartnerType.DISTRIBUTOR)
        add_relation(session, world.admin, world.alpha.id, str(distributor.id), "distributor", "2026-01-01")
        set_distributor_required(session, world.admin, True)
        session.commit()
    alpha = client(world.a_key)
    missing = alpha.post("/api/v1/deals", json=deal_body(product_ids=list(world.products)))
    assert missing.status_code == 422
    assert "distributor_id" in {e["field"] for e in missing.json()["errors"]}
    foreign = alpha.post(
        "/api/v1/deals", json=deal_body(product_ids=list(world.products), distributor_id=world.beta.id)
    )
    assert {e["field"] for e in foreign.json()["errors"]} == {"distributor_id"}
    made = alpha.post(
        "/api/v1/deals",
        json=deal_body(product_ids=list(world.products), distributor_id=distributor.id, hide_from_distributor=True),
    )
    assert made.status_code == 201, made.text
    parties = made.json()["parties"]
    assert (parties["distributor_id"], parties["distributor"], parties["shared"]) == (
        distributor.id, "Api Distribution", False,
    )  # fmt: skip
