"""Colleagues asking to join their company's partner team: a public request from someone whose email domain is a
partner organization's (the registrable domain of its website), which waits for that organization's partner admin.
Approving sends an invitation (partners.team: the emailed set-password link, single-use and expiring; accepting
it creates the account and records `colleague_joined`); declining closes the request.

No account enumeration: the requester is told the same thing whether or not the domain matched, an account
exists or a request is already waiting; only malformed input and the per-IP rate limit get their own message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from prm_app.identity import User, normalize_email
from prm_app.notifications import notify, resolve
from prm_app.onboarding.models import JoinRequest
from prm_app.onboarding.rules import JOIN_ANSWER, registrable_domain
from prm_app.partners import InviteCreated, Organization, invite_user
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied
from prm_app.platform.i18n import Words
from prm_app.platform.ratelimit import allow

JOIN_RATE = "5/hour;20/day"  # per IP address
JOIN_NOTICE = "join_request"
TOO_MANY = "Too many requests from your network; please try again later."


@dataclass(frozen=True)
class JoinRequestView:
    id: int
    email: str
    full_name: str
    created_at: datetime


def _clean(email: str, full_name: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name = " ".join((full_name or "").split())
    if not name:
        errors["full_name"] = "Enter your name."
    elif len(name) > 120:
        errors["full_name"] = "Keep your name under 120 characters."
    try:
        address = normalize_email(validate_email((email or "").strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        errors["email"] = "Enter your work email address, like name@company.com."
        address = ""
    if errors:
        raise FormInvalid(errors)
    return address, name


def _partner_of(session: Session, domain: str) -> Organization | None:
    """The one organization whose website has `domain` as its registrable domain (None when none, or several)."""
    if not domain:
        return None
    candidates = session.exec(
        select(Organization).where(col(Organization.website).ilike(f"%{domain.replace('%', '').replace('_', '')}%"))
    ).all()
    matches = [o for o in candidates if registrable_domain(o.website) == domain]
    return matches[0] if len(matches) == 1 else None


def request_to_join(session: Session, *, email: str, full_name: str, ip: str = "", now: datetime | None = None) -> str:
    """Public (no sign-in). Returns the one answer to show. A request is kept, and the organization's people told,
    only when the email's domain is exactly one partner's, nobody has an account with that email and no request
    of theirs is waiting; everything else is silently dropped. FormInvalid for malformed input; DomainError past
    the per-IP limit."""
    address, name = _clean(email, full_name)
    if not allow("join-request", JOIN_RATE, ip or "-"):
        raise DomainError(TOO_MANY)
    now = now or utcnow()
    org = _partner_of(session, registrable_domain(address))
    if org is None or session.exec(select(User.id).where(User.email == address)).first() is not None:
        return JOIN_ANSWER
    waiting = session.exec(
        select(JoinRequest.id).where(JoinRequest.email == address, JoinRequest.status == "pending")
    ).first()
    if waiting is not None:
        return JOIN_ANSWER
    request = JoinRequest(organization_id=saved_id(org), email=address, full_name=name, created_at=now, ip=ip[:64])
    session.add(request)
    session.flush()
    notify(
        session, saved_id(org), JOIN_NOTICE, f"{name} ({address}) asks to join your team.", "/portal/team", at=now,
        about=("join_request", saved_id(request)),
        words=Words("onboarding.notice.join_request", {"name": name, "address": address}),
    )  # fmt: skip
    audit(session, None, "join_requested", "join_request", request.id, email=address, organization_id=org.id, ip=ip)
    return JOIN_ANSWER


def _managed_org(session: Session, actor: Actor, organization_id: int) -> Organization:
    org = session.get(Organization, organization_id)
    if org is None or not actor.can_manage_team_of(organization_id, org.channel_manager_id):
        raise NotFound("request")
    return org


def pending_join_requests(session: Session, actor: Actor) -> list[JoinRequestView]:
    """The requests waiting for the actor's own organization, oldest first (partner admins; others get none)."""
    if actor.role != Role.PARTNER_ADMIN or actor.organization_id is None:
        return []
    _managed_org(session, actor, actor.organization_id)
    rows = session.exec(
        select(JoinRequest)
        .where(JoinRequest.organization_id == actor.organization_id, JoinRequest.status == "pending")
        .order_by(col(JoinRequest.created_at), col(JoinRequest.id))
        .limit(100)
    ).all()
    return [JoinRequestView(saved_id(r), r.email, r.full_name, r.created_at) for r in rows]


def _pending(session: Session, actor: Actor, request_id: int) -> tuple[JoinRequest, Organization]:
    actor.require(Permission.MANAGE_TEAM)
    if not actor.is_partner:
        raise PermissionDenied("The partner's own admin decides who joins its team.")
    request = session.get(JoinRequest, request_id) if isinstance(request_id, int) else None
    if request is None or request.organization_id != actor.organization_id:
        raise NotFound("request")
    if request.status != "pending":
        raise DomainError("This request was already decided.")
    return request, _managed_org(session, actor, request.organization_id)


def approve_join_request(session: Session, actor: Actor, request_id: int, now: datetime | None = None) -> InviteCreated:
    """The partner admin lets the colleague in: an invitation to their own organization as a partner user is
    emailed (the set-password link); accepting it creates the account and records `colleague_joined`."""
    now = now or utcnow()
    request, org = _pending(session, actor, request_id)
    request.status, request.decided_at, request.decided_by_id = "approved", now, actor.user_id
    session.add(request)
    created = invite_user(
        session, actor, saved_id(org), email=request.email, full_name=request.full_name, role=Role.PARTNER_USER.value,
        now=now,
    )  # fmt: skip
    resolve(session, saved_id(org), ("join_request", saved_id(request)), JOIN_NOTICE, at=now)
    audit(session, actor, "join_request_approved", "join_request", request.id, email=request.email)
    return created


def decline_join_request(session: Session, actor: Actor, request_id: int, now: datetime | None = None) -> None:
    """The partner admin turns the request down; the requester is not told (nothing says whether they were a match)."""
    now = now or utcnow()
    request, org = _pending(session, actor, request_id)
    request.status, request.decided_at, request.decided_by_id = "declined", now, actor.user_id
    session.add(request)
    resolve(session, saved_id(org), ("join_request", saved_id(request)), JOIN_NOTICE, at=now)
    audit(session, actor, "join_request_declined", "join_request", request.id, email=request.email)
