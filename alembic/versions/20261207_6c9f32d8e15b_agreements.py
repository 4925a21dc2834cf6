"""agreements: templates, immutable versions, signatures

agreement_template: the draft a manager edits (markdown with merge fields) and the partner types and regions it
applies to (JSON lists of codes; empty means all). agreement_version: each published text, numbered per template,
with its SHA-256, whether it requires re-acceptance and the grace period. agreement_signature: one per organization
and version (unique), with the evidence (typed name, time, IP, user agent, the exact merged text and its SHA-256).
New tables only: the downgrade drops them.

Revision ID: 6c9f32d8e15b
Revises: 5b8e21c7d04a
Create Date: 2026-12-07 02:00:51.738290
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "6c9f32d8e15b"
down_revision: str | None = "5b8e21c7d04a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "agreement_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("partner_types", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_agreement_template_created_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_template")),
        sa.UniqueConstraint("name", name=op.f("uq_agreement_template_name")),
    )
    op.create_table(
        "agreement_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("requires_acceptance", sa.Boolean(), nullable=False),
        sa.Column("grace_days", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("partner_types", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        _when("published_at"),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["app_user.id"], name=op.f("fk_agreement_version_published_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["agreement_template.id"],
            name=op.f("fk_agreement_version_template_id_agreement_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_version")),
        sa.UniqueConstraint("template_id", "number", name=op.f("uq_agreement_version_template_id")),
    )
    op.create_table(
        "agreement_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("typed_name", sa.String(length=120), nullable=False),
        _when("signed_at"),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=400), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_agreement_signature_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_agreement_signature_user_id_app_user")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_version.id"],
            name=op.f("fk_agreement_signature_version_id_agreement_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_signature")),
        sa.UniqueConstraint("version_id", "organization_id", name=op.f("uq_agreement_signature_version_id")),
    )
    op.create_index(
        op.f("ix_agreement_signature_organization_id"), "agreement_signature", ["organization_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_agreement_signature_organization_id"), table_name="agreement_signature")
    op.drop_table("agreement_signature")
    op.drop_table("agreement_version")
    op.drop_table("agreement_template")
