"""content assets and courses in several languages (issue #18)

An asset's own row stays its variant in `content_asset.language` (English for every asset so far);
`content_asset_variant` holds its other languages (title, description, optionally a file of its own), one per
language. A course gets `training_course.language` (existing courses: "en", they become their English variant);
`training_course_variant` and `training_lesson_variant` hold a course's and its lessons' words in other languages.

Revision ID: b8c9d0e1f2a3
Revises: d0e1f2a3b4c5
Create Date: 2026-12-07 22:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from prm_app.platform.clock import UTCDateTime

revision: str = "b8c9d0e1f2a3"
down_revision: str | None = "d0e1f2a3b4c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a server default (no batch-mode rebuild of training_course); existing courses are "en".
    op.add_column(
        "training_course", sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
    )
    op.create_table(
        "content_asset_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("file_key", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["asset_id"], ["content_asset.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("asset_id", "language"),
    )
    op.create_index("ix_content_asset_variant_asset_id", "content_asset_variant", ["asset_id"])
    op.create_table(
        "training_course_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["training_course.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("course_id", "language"),
    )
    op.create_index("ix_training_course_variant_course_id", "training_course_variant", ["course_id"])
    op.create_table(
        "training_lesson_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["lesson_id"], ["training_lesson.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["course_id"], ["training_course.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lesson_id", "language"),
    )
    op.create_index("ix_training_lesson_variant_lesson_id", "training_lesson_variant", ["lesson_id"])
    op.create_index("ix_training_lesson_variant_course_id", "training_lesson_variant", ["course_id"])


def downgrade() -> None:
    op.drop_table("training_lesson_variant")
    op.drop_table("training_course_variant")
    op.drop_table("content_asset_variant")
    op.execute("ALTER TABLE training_course DROP COLUMN language")  # SQLite >= 3.35 and PostgreSQL alike
