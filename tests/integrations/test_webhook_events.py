"""The webhook events the leads and tiering areas announce: `lead.offered` (to the partner it is offered to),
`lead.declined` (by the partner that declined) and `partner.tier_changed`, each written to the outbox in the
transaction of the change and signed like every other event.

The lead world is tests/leads/factories.py's: a retail lead in the US goes to Northwind first, then Bluepeak."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select
from standardwebhooks import Webhook

from prm_app.integrations import webhooks
from prm_app.integrations.webhook_delivery import deliver_due_webhooks
from prm_app.integrations.webhook_models import WebhookEvent
from prm_app.integrations.webhook_rules import EVENT_LABELS, EVENT_TYPES, EndpointInput
from prm_app.integrations.webhooks import create_endpoint
from prm_app.leads.offers import decline_lead
from prm_app.platform.models import EngagementEvent
from prm_app.tiering.evaluate import change_tier
from tests.factories import T0
from tests.integrations.test_webhooks import URL, Receiver, _units
from tests.leads.factories import make_lead, make_lead_world, send

EVENTS = ("lead.offered", "lead.declined", "partner.tier_changed")


@pytest.fixture
def w(session: Session, monkeypatch) -> SimpleNamespace:
    monkeypatch.setattr(webhooks, "_deliverers", [])  # no job runner here: the test delivers
    w = make_lead_world(session)
    w.nw_hook = create_endpoint(session, w.nw, EndpointInput(URL + "/northwind", EVENTS))
    w.bp_hook = create_endpoint(session, w.bp, EndpointInput(URL + "/bluepeak", EVENTS))
    w.program_hook = create_endpoint(session, w.admin, EndpointInput(URL + "/program", EVENTS))
    w.acme = make_lead(session, w.americas, "Acme Retail", vertical="retail", products=[w.core], city="Detroit")
    session.commit()
    return w


def _sent(receiver: Receiver) -> dict[str, list[dict]]:
    by_url: dict[str, list[dict]] = {}
    for url, _headers, body in receiver.got:
        by_url.setdefault(url.rsplit("/", 1)[-1], []).append(json.loads(body))
    return by_url


def test_the_new_events_have_names_and_labels() -> None:
    assert {EVENT_TYPES[k] for k in ("lead_offered", "lead_declined", "tier_changed")} == set(EVENTS)
    assert all(EVENT_LABELS[e] for e in EVENTS)


def test_an_offer_reaches_the_offered_partner_signed_and_a_decline_the_decliner(engine, session, w):
    send(session, w.maya, w.americas, [w.acme], now=T0)
    session.commit()
    receiver = Receiver()
    deliver_due_webhooks(_units(engine), receiver)
    sent = _sent(receiver)
    assert [(e["type"], e["data"]["object_id"], e["data"]["organization_id"]) for e in sent["northwind"]] == [
        ("lead.offered", w.acme.id, w.northwind.id)
    ]
    assert "bluepeak" not in sent  # another partner's offer never reaches it
    assert [e["type"] for e in sent["program"]] == ["lead.offered"]
    (_url, headers, body), *_ = (g for g in receiver.got if g[0].endswith("/northwind"))
    assert Webhook(w.nw_hook.secret).verify(body, headers)["type"] == "lead.offered"

    # Northwind declines: its endpoint hears lead.declined; the lead is offered on to Bluepeak, whose endpoint hears it.
    decline_lead(session, w.nw, w.acme.id, "No capacity", now=T0)
    session.commit()
    receiver = Receiver()
    deliver_due_webhooks(_units(engine), receiver)
    sent = _sent(receiver)
    assert [(e["type"], e["data"]["actor_user_id"]) for e in sent["northwind"]] == [("lead.declined", w.nw.user_id)]
    assert [(e["type"], e["data"]["organization_id"]) for e in sent["bluepeak"]] == [("lead.offered", w.bluepeak.id)]
    assert sorted(e["type"] for e in sent["program"]) == ["lead.declined", "lead.offered"]


def test_a_tier_change_is_announced_in_its_transaction_and_a_rollback_announces_nothing(engine, session, w):
    gold = w.bluepeak.tier_id
    change_tier(session, None, w.northwind.id, gold, "evaluation", "Qualified.")
    session.rollback()
    assert session.exec(select(WebhookEvent)).all() == []

    change_tier(session, None, w.northwind.id, gold, "evaluation", "Qualified.")
    change_tier(session, None, w.northwind.id, gold, "evaluation", "Again.")  # already Gold: no change, no event
    session.commit()
    kinds = session.exec(select(EngagementEvent.kind).where(EngagementEvent.organization_id == w.northwind.id)).all()
    assert kinds.count("tier_changed") == 1
    receiver = Receiver()
    deliver_due_webhooks(_units(engine), receiver)
    sent = _sent(receiver)
    changed = [(e["type"], e["data"]["object_id"]) for e in sent["northwind"]]
    assert changed == [("partner.tier_changed", w.northwind.id)]
    assert "bluepeak" not in sent
