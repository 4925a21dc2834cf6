"""Agreements in Chromium: a manager publishes a new version requiring re-acceptance (no grace) → the partner admin
of the one organization it applies to opens /deals and lands on the agreement page with what changed; an upload and
a logo download are refused; a colleague (at 375 px) sees only who they wait for, and the front door refuses a use
case of another page with the reason; the admin's wrong name is refused next to the field; the right name, typed
by keyboard, signs; /deals opens again; the signed PDF downloads and names the signer; the manager sees who signed.

The agreement is this test's own, for system integrators in APAC: only Sakura Solutions KK, which no other e2e test
uses, and which ends signed (a last version with a grace period leaves it a banner, never held).
"""

from __future__ import annotations

import uuid

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import BASE_URL, PHONE, actor_of, assert_accessible, at, live_goto, log_in, wait_live

MANAGER = "lars.cm@vendor.example"  # Sakura's channel manager
ADMIN = "haruto.sato@sakura-sol.example"  # Sakura's partner admin: Haruto Sato
COLLEAGUE = "yui.tanaka@sakura-sol.example"
ORG = "Sakura Solutions KK"
BODY = (
    "# {name}\n\nBetween Open PRM Vendor Inc. and **{{{{company_name}}}}**.\n\n"
    "Either party may end these terms with 30 days' notice.\n\nSigned by {{{{signer_name}}}} on {{{{date}}}}."
)


def _agreement_signed_by_sakura(app_db) -> tuple[int, str]:
    """A new agreement for APAC system integrators, version 1 signed by Sakura's admin: (template id, name)."""
    from prm_app.agreements import my_agreements, publish_version, save_template, sign_agreement

    name = f"APAC Integrator Terms {uuid.uuid4().hex[:6]}"
    with app_db() as session:
        manager = actor_of(session, MANAGER)
        tid = save_template(
            session,
            manager,
            None,
            name=name,
            body=BODY.format(name=name),
            partner_types=["system_integrator"],
            regions=["APAC"],
        )
        publish_version(session, manager, tid, requires_acceptance=True)
        admin = actor_of(session, ADMIN)
        shown = my_agreements(session, admin).to_sign
        assert [s.pending.template for s in shown] == [name]  # it applies to Sakura alone of the demo data
        sign_agreement(
            session,
            admin,
            shown[0].pending.version_id,
            typed_name="Haruto Sato",
            agreed=True,
            shown_sha256=shown[0].text_sha256,
        )
        session.commit()
    return tid, name


def _upload_status(page: Page) -> int:
    from prm_app.partners.ui.org_profile import OrgProfileState

    answer = page.request.post(
        "/_upload",
        headers={"Reflex-Event-Handler": f"{OrgProfileState.get_full_name()}.upload_logo", "Reflex-Client-Token": "t"},
        multipart={"files": {"name": "logo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}},
    )
    return answer.status


def test_a_new_version_holds_the_partner_until_its_admin_signs(page: Page, browser: Browser, app_db):
    template_id, name = _agreement_signed_by_sakura(app_db)

    # The manager changes the wording and publishes it, requiring re-acceptance at once.
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Onboarding").click()
    page.wait_for_url(at("/onboarding"))
    page.get_by_role("link", name="Agreements", exact=True).click()  # the agreements sit beside the checklists
    page.wait_for_url(at("/agreements"))
    wait_live(page)
    assert_accessible(page)
    page.get_by_role("link", name=name).click()
    page.wait_for_url(at(f"/agreements/{template_id}"))
    wait_live(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    body = page.get_by_label("Text", exact=True)
    body.fill(body.input_value().replace("30 days' notice", "60 days' notice in writing"))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_label("Requires re-acceptance").check()
    page.get_by_role("button", name="Publish new version").click()
    expect(page.get_by_role("region", name="Versions").get_by_text("Version 2")).to_be_visible()
    assert_accessible(page, phone=True)

    # The partner admin is held on the agreement page, sees what changed, and can neither upload nor download.
    admin = browser.new_context(base_url=BASE_URL, viewport={"width": 1280, "height": 900})
    admin.set_default_timeout(15_000)
    p = live_goto(admin.new_page())
    log_in(p, ADMIN)
    p.goto("/deals")
    p.wait_for_url(at("/agreement"))
    wait_live(p)
    expect(p.get_by_role("heading", name=f"{name}, version 2")).to_be_visible()
    changes = p.locator("#changes")
    expect(changes.locator("del", has_text="30")).to_have_count(1)  # struck through, and said: "[removed: 30]"
    expect(changes.locator("ins", has_text="60")).to_have_count(1)
    expect(changes.locator("ins", has_text="writing")).to_have_count(1)
    expect(changes).to_contain_text("unchanged paragraph")
    expect(p.locator("h1")).to_have_count(1)  # the agreement's own "# Title" sits below the page's headings
    assert_accessible(p, phone=True, dark=True)
    assert _upload_status(p) == 403
    with app_db() as session:
        org_id = actor_of(session, ADMIN).organization_id
    assert p.request.get(f"/_files/logo/{org_id}/{'ab' * 16}").status == 403

    # A colleague, on a phone, sees only who they wait for; another page's use case is refused with the reason.
    colleague = browser.new_context(base_url=BASE_URL, viewport=PHONE, is_mobile=True)
    colleague.set_default_timeout(15_000)
    c = live_goto(colleague.new_page())
    log_in(c, COLLEAGUE)
    c.goto("/deals")
    c.wait_for_url(at("/agreement"))
    wait_live(c)
    expect(c.locator("#waiting")).to_contain_text("Waiting for Haruto Sato to sign")
    expect(c.get_by_role("heading", name="The agreement")).to_have_count(0)
    expect(c.get_by_role("button", name="Sign the agreement")).to_have_count(0)
    assert_accessible(c)
    c.goto("/account")
    wait_live(c)
    c.get_by_label("Job title").fill("Account executive")
    c.get_by_role("button", name="Save profile").click()
    # Said beside the form (a toast says it too, for a moment: the form's line is the one that stays).
    refused = c.get_by_role("form", name="Your profile").get_by_text("must sign the partner agreement first")
    expect(refused).to_be_visible()
    colleague.close()

    # A wrong name is refused beside the field; the right one, typed by keyboard, signs.
    p.locator("#field-full_name").focus()
    p.keyboard.type("Haruto Satoh")
    p.keyboard.press("Tab")
    p.keyboard.press("Space")
    p.keyboard.press("Tab")
    p.keyboard.press("Enter")
    expect(p.locator("#field-full_name-error")).to_contain_text("exactly as it is on your account")
    expect(p.locator("#field-full_name")).to_have_value("Haruto Satoh")  # what was typed stays
    p.locator("#field-full_name").fill("")
    p.locator("#field-full_name").focus()
    p.keyboard.type("haruto  SATO")
    p.keyboard.press("Enter")
    expect(p.get_by_text("Your organization has signed every agreement that applies to it.")).to_be_visible()

    p.goto("/deals")
    wait_live(p)
    expect(p.get_by_role("heading", level=1)).to_have_text("Deals")
    assert p.url.rstrip("/").endswith("/deals")

    # The signed copy downloads as a PDF naming the signer, found from the organization's page.
    p.goto("/portal/organization")
    wait_live(p)
    p.get_by_role("link", name="Agreement page").click()
    p.wait_for_url(at("/agreement"))
    wait_live(p)
    with p.expect_download() as download:
        p.get_by_role("link", name=f"Download PDF of {name} Version 2").click()
    pdf = open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF") and b"Signed by Haruto Sato for Sakura Solutions KK" in pdf

    # The manager sees who signed which version.
    page.reload()
    wait_live(page)
    expect(page.locator("#coverage")).to_have_text("1 of 1 partners it applies to have signed the version they must.")
    signed = page.get_by_role("region", name="Who signed")
    expect(signed.get_by_role("row").filter(has_text="Version 2")).to_contain_text("Haruto Sato")
    expect(signed.get_by_role("row").filter(has_text="Version 2")).to_contain_text(ORG)

    # A later version with a grace period: every page says by when, with a link, and nothing is held.
    from prm_app.agreements import publish_version, save_template

    with app_db() as session:
        manager = actor_of(session, MANAGER)
        text = BODY.format(name=name).replace("30 days' notice", "90 days' notice")
        save_template(
            session, manager, template_id, name=name, body=text, partner_types=["system_integrator"], regions=["APAC"]
        )
        publish_version(session, manager, template_id, requires_acceptance=True, grace_days=14)
        session.commit()
    p.goto("/deals")
    wait_live(p)
    notice = p.locator("#gate-notice")
    expect(notice).to_contain_text(f"The {name} must be signed by")
    expect(p.get_by_role("heading", level=1)).to_have_text("Deals")
    assert_accessible(p)
    notice.get_by_role("link", name="Read and sign it").click()
    p.wait_for_url(at("/agreement"))
    expect(p.get_by_text("Please sign by")).to_be_visible()
    admin.close()
