"""Pure rules for deal registrations: input validation, the status machine, SLA age. No database here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pycountry
from email_validator import EmailNotValidError, validate_email

from prm_app.deals.matching.rules import free_mail_host, normalize_company_name, registrable_domain
from prm_app.deals.models import DEAL_STAGES, Credit, DealStatus
from prm_app.platform.errors import FormInvalid, ValidationError
from prm_app.platform.money import MAX_VALUE, parse_money

CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "JPY", "INR", "CHF", "SEK", "NOK", "BRL", "CLP", "MXN", "MAD")

# Which status may move to which, and who moves it. Anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    DealStatus.DRAFT: {DealStatus.SUBMITTED, DealStatus.WITHDRAWN},
    DealStatus.SUBMITTED: {DealStatus.APPROVED, DealStatus.REJECTED, DealStatus.INFO_REQUESTED, DealStatus.WITHDRAWN},
    DealStatus.INFO_REQUESTED: {DealStatus.SUBMITTED, DealStatus.WITHDRAWN, DealStatus.REJECTED},
    DealStatus.APPROVED: {DealStatus.WON, DealStatus.LOST, DealStatus.EXPIRED},
    # A manager's corrections of a closed deal (deals.corrections): a won deal lost after all, and back.
    DealStatus.WON: {DealStatus.LOST},
    DealStatus.LOST: {DealStatus.WON},
}
# Registrations that still stake a claim on their customer (what conflict checks look at).


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())


@dataclass(frozen=True)
class DealInput:
    """What the registration form sends, as text, exactly as typed."""

    customer_name: str = ""
    customer_site: str = ""
    country: str = ""
    contact_name: str = ""
    contact_email: str = ""
    product_ids: tuple[int, ...] = ()
    estimated_value: str = ""
    currency: str = "USD"
    expected_close: str = ""
    stage: str = ""
    description: str = ""
    credit: str = Credit.SOURCED  # the partner found it (sourced) or helps on it (influenced)
    # Two-tier distribution (deals.distribution.check_fulfilment checks these against the hierarchy): the
    # distributor that will fulfil it, "do not share with this distributor", and the reseller a distributor
    # registers it for ("" or its own id: its own registration).
    distributor_id: str = ""
    hide_from_distributor: bool = False
    for_organization_id: str = ""


@dataclass(frozen=True)
class CleanDeal:
    customer_name: str
    name_norm: str
    customer_site: str
    domain: str
    country: str
    contact_name: str
    contact_email: str
    product_ids: tuple[int, ...]
    estimated_value: Decimal
    currency: str
    expected_close: date
    stage: str
    description: str
    credit: str


def clean_deal_input(data: DealInput, valid_product_ids: set[int], today: date) -> CleanDeal:
    """Check every field at once; raises FormInvalid with one message per bad field."""
    errors: dict[str, str] = {}
    name = " ".join((data.customer_name or "").split())
    if not name:
        errors["customer_name"] = "Enter the customer's company name."
    elif len(name) > 200:
        errors["customer_name"] = "Keep the company name under 200 characters."
    elif not normalize_company_name(name):
        errors["customer_name"] = "Enter the company's name, not only its legal form."
    site = (data.customer_site or "").strip()
    domain = registrable_domain(site) if site else ""
    if not site:
        errors["customer_site"] = "Enter the customer's website or an email address at the company."
    elif not domain and (provider := free_mail_host(site)):
        errors["customer_site"] = (
            f"{provider} is a free-mail provider, which doesn't identify a company: use the company's own website "
            "or email domain."
        )
    elif not domain:  # a typo'd or private name ("acme.cmo", "acme.local"), an IP address
        errors["customer_site"] = "That is not a public website or email domain: use the company's own, like acme.com."
    if not data.country or pycountry.countries.get(alpha_2=data.country) is None:
        errors["country"] = "Choose the customer's country."
    contact_name = " ".join((data.contact_name or "").split())
    if not contact_name:
        errors["contact_name"] = "Enter the contact's name."
    contact_email = ""
    try:
        contact_email = validate_email(data.contact_email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors["contact_email"] = "Enter a valid email address, like name@company.com."
    products = tuple(sorted({int(p) for p in data.product_ids}))
    if not products:
        errors["products"] = "Choose at least one product."
    elif not set(products) <= valid_product_ids:
        errors["products"] = "Choose products from the catalogue."
    value = Decimal(0)
    try:
        value = parse_money(data.estimated_value)
        if value <= 0:
            errors["estimated_value"] = "Enter an amount above zero."
        elif value >= MAX_VALUE:
            errors["estimated_value"] = "That amount is too large; check the number."
    except ValueError:
        errors["estimated_value"] = "Enter the estimated value as a number, like 25000 or 25,000.00."
    if data.currency not in CURRENCIES:
        errors["currency"] = "Choose a currency."
    close = today
    try:
        close = date.fromisoformat((data.expected_close or "").strip())
        if close < today:
            errors["expected_close"] = "The expected close date is in the past."
        elif close > today + timedelta(days=730):
            errors["expected_close"] = "Choose a close date within two years."
    except ValueError:
        errors["expected_close"] = "Enter the expected close date."
    if data.stage not in DEAL_STAGES:
        errors["stage"] = "Choose the sales stage."
    description = (data.description or "").strip()
    if len(description) > 4000:
        errors["description"] = "Keep the description under 4,000 characters."
    if data.credit not in set(Credit):
        errors["credit"] = "Choose whether you sourced this deal or are influencing it."
    if errors:
        raise FormInvalid(errors)
    return CleanDeal(
        customer_name=name,
        name_norm=normalize_company_name(name),
        customer_site=site,
        domain=domain,
        country=data.country,
        contact_name=contact_name,
        contact_email=contact_email,
        product_ids=products,
        estimated_value=value,
        currency=data.currency,
        expected_close=close,
        stage=data.stage,
        description=description,
        credit=data.credit,
    )


def business_days_between(start: datetime, end: datetime) -> int:
    """Whole weekdays from `start` to `end` (Saturday and Sunday do not count toward the review SLA)."""
    if end <= start:
        return 0
    days = 0
    day = start.date()
    while day < end.date():
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def check_payment(amount: Decimal, final_amount: Decimal, paid: Decimal, currency: str) -> None:
    """A customer's payment is above zero and, with what it paid before, at most the deal's final amount."""
    if amount <= 0:
        raise ValidationError("Enter an amount above zero.", "payment_amount")
    if paid + amount > final_amount:
        raise ValidationError(
            f"The customer has paid {paid:,.2f} of {final_amount:,.2f} {currency}: at most "
            f"{final_amount - paid:,.2f} {currency} more can be recorded.",
            "payment_amount",
        )


def check_refund(amount: Decimal, paid: Decimal, currency: str) -> None:
    """A refund gives back part or all of what the customer has paid (net of earlier refunds), never more."""
    if paid <= 0:
        raise ValidationError("Record the customer's payment before a refund: nothing is paid yet.", "refund_amount")
    if amount <= 0:
        raise ValidationError("Enter an amount above zero.", "refund_amount")
    if amount > paid:
        raise ValidationError(
            f"The customer has paid {paid:,.2f} {currency}: a refund is at most that.", "refund_amount"
        )


@dataclass(frozen=True)
class RoleCredit:
    """One party's credit on a registration: who, in which role, on what basis, and which share of its value."""

    organization_id: int
    role: str  # "reseller" (the partner that owns it) or "distributor" (the one that fulfils it)
    basis: str  # the owner's Credit ("sourced", "influenced"), or "fulfilment" for the distributor
    pct: Decimal  # of the deal's value, 0-100


def role_credits(
    owner_id: int, credit: str, distributor_id: int | None, distributor_pct: Decimal
) -> tuple[RoleCredit, ...]:
    """Who a registration credits, each party once by its role: the owner for all of it, as it chose (sourced or
    influenced); the distributor that fulfils it for the program's distributor share, when it names one other than
    the owner and the share is above zero. Each role's figures read only their own line, so a tier, an incentive or
    a dashboard never counts one dollar twice for one party, and the program's revenue counts the deal once."""
    parties = [RoleCredit(owner_id, "reseller", credit, Decimal(100))]
    if distributor_id is not None and distributor_id != owner_id and distributor_pct > 0:
        parties.append(RoleCredit(distributor_id, "distributor", "fulfilment", distributor_pct))
    return tuple(parties)


def check_credit_pct(text: str) -> Decimal:
    """The distributor's share as typed ("50", "12.5", "100 %") as a percentage 0-100 with at most two decimals."""
    cleaned = (text or "").replace("%", "").strip()
    try:
        pct = Decimal(cleaned)
    except ArithmeticError:
        pct = Decimal(-1)
    if not cleaned or not pct.is_finite() or not 0 <= pct <= 100 or pct != pct.quantize(Decimal("0.01")):
        raise ValidationError("Enter a share from 0 to 100, like 100 or 12.5.", "distributor_credit_pct")
    return pct.quantize(Decimal("0.01"))
