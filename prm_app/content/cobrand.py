"""Co-branded collateral: a manager places zones on a PDF asset's pages (logo, a profile field, or a short text the
partner may edit unless it is locked); a partner downloads the current version stamped with its own details.

Renders are cached by (template version, partner, hash of everything stamped: profile values, logo, zones and
texts), so a second download without changes is the same file, and a changed phone or logo gives a new render.
Locked zones are enforced here: a text sent for a locked zone (or one that is not free text) is refused.

What the copy adds is in the partner's language (the language most of its people read the app in; English when
none has chosen): the date of the copy in its regional format ("7. Dezember 2026", "2026年12月7日"), the country of
its address by its name in that language ("Deutschland"); stamping.py draws each with a font that has its letters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from prm_app.audience import all_partner_facts
from prm_app.content.models import Asset, AssetVersion, CobrandRender, CobrandZone
from prm_app.content.rules import FREE_TEXT_MAX, ZoneInput, ZoneKind, check_zone, row_number, stamp_hash
from prm_app.content.service import DOWNLOADED, SUBJECT, FileToServe
from prm_app.content.stamping import Stamp, page_sizes, stamp_pdf
from prm_app.content.storage import CONTENT_FILES, RENDERS
from prm_app.content.visibility import open_asset, partner_access
from prm_app.identity import User
from prm_app.partners import Organization, address_line, logo_file
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import savepoint
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.platform.i18n import DEFAULT_LANGUAGE, LANGUAGES, long_day

KEPT_RENDERS = 5  # per partner and template version


class LockedZone(ValidationError):
    """A partner tried to change a zone it may not (the HTTP edge answers 422)."""


def template_of(session: Session, actor: Actor, asset_id: int) -> tuple[Asset, AssetVersion]:
    """A co-brand template the channel team works on, with its current version; NotFound otherwise."""
    actor.require(Permission.MANAGE_CONTENT)
    asset = session.get(Asset, row_number(asset_id))
    if asset is None or asset.deleted_at is not None or not asset.is_cobrand:
        raise NotFound("template")
    return asset, _current(session, asset)


def _current(session: Session, asset: Asset) -> AssetVersion:
    version = session.exec(
        select(AssetVersion).where(AssetVersion.asset_id == asset.id, AssetVersion.n == asset.current_n)
    ).first()
    if version is None:
        raise NotFound("template")
    return version


def add_zone(session: Session, actor: Actor, asset_id: int, zone: ZoneInput) -> int:
    """A zone on the template, checked against the current version's pages."""
    asset, version = template_of(session, actor, asset_id)
    path = CONTENT_FILES.path(version.file_key)
    if path is None:
        raise NotFound("template")
    zone = check_zone(zone, page_sizes(path))
    row = CobrandZone(asset_id=asset.id or 0, **zone.__dict__)
    session.add(row)
    session.flush()
    audit(session, actor, "content.zone_added", "content_asset", asset.id, about=f"{zone.kind} on page {zone.page}")
    return row.id or 0


def remove_zone(session: Session, actor: Actor, asset_id: int, zone_id: int) -> None:
    asset, _ = template_of(session, actor, asset_id)
    row = session.get(CobrandZone, row_number(zone_id))
    if row is None or row.asset_id != asset.id:
        raise NotFound("zone")
    session.delete(row)
    audit(session, actor, "content.zone_removed", "content_asset", asset.id, about=f"zone {zone_id}")


@dataclass(frozen=True)
class ZoneView:
    id: int
    page: int
    x: float
    y: float
    w: float
    h: float
    kind: str
    binding: str
    text: str
    locked: bool


def zones_of(session: Session, asset_id: int) -> list[ZoneView]:
    rows = session.exec(select(CobrandZone).where(CobrandZone.asset_id == asset_id).order_by(col(CobrandZone.id))).all()
    return [ZoneView(z.id or 0, z.page, z.x, z.y, z.w, z.h, z.kind, z.binding, z.text, z.locked) for z in rows]


def zones_of_asset(session: Session, actor: Actor, asset_id: int) -> list[ZoneView]:
    """A template's zones, for the channel team."""
    asset, _ = template_of(session, actor, asset_id)
    return zones_of(session, asset.id or 0)


def template_zones(session: Session, actor: Actor, slug: str) -> list[ZoneView]:
    """The zones of a template the actor may open (partners see which texts they may edit)."""
    asset = open_asset(session, actor, slug)
    return zones_of(session, asset.id or 0) if asset.is_cobrand else []


def _logo_path(org: Organization) -> Path | None:
    return logo_file(org.logo_key)


def partner_language(session: Session, org: Organization) -> str:
    """The language most of the partner's active people read the app in (a shipped one; ties by code), else
    English."""
    return partner_languages(session, [org.id or 0])[org.id or 0]


def partner_languages(session: Session, organization_ids: list[int]) -> dict[int, str]:
    """`partner_language` of each of the partners, in one query."""
    counts: dict[int, list[tuple[int, str]]] = {org_id: [] for org_id in organization_ids}
    for org_id, language, people in session.exec(
        select(User.organization_id, User.language, func.count(col(User.id)))
        .where(col(User.organization_id).in_(organization_ids), col(User.is_active))
        .where(col(User.language).in_(list(LANGUAGES)))
        .group_by(col(User.organization_id), col(User.language))
    ).all():
        counts[org_id or 0].append((-people, language))
    return {org_id: min(rows)[1] if rows else DEFAULT_LANGUAGE for org_id, rows in counts.items()}


def _values(org: Organization, language: str) -> dict[str, str]:
    """What the profile fields stamp, the added words in `language` (the address's country, the date)."""
    return {
        "name": org.name,
        "phone": org.phone,
        "website": org.website,
        "address": address_line(org, language),
        "date": long_day(utcnow().date(), language),
    }


def _stamps(zones: list[ZoneView], org: Organization, texts: dict[int, str], language: str) -> list[Stamp]:
    values, logo = _values(org, language), _logo_path(org)
    out = []
    for z in zones:
        box = (z.page, z.x, z.y, z.w, z.h)
        if z.kind == ZoneKind.LOGO:
            out.append(Stamp(*box, text=org.name, image=logo))
        elif z.kind == ZoneKind.FIELD:
            out.append(Stamp(*box, text=values.get(z.binding, "")))
        else:
            out.append(Stamp(*box, text=texts.get(z.id, z.text)))
    return out


def _checked_texts(zones: list[ZoneView], texts: dict[int, str]) -> dict[int, str]:
    editable = {z.id for z in zones if z.kind == ZoneKind.FREE_TEXT and not z.locked}
    for zone_id, value in texts.items():
        if zone_id not in editable:
            raise LockedZone("That part of the document is locked.", "zone")
        if len(value) > FREE_TEXT_MAX:
            raise ValidationError(f"Keep the text under {FREE_TEXT_MAX} characters.", f"zone-{zone_id}")
    return {k: " ".join(v.split()) for k, v in texts.items()}


def _stamp_key(
    session: Session, asset: Asset, org: Organization, texts: dict[int, str]
) -> tuple[AssetVersion, list[ZoneView], dict[int, str], str, str]:
    """The current version, its zones, the checked texts, the hash of everything a render of them stamps (in
    the partner's language: a change of it is a new render) and that language."""
    version = _current(session, asset)
    zones = zones_of(session, asset.id or 0)
    texts = _checked_texts(zones, texts)
    language = partner_language(session, org)
    return version, zones, texts, _digest(zones, texts, org, language), language


def _digest(zones: list[ZoneView], texts: dict[int, str], org: Organization, language: str) -> str:
    """The hash of what a render stamps. The day is part of it only when a zone stamps it: otherwise every copy
    would be made again each midnight."""
    values = _values(org, language)
    if not any(z.kind == ZoneKind.FIELD and z.binding == "date" for z in zones):
        del values["date"]
    key_parts = {
        "values": values,
        "logo": org.logo_key if _logo_path(org) else "",
        "zones": [z.__dict__ for z in zones],
        "texts": {str(k): v for k, v in sorted(texts.items())},
    }
    return stamp_hash(key_parts)


def _cached(session: Session, version_id: int | None, org_id: int | None, digest: str) -> CobrandRender | None:
    return session.exec(
        select(CobrandRender).where(
            CobrandRender.version_id == version_id,
            CobrandRender.organization_id == org_id,
            CobrandRender.profile_hash == digest,
        )
    ).first()


def _on_file(render: CobrandRender | None) -> str | None:
    path = RENDERS.path(render.file_key) if render is not None else None
    return render.file_key if render is not None and path is not None and path.is_file() else None


def copies_on_file(session: Session, asset: Asset, version: AssetVersion, orgs: list[Organization]) -> dict[int, str]:
    """The render key of each partner's copy of the current `version` with the manager's texts, as its profile
    stands now (what bulk generation makes), for those whose copy is made. Renders nothing; a few queries for
    any number of partners."""
    ids = [org.id or 0 for org in orgs]
    if not ids:
        return {}
    zones = zones_of(session, asset.id or 0)
    texts, languages = _checked_texts(zones, {}), partner_languages(session, ids)
    renders = {
        (render.organization_id, render.profile_hash): render
        for render in session.exec(
            select(CobrandRender).where(
                CobrandRender.version_id == version.id, col(CobrandRender.organization_id).in_(ids)
            )
        )
    }
    found = {
        org.id or 0: _on_file(renders.get((org.id or 0, _digest(zones, texts, org, languages[org.id or 0]))))
        for org in orgs
    }
    return {org_id: key for org_id, key in found.items() if key is not None}


def render_for(session: Session, asset: Asset, org: Organization, texts: dict[int, str]) -> tuple[str, bool]:
    """The stamped PDF's key in the render store for `org`, and whether it was made now (False: from the cache)."""
    version, zones, texts, digest, language = _stamp_key(session, asset, org, texts)
    cached = _cached(session, version.id, org.id, digest)
    if (key := _on_file(cached)) is not None:
        return key, False
    source = CONTENT_FILES.path(version.file_key)
    if source is None:
        raise NotFound("template")
    stamps = _stamps(zones, org, texts, language)
    stored = RENDERS.put(stamp_pdf(source, stamps), version.file_name, "application/pdf")
    try:
        with savepoint(session):
            if cached is not None:
                session.delete(cached)
                session.flush()
            session.add(
                CobrandRender(
                    version_id=version.id or 0, organization_id=org.id or 0, profile_hash=digest, file_key=stored.key
                )
            )
            session.flush()
    except IntegrityError:  # the same render was just made by another request: keep theirs
        RENDERS.delete(stored.key)
        return render_for(session, asset, org, texts)
    _keep_latest_renders(session, version.id or 0, org.id or 0)
    return stored.key, True


def _keep_latest_renders(session: Session, version_id: int, organization_id: int) -> None:
    """Drop all but the newest KEPT_RENDERS of a partner's renders of one version, rows and files: each new free
    text or profile change makes a render, and without this a partner varying a text filled the disk. (A dropped
    render's file that is missing later is simply made again.)"""
    stale = session.exec(
        select(CobrandRender)
        .where(CobrandRender.version_id == version_id, CobrandRender.organization_id == organization_id)
        .order_by(col(CobrandRender.created_at).desc(), col(CobrandRender.id).desc())
        .offset(KEPT_RENDERS)
    ).all()
    for render in stale:
        session.delete(render)
        RENDERS.delete(render.file_key)
    session.flush()


def cobranded_file(session: Session, actor: Actor, slug: str, texts: dict[int, str]) -> FileToServe:
    """The partner's own stamped copy of the template `slug` (a download of its current version)."""
    asset = open_asset(session, actor, slug)
    if not asset.is_cobrand or not actor.is_partner or actor.organization_id is None:
        raise NotFound("asset")
    org = session.get(Organization, actor.organization_id)
    if org is None:
        raise NotFound("asset")
    key, _ = render_for(session, asset, org, texts)
    version = _current(session, asset)
    record_engagement(session, actor, DOWNLOADED, SUBJECT, version.id)
    name = re.sub(r"\.pdf$", "", version.file_name, flags=re.IGNORECASE) or "document"
    return FileToServe(key, "application/pdf", f"{name} - {org.name}.pdf", "")


@dataclass(frozen=True)
class PartnerReadiness:
    organization_id: int
    name: str
    has_logo: bool
    rendered: bool  # its copy of the current version, as its profile stands now, is made


def template_partners(session: Session, actor: Actor, asset_id: int) -> list[PartnerReadiness]:
    """The partners the template is open to (by name), which lack a logo, and whose copy is made and current."""
    asset, version = template_of(session, actor, asset_id)
    orgs = open_partners(session, asset)
    made = copies_on_file(session, asset, version, orgs)
    return [PartnerReadiness(org.id or 0, org.name, _logo_path(org) is not None, org.id in made) for org in orgs]


def open_partners(session: Session, asset: Asset) -> list[Organization]:
    """The partners the asset is open to, by name (every partner's facts read at once)."""
    facts = all_partner_facts(session)
    return [
        org
        for org in session.exec(select(Organization).order_by(col(Organization.name))).all()
        if (access := partner_access(asset, facts[org.id or 0])) is not None and access.open
    ]
