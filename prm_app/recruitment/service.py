"""Reviewing applications: take one into review, adjust a criterion's points with a note, fill the reviewers' hidden
fields, approve (provisioning the partner in the same transaction), reject with a structured reason, or decline for
good. Every use case asks the actor for RECRUIT_PARTNERS and is audited.

Approving is safe to retry and to race: the status moves from open to approved only by a conditional UPDATE (one
of two concurrent approvals changes the row, the other changes nothing and is told so), and the application's
UNIQUE organization_id is the last guard against a second partner.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, update

from prm_app.mail import Reader, queue_message
from prm_app.onboarding import note_application
from prm_app.partners import ImportedProfile, NewPartner, invite_user, provision_organization
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import part_of, saved_id
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from prm_app.platform.places import country_choices
from prm_app.platform.security import hash_token, new_token
from prm_app.recruitment.apply import add_funnel_event, edit_link
from prm_app.recruitment.models import Application, Program, ScoreAdjustment
from prm_app.recruitment.rules import (
    APPROVED,
    CRITERIA,
    DECLINED,
    IN_REVIEW,
    NEEDS_MORE_DETAIL,
    OPEN_STATUSES,
    REJECT_REASONS,
    REJECTED,
    STATUS_LABELS,
    check_adjustment,
    check_extra,
    parse_fields,
    region_for,
)
from prm_app.recruitment.scoring import rescore, settings

ALREADY_DECIDED = "This application was already decided (by someone else, or by an earlier click)."


def _application(session: Session, actor: Actor, application_id: int) -> Application:
    actor.require(Permission.RECRUIT_PARTNERS)
    app = session.get(Application, application_id)
    if app is None:
        raise NotFound("application")
    return app


def _claim(session: Session, actor: Actor, app_id: int, status: str, now: datetime) -> None:
    """Move an open application to `status`, only if it is still open: a compare-and-set in the database."""
    claimed = session.exec(
        update(Application)
        .where(col(Application.id) == app_id, col(Application.status).in_(OPEN_STATUSES))
        .values(status=status, decided_at=now, decided_by_id=actor.user_id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError(ALREADY_DECIDED)


def start_review(session: Session, actor: Actor, application_id: int) -> None:
    """The actor takes the application: it is theirs to review (status "in review")."""
    app = _application(session, actor, application_id)
    # A compare-and-set, as for a decision: a plain write of the row read above would put an application another
    # manager approved meanwhile back in the queue (and it could be approved into a second partner).
    taken = session.exec(
        update(Application)
        .where(col(Application.id) == app.id, col(Application.status).in_(OPEN_STATUSES))
        .values(status=IN_REVIEW, reviewer_id=actor.user_id)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise DomainError(ALREADY_DECIDED)
    session.refresh(app)
    audit(session, actor, "review_application", "application", app.id)


def adjust_criterion(
    session: Session, actor: Actor, application_id: int, criterion: str, points: str, note: str
) -> int:
    """Set one criterion's points (0..its weight) with a note, kept with who and when; returns the new total."""
    app = _application(session, actor, application_id)
    if criterion not in CRITERIA:
        raise ValidationError("Choose a criterion.", "criterion")
    weight = next(s.weight for s in settings(session) if s.key == criterion)
    try:
        value, note = check_adjustment(points, note, weight)
    except ValueError as exc:
        field, message = exc.args
        raise FormInvalid({field: message}) from None
    if actor.user_id is None:
        raise DomainError("Adjustments are made by a person.")
    session.add(
        ScoreAdjustment(application_id=saved_id(app), criterion=criterion, points=value, note=note,
                        by_id=actor.user_id, at=utcnow())
    )  # fmt: skip
    session.flush()
    rescore(session, app)
    audit(session, actor, "adjust_score", "application", app.id, criterion=criterion, points=value, note=note)
    return app.score


def save_reviewer_fields(session: Session, actor: Actor, application_id: int, form: Mapping[str, object]) -> None:
    """The program's hidden fields, which only reviewers see and fill."""
    app = _application(session, actor, application_id)
    program = session.get(Program, app.program_id)
    assert program is not None
    errors: dict[str, str] = {}
    values = {k: str(v) for k, v in form.items()}
    countries = [c for c, _ in country_choices()]
    filled = check_extra(values, parse_fields(program.fields), errors, countries=countries, reviewer=True)
    if errors:
        raise FormInvalid(errors)
    app.extra = json.dumps({**json.loads(app.extra or "{}"), **filled})
    session.add(app)
    audit(session, actor, "fill_reviewer_fields", "application", app.id, fields=sorted(filled))


@dataclass(frozen=True)
class Approved:
    organization_id: int
    invite_id: int


def approve_application(
    session: Session, actor: Actor, application_id: int, channel_manager_id: int | None, now: datetime | None = None
) -> Approved:
    """Approve: in this one transaction the partner organization (the program's partner type, the lowest tier, the
    region of the applicant's country, the chosen channel manager), the applicant's invitation as partner admin
    (emailed through the outbox), the "partner_provisioned" engagement event (onboarding starts from it) and the
    funnel's "approved" step. Anything failing undoes all of it. An application already decided is refused."""
    now = now or utcnow()
    app = _application(session, actor, application_id)
    app_id = saved_id(app)
    program = session.get(Program, app.program_id)
    assert program is not None
    _claim(session, actor, app_id, APPROVED, now)
    org_id = provision_organization(
        session,
        actor,
        NewPartner(
            name=app.company, partner_type=program.partner_type, country=app.country,
            region=region_for(app.country), website=app.website, channel_manager_id=channel_manager_id,
        ),
        now,
    )  # fmt: skip
    session.exec(
        update(Application)
        .where(col(Application.id) == app_id)
        .values(organization_id=org_id)
        .execution_options(synchronize_session=False)
    )
    invite = invite_user(
        session, actor, org_id, email=app.contact_email, full_name=app.contact_name,
        role=Role.PARTNER_ADMIN.value, now=now, profile=ImportedProfile(language=app.language or ""),
    )  # fmt: skip
    record_engagement(session, actor, "partner_provisioned", "application", app_id, organization_id=org_id)
    note_application(session, org_id, app.submitted_at)  # its time to onboard counts from the application
    add_funnel_event(session, f"a{app_id}", "approved", program_id=program.id, application_id=app_id,
                     organization_id=org_id, at=now)  # fmt: skip
    audit(session, actor, "approve_application", "application", app_id, organization_id=org_id)
    session.refresh(app)
    return Approved(organization_id=org_id, invite_id=invite.invite_id)


def reject_application(
    session: Session, actor: Actor, application_id: int, reason: str, note: str, now: datetime | None = None
) -> None:
    """Reject with a reason and a note. "Needs more detail" emails the applicant a private link to edit and send it
    again (the note says what is missing, so it is required then)."""
    now = now or utcnow()
    app = _application(session, actor, application_id)
    note = (note or "").strip()
    errors = {}
    if reason not in REJECT_REASONS:
        errors["reason"] = "Choose a reason."
    if reason == NEEDS_MORE_DETAIL and not note:
        errors["note"] = "Say what detail is missing: the applicant reads this note."
    if len(note) > 2000:
        errors["note"] = "Keep the note to 2000 characters or fewer."
    if errors:
        raise FormInvalid(errors)
    _claim(session, actor, saved_id(app), REJECTED, now)
    session.refresh(app)
    app.reject_reason, app.decision_note = reason, note
    if reason == NEEDS_MORE_DETAIL:
        token = new_token()
        app.edit_token_hash = hash_token(token)
        program = session.get(Program, app.program_id)
        queue_message(
            session,
            to=app.contact_email,
            kind="application_needs_detail",
            values={"name": app.contact_name, "program": program.name if program else "partner program",
                    "company": app.company, "reference": app.reference, "note": note, "link": edit_link(token)},
            reader=Reader(language=app.language),
        )  # fmt: skip
    session.add(app)
    audit(session, actor, "reject_application", "application", app.id, reason=reason, note=note)


def decline_application(
    session: Session, actor: Actor, application_id: int, note: str, now: datetime | None = None
) -> None:
    """Decline for good: the company's domain cannot apply again. The applicant is told, in their language."""
    app = _application(session, actor, application_id)
    _claim(session, actor, saved_id(app), DECLINED, now or utcnow())
    session.refresh(app)
    app.decision_note = (note or "").strip()[:2000]
    session.add(app)
    program = session.get(Program, app.program_id)
    queue_message(  # the decision only: the note is the channel team's
        session,
        to=app.contact_email,
        kind="application_declined",
        values={"name": app.contact_name, "program": program.name if program else "partner program",
                "company": app.company, "reference": app.reference},
        reader=Reader(language=app.language),
    )  # fmt: skip
    audit(session, actor, "decline_application", "application", app.id, domain=app.domain)


@dataclass(frozen=True)
class BulkResult:
    done: int
    refused: tuple[str, ...]  # "APP-…: why" for each one left as it was


def bulk_decide(
    session: Session,
    actor: Actor,
    application_ids: Sequence[int],
    decision: str,
    *,
    channel_manager_id: int | None = None,
    reason: str = "",
    note: str = "",
) -> BulkResult:
    """Approve or reject several applications; each is its own part (one failing leaves the others decided)."""
    actor.require(Permission.RECRUIT_PARTNERS)
    if decision not in {APPROVED, REJECTED}:
        raise ValidationError("Choose approve or reject.", "decision")
    done, refused = 0, []
    for app_id in list(dict.fromkeys(application_ids))[:100]:
        app = session.get(Application, app_id)
        label = app.reference if app else f"#{app_id}"
        try:
            with part_of(session):
                if decision == APPROVED:
                    approve_application(session, actor, app_id, channel_manager_id)
                else:
                    reject_application(session, actor, app_id, reason, note)
            done += 1
        except DomainError as exc:
            refused.append(f"{label}: {exc.message}")
    return BulkResult(done, tuple(refused))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
