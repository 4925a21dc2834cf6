"""Currencies in Chromium: the admin pays a partner in EUR (payouts page) → its USD deal's commission shows in EUR on
the partner's Incentives page, with the plan's USD amount, the stored rate and its date → paid in CLP, a currency
with no rate, the next earning is held and the console says "missing FX rate for CLP on …"; the admin makes EUR
the corporate currency (FX rates page) → a deal won afterwards locks its value in EUR.

The partner is Meridian Integration Group (jonas.weber), whom only the product-rule test also uses; both settings
are put back at the end, so the tests after these see USD everywhere again.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, wait_live
from tests.e2e.test_incentives import earnings_row
from tests.e2e.test_incentives_rules import _won_deal

ADMIN = "admin@vendor.example"
PARTNER = "jonas.weber@meridian-ig.example"
ORG = "Meridian Integration Group"
SECURITY = "Security Suite"
# The demo's EUR rate today: 1.0840 USD moved by its day's wiggle (incentives seed), 1.07858 → 1 / 1.07858.
USD_TO_EUR = "0.92714495"


def _plan(app_db, name: str) -> None:
    """A plan paying 5 % on deals with the Security Suite (which no other e2e deal names), held 30 days."""
    from prm_app.deals import Product
    from prm_app.incentives import create_program, set_commission_rule

    with app_db() as session:
        admin = actor_of(session, ADMIN)
        program = create_program(session, admin, name, "USD", "30", "0")
        suite = session.exec(select(Product.id).where(Product.sku == "PRM-SEC")).one()
        rule = {"event": "deal_won", "calc": "percent", "rate": "5", "cap_period": "", "product_id": str(suite)}
        set_commission_rule(session, admin, program, rule)
        session.commit()


def _put_back(app_db) -> None:
    from prm_app.fx import set_corporate_currency
    from prm_app.incentives.payout_currency import set_payout_currency
    from prm_app.partners import Organization

    with app_db() as session:
        admin = actor_of(session, ADMIN)
        org = session.exec(select(Organization.id).where(Organization.name == ORG)).one()
        set_payout_currency(session, admin, org, "")
        set_corporate_currency(session, admin, "USD")
        session.commit()


def _pay_in(page: Page, currency: str) -> None:
    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name="Payout currency per partner"))
    card.get_by_label("Partner", exact=True).select_option(label=ORG)
    card.get_by_label("Payout currency", exact=True).select_option(currency)
    card.get_by_role("button", name="Save payout currency").click()
    chosen = page.get_by_role("region", name="Partners paid in a currency of their own")
    expect(chosen.get_by_role("row").filter(has_text=ORG)).to_contain_text(currency)


def test_a_partner_paid_in_eur_sees_its_earning_in_eur_and_a_missing_rate_holds_the_next(
    page: Page, browser: Browser, app_db
):
    token = uuid.uuid4().hex[:6]
    _plan(app_db, f"Security push {token}")
    try:
        log_in(page, ADMIN)
        page.goto("/incentives/payouts")
        wait_live(page)
        card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name="Payout currency per partner"))
        card.get_by_role("button", name="Save payout currency").click()
        expect(page.locator("#field-partner_id-error")).to_contain_text("Choose a partner.")
        _pay_in(page, "EUR")
        assert_accessible(page, phone=True)

        company = f"Stuttgart Secure {token}"
        _won_deal(app_db, company, "PRM-SEC")
        partner, row = earnings_row(browser, PARTNER, f"5 % commission on {company} ({SECURITY})")
        expect(row).to_contain_text("927.14 EUR")  # 5 % of 20,000 USD = 1,000 USD at the day's rate
        expect(row).to_contain_text(f"1,000.00 USD at {USD_TO_EUR}")
        assert_accessible(partner, phone=True)
        partner.context.close()

        # Paid in CLP, which has no rate: the next earning is held, and the console says which rate is missing.
        page.goto("/incentives/payouts")
        wait_live(page)
        _pay_in(page, "CLP")
        _won_deal(app_db, f"Ulm Secure {token}", "PRM-SEC")
        page.goto("/incentives")
        wait_live(page)
        expect(page.get_by_text(f"{ORG}: missing FX rate for CLP on {date.today().isoformat()}")).to_be_visible()
    finally:
        _put_back(app_db)


def test_the_admin_sets_the_corporate_currency_and_later_wins_lock_into_it(page: Page, app_db):
    token = uuid.uuid4().hex[:6]
    try:
        log_in(page, ADMIN)
        page.goto("/settings/fx-rates")
        page.wait_for_url(at("/settings/fx-rates"))
        wait_live(page)
        expect(page.get_by_role("heading", name="Won revenue in USD by quarter")).to_be_visible()
        page.get_by_label("Corporate currency", exact=True).select_option("EUR")
        page.get_by_role("button", name="Set corporate currency").click()
        expect(page.get_by_role("heading", name="Won revenue in EUR by quarter")).to_be_visible()
        expect(page.get_by_label("Corporate currency", exact=True)).to_have_value("EUR")

        company = f"Dresden Works {token}"
        _won_deal(app_db, company, "PRM-ANL")
        page.reload()
        wait_live(page)
        locked = page.get_by_role("region", name="Values locked at the win").get_by_role("row").filter(has_text=company)
        # The rate is the one dated on the win's day or before: the server seeds the day's rates when it starts, so
        # a run that crosses midnight UTC wins on a day whose latest rate is the day before's.
        days = "|".join(d.isoformat() for d in (date.today(), date.today() - timedelta(days=1)))
        rate = re.compile(rf"USD 20,000\.00 = EUR 18,542\.90 at {re.escape(str(USD_TO_EUR))} on ({days})")
        expect(locked).to_contain_text(rate)
        expect(page.get_by_role("region", name="Won revenue in EUR by quarter")).to_be_visible()
        assert_accessible(page, phone=True)
    finally:
        _put_back(app_db)
