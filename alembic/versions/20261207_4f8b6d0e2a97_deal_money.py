"""deal money: the customer's payments and refunds on a won deal, the partner's credit on a deal, rules by credit

deal_payment (appended: a payment, or a refund with its reason, negative; what the customer paid is the sum),
deal.credit (sourced | influenced, default sourced: every registration so far was the partner's own find),
deal.discount_pct (the tier's discount stored at approval; NULL for deals approved before) and
commission_rule.credit ("" for either credit, so every rule so far keeps paying as before).

Revision ID: 4f8b6d0e2a97
Revises: 6b0d8f2a4c19
Create Date: 2026-12-07 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "4f8b6d0e2a97"
down_revision: str | None = "6b0d8f2a4c19"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deal_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["app_user.id"], name=op.f("fk_deal_payment_actor_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_deal_payment_deal_id_deal")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_payment")),
    )
    with op.batch_alter_table("deal_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_payment_deal_id"), ["deal_id"], unique=False)
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit", sa.String(length=12), server_default="sourced", nullable=False))
        batch_op.add_column(sa.Column("discount_pct", sa.Numeric(precision=5, scale=2), nullable=True))
    with op.batch_alter_table("commission_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit", sa.String(length=12), server_default=sa.text("''"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("commission_rule", schema=None) as batch_op:
        batch_op.drop_column("credit")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("discount_pct")
        batch_op.drop_column("credit")
    with op.batch_alter_table("deal_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_payment_deal_id"))
    op.drop_table("deal_payment")
