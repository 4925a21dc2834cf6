"""FX on the incentives ledger in Chromium: the admin revalues last month from the FX revaluation page (linked from
the Incentives console) → the partner's open EUR balance gets its revaluation line, with the rate and what it means in
plain words; revaluing the month again appends nothing. And a SPIFF earned by a rep of a partner paid in EUR shows on
the partner's Incentives page in EUR, with the SPIFF's USD amount, the rate and its date (at 375 px too).

The partner is Harbor Tech Supply (noah.tremblay), whose money no other e2e test reads (only onboarding uses it);
its payout currency is put back at the end. The server's clock cannot be moved, so last month's earning is written
by the ledger in this process with its clock set to a day of last month; nothing else in the suite's database
posts before today, so the revaluation of last month holds this line alone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, wait_live
from tests.e2e.test_incentives import earnings_row

ADMIN = "admin@vendor.example"
PARTNER = "noah.tremblay@harbortech.example"
ORG = "Harbor Tech Supply"


def _org_id(session) -> int:
    from prm_app.partners import Organization

    return session.exec(select(Organization.id).where(Organization.name == ORG)).one()


def _pay_in(app_db, currency: str) -> None:
    from prm_app.incentives.payout_currency import set_payout_currency

    with app_db() as session:
        set_payout_currency(session, actor_of(session, ADMIN), _org_id(session), currency)
        session.commit()


def _last_months_earning(app_db, monkeypatch, token: str) -> str:
    """A 1,000 USD reward of Harbor's, posted on a day of last month in EUR (its payout currency), held 60 days.
    Returns the revaluation the page must show in words, worked out by the rule from the stored rates."""
    from prm_app.fx import rate_between
    from prm_app.incentives import ledger
    from prm_app.incentives.payout_currency import to_payout_currency
    from prm_app.incentives.rules import HeldBalance, revalue

    end = date.today().replace(day=1) - timedelta(days=1)
    with app_db() as session:
        closing = rate_between(session, "EUR", "USD", end).rate
        # A day of last month whose rate differs from the month end's (the demo's rates wiggle day by day).
        day = next(d for d in range(10, 20) if rate_between(session, "EUR", "USD", end.replace(day=d)).rate != closing)
    posted = datetime(end.year, end.month, day, 12, tzinfo=UTC)
    monkeypatch.setattr(ledger, "utcnow", lambda: posted)
    with app_db() as session:
        posting = ledger.Posting(
            account=ledger.EARNINGS, kind="accrual", amount=Decimal("1000.00"), currency="USD",
            idempotency_key=f"e2e-revaluation:{token}", source_type="e2e", organization_id=_org_id(session),
            payable_from=posted + timedelta(days=60), reason="Deal won",
            explanation=f"Flat reward for Halifax Harbour {token}",
        )  # fmt: skip
        [line] = ledger.post(session, None, [to_payout_currency(session, posting, posted.date())])
        booked = rate_between(session, "EUR", "USD", line.fx_date).rate
        session.commit()
    monkeypatch.undo()
    r = revalue(HeldBalance("EUR", ((line.amount, booked),)), closing, "USD")
    return (
        f"{r.open_amount:,.2f} EUR still owed on {end:%d %b %Y}, revalued at {closing.normalize():f} USD per EUR "
        f"(rate of {end:%d %b %Y}): worth {r.worth:,.2f} USD against {r.carried:,.2f} USD booked, "
        f"{abs(r.difference):,.2f} USD {'more' if r.difference > 0 else 'less'}."
    )


def test_the_admin_revalues_last_month_once_and_the_line_says_what_it_means(page: Page, app_db, monkeypatch):
    token = uuid.uuid4().hex[:6]
    _pay_in(app_db, "EUR")
    try:
        words = _last_months_earning(app_db, monkeypatch, token)
        log_in(page, ADMIN)
        page.goto("/incentives")
        wait_live(page)
        page.get_by_role("link", name="FX revaluation").click()
        page.wait_for_url(at("/incentives/revaluation"))
        wait_live(page)
        expect(page.get_by_text("only the vendor's cost of the debt moves")).to_be_visible()
        month = f"{date.today().replace(day=1) - timedelta(days=1):%Y-%m}"
        expect(page.get_by_label("Month", exact=True)).to_have_value(month)  # last month comes first
        page.get_by_role("button", name="Revalue month").click()
        expect(page.get_by_text(f"{month} revalued:")).to_be_visible()
        lines = page.get_by_role("region", name="Revaluation lines")
        row = lines.get_by_role("row").filter(has_text=ORG)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(words)
        expect(row).to_contain_text(f"Period-end FX revaluation {month}")
        expect(row).to_contain_text("The payee is still owed the same EUR; only its value in USD moved.")
        assert_accessible(page, phone=True)

        page.get_by_role("button", name="Revalue month").click()  # again: a retry, or a second admin
        expect(page.get_by_text(f"{month} was revalued already: nothing was appended.")).to_be_visible()
        expect(lines.get_by_role("row").filter(has_text=ORG)).to_have_count(1)
    finally:
        _pay_in(app_db, "")


def test_a_spiff_for_a_partner_paid_in_eur_shows_converted_on_its_incentives_page(browser: Browser, app_db):
    from prm_app.deals import DealInput, Product, register_deal
    from prm_app.incentives import create_spiff
    from prm_app.incentives.ledger import convert
    from prm_app.incentives.rules import to_minor

    token = uuid.uuid4().hex[:6]
    spiff, company = f"Services SPIFF {token}", f"Halifax Services {token}"
    today = date.today()
    _pay_in(app_db, "EUR")
    try:
        with app_db() as session:
            window = {"window_start": str(today - timedelta(days=1)), "window_end": str(today + timedelta(days=1))}
            create_spiff(session, actor_of(session, ADMIN), {
                "spiff_name": spiff, "spiff_currency": "USD", "time_zone": "UTC", "bonus": "250",
                "product": "PRM-PS", **window,
            })  # fmt: skip
            product = session.exec(select(Product.id).where(Product.sku == "PRM-PS")).one()
            site = f"halifaxservices{token}.com"
            register_deal(session, actor_of(session, PARTNER), DealInput(
                customer_name=company, customer_site=site, country="CA", contact_name="Ada Lane",
                contact_email=f"ada@{site}", product_ids=(product,), estimated_value="15000", currency="USD",
                expected_close=str(today + timedelta(days=40)), stage="Proposal",
            ), submit=True)  # fmt: skip
            euros, rate = convert(session, Decimal(250), "USD", "EUR", datetime.now(UTC).date())
            session.commit()
        partner, row = earnings_row(browser, PARTNER, f"{spiff}: 250.00 USD to Noah Tremblay for registering {company}")
        expect(row).to_contain_text(f"{to_minor(euros, 'EUR'):,.2f} EUR")
        expect(row).to_contain_text(f"250.00 USD at {rate.rate.normalize():f}")
        assert_accessible(partner, phone=True)
        partner.context.close()
    finally:
        _pay_in(app_db, "")
