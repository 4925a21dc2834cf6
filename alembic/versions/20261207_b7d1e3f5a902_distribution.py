"""distribution: partner relations, and the distributor a deal names

partner_relation: effective-dated distributor/master agent above a partner; today's organization.parent_id rows are
copied into it (kind distributor, from the day the partner joined, open-ended); parent_id stays (partners.relations
keeps it the first current distributor). deal: the distributor that fulfils it, "do not share" with it, the
distributor that registered it on a reseller's behalf, when the distributor was told. deal_program_setting: the
program's "distributor required" switch. The downgrade drops the new tables and columns (parent_id is untouched).

Revision ID: b7d1e3f5a902
Revises: c4e6a8b0d213
Create Date: 2026-12-07 11:42:21.693692
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "b7d1e3f5a902"
down_revision: str | None = "c4e6a8b0d213"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["organization.id"], name=op.f("fk_partner_relation_child_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["organization.id"], name=op.f("fk_partner_relation_parent_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_relation")),
    )
    with op.batch_alter_table("partner_relation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_relation_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_partner_relation_parent_id"), ["parent_id"], unique=False)
    _copy_parents()

    op.create_table(
        "deal_program_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distributor_required", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("updated_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["app_user.id"], name=op.f("fk_deal_program_setting_updated_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_program_setting")),
    )
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("distributor_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("distributor_hidden", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("registered_by_org_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("distributor_notified_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_deal_distributor_id"), ["distributor_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_deal_distributor_id_organization"), "organization", ["distributor_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deal_registered_by_org_id_organization"), "organization", ["registered_by_org_id"], ["id"]
        )


def _copy_parents() -> None:
    """Each organization.parent_id becomes a distributor relation from the day the partner joined. Read and written
    in Python: the joined day of a stored time is spelled differently by SQLite and PostgreSQL."""
    connection = op.get_bind()
    org = sa.table("organization", sa.column("id", sa.Integer), sa.column("parent_id", sa.Integer),
                   sa.column("joined_at", prm_app.platform.clock.UTCDateTime()))  # fmt: skip
    rows = connection.execute(sa.select(org.c.id, org.c.parent_id, org.c.joined_at).where(org.c.parent_id.is_not(None)))
    relation = sa.table(
        "partner_relation", sa.column("parent_id", sa.Integer), sa.column("child_id", sa.Integer),
        sa.column("kind", sa.String), sa.column("valid_from", sa.Date),
        sa.column("created_at", prm_app.platform.clock.UTCDateTime()),
    )  # fmt: skip
    values = [
        {
            "parent_id": parent,
            "child_id": child,
            "kind": "distributor",
            "valid_from": joined.date(),
            "created_at": joined,
        }
        for child, parent, joined in rows
    ]
    if values:
        op.bulk_insert(relation, values)


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_deal_registered_by_org_id_organization"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_deal_distributor_id_organization"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_deal_distributor_id"))
        batch_op.drop_column("distributor_notified_at")
        batch_op.drop_column("registered_by_org_id")
        batch_op.drop_column("distributor_hidden")
        batch_op.drop_column("distributor_id")

    op.drop_table("deal_program_setting")
    with op.batch_alter_table("partner_relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_relation_parent_id"))
        batch_op.drop_index(batch_op.f("ix_partner_relation_child_id"))

    op.drop_table("partner_relation")
