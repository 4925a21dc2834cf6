"""audience: named partner groups

partner_group: a named set of partners (key made once from the first name; rules keep the key). partner_group_member:
one row per partner in a group. New tables only: the downgrade drops them.

Revision ID: a1d1e2c3f4b5
Revises: 6c9f32d8e15b
Create Date: 2026-12-07 05:05:09.319244
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "a1d1e2c3f4b5"
down_revision: str | None = "6c9f32d8e15b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_lower", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_partner_group_created_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_group")),
        sa.UniqueConstraint("key", name=op.f("uq_partner_group_key")),
        sa.UniqueConstraint("name_lower", name=op.f("uq_partner_group_name_lower")),
    )
    op.create_table(
        "partner_group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["app_user.id"], name=op.f("fk_partner_group_member_added_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["partner_group.id"], name=op.f("fk_partner_group_member_group_id_partner_group")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_partner_group_member_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("group_id", "organization_id", name=op.f("pk_partner_group_member")),
    )
    with op.batch_alter_table("partner_group_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_group_member_organization_id"), ["organization_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("partner_group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_group_member_organization_id"))

    op.drop_table("partner_group_member")
    op.drop_table("partner_group")
