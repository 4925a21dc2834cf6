"""tier overrides: a program setting for the second approver, both people in the history; notices to one person

tier_program.override_approver: whether a manual override of the program's partners waits for a second manager
(true for every existing program: what overrides did until now). tier_change.asked_by_id: the manager who asked
for an override another approved (the approver stays in by_id). notification: a notice is addressed to a partner
organization or, for the vendor's people (who belong to none), to one person (user_id), so organization_id may be
NULL; an index finds a person's open notices as the organization's are found. No ORM models are read.

Revision ID: f1a2b3c4d516
Revises: e2b3c4d5f617
Create Date: 2026-12-07 15:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1a2b3c4d516"
down_revision: str | None = "e2b3c4d5f617"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tier_program", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_approver", sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table("tier_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asked_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tier_change_asked_by_id_app_user"), "app_user", ["asked_by_id"], ["id"]
        )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.alter_column("organization_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f("fk_notification_user_id_app_user"), "app_user", ["user_id"], ["id"])
        batch_op.create_index("ix_notification_person", ["user_id", "resolved_at", "id"], unique=False)


def downgrade() -> None:
    """The notices addressed to one person go (they have no organization to keep them under)."""
    op.execute(sa.text("DELETE FROM notification_read WHERE notification_id IN "
                       "(SELECT id FROM notification WHERE organization_id IS NULL)"))  # fmt: skip
    op.execute(sa.text("DELETE FROM notification WHERE organization_id IS NULL"))
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_person")
        batch_op.drop_constraint(batch_op.f("fk_notification_user_id_app_user"), type_="foreignkey")
        batch_op.alter_column("organization_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("user_id")
    with op.batch_alter_table("tier_change", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tier_change_asked_by_id_app_user"), type_="foreignkey")
        batch_op.drop_column("asked_by_id")
    with op.batch_alter_table("tier_program", schema=None) as batch_op:
        batch_op.drop_column("override_approver")
