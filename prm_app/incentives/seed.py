"""Demo incentives: a commission plan with a rule per tier (and a referral step-down), daily exchange rates, the
won demo deals accrued, an MDF budget with allocations and requests and claims in every state (each invoice a small
real PDF in the private store), and two payout batches (one paid, one waiting for approval). Everything is found by
its natural key (plan, budget and request names, batch keys) and made through the area's own use cases, so seeding
again adds nothing and the ledger holds only lines a person could have caused."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from fpdf import FPDF
from sqlmodel import Session, select

from prm_app.deals import Deal, DealStatus
from prm_app.identity import User
from prm_app.incentives.claims import PROOFS, add_claim_line, decide_claim_line, finish_claim_review, submit_claim
from prm_app.incentives.commissions import accrue_deal
from prm_app.incentives.mdf import (
    allocate,
    create_budget,
    decide_fund_request,
    expire_fund_requests,
    submit_fund_request,
)
from prm_app.incentives.mdf_proofs import add_proof
from prm_app.incentives.mdf_rules import proof_items
from prm_app.incentives.models import (
    ClaimLine,
    CommissionRule,
    FundClaim,
    FundRequest,
    IncentiveProgram,
    LedgerLine,
    MdfBudget,
    PayoutBatch,
)
from prm_app.incentives.payouts import approve_batch, create_batch, mark_batch_paid
from prm_app.incentives.rebates import create_rebate_program
from prm_app.incentives.spiffs import create_spiff
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.models import ExchangeRate

PLAN = "Partner commissions"
TIER_RATES = {"Registered": "5", "Silver": "8", "Gold": "10", "Platinum": "12"}
# 1 unit = this many USD, moved a little each day (deterministic): enough for every demo deal's day.
USD_RATES = {
    "EUR": "1.0840",
    "GBP": "1.2650",
    "CAD": "0.7330",
    "AUD": "0.6590",
    "JPY": "0.006720",
    "KWD": "3.2550",
    "INR": "0.011980",
}
BUDGET = "FY2026 Q4 Market Development Funds"
ALLOCATIONS = {"Platinum": "40000", "Gold": "25000", "Silver": "10000"}
# (partner admin, title, activity, requested, days from today it starts/ends, outcome)
REQUESTS = [
    ("priya.shah@cobaltsys.example", "Austin partner summit booth", "event", "6000", (20, 22), "submitted"),
    (
        "dana.price@northwind-dist.example",
        "Q4 LinkedIn demand campaign",
        "digital_campaign",
        "12000",
        (-45, -25),
        "paid",
    ),
    ("jonas.weber@meridian-ig.example", "Munich CIO breakfast", "event", "8000", (-30, -28), "claim_submitted"),
    ("ingrid.berg@fjordit.example", "Nordic MSP webinar series", "digital_campaign", "5000", (10, 40), "rejected"),
    ("oliver.hughes@atlasvalue.example", "Trade show sponsorship", "event", "9500", (30, 33), "declined"),
    ("sam.carter@bluepeak.example", "Reseller sales bootcamp", "training", "3000", (15, 16), "info_requested"),
    ("grace.kim@lumenlabs.example", "ISV content syndication", "content_syndication", "7000", (-5, 25), "approved"),
    ("camila.rojas@andescloud.example", "Santiago cloud day", "event", "4000", (-20, -19), "returned"),
    ("dana.price@northwind-dist.example", "Holiday partner enablement", "training", "4500", (-40, -20), "paid_later"),
    ("haruto.sato@sakura-sol.example", "Osaka SI roadshow", "event", "5000", (-50, -40), "expired"),
]


def _actor(session: Session, email: str) -> Actor:
    user = session.exec(select(User).where(User.email == email)).one()
    return Actor(user_id=user.id, role=Role(user.role), organization_id=user.organization_id, name=user.full_name)


def _rates(session: Session, today: date) -> int:
    """Daily USD rates for the last 60 days (the ledger takes a rate at most a week old), beside the dashboards'
    older ones."""
    made = 0
    since = today - timedelta(days=60)
    have = {(r.currency, r.as_of) for r in session.exec(select(ExchangeRate).where(ExchangeRate.as_of >= since)).all()}
    for offset in range(60, -1, -1):
        day = today - timedelta(days=offset)
        for currency, base in USD_RATES.items():
            if (currency, day) not in have:
                wiggle = Decimal(1) + Decimal((offset * 7) % 11 - 5) / Decimal(1000)
                rate = (Decimal(base) * wiggle).quantize(Decimal("0.00000001"))
                session.add(ExchangeRate(currency=currency, as_of=day, usd_per_unit=rate))
                made += 1
    session.flush()
    return made


def _plan(session: Session) -> int:
    program = session.exec(select(IncentiveProgram).where(IncentiveProgram.name == PLAN)).first()
    if program is None:
        program = IncentiveProgram(
            kind="commission", name=PLAN, currency="USD", holding_days=30, min_payout=Decimal(100)
        )
        session.add(program)
        session.flush()
    if session.exec(select(CommissionRule).where(CommissionRule.program_id == program.id)).first() is None:
        start = datetime(2026, 1, 1, tzinfo=UTC)
        tiers = {t.name: t.id for t in session.exec(select(Tier)).all()}
        for name, rate in TIER_RATES.items():
            session.add(
                CommissionRule(
                    program_id=saved_id(program),
                    event="deal_won",
                    tier_id=tiers.get(name),
                    calc="percent",
                    rate=Decimal(rate),
                    effective_from=start,
                )
            )
        session.add(
            CommissionRule(
                program_id=saved_id(program),
                event="referral_converted",
                calc="percent",
                rate=Decimal(40),
                step_months=3,
                then_rate=Decimal(20),
                max_months=12,
                cap_amount=Decimal(10000),
                cap_period="quarter",
                effective_from=start,
            )
        )
        session.flush()
    return saved_id(program)


REBATE = "FY2026 Q4 volume rebate"


def _rebate(session: Session, admin: Actor, today: date) -> None:
    """A slab rebate for Gold partners and above over this quarter (won deals accrue it as they are won)."""
    if session.exec(select(IncentiveProgram).where(IncentiveProgram.name == REBATE)).first() is not None:
        return
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = (quarter + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    create_rebate_program(
        session,
        admin,
        {
            "name": REBATE,
            "currency": "USD",
            "mode": "slab",
            "period_start": str(quarter),
            "period_end": str(end),
            "bands": "0-50000: 0\n50000-150000: 2\n150000-: 3",
            "holding_days": "15",
            "audience_min_tier": "Gold",
        },
    )


SPIFF = "December edge registration SPIFF"


def _spiff(session: Session, admin: Actor, today: date) -> None:
    """A running SPIFF: 250 USD to the rep for each PRM Edge deal registered this month (New York days), five at
    most per rep."""
    if session.exec(select(IncentiveProgram).where(IncentiveProgram.name == SPIFF)).first() is not None:
        return
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    create_spiff(
        session,
        admin,
        {
            "spiff_name": SPIFF,
            "spiff_currency": "USD",
            "time_zone": "America/New_York",
            "window_start": str(first),
            "window_end": str(last),
            "bonus": "250",
            "product": "PRM-EDGE",
            "cap": "5",
        },
    )


def _invoice(title: str, number: str, amount: str, *, proof: str = "") -> tuple[str, str, str]:
    """A one-page invoice PDF in the private store (a real file: the claim pages link it); with `proof`, a page
    standing for that proof of the activity (photos, an attendee list) instead."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, proof or f"Invoice {number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, title if proof else f"{title}: {amount} USD", new_x="LMARGIN", new_y="NEXT")
    PROOFS.folder.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(f"{title}|{number}".encode()).hexdigest()[:32]
    path = PROOFS.path(key)
    assert path is not None
    path.write_bytes(bytes(pdf.output()))
    return key, "application/pdf", f"{number}.pdf"


def _claim(
    session: Session, partner: Actor, manager: Actor, request_id: int, title: str, amount: str, outcome: str
) -> None:
    half = (Decimal(amount) / 2).quantize(Decimal("0.01"))
    n = f"INV-{request_id:04d}"
    for i, (what, value) in enumerate((("Venue and catering", half), ("Agency fees", half))):
        add_claim_line(
            session,
            partner,
            request_id,
            {"description": what, "invoice_number": f"{n}-{i + 1}", "amount": str(value)},
            *_invoice(title, f"{n}-{i + 1}", str(value)),
        )
    request = session.get(FundRequest, request_id)
    assert request is not None
    for item, label in proof_items(request.activity_type):  # the activity's proof checklist, one file per item
        add_proof(session, partner, request_id, item, *_invoice(title, f"{n}-{item}", "", proof=label))
    submit_claim(session, partner, request_id, "27")
    if outcome in ("claim_submitted", "paid_later"):  # "paid_later" is decided after the first batch (seed())
        return
    claim = session.exec(select(FundClaim).where(FundClaim.request_id == request_id)).one()
    lines = session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim.id).order_by(ClaimLine.id)).all()  # type: ignore[arg-type]
    if outcome == "returned":
        decide_claim_line(session, manager, saved_id(lines[0]), "accepted")
        decide_claim_line(
            session, manager, saved_id(lines[1]), "returned", note="Attach the agency's itemised invoice."
        )
    else:
        decide_claim_line(session, manager, saved_id(lines[0]), "accepted")
        decide_claim_line(
            session,
            manager,
            saved_id(lines[1]),
            "accepted_with_changes",
            str((half * Decimal("0.8")).quantize(Decimal("0.01"))),
            "Travel is not eligible for MDF.",
        )
    finish_claim_review(session, manager, saved_id(claim))


def _funds(session: Session, admin: Actor, today: date) -> int:
    budget = session.exec(select(MdfBudget).where(MdfBudget.name == BUDGET)).first()
    if budget is not None:
        return 0
    budget_id = create_budget(
        session, admin, BUDGET, str(today - timedelta(days=75)), str(today + timedelta(days=25)), "USD", "250000"
    )
    allocations: dict[int, int] = {}
    tiers = {t.id: t.name for t in session.exec(select(Tier)).all()}
    for org in session.exec(select(Organization).order_by(Organization.name)).all():
        share = ALLOCATIONS.get(tiers.get(org.tier_id, ""), "")
        if share:
            allocations[saved_id(org)] = allocate(
                session, admin, budget_id, saved_id(org), share, idempotency_key=f"seed:allocation:{org.id}"
            )
    made = 0
    for email, title, activity, amount, (start, end), outcome in REQUESTS:
        partner = _actor(session, email)
        if partner.organization_id not in allocations:
            continue
        form = {
            "activity_type": activity,
            "title": title,
            "starts_on": str(today + timedelta(days=start)),
            "ends_on": str(today + timedelta(days=end)),
            "expected_leads": "30",
            "requested_amount": amount,
            "partner_contribution": str(Decimal(amount) / 4),
        }
        request_id = submit_fund_request(session, partner, allocations[partner.organization_id], form)
        made += 1
        org = session.get_one(Organization, partner.organization_id)
        manager = (
            _actor(session, session.get_one(User, org.channel_manager_id).email) if org.channel_manager_id else admin
        )
        if outcome == "submitted":
            continue
        if outcome in ("rejected", "declined", "info_requested"):
            notes = {
                "rejected": "Add the expected attendee list and split the costs by channel.",
                "declined": "Trade shows are outside this quarter's MDF guidelines.",
                "info_requested": "Which of your reps will run the sessions?",
            }
            decision = {"rejected": "reject", "declined": "decline", "info_requested": "ask"}[outcome]
            decide_fund_request(session, manager, request_id, decision, note=notes[outcome])
            continue
        decide_fund_request(
            session, manager, request_id, "approve", reimbursement_pct="80" if outcome == "paid" else "100"
        )
        if outcome in ("paid", "paid_later", "claim_submitted", "returned"):
            _claim(session, partner, manager, request_id, title, amount, outcome)
    return made


def _batches(session: Session, admin: Actor) -> int:
    if session.exec(select(PayoutBatch).where(PayoutBatch.idempotency_key == "seed-batch-november")).first():
        return 0
    # The first batch pays what was payable before the second claim was approved: seeded in that order.
    first = create_batch(session, admin, "USD", "November 2026", "seed-batch-november")
    approve_batch(session, admin, first)
    mark_batch_paid(session, admin, first, "SEPA-2026-11-0042")
    return 1


def seed(session: Session) -> dict[str, int]:
    """What it created: {"daily exchange rates", "fund requests", "payout batches", "commission accruals"}."""
    today = utcnow().date()
    admin = _actor(session, "admin@vendor.example")
    rates = _rates(session, today)
    _plan(session)
    _rebate(session, admin, today)
    _spiff(session, admin, today)
    before = len(session.exec(select(LedgerLine.id).where(LedgerLine.kind == "accrual")).all())
    for deal_id in session.exec(select(Deal.id).where(Deal.status == DealStatus.WON)).all():
        if deal_id is not None:
            accrue_deal(session, Actor.system("Commissions"), deal_id)  # a repeat adds nothing
    accrued = len(session.exec(select(LedgerLine.id).where(LedgerLine.kind == "accrual")).all()) - before
    requests = _funds(session, admin, today)
    batches = 0
    if requests:
        expire_fund_requests(session, Actor.system("MDF expiry"), today=today)
        batches = _batches(session, admin)
        # a second claim approved after the first batch, waiting in a second batch for approval
        later = session.exec(select(FundRequest).where(FundRequest.title == "Holiday partner enablement")).first()
        claim = session.exec(select(FundClaim).where(FundClaim.request_id == later.id)).first() if later else None
        if claim is not None:
            manager = _actor(session, "maya.cm@vendor.example")
            for line in session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim.id)).all():
                decide_claim_line(session, manager, saved_id(line), "accepted")
            finish_claim_review(session, manager, saved_id(claim))
            create_batch(session, admin, "USD", "December 2026", "seed-batch-december")
            batches += 1
    return {
        "daily exchange rates": rates,
        "commission accruals": accrued,
        "fund requests": requests,
        "payout batches": batches,
    }
