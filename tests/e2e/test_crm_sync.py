"""CRM sync from an administrator's side, against the local HubSpot stand-in (tests/crm/standin.py; there is no live
CRM here): connect it in the browser, run a sync (the job runner sends every record), see the log; change values in
the stand-in as a HubSpot user would, check for drift, and resolve one group toward the PRM and one toward the CRM.
Then the CRM's signed events: one applied, the same delivered again changes nothing, an older one is kept as stale,
a wrong signature is refused. Keyboard only for the page's own controls; axe at 375 px too."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func
from sqlmodel import select

from prm_app.crm import CrmInboundEvent
from prm_app.deals import Deal
from prm_app.platform.models import AuditLog
from tests.crm.standin import StandIn, start_standin
from tests.e2e.conftest import BASE_URL, assert_accessible, log_in

ADMIN = "admin@vendor.example"
TOKEN, SECRET = "hs-private-app-token", "hs-client-secret"


@pytest.fixture
def hubspot() -> Iterator[StandIn]:
    server = start_standin(TOKEN)
    yield server
    server.stop()


def _press(page: Page, name: str) -> None:
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    page.keyboard.press("Enter")


def _patch(hubspot: StandIn, record_id: str, **props: str) -> None:
    answer = httpx.patch(
        f"{hubspot.url}/crm/v3/objects/deals/{record_id}",
        json={"properties": props},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 200, answer.text


def _post_events(events: list[dict], secret: str = SECRET) -> httpx.Response:
    body = json.dumps(events).encode()
    stamp = str(int(time.time() * 1000))
    uri = f"{BASE_URL}/crm/inbound/hubspot"
    signature = base64.b64encode(hmac.new(secret.encode(), b"POST" + uri.encode() + body + stamp.encode(),
                                          hashlib.sha256).digest()).decode()  # fmt: skip
    headers = {"Content-Type": "application/json", "X-HubSpot-Signature-v3": signature,
               "X-HubSpot-Request-Timestamp": stamp}  # fmt: skip
    return httpx.post(uri, content=body, headers=headers, timeout=15)


def _deal_value(app_db, deal_id: int) -> Decimal:
    with app_db() as session:
        return session.exec(select(Deal.estimated_value).where(Deal.id == deal_id)).one()


def test_an_admin_syncs_with_hubspot_resolves_drift_and_duplicate_events_change_nothing(page: Page, hubspot, app_db):
    log_in(page, ADMIN, expect_path="/partners")
    page.goto("/crm")
    expect(page.get_by_role("heading", name="HubSpot connection")).to_be_visible()
    _press(page, "Save connection")  # nothing filled in: each field says what it needs
    expect(page.get_by_text("Paste the access token the CRM gave you.")).to_be_visible()
    expect(page.get_by_text("Give the API's address, starting with https://")).to_be_visible()
    page.get_by_label("API address").fill(hubspot.url)
    page.get_by_label("Access token").fill(TOKEN)
    page.get_by_label("Inbound signing secret").fill(SECRET)
    _press(page, "Save connection")
    expect(page.get_by_text("The access token and the inbound secret are stored")).to_be_visible()
    expect(page.get_by_label("Access token")).to_have_value("")  # never shown again
    expect(page.get_by_role("region", name="Field maps")).to_contain_text("dealname")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Run sync now")
    expect(page.get_by_text("Sync finished.", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_role("region", name="Sync log")).to_contain_text("Sync finished:")
    deals = hubspot.table("hubspot", "deals")
    assert deals and hubspot.table("hubspot", "companies") and hubspot.table("hubspot", "contacts")
    assert all(p["prm_key"].startswith("deal-") and p["prm_partner"] for p in deals.values())

    (first_id, first), (second_id, second) = sorted(deals.items())[:2]
    first_deal, second_deal = int(first["prm_key"].split("-")[1]), int(second["prm_key"].split("-")[1])
    _patch(hubspot, first_id, amount="123456.78")
    _patch(hubspot, second_id, dealname="Renamed in HubSpot")
    _press(page, "Check for drift")
    expect(page.get_by_text("Reconciliation finished.", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("1 deal differs on Amount (amount)")).to_be_visible()
    expect(page.get_by_text("1 deal differs on Customer (dealname)")).to_be_visible()
    # The customer's name is the PRM's own: it can only be resolved toward the CRM.
    expect(
        page.get_by_role("button", name="Use the CRM's values: 1 deal differs on Customer (dealname)")
    ).to_have_count(0)
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Use the CRM's values: 1 deal differs on Amount (amount)")
    expect(page.get_by_text("Resolved 1 record: the PRM now has the CRM's values.")).to_be_visible()
    assert _deal_value(app_db, first_deal) == Decimal("123456.78")
    _press(page, "Use the PRM's values: 1 deal differs on Customer (dealname)")
    expect(page.get_by_text("Resolved 1 record: the CRM now has the PRM's values.")).to_be_visible()
    assert hubspot.table("hubspot", "deals")[second_id]["dealname"] == second["dealname"]
    expect(page.get_by_text("No drift found by the last check.")).to_be_visible()

    # Amount becomes the CRM's on update: a field map changed by keyboard.
    page.get_by_label("Record").select_option("deal")
    page.get_by_label("PRM field").select_option("estimated_value")
    page.get_by_label("CRM field (API name)").fill("amount")
    page.get_by_label("When updating").select_option("to_prm")
    _press(page, "Save field map")
    expect(page.get_by_text("Field map for amount saved.")).to_be_visible()
    expect(page.get_by_role("row", name="Deal Amount amount")).to_contain_text("CRM → PRM")

    at = int(time.time() * 1000)
    event = {"eventId": 9001, "subscriptionId": 7, "portalId": 1, "occurredAt": at, "attemptNumber": 0,
             "subscriptionType": "deal.propertyChange", "objectId": int(second_id), "propertyName": "amount",
             "propertyValue": "777.00", "changeSource": "CRM_UI"}  # fmt: skip
    applied = _post_events([event])
    assert applied.status_code == 200 and applied.json()["applied"] == 1, applied.text
    assert _deal_value(app_db, second_deal) == Decimal("777.00")

    with app_db() as session:
        before = (session.exec(select(func.count()).select_from(CrmInboundEvent)).one(),
                  session.exec(select(func.count()).select_from(AuditLog)).one())  # fmt: skip
    again = _post_events([{**event, "attemptNumber": 1}])  # HubSpot's retry of the same event
    assert again.status_code == 200 and again.json() == {"applied": 0, "stale": 0, "ignored": 0, "duplicate": 1}
    older = _post_events([{**event, "eventId": 9000, "occurredAt": at - 60_000, "propertyValue": "1.00"}])
    assert older.json()["stale"] == 1
    assert _deal_value(app_db, second_deal) == Decimal("777.00")
    with app_db() as session:
        after = (session.exec(select(func.count()).select_from(CrmInboundEvent)).one(),
                 session.exec(select(func.count()).select_from(AuditLog)).one())  # fmt: skip
    assert after == (before[0] + 1, before[1])  # the stale one is recorded; the duplicate left no trace at all
    forged = _post_events([{**event, "eventId": 9002, "propertyValue": "0"}], secret="guessed")
    assert forged.status_code == 401
    assert _deal_value(app_db, second_deal) == Decimal("777.00")

    _press(page, "Refresh")
    inbound = page.get_by_role("region", name="Inbound events")
    expect(inbound).to_contain_text("applied")
    expect(inbound).to_contain_text("stale")
