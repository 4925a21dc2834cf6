"""indexes for dashboard aggregates

Covering indexes for the dashboards' read side (prm_app/domain/metrics_*.py): each dashboard query reads one index
range and never the table rows. Measured on 1M deals / 5M engagement events by bench/dashboards.py.

Revision ID: 67fff7cc2b2f
Revises: 9a8484b0e7d6
Create Date: 2026-11-26 15:08:03.536063
"""

from collections.abc import Sequence

from alembic import op

revision: str = '67fff7cc2b2f'
down_revision: str | None = '9a8484b0e7d6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    # a period's logins in time order (weekly engagement)
    ("ix_engagement_event_kind_at_org", "engagement_event", ["kind", "at", "organization_id"]),
    # each partner's logins and the people behind them (scorecard, active partners, last login)
    ("ix_engagement_event_org_kind_at", "engagement_event", ["organization_id", "kind", "at", "user_id"]),
    # each partner's events of any kind in a period (least engaged)
    ("ix_engagement_event_org_at", "engagement_event", ["organization_id", "at"]),
    # open pipeline, registrations by week, ageing
    ("ix_deal_status_submitted_cover", "deal",
     ["status", "submitted_at", "organization_id", "stage", "currency", "estimated_value", "expected_close"]),
    # each partner's registrations in a period (scorecard)
    ("ix_deal_org_submitted", "deal", ["organization_id", "submitted_at", "status", "currency", "estimated_value"]),
    # won and lost deals in a period (revenue, funnel, scorecard); the id too on PostgreSQL (SQLite has the rowid)
    ("ix_deal_status_closed_cover", "deal",
     ["status", "closed_at", "organization_id", "currency", "final_amount", "estimated_value"], ["id"]),
    # review times by decision date (efficiency)
    ("ix_deal_decided", "deal", ["decided_at", "submitted_at", "organization_id"]),
    # was a deal converted from a lead (sourced vs influenced)
    ("ix_lead_deal_id", "lead", ["deal_id"]),
    # lead response times by acceptance date
    ("ix_lead_accepted", "lead", ["accepted_at", "partner_id", "offered_at"]),
    # lead actions in a period (funnel, acceptances, recycling)
    ("ix_lead_event_action_at", "lead_event", ["action", "at", "partner_id", "lead_id"]),
]


def upgrade() -> None:
    for name, table, columns, *include in INDEXES:
        op.create_index(name, table, columns, postgresql_include=include[0] if include else None)


def downgrade() -> None:
    for name, table, *_columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
