"""The REST API from a person's side: an administrator and a partner admin create keys in the browser, copy the key
shown once, and requests with it work within the key's reach; revoking it in the browser stops it. The docs page
works with every other host blocked (Swagger UI is served by the app itself)."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import BASE_URL, assert_accessible, live_goto, log_in

ADMIN = "admin@vendor.example"
PARTNER_ADMIN = "priya.shah@cobaltsys.example"


def create_key(page: Page, path: str, name: str, scopes: list[str]) -> str:
    """On the keys page at `path`: create a key named `name` with these scope labels, by keyboard; copy it with
    the Copy button and return what the clipboard holds."""
    page.goto(path)
    page.get_by_label("Key name").fill(name)
    for label in scopes:
        box = page.get_by_label(label)
        box.focus()
        page.keyboard.press("Space")  # a person at the keyboard ticks it the same way
        expect(box).to_be_checked()
    page.get_by_role("button", name="Create key").focus()
    page.keyboard.press("Enter")
    shown = page.get_by_label("New API key")
    expect(shown).to_be_visible(timeout=15_000)  # the first event after a build can be slow on a busy machine
    expect(shown).to_have_value(re.compile(r"^prm_[\w-]{40,}$"))  # put there by a script, never a state var
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=BASE_URL)
    page.get_by_role("button", name="Copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown.input_value() and copied.startswith("prm_")
    return copied


def api(key: str) -> httpx.Client:
    return httpx.Client(base_url=f"{BASE_URL}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=15)


def test_an_admin_key_reads_the_program_and_a_partner_key_only_its_own(page: Page, browser, app_db):
    log_in(page, ADMIN, expect_path="/partners")
    page.goto("/api-keys")
    page.get_by_role("button", name="Create key").click()  # nothing filled in: each field says what it needs
    expect(page.get_by_text("Name the key after what will use it")).to_be_visible()
    expect(page.get_by_text("Choose at least one of the listed permissions.")).to_be_visible()
    assert_accessible(page, dark=True, phone=True)
    admin_key = create_key(page, "/api-keys", "Warehouse export", ["Read deal registrations", "Read the audit log"])
    expect(page.get_by_role("row", name="Warehouse export")).to_contain_text("Whole program")

    with api(admin_key) as client:
        everything = client.get("/deals", params={"limit": 100}).json()
        assert len({d["organization_id"] for d in everything["data"]}) > 1  # every partner's registrations
        audit = client.get("/audit-events", params={"limit": 100}).json()
        assert audit["data"] and audit["data"][0]["id"] < audit["data"][-1]["id"]
        assert client.get("/partners").status_code == 403  # not one of this key's scopes
        assert client.get("/partners").headers["content-type"].startswith("application/problem+json")

    partner = browser.new_context(base_url=BASE_URL, viewport={"width": 375, "height": 740})
    p = live_goto(partner.new_page())
    log_in(p, PARTNER_ADMIN, expect_path="/portal")
    p.goto("/portal/api-keys")
    expect(p.get_by_role("heading", name="Create a key")).to_be_visible()
    assert_accessible(p, dark=True, phone=True)
    partner_key = create_key(p, "/portal/api-keys", "CRM sync", ["Read deal registrations", "Register deals"])

    with api(partner_key) as client:
        own = client.get("/deals", params={"limit": 100}).json()["data"]
        (org,) = {d["organization_id"] for d in own}
        other = next(d["id"] for d in everything["data"] if d["organization_id"] != org)
        missing = client.get(f"/deals/{other}")
        assert missing.status_code == 404 and missing.json()["status"] == 404  # another tenant's: not found
        assert client.get("/audit-events").status_code == 403

        from prm_app.deals import Product

        with app_db() as session:
            product = session.exec(select(Product.id).where(Product.active)).first()
        body = {
            "customer_name": f"Api Customer {uuid.uuid4().hex[:6]}", "customer_site": "https://api-customer.com",
            "country": "DE", "contact_name": "Ada Api", "contact_email": "ada@api-customer.com",
            "product_ids": [product], "estimated_value": "12500.00", "currency": "EUR",
            "expected_close": (date.today() + timedelta(days=60)).isoformat(), "stage": "Discovery",
        }  # fmt: skip
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        first = client.post("/deals", json=body, headers=headers)
        again = client.post("/deals", json=body, headers=headers)
        assert first.status_code == again.status_code == 201, first.text
        assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
        assert first.json()["deal"]["estimated_value"] == "12500.00"  # money as a decimal string
        mine = [
            d
            for d in client.get("/deals", params={"limit": 100}).json()["data"]
            if d["customer_name"] == body["customer_name"]
        ]
        assert len(mine) == 1 and mine[0]["organization_id"] == org

    p.goto("/deals")
    expect(p.get_by_text(body["customer_name"])).to_be_visible()  # the same registration as in the browser
    p.goto("/portal/api-keys")
    row = p.get_by_role("row", name="CRM sync")
    expect(row).not_to_contain_text("Not yet")  # its last use shows
    row.get_by_role("button", name="Revoke key CRM sync").click()
    p.get_by_role("alertdialog").get_by_role("button", name="Revoke key").click()
    expect(row).to_contain_text("Revoked")
    with api(partner_key) as client:
        refused = client.get("/deals")
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    partner.close()


def test_the_docs_page_works_with_every_other_host_blocked(browser, app_server):
    context = browser.new_context(base_url=BASE_URL)  # no Reflex page here: nothing to wait for hydration
    page = context.new_page()
    outside: list[str] = []

    def only_ours(route):
        if route.request.url.startswith(BASE_URL):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Open PRM API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/deals").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/audit-events")).to_be_visible()
    assert outside == []  # it never even asked for another host
    context.close()
