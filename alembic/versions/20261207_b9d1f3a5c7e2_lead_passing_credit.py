"""a lead a distributor passed to its reseller; the distributor's credit share

lead.passed_by_id: the distributor (or master agent) that accepted the lead and passed it to one of its resellers;
None for every other lead. While it is set, a decline or a lapsed offer gives the lead back to that distributor
rather than routing it to another partner. Existing leads get None (none was ever passed).

deal_program_setting.distributor_credit_pct: the share of a registration's value credited to the distributor that
fulfils it (deals.rules.role_credits); 100 for the existing row, as the dashboards counted it until now.

Revision ID: b9d1f3a5c7e2
Revises: a3c5e7f9b1d2
Create Date: 2026-12-07 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b9d1f3a5c7e2"
down_revision: str | None = "a3c5e7f9b1d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deal_program_setting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "distributor_credit_pct",
                sa.Numeric(precision=5, scale=2, asdecimal=True),
                server_default="100",
                nullable=False,
            )
        )
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.add_column(sa.Column("passed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_lead_passed_by_id_organization"), "organization", ["passed_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_lead_passed_by_id_organization"), type_="foreignkey")
        batch_op.drop_column("passed_by_id")
    with op.batch_alter_table("deal_program_setting", schema=None) as batch_op:
        batch_op.drop_column("distributor_credit_pct")
