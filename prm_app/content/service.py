"""The library's use cases for managers: create an asset (a file upload or an outside link), add immutable
versions, roll back, edit details and audience, delete and restore; and the file a person may open, with the view
or download counted as an engagement event. One transaction each (the caller's), audited.

Files are stored before the use case runs (the upload streams into the content store); a use case that refuses
leaves the caller to delete the stored file, so a refused upload keeps nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.audience import AudienceRule, audience_names, rule_from_form
from prm_app.content import links
from prm_app.content.models import Asset, AssetVariant, AssetVersion, CobrandRender
from prm_app.content.rules import AssetInput, check_asset, row_number, slugify
from prm_app.content.visibility import open_asset
from prm_app.identity import my_time_zone
from prm_app.notifications import notify
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.platform.models import EngagementEvent
from prm_app.platform.uploads import StoredFile
from prm_app.platform.zones import DEFAULT_ZONE, is_zone, zone_named

RESTORE_DAYS = 30
VIEWED, DOWNLOADED = "content_viewed", "content_downloaded"
SUBJECT = "content_version"
UPDATED_NOTICE = "content_updated"


@dataclass(frozen=True)
class Created:
    id: int
    slug: str


@dataclass(frozen=True)
class FileToServe:
    key: str
    content_type: str
    name: str
    sha256: str


def _asset(session: Session, actor: Actor, asset_id: int, *, deleted: bool = False) -> Asset:
    actor.require(Permission.MANAGE_CONTENT)
    asset = session.get(Asset, row_number(asset_id))
    if asset is None or (asset.deleted_at is not None) != deleted:
        raise NotFound("asset")
    return asset


def _free_slug(session: Session, title: str) -> str:
    base = slugify(title)
    taken = set(session.exec(select(Asset.slug).where(col(Asset.slug).startswith(base))).all())
    n, slug = 1, base
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(asset: Asset, data: AssetInput, audience: AudienceRule) -> None:
    asset.title, asset.description, asset.category = data.title, data.description, data.category
    asset.tags, asset.product, asset.language, asset.folder = data.tags, data.product, data.language, data.folder
    asset.publish_at = data.publish_at or asset.publish_at or utcnow()
    asset.expire_at, asset.audience = data.expire_at, audience.to_json()


def create_asset(
    session: Session,
    actor: Actor,
    data: AssetInput,
    audience: AudienceRule,
    stored: StoredFile | None = None,
    *,
    sha256: str = "",
    cobrand: bool = False,
) -> Created:
    """A new asset with `stored` as version 1 (or, without a file, an outside link). The slug comes from the
    title and is never reused."""
    actor.require(Permission.MANAGE_CONTENT)
    zone_name = entry_zone(session, actor)
    data = check_asset(data, is_link=stored is None, zone=zone_named(zone_name))
    if stored is None:
        links.check_link_resolves(data.link_url)
    if stored is None and cobrand:
        raise ValidationError("A co-brand template needs a PDF.", "file")
    if cobrand and stored is not None and stored.content_type != "application/pdf":
        raise ValidationError("A co-brand template must be a PDF.", "file")
    for attempt in range(3):
        asset = Asset(
            slug=_free_slug(session, data.title), title="", category="", created_by=actor.user_id, time_zone=zone_name
        )
        _apply(asset, data, audience)
        asset.kind, asset.link_url, asset.is_cobrand = (
            ("file", "", cobrand) if stored else ("link", data.link_url, False)
        )
        try:
            with savepoint(session):
                session.add(asset)
                session.flush()
            break
        except IntegrityError:  # another manager took the slug a moment ago
            if attempt == 2:
                raise
    if stored is not None:
        _add_version(session, actor, asset, stored, sha256, "First version", material=False)
    else:
        asset.current_n = 1  # a link has no files; it is "live" from its publish date
    audit(session, actor, "content.created", "content_asset", asset.id, about=asset.title)
    return Created(saved_id(asset), asset.slug)


def entry_zone(session: Session, actor: Actor) -> str:
    """The zone a new asset's publish and expiry times are read in: the manager's own, UTC when they have none."""
    name = my_time_zone(session, actor)
    return name if is_zone(name) else DEFAULT_ZONE


def check_can_manage(session: Session, actor: Actor) -> None:
    """Refuse anyone who may not manage content (before an upload streams in)."""
    actor.require(Permission.MANAGE_CONTENT)


def read_audience(session: Session, actor: Actor, form: Mapping[str, object]) -> AudienceRule:
    """The audience rule an asset form's editor sends (prm_app.audience's editor); FormInvalid by field."""
    actor.require(Permission.MANAGE_CONTENT)
    return rule_from_form(form, audience_names(session))


def _add_version(
    session: Session, actor: Actor, asset: Asset, stored: StoredFile, sha256: str, changelog: str, material: bool
) -> AssetVersion:
    n = (session.exec(select(func.max(AssetVersion.n)).where(AssetVersion.asset_id == asset.id)).one() or 0) + 1
    version = AssetVersion(
        asset_id=saved_id(asset),
        n=n,
        file_key=stored.key,
        file_name=stored.name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=sha256,
        changelog=changelog.strip()[:500],
        material_change=material,
        created_by=actor.user_id,
    )
    session.add(version)
    asset.current_n = n
    session.add(asset)
    session.flush()
    return version


def add_version(
    session: Session,
    actor: Actor,
    asset_id: int,
    stored: StoredFile,
    *,
    sha256: str = "",
    changelog: str = "",
    material_change: bool = False,
) -> int:
    """Version n+1 of the asset, served at /a/<slug> from now on (older versions stay at /a/<slug>/v/<n>). A
    material change notifies every partner that downloaded an older version. A co-brand template stays a PDF."""
    asset = _asset(session, actor, asset_id)
    if asset.kind != "file":
        raise ValidationError("A link has no file versions.", "file")
    if asset.is_cobrand and stored.content_type != "application/pdf":
        raise ValidationError("A co-brand template must be a PDF.", "file")
    version = _add_version(session, actor, asset, stored, sha256, changelog, material_change)
    if material_change:
        _tell_earlier_downloaders(session, asset, version.n)
    audit(session, actor, "content.version_added", "content_asset", asset.id, about=f"v{version.n}")
    return version.n


def _tell_earlier_downloaders(session: Session, asset: Asset, n: int) -> None:
    older = select(AssetVersion.id).where(AssetVersion.asset_id == asset.id, AssetVersion.n < n)
    orgs = session.exec(
        select(EngagementEvent.organization_id)
        .where(
            EngagementEvent.kind == DOWNLOADED,
            EngagementEvent.subject_type == SUBJECT,
            col(EngagementEvent.subject_id).in_(older),
            col(EngagementEvent.organization_id).is_not(None),
        )
        .distinct()
    ).all()
    for org_id in orgs:
        if org_id is not None:
            notify(
                session,
                org_id,
                UPDATED_NOTICE,
                f"“{asset.title}” has changed materially (version {n}); the copy you downloaded is out of date.",
                f"/a/{asset.slug}",
            )


def roll_back(session: Session, actor: Actor, asset_id: int, n: int) -> None:
    """Serve version `n` at /a/<slug> again; no version is changed or removed."""
    asset = _asset(session, actor, asset_id)
    n = row_number(n)
    if (
        session.exec(select(AssetVersion.id).where(AssetVersion.asset_id == asset.id, AssetVersion.n == n)).first()
        is None
    ):
        raise NotFound("version")
    asset.current_n = n
    session.add(asset)
    audit(session, actor, "content.rolled_back", "content_asset", asset.id, about=f"to v{n}")


def update_asset(session: Session, actor: Actor, asset_id: int, data: AssetInput, audience: AudienceRule) -> None:
    """New details and audience; wall-clock publish and expiry times are read in the asset's own zone (the one its
    form shows them in), whoever edits."""
    asset = _asset(session, actor, asset_id)
    data = check_asset(data, is_link=asset.kind == "link", zone=zone_named(asset.time_zone))
    if asset.kind == "link":
        links.check_link_resolves(data.link_url)
    _apply(asset, data, audience)
    if asset.kind == "link":
        asset.link_url = data.link_url
    session.add(asset)
    session.flush()
    audit(session, actor, "content.updated", "content_asset", asset.id, about=asset.title)


def delete_asset(session: Session, actor: Actor, asset_id: int) -> None:
    """Hide the asset from everyone at once; an admin may restore it for 30 days, after which it is purged."""
    asset = _asset(session, actor, asset_id)
    asset.deleted_at = utcnow()
    session.add(asset)
    audit(session, actor, "content.deleted", "content_asset", asset.id, about=asset.title)


def restore_asset(session: Session, actor: Actor, asset_id: int) -> str:
    actor.require(Permission.RESTORE_CONTENT)
    asset = _asset(session, actor, asset_id, deleted=True)
    asset.deleted_at = None
    session.add(asset)
    audit(session, actor, "content.restored", "content_asset", asset.id, about=asset.title)
    return asset.slug


def purge_deleted(session: Session, actor: Actor) -> list[str]:
    """Remove assets deleted more than 30 days ago; the file keys (versions', variants' and renders') to delete once
    committed (the job does, with storage.forget_files)."""
    actor.require(Permission.RESTORE_CONTENT)
    cutoff = utcnow() - timedelta(days=RESTORE_DAYS)
    gone = session.exec(select(Asset).where(col(Asset.deleted_at).is_not(None), col(Asset.deleted_at) < cutoff)).all()
    keys: list[str] = []
    for asset in gone:
        versions = select(AssetVersion.id).where(AssetVersion.asset_id == asset.id)
        keys += [
            k for k in session.exec(select(AssetVersion.file_key).where(AssetVersion.asset_id == asset.id)).all() if k
        ]  # and its co-branded renders' files (their rows go with the versions, ON DELETE CASCADE)
        keys += session.exec(select(CobrandRender.file_key).where(col(CobrandRender.version_id).in_(versions))).all()
        keys += [k for k in session.exec(select(AssetVariant.file_key).where(AssetVariant.asset_id == asset.id)) if k]
        audit(session, actor, "content.purged", "content_asset", asset.id, about=asset.title)
        session.delete(asset)
    session.flush()
    return keys


def purge_deleted_assets(session: Session) -> list[str]:
    """The nightly job's use case: purge_deleted as the system; the file keys to delete once committed."""
    return purge_deleted(session, Actor.system("Content purge"))


def file_to_serve(session: Session, actor: Actor, slug: str, n: int | None, *, download: bool) -> FileToServe:
    """The file of version `n` (None: the current one) for `actor`; a download is counted for the actor's partner
    (opening the asset's page counts the view: `note_view`). NotFound, the same as for a missing asset, when it is
    not open to them."""
    asset = open_asset(session, actor, slug)
    if n is not None and not row_number(n):
        raise NotFound("asset")
    version = session.exec(
        select(AssetVersion).where(AssetVersion.asset_id == asset.id, AssetVersion.n == (n or asset.current_n))
    ).first()
    if version is None or not version.file_key:
        raise NotFound("asset")
    if actor.is_partner and download:  # a preview's requests (a video's many ranges) are no use: the page counts views
        record_engagement(session, actor, DOWNLOADED, SUBJECT, version.id)
    return FileToServe(version.file_key, version.content_type, version.file_name, version.sha256)


def note_view(session: Session, actor: Actor, slug: str, n: int | None) -> None:
    """Count a partner opening the asset's page (a view of that version)."""
    asset = open_asset(session, actor, slug)
    if n is not None and not row_number(n):
        raise NotFound("asset")
    version_id = session.exec(
        select(AssetVersion.id).where(AssetVersion.asset_id == asset.id, AssetVersion.n == (n or asset.current_n))
    ).first()
    if actor.is_partner and version_id is not None:
        record_engagement(session, actor, VIEWED, SUBJECT, version_id)
