"""What an organization owes and has signed, read for the gate, the partner's agreement page and other areas.

Frozen dataclasses with raw values (UTC datetimes, numbers, markdown text); the pages format them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from prm_app.agreements.languages import language_to_sign, version_texts
from prm_app.agreements.models import AgreementSignature, AgreementTemplate, AgreementVersion
from prm_app.agreements.rules import Requirement, Segment, VersionFacts, applies, changes, merge, requirement, sha256_of
from prm_app.identity import User, my_language
from prm_app.partners import Organization, address_line
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import PermissionDenied
from prm_app.platform.i18n import DEFAULT_LANGUAGE, long_day


@dataclass(frozen=True)
class PendingAgreement:
    """A template this organization has to sign: its latest version, due at `due_at` (UTC)."""

    template_id: int
    template: str
    version_id: int
    version_number: int
    due_at: datetime
    signed_number: int | None  # the version it signed before (a re-acceptance), None for a first signature

    @property
    def is_reacceptance(self) -> bool:
        return self.signed_number is not None


def _requirements(session: Session, org: Organization) -> list[tuple[int, str, Requirement]]:
    """(template id, template name, what is owed) for each template whose published versions apply to `org`. Reads
    only the versions' facts, never their texts: the gate asks on every event of a partner."""
    rows = session.execute(  # nine columns: more than sqlmodel's typed select takes
        sa_select(
            col(AgreementTemplate.id), col(AgreementTemplate.name), col(AgreementVersion.id),
            col(AgreementVersion.number), col(AgreementVersion.requires_acceptance), col(AgreementVersion.grace_days),
            col(AgreementVersion.published_at), col(AgreementVersion.partner_types), col(AgreementVersion.regions),
        )
        .join(AgreementVersion, col(AgreementVersion.template_id) == AgreementTemplate.id)
        .order_by(col(AgreementTemplate.name), col(AgreementVersion.number))
    ).all()  # fmt: skip
    names: dict[int, str] = {}
    versions: dict[int, list[VersionFacts]] = defaultdict(list)
    for template_id, name, version_id, number, requires, grace, published, types, regions in rows:
        if template_id is not None and version_id is not None and applies(types, regions, org.partner_type, org.region):
            names[template_id] = name
            versions[template_id].append(VersionFacts(version_id, number, requires, grace, published))
    if not names:
        return []
    signed: dict[int, list[int]] = defaultdict(list)
    for template_id, number in session.exec(
        select(AgreementVersion.template_id, AgreementVersion.number)
        .join(AgreementSignature, col(AgreementSignature.version_id) == AgreementVersion.id)
        .where(AgreementSignature.organization_id == org.id)
    ).all():
        signed[template_id].append(number)
    out = []
    for template_id, name in names.items():
        owed = requirement(versions[template_id], signed[template_id], org.joined_at)
        if owed is not None:
            out.append((template_id, name, owed))
    return out


def pending_agreements(session: Session, organization_id: int) -> list[PendingAgreement]:
    """What the organization still has to sign of the templates that apply to its partner type and region, soonest
    due first ([] for an unknown organization). For other areas (an onboarding task, a provisioning check) and the
    gate; it takes no actor: the caller decides who may know."""
    org = session.get(Organization, organization_id)
    if org is None:
        return []
    pending = [
        PendingAgreement(
            template_id=template_id,
            template=name,
            version_id=owed.to_sign.id,
            version_number=owed.to_sign.number,
            due_at=owed.due_at,
            signed_number=owed.signed_number,
        )
        for template_id, name, owed in _requirements(session, org)
    ]
    return sorted(pending, key=lambda p: (p.due_at, p.template))


def signed_everything(session: Session, organization_id: int) -> bool:
    """Whether the organization has signed an agreement and owes none now (an onboarding task's "done"; an
    organization no agreement applies to has signed nothing, so it is not done by this)."""
    if pending_agreements(session, organization_id):
        return False
    signed = select(AgreementSignature.id).where(AgreementSignature.organization_id == organization_id).limit(1)
    return session.exec(signed).first() is not None


@dataclass(frozen=True)
class AgreementGate:
    """Whether an organization's people are held on the agreement page (something is overdue), and otherwise the
    earliest due date of what it has to sign within its grace period (None: nothing)."""

    held: bool
    due_at: datetime | None
    template: str = ""  # the agreement due first


def agreement_gate(session: Session, organization_id: int, now: datetime | None = None) -> AgreementGate:
    now = now or utcnow()
    pending = pending_agreements(session, organization_id)
    if not pending:
        return AgreementGate(held=False, due_at=None)
    first = pending[0]
    return AgreementGate(held=first.due_at <= now, due_at=first.due_at, template=first.template)


# ------------------------------------------------------------------------------------------------ the partner's page


def merge_values(
    org: Organization, signer_name: str, today: datetime, language: str = DEFAULT_LANGUAGE
) -> dict[str, str]:
    """The merge fields' values for `org` signed by `signer_name` on `today`'s date (UTC), the date and country
    written as `language` writes them ("15 March 2028", German "15. März 2028", Japanese "2028年3月15日")."""
    return {
        "company_name": org.name,
        "company_address": address_line(org, language),
        "signer_name": signer_name,
        "date": long_day(today, language),
    }


@dataclass(frozen=True)
class ToSign:
    """A pending agreement as its signer reads it; the text is "" for people who may not sign."""

    pending: PendingAgreement
    overdue: bool
    text: str  # markdown, merged for this organization and signer
    text_sha256: str
    changes: tuple[Segment, ...]  # since the version the organization signed ((): a first signature)
    language: str = DEFAULT_LANGUAGE  # the language version shown
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)  # the language versions the version has


@dataclass(frozen=True)
class SignedAgreement:
    signature_id: int
    template: str
    version_number: int
    signer: str
    typed_name: str
    signed_at: datetime
    language: str = DEFAULT_LANGUAGE  # the language version signed


@dataclass(frozen=True)
class MyAgreements:
    to_sign: tuple[ToSign, ...]
    can_sign: bool  # the actor is a partner admin
    signers: tuple[str, ...]  # the organization's active partner admins (who may sign)
    signed: tuple[SignedAgreement, ...]


def _version(session: Session, template_id: int, number: int) -> AgreementVersion | None:
    return session.exec(
        select(AgreementVersion).where(AgreementVersion.template_id == template_id, AgreementVersion.number == number)
    ).first()


def text_to_sign(
    session: Session,
    org: Organization,
    pending: PendingAgreement,
    signer: str,
    now: datetime,
    language: str = DEFAULT_LANGUAGE,
    texts: Mapping[str, str] | None = None,
) -> str:
    """The text the organization signs: the version's `language` version (English if it has none), merged.
    `texts`: the version's texts by language when the caller has read them (version_texts)."""
    texts = texts if texts is not None else version_texts(session, pending.version_id)
    body = texts.get(language, texts.get(DEFAULT_LANGUAGE, ""))
    return merge(body, merge_values(org, signer, now, language if language in texts else DEFAULT_LANGUAGE))


def _to_sign(
    session: Session, org: Organization, p: PendingAgreement, actor: Actor, now: datetime, asked: str | None
) -> ToSign:
    if actor.role != Role.PARTNER_ADMIN:
        return ToSign(p, p.due_at <= now, "", "", ())
    texts = version_texts(session, p.version_id)
    languages = tuple(texts)
    language = language_to_sign(languages, asked, my_language(session, actor))
    text = text_to_sign(session, org, p, actor.name, now, language, texts)
    before = _version(session, p.template_id, p.signed_number) if p.signed_number is not None else None
    earlier = version_texts(session, saved_id(before)).get(language) if before is not None else None
    # What changed, read in the language shown; nothing to compare when the earlier version lacks that language.
    diff = tuple(changes(merge(earlier, merge_values(org, actor.name, now, language)), text)) if earlier else ()
    return ToSign(p, p.due_at <= now, text, sha256_of(text), diff, language, languages)


def _signed(session: Session, organization_id: int) -> tuple[SignedAgreement, ...]:
    rows = session.exec(
        select(AgreementSignature, AgreementVersion.number, AgreementTemplate.name, User.full_name)
        .join(AgreementVersion, col(AgreementVersion.id) == AgreementSignature.version_id)
        .join(AgreementTemplate, col(AgreementTemplate.id) == AgreementVersion.template_id)
        .join(User, col(User.id) == AgreementSignature.user_id)
        .where(AgreementSignature.organization_id == organization_id)
        .order_by(col(AgreementSignature.signed_at).desc(), col(AgreementSignature.id).desc())
        .limit(100)
    ).all()
    return tuple(
        SignedAgreement(saved_id(s), name, number, signer, s.typed_name, s.signed_at, s.language)
        for s, number, name, signer in rows
    )


def my_agreements(
    session: Session, actor: Actor, now: datetime | None = None, language: str | None = None
) -> MyAgreements:
    """The partner's agreement page: what its organization has to sign (the text and what changed only for a
    partner admin, who alone may sign), who may sign, and what it signed. Partners only. The text is the version's
    `language` version when it has one, else the one in the person's language, else English."""
    actor.require(Permission.USE_PORTAL)
    if not actor.is_partner or actor.organization_id is None:
        raise PermissionDenied()
    now = now or utcnow()
    org = session.get(Organization, actor.organization_id)
    if org is None:
        raise PermissionDenied()
    admins = session.exec(
        select(User.full_name)
        .where(
            User.organization_id == actor.organization_id,
            User.role == Role.PARTNER_ADMIN.value,
            col(User.is_active),
        )
        .order_by(col(User.full_name))
    ).all()
    return MyAgreements(
        to_sign=tuple(
            _to_sign(session, org, p, actor, now, language) for p in pending_agreements(session, saved_id(org))
        ),
        can_sign=actor.role == Role.PARTNER_ADMIN,
        signers=tuple(admins),
        signed=_signed(session, saved_id(org)),
    )
