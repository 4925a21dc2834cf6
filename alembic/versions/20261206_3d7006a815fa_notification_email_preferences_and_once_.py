"""notification email preferences and once keys

Each person chooses which notices they also get by email: notification_preference holds one row per person and
emailable event they chose (no row: the event's default, see notifications/rules.py). Reminders written by periodic
jobs carry a once_key, unique per organization (NULL, and never colliding, for every other notice), so a reminder
and its emails are written once however many job consumers run. Existing notices get no key. An outbox message sent
to a person as a member of an organization (a notice's email) records whom (recipient_user_id, recipient_org_id), so
the sender withdraws it if that person left before it went out; existing messages record nobody.

Revision ID: 3d7006a815fa
Revises: a58870316f58
Create Date: 2026-12-06 19:55:25.279499
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "3d7006a815fa"
down_revision: str | None = "a58870316f58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("updated_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_notification_preference_user_id_app_user")),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preference")),
    )
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recipient_org_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("once_key", sa.String(length=120), nullable=True))
        batch_op.create_index("uq_notification_once", ["organization_id", "once_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("uq_notification_once")
        batch_op.drop_column("once_key")

    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_column("recipient_org_id")
        batch_op.drop_column("recipient_user_id")
    op.drop_table("notification_preference")
