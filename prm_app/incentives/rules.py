"""The rules of money, on plain data: rounding, FX, commission calculation, payouts' selection, MDF limits
(rebate bands: rebate_rules.py).

Rounding is stated once, in platform.money: every amount the ledger stores is rounded **half-even to its currency's
minor unit** (`to_minor`: USD 2 decimals, JPY 0, KWD 3, from the ISO 4217 data Babel ships). Everything here is a
pure function: the same events and rules give the same amounts and the same explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from prm_app.fx import FxRateMissing
from prm_app.platform.errors import ValidationError
from prm_app.platform.money import minor_units as minor_units  # re-exported: the one rounding of money
from prm_app.platform.money import to_minor as to_minor  # (half-even to the minor unit), for the area

ZERO = Decimal("0")
HUNDRED = Decimal("100")
FX_LOOKBACK_DAYS = 7  # a rate published up to a week before the event's day is the rate of the day (weekends)
EXPIRY_DAYS = 30  # an approved request with no claim expires this long after its activity ends
BEGINNING = datetime.min.replace(tzinfo=UTC)  # a rule without a start date has always been in force
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "JPY", "KWD", "CHF", "SEK", "BRL", "INR", "CLP")


def parse_amount(text: str, currency: str) -> Decimal:
    """An amount as typed ("12,500.5") in `currency`, at its minor unit. Raises ValueError (its message for the
    person when there is one) for anything that is not a plain number, or that has more decimals than the currency
    (JPY none, KWD three): nothing typed is rounded away (platform.money.parse_money rounds half-up to cents)."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
        if not value.is_finite():
            raise InvalidOperation
        places = minor_units(currency)
        if -int(value.normalize().as_tuple().exponent) > places:
            raise ValueError(
                f"{currency} amounts have " + (f"{places} decimals at most." if places else "no decimals.")
            )
        return to_minor(value, currency)
    except InvalidOperation:
        raise ValueError("") from None


class FxMissing(FxRateMissing):
    """No rate for a currency on (or in the week before) the day: nothing posts in a mixed or guessed currency.
    The fx area's error and words ("missing FX rate for KWD on 2028-03-31"), on the "fx" field."""

    def __init__(self, currency: str, day: date):
        super().__init__(currency, day, "fx")


@dataclass(frozen=True)
class Rate:
    on_date: date
    rate: Decimal


def pick_rate(source: str, target: str, day: date, rates: Iterable[Rate]) -> Rate:
    """The rate to use for converting on `day`: 1 for the same currency, else the latest rate dated on or up to
    FX_LOOKBACK_DAYS before `day`. Raises FxMissing otherwise (never a later rate: history stays reproducible)."""
    if source == target:
        return Rate(day, Decimal(1))
    usable = [r for r in rates if day - timedelta(days=FX_LOOKBACK_DAYS) <= r.on_date <= day]
    if not usable:
        raise FxMissing(source, day)
    return max(usable, key=lambda r: r.on_date)


# ------------------------------------------------------------------------------------------------ commissions


class Calc(StrEnum):
    PERCENT = "percent"
    FLAT = "flat"


EVENTS = {"deal_won": "a won deal", "referral_converted": "a converted referral"}
CREDITS = {"": "sourced or influenced", "sourced": "sourced deals", "influenced": "influenced deals"}
CREDIT_WORDS = {"sourced": "sourced-deal ", "influenced": "influenced-deal "}  # "10 % sourced-deal commission on …"
CAP_PERIODS = {"": "no cap", "month": "per month", "quarter": "per quarter", "year": "per year"}


@dataclass(frozen=True)
class RuleTerms:
    id: int
    event: str
    calc: str
    rate: Decimal
    tier_id: int | None = None
    partner_type: str = ""
    product_id: int | None = None
    step_months: int | None = None
    then_rate: Decimal | None = None
    max_months: int | None = None
    cap_amount: Decimal | None = None
    cap_period: str = ""
    effective_from: datetime = BEGINNING
    effective_to: datetime | None = None
    tier_name: str = ""
    product_name: str = ""  # the product a product rule pays for: the deal must name it
    credit: str = ""  # "sourced" or "influenced": the rule pays only deals of that credit; "" either

    def in_force(self, at: datetime) -> bool:
        return self.effective_from <= at and (self.effective_to is None or at < self.effective_to)

    def matches(self, event: EarningEvent) -> bool:
        return (
            self.event == event.event
            and (self.tier_id is None or self.tier_id == event.tier_id)
            and (not self.partner_type or self.partner_type == event.partner_type)
            and (self.product_id is None or self.product_id in event.product_ids)
            and (not self.credit or self.credit == event.credit)
        )

    @property
    def specificity(self) -> int:
        return (self.tier_id is not None) + bool(self.partner_type) + (self.product_id is not None) + bool(self.credit)


@dataclass(frozen=True)
class EarningEvent:
    """What happened: a deal won (or a referral converted) by a partner of this tier and type, worth `base` in
    the program's currency (already converted) on `at`; `months_in` counts whole months since the partner's first
    earning under the plan (0 = the first month)."""

    event: str
    at: datetime
    base: Decimal
    currency: str
    tier_id: int | None
    partner_type: str
    product_ids: frozenset[int] = frozenset()
    months_in: int = 0
    earned_in_cap_period: Decimal = ZERO  # already accrued under the rule in the event's cap period
    subject: str = ""  # "ACME renewal"
    credit: str = "sourced"  # the partner's credit on the deal: sourced or influenced
    tier_rate: Decimal | None = None  # the partner tier's "commission_rate" benefit in effect on the event's day


@dataclass(frozen=True)
class Earning:
    rule_id: int
    amount: Decimal
    explanation: str


def rule_for(event: EarningEvent, rules: Sequence[RuleTerms]) -> RuleTerms | None:
    """The most specific rule in force at the event that matches it (ties: the newest rule)."""
    fitting = [r for r in rules if r.in_force(event.at) and r.matches(event)]
    return max(fitting, key=lambda r: (r.specificity, r.effective_from, r.id), default=None)


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f} %"


def calculate_earning(event: EarningEvent, rules: Sequence[RuleTerms]) -> Earning | None:
    """The earning the event is owed under the rules in force when it happened, or None (no rule, or past the
    rule's duration). Step-down: `rate` for the first `step_months` months, `then_rate` after; `max_months`: nothing
    from that month on; a cap per period trims the amount to what is left of it."""
    rule = rule_for(event, rules)
    if rule is None or (rule.max_months is not None and event.months_in >= rule.max_months):
        return None
    rate = rule.rate
    step = (rule.step_months, rule.then_rate) if rule.step_months is not None and rule.then_rate is not None else None
    if step is not None and event.months_in >= step[0]:
        rate = step[1]
    label = f"{rule.tier_name} " if rule.tier_name else ""
    if rule.calc == Calc.PERCENT and event.tier_rate is not None:
        # The tier's benefit replaces the rule's rate (and its step-down) for a % rule, for events on or after the
        # day the benefit took effect (the benefit read for the event's day says so); flat rules keep their amount.
        rate, step, label = event.tier_rate, None, f"{label}tier-rate "
    if rule.calc == Calc.PERCENT:
        amount = to_minor(event.base * rate / HUNDRED, event.currency)
        words = f"{_pct(rate)} {label}{CREDIT_WORDS.get(rule.credit, '')}commission on {event.subject}"
    else:
        amount = to_minor(rate, event.currency)
        words = f"Flat {label}{CREDIT_WORDS.get(rule.credit, '')}reward for {event.subject}"
    if rule.product_name:
        words += f" ({rule.product_name})"
    if rule.cap_amount is not None and rule.cap_period:
        left = max(ZERO, rule.cap_amount - event.earned_in_cap_period)
        if amount > left:
            amount = left
            cap = f"{rule.cap_amount:,.{minor_units(event.currency)}f} {event.currency}"
            words += f" (capped at {cap} {CAP_PERIODS[rule.cap_period]})"
    if step is not None:
        words += f" (first {step[0]} months {_pct(rule.rate)}, then {_pct(step[1])})"
    return Earning(rule.id, amount, words)


def months_between(first: datetime, at: datetime) -> int:
    """Whole months from `first` to `at` (15 Jan → 14 Feb is 0, → 15 Feb is 1)."""
    months = (at.year - first.year) * 12 + at.month - first.month
    return months - 1 if at.day < first.day else months


def cap_period_start(at: datetime, period: str) -> datetime:
    """The first moment of the month, quarter or year `at` falls in (UTC)."""
    start = at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if period == "quarter":
        return start.replace(month=(at.month - 1) // 3 * 3 + 1)
    if period == "year":
        return start.replace(month=1)
    return start


def payable_from(at: datetime, holding_days: int) -> datetime:
    return at + timedelta(days=holding_days)


# ------------------------------------------------------------------------------------------------ payouts


@dataclass(frozen=True)
class OpenLine:
    """An earnings line not yet in a live payout."""

    id: int
    organization_id: int
    program_id: int | None
    amount: Decimal
    payable_from: datetime | None
    payee_id: int = 0  # a rep's payee profile (SPIFFs), 0 for the partner itself


Payee = tuple[int, int]  # (organization id, payee profile id or 0)


def select_payable(lines: Iterable[OpenLine], minimums: dict[int, Decimal], now: datetime) -> dict[Payee, list[int]]:
    """Per payee (the partner, or one of its reps for a SPIFF), the lines a payout made `now` takes: lines past their
    holding period, grouped by program; a program's group whose total is below its minimum payout carries forward
    (negative groups always net: a clawback is never left behind); a payee whose total is not above zero is not
    paid. {(org, payee): [line ids]}."""
    groups: dict[tuple[int, int, int | None], list[OpenLine]] = {}
    for line in lines:
        if line.payable_from is None or line.payable_from <= now:
            groups.setdefault((line.organization_id, line.payee_id, line.program_id), []).append(line)
    chosen: dict[Payee, list[OpenLine]] = {}
    for (org, payee, program), group in groups.items():
        total = sum((g.amount for g in group), ZERO)
        if total < 0 or total >= minimums.get(program or 0, ZERO):
            chosen.setdefault((org, payee), []).extend(group)
    return {
        who: sorted(line.id for line in picked)
        for who, picked in chosen.items()
        if sum((p.amount for p in picked), ZERO) > 0
    }


def in_window(at: datetime, first_day: date, last_day: date, zone: tzinfo) -> bool:
    """Whether `at` (aware) falls on a day from `first_day` to `last_day` in `zone`: a SPIFF for Jan 1 – Mar 31 in
    New York takes a deal registered Mar 31 23:59 New York time (04:59 UTC on Apr 1), not one at Apr 1 00:00."""
    return first_day <= at.astimezone(zone).date() <= last_day


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (=, +, -, @, tab, CR first: an apostrophe before it)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


# ------------------------------------------------------------------------------------------------ MDF


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    REJECTED = "rejected"  # the partner may fix it and submit again
    DECLINED = "declined"  # final
    CLAIMED = "claimed"
    EXPIRED = "expired"


REQUEST_MOVES = {
    RequestStatus.SUBMITTED: {
        RequestStatus.APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.DECLINED,
        RequestStatus.INFO_REQUESTED,
    },
    RequestStatus.INFO_REQUESTED: {RequestStatus.SUBMITTED},
    RequestStatus.REJECTED: {RequestStatus.SUBMITTED},
    RequestStatus.APPROVED: {RequestStatus.CLAIMED, RequestStatus.EXPIRED},
}
ACTIVITY_TYPES = {
    "event": "Event",
    "digital_campaign": "Digital campaign",
    "content_syndication": "Content syndication",
    "training": "Training",
}
# The proof each activity's claim needs, said on the claim form (each line carries its invoice).
PROOF_CHECKLIST = {
    "event": "Invoices, photos of the event and the attendee list",
    "digital_campaign": "Invoices, screenshots of the ads and the campaign's lead list",
    "content_syndication": "Invoices and the syndication partner's lead list",
    "training": "Invoices and the attendance sheet",
}
LINE_DECISIONS = {
    "accepted": "Accepted",
    "accepted_with_changes": "Accepted with changes",
    "denied": "Denied",
    "returned": "Returned",
}


def check_request_amount(requested: Decimal, remaining: Decimal, currency: str) -> None:
    """A request asks for no more than what is left of the allocation; the message says how much is left."""
    if requested > remaining:
        raise ValidationError(
            f"Only {remaining:,.{minor_units(currency)}f} {currency} of your allocation is left; ask for that or less.",
            "requested_amount",
        )


def claimable(approved: Decimal, reimbursement_pct: int, currency: str) -> Decimal:
    """What a claim can be paid at most: the approved amount times the reimbursement share."""
    return to_minor(approved * Decimal(reimbursement_pct) / HUNDRED, currency)


def expires_on(ends_on: date) -> date:
    return ends_on + timedelta(days=EXPIRY_DAYS)


# ------------------------------------------------------------------------------------------------ FX revaluation


@dataclass(frozen=True)
class HeldBalance:
    """A payee's earnings in `currency` (not the corporate one) up to a period end, in parts: (amount, corporate
    units per unit on the part's rate date), a part being a line or the lines of one rate date summed; and what
    earlier periods' revaluations added in the corporate currency."""

    currency: str
    lines: tuple[tuple[Decimal, Decimal], ...]
    revalued_before: Decimal = ZERO


@dataclass(frozen=True)
class Revalued:
    open_amount: Decimal  # still owed, in the balance's currency
    worth: Decimal  # that at the period-end rate, in the corporate currency
    carried: Decimal  # what the ledger carries it at in the corporate currency before this revaluation
    difference: Decimal  # worth - carried: the revaluation line (positive: it costs more than booked)


def revalue(balance: HeldBalance, closing_rate: Decimal, corporate: str) -> Revalued:
    """The period-end revaluation of one open balance. Each part is carried at its own rate (what it was worth in
    the corporate currency when it posted, rounded half-even to the corporate minor unit), plus the earlier
    revaluations; the open amount is worth open × closing rate, rounded the same way; the difference is the line to
    append. 800.00 EUR (1,000.00 at 1.08 = 1,080.00 USD, -200.00 at 1.09 = -218.00) at 1.10: worth 880.00,
    carried 862.00, difference +18.00 USD."""
    open_amount = sum((amount for amount, _ in balance.lines), ZERO)
    carried = sum((to_minor(amount * rate, corporate) for amount, rate in balance.lines), ZERO)
    carried += balance.revalued_before
    worth = to_minor(open_amount * closing_rate, corporate)
    return Revalued(open_amount, worth, carried, worth - carried)


def revaluation_period(text: str) -> tuple[int, date]:
    """ "2026-11" → (202611, 30 Nov 2026): the period's key (ordered) and its last day. Raises ValueError."""
    year, _, month = (text or "").strip().partition("-")
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError("Choose a month, like 2026-11.")
    first_of_next = date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)
    return int(year) * 100 + int(month), first_of_next - timedelta(days=1)


def revaluation_words(r: Revalued, currency: str, corporate: str, rate: Decimal, rate_date: date, end: date) -> str:
    """The revaluation in plain words, for the managers' ledger."""
    places, own = minor_units(corporate), minor_units(currency)
    change = "more" if r.difference > 0 else "less"
    return (
        f"{r.open_amount:,.{own}f} {currency} still owed on {end:%d %b %Y}, revalued at {rate.normalize():f} "
        f"{corporate} per {currency} (rate of {rate_date:%d %b %Y}): worth {r.worth:,.{places}f} {corporate} "
        f"against {r.carried:,.{places}f} {corporate} booked, {abs(r.difference):,.{places}f} {corporate} {change}. "
        f"The payee is still owed the same {currency}; only its value in {corporate} moved."
    )
