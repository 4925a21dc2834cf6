"""Agreement use cases: managers edit a template's draft and publish it as a new immutable version; a partner
admin signs what their organization owes, by typing their full name. Each is one unit of work, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from prm_app.agreements.languages import version_texts
from prm_app.agreements.models import AgreementSignature, AgreementTemplate, AgreementVersion
from prm_app.agreements.queries import pending_agreements, text_to_sign
from prm_app.agreements.rules import applies, check_publish, check_template, same_name, sha256_of
from prm_app.notifications import notify, resolve
from prm_app.partners import REGIONS, Organization, PartnerType
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.i18n import DEFAULT_LANGUAGE

TEXT_CHANGED = "The agreement's text changed while you were reading it. Read it again below, then sign."
NOTHING_TO_SIGN = "Your organization has nothing to sign: this agreement is signed already or was replaced."


def _clean_list(values: Sequence[str]) -> list[str]:
    return sorted({str(v).strip() for v in values if str(v).strip()})


def save_template(
    session: Session,
    actor: Actor,
    template_id: int | None,
    *,
    name: str,
    body: str,
    partner_types: Sequence[str] = (),
    regions: Sequence[str] = (),
    now: datetime | None = None,
) -> int:
    """Create a template (`template_id` None) or change its draft: name, text and the partner types and regions it
    applies to (empty: all). Published versions never change. Returns the template's id; FormInvalid with a
    message per field (nothing written then)."""
    actor.require(Permission.MANAGE_AGREEMENTS)
    now = now or utcnow()
    name, body = " ".join((name or "").split()), (body or "").replace("\r\n", "\n").strip()
    types, places = _clean_list(partner_types), _clean_list(regions)
    errors = check_template(name, body, types, places, [t.value for t in PartnerType], REGIONS)
    clash = session.exec(select(AgreementTemplate.id).where(func.lower(AgreementTemplate.name) == name.lower())).first()
    if "name" not in errors and clash is not None and clash != template_id:
        errors["name"] = "Another agreement has this name."
    if errors:
        raise FormInvalid(errors)
    if template_id is None:
        template = AgreementTemplate(name=name, created_by_id=actor.user_id, created_at=now)
        before: dict[str, object] = {}
    else:
        found = session.get(AgreementTemplate, template_id)
        if found is None:
            raise NotFound("agreement")
        template = found
        before = {"name": template.name, "partner_types": template.partner_types, "regions": template.regions}
    template.name, template.body, template.updated_at = name, body, now
    template.partner_types, template.regions = types, places
    session.add(template)
    session.flush()
    audit(
        session, actor, "agreement_template_saved", "agreement_template", template.id,
        before=before, name=name, partner_types=types, regions=places, body_sha256=sha256_of(body),
    )  # fmt: skip
    return saved_id(template)


def latest_version(session: Session, template_id: int) -> AgreementVersion | None:
    return session.exec(
        select(AgreementVersion)
        .where(AgreementVersion.template_id == template_id)
        .order_by(col(AgreementVersion.number).desc())
        .limit(1)
    ).first()


NOTICE_KIND = "agreement_to_sign"
AGREEMENT_PAGE = "/agreement"


def _tell_partners(session: Session, template: AgreementTemplate, version: AgreementVersion) -> int:
    """A notice (the bell) for each organization that now has to sign `version`: every one it applies to for a
    first version; for a later one, those that signed an earlier one when it requires re-acceptance, and those its
    published scope newly covers (they never signed this agreement). Returns how many were told."""
    orgs = session.exec(select(Organization.id, Organization.partner_type, Organization.region)).all()
    told: set[int] = {
        org_id
        for org_id, kind, region in orgs
        if org_id is not None and applies(version.partner_types, version.regions, kind, region)
    }
    if version.number > 1:
        signed_before = set(
            session.exec(
                select(AgreementSignature.organization_id)
                .join(AgreementVersion, col(AgreementVersion.id) == AgreementSignature.version_id)
                .where(AgreementVersion.template_id == template.id)
                .distinct()
            ).all()
        )
        told = (told & signed_before if version.requires_acceptance else set()) | (told - signed_before)
    due = version.published_at + timedelta(days=version.grace_days)
    when = f"by {due:%d %b %Y} (UTC)" if version.grace_days else "now: until then only the agreement page is available"
    message = f"{template.name}, version {version.number}, needs your partner admin's signature {when}."
    for org_id in sorted(told):
        notify(session, org_id, NOTICE_KIND, message, AGREEMENT_PAGE, at=version.published_at,
               about=("agreement_version", saved_id(version)))  # fmt: skip
    return len(told)


def publish_version(
    session: Session,
    actor: Actor,
    template_id: int,
    *,
    requires_acceptance: bool,
    grace_days: int = 0,
    now: datetime | None = None,
) -> int:
    """Publish the template's draft as its next version (1, 2, ...), immutable from now on, with the text's
    SHA-256. With `requires_acceptance` (always for version 1) every organization it applies to that signed an
    earlier version must sign this one within `grace_days`; until then its people see only the agreement page.
    Returns the version's id. FormInvalid when the draft is empty or unchanged since the latest version."""
    actor.require(Permission.MANAGE_AGREEMENTS)
    now = now or utcnow()
    template = session.get(AgreementTemplate, template_id)
    if template is None:
        raise NotFound("agreement")
    latest = latest_version(session, template_id)
    errors = check_publish(template.body, latest.body if latest else None, grace_days)
    if errors:
        raise FormInvalid(errors)
    number = (latest.number if latest else 0) + 1
    version = AgreementVersion(
        template_id=template_id,
        number=number,
        body=template.body,
        body_sha256=sha256_of(template.body),
        requires_acceptance=requires_acceptance or number == 1,
        grace_days=grace_days,
        partner_types=list(template.partner_types),
        regions=list(template.regions),
        published_by_id=actor.user_id,
        published_at=now,
    )
    try:
        with savepoint(session):
            session.add(version)
            session.flush()
    except IntegrityError:  # another manager published this number a moment ago
        raise DomainError("Someone else just published a version of this agreement. Reload to see it.") from None
    told = _tell_partners(session, template, version)  # re-acceptance or partners it newly covers; else nobody
    audit(
        session, actor, "agreement_version_published", "agreement_version", version.id,
        template_id=template_id, number=number, requires_acceptance=version.requires_acceptance,
        grace_days=grace_days, body_sha256=version.body_sha256, notified=told,
    )  # fmt: skip
    return saved_id(version)


def _existing(session: Session, version_id: int, organization_id: int) -> AgreementSignature | None:
    return session.exec(
        select(AgreementSignature).where(
            AgreementSignature.version_id == version_id, AgreementSignature.organization_id == organization_id
        )
    ).first()


def sign_agreement(
    session: Session,
    actor: Actor,
    version_id: int,
    *,
    typed_name: str,
    agreed: bool,
    shown_sha256: str,
    user_agent: str = "",
    language: str = DEFAULT_LANGUAGE,
    now: datetime | None = None,
) -> int:
    """A partner admin signs the version their organization has to sign, typing their account's full name (case
    and spacing forgiven) and agreeing. `shown_sha256` is the hash of the text the page showed: when the text
    would differ now (the address or the day changed meanwhile) nothing is signed and the person reads it again.
    Keeps user, typed name, time, IP (the actor's), user agent, the exact text and its SHA-256, and records the
    engagement event "agreement_signed". A second submit of a signed version returns the same signature: never
    two. `language`: the language version signed (the page's choice; one the version has), kept with it.
    Returns the signature's id."""
    if actor.role != Role.PARTNER_ADMIN or actor.organization_id is None or actor.user_id is None:
        raise PermissionDenied("Only your organization's partner admin can sign its agreements.")
    now = now or utcnow()
    org_id = actor.organization_id
    if (done := _existing(session, version_id, org_id)) is not None:
        return saved_id(done)
    pending = next((p for p in pending_agreements(session, org_id) if p.version_id == version_id), None)
    if pending is None:
        raise DomainError(NOTHING_TO_SIGN)
    errors: dict[str, str] = {}
    typed = " ".join((typed_name or "").split())
    if not typed:
        errors["full_name"] = "Type your full name to sign."
    elif not same_name(typed, actor.name):
        errors["full_name"] = "Type your full name exactly as it is on your account: " + actor.name + "."
    if not agreed:
        errors["agree"] = "Tick the box to say you have read and agree to the agreement."
    texts = version_texts(session, version_id)
    if language not in texts:
        errors["language"] = "Choose one of the languages this agreement is written in."
    if errors:
        raise FormInvalid(errors)
    org = session.get(Organization, org_id)
    if org is None:
        raise PermissionDenied()
    text = text_to_sign(session, org, pending, actor.name, now, language, texts)
    digest = sha256_of(text)
    if digest != (shown_sha256 or "").strip():
        raise ValidationError(TEXT_CHANGED, "text")
    signature = AgreementSignature(
        version_id=version_id,
        organization_id=org_id,
        user_id=actor.user_id,
        typed_name=typed,
        signed_at=now,
        ip=actor.ip[:64],
        user_agent=(user_agent or "")[:400],
        text=text,
        text_sha256=digest,
        language=language,
    )
    try:
        with savepoint(session):
            session.add(signature)
            session.flush()
    except IntegrityError:  # the same submit twice at once: the first one signed
        done = _existing(session, version_id, org_id)
        if done is None:
            raise
        return saved_id(done)
    record_engagement(session, actor, "agreement_signed", "agreement_version", version_id, organization_id=org_id)
    for done_id in session.exec(  # its notices about this version and any earlier one are done
        select(AgreementVersion.id).where(
            AgreementVersion.template_id == pending.template_id, AgreementVersion.number <= pending.version_number
        )
    ).all():
        if done_id is not None:
            resolve(session, org_id, ("agreement_version", done_id), NOTICE_KIND, at=now)
    audit(
        session, actor, "agreement_signed", "agreement_signature", signature.id,
        version_id=version_id, template_id=pending.template_id, number=pending.version_number,
        typed_name=typed, text_sha256=digest, language=language,
    )  # fmt: skip
    return saved_id(signature)
