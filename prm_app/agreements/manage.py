"""What the channel team reads of agreements: the templates, one template with its versions and who signed which
version (paged in SQL), and one signed copy (for its PDF). Frozen dataclasses with raw values.

Scope: reading needs VIEW_PARTNERS; signatures carry people's names, so a channel manager sees those of the
partners in their book, admins and execs every partner's. A partner reads only its own organization's copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from prm_app.agreements.languages import LanguageVersion, language_versions
from prm_app.agreements.models import AgreementSignature, AgreementTemplate, AgreementVersion
from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.platform.i18n import DEFAULT_LANGUAGE

SIGNATURES_PER_PAGE = 25


@dataclass(frozen=True)
class TemplateSummary:
    id: int
    name: str
    partner_types: tuple[str, ...]  # codes; () = every type
    regions: tuple[str, ...]  # () = every region
    latest_number: int | None  # None: never published
    latest_published_at: datetime | None
    draft_changed: bool  # the draft differs from the latest published text (or nothing is published)
    signatures: int  # in the actor's scope


def _in_scope(query: Any, actor: Actor) -> Any:
    """`query` over signatures narrowed to the actor's book (a channel manager's partners; everyone for others)."""
    owner = actor.book_owner()
    if owner is None:
        return query
    return query.join(Organization, col(Organization.id) == AgreementSignature.organization_id).where(
        Organization.channel_manager_id == owner
    )


def list_templates(session: Session, actor: Actor) -> list[TemplateSummary]:
    """Every template by name, with its latest version and how many signatures it has (in the actor's scope)."""
    actor.require(Permission.VIEW_PARTNERS)
    templates = session.exec(select(AgreementTemplate).order_by(col(AgreementTemplate.name)).limit(100)).all()
    per_template = select(AgreementVersion.template_id, func.count(col(AgreementSignature.id))).join(
        AgreementSignature, col(AgreementSignature.version_id) == AgreementVersion.id
    )
    rows = session.exec(_in_scope(per_template, actor).group_by(col(AgreementVersion.template_id))).all()
    counts: dict[int, int] = dict(rows)
    out = []
    for t in templates:
        latest = session.exec(
            select(AgreementVersion)
            .where(AgreementVersion.template_id == t.id)
            .order_by(col(AgreementVersion.number).desc())
            .limit(1)
        ).first()
        out.append(
            TemplateSummary(
                id=saved_id(t),
                name=t.name,
                partner_types=tuple(t.partner_types),
                regions=tuple(t.regions),
                latest_number=latest.number if latest else None,
                latest_published_at=latest.published_at if latest else None,
                draft_changed=latest is None or latest.body != t.body,
                signatures=counts.get(saved_id(t), 0),
            )
        )
    return out


@dataclass(frozen=True)
class VersionLine:
    id: int
    number: int
    published_at: datetime
    published_by: str
    requires_acceptance: bool
    grace_days: int
    body_sha256: str


@dataclass(frozen=True)
class SignatureLine:
    id: int
    organization: str
    version_number: int
    signer: str
    typed_name: str
    signed_at: datetime
    ip: str
    language: str = DEFAULT_LANGUAGE  # the language version signed


@dataclass(frozen=True)
class TemplateDetail:
    id: int
    name: str
    body: str  # the draft
    partner_types: tuple[str, ...]
    regions: tuple[str, ...]
    versions: tuple[VersionLine, ...]  # newest first
    signatures: tuple[SignatureLine, ...]  # one page, by organization then version (newest first)
    page: int
    pages: int
    signature_count: int
    can_manage: bool
    partners: int = 0  # partners it applies to (in the actor's scope)
    up_to_date: int = 0  # of those, how many signed the version that requires acceptance or a later one
    languages: tuple[LanguageVersion, ...] = ()  # the latest version's texts in other languages than English


def _coverage(session: Session, actor: Actor, template: AgreementTemplate, required: int | None) -> tuple[int, int]:
    """(partners the template's latest published version applies to (its draft's, before any), how many of them
    signed version `required` or later), in the actor's book; counted in SQL."""
    latest = session.exec(
        select(AgreementVersion)
        .where(AgreementVersion.template_id == template.id)
        .order_by(col(AgreementVersion.number).desc())
    ).first()
    scope = latest or template
    conditions: list[ColumnElement[bool]] = []
    if scope.partner_types:
        conditions.append(col(Organization.partner_type).in_(scope.partner_types))
    if scope.regions:
        conditions.append(col(Organization.region).in_(scope.regions))
    if (owner := actor.book_owner()) is not None:
        conditions.append(col(Organization.channel_manager_id) == owner)
    partners = session.exec(select(func.count(col(Organization.id))).where(*conditions)).one()
    if required is None:
        return partners, 0
    signed = session.exec(
        select(func.count(func.distinct(AgreementSignature.organization_id)))
        .join(AgreementVersion, col(AgreementVersion.id) == AgreementSignature.version_id)
        .join(Organization, col(Organization.id) == AgreementSignature.organization_id)
        .where(AgreementVersion.template_id == template.id, AgreementVersion.number >= required, *conditions)
    ).one()
    return partners, signed


def template_detail(session: Session, actor: Actor, template_id: int, page: int = 1) -> TemplateDetail:
    """One template: its draft, every version, and page `page` of its signatures in the actor's scope."""
    actor.require(Permission.VIEW_PARTNERS)
    template = session.get(AgreementTemplate, template_id)
    if template is None:
        raise NotFound("agreement")
    versions = session.exec(
        select(AgreementVersion, User.full_name)
        .outerjoin(User, col(User.id) == AgreementVersion.published_by_id)
        .where(AgreementVersion.template_id == template_id)
        .order_by(col(AgreementVersion.number).desc())
    ).all()
    requiring = [v.number for v, _by in versions if v.requires_acceptance or v.number == 1]
    partners, up_to_date = _coverage(session, actor, template, max(requiring, default=None))
    counted = (
        select(func.count(col(AgreementSignature.id)))
        .join(AgreementVersion, col(AgreementVersion.id) == AgreementSignature.version_id)
        .where(AgreementVersion.template_id == template_id)
    )
    total = session.exec(_in_scope(counted, actor)).one()
    pages = max(1, -(-total // SIGNATURES_PER_PAGE))
    page = min(max(1, page), pages)
    query = (
        select(AgreementSignature, Organization.name, AgreementVersion.number, User.full_name)
        .join(AgreementVersion, col(AgreementVersion.id) == AgreementSignature.version_id)
        .join(Organization, col(Organization.id) == AgreementSignature.organization_id)
        .join(User, col(User.id) == AgreementSignature.user_id)
        .where(AgreementVersion.template_id == template_id)
        .order_by(col(Organization.name), col(AgreementVersion.number).desc())
        .offset((page - 1) * SIGNATURES_PER_PAGE)
        .limit(SIGNATURES_PER_PAGE)
    )
    if (owner := actor.book_owner()) is not None:
        query = query.where(Organization.channel_manager_id == owner)
    return TemplateDetail(
        id=saved_id(template),
        name=template.name,
        body=template.body,
        partner_types=tuple(template.partner_types),
        regions=tuple(template.regions),
        versions=tuple(
            VersionLine(
                saved_id(v), v.number, v.published_at, by or "", v.requires_acceptance, v.grace_days, v.body_sha256
            )
            for v, by in versions
        ),
        signatures=tuple(
            SignatureLine(saved_id(s), org, number, signer, s.typed_name, s.signed_at, s.ip, s.language)
            for s, org, number, signer in session.exec(query).all()
        ),
        page=page,
        pages=pages,
        signature_count=total,
        can_manage=actor.can(Permission.MANAGE_AGREEMENTS),
        partners=partners,
        up_to_date=up_to_date,
        languages=language_versions(session, saved_id(versions[0][0])) if versions else (),
    )


@dataclass(frozen=True)
class SignedCopy:
    """Everything the signed copy (PDF) shows."""

    signature_id: int
    template: str
    version_number: int
    organization: str
    signer: str
    typed_name: str
    signed_at: datetime
    ip: str
    user_agent: str
    text: str
    text_sha256: str
    language: str = DEFAULT_LANGUAGE  # the language version signed: the PDF's words and dates are in it


def signed_copy(session: Session, actor: Actor, signature_id: int) -> SignedCopy:
    """One signature with its text, for its PDF: a partner's people get their own organization's, the channel team
    those in its scope. NotFound otherwise (whether or not it exists)."""
    row = session.exec(
        select(AgreementSignature, AgreementVersion.number, AgreementTemplate.name, Organization)
        .join(AgreementVersion, col(AgreementVersion.id) == AgreementSignature.version_id)
        .join(AgreementTemplate, col(AgreementTemplate.id) == AgreementVersion.template_id)
        .join(Organization, col(Organization.id) == AgreementSignature.organization_id)
        .where(AgreementSignature.id == signature_id)
    ).first()
    if row is None:
        raise NotFound("signed agreement")
    s, number, template, org = row
    if actor.is_partner:
        allowed = actor.can(Permission.USE_PORTAL) and actor.organization_id == org.id
    else:
        allowed = actor.can(Permission.VIEW_PARTNERS) and actor.reaches_book_of(org.channel_manager_id)
    if not allowed:
        raise NotFound("signed agreement")
    signer = session.get(User, s.user_id)
    return SignedCopy(
        signature_id=saved_id(s),
        template=template,
        version_number=number,
        organization=org.name,
        signer=signer.full_name if signer else "",
        typed_name=s.typed_name,
        signed_at=s.signed_at,
        ip=s.ip,
        user_agent=s.user_agent,
        text=s.text,
        text_sha256=s.text_sha256,
        language=s.language,
    )
