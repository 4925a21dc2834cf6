"""scorm: imported packages and each person's attempt at one

scorm_package: a checked, unpacked SCORM 1.2/2004 zip (its files in a folder named by a random token), its title,
version, SCOs and launch file, and the manifest's mastery/passing/completion thresholds. scorm_attempt: one per
person, package and context ("preview", "lesson:42"), with the whole last-committed CMI, the columns read
elsewhere (statuses, location, suspend data, scores, time), the current launch's token and commit sequence.
New tables only: the downgrade drops them.

Revision ID: 8f2b0d4c6e31
Revises: a1d1e2c3f4b5
Create Date: 2026-12-07 05:08:29.343585
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "8f2b0d4c6e31"
down_revision: str | None = "a1d1e2c3f4b5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scorm_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=8), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=False),
        sa.Column("folder", sa.String(length=32), nullable=False),
        sa.Column("launch_href", sa.String(length=1000), nullable=False),
        sa.Column("scos", sa.JSON(), nullable=False),
        sa.Column("mastery_score", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("scaled_passing_score", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("completion_threshold", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name=op.f("fk_scorm_package_uploaded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorm_package")),
        sa.UniqueConstraint("folder", name=op.f("uq_scorm_package_folder")),
    )
    with op.batch_alter_table("scorm_package", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scorm_package_title"), ["title"], unique=False)

    op.create_table(
        "scorm_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("context", sa.String(length=60), nullable=False),
        sa.Column("launch_token", sa.String(length=64), nullable=False),
        sa.Column("launches", sa.Integer(), nullable=False),
        sa.Column("commit_seq", sa.Integer(), nullable=False),
        sa.Column("entry", sa.String(length=16), nullable=False),
        sa.Column("exit", sa.String(length=16), nullable=False),
        sa.Column("completion_status", sa.String(length=16), nullable=False),
        sa.Column("success_status", sa.String(length=16), nullable=False),
        sa.Column("lesson_status", sa.String(length=16), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("suspend_data", sa.Text(), nullable=False),
        sa.Column("score_raw", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("score_min", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("score_max", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("score_scaled", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("progress_measure", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("prior_seconds", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("total_seconds", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("cmi", sa.JSON(), nullable=False),
        sa.Column("completed_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("passed_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["scorm_package.id"],
            name=op.f("fk_scorm_attempt_package_id_scorm_package"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_scorm_attempt_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorm_attempt")),
        sa.UniqueConstraint("launch_token", name=op.f("uq_scorm_attempt_launch_token")),
        sa.UniqueConstraint("user_id", "package_id", "context", name=op.f("uq_scorm_attempt_user_id")),
    )
    with op.batch_alter_table("scorm_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scorm_attempt_package_id"), ["package_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scorm_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorm_attempt_package_id"))

    op.drop_table("scorm_attempt")
    with op.batch_alter_table("scorm_package", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorm_package_title"))

    op.drop_table("scorm_package")
