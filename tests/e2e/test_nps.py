"""NPS end to end: a partner answers once (a second answer from another tab is refused) and the NPS moves."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in

MANAGER = "maya.cm@vendor.example"
PARTNER = "dana.price@northwind-dist.example"


def _overall_nps(page: Page) -> str:
    page.goto("/surveys")
    value = page.locator("#nps-overall")
    expect(value).not_to_have_text("")
    return value.inner_text()


def test_partner_answers_once_and_the_nps_moves(page: Page, browser, app_server):
    log_in(page, MANAGER, expect_path="/partners")
    before = _overall_nps(page)
    expect(page.get_by_role("row", name="Q4 partner satisfaction").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))

    log_in(page, PARTNER, expect_path="/portal")
    page.get_by_role("link", name="Q4 partner satisfaction", exact=True).click()
    page.wait_for_url(at(r"/portal/survey/\d+", regex=True))
    survey_url = page.url
    second_tab = page.context.new_page()  # the same person, a second tab with the form still open
    second_tab.goto(survey_url)
    expect(second_tab.get_by_role("button", name="Send answer")).to_be_visible()

    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Choose a score from 0 to 10.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("10", exact=True).check()
    page.get_by_label("Comment (optional)").fill("Lead routing got much better this quarter.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("You answered 10 out of 10. Thank you.")).to_be_visible()

    second_tab.get_by_label("3", exact=True).check()
    second_tab.get_by_role("button", name="Send answer").click()
    expect(second_tab.get_by_text("You have already answered this survey.")).to_be_visible()
    second_tab.close()
    page.goto("/portal")
    expect(page.get_by_role("link", name="Q4 partner satisfaction", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))

    log_in(page, MANAGER, expect_path="/partners")
    after = _overall_nps(page)
    assert after != before, f"NPS stayed at {before}"
