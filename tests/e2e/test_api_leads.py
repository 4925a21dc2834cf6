"""Leads through the REST API, seen in the browser: a lead its manager sent to a partner (as the lead queue page
does), the partner admin it went to makes a key with the leads scopes on its API keys page (at 375 px), accepts the
offer through the API (twice under one Idempotency-Key: one acceptance), and the portal's Leads pages show it
accepted with the contact person. The administrator then finds that key in the console's key list by its prefix
and revokes it."""

from __future__ import annotations

import json
import re
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import BASE_URL, assert_accessible, at, live_goto, log_in
from tests.e2e.test_api_keys import api, create_key
from tests.e2e.test_notifications import _offer_lead

MANAGER = "maya.cm@vendor.example"  # member of the Americas queue
ADMIN = "admin@vendor.example"


def test_a_lead_offered_in_the_app_is_accepted_through_the_api(page: Page, browser, app_db):
    from prm_app.identity import User
    from prm_app.leads import Lead
    from prm_app.platform.models import AuditLog

    # A new lead of its own, assigned and sent by its manager as the lead queue page does (routing the whole demo
    # queue here would leave the later lead-queue tests an empty queue).
    lead_id = _offer_lead(app_db, f"Apilead {uuid.uuid4().hex[:6]} Logistics")
    with app_db() as session:  # the partner that got the offer, and its partner admin
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.status == "offered"
        lead.contact_name = "Dana Buyer"
        session.add(lead)
        session.commit()
        company, contact = lead.company, lead.contact_name
        email = session.exec(
            select(User.email).where(User.organization_id == lead.partner_id, User.role == "partner_admin")
        ).first()
    assert email, "every routable seeded partner has a partner admin"

    partner = browser.new_context(base_url=BASE_URL, viewport={"width": 375, "height": 740})
    p = live_goto(partner.new_page())
    log_in(p, email, expect_path="/portal")
    key = create_key(p, "/portal/api-keys", "Lead desk", ["Read leads", "Work leads"])
    assert_accessible(p, dark=True, phone=True)

    with api(key) as client:
        offered = {row["id"]: row for row in client.get("/leads", params={"limit": 100}).json()["data"]}
        assert offered[lead_id]["status"] == "offered" and offered[lead_id]["contact_name"] is None
        headers = {"Idempotency-Key": f"accept-{lead_id}"}
        first = client.post(f"/leads/{lead_id}/accept", headers=headers)
        again = client.post(f"/leads/{lead_id}/accept", headers=headers)
        assert first.status_code == again.status_code == 200, first.text
        assert again.headers["idempotent-replayed"] == "true" and first.json() == again.json()
        assert first.json()["status"] == "accepted" and first.json()["contact_name"] == contact
        wrong = client.get(f"/leads/{lead_id}/accept")
        assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    with app_db() as session:
        entry = session.exec(
            select(AuditLog).where(AuditLog.action == "lead_accepted", AuditLog.record_id == lead_id)
        ).one()
        assert json.loads(entry.summary)["api_key"]["prefix"] == key[:12] and key not in entry.summary

    p.goto("/leads")
    row = p.get_by_role("row", name=re.compile(re.escape(company)))
    expect(row).to_contain_text("Accepted")
    row.get_by_role("link", name=company).click()
    p.wait_for_url(at(rf"/leads/{lead_id}$", regex=True))
    expect(p.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(p.get_by_text(contact)).to_be_visible()  # the contact person, shown once accepted
    partner.close()

    # The administrator finds the partner's key among all keys by its prefix, and revokes it.
    admin = browser.new_context(base_url=BASE_URL)
    a = live_goto(admin.new_page())
    log_in(a, ADMIN, expect_path="/partners")
    a.goto("/api-keys")
    a.get_by_label("Find a key").fill(key[4:12])
    a.get_by_label("Find a key").press("Enter")
    found = a.locator("tbody tr")
    expect(found).to_have_count(1)  # among every key of the program, the one with that prefix
    expect(found.first).to_contain_text("Lead desk")
    assert_accessible(a, dark=True, phone=True)
    found.first.get_by_role("button", name="Revoke key Lead desk").click()
    a.get_by_role("alertdialog").get_by_role("button", name="Revoke key").click()
    expect(found.first).to_contain_text("Revoked")
    a.get_by_label("Find a key").fill("no such key anywhere")
    a.get_by_role("button", name="Find", exact=True).click()
    expect(a.get_by_text("No key matches.")).to_be_visible()
    with api(key) as client:
        assert client.get("/leads").status_code == 401
    admin.close()
