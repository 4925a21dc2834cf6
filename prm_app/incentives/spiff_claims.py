"""SPIFFs paid on a claim with evidence (a SPIFF with a SpiffEvidenceRule is not earned on registration): the rep
who registered a qualifying deal claims it with an evidence file (checked by content, stored privately); the
partner's channel manager approves it, which posts the rep's earnings line, or rejects it with a reason.

Once: a claim per SPIFF and deal (unique), the decision taken under the claim's lock, and the earnings line keyed
`spiff:<program>:deal:<deal>`, the key an automatic SPIFF would use: approving twice, by two managers at once or by
a retried click, posts one line, paid through the normal payout to the rep's payee profile."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.deals import Deal
from prm_app.incentives.claims import PROOF_RULES
from prm_app.incentives.holds import SPIFF_CLAIM, in_payout_currency, resolve
from prm_app.incentives.ledger import lock, post
from prm_app.incentives.models import IncentiveProgram, PayeeProfile
from prm_app.incentives.spiff_models import SpiffClaim, SpiffEvidenceRule
from prm_app.incentives.spiffs import at_cap, payee_for, qualifies, spiff_posting
from prm_app.notifications import notify
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.i18n import Words
from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import CheckedStorage

CLAIM_DAYS = 30  # a SPIFF can be claimed until this long after its window ends
EVIDENCE = CheckedStorage(PROJECT_DIR / "uploads" / "spiff", PROOF_RULES)  # PDF, PNG or JPEG, by content
NOTICE = "spiff_claim_decided"


@dataclass(frozen=True)
class SpiffClaimView:
    id: int
    spiff: str
    deal: str
    organization: str
    rep: str
    bonus: Decimal
    currency: str
    status: str
    reason: str
    file_name: str
    created_at: datetime


def _rep(actor: Actor) -> int:
    actor.require(Permission.CLAIM_FUNDS)
    if actor.organization_id is None or actor.user_id is None:
        raise PermissionDenied()
    return actor.organization_id


def _open_programs(session: Session, today: date) -> list[IncentiveProgram]:
    rows = session.exec(
        select(IncentiveProgram)
        .join(SpiffEvidenceRule, col(SpiffEvidenceRule.program_id) == IncentiveProgram.id)
        .order_by(col(IncentiveProgram.name))
    ).all()
    return [
        p
        for p in rows
        if p.period_start is not None
        and p.period_end is not None
        and p.period_start <= today <= p.period_end + timedelta(days=CLAIM_DAYS)
    ]


def claimable_spiffs(session: Session, actor: Actor, *, today: date) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """The SPIFFs the rep may claim now, each with the rep's own deals that qualify and are not claimed yet:
    [(program id, name and bonus, [(deal id, customer)])]."""
    org_id = _rep(actor)
    deals = session.exec(
        select(Deal).where(Deal.organization_id == org_id, Deal.created_by_id == actor.user_id).order_by(col(Deal.id))
    ).all()
    out = []
    for program in _open_programs(session, today):
        taken = set(session.exec(select(SpiffClaim.deal_id).where(SpiffClaim.program_id == program.id)).all())
        mine = [(saved_id(d), d.customer_name) for d in deals if d.id not in taken and qualifies(session, program, d)]
        out.append((saved_id(program), f"{program.name} ({program.bonus:,.2f} {program.currency} a deal)", mine))
    return out


def claim_spiff(
    session: Session, actor: Actor, program_id: int, deal_id: int, file_key: str, file_type: str, file_name: str
) -> int:
    """The rep claims the SPIFF for one of the deals they registered, with the uploaded evidence. Returns the claim."""
    org_id = _rep(actor)
    errors: dict[str, str] = {}
    program = session.get(IncentiveProgram, program_id)
    evidence = session.exec(select(SpiffEvidenceRule).where(SpiffEvidenceRule.program_id == program_id)).first()
    if program is None or evidence is None or program not in _open_programs(session, utcnow().date()):
        raise ValidationError("Choose a SPIFF that is open for claims.", "program_id")
    deal = session.get(Deal, deal_id)
    if deal is None or deal.organization_id != org_id or deal.created_by_id != actor.user_id:
        raise ValidationError("Choose one of the deals you registered.", "deal_id")
    if not qualifies(session, program, deal):
        errors["deal_id"] = "This deal does not qualify: it was not registered in the SPIFF's window, or its product."
    payee = payee_for(session, actor.user_id or 0)
    if at_cap(session, program, payee.id):
        errors["deal_id"] = f"You have earned this SPIFF {program.cap_count} times, its limit."
    if session.exec(
        select(SpiffClaim.id).where(SpiffClaim.program_id == program_id, SpiffClaim.deal_id == deal_id)
    ).first():
        errors["deal_id"] = "This deal was claimed for this SPIFF already."
    if not file_key or EVIDENCE.path(file_key) is None:
        errors["evidence"] = "Upload the evidence first."
    if errors:
        raise FormInvalid(errors)
    path = EVIDENCE.path(file_key)
    assert path is not None
    claim = SpiffClaim(
        program_id=program_id, deal_id=deal_id, organization_id=org_id, payee_id=saved_id(payee),
        claimed_by_id=actor.user_id or 0, status="pending", file_key=file_key, file_type=file_type,
        file_name=file_name[:200], file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )  # fmt: skip
    session.add(claim)
    session.flush()
    audit(session, actor, "spiff_claimed", "spiff_claim", claim.id, program_id=program_id, deal_id=deal_id)
    return saved_id(claim)


def _views(session: Session, claims: list[SpiffClaim]) -> list[SpiffClaimView]:
    out = []
    for c in claims:
        program, deal = session.get(IncentiveProgram, c.program_id), session.get(Deal, c.deal_id)
        org = session.get(Organization, c.organization_id)
        payee = session.get(PayeeProfile, c.payee_id)
        assert program is not None and deal is not None and org is not None and payee is not None
        out.append(
            SpiffClaimView(
                saved_id(c),
                program.name,
                deal.customer_name,
                org.name,
                payee.name,
                program.bonus or Decimal(0),
                program.currency,
                c.status,
                c.reason,
                c.file_name,
                c.created_at,
            )
        )
    return out


def my_spiff_claims(session: Session, actor: Actor) -> list[SpiffClaimView]:
    """The rep's own claims, newest first."""
    _rep(actor)
    rows = session.exec(
        select(SpiffClaim)
        .where(SpiffClaim.claimed_by_id == actor.user_id)
        .order_by(col(SpiffClaim.id).desc())
        .limit(100)
    ).all()
    return _views(session, list(rows))


def spiff_claim_queue(session: Session, actor: Actor) -> list[SpiffClaimView]:
    """Claims of the partners the manager reaches: pending first, then the latest decided."""
    actor.require(Permission.REVIEW_FUNDS)
    query = select(SpiffClaim).join(Organization, col(Organization.id) == SpiffClaim.organization_id)
    if (owner := actor.book_owner()) is not None:
        query = query.where(Organization.channel_manager_id == owner)
    rows = session.exec(query.order_by(col(SpiffClaim.status) != "pending", col(SpiffClaim.id).desc()).limit(100)).all()
    return _views(session, list(rows))


def _reachable(session: Session, actor: Actor, claim_id: int) -> tuple[SpiffClaim, Organization]:
    actor.require(Permission.REVIEW_FUNDS)
    claim = session.get(SpiffClaim, claim_id)
    org = session.get(Organization, claim.organization_id) if claim else None
    if claim is None or org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("claim")
    return claim, org


def decide_spiff_claim(session: Session, actor: Actor, claim_id: int, decision: str, reason: str = "") -> str:
    """approve (posts the rep's earnings line, once) or reject (a reason the rep sees). Returns the new status."""
    claim, org = _reachable(session, actor, claim_id)
    # The claim's lock (decided once) and the rep's on this SPIFF: two of their claims approved at once are counted
    # one after the other against the cap, which each claim passed alone when nothing was earned yet.
    lock(session, f"spiff_claim:{claim_id}", f"spiff:{claim.program_id}:payee:{claim.payee_id}")
    session.refresh(claim)
    reason = (reason or "").strip()[:1000]
    if decision not in ("approve", "reject"):
        raise ValidationError("Choose a decision.", "decision")
    if claim.status != "pending":
        raise DomainError(f"This claim was {claim.status} already.")
    if decision == "reject" and not reason:
        raise ValidationError("Tell the rep why.", "reason")
    program, deal = session.get(IncentiveProgram, claim.program_id), session.get(Deal, claim.deal_id)
    assert program is not None and deal is not None and program.bonus is not None
    now = utcnow()
    if decision == "approve":
        if at_cap(session, program, claim.payee_id):
            raise DomainError(f"The rep has earned this SPIFF {program.cap_count} times, its limit.")
    claim.status = "approved" if decision == "approve" else "rejected"
    claim.reason, claim.decided_by_id, claim.decided_at = reason, actor.user_id, now
    session.add(claim)
    if decision == "approve":
        post_claim_earning(session, actor, claim_id)
    audit(session, actor, f"spiff_claim_{claim.status}", "spiff_claim", claim_id, reason=reason[:200])
    notify(
        session,
        saved_id(org),
        NOTICE,
        f"SPIFF claim for {deal.customer_name} {claim.status}. {reason}".strip(),
        "/portal/incentives/spiffs",
        at=now,
        about=("spiff_claim", claim_id),
        words=Words(f"incentives.notice.spiff_{claim.status}", {"customer": deal.customer_name, "reason": reason}),
    )
    return claim.status


def post_claim_earning(session: Session, actor: Actor | None, claim_id: int) -> bool:
    """The approved claim's earnings line to the rep's payee, keyed as an automatic SPIFF's (posted once), in the
    partner's payout currency at the rate of the approval's day when it has one. A missing rate holds it
    (holds.py) and returns False; it posts when the rate is added."""
    claim = session.get(SpiffClaim, claim_id)
    if claim is None or claim.status != "approved" or claim.decided_at is None:
        return False
    program, deal = session.get(IncentiveProgram, claim.program_id), session.get(Deal, claim.deal_id)
    payee = session.get(PayeeProfile, claim.payee_id)
    assert program is not None and deal is not None and program.bonus is not None and payee is not None
    posting = spiff_posting(
        program, deal, claim.payee_id, claim.decided_at, "SPIFF claim approved",
        f"{program.name}: {program.bonus:,.2f} {program.currency} to {payee.name} for {deal.customer_name} "
        "(claim approved)",
    )  # fmt: skip
    converted = in_payout_currency(session, posting, claim.decided_at.date(), SPIFF_CLAIM, claim_id)
    if converted is None:
        return False
    post(session, actor, [converted])
    resolve(session, SPIFF_CLAIM, claim_id)
    return True


def spiff_evidence(session: Session, actor: Actor, claim_id: int) -> tuple[bytes, str]:
    """(content, file name) of a claim's evidence, for the rep's organization and the managers reaching it."""
    if actor.is_partner:
        org_id = _rep(actor)
        claim = session.get(SpiffClaim, claim_id)
        if claim is None or claim.organization_id != org_id:
            raise NotFound("evidence")
    else:
        claim, _org = _reachable(session, actor, claim_id)
    path = EVIDENCE.path(claim.file_key)
    if path is None or not path.is_file():
        raise NotFound("evidence")
    return path.read_bytes(), claim.file_name
