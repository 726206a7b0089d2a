"""mediation: indexes for the monthly statistics

Revision ID: mediation_0003_statistics
Revises: mediation_0002_rules
Create Date: 2026-12-05

The 统计表 of a district counts, for one month, cases registered, resolved,
escalated, pending at month end and followed up. Each count reads an index
that holds every column it needs, month first (the cases pending at month
end: those still open, then those resolved after it), so a district's month
reads a few thousand index entries instead of its whole history of cases.
"""

from __future__ import annotations

from alembic import op

revision = "mediation_0003_statistics"
down_revision = "mediation_0002_rules"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_dispute_case_registered_on_origin", "dispute_case", ["registered_on", "origin_unit_id", "category"]),
    ("ix_dispute_case_resolved_on_unit", "dispute_case", ["resolved_on", "resolved_unit_id", "outcome"]),
    ("ix_dispute_case_open", "dispute_case", ["resolved_on", "org_path", "registered_on"]),
    ("ix_dispute_case_id_org_path", "dispute_case", ["id", "org_path"]),
    ("ix_dispute_case_transition_at", "dispute_case_transition", ["at", "action"]),
    ("ix_dispute_follow_up_visited_on", "dispute_follow_up", ["visited_on", "case_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
