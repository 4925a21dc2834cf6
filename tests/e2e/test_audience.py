"""Partner groups in Chromium: the EMEA manager goes from the partner directory to the groups, sees the demo's
"Security Elite", makes a group of their own, adds a partner of their book by keyboard, is told next to the field
that another manager's partner is not theirs to add (what was typed stays), renames the group, takes the partner
out after a confirmation, and the partner's people cannot open the page. Axe on every page, at 375 px and dark."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live

MANAGER = "lars.cm@vendor.example"  # EMEA & APAC
PARTNER = "jake.morris@cobaltsys.example"


def test_a_manager_keeps_a_partner_group(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("link", name="Partner groups").click()
    page.wait_for_url(at("/partner-groups"))
    expect(page.get_by_role("heading", name="Partner groups", level=1)).to_be_visible()
    table = page.get_by_role("region", name="Partner groups")
    expect(table.get_by_role("row", name="Security Elite")).to_contain_text("4 partners")
    assert_accessible(page, dark=True, phone=True)

    name = f"Benelux pilot {uuid.uuid4().hex[:5]}"
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Description (optional)").fill("Partners piloting the Benelux bundle")
    page.get_by_role("button", name="Create group").click()
    page.wait_for_url(at("/partner-groups/benelux-pilot-[0-9a-f]{5}", regex=True))
    wait_live(page)
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text("No partners in this group yet.")).to_be_visible()

    partner = page.get_by_label("Partner name")
    partner.fill("Cobalt Systems VAR")  # Maya's book, not Lars's
    partner.press("Enter")
    expect(page.locator("#field-partner-error")).to_have_text("No partner called Cobalt Systems VAR in your book.")
    expect(partner).to_have_value("Cobalt Systems VAR")
    expect(partner).to_have_attribute("aria-invalid", "true")

    partner.fill("atlas value partners")
    partner.press("Enter")
    members = page.get_by_role("region", name="Partners in the group")
    expect(members.get_by_role("row", name="Atlas Value Partners")).to_contain_text("EMEA")
    expect(page.get_by_role("heading", name="1 partner", level=2)).to_be_visible()
    assert_accessible(page, phone=True)

    page.get_by_label("Name", exact=True).fill(name + " NL")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=name + " NL", level=1)).to_be_visible()

    page.get_by_role("button", name="Remove Atlas Value Partners").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("It stops seeing what is shared with this group only.")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("No partners in this group yet.")).to_be_visible()

    page.get_by_role("link", name="Partner groups").first.click()  # the breadcrumb
    page.wait_for_url(at("/partner-groups"))
    expect(page.get_by_role("region", name="Partner groups").get_by_role("row", name=name + " NL")).to_contain_text(
        "0 partners"
    )


def test_partners_cannot_open_partner_groups(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    page.goto("/partner-groups/security-elite")
    page.wait_for_url(at("/portal"))
    expect(page.get_by_text("Meridian Integration Group")).to_have_count(0)
