"""content library: assets, immutable versions, co-brand zones and renders, library visits, campaign kits

content_asset: one per asset (slug unique; audience rule as JSON; publish window; current_n the version
/a/<slug> serves; deleted_at for the 30-day restore). content_version: immutable uploads, unique (asset, n).
content_cobrand_zone / content_cobrand_render: template zones and cached stamped PDFs, unique per (version,
partner, profile hash). content_library_visit: each person's last two library visits. content_kit(+_asset): kits.
The search index (FTS5 on SQLite, a GIN expression index on PostgreSQL) is made by the app when first needed
(prm_app/content/search.py: the schema check compares models and tables, and neither is a model's); downgrade
drops it. New tables only.

Revision ID: 9a3c1e5d7f42
Revises: 7e1a9c3b5d20
Create Date: 2026-12-07 05:07:08.920067
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "9a3c1e5d7f42"
down_revision: str | None = "7e1a9c3b5d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_kit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_kit")),
        sa.UniqueConstraint("name", name=op.f("uq_content_kit_name")),
    )
    op.create_table(
        "content_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("tags", sa.String(length=400), nullable=False),
        sa.Column("product", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("folder", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("link_url", sa.String(length=500), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("publish_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expire_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("current_n", sa.Integer(), nullable=False),
        sa.Column("is_cobrand", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_content_asset_created_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_asset")),
        sa.UniqueConstraint("slug", name=op.f("uq_content_asset_slug")),
    )
    with op.batch_alter_table("content_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_asset_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_asset_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_asset_publish_at"), ["publish_at"], unique=False)
        batch_op.create_index("ix_content_asset_product_audience", ["product", "audience"], unique=False)

    op.create_table(
        "content_library_visit",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("previous_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_content_library_visit_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_content_library_visit")),
    )
    op.create_table(
        "content_cobrand_zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("w", sa.Float(), nullable=False),
        sa.Column("h", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("binding", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["content_asset.id"],
            name=op.f("fk_content_cobrand_zone_asset_id_content_asset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_cobrand_zone")),
    )
    with op.batch_alter_table("content_cobrand_zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_cobrand_zone_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "content_kit_asset",
        sa.Column("kit_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["content_asset.id"],
            name=op.f("fk_content_kit_asset_asset_id_content_asset"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kit_id"], ["content_kit.id"], name=op.f("fk_content_kit_asset_kit_id_content_kit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("kit_id", "asset_id", name=op.f("pk_content_kit_asset")),
    )
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("changelog", sa.String(length=500), nullable=False),
        sa.Column("material_change", sa.Boolean(), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["content_asset.id"],
            name=op.f("fk_content_version_asset_id_content_asset"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_content_version_created_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
        sa.UniqueConstraint("asset_id", "n", name=op.f("uq_content_version_asset_id")),
    )
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_version_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "content_cobrand_render",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("profile_hash", sa.String(length=64), nullable=False),
        sa.Column("file_key", sa.String(length=40), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_content_cobrand_render_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["content_version.id"],
            name=op.f("fk_content_cobrand_render_version_id_content_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_cobrand_render")),
        sa.UniqueConstraint(
            "version_id", "organization_id", "profile_hash", name=op.f("uq_content_cobrand_render_version_id")
        ),
    )
    with op.batch_alter_table("content_cobrand_render", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_content_cobrand_render_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_content_cobrand_render_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_content_asset_fts")
    else:
        for trigger in ("content_fts_ai", "content_fts_ad", "content_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS content_fts")
    with op.batch_alter_table("content_cobrand_render", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_cobrand_render_version_id"))
        batch_op.drop_index(batch_op.f("ix_content_cobrand_render_organization_id"))

    op.drop_table("content_cobrand_render")
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_version_asset_id"))

    op.drop_table("content_version")
    op.drop_table("content_kit_asset")
    with op.batch_alter_table("content_cobrand_zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_cobrand_zone_asset_id"))

    op.drop_table("content_cobrand_zone")
    op.drop_table("content_library_visit")
    with op.batch_alter_table("content_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_asset_publish_at"))
        batch_op.drop_index("ix_content_asset_product_audience")
        batch_op.drop_index(batch_op.f("ix_content_asset_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_content_asset_category"))

    op.drop_table("content_asset")
    op.drop_table("content_kit")
