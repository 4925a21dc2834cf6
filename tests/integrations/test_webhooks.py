"""Webhooks on SQLite and PostgreSQL: the outbox is written in the change's own transaction (a rolled-back change
sends nothing), a partner admin's endpoint gets only its organization's events, deliveries are signed the Standard
Webhooks way, retried with backoff then given up (the endpoint failing, its owner told), redelivered on request, and
two consumers at once deliver each message once."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select
from standardwebhooks import Webhook

from prm_app.integrations import webhooks
from prm_app.integrations.webhook_delivery import Answer, deliver_due_webhooks
from prm_app.integrations.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from prm_app.integrations.webhook_rules import RETRY_DELAYS, EndpointInput
from prm_app.integrations.webhooks import (
    create_endpoint,
    delete_endpoint,
    list_deliveries,
    list_endpoints,
    redeliver,
    rotate_secret,
    send_test_event,
)
from prm_app.mail import OutboxMessage
from prm_app.notifications.models import Notification
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied
from tests.conftest import SHARED_BACKENDS, shared_database
from tests.deals.factories import make_world, register
from tests.factories import actor_for, make_user

URL = "https://hooks.example.com/prm"


class Receiver:
    """A fake receiver: answers each POST with the next code of `codes` (the last one repeating), keeps what came."""

    def __init__(self, *codes: int, delay: float = 0.0):
        self.codes, self.delay = list(codes) or [200], delay
        self.got: list[tuple[str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()

    def __call__(self, url: str, headers: dict[str, str], body: bytes) -> Answer:
        time.sleep(self.delay)
        with self.lock:
            self.got.append((url, headers, body))
            code = self.codes.pop(0) if len(self.codes) > 1 else self.codes[0]
        return Answer(code, f"answer {code}")


def _units(engine: Engine) -> Callable[[], AbstractContextManager[Session]]:
    return lambda: session_scope(engine)


@pytest.fixture
def kicks(monkeypatch) -> Iterator[list[str]]:
    asked: list[str] = []
    monkeypatch.setattr(webhooks, "_deliverers", [lambda: asked.append("deliver")])
    yield asked


@pytest.fixture
def w(session: Session, kicks) -> SimpleNamespace:
    w = make_world(session)
    w.b_admin = actor_for(make_user(session, Role.PARTNER_ADMIN, w.beta))
    events = ("deal.submitted", "deal.approved")
    w.alpha_hook = create_endpoint(session, w.a, EndpointInput(URL + "/alpha", events))
    w.beta_hook = create_endpoint(session, w.b_admin, EndpointInput(URL + "/beta", events))
    w.program_hook = create_endpoint(session, w.admin, EndpointInput(URL + "/program", ("deal.submitted",)))
    session.commit()
    kicks.clear()
    return w


def _deliveries(session: Session, endpoint_id: int) -> list[WebhookDelivery]:
    return list(session.exec(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)).all())


def test_a_change_writes_its_events_in_its_own_transaction_and_a_rollback_sends_nothing(engine, session, w, kicks):
    register(session, w.a, w.products, now=utcnow())
    session.rollback()
    assert session.exec(select(func.count()).select_from(WebhookEvent)).one() == 0
    assert kicks == []  # nobody was asked to deliver what never happened
    receiver = Receiver()
    assert deliver_due_webhooks(_units(engine), receiver).succeeded == 0 and receiver.got == []

    register(session, w.a, w.products, now=utcnow())
    assert kicks == []  # not before the commit: the runner would find no row
    session.commit()
    assert kicks == ["deliver"]
    assert session.exec(select(func.count()).select_from(WebhookEvent)).one() == 1


def test_a_partner_admins_endpoint_gets_only_its_organizations_events(engine, session, w):
    alpha_deal = register(session, w.a, w.products, now=utcnow(), customer_name="Alpha customer")
    register(session, w.b, w.products, now=utcnow(), customer_name="Beta customer")
    session.commit()
    receiver = Receiver()
    assert deliver_due_webhooks(_units(engine), receiver).succeeded == 4  # alpha's, beta's, and both to the program
    by_url: dict[str, list[dict]] = {}
    for url, _headers, body in receiver.got:
        by_url.setdefault(url, []).append(json.loads(body))
    assert [(e["type"], e["data"]["object_id"]) for e in by_url[URL + "/alpha"]] == [("deal.submitted", alpha_deal)]
    assert [e["data"]["organization_id"] for e in by_url[URL + "/beta"]] == [w.beta.id]
    assert sorted(e["data"]["organization_id"] for e in by_url[URL + "/program"]) == sorted([w.alpha.id, w.beta.id])
    # Nor can a partner admin reach another partner's endpoint or its deliveries.
    with pytest.raises(NotFound):
        list_deliveries(session, w.a, w.beta_hook.id)
    with pytest.raises(NotFound):
        rotate_secret(session, w.a, w.beta_hook.id)
    assert [e.id for e in list_endpoints(session, w.a)] == [w.alpha_hook.id]
    assert {e.id for e in list_endpoints(session, w.admin)} == {w.alpha_hook.id, w.beta_hook.id, w.program_hook.id}
    with pytest.raises(PermissionDenied):
        list_endpoints(session, w.b)  # a partner user manages none


def test_a_delivery_is_signed_and_verifies_with_the_endpoints_secret_and_is_logged(engine, session, w):
    register(session, w.a, w.products, now=utcnow())
    session.commit()
    receiver = Receiver()
    deliver_due_webhooks(_units(engine), receiver)
    (_url, headers, body), *_ = (g for g in receiver.got if g[0].endswith("/alpha"))
    event = Webhook(w.alpha_hook.secret).verify(body, headers)
    assert event["type"] == "deal.submitted" and headers["webhook-id"] == event["id"].strip()
    assert headers["webhook-id"].startswith("msg_") and w.alpha_hook.secret.startswith("whsec_")
    (row,) = list_deliveries(session, w.a, w.alpha_hook.id)
    assert (row.status, row.attempts, row.last_status_code, row.last_excerpt) == ("succeeded", 1, 200, "answer 200")
    assert row.last_duration_ms is not None and row.last_duration_ms >= 0
    assert deliver_due_webhooks(_units(engine), receiver).succeeded == 0  # nothing is sent twice


def test_failures_are_retried_with_backoff_then_given_up_the_endpoint_failing_and_its_owner_told(engine, session, w):
    register(session, w.a, w.products, now=utcnow())
    session.commit()
    delete_endpoint(session, w.admin, w.program_hook.id)
    session.commit()
    now = utcnow()
    receiver = Receiver(503)
    (delivery,) = _deliveries(session, w.alpha_hook.id)
    for tries, wait in enumerate(RETRY_DELAYS, start=1):
        run = deliver_due_webhooks(_units(engine), receiver, clock=lambda now=now: now, unit_random=lambda: 0.5)
        assert (run.succeeded, run.retrying, run.given_up) == (0, 1, 0)
        session.refresh(delivery)
        assert (delivery.status, delivery.attempts) == ("pending", tries)
        assert delivery.next_attempt_at == now + wait  # exponential, jitter 0 at the middle of its range
        assert deliver_due_webhooks(_units(engine), receiver, clock=lambda now=now: now).retrying == 0  # not yet due
        now += wait
    run = deliver_due_webhooks(_units(engine), receiver, clock=lambda now=now: now)
    assert run.given_up == 1 and len(receiver.got) == len(RETRY_DELAYS) + 1
    session.refresh(delivery)
    assert delivery.status == "dead"
    endpoint = session.get(WebhookEndpoint, w.alpha_hook.id, populate_existing=True)
    assert endpoint is not None and endpoint.status == "failing"
    (notice,) = session.exec(select(Notification).where(Notification.organization_id == w.alpha.id,
                                                       Notification.kind == "webhook_failing")).all()  # fmt: skip
    assert URL + "/alpha" in notice.message and "HTTP 503" in notice.message
    assert session.exec(select(func.count()).select_from(WebhookAttempt)).one() == len(RETRY_DELAYS) + 1
    # A failing endpoint gets no new events until something gets through again.
    register(session, w.a, w.products, now=utcnow(), customer_name="While failing")
    session.commit()
    assert len(_deliveries(session, w.alpha_hook.id)) == 1

    # Redeliver: a fresh round from now, same webhook-id; its success puts the endpoint back to work.
    redeliver(session, w.a, delivery.id)
    session.commit()
    ok = Receiver(200)
    assert deliver_due_webhooks(_units(engine), ok).succeeded == 1
    assert ok.got[0][1]["webhook-id"] == receiver.got[0][1]["webhook-id"]
    session.refresh(delivery)
    session.refresh(endpoint)
    assert (delivery.status, delivery.attempts, endpoint.status) == ("succeeded", len(RETRY_DELAYS) + 2, "active")


def test_a_client_error_is_given_up_at_once_and_an_admins_endpoint_emails_its_owner(engine, session, w):
    register(session, w.b, w.products, now=utcnow())
    session.commit()
    receiver = Receiver(410)
    run = deliver_due_webhooks(_units(engine), receiver)
    assert run.given_up == 2 and len(receiver.got) == 2  # beta's endpoint and the program's, once each
    admin_mail = session.exec(select(OutboxMessage).where(col(OutboxMessage.subject).contains("webhook"))).all()
    assert len(admin_mail) == 1 and "/program" in admin_mail[0].text_body


def test_a_test_event_and_a_rotation_sign_with_both_secrets_during_the_overlap(engine, session, w):
    rotated = rotate_secret(session, w.a, w.alpha_hook.id)
    assert rotated.secret != w.alpha_hook.secret
    send_test_event(session, w.a, w.alpha_hook.id)
    session.commit()
    receiver = Receiver()
    assert deliver_due_webhooks(_units(engine), receiver).succeeded == 1
    _url, headers, body = receiver.got[0]
    assert len(headers["webhook-signature"].split()) == 2
    for secret in (w.alpha_hook.secret, rotated.secret):  # receivers on either secret accept it
        assert Webhook(secret).verify(body, headers)["type"] == "webhook.test"
    (row,) = list_endpoints(session, w.a)
    assert row.rotating_until is not None


def test_an_endpoint_needs_a_valid_url_and_events_and_nothing_is_written_otherwise(session, w):
    with pytest.raises(FormInvalid) as bad:
        create_endpoint(session, w.a, EndpointInput("http://hooks.example.com", ()))
    assert set(bad.value.errors) == {"url", "events"}
    session.commit()
    assert len(list_endpoints(session, w.a)) == 1


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_consumers_at_once_deliver_each_message_once(backend, tmp_path, monkeypatch):
    monkeypatch.setattr(webhooks, "_deliverers", [])
    with shared_database(backend, tmp_path, "hooks_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            create_endpoint(session, w.a, EndpointInput(URL, ("deal.submitted",)))
            for n in range(6):
                register(session, w.a, w.products, now=utcnow(), customer_name=f"Race {n}")
            session.commit()
        receiver = Receiver(200, delay=0.05)
        threads = [threading.Thread(target=deliver_due_webhooks, args=(_units(engine), receiver)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        ids = [headers["webhook-id"] for _url, headers, _body in receiver.got]
        assert len(ids) == 6 and len(set(ids)) == 6
        with Session(engine) as session:
            statuses = session.exec(select(WebhookDelivery.status, WebhookDelivery.attempts)).all()
        assert sorted(statuses) == [("succeeded", 1)] * 6


def test_a_delivery_still_being_tried_is_not_redelivered_so_it_is_never_twice_in_flight(engine, session, w):
    register(session, w.a, w.products, now=utcnow())
    session.commit()
    (delivery,) = _deliveries(session, w.alpha_hook.id)
    with pytest.raises(DomainError, match="still being tried"):
        redeliver(session, w.a, delivery.id)
    with pytest.raises(NotFound):  # nor another partner's
        redeliver(session, w.b_admin, delivery.id)
