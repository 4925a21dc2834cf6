"""Reads of the library: the partners' library page (search, filters, sort, paging, locked assets, what is new
since the last visit), one asset's page for whoever may see it, and the managers' list. Frozen dataclasses with raw
values; the pages format them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from prm_app.audience import PartnerFacts, audience_names, describe, partner_facts
from prm_app.content.models import Asset, AssetVersion, LibraryVisit
from prm_app.content.rules import row_number
from prm_app.content.search import in_variant_words, matching, with_variant_in
from prm_app.content.service import DOWNLOADED, SUBJECT, VIEWED
from prm_app.content.variants import VariantFile, shown_variant, titles_in
from prm_app.content.visibility import audiences_for, facts_of, rule_of, visible_asset
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound
from prm_app.platform.i18n import DEFAULT_LANGUAGE
from prm_app.platform.models import EngagementEvent

PAGE_SIZE = 12
SORTS = {"newest": "Newest", "most_used": "Most used"}


@dataclass(frozen=True)
class LibraryQuery:
    text: str = ""
    category: str = ""
    product: str = ""
    language: str = ""
    sort: str = "newest"
    new_only: bool = False
    page: int = 1


@dataclass(frozen=True)
class AssetCard:
    slug: str
    title: str
    description: str
    category: str
    tags: str
    product: str
    language: str
    content_type: str  # of the current version; "" for a link
    kind: str
    link_url: str
    publish_at: datetime
    locked_from_tier: str  # "" when open
    is_new: bool
    is_cobrand: bool
    uses: int


@dataclass(frozen=True)
class LibraryPage:
    cards: tuple[AssetCard, ...]
    total: int
    page: int
    pages: int
    new_count: int
    products: tuple[str, ...]
    since: datetime | None  # the previous visit "new" is measured from


def _uses(ids: list[int | None] | None = None) -> Any:
    """Views and downloads per asset (a subquery: asset_id, uses), of the assets `ids` when given."""
    counted = (
        select(AssetVersion.asset_id, func.count(col(EngagementEvent.id)).label("uses"))
        .join(EngagementEvent, col(EngagementEvent.subject_id) == AssetVersion.id)
        .where(EngagementEvent.subject_type == SUBJECT, col(EngagementEvent.kind).in_([VIEWED, DOWNLOADED]))
    )
    if ids is not None:
        counted = counted.where(col(AssetVersion.asset_id).in_(ids))
    return counted.group_by(col(AssetVersion.asset_id)).subquery()


def _visit(session: Session, actor: Actor, *, touch: bool) -> datetime | None:
    """The previous visit; with `touch`, this one is recorded (once per page load of the library's first page)."""
    if actor.user_id is None:
        return None
    row = session.get(LibraryVisit, actor.user_id)
    now = utcnow()
    if row is None:
        if touch:
            session.add(LibraryVisit(user_id=actor.user_id, previous_at=None, last_at=now))
        return None
    since = row.previous_at
    if touch:
        row.previous_at, row.last_at = row.last_at, now
        session.add(row)
        since = row.previous_at
    return since


def library(
    session: Session, actor: Actor, query: LibraryQuery, *, opening: bool = False, reader: str = DEFAULT_LANGUAGE
) -> LibraryPage:
    """One page of the partner's library: open assets and tier-locked ones, matched by every word of the search
    in title, description or tags (or in the variant in the `reader`'s language), filtered and sorted in SQL, each
    card in the reader's language (content/variants.py's fallback). `opening` records the visit (what "new" is
    measured from is the visit before)."""
    actor.require(Permission.USE_PORTAL)
    facts = facts_of(session, actor)
    if facts is None:
        raise NotFound("library")
    return _library(session, facts, query, _visit(session, actor, touch=opening), reader)


def library_as(
    session: Session, actor: Actor, organization_id: int, query: LibraryQuery, reader: str = DEFAULT_LANGUAGE
) -> LibraryPage:
    """The library exactly as partner `organization_id` sees it now (the channel team's "preview as partner"),
    with nothing counted and no visit recorded."""
    actor.require(Permission.MANAGE_CONTENT)
    if session.get(Organization, row_number(organization_id)) is None:
        raise NotFound("partner")
    return _library(session, partner_facts(session, organization_id), query, None, reader)


def _library(
    session: Session, facts: PartnerFacts, query: LibraryQuery, since: datetime | None, reader: str
) -> LibraryPage:
    open_rules, locked = audiences_for(session, facts)
    now = utcnow()
    uses = _uses()
    where: list[ColumnElement[bool]] = [
        col(Asset.deleted_at).is_(None),
        col(Asset.current_n) > 0,
        col(Asset.publish_at) <= now,
        or_(col(Asset.expire_at).is_(None), col(Asset.expire_at) > now),
        col(Asset.audience).in_([*open_rules, *locked]),
    ]
    if (found := matching(session, query.text)) is not None:
        where.append(or_(found, in_variant_words(query.text, reader)))
    for name in ("category", "product"):
        if value := getattr(query, name):
            where.append(getattr(Asset, name) == value)
    if query.language:  # an asset in that language: its own, or a variant
        where.append(or_(col(Asset.language) == query.language, with_variant_in(query.language)))
    if query.new_only and since is not None:
        where.append(col(Asset.publish_at) > since)
    total = session.exec(select(func.count()).select_from(Asset).where(*where)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    ordered = select(Asset).where(*where)
    if query.sort == "most_used":  # only this sort needs every match's uses; the page's own come below
        ordered = ordered.outerjoin(uses, uses.c.asset_id == Asset.id).order_by(func.coalesce(uses.c.uses, 0).desc())
    page_rows = session.exec(
        ordered.order_by(col(Asset.publish_at).desc(), col(Asset.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    ids = [a.id for a in page_rows]
    mine = _uses(ids)
    used = dict(session.exec(select(mine.c.asset_id, mine.c.uses)).all())
    types = dict(
        session.exec(
            select(AssetVersion.asset_id, AssetVersion.content_type)
            .join(Asset, (col(Asset.id) == AssetVersion.asset_id) & (col(Asset.current_n) == AssetVersion.n))
            .where(col(Asset.id).in_(ids))
        ).all()
    )
    rows = [(a, used.get(a.id, 0), types.get(a.id or 0, "")) for a in page_rows]
    words = titles_in(session, list(page_rows), reader)
    new_count = 0
    if since is not None:
        base = where[:5]
        new_count = session.exec(
            select(func.count()).select_from(Asset).where(*base, col(Asset.publish_at) > since)
        ).one()
    cards = tuple(
        AssetCard(
            slug=a.slug,
            title=words[a.id or 0][0],
            description=words[a.id or 0][1],
            category=a.category,
            tags=a.tags,
            product=a.product,
            language=a.language,
            content_type=ctype or "",
            kind=a.kind,
            link_url=a.link_url if a.audience not in locked else "",
            publish_at=a.publish_at,
            locked_from_tier=locked.get(a.audience, ""),
            is_new=since is not None and a.publish_at > since,
            is_cobrand=a.is_cobrand,
            uses=int(used),
        )
        for a, used, ctype in rows
    )
    products = session.exec(  # the filter's options: products of assets this partner sees (not future, deleted)
        select(Asset.product).where(*where[:5], Asset.product != "").distinct().order_by(col(Asset.product))
    ).all()
    return LibraryPage(cards, total, page, pages, new_count, tuple(products), since)


@dataclass(frozen=True)
class VersionView:
    n: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    changelog: str
    material_change: bool
    created_at: datetime


@dataclass(frozen=True)
class AssetView:
    id: int
    slug: str
    title: str
    description: str
    category: str
    tags: str
    product: str
    language: str
    kind: str
    link_url: str
    is_cobrand: bool
    languages: tuple[str, ...]  # every language it has (its own first); `language` is the one shown
    variant_file: VariantFile | None  # the shown variant's own file (on the current version's page only)
    current_n: int
    shown_n: int  # the version this page shows (pinned or current)
    version: VersionView | None
    locked_from_tier: str
    audience: str  # the rule in words
    publish_at: datetime
    expire_at: datetime | None


def _version(session: Session, asset_id: int, n: int) -> AssetVersion | None:
    return session.exec(select(AssetVersion).where(AssetVersion.asset_id == asset_id, AssetVersion.n == n)).first()


def version_view(v: AssetVersion) -> VersionView:
    return VersionView(v.n, v.file_name, v.content_type, v.size, v.sha256, v.changelog, v.material_change, v.created_at)


def asset_view(
    session: Session, actor: Actor, slug: str, n: int | None = None, language: str = DEFAULT_LANGUAGE
) -> AssetView:
    """The asset for its page at /a/<slug> (or pinned at /a/<slug>/v/<n>), for whoever may see it, in its variant
    for a reader of `language` (content/variants.py); locked assets show what they are and from which tier, never
    their files. NotFound otherwise, and for a version that does not exist."""
    asset, access = visible_asset(session, actor, slug)
    shown = shown_variant(session, asset, language)
    if n is not None and not row_number(n):
        raise NotFound("version")
    shown_n = n or asset.current_n
    version = _version(session, asset.id or 0, shown_n) if asset.kind == "file" and access.open else None
    if n is not None and asset.kind == "file" and access.open and version is None:
        raise NotFound("version")
    return AssetView(
        id=asset.id or 0,
        slug=asset.slug,
        title=shown.title,
        description=shown.description,
        category=asset.category,
        tags=asset.tags,
        product=asset.product,
        language=shown.language,
        kind=asset.kind,
        link_url=asset.link_url if access.open else "",
        is_cobrand=asset.is_cobrand,
        languages=shown.languages,
        variant_file=shown.file if access.open and n is None and asset.kind == "file" else None,
        current_n=asset.current_n,
        shown_n=shown_n,
        version=version_view(version) if version else None,
        locked_from_tier=access.locked_from_tier,
        audience=describe(rule_of(asset), audience_names(session)),
        publish_at=asset.publish_at,
        expire_at=asset.expire_at,
    )
