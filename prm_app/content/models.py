"""The content library's tables: assets with immutable versions, co-brand zones and cached renders, and each
person's last visit to the library (for "new since your last visit").

An asset's versions are never changed or deleted: a new upload adds version n+1 and rolling back only moves the
asset's `current_n`, so every `/a/<slug>/v/<n>` link keeps resolving (Mautic deletes the old file on upload)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from prm_app.content.search_index import attach_index
from prm_app.platform.clock import UTCDateTime, utcnow


class Asset(SQLModel, table=True):
    """A piece of content partners may see, by its audience rule (prm_app.audience, stored as JSON) and its
    publish window. `kind` is "file" (versions hold the bytes) or "link" (an outside https address)."""

    __tablename__ = "content_asset"
    # The library's product filter lists the products of the rules a partner sees: read from this index alone.
    __table_args__ = (Index("ix_content_asset_product_audience", "product", "audience"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    title: str = Field(sa_column=Column(String(160), nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    category: str = Field(sa_column=Column(String(30), nullable=False, index=True))  # rules.Category
    tags: str = Field(default="", sa_column=Column(String(400), nullable=False, default=""))  # "a, b, c"
    product: str = Field(default="", sa_column=Column(String(80), nullable=False, default=""))
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False, default="en"))
    folder: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    kind: str = Field(default="file", sa_column=Column(String(10), nullable=False, default="file"))
    link_url: str = Field(default="", sa_column=Column(String(500), nullable=False, default=""))
    audience: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))  # AudienceRule JSON
    publish_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    expire_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The IANA zone the manager entered those two moments in ("Europe/Berlin"); the form shows them there again, so
    # a later edit by anyone keeps them. "UTC" for assets made before moments had a zone (they were UTC days).
    time_zone: str = Field(
        default="UTC", sa_column=Column(String(64), nullable=False, server_default=text("'UTC'"), default="UTC")
    )
    current_n: int = 0  # the version /a/<slug> serves (0: none yet)
    is_cobrand: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    created_by: int | None = Field(default=None, foreign_key="app_user.id")


attach_index(Asset.__table__)  # type: ignore[attr-defined]  # the full-text index comes with the table


class AssetVersion(SQLModel, table=True):
    """One immutable upload of an asset: its file in the content store under a random key."""

    __tablename__ = "content_version"
    __table_args__ = (UniqueConstraint("asset_id", "n"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(
        sa_column=Column(Integer, ForeignKey("content_asset.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    n: int
    file_key: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    file_name: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    content_type: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    size: int = 0
    sha256: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    changelog: str = Field(default="", sa_column=Column(String(500), nullable=False, default=""))
    material_change: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    created_by: int | None = Field(default=None, foreign_key="app_user.id")


class CobrandZone(SQLModel, table=True):
    """A box on a co-brand template's PDF (page from 1, x/y from the bottom-left corner, in PDF points) that the
    partner's download is stamped with: its logo, a profile field, or a short text the partner may edit (unless
    locked, when the manager's text stands)."""

    __tablename__ = "content_cobrand_zone"

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(
        sa_column=Column(Integer, ForeignKey("content_asset.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    page: int = 1
    x: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    y: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    w: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    h: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    kind: str = Field(sa_column=Column(String(20), nullable=False))  # rules.ZoneKind
    binding: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))  # rules.PROFILE_FIELDS
    text: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))  # free text's default
    locked: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))


class CobrandRender(SQLModel, table=True):
    """A stamped PDF kept for reuse: one per (version, partner, hash of what was stamped)."""

    __tablename__ = "content_cobrand_render"
    __table_args__ = (UniqueConstraint("version_id", "organization_id", "profile_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(
        sa_column=Column(Integer, ForeignKey("content_version.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    organization_id: int = Field(foreign_key="organization.id", index=True)
    profile_hash: str = Field(sa_column=Column(String(64), nullable=False))
    file_key: str = Field(sa_column=Column(String(40), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class LibraryVisit(SQLModel, table=True):
    """When a person last opened the library, and the visit before (what "new since your last visit" compares)."""

    __tablename__ = "content_library_visit"

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True))
    previous_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class CampaignKit(SQLModel, table=True):
    """A named bundle of assets for a campaign period (partners see the kit's assets they may see)."""

    __tablename__ = "content_kit"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    starts_on: date = Field(sa_column=Column(Date, nullable=False))
    ends_on: date = Field(sa_column=Column(Date, nullable=False))


class KitAsset(SQLModel, table=True):
    __tablename__ = "content_kit_asset"

    kit_id: int = Field(sa_column=Column(Integer, ForeignKey("content_kit.id", ondelete="CASCADE"), primary_key=True))
    asset_id: int = Field(
        sa_column=Column(Integer, ForeignKey("content_asset.id", ondelete="CASCADE"), primary_key=True)
    )


class AssetVariant(SQLModel, table=True):
    """The asset in another language: its own title, description and, optionally, its own file (without one, the
    asset's current version is offered). The asset's own row is its variant in `Asset.language` (English for every
    asset made before variants); these rows are the others, one per language."""

    __tablename__ = "content_asset_variant"
    __table_args__ = (UniqueConstraint("asset_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(
        sa_column=Column(Integer, ForeignKey("content_asset.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    language: str = Field(sa_column=Column(String(8), nullable=False))
    title: str = Field(sa_column=Column(String(160), nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    file_key: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    file_name: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    content_type: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    size: int = 0
    sha256: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="app_user.id")
