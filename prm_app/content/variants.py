"""An asset in several languages: the channel team adds, edits and removes its variants (a language, a title, a
description and optionally a file of its own); a reader gets the variant in their language, else the English one,
else the asset's own (platform/variants.py's rule), and may switch to any other the asset has.

Downloads and views stay counted per asset (on its current version), whichever language was read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from prm_app.content.models import Asset, AssetVariant, AssetVersion
from prm_app.content.rules import row_number
from prm_app.content.service import DOWNLOADED, SUBJECT, FileToServe, _asset
from prm_app.content.visibility import open_asset
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.i18n import DEFAULT_LANGUAGE
from prm_app.platform.uploads import StoredFile
from prm_app.platform.variants import VariantText, check_variant, variant_language


@dataclass(frozen=True)
class VariantLine:
    language: str
    title: str
    description: str
    file_name: str  # "" when the variant offers the asset's own file
    size: int
    content_type: str


@dataclass(frozen=True)
class AssetVariants:
    asset_id: int
    slug: str
    title: str
    own_language: str
    variants: tuple[VariantLine, ...]

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.own_language, *(v.language for v in self.variants))


def _lines(rows: Iterable[AssetVariant]) -> tuple[VariantLine, ...]:
    return tuple(VariantLine(v.language, v.title, v.description, v.file_name, v.size, v.content_type) for v in rows)


def asset_variants(session: Session, actor: Actor, asset_id: int) -> AssetVariants:
    """The asset's languages for the channel team (a deleted asset's too): its own, then each variant's words and
    file."""
    actor.require(Permission.MANAGE_CONTENT)
    asset = session.get(Asset, row_number(asset_id))
    if asset is None:
        raise NotFound("asset")
    rows = session.exec(
        select(AssetVariant).where(AssetVariant.asset_id == asset.id).order_by(col(AssetVariant.language))
    ).all()
    return AssetVariants(asset.id or 0, asset.slug, asset.title, asset.language, _lines(rows))


def save_asset_variant(
    session: Session, actor: Actor, asset_id: int, data: VariantText, stored: StoredFile | None = None, sha256: str = ""
) -> str | None:
    """Add the asset's variant in `data.language`, or change it when it has one (one per language). A new file
    replaces the variant's file; without one the variant keeps its file (or offers the asset's). Returns the key of
    the file replaced, to delete once committed. FormInvalid by field."""
    asset = _asset(session, actor, asset_id)
    clean = check_variant(data, asset.language)
    if stored is not None and asset.kind != "file":
        raise FormInvalid({"file": "A link has no file: discard the file, or save without one."})
    row = session.exec(
        select(AssetVariant).where(AssetVariant.asset_id == asset.id, AssetVariant.language == clean.language)
    ).first()
    added = row is None
    row = row or AssetVariant(asset_id=asset.id or 0, language=clean.language, title=clean.title)
    row.title, row.description, row.updated_at, row.updated_by = clean.title, clean.description, utcnow(), actor.user_id
    replaced = None
    if stored is not None:
        replaced = row.file_key or None
        row.file_key, row.file_name, row.content_type = stored.key, stored.name, stored.content_type
        row.size, row.sha256 = stored.size, sha256
    session.add(row)
    session.flush()
    action = "content.variant_added" if added else "content.variant_changed"
    audit(session, actor, action, "content_asset", asset.id, language=clean.language)
    return replaced


def remove_asset_variant(session: Session, actor: Actor, asset_id: int, language: str) -> str | None:
    """Remove the asset's variant in `language` (readers of that language get the fallback from now on). Returns
    its file's key, to delete once committed. NotFound when it has none."""
    asset = _asset(session, actor, asset_id)
    row = session.exec(
        select(AssetVariant).where(AssetVariant.asset_id == asset.id, AssetVariant.language == language[:8])
    ).first()
    if row is None:
        raise NotFound("language version")
    session.delete(row)
    audit(session, actor, "content.variant_removed", "content_asset", asset.id, language=row.language)
    return row.file_key or None


@dataclass(frozen=True)
class VariantFile:
    """A variant's own file (served at /_files/content/<slug>/lang/<code>)."""

    file_name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Shown:
    """The words a reader gets of one asset: in `language`, one of `languages` (the asset's, own first)."""

    language: str
    languages: tuple[str, ...]
    title: str
    description: str
    file: VariantFile | None  # None: the asset's own file is offered


def shown_variant(session: Session, asset: Asset, wanted: str) -> Shown:
    """The variant of `asset` a reader in `wanted` gets (the fallback rule), with every language it has."""
    rows = session.exec(select(AssetVariant).where(AssetVariant.asset_id == asset.id)).all()
    by_language = {v.language: v for v in rows}
    languages = (asset.language, *sorted(by_language))
    chosen = variant_language(wanted, languages, asset.language)
    v = by_language.get(chosen)
    if v is None:
        return Shown(asset.language, languages, asset.title, asset.description, None)
    own_file = VariantFile(v.file_name, v.content_type, v.size) if v.file_key else None
    return Shown(chosen, languages, v.title, v.description, own_file)


def titles_in(session: Session, assets: list[Asset], wanted: str) -> dict[int, tuple[str, str]]:
    """(title, description) each of `assets` shows a reader in `wanted` (a page of cards: one query, of the only
    variants the fallback rule can pick: `wanted`'s, English's and an asset's own language's)."""
    ids = [a.id for a in assets]
    pickable = {wanted, DEFAULT_LANGUAGE, *(a.language for a in assets)}
    rows = (
        session.exec(
            select(AssetVariant).where(col(AssetVariant.asset_id).in_(ids), col(AssetVariant.language).in_(pickable))
        ).all()
        if ids
        else []
    )
    by_asset: dict[int, dict[str, AssetVariant]] = {}
    for v in rows:
        by_asset.setdefault(v.asset_id, {})[v.language] = v
    shown = {}
    for a in assets:
        mine = by_asset.get(a.id or 0, {})
        chosen = variant_language(wanted, {a.language, *mine}, a.language)
        v = mine.get(chosen)
        shown[a.id or 0] = (v.title, v.description) if v else (a.title, a.description)
    return shown


def variant_file(session: Session, actor: Actor, slug: str, language: str, *, download: bool) -> FileToServe:
    """The file of the asset's variant in `language` for whoever may open the asset; a download counts for the
    asset (its current version), like any other. NotFound when the variant has no file of its own."""
    asset = open_asset(session, actor, slug)
    row = session.exec(
        select(AssetVariant).where(AssetVariant.asset_id == asset.id, AssetVariant.language == language[:8])
    ).first()
    if row is None or not row.file_key:
        raise NotFound("asset")
    if actor.is_partner and download:
        version_id = session.exec(
            select(AssetVersion.id).where(
                AssetVersion.asset_id == asset.id, AssetVersion.n == row_number(asset.current_n)
            )
        ).first()
        record_engagement(session, actor, DOWNLOADED, SUBJECT, version_id)
    return FileToServe(row.file_key, row.content_type, row.file_name, row.sha256)
