"""MDF proof per checklist item, activity results and linked deals; SPIFF claims with evidence

claim_proof (one file per request and checklist item: UNIQUE), fund_result (one per request), fund_request_deal
(UNIQUE request and deal), spiff_evidence_rule (a SPIFF paid on claims), spiff_claim (UNIQUE SPIFF and deal). New
tables only: the downgrade drops them.

Revision ID: 5a9c7e1f3b08
Revises: 1c5e3a7b9d64
Create Date: 2026-12-07 08:36:56.457157
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "5a9c7e1f3b08"
down_revision: str | None = "1c5e3a7b9d64"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "spiff_evidence_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["incentive_program.id"], name=op.f("fk_spiff_evidence_rule_program_id_incentive_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spiff_evidence_rule")),
        sa.UniqueConstraint("program_id", name=op.f("uq_spiff_evidence_rule_program_id")),
    )
    op.create_table(
        "claim_proof",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=30), nullable=False),
        sa.Column("file_key", sa.String(length=32), nullable=False),
        sa.Column("file_type", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_claim_proof_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["fund_request.id"], name=op.f("fk_claim_proof_request_id_fund_request")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name=op.f("fk_claim_proof_uploaded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_proof")),
        sa.UniqueConstraint("request_id", "item", name="uq_claim_proof_request_item"),
    )
    with op.batch_alter_table("claim_proof", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_proof_file_sha256"), ["file_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_proof_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_proof_request_id"), ["request_id"], unique=False)

    op.create_table(
        "fund_request_deal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=True),
        sa.Column("linked_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_fund_request_deal_deal_id_deal")),
        sa.ForeignKeyConstraint(
            ["linked_by_id"], ["app_user.id"], name=op.f("fk_fund_request_deal_linked_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_fund_request_deal_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["fund_request.id"], name=op.f("fk_fund_request_deal_request_id_fund_request")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_request_deal")),
        sa.UniqueConstraint("request_id", "deal_id", name="uq_fund_request_deal_request_deal"),
    )
    with op.batch_alter_table("fund_request_deal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_request_deal_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_request_deal_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_request_deal_request_id"), ["request_id"], unique=False)

    op.create_table(
        "fund_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("opportunities", sa.Integer(), nullable=False),
        sa.Column("pipeline", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("won_revenue", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_fund_result_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["app_user.id"], name=op.f("fk_fund_result_reported_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["fund_request.id"], name=op.f("fk_fund_result_request_id_fund_request")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_result")),
        sa.UniqueConstraint("request_id", name=op.f("uq_fund_result_request_id")),
    )
    with op.batch_alter_table("fund_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_result_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "spiff_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("payee_id", sa.Integer(), nullable=False),
        sa.Column("claimed_by_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), server_default=sa.text("('')"), nullable=False),
        sa.Column("file_key", sa.String(length=32), nullable=False),
        sa.Column("file_type", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["claimed_by_id"], ["app_user.id"], name=op.f("fk_spiff_claim_claimed_by_id_app_user")),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_spiff_claim_deal_id_deal")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["app_user.id"], name=op.f("fk_spiff_claim_decided_by_id_app_user")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_spiff_claim_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(["payee_id"], ["payee_profile.id"], name=op.f("fk_spiff_claim_payee_id_payee_profile")),
        sa.ForeignKeyConstraint(
            ["program_id"], ["incentive_program.id"], name=op.f("fk_spiff_claim_program_id_incentive_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spiff_claim")),
        sa.UniqueConstraint("program_id", "deal_id", name="uq_spiff_claim_program_deal"),
    )
    with op.batch_alter_table("spiff_claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spiff_claim_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spiff_claim_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spiff_claim_payee_id"), ["payee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spiff_claim_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spiff_claim_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("spiff_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spiff_claim_status"))
        batch_op.drop_index(batch_op.f("ix_spiff_claim_program_id"))
        batch_op.drop_index(batch_op.f("ix_spiff_claim_payee_id"))
        batch_op.drop_index(batch_op.f("ix_spiff_claim_organization_id"))
        batch_op.drop_index(batch_op.f("ix_spiff_claim_deal_id"))

    op.drop_table("spiff_claim")
    with op.batch_alter_table("fund_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fund_result_organization_id"))

    op.drop_table("fund_result")
    with op.batch_alter_table("fund_request_deal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fund_request_deal_request_id"))
        batch_op.drop_index(batch_op.f("ix_fund_request_deal_organization_id"))
        batch_op.drop_index(batch_op.f("ix_fund_request_deal_deal_id"))

    op.drop_table("fund_request_deal")
    with op.batch_alter_table("claim_proof", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_proof_request_id"))
        batch_op.drop_index(batch_op.f("ix_claim_proof_organization_id"))
        batch_op.drop_index(batch_op.f("ix_claim_proof_file_sha256"))

    op.drop_table("claim_proof")
    op.drop_table("spiff_evidence_rule")
