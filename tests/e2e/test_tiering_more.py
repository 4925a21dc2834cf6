"""More of tiering end to end (#16): the tier card on the portal home (by keyboard, at 375 px, dark), the NPS and
onboarding-complete criteria a manager adds and the partner's page explains, and the managers' custom-metric entry
page whose value the partner's evaluation then reads. (Runs after test_tiering.py: file order.)"""

from __future__ import annotations

import json
import re
from datetime import date

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in

LUMEN = "grace.kim@lumenlabs.example"  # Lumen Software Labs: Gold, in grace in the demo
MAYA = "maya.cm@vendor.example"  # manages Lumen Software Labs
LARS = "lars.cm@vendor.example"  # manages Atlas Value Partners and Sakura Solutions KK
ATLAS = "oliver.hughes@atlasvalue.example"


def test_the_portal_home_shows_the_tier_card(mobile_page: Page):
    page = mobile_page  # 375 px wide
    log_in(page, LUMEN, expect_path="/portal")
    card = page.get_by_role("region", name="Your tier")
    expect(card.get_by_role("heading", name="Your tier", level=2)).to_be_visible()
    expect(card).to_contain_text("Gold")
    expect(card).to_contain_text(re.compile(r"228,000\.00 USD more revenue.* to reach Platinum\."))
    risk = card.get_by_role("status").filter(has_text="Gold is at risk")
    expect(risk).to_contain_text(re.compile(r"by \d{1,2} \w{3} \d{4} to keep it\."))
    assert_accessible(page, dark=True, phone=True)
    link = card.get_by_role("link", name="See your tier, its benefits and why")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(at("/portal/tier"))
    expect(page.get_by_role("heading", name="Your tier", level=1)).to_be_visible()


def test_nps_and_onboarding_criteria_are_measured_and_explained(page: Page, app_db):
    log_in(page, MAYA, expect_path="/partners")
    page.goto("/tiers")
    # Platinum of the partner program also asks an NPS of at least 0 (group 4) and a completed onboarding (group 5).
    for metric, threshold, group in (("NPS", "0", "4"), ("Onboarding complete", "1", "5")):
        form = page.get_by_role("button", name="Add criterion to Platinum").first.locator("xpath=ancestor::form")
        form.get_by_label("New criterion for Platinum").select_option(label=metric)
        form.get_by_label("Threshold").fill(threshold)
        form.get_by_label("Group (1 = all must hold)").fill(group)
        form.get_by_role("button", name="Add criterion to Platinum").click()
        expect(page.get_by_text("Criterion added.").first).to_be_visible()
    expect(page.get_by_text("Platinum: NPS (at least 0)").first).to_be_attached()
    expect(page.get_by_text("Platinum: Onboarding complete (required)").first).to_be_attached()
    page.get_by_role("button", name="Re-evaluate Partner program").click()
    expect(page.get_by_text(re.compile(r"partners? evaluated"))).to_be_visible()

    from sqlmodel import col, select

    from prm_app.partners import Organization
    from prm_app.tiering import TierEvaluation

    with app_db() as session:
        lumen = session.exec(select(Organization).where(Organization.name == "Lumen Software Labs")).one()
        stored = json.loads(
            session.exec(
                select(TierEvaluation.values)
                .where(col(TierEvaluation.organization_id) == lumen.id)
                .order_by(col(TierEvaluation.period).desc())
            ).first()
            or "{}"
        )
    assert "onboarding" in stored  # measured for every partner of the program

    page.get_by_role("button", name="Sign out").click()
    log_in(page, LUMEN, expect_path="/portal")
    page.goto("/portal/tier")
    expect(page.get_by_role("progressbar", name="Onboarding complete towards Platinum")).to_be_visible()
    expect(page.get_by_role("progressbar", name="NPS towards Platinum")).to_be_visible()
    page.get_by_role("button", name="Why am I Gold?").click()
    why = page.get_by_role("region", name="Evaluation")
    onboarding = why.get_by_role("row", name="Onboarding complete")
    if stored["onboarding"]["value"] == "1":
        expect(onboarding).to_contain_text("Complete")
        expect(onboarding).to_contain_text(f"1 record: #{stored['onboarding']['sources'][0]}")
    else:
        expect(onboarding).to_contain_text("Not complete")
    if "nps" in stored:  # what the partner's people answered in its window, and how many answers
        answers = stored["nps"]["answers"]
        row = why.get_by_role("row", name=re.compile(r"^NPS "))
        expect(row).to_contain_text(f"{answers} answer{'s' if answers != 1 else ''}: #")
    else:
        expect(page.get_by_text("An NPS from your people's answers (none yet in this window)")).to_be_visible()
    assert_accessible(page, dark=True, phone=True)


def test_a_manager_enters_a_custom_metric_the_evaluation_reads(page: Page):
    log_in(page, LARS, expect_path="/partners")
    page.goto("/tiers")
    page.get_by_role("link", name="Enter custom metric values").click()
    page.wait_for_url(at("/tiers/custom-metrics"))
    expect(page.get_by_role("heading", name="Custom metrics", level=1)).to_be_visible()
    assert_accessible(page, dark=True, phone=True)

    # Every bad field says what is wrong, and keeps what was typed.
    page.get_by_label("Partner", exact=True).fill("Lumen Software Labs")  # Maya's, not Lars's
    page.get_by_label("Value", exact=True).fill("lots")
    page.get_by_role("button", name="Save the value").click()
    expect(page.get_by_text("Type the name of a partner you manage, as the directory shows it.")).to_be_visible()
    expect(page.get_by_text("Choose one of the custom metrics the tier criteria use.")).to_be_visible()
    expect(page.get_by_text("Enter the value as a number of 0 or more with at most 2 decimals")).to_be_visible()
    expect(page.get_by_label("Value", exact=True)).to_have_value("lots")
    expect(page.get_by_label("Partner", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # By keyboard: the partner, the metric, the value; the day defaults to today.
    page.get_by_label("Partner", exact=True).fill("Atlas Value Partners")
    page.get_by_label("Metric", exact=True).focus()
    page.get_by_label("Metric", exact=True).select_option(label="Partner scorecard points")
    page.get_by_label("Value", exact=True).fill("88.5")
    page.get_by_label("Value", exact=True).press("Enter")
    expect(page.get_by_text("Value saved; the partner's evaluation now reads it.")).to_be_visible()
    history = page.get_by_role("region", name="Entered custom metric values")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Atlas Value Partners")
    expect(history.get_by_role("row").nth(1)).to_contain_text("88.5")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Lars Jensen")
    expect(history.get_by_role("row", name="Lumen Software Labs")).to_have_count(0)  # not Lars's book

    page.get_by_role("button", name="Sign out").click()
    log_in(page, ATLAS, expect_path="/portal")
    page.goto("/portal/tier")
    page.get_by_role("button", name=re.compile(r"Why am I \w+\?")).click()
    row = page.get_by_role("region", name="Evaluation").get_by_role("row", name="Partner scorecard points")
    expect(row).to_contain_text("88.50")


def test_a_manager_evaluates_a_program_quarterly(page: Page, app_db):
    """The cadence is the program's: monthly by default, quarterly when the manager says (grace then lasts a
    quarter). Saved from the program's settings by keyboard; set back to monthly for what runs after."""
    from sqlmodel import select

    from prm_app.tiering import TierProgram

    log_in(page, MAYA, expect_path="/partners")
    page.goto("/tiers")
    settings = page.get_by_role("form", name="Settings of Partner program")
    cadence = settings.get_by_label("Evaluated")
    expect(cadence).to_have_value("monthly")
    try:
        cadence.select_option("quarterly")
        settings.get_by_role("button", name="Save program").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Program saved.")).to_be_visible()
        expect(page.get_by_text(re.compile(r"^reseller, .* evaluated quarterly · USD"))).to_be_visible()
        expect(cadence).to_have_value("quarterly")
        assert_accessible(page, phone=True)
        with app_db() as session:
            cadence_now = session.exec(select(TierProgram.cadence).where(TierProgram.name == "Partner program")).one()
        assert cadence_now == "quarterly"
    finally:
        page.reload()
        settings.get_by_label("Evaluated").select_option("monthly")
        settings.get_by_role("button", name="Save program").click()
        expect(page.get_by_text(re.compile(r"^reseller, .* evaluated monthly · USD"))).to_be_visible()


def test_a_tiers_commission_rate_pays_its_partners_deals(page: Page, app_db):
    """A Gold benefit "Commission rate 15 %" from today replaces the plan's % rule for Gold partners' deals won
    from today: the partner's earning says "15 % tier-rate commission" and is 15 % of the deal."""
    import uuid
    from decimal import Decimal

    from prm_app.deals import approve_deal, close_deal
    from prm_app.incentives.clawbacks import accruals_of
    from tests.e2e.conftest import actor_of, register_as

    log_in(page, MAYA, expect_path="/partners")
    page.goto("/tiers")
    gold = page.locator("form").filter(has=page.get_by_label("New benefit for Gold", exact=True)).first
    gold.get_by_label("New benefit for Gold", exact=True).select_option(label="Commission rate (%)")
    gold.get_by_label("Value").fill("15")
    gold.get_by_label("From").fill(date.today().isoformat())
    gold.get_by_role("button", name="Add benefit to Gold").click()
    benefits = page.get_by_role("list", name="Benefits of Gold").first
    expect(benefits).to_contain_text("Commission rate (%): 15")
    try:
        company = f"Tierrate {uuid.uuid4().hex[:6]}"
        deal_id = register_as(app_db, LUMEN, company, f"{company.lower().replace(' ', '')}.com")
        with app_db() as session:
            approve_deal(session, actor_of(session, MAYA), deal_id)
            close_deal(session, actor_of(session, LUMEN), deal_id, won=True, final_amount="10000")
            session.commit()
            accrued = accruals_of(session, deal_id)
        assert [(a.amount, a.currency) for a in accrued] == [(Decimal("1500.00"), "USD")], accrued
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(at("/login"))
        log_in(page, LUMEN, expect_path="/portal")
        page.goto("/portal/incentives")
        said = re.compile(rf"15 % (Gold )?tier-rate ([\w-]+ )?commission on {company}")
        earning = page.get_by_role("row").filter(has_text=said)
        expect(earning).to_contain_text("1,500.00")
        assert_accessible(page)
    finally:
        page.goto("/login")
        with app_db() as session:  # the demo's Gold tier has no commission-rate benefit: take it away again
            from sqlmodel import col, select

            from prm_app.tiering.models import TierBenefit

            for benefit in session.exec(select(TierBenefit).where(col(TierBenefit.kind) == "commission_rate")).all():
                if benefit.value == "15" and benefit.effective_from == date.today():
                    session.delete(benefit)
            session.commit()
