"""A partner admin tells routing where and how much it works (countries, verticals, monthly capacity); a bad
country is named beside the field with what was typed kept; a colleague reads the result."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live

ADMIN = "dana.price@northwind-dist.example"
USER = "omar.haddad@northwind-dist.example"


def test_an_admin_sets_lead_preferences_and_a_colleague_reads_them(page: Page, mobile_page: Page):
    log_in(page, ADMIN, expect_path="/portal")
    page.goto("/leads")
    form = page.get_by_role("form", name="Lead preferences")
    countries = form.get_by_label("Countries you serve")
    expect(countries).not_to_have_value("")  # the seeded profile
    countries.fill("United States, Atlantis")
    form.get_by_label("Leads a month you can take").fill("25")
    form.get_by_role("button", name="Save lead preferences").click()
    expect(form.get_by_text("“Atlantis” is not a country we know.")).to_be_visible()
    expect(countries).to_have_value("United States, Atlantis")
    assert_accessible(page)

    countries.fill("United States, Canada")
    form.get_by_role("checkbox", name="Retail").click()
    form.get_by_role("button", name="Save lead preferences").click()
    expect(page.get_by_text("Lead preferences saved.")).to_be_visible()
    page.reload()
    wait_live(page)
    expect(form.get_by_label("Countries you serve")).to_have_value("United States, Canada")
    expect(form.get_by_label("Leads a month you can take")).to_have_value("25")

    log_in(mobile_page, USER, expect_path="/portal")
    mobile_page.goto("/leads")
    mobile_page.wait_for_url(at("/leads"))
    expect(mobile_page.get_by_text("Countries: United States, Canada")).to_be_visible()
    expect(mobile_page.get_by_role("form", name="Lead preferences")).to_have_count(0)  # an admin's to change
    assert_accessible(mobile_page)
