"""fx and incentives: the corporate currency as an admin's setting (corporate_currency: each setting a row, the
latest in force; none means USD, as before), and a partner's payout currency (partner_payout_currency: its earnings
are converted into it when they post). No data moves: existing locks and ledger lines keep their currencies.

Revision ID: e2b3c4d5f617
Revises: c5d6e7f8a920
Create Date: 2026-12-07 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "e2b3c4d5f617"
down_revision: str | None = "c5d6e7f8a920"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "corporate_currency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["set_by_id"], ["app_user.id"], name=op.f("fk_corporate_currency_set_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corporate_currency")),
    )
    op.create_table(
        "partner_payout_currency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_partner_payout_currency_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["app_user.id"], name=op.f("fk_partner_payout_currency_set_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_payout_currency")),
        sa.UniqueConstraint("organization_id", name=op.f("uq_partner_payout_currency_organization_id")),
    )


def downgrade() -> None:
    op.drop_table("partner_payout_currency")
    op.drop_table("corporate_currency")
