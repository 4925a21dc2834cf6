"""Reads for the channel team: the list of assets (with deleted ones for admins), one asset with its versions and
usage (views and downloads per version, per partner, per month), and "why can't partner X see this?" answered
from the audience rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from prm_app.audience import Names, audience_names, describe, partner_facts, verdict
from prm_app.content.models import Asset, AssetVariant, AssetVersion
from prm_app.content.queries import VersionView, version_view
from prm_app.content.rules import row_number
from prm_app.content.search import matching
from prm_app.content.service import DOWNLOADED, RESTORE_DAYS, SUBJECT, VIEWED
from prm_app.content.visibility import rule_of
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound
from prm_app.platform.models import EngagementEvent

PAGE_SIZE = 20


@dataclass(frozen=True)
class AssetRow:
    id: int
    slug: str
    title: str
    category: str
    kind: str
    current_n: int
    audience: str
    publish_at: datetime
    expire_at: datetime | None
    deleted_at: datetime | None
    is_cobrand: bool
    time_zone: str  # the zone its publish and expiry times were entered in
    languages: tuple[str, ...] = ()  # its own language, then its variants' (content/variants.py)


@dataclass(frozen=True)
class AssetList:
    rows: tuple[AssetRow, ...]
    total: int
    page: int
    pages: int


def _row(a: Asset, names: Names, variants: dict[int, list[str]] | None = None) -> AssetRow:
    return AssetRow(
        a.id or 0,
        a.slug,
        a.title,
        a.category,
        a.kind,
        a.current_n,
        describe(rule_of(a), names),
        a.publish_at,
        a.expire_at,
        a.deleted_at,
        a.is_cobrand,
        a.time_zone,
        (a.language, *sorted((variants or {}).get(a.id or 0, []))),
    )


def list_assets(session: Session, actor: Actor, text: str = "", page: int = 1, *, deleted: bool = False) -> AssetList:
    """The channel team's assets, newest first, matched by the search words; `deleted`: those an admin may still
    restore (deleted within the last 30 days)."""
    actor.require(Permission.RESTORE_CONTENT if deleted else Permission.MANAGE_CONTENT)
    where: list[ColumnElement[bool]] = [
        col(Asset.deleted_at).is_not(None) if deleted else col(Asset.deleted_at).is_(None)
    ]
    if (found := matching(session, text)) is not None:
        where.append(found)
    total = session.exec(select(func.count()).select_from(Asset).where(*where)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.exec(
        select(Asset)
        .where(*where)
        .order_by(col(Asset.publish_at).desc(), col(Asset.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    names, variants = audience_names(session), _variant_languages(session, [a.id or 0 for a in rows])
    return AssetList(tuple(_row(a, names, variants) for a in rows), total, page, pages)


def _variant_languages(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """The languages of the assets' variants (content/variants.py), by asset id."""
    variants: dict[int, list[str]] = {}
    for asset_id, language in session.exec(
        select(AssetVariant.asset_id, AssetVariant.language).where(col(AssetVariant.asset_id).in_(ids))
    ).all():
        variants.setdefault(asset_id, []).append(language)
    return variants


@dataclass(frozen=True)
class VersionUsage:
    version: VersionView
    views: int
    downloads: int


@dataclass(frozen=True)
class PartnerUsage:
    organization: str
    views: int
    downloads: int


@dataclass(frozen=True)
class MonthUsage:
    month: str  # "2026-11", a UTC month
    views: int
    downloads: int


@dataclass(frozen=True)
class AssetDetail:
    row: AssetRow
    description: str
    tags: str
    product: str
    language: str
    folder: str
    link_url: str
    audience_json: str
    versions: tuple[VersionUsage, ...]  # newest first
    partners: tuple[PartnerUsage, ...]  # most active first, at most 10
    months: tuple[MonthUsage, ...]  # oldest first
    restore_until: datetime | None


def _counts(rows: list[tuple[object, str, int]]) -> dict[object, tuple[int, int]]:
    out: dict[object, list[int]] = {}
    for key, kind, n in rows:
        out.setdefault(key, [0, 0])[0 if kind == VIEWED else 1] += int(n)
    return {k: (v[0], v[1]) for k, v in out.items()}


def _utc_month(session: Session, at: Any) -> ColumnElement[str]:
    """The UTC month of an instant as "2026-11", counted in SQL (an asset's events are many; only months come back)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", at), "YYYY-MM")
    return func.substr(at, 1, 7)  # SQLite holds instants as 'YYYY-MM-DD HH:MM:SS…' in UTC


def asset_detail(session: Session, actor: Actor, asset_id: int) -> AssetDetail:
    actor.require(Permission.MANAGE_CONTENT)
    asset = session.get(Asset, row_number(asset_id))
    if asset is None or (asset.deleted_at is not None and not actor.can(Permission.RESTORE_CONTENT)):
        raise NotFound("asset")
    versions = session.exec(
        select(AssetVersion).where(AssetVersion.asset_id == asset.id).order_by(col(AssetVersion.n).desc())
    ).all()
    events = (
        select(EngagementEvent)
        .join(AssetVersion, col(EngagementEvent.subject_id) == AssetVersion.id)
        .where(
            AssetVersion.asset_id == asset.id,
            EngagementEvent.subject_type == SUBJECT,
            col(EngagementEvent.kind).in_([VIEWED, DOWNLOADED]),
        )
        .subquery()
    )
    per_version = _counts(
        session.exec(
            select(events.c.subject_id, events.c.kind, func.count()).group_by(events.c.subject_id, events.c.kind)
        ).all()  # type: ignore[arg-type]
    )
    per_org = _counts(
        session.exec(
            select(Organization.name, events.c.kind, func.count())
            .join(Organization, col(Organization.id) == events.c.organization_id)
            .group_by(col(Organization.name), events.c.kind)
        ).all()  # type: ignore[arg-type]
    )
    month = _utc_month(session, events.c.at)
    per_month = _counts(
        session.exec(select(month, events.c.kind, func.count()).group_by(month, events.c.kind)).all()  # type: ignore[arg-type]
    )
    return AssetDetail(
        row=_row(asset, audience_names(session), _variant_languages(session, [asset.id or 0])),
        description=asset.description,
        tags=asset.tags,
        product=asset.product,
        language=asset.language,
        folder=asset.folder,
        link_url=asset.link_url,
        audience_json=asset.audience,
        versions=tuple(VersionUsage(version_view(v), *per_version.get(v.id, (0, 0))) for v in versions),
        partners=tuple(
            sorted(
                (PartnerUsage(str(name), v, d) for name, (v, d) in per_org.items()),
                key=lambda p: -(p.views + p.downloads),
            )[:10]
        ),
        months=tuple(MonthUsage(str(m), v, d) for m, (v, d) in sorted(per_month.items(), key=lambda i: str(i[0]))),
        restore_until=asset.deleted_at + timedelta(days=RESTORE_DAYS) if asset.deleted_at else None,
    )


@dataclass(frozen=True)
class WhyAnswer:
    organization: str
    sees: bool
    reasons: tuple[str, ...]
    locked_from_tier: str


def why_not(session: Session, actor: Actor, asset_id: int, organization_id: int) -> WhyAnswer:
    """Whether partner `organization_id` sees the asset, and the rule's reasons when it does not (also the publish
    window and deletion, which sit beside the rule)."""
    actor.require(Permission.MANAGE_CONTENT)
    asset, org = session.get(Asset, row_number(asset_id)), session.get(Organization, row_number(organization_id))
    if asset is None or org is None:
        raise NotFound("partner" if asset else "asset")
    seen = verdict(rule_of(asset), partner_facts(session, organization_id))
    now, window = utcnow(), []
    if asset.deleted_at is not None:
        window.append("The asset is deleted.")
    if asset.publish_at > now:
        window.append("The asset is not published yet.")
    if asset.expire_at is not None and asset.expire_at <= now:
        window.append("The asset has expired.")
    if seen.visible and not window:
        return WhyAnswer(org.name, True, seen.reasons, "")  # the rule's reasons why it holds
    reasons = (*([] if seen.visible else seen.reasons), *window)
    return WhyAnswer(org.name, False, tuple(reasons), "" if window else seen.locked_from_tier)


@dataclass(frozen=True)
class PartnerOption:
    id: int
    name: str


def partner_options(session: Session, actor: Actor) -> list[PartnerOption]:
    """Every partner by name, for "preview as partner" (the answer names only what the rule says)."""
    actor.require(Permission.MANAGE_CONTENT)
    rows = session.exec(select(Organization.id, Organization.name).order_by(col(Organization.name))).all()
    return [PartnerOption(i or 0, n) for i, n in rows]
