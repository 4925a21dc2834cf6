"""crm: CRM sync with HubSpot and Salesforce (issue #17)

New tables only: the connection per CRM (its token and inbound secret), field maps, a link per synced record
(external id, hashes, per-field times of inbound changes), the sync log (also each run's cursor), the drift the last
reconciliation found, and inbound events unique per (source, event id). No data is read or moved.

Revision ID: c5d6e7f8a920
Revises: b9d1f3a5c7e2
Create Date: 2026-12-07 14:57:40.311899
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "c5d6e7f8a920"
down_revision: str | None = "b9d1f3a5c7e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_inbound_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("occurred_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("crm_field", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("result", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_inbound_event")),
        sa.UniqueConstraint("source", "event_id", name=op.f("uq_crm_inbound_event_source")),
    )
    op.create_table(
        "crm_connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("base_url", sa.String(length=300), nullable=False),
        sa.Column("token", sa.String(length=400), nullable=False),
        sa.Column("inbound_secret", sa.String(length=200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["app_user.id"], name=op.f("fk_crm_connection_updated_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_connection")),
        sa.UniqueConstraint("provider", name=op.f("uq_crm_connection_provider")),
    )
    op.create_table(
        "crm_drift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("object_name", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("crm_field", sa.String(length=100), nullable=False),
        sa.Column("prm_field", sa.String(length=40), nullable=False),
        sa.Column("prm_value", sa.Text(), nullable=False),
        sa.Column("crm_value", sa.Text(), nullable=False),
        sa.Column("found_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["crm_connection.id"], name=op.f("fk_crm_drift_connection_id_crm_connection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_drift")),
        sa.UniqueConstraint(
            "connection_id", "object_name", "entity_id", "crm_field", name=op.f("uq_crm_drift_connection_id")
        ),
    )
    with op.batch_alter_table("crm_drift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crm_drift_connection_id"), ["connection_id"], unique=False)

    op.create_table(
        "crm_field_map",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("object_name", sa.String(length=20), nullable=False),
        sa.Column("crm_field", sa.String(length=100), nullable=False),
        sa.Column("prm_field", sa.String(length=40), nullable=False),
        sa.Column("fixed_value", sa.String(length=200), nullable=False),
        sa.Column("on_create", sa.String(length=10), nullable=False),
        sa.Column("on_update", sa.String(length=10), nullable=False),
        sa.Column("first_sync_only", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["crm_connection.id"], name=op.f("fk_crm_field_map_connection_id_crm_connection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_field_map")),
        sa.UniqueConstraint("connection_id", "object_name", "crm_field", name=op.f("uq_crm_field_map_connection_id")),
    )
    with op.batch_alter_table("crm_field_map", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crm_field_map_connection_id"), ["connection_id"], unique=False)

    op.create_table(
        "crm_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("object_name", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("hash_out", sa.String(length=64), nullable=False),
        sa.Column("hash_in", sa.String(length=64), nullable=False),
        sa.Column("field_times", sa.Text(), nullable=False),
        sa.Column("synced_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["crm_connection.id"], name=op.f("fk_crm_link_connection_id_crm_connection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_link")),
        sa.UniqueConstraint("connection_id", "object_name", "entity_id", name="uq_crm_link_entity"),
        sa.UniqueConstraint("connection_id", "object_name", "external_id", name="uq_crm_link_external"),
    )
    with op.batch_alter_table("crm_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crm_link_connection_id"), ["connection_id"], unique=False)

    op.create_table(
        "crm_sync_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("object_name", sa.String(length=20), nullable=False),
        sa.Column("after_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["crm_connection.id"], name=op.f("fk_crm_sync_log_connection_id_crm_connection")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["job_run.id"], name=op.f("fk_crm_sync_log_run_id_job_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_sync_log")),
    )
    with op.batch_alter_table("crm_sync_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crm_sync_log_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_crm_sync_log_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("crm_sync_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crm_sync_log_run_id"))
        batch_op.drop_index(batch_op.f("ix_crm_sync_log_connection_id"))

    op.drop_table("crm_sync_log")
    with op.batch_alter_table("crm_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crm_link_connection_id"))

    op.drop_table("crm_link")
    with op.batch_alter_table("crm_field_map", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crm_field_map_connection_id"))

    op.drop_table("crm_field_map")
    with op.batch_alter_table("crm_drift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crm_drift_connection_id"))

    op.drop_table("crm_drift")
    op.drop_table("crm_connection")
    op.drop_table("crm_inbound_event")
