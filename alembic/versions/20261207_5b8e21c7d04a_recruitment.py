"""recruitment: programs and their forms, applications, score adjustments, criteria, funnel events

Five new tables for issue #12's public application and review (prm_app/recruitment). An application's
organization_id is UNIQUE: one approval provisions at most one partner. Funnel events are UNIQUE per (visit, stage),
so a retried step counts once. New tables with no rows: nothing to backfill.

Revision ID: 5b8e21c7d04a
Revises: 7da043e9f26c
Create Date: 2026-12-07 01:59:42.370067
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "5b8e21c7d04a"
down_revision: str | None = "7da043e9f26c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recruitment_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=30), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("settings", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_criterion")),
        sa.UniqueConstraint("key", name=op.f("uq_recruitment_criterion_key")),
    )
    op.create_table(
        "recruitment_program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("partner_type", sa.String(length=30), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_program")),
        sa.UniqueConstraint("slug", name=op.f("uq_recruitment_program_slug")),
    )
    op.create_table(
        "recruitment_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("domain", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("partner_type", sa.String(length=30), nullable=False),
        sa.Column("verticals", sa.String(length=300), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.Column("revenue_band", sa.String(length=20), nullable=False),
        sa.Column("vendors", sa.Text(), nullable=False),
        sa.Column("customer_count", sa.Integer(), nullable=False),
        sa.Column("certified_staff", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("contact_title", sa.String(length=120), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("reject_reason", sa.String(length=20), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("edit_token_hash", sa.String(length=64), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_recruitment_application_decided_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_recruitment_application_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["recruitment_program.id"],
            name=op.f("fk_recruitment_application_program_id_recruitment_program"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["app_user.id"], name=op.f("fk_recruitment_application_reviewer_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_application")),
        sa.UniqueConstraint("edit_token_hash", name=op.f("uq_recruitment_application_edit_token_hash")),
        sa.UniqueConstraint("organization_id", name=op.f("uq_recruitment_application_organization_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_recruitment_application_reference")),
    )
    with op.batch_alter_table("recruitment_application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitment_application_contact_email"), ["contact_email"], unique=False)
        batch_op.create_index(batch_op.f("ix_recruitment_application_domain"), ["domain"], unique=False)
        batch_op.create_index(batch_op.f("ix_recruitment_application_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recruitment_application_reviewer_id"), ["reviewer_id"], unique=False)
        batch_op.create_index("ix_recruitment_application_status_submitted", ["status", "submitted_at"], unique=False)

    op.create_table(
        "recruitment_funnel_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["recruitment_application.id"],
            name=op.f("fk_recruitment_funnel_event_application_id_recruitment_application"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_recruitment_funnel_event_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["recruitment_program.id"],
            name=op.f("fk_recruitment_funnel_event_program_id_recruitment_program"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_funnel_event")),
        sa.UniqueConstraint("visit", "stage", name=op.f("uq_recruitment_funnel_event_visit")),
    )
    with op.batch_alter_table("recruitment_funnel_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_funnel_event_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recruitment_funnel_event_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index("ix_recruitment_funnel_event_stage_at", ["stage", "at"], unique=False)

    op.create_table(
        "recruitment_score_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=30), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["recruitment_application.id"],
            name=op.f("fk_recruitment_score_adjustment_application_id_recruitment_application"),
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["app_user.id"], name=op.f("fk_recruitment_score_adjustment_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_score_adjustment")),
    )
    with op.batch_alter_table("recruitment_score_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_score_adjustment_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("recruitment_score_adjustment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_score_adjustment_application_id"))

    op.drop_table("recruitment_score_adjustment")
    with op.batch_alter_table("recruitment_funnel_event", schema=None) as batch_op:
        batch_op.drop_index("ix_recruitment_funnel_event_stage_at")
        batch_op.drop_index(batch_op.f("ix_recruitment_funnel_event_organization_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_funnel_event_application_id"))

    op.drop_table("recruitment_funnel_event")
    with op.batch_alter_table("recruitment_application", schema=None) as batch_op:
        batch_op.drop_index("ix_recruitment_application_status_submitted")
        batch_op.drop_index(batch_op.f("ix_recruitment_application_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_application_program_id"))
        batch_op.drop_index(batch_op.f("ix_recruitment_application_domain"))
        batch_op.drop_index(batch_op.f("ix_recruitment_application_contact_email"))

    op.drop_table("recruitment_application")
    op.drop_table("recruitment_program")
    op.drop_table("recruitment_criterion")
