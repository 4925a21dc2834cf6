"""notification read state and subjects

Notices become personal to read and can resolve themselves. Each notice may name the record it is about
(subject_kind, subject_id) and carries resolved_at, set when that record was acted on. Who read what is per person:
notification_cursor holds each person's "mark all read" watermark (one row per person), notification_read the
notices read one by one above it. The organization-wide read_at, which nothing ever set, goes. Indexes: an
organization's open notices by id (the unread count on every page), notices by subject (resolving them).
Existing notices keep no subject (subject_kind '') and stay open and unread for everyone.

Revision ID: d6a8f01b5d55
Revises: e71559b746cd
Create Date: 2026-12-06 17:04:34.755061
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "d6a8f01b5d55"
down_revision: str | None = "e71559b746cd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_cursor",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_through_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_notification_cursor_user_id_app_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_cursor")),
    )
    op.create_table(
        "notification_read",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("read_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"], ["notification.id"], name=op.f("fk_notification_read_notification_id_notification")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_notification_read_user_id_app_user")),
        sa.PrimaryKeyConstraint("user_id", "notification_id", name=op.f("pk_notification_read")),
    )
    with op.batch_alter_table("notification_read", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_read_notification_id"), ["notification_id"], unique=False)

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_kind", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_notification_open", ["organization_id", "resolved_at", "id"], unique=False)
        batch_op.create_index(
            "ix_notification_subject", ["subject_kind", "subject_id", "organization_id"], unique=False
        )
        batch_op.drop_column("read_at")
    # The existing notices got '' as their subject; new ones always name theirs (the model has no server default).
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.alter_column("subject_kind", existing_type=sa.String(length=20), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_index("ix_notification_subject")
        batch_op.drop_index("ix_notification_open")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("subject_kind")

    with op.batch_alter_table("notification_read", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_read_notification_id"))

    op.drop_table("notification_read")
    op.drop_table("notification_cursor")
