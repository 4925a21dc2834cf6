"""onboarding checklists

Checklist templates (onboarding_template, one per partner type and region, "" meaning any; its stages and tasks,
removed with it) and each partner's checklist (onboarding_checklist, at most one per organization: the unique key
makes starting onboarding idempotent), copied from the template with its stages and tasks; join_request, a
colleague asking to join a partner's team (onboarding/join_requests.py). New tables only; the checklists of
existing partners are started by the demo seed or by a manager (onboarding.start_onboarding).

Revision ID: 7da043e9f26c
Revises: 45bae2f9618e
Create Date: 2026-12-07 02:00:49.762725
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "7da043e9f26c"
down_revision: str | None = "45bae2f9618e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "onboarding_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("partner_type", sa.String(length=30), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("updated_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_template")),
        sa.UniqueConstraint("partner_type", "region", name=op.f("uq_onboarding_template_partner_type")),
    )
    op.create_table(
        "onboarding_template_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["onboarding_template.id"],
            name=op.f("fk_onboarding_template_stage_template_id_onboarding_template"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_template_stage")),
    )
    with op.batch_alter_table("onboarding_template_stage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onboarding_template_stage_template_id"), ["template_id"], unique=False)

    op.create_table(
        "onboarding_checklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("template_name", sa.String(length=120), nullable=False),
        sa.Column("started_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_progress_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("first_deal_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("applied_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_onboarding_checklist_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_checklist")),
        sa.UniqueConstraint("organization_id", name=op.f("uq_onboarding_checklist_organization_id")),
    )
    op.create_table(
        "onboarding_template_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("requires_approval", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["onboarding_template_stage.id"],
            name=op.f("fk_onboarding_template_task_stage_id_onboarding_template_stage"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_template_task")),
    )
    with op.batch_alter_table("onboarding_template_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onboarding_template_task_stage_id"), ["stage_id"], unique=False)

    op.create_table(
        "onboarding_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("completed_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["onboarding_checklist.id"],
            name=op.f("fk_onboarding_stage_checklist_id_onboarding_checklist"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_stage")),
    )
    with op.batch_alter_table("onboarding_stage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onboarding_stage_checklist_id"), ["checklist_id"], unique=False)

    op.create_table(
        "onboarding_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("requires_approval", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("document_key", sa.String(length=32), nullable=False),
        sa.Column("document_type", sa.String(length=40), nullable=False),
        sa.Column("document_name", sa.String(length=200), nullable=False),
        sa.Column("updated_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["onboarding_checklist.id"],
            name=op.f("fk_onboarding_task_checklist_id_onboarding_checklist"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_onboarding_task_decided_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["onboarding_stage.id"], name=op.f("fk_onboarding_task_stage_id_onboarding_stage")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_task")),
    )
    with op.batch_alter_table("onboarding_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onboarding_task_checklist_id"), ["checklist_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_onboarding_task_stage_id"), ["stage_id"], unique=False)
    op.create_table(
        "join_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("decided_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_join_request_decided_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_join_request_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_request")),
    )
    op.create_index(op.f("ix_join_request_email"), "join_request", ["email"], unique=False)
    op.create_index(op.f("ix_join_request_organization_id"), "join_request", ["organization_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_join_request_organization_id"), table_name="join_request")
    op.drop_index(op.f("ix_join_request_email"), table_name="join_request")
    op.drop_table("join_request")
    with op.batch_alter_table("onboarding_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onboarding_task_stage_id"))
        batch_op.drop_index(batch_op.f("ix_onboarding_task_checklist_id"))

    op.drop_table("onboarding_task")
    with op.batch_alter_table("onboarding_stage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onboarding_stage_checklist_id"))

    op.drop_table("onboarding_stage")
    with op.batch_alter_table("onboarding_template_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onboarding_template_task_stage_id"))

    op.drop_table("onboarding_template_task")
    op.drop_table("onboarding_checklist")
    with op.batch_alter_table("onboarding_template_stage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onboarding_template_stage_template_id"))

    op.drop_table("onboarding_template_stage")
    op.drop_table("onboarding_template")
