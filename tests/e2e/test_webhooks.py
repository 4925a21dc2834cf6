"""Webhooks from a partner admin's side: they add an endpoint pointing at a small HTTP receiver this test runs, copy
its secret, register a deal in the browser, and the receiver gets one signed POST that verifies with that secret
(Standard Webhooks); another partner's registration never reaches it. The deliveries list shows it; Redeliver sends
it again with the same webhook-id; a test event arrives too. Axe in dark mode and at 375 px."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select
from standardwebhooks import Webhook

from prm_app.integrations.webhook_models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, register_as
from tests.e2e.test_deal_registration import _fill_deal
from tests.e2e.test_notifications import _offer_lead

PARTNER_ADMIN = "priya.shah@cobaltsys.example"  # Cobalt Systems
OTHER_PARTNER = "sam.carter@bluepeak.example"  # Bluepeak Resellers


class Received:
    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()

    def wait_for(self, count: int, timeout: float = 120) -> list[tuple[dict[str, str], bytes]]:
        """The posts once there are at least `count` (the job runner delivers within seconds of the commit)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.posts) >= count:
                    return list(self.posts)
            time.sleep(0.25)
        raise AssertionError(f"the receiver got {len(self.posts)} posts, not {count}")


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    got = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with got.lock:
                got.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.send_header("content-type", "text/plain")
            self.end_headers()
            self.wfile.write(b"thanks")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/{uuid.uuid4().hex[:6]}", got
    server.shutdown()
    server.server_close()


def test_a_partner_admins_endpoint_gets_its_deal_signed_once_and_redelivered(page: Page, receiver, app_db):
    url, got = receiver
    log_in(page, PARTNER_ADMIN, expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").click()
    page.wait_for_url(at("/portal/webhooks"))

    # Nothing filled in: each field says what it needs; what is typed stays.
    page.get_by_label("Endpoint URL").fill("http://example.com/hook")
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.get_by_text("Use https:// so that what is sent cannot be read on the way.")).to_be_visible()
    expect(page.get_by_text("Choose at least one event to send.")).to_be_visible()
    expect(page.get_by_label("Endpoint URL")).to_have_value("http://example.com/hook")
    assert_accessible(page, dark=True, phone=True)

    # By keyboard: the URL, one event ticked with Space, Enter on the button.
    page.get_by_label("Endpoint URL").fill(url)
    box = page.get_by_label(re.compile("Deal registered"))
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Add endpoint").focus()
    page.keyboard.press("Enter")
    shown = page.get_by_label("Signing secret")
    expect(shown).to_have_value(re.compile(r"^whsec_[A-Za-z0-9+/=]{30,}$"), timeout=15_000)
    secret = shown.input_value()
    page.get_by_role("button", name="Done").click()
    expect(shown).to_have_count(0)
    row = page.get_by_role("row", name=url)
    expect(row).to_contain_text("Active")

    # Another partner's registration is not this organization's: it never reaches the endpoint.
    register_as(app_db, OTHER_PARTNER, f"Elsewhere {uuid.uuid4().hex[:6]} Ltd", f"elsewhere{uuid.uuid4().hex[:6]}.com")

    # A deal registered in the browser arrives once, signed.
    token = uuid.uuid4().hex[:6]
    page.goto("/deals/new")
    _fill_deal(page, f"Hooked {token} Corp", f"hooked{token}.com")
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    ((headers, body),) = got.wait_for(1)
    event = Webhook(secret).verify(body, headers)
    assert event["type"] == "deal.submitted" and event["data"]["object_id"] == deal_id
    assert headers["webhook-id"] == event["id"] and headers["webhook-signature"].startswith("v1,")
    with app_db() as session:
        cobalt = actor_of(session, PARTNER_ADMIN).organization_id
        assert event["data"]["organization_id"] == cobalt
        (endpoint_id,) = session.exec(select(WebhookEndpoint.id).where(WebhookEndpoint.url == url)).all()
        orgs = session.exec(
            select(WebhookEvent.organization_id)
            .join(WebhookDelivery, col(WebhookDelivery.event_id) == WebhookEvent.id)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
        ).all()
        assert orgs == [cobalt]  # the other partner's registration made no delivery here
    time.sleep(2)
    assert len(got.posts) == 1  # once, not once per consumer or retry

    # The deliveries list shows it; Redeliver sends the same message (same webhook-id) again, signed afresh.
    page.goto("/portal/webhooks")
    page.get_by_role("button", name=f"Deliveries of {url}").click()
    line = page.get_by_role("row", name=re.compile("deal.submitted"))
    expect(line).to_contain_text("Delivered")
    expect(line).to_contain_text("HTTP 200")
    expect(line).to_contain_text("thanks")
    assert_accessible(page, dark=True, phone=True)
    line.get_by_role("button", name=re.compile("^Redeliver deal.submitted")).click()
    again = got.wait_for(2)[1]
    assert again[0]["webhook-id"] == headers["webhook-id"]
    assert Webhook(secret).verify(again[1], again[0])["data"]["object_id"] == deal_id

    # A test event, from its button.
    page.get_by_role("button", name=f"Send a test event to {url}").click()
    test_headers, test_body = got.wait_for(3)[2]
    assert json.loads(test_body)["type"] == "webhook.test"
    Webhook(secret).verify(test_body, test_headers)
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_role("row", name=re.compile("webhook.test"))).to_contain_text("Delivered")


def test_a_lead_offered_to_the_partner_reaches_its_endpoint_signed(page: Page, receiver, app_db):
    """lead.offered: the partner admin subscribes by keyboard; a lead its manager sends to the partner arrives
    signed, about that lead and that partner, and shows in the deliveries list."""
    url, got = receiver
    log_in(page, PARTNER_ADMIN, expect_path="/portal")
    page.goto("/portal/webhooks")
    page.get_by_label("Endpoint URL").fill(url)
    box = page.get_by_label(re.compile("Lead offered"))
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Add endpoint").focus()
    page.keyboard.press("Enter")
    shown = page.get_by_label("Signing secret")
    expect(shown).to_have_value(re.compile(r"^whsec_"), timeout=15_000)
    secret = shown.input_value()
    page.get_by_role("button", name="Done").click()

    lead_id = _offer_lead(app_db, f"Hooklead {uuid.uuid4().hex[:6]} Clinics")  # sent to Cobalt, as the queue page does
    ((headers, body),) = got.wait_for(1)
    event = Webhook(secret).verify(body, headers)
    with app_db() as session:
        cobalt = actor_of(session, PARTNER_ADMIN).organization_id
    assert (event["type"], event["data"]["object"], event["data"]["object_id"]) == ("lead.offered", "lead", lead_id)
    assert event["data"]["organization_id"] == cobalt

    page.goto("/portal/webhooks")
    page.get_by_role("button", name=f"Deliveries of {url}").click()
    expect(page.get_by_role("row", name=re.compile("lead.offered"))).to_contain_text("Delivered")
    assert_accessible(page, phone=True)
