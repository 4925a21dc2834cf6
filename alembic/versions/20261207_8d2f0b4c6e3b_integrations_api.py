"""integrations: API keys and the idempotency records of API POSTs

api_key (only the SHA-256 of the secret, UNIQUE; its creator, its organization for a partner's key, scopes, expiry,
last use, revocation) and api_idempotency (UNIQUE per key and Idempotency-Key). New tables only: the downgrade
drops them.

Revision ID: 8d2f0b4c6e3b
Revises: 5a9c7e1f3b08
Create Date: 2026-12-07 09:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "8d2f0b4c6e3b"
down_revision: str | None = "5a9c7e1f3b08"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("scopes", sa.String(length=400), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_api_key_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["app_user.id"], name=op.f("fk_api_key_revoked_by_id_app_user")),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_api_key_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_key_secret_hash")),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_key_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_key_user_id"), ["user_id"], unique=False)
    op.create_table(
        "api_idempotency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_key.id"], name=op.f("fk_api_idempotency_api_key_id_api_key")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency")),
        sa.UniqueConstraint("api_key_id", "idempotency_key", name=op.f("uq_api_idempotency_api_key_id")),
    )
    with op.batch_alter_table("api_idempotency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_idempotency_api_key_id"), ["api_key_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_idempotency_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("api_idempotency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_idempotency_created_at"))
        batch_op.drop_index(batch_op.f("ix_api_idempotency_api_key_id"))
    op.drop_table("api_idempotency")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_user_id"))
        batch_op.drop_index(batch_op.f("ix_api_key_organization_id"))
    op.drop_table("api_key")
