"""Currencies in Chromium (#18): the admin imports a rates CSV (a bad line refuses the whole file and is listed by
number), a EUR deal is won on 31 Mar 2026 at the 1.08 of the Friday before, the admin sees its locked value and
the quarter in USD, then adds a later rate of 1.20 for a day before the win: Q1 still shows 1.08's value. A deal in a
currency with no rate for the day cannot be marked won, and says so beside the action.

The deals belong to Cobalt Systems (jake.morris, in maya.cm's book), each a fresh registration of this test."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, register_as, wait_live

ADMIN = "admin@vendor.example"
MANAGER = "maya.cm@vendor.example"
PARTNER = "jake.morris@cobaltsys.example"
WON_AT = datetime(2026, 3, 31, 15, tzinfo=UTC)  # a Tuesday; the rates file's EUR rate is of Friday 27 March


def _approved(app_db, currency: str) -> tuple[int, str]:
    from prm_app.deals import Deal, approve_deal

    token = uuid.uuid4().hex[:6]
    company = f"Fx {currency} {token} GmbH"
    deal_id = register_as(app_db, PARTNER, company, f"fx{currency.lower()}{token}.com")
    with app_db() as session:
        session.get(Deal, deal_id).currency = currency  # the partner registered it in this currency
        session.flush()
        approve_deal(session, actor_of(session, MANAGER), deal_id)
        session.commit()
    return deal_id, company


def _import(page: Page, name: str, text: str) -> None:
    page.locator("#fx_csv input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    expect(page.get_by_text(name)).to_be_visible()
    page.get_by_role("button", name="Import rates").click()


def _quarter(page: Page, quarter: str):
    table = page.get_by_role("region", name="Won revenue in USD by quarter")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=quarter, exact=True))


def test_a_eur_deal_won_at_1_08_keeps_its_q1_value_after_the_rate_changes(page: Page, app_db):
    log_in(page, ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="FX rates").click()
    page.wait_for_url(at("/settings/fx-rates"))
    wait_live(page)  # the upload below needs the page's handlers
    expect(page.get_by_role("heading", name="Won revenue in USD by quarter")).to_be_visible()
    assert_accessible(page, phone=True)

    # A file with a bad line adds nothing and lists the line.
    _import(page, "rates-bad.csv", "currency,date,rate,source\nEUR,2026-03-27,1.08,ECB\nGBP,2026-03-27,abc,BoE\n")
    expect(page.get_by_role("alert").filter(has_text="Nothing was imported: 1 line(s) to fix.")).to_be_visible()
    lines = page.get_by_role("region", name="Lines to fix")
    expect(lines.get_by_role("rowheader", name="3", exact=True)).to_be_visible()
    expect(lines).to_contain_text("Enter USD per unit, a number above 0 with at most 8 decimals.")
    assert_accessible(page)
    _import(page, "rates.csv", "currency,date,rate,source\nEUR,2026-03-27,1.08,ECB\nGBP,2026-03-27,1.27,BoE\n")
    expect(page.get_by_text("Imported 2 rates from rates.csv.")).to_be_visible()
    rates = page.get_by_role("region", name="Exchange rates")
    page.get_by_label("Show currency").select_option("EUR")  # the demo's daily rates fill the latest 100
    expect(rates.get_by_role("row").filter(has_text="2026-03-27").filter(has_text="ECB")).to_contain_text("1.08")

    # The partner's EUR deal is won on 31 March: it locks the Friday's 1.08.
    from prm_app.deals import close_deal

    deal_id, company = _approved(app_db, "EUR")
    with app_db() as session:
        close_deal(session, actor_of(session, PARTNER), deal_id, won=True, final_amount="10000", now=WON_AT)
        session.commit()
    page.reload()
    locked = page.get_by_role("region", name="Values locked at the win").get_by_role("row").filter(has_text=company)
    expect(locked).to_contain_text("EUR 10,000.00 = USD 10,800.00 at 1.08 on 2026-03-27 (ECB)")
    expect(_quarter(page, "2026 Q1")).to_contain_text("USD 10,800.00")
    expect(_quarter(page, "2026 Q1")).to_contain_text("EUR 1.08 on 2026-03-27 (ECB)")

    # A bad rate by hand: the message beside the field, what was typed kept.
    page.get_by_label("Currency", exact=True).select_option("EUR")
    page.get_by_label("From day").fill("2026-03-30")
    page.get_by_label("USD per unit").fill("1,2x")
    page.get_by_label("Source").fill("ECB")
    page.get_by_role("button", name="Add rate").click()
    expect(page.get_by_text("Enter USD per unit, a number above 0 with at most 8 decimals.")).to_be_visible()
    expect(page.get_by_label("Source")).to_have_value("ECB")
    expect(page.get_by_label("From day")).to_have_value("2026-03-30")
    # A later rate, dated before the win: looked up today it would be the win's rate; the lock keeps 1.08.
    page.get_by_label("USD per unit").fill("1.20")
    page.get_by_role("button", name="Add rate").click()
    expect(page.get_by_text("Rate added.")).to_be_visible()
    page.get_by_label("Show currency").select_option("EUR")
    expect(rates.get_by_role("row").filter(has_text="2026-03-30")).to_contain_text("1.2")
    page.reload()
    expect(_quarter(page, "2026 Q1")).to_contain_text("USD 10,800.00")
    expect(locked).to_contain_text("at 1.08 on 2026-03-27 (ECB)")

    # Narrowed to one currency, the rates table shows only its rates.
    page.get_by_label("Show currency").select_option("GBP")
    expect(rates.get_by_role("row").filter(has_text="BoE")).to_be_visible()
    expect(rates.get_by_role("row").filter(has_text="ECB")).to_have_count(0)
    assert_accessible(page, dark=True)


def test_a_deal_in_a_currency_without_a_rate_cannot_be_marked_won(page: Page, app_db):
    deal_id, _ = _approved(app_db, "CHF")  # the demo's CHF rate is of 1 Jan: too old to stand for today
    log_in(page, PARTNER, expect_path="/portal")
    page.goto(f"/deals/{deal_id}")
    page.get_by_label("Final amount").fill("5,000")
    page.get_by_role("button", name="Mark as won").click()
    today = datetime.now(UTC).date().isoformat()
    expect(page.get_by_text(f"missing FX rate for CHF on {today}")).to_be_visible()
    expect(page.get_by_label("Final amount")).to_have_value("5,000")
    expect(page.get_by_role("button", name="Mark as won")).to_be_visible()  # still approved, not won
    assert_accessible(page, phone=True)
