"""Tiering end to end (#16): a partner in grace sees its tier, what is at risk and by when, its progress to the next
tier and "Why am I Gold?" (on a phone too); a channel manager runs a what-if that lists the partners that would
change tier without saving anything, then approves Atlas Value Partners' Gold proposal: its tier is Gold at once, a
routed lead's reasons name the Gold tier and its lead-routing weight, and a Gold-only audience rule now lets it in.
A manual override waits for a second approver: the asking manager cannot approve it, an admin does."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in

LUMEN = "grace.kim@lumenlabs.example"  # Lumen Software Labs: Gold, in grace in the demo
LARS = "lars.cm@vendor.example"  # manages Atlas Value Partners and Sakura Solutions KK
ATLAS = "oliver.hughes@atlasvalue.example"


def test_a_partner_sees_its_progress_and_what_is_missing(page: Page):
    log_in(page, LUMEN, expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tier").click()
    page.wait_for_url(at("/portal/tier"))
    expect(page.get_by_role("heading", name="Your tier", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Gold is at risk")).to_contain_text("more revenue")
    progress = page.get_by_role("heading", name="Progress to Platinum")
    expect(progress).to_be_visible()
    expect(page.get_by_role("progressbar", name="Partner-sourced revenue towards Platinum")).to_be_visible()
    expect(page.get_by_text("228,000.00 USD more revenue")).to_be_visible()  # 250,000 − 22,000 won
    page.get_by_role("button", name="Why am I Gold?").click()
    why = page.get_by_role("region", name="Evaluation")
    expect(why.get_by_role("row", name="Partner-sourced revenue")).to_contain_text("22,000.00 USD")
    expect(why.get_by_role("row", name="Partner-sourced revenue")).to_contain_text("1 record: #")
    expect(page.get_by_text("rules version 1")).to_be_visible()
    assert_accessible(page, phone=True)


def test_what_if_then_approving_gold_raises_routing_and_audience(page: Page, app_db):
    log_in(page, LARS, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tiers").click()
    page.wait_for_url(at("/tiers"))
    proposals = page.get_by_role("region", name="Tier proposals")
    expect(proposals.get_by_role("row", name="Atlas Value Partners")).to_contain_text("Upgrade: Silver → Gold")
    expect(
        page.get_by_role("img", name=re.compile(r"Partners per tier by evaluated month; in \d{4}-\d\d: "))
    ).to_be_visible()
    assert_accessible(page, phone=True)

    # What if Gold asked no lead acceptance? Sakura (its scorecard is Gold's, its pipeline empty) would move up.
    page.get_by_label("Criterion to change").select_option(label="Gold: Lead acceptance rate (%) (at least 80%)")
    page.get_by_label("New threshold").fill("lots")
    page.get_by_role("button", name="Show who would move").click()
    expect(page.get_by_text("Enter the threshold as a number, like 250000.")).to_be_visible()
    expect(page.get_by_label("New threshold")).to_have_value("lots")
    page.get_by_label("New threshold").fill("0")
    page.get_by_role("button", name="Show who would move").click()
    movers = page.get_by_role("region", name="Partners who would move")
    expect(movers.get_by_role("row", name="Sakura Solutions KK")).to_contain_text("SilverGoldUp")
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Gold: Lead acceptance rate (%) (at least 80%)").first).to_be_attached()

    # Approve Atlas's Gold: the tier, then routing and a Gold-only audience read it.
    page.get_by_role("button", name="Approve Atlas Value Partners").click()
    expect(page.get_by_text("Proposal approved.")).to_be_visible()
    movements = page.get_by_role("region", name="Tier movements")
    expect(movements.get_by_role("row", name="Atlas Value Partners")).to_contain_text("SilverGold")

    from sqlmodel import select

    from prm_app.audience import AudienceRule, partner_facts, verdict
    from prm_app.leads.routing import route_lead
    from prm_app.leads.routing_inputs import partner_candidates
    from prm_app.leads.routing_model import LeadFacts
    from prm_app.partners import Organization

    with app_db() as session:
        atlas = session.exec(select(Organization).where(Organization.name == "Atlas Value Partners")).one()
        candidate = [p for p in partner_candidates(session, datetime.now(UTC)) if p.partner_id == atlas.id]
        lead = LeadFacts(0, "GB", None, None, "retail", frozenset(), False)
        proposal = route_lead(lead, candidate)
        assert proposal.partner_id == atlas.id and "Gold tier weight 2" in proposal.reasons  # its tier's benefit
        assert verdict(AudienceRule(min_tier="Gold"), partner_facts(session, atlas.id)).visible

    # A manual override: the partner by name (only of the manager's book), a tier, a reason of 20+ characters.
    page.get_by_label("Partner", exact=True).fill("Lumen Software Labs")  # Maya's, not Lars's
    page.get_by_label("New tier").select_option(label="Silver")
    page.get_by_label("Reason (at least 20 characters)").fill("too short")
    page.get_by_role("button", name="Change the tier").click()
    expect(page.get_by_text("Type the name of a partner you manage, as the directory shows it.")).to_be_visible()
    expect(page.get_by_text("Say why in at least 20 characters.")).to_be_visible()
    expect(page.get_by_label("Reason (at least 20 characters)")).to_have_value("too short")
    assert_accessible(page)
    page.get_by_label("Partner", exact=True).fill("Sakura Solutions KK")
    page.get_by_label("Reason (at least 20 characters)").fill("Lost its two certified engineers in November")
    page.get_by_role("button", name="Change the tier").click()
    expect(page.get_by_text("Override asked: it takes effect when another manager approves it.")).to_be_visible()
    # It waits for a second approver: the asker cannot approve it, and nothing has moved yet.
    waiting = page.get_by_role("region", name="Pending overrides")
    row = waiting.get_by_role("row", name="Sakura Solutions KK")
    expect(row).to_contain_text("Lost its two certified engineers")
    expect(row).to_contain_text("Asked by you: another manager decides")
    expect(row.get_by_role("button")).to_have_count(0)
    expect(movements.get_by_role("row", name="Sakura Solutions KK")).to_have_count(0)
    assert_accessible(page, dark=True, phone=True)

    # An admin approves it: the partner takes the tier, the asker's reason in its history.
    page.get_by_role("button", name="Sign out").click()
    log_in(page, "admin@vendor.example", expect_path="/partners")
    page.goto("/tiers")
    waiting = page.get_by_role("region", name="Pending overrides")
    expect(waiting.get_by_role("row", name="Sakura Solutions KK")).to_contain_text("Lars")
    waiting.get_by_role("button", name="Approve the override of Sakura Solutions KK").click()
    expect(page.get_by_text("Override approved: the partner has its new tier.")).to_be_visible()
    expect(page.get_by_text("No override is waiting.")).to_be_visible()
    movements = page.get_by_role("region", name="Tier movements")
    expect(movements.get_by_role("row", name="Sakura Solutions KK")).to_contain_text("override: Lost its two")

    # The partner sees its new tier and where it came from.
    page.get_by_role("button", name="Sign out").click()
    log_in(page, ATLAS, expect_path="/portal")
    page.goto("/portal/tier")
    expect(page.get_by_text("Progress to Platinum")).to_be_visible()
    page.get_by_role("button", name="Why am I Gold?").click()
    expect(page.get_by_text("Silver → Gold")).to_be_visible()


def test_a_certificate_about_to_lapse_shows_as_at_risk(page: Page):
    log_in(page, "ingrid.berg@fjordit.example", expect_path="/portal")  # her security certificate ends soon
    page.goto("/portal/tier")
    notice = page.get_by_role("status").filter(has_text="Certified people (CSS)")
    expect(notice).to_contain_text(
        "At risk: Platinum needs 1 Certified people (CSS); 1 of your 1 certificates lapses by"
    )
    expect(page.get_by_role("progressbar", name="Certified people (CSS) towards Platinum")).to_be_visible()
