"""The public side: a company applies to a program (no sign-in), the funnel's first steps are counted, and an
applicant asked for more detail edits and resubmits through the private link they were emailed.

Nothing here takes an Actor: the applicant is nobody yet. What guards it instead: the program must be open, the
honeypot must be empty, the per-IP rate limit must allow the try, and a company that already applied (an open
application), already is a partner, or was declined gets a kind refusal and no record.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from prm_app.identity import User
from prm_app.mail import Reader, queue_message
from prm_app.partners import Organization, PartnerType
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, FormInvalid, NotFound
from prm_app.platform.i18n import DEFAULT_LANGUAGE, supported
from prm_app.platform.places import country_choices
from prm_app.platform.ratelimit import allow
from prm_app.platform.security import hash_token
from prm_app.platform.settings import settings
from prm_app.recruitment.models import Application, FunnelEvent, Program
from prm_app.recruitment.rules import (
    DECLINED,
    NEEDS_MORE_DETAIL,
    OPEN_STATUSES,
    REJECTED,
    SUBMITTED,
    WITHDRAWN,
    ApplicationInput,
    check_application,
    parse_fields,
    registrable_domain,
)
from prm_app.recruitment.scoring import rescore

HONEYPOT = "leave_empty"  # the hidden field only robots fill
APPLY_RATES = "5/hour;20/day"
FUNNEL_RATES = "60/hour;300/day"
CONTACT = "partners@prm.example"
ALREADY_APPLIED = f"Your company has already applied, and we are reviewing it. Questions? Write to {CONTACT}."
ALREADY_PARTNER = f"Your company is already a partner: sign in to the portal, or write to {CONTACT}."
ASKED_FOR_DETAIL = "We asked your company for more detail: use the link in our email to edit and send it again."
WAS_DECLINED = f"We cannot take a new application from your company. Questions? Write to {CONTACT}."
TOO_MANY = "Too many applications were sent from your network. Please try again later."
ROBOT = "We could not accept this form. Leave the field marked “leave empty” empty, and send it again."


@dataclass(frozen=True)
class Submitted:
    reference: str
    company: str
    email: str


def _open_program(session: Session, slug: str) -> Program:
    program = session.exec(select(Program).where(Program.slug == slug, col(Program.is_open))).first()
    if program is None:
        raise NotFound("program")
    return program


def record_step(
    session: Session, slug: str, visit: str, stage: str, now: datetime | None = None, *, ip: str = ""
) -> None:
    """Count a visit's "visited" or "started" step of a program's form, once per visit (UNIQUE(visit, stage)), at
    most FUNNEL_RATES per network (a script reloading the form neither inflates the funnel nor grows the table)."""
    if stage not in {"visited", "started"} or not (8 <= len(visit or "") <= 40):
        return
    if not allow("funnel", FUNNEL_RATES, ip or "unknown"):
        return
    program = session.exec(select(Program.id).where(Program.slug == slug, col(Program.is_open))).first()
    if program is None:
        return
    add_funnel_event(session, visit, stage, program_id=program, at=now)


def add_funnel_event(
    session: Session,
    visit: str,
    stage: str,
    *,
    program_id: int | None = None,
    application_id: int | None = None,
    organization_id: int | None = None,
    at: datetime | None = None,
) -> None:
    """One funnel step; a step this visit already made is left as it was (in a savepoint: the caller goes on)."""
    exists = session.exec(select(FunnelEvent.id).where(FunnelEvent.visit == visit, FunnelEvent.stage == stage))
    if exists.first() is not None:
        return
    event = FunnelEvent(
        visit=visit, stage=stage, program_id=program_id, application_id=application_id,
        organization_id=organization_id, at=at or utcnow(),
    )  # fmt: skip
    session.flush()  # the caller's pending rows first: the savepoint below must hold this event alone
    try:
        with savepoint(session):
            session.add(event)
            session.flush()
    except IntegrityError:
        pass  # the same step, counted by a concurrent retry


def _refusal(session: Session, data: ApplicationInput, exclude_id: int | None = None) -> str | None:
    """Why this company cannot apply now, or None: declined before, an open application, or already a partner."""
    same = or_(Application.domain == data.domain, Application.contact_email == data.contact_email)
    others = select(Application.status, Application.edit_token_hash).where(
        same, col(Application.id) != (exclude_id or 0)
    )
    found = session.exec(others).all()
    statuses = {status for status, _ in found}
    if DECLINED in statuses:
        return WAS_DECLINED
    if statuses & set(OPEN_STATUSES):
        return ALREADY_APPLIED
    if any(status == REJECTED and link for status, link in found):  # waiting for the detail we asked for
        return ASKED_FOR_DETAIL
    partner_person = select(User.id).where(User.email == data.contact_email, col(User.organization_id).is_not(None))
    if session.exec(partner_person).first() is not None:  # a partner's person (the vendor's staff are not told)
        return ALREADY_PARTNER
    # An organization's website on the same registrable domain ("www.acme.com/" and "acme.com" alike).
    candidates = session.exec(select(Organization.website).where(col(Organization.website).contains(data.domain)))
    if any(registrable_domain(site) == data.domain for site in candidates.all()):
        return ALREADY_PARTNER
    return None


def _check(session: Session, program: Program, form: Mapping[str, object]) -> ApplicationInput:
    data, errors = check_application(
        form,
        parse_fields(program.fields),
        countries=[code for code, _ in country_choices()],
        partner_types=[t.value for t in PartnerType],
    )
    if data is None:
        raise FormInvalid(errors)
    return data


def _fill(app: Application, data: ApplicationInput) -> None:
    app.company, app.website, app.domain = data.company, data.website, data.domain
    app.country, app.partner_type, app.verticals = data.country, data.partner_type, ",".join(data.verticals)
    app.team_size, app.revenue_band, app.vendors = data.team_size, data.revenue_band, "\n".join(data.vendors)
    app.customer_count, app.certified_staff = data.customer_count, data.certified_staff
    app.contact_name, app.contact_email = data.contact_name, data.contact_email
    app.contact_phone, app.contact_title, app.motivation = data.contact_phone, data.contact_title, data.motivation
    kept = {k: v for k, v in json.loads(app.extra or "{}").items() if k not in data.extra}  # reviewers' hidden ones
    app.extra = json.dumps({**kept, **data.extra})


def new_reference() -> str:
    """ "APP-" and 8 characters that are easy to read out (no 0/O, 1/I)."""
    return "APP-" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def submit_application(
    session: Session,
    slug: str,
    form: Mapping[str, object],
    *,
    visit: str = "",
    ip: str = "",
    language: str = DEFAULT_LANGUAGE,
    now: datetime | None = None,
) -> Submitted:
    """Record an application to the open program `slug` and email the applicant its reference, in `language` (the
    applicant's browser's, as the page showed it; kept for every later email to them). Raises FormInvalid
    (a message per field), DomainError for a robot, too many tries from `ip`, or a company that may not apply now
    (nothing is recorded then); NotFound for a program that is not open."""
    now = now or utcnow()
    program = _open_program(session, slug)
    if str(form.get(HONEYPOT, "") or "").strip():
        raise DomainError(ROBOT)
    data = _check(session, program, form)
    # Counted once the form is right (typos cost nothing) and before any refusal, so the kind refusals cannot be
    # used to test address after address for an account or an application.
    if not allow("apply", APPLY_RATES, ip or "unknown"):
        raise DomainError(TOO_MANY)
    if refusal := _refusal(session, data):
        raise DomainError(refusal)
    app = Application(
        reference=new_reference(), program_id=saved_id(program), status=SUBMITTED, submitted_at=now, ip=ip[:64],
        company="", website="", domain="", country="", partner_type="", revenue_band="", contact_name="",
        contact_email="",
    )  # fmt: skip
    _fill(app, data)
    app.language = supported(language)
    session.add(app)
    session.flush()
    rescore(session, app)
    app_id = saved_id(app)
    add_funnel_event(session, visit if 8 <= len(visit) <= 40 else f"a{app_id}", "submitted", program_id=program.id,
                     application_id=app_id, at=now)  # fmt: skip
    queue_message(
        session,
        to=data.contact_email,
        kind="application_received",
        values={"name": data.contact_name, "program": program.name, "company": data.company,
                "reference": app.reference},
        reader=Reader(language=app.language),
    )  # fmt: skip
    audit(session, None, "submit_application", "application", app_id, reference=app.reference, domain=data.domain)
    return Submitted(reference=app.reference, company=data.company, email=data.contact_email)


# --- the private link of "needs more detail" --------------------------------------------------------------------
def edit_link(token: str) -> str:
    return f"{settings.app_origin.rstrip('/')}/apply/resubmit/{token}"


def _by_token(session: Session, token: str) -> Application:
    app = session.exec(select(Application).where(Application.edit_token_hash == hash_token(token or ""))).first()
    if app is None or app.status != REJECTED or app.reject_reason != NEEDS_MORE_DETAIL:
        raise NotFound("application")
    return app


@dataclass(frozen=True)
class ToEdit:
    reference: str
    program_slug: str
    note: str  # what the reviewer asked for
    values: dict[str, str]  # the form's fields as they were sent


def application_to_edit(session: Session, token: str) -> ToEdit:
    """What the resubmit page fills its form with; NotFound for a link that is unknown or used."""
    app = _by_token(session, token)
    program = session.get(Program, app.program_id)
    assert program is not None  # the foreign key keeps it
    public = {f.key for f in parse_fields(program.fields) if not f.hidden}
    values = {
        "company": app.company, "website": app.website, "country": app.country, "partner_type": app.partner_type,
        "team_size": str(app.team_size), "revenue_band": app.revenue_band, "vendors": app.vendors,
        "customer_count": str(app.customer_count), "certified_staff": str(app.certified_staff),
        "contact_name": app.contact_name, "contact_email": app.contact_email, "contact_phone": app.contact_phone,
        "contact_title": app.contact_title, "motivation": app.motivation,
        **{f"vertical_{v}": "on" for v in app.verticals.split(",") if v},
        # The applicant's own extra answers only: the hidden fields are the reviewers' notes.
        **{k: v for k, v in json.loads(app.extra or "{}").items() if isinstance(v, str) and k in public},
    }  # fmt: skip
    return ToEdit(app.reference, program.slug, app.decision_note, values)


def resubmit_application(
    session: Session, token: str, form: Mapping[str, object], *, now: datetime | None = None
) -> Submitted:
    """The applicant's edited application, back in the queue as submitted (its private link stops working)."""
    app = _by_token(session, token)
    program = session.get(Program, app.program_id)
    assert program is not None
    data = _check(session, program, form)
    if refusal := _refusal(session, data, exclude_id=app.id):
        raise DomainError(refusal)
    _fill(app, data)
    app.status, app.edit_token_hash, app.submitted_at = SUBMITTED, None, now or utcnow()
    app.decided_at, app.decided_by_id = None, None
    rescore(session, app)
    audit(session, None, "resubmit_application", "application", app.id, reference=app.reference)
    return Submitted(reference=app.reference, company=data.company, email=data.contact_email)


def withdraw_application(session: Session, token: str, *, now: datetime | None = None) -> str:
    """The applicant withdraws instead of adding detail; returns the reference."""
    app = _by_token(session, token)
    app.status, app.edit_token_hash, app.decided_at = WITHDRAWN, None, now or utcnow()
    session.add(app)
    audit(session, None, "withdraw_application", "application", app.id, reference=app.reference)
    return app.reference
