"""party_building: quorum fixed per meeting, committee posts in core, the procedure for unqualified members

Revision ID: party_building_0002_rules
Revises: party_building_0001
Create Date: 2026-12-05

``party_meeting.quorate``: whether the meeting met its kind's quorum rule
(policy per meeting kind; only the committee meeting has one in the seeds),
fixed when recorded. Existing rows are read with the seeds' rules: a
committee meeting with at least half of those due, every other kind.
``party_organization.body_id`` and ``party_member.post_assignment_id``: the
committee's posts are recorded in core's posts. ``party_appraisal``: the
dates of the steps 限期改正 → 劝退 → 除名.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "party_building_0002_rules"
down_revision = "party_building_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("party_meeting") as batch:
        batch.add_column(sa.Column("quorate", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute(
        "UPDATE party_meeting SET quorate = (present_count * 2 >= expected_count AND expected_count > 0) "
        "WHERE meeting_type = 'committee_meeting'"
    )
    with op.batch_alter_table("party_meeting") as batch:
        batch.alter_column("quorate", server_default=None)
    with op.batch_alter_table("party_organization") as batch:
        batch.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_party_organization_body_id_body"), "body", ["body_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("party_member") as batch:
        batch.add_column(sa.Column("post_assignment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_party_member_post_assignment_id_post_assignment"),
            "post_assignment",
            ["post_assignment_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("party_appraisal") as batch:
        batch.add_column(sa.Column("correction_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("corrected_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("persuaded_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("removed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("party_appraisal") as batch:
        batch.drop_column("removed_on")
        batch.drop_column("persuaded_on")
        batch.drop_column("corrected_on")
        batch.drop_column("correction_until")
    with op.batch_alter_table("party_member") as batch:
        batch.drop_constraint(op.f("fk_party_member_post_assignment_id_post_assignment"), type_="foreignkey")
        batch.drop_column("post_assignment_id")
    with op.batch_alter_table("party_organization") as batch:
        batch.drop_constraint(op.f("fk_party_organization_body_id_body"), type_="foreignkey")
        batch.drop_column("body_id")
    with op.batch_alter_table("party_meeting") as batch:
        batch.drop_column("quorate")
