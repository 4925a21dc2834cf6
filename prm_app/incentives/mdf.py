"""Market development funds: budget → allocation per partner → fund request → decision (approve, possibly lower,
with a reimbursement share; reject, to fix and submit again; decline, final; ask for info) → reservation with a
claim deadline → claim (claims.py). Every amount is a ledger line (ledger.post checks the limits under lock);
requests past their activity's end + 30 days with no claim expire and release their reservation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from prm_app.incentives.ledger import ALLOCATED, BUDGET, RESERVED, Posting, allocation_remaining, lock, post
from prm_app.incentives.models import FundClaim, FundRequest, MdfAllocation, MdfBudget
from prm_app.incentives.rules import (
    ACTIVITY_TYPES,
    CURRENCIES,
    REQUEST_MOVES,
    RequestStatus,
    check_request_amount,
    parse_amount,
)
from prm_app.incentives.rules import expires_on as expiry_day
from prm_app.notifications import notify
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.i18n import Words

CLAIM_WINDOW_DAYS = 30  # the claim deadline is this long after the activity ends
NOTICE = "mdf_request_decided"
PORTAL = "/portal/incentives"


def _money(text: str, field: str, errors: dict[str, str], currency: str, *, allow_zero: bool = False) -> Decimal:
    try:
        value = parse_amount(text, currency)
    except ValueError as exc:
        errors[field] = str(exc) or "Enter an amount, like 2500."
        return Decimal(0)
    if value < 0 or (value == 0 and not allow_zero) or value >= Decimal("100000000"):
        errors[field] = "Enter an amount above zero." if not allow_zero else "Enter an amount from 0 up."
    return value


def create_budget(session: Session, actor: Actor, name: str, start: str, end: str, currency: str, amount: str) -> int:
    """A budget for a period, funded by its first ledger line."""
    actor.require(Permission.MANAGE_INCENTIVES)
    errors: dict[str, str] = {}
    name = (name or "").strip()[:120]
    if not name:
        errors["name"] = "Name the budget."
    elif session.exec(select(MdfBudget).where(MdfBudget.name == name)).first():
        errors["name"] = "A budget has this name already."
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        if last < first:
            errors["period_end"] = "The period ends after it starts."
    except ValueError:
        errors["period_start"] = "Enter the period's first and last day."
    if currency not in CURRENCIES:
        errors["currency"] = "Choose a currency."
    value = _money(amount, "amount", errors, currency)
    if errors:
        raise FormInvalid(errors)
    budget = MdfBudget(name=name, period_start=first, period_end=last, currency=currency)
    session.add(budget)
    session.flush()
    post(
        session,
        actor,
        [
            Posting(
                account=BUDGET,
                kind="budget",
                amount=value,
                currency=currency,
                idempotency_key=f"budget:{budget.id}:initial",
                source_type="mdf_budget",
                source_id=budget.id,
                budget_id=budget.id,
                reason="Budget created",
            )
        ],
    )
    audit(session, actor, "mdf_budget_created", "mdf_budget", budget.id, amount=str(value), currency=currency)
    return saved_id(budget)


def allocate(
    session: Session,
    actor: Actor,
    budget_id: int,
    organization_id: int,
    amount: str,
    *,
    over_reason: str = "",
    idempotency_key: str = "",
) -> int:
    """Add `amount` to a partner's allocation of the budget (made on first use). Past what is left of the budget
    only with `over_reason` (audited). Returns the allocation's id."""
    actor.require(Permission.MANAGE_INCENTIVES)
    budget = session.get(MdfBudget, budget_id)
    org = session.get(Organization, organization_id)
    if budget is None or org is None:
        raise NotFound("budget or partner")
    errors: dict[str, str] = {}
    value = _money(amount, "amount", errors, budget.currency)
    if errors:
        raise FormInvalid(errors)
    allocation = session.exec(
        select(MdfAllocation).where(
            MdfAllocation.budget_id == budget_id, MdfAllocation.organization_id == organization_id
        )
    ).first()
    if allocation is None:
        allocation = MdfAllocation(budget_id=budget_id, organization_id=organization_id)
        session.add(allocation)
        session.flush()
    key = idempotency_key or f"allocation:{allocation.id}:{utcnow().isoformat()}"
    post(
        session,
        actor,
        [
            Posting(
                account=ALLOCATED,
                kind="allocation",
                amount=value,
                currency=budget.currency,
                idempotency_key=key[:120],
                source_type="mdf_allocation",
                source_id=allocation.id,
                organization_id=organization_id,
                budget_id=budget_id,
                allocation_id=allocation.id,
                over_allocation=bool(over_reason.strip()),
                reason=over_reason.strip()[:500],
            )
        ],
    )
    audit(
        session,
        actor,
        "mdf_allocated",
        "mdf_allocation",
        allocation.id,
        amount=str(value),
        over_budget_reason=over_reason.strip()[:200],
    )
    return saved_id(allocation)


def _partner_org(actor: Actor) -> int:
    actor.require(Permission.CLAIM_FUNDS)
    if actor.organization_id is None:
        raise PermissionDenied()
    return actor.organization_id


def own_allocation(session: Session, actor: Actor, allocation_id: int) -> MdfAllocation:
    org_id = _partner_org(actor)
    allocation = session.get(MdfAllocation, allocation_id)
    if allocation is None or allocation.organization_id != org_id:
        raise NotFound("allocation")
    return allocation


def _request_form(form: dict[str, str], today: date, currency: str) -> tuple[dict[str, object], dict[str, str]]:
    errors: dict[str, str] = {}
    activity = form.get("activity_type", "")
    if activity not in ACTIVITY_TYPES:
        errors["activity_type"] = "Choose the kind of activity."
    title = (form.get("title") or "").strip()[:160]
    if not title:
        errors["title"] = "Name the activity."
    starts = ends = today
    try:
        starts = date.fromisoformat(form.get("starts_on", ""))
    except ValueError:
        errors["starts_on"] = "Enter the first day."
    try:
        ends = date.fromisoformat(form.get("ends_on", ""))
        if "starts_on" not in errors and ends < starts:
            errors["ends_on"] = "The activity ends on or after its first day."
    except ValueError:
        errors["ends_on"] = "Enter the last day."
    leads_text = (form.get("expected_leads") or "0").strip()
    if not leads_text.isdigit() or int(leads_text) > 1_000_000:
        errors["expected_leads"] = "Enter a whole number of leads."
    requested = _money(form.get("requested_amount", ""), "requested_amount", errors, currency)
    contribution = _money(
        form.get("partner_contribution", "") or "0", "partner_contribution", errors, currency, allow_zero=True
    )
    clean = dict(
        activity_type=activity,
        title=title,
        starts_on=starts,
        ends_on=ends,
        expected_leads=int(leads_text) if leads_text.isdigit() else 0,
        requested_amount=requested,
        partner_contribution=contribution,
    )
    return clean, errors


def submit_fund_request(
    session: Session, actor: Actor, allocation_id: int, form: dict[str, str], *, request_id: int | None = None
) -> int:
    """A partner asks for funds from its own allocation (or fixes a rejected request, or answers a question, and
    submits it again). The amount must fit what is left of the allocation: the message says how much that is."""
    org_id = _partner_org(actor)
    allocation = own_allocation(session, actor, allocation_id)
    budget = session.get(MdfBudget, allocation.budget_id)
    assert budget is not None
    clean, errors = _request_form(form, utcnow().date(), budget.currency)
    if "requested_amount" not in errors:
        try:
            requested = clean["requested_amount"]
            assert isinstance(requested, Decimal)
            check_request_amount(requested, allocation_remaining(session, allocation_id), budget.currency)
        except ValidationError as exc:
            errors["requested_amount"] = exc.message
    if errors:
        raise FormInvalid(errors)
    if request_id is not None:
        request = session.get(FundRequest, request_id)
        if request is None or request.organization_id != org_id or request.allocation_id != allocation_id:
            raise NotFound("request")
        if RequestStatus.SUBMITTED not in REQUEST_MOVES.get(RequestStatus(request.status), set()):
            raise DomainError("Only a rejected request, or one with a question, can be submitted again.")
        for name, value in clean.items():
            setattr(request, name, value)
        request.status = RequestStatus.SUBMITTED
    else:
        request = FundRequest(
            allocation_id=allocation_id,
            organization_id=org_id,
            status=RequestStatus.SUBMITTED,
            created_by_id=actor.user_id,
            **clean,  # type: ignore[arg-type]
        )
    session.add(request)
    session.flush()
    audit(session, actor, "mdf_request_submitted", "fund_request", request.id, amount=str(clean["requested_amount"]))
    record_engagement(session, actor, "mdf_requested", "fund_request", request.id)
    return saved_id(request)


def _reviewable(session: Session, actor: Actor, request_id: int) -> tuple[FundRequest, Organization]:
    actor.require(Permission.REVIEW_FUNDS)
    request = session.get(FundRequest, request_id)
    org = session.get(Organization, request.organization_id) if request else None
    if request is None or org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("request")
    return request, org


def decide_fund_request(
    session: Session,
    actor: Actor,
    request_id: int,
    decision: str,
    *,
    amount: str = "",
    reimbursement_pct: str = "",
    note: str = "",
    now: datetime | None = None,
) -> None:
    """approve (the amount, at most what was asked, reserved from the allocation under its lock; a claim deadline
    30 days after the activity), reject / decline / ask for info (each with a note for the partner)."""
    now = now or utcnow()
    request, org = _reviewable(session, actor, request_id)
    lock(session, f"allocation:{request.allocation_id}")
    session.refresh(request)
    targets = {
        "approve": RequestStatus.APPROVED,
        "reject": RequestStatus.REJECTED,
        "decline": RequestStatus.DECLINED,
        "ask": RequestStatus.INFO_REQUESTED,
    }
    if decision not in targets:
        raise ValidationError("Choose a decision.", "decision")
    target = targets[decision]
    if target not in REQUEST_MOVES.get(RequestStatus(request.status), set()):
        raise DomainError("This request was decided already.")
    note = (note or "").strip()[:1000]
    if target != RequestStatus.APPROVED and not note:
        raise ValidationError("Tell the partner why, or what you need.", "note")
    allocation = session.get(MdfAllocation, request.allocation_id)
    budget = session.get(MdfBudget, allocation.budget_id) if allocation else None
    assert budget is not None
    if target == RequestStatus.APPROVED:
        errors: dict[str, str] = {}
        value = (
            _money(amount, "approved_amount", errors, budget.currency) if amount.strip() else request.requested_amount
        )
        pct_text = (reimbursement_pct or "100").strip()
        if not pct_text.isdigit() or not 1 <= int(pct_text) <= 100:
            errors["reimbursement_pct"] = "Enter a share from 1 to 100 %."
        if not errors and value > request.requested_amount:
            errors["approved_amount"] = "Approve at most what was asked."
        if errors:
            raise FormInvalid(errors)
        post(
            session,
            actor,
            [
                Posting(
                    account=RESERVED,
                    kind="reservation",
                    amount=value,
                    currency=budget.currency,
                    idempotency_key=f"reservation:{request.id}",
                    source_type="fund_request",
                    source_id=request.id,
                    organization_id=request.organization_id,
                    budget_id=budget.id,
                    allocation_id=request.allocation_id,
                    request_id=request.id,
                    reason="Request approved",
                )
            ],
        )
        request.approved_amount, request.reimbursement_pct = value, int(pct_text)
        request.claim_due_on = request.ends_on + timedelta(days=CLAIM_WINDOW_DAYS)
    request.status, request.decision_note = target, note
    request.decided_by_id, request.decided_at = actor.user_id, now
    session.add(request)
    audit(session, actor, f"mdf_request_{target.value}", "fund_request", request.id, note=note[:200])
    words = {
        RequestStatus.APPROVED: "approved",
        RequestStatus.REJECTED: "returned for changes",
        RequestStatus.DECLINED: "declined",
        RequestStatus.INFO_REQUESTED: "waiting for your answer",
    }
    notify(session, saved_id(org), NOTICE, f"MDF request “{request.title}” {words[target]}. {note}".strip(), PORTAL,
           at=now, about=("fund_request", saved_id(request)),
           words=Words(f"incentives.notice.mdf_{target.value}", {"title": request.title, "note": note}))  # fmt: skip


def expire_fund_requests(session: Session, actor: Actor, *, today: date | None = None) -> int:
    """Approved requests with no claim submitted by their activity's end + 30 days expire: each gives its
    reservation back as a ledger line. Returns how many expired (a periodic job)."""
    actor.require(Permission.RUN_JOBS)
    today = today or utcnow().date()
    count = 0
    for request in session.exec(select(FundRequest).where(FundRequest.status == RequestStatus.APPROVED)).all():
        claim = session.exec(select(FundClaim).where(FundClaim.request_id == request.id)).first()
        if expiry_day(request.ends_on) >= today or (claim is not None and claim.status != "draft"):
            continue
        # Again under the request's lock (submit_claim takes it): a claim handed in meanwhile keeps the request.
        # The allocation's lock with it, in one sorted call as finish_claim_review takes both: no deadlock.
        lock(session, f"request:{request.id}", f"allocation:{request.allocation_id}")
        session.refresh(request)
        claim = session.exec(select(FundClaim).where(FundClaim.request_id == request.id)).first()
        if claim is not None:
            session.refresh(claim)
        if request.status != RequestStatus.APPROVED or (claim is not None and claim.status != "draft"):
            continue
        allocation = session.get(MdfAllocation, request.allocation_id)
        budget = session.get(MdfBudget, allocation.budget_id) if allocation else None
        assert budget is not None and request.approved_amount is not None
        post(
            session,
            actor,
            [
                Posting(
                    account=RESERVED,
                    kind="release",
                    amount=-request.approved_amount,
                    currency=budget.currency,
                    idempotency_key=f"release:{request.id}",
                    source_type="fund_request",
                    source_id=request.id,
                    organization_id=request.organization_id,
                    budget_id=budget.id,
                    allocation_id=request.allocation_id,
                    request_id=request.id,
                    reason="Expired: no claim by the activity's end + 30 days",
                )
            ],
        )
        request.status = RequestStatus.EXPIRED
        session.add(request)
        audit(session, actor, "mdf_request_expired", "fund_request", request.id)
        count += 1
    return count


def expire_unclaimed_requests(session: Session) -> int:
    """The periodic job's entry: `expire_fund_requests` as the system actor, today."""
    return expire_fund_requests(session, Actor.system("MDF expiry"))
