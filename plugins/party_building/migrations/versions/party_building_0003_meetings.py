"""party_building: party meetings become core meetings (core_0013_meetings)

Revision ID: party_building_0003_meetings
Revises: party_building_0002_rules
Create Date: 2026-12-05

Every ``party_meeting`` becomes a ``meeting`` of kind
``party_building.<meeting_type>`` held by its organization (``host_type``
PartyOrganization, ``host_id``): topic → title, the agenda text → one agenda
item, minutes, counts, quorate and the reporting instance kept; each
attendance row becomes a ``meeting_attendance`` row of the member's resident
(present / absent with the reason); each resolution a ``meeting_resolution``
with its votes and outcome. The democratic life plans and development cases
pointing at a meeting, and the board approvals citing a resolution
(``notice.decision_key``), are re-pointed at the new rows; then the old
tables go. The downgrade restores the old tables from the core rows of the
party kinds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "party_building_0003_meetings"
down_revision = "party_building_0002_rules"
branch_labels = None
depends_on = "core_0013_meetings"

PREFIX = "party_building."
HOST = "PartyOrganization"
REFERRERS = (
    ("party_democratic_life_plan", "meeting_id"),
    ("party_development_case", "branch_meeting_id"),
)

meta = sa.MetaData()
party_meeting = sa.Table(
    "party_meeting",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("organization_id", sa.Integer),
    sa.Column("org_unit_id", sa.Integer),
    sa.Column("org_path", sa.String),
    sa.Column("meeting_type", sa.String),
    sa.Column("held_on", sa.Date),
    sa.Column("topic", sa.String),
    sa.Column("agenda", sa.Text),
    sa.Column("minutes", sa.Text),
    sa.Column("expected_count", sa.Integer),
    sa.Column("present_count", sa.Integer),
    sa.Column("quorate", sa.Boolean),
    sa.Column("obligation_instance_id", sa.Integer),
    sa.Column("recorded_by_id", sa.Integer),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)
party_attendance = sa.Table(
    "party_meeting_attendance",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("meeting_id", sa.Integer),
    sa.Column("member_id", sa.Integer),
    sa.Column("expected", sa.Boolean),
    sa.Column("present", sa.Boolean),
    sa.Column("absence_reason", sa.String),
)
party_resolution = sa.Table(
    "party_meeting_resolution",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("meeting_id", sa.Integer),
    sa.Column("text", sa.Text),
    sa.Column("votes_for", sa.Integer),
    sa.Column("votes_against", sa.Integer),
    sa.Column("abstentions", sa.Integer),
    sa.Column("adopted", sa.Boolean),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)
party_member = sa.Table(
    "party_member",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("resident_id", sa.Integer),
    sa.Column("organization_id", sa.Integer),
)
resident = sa.Table("resident", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String))
meeting = sa.Table(
    "meeting",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String),
    sa.Column("org_unit_id", sa.Integer),
    sa.Column("org_path", sa.String),
    sa.Column("host_type", sa.String),
    sa.Column("host_id", sa.Integer),
    sa.Column("title", sa.String),
    sa.Column("held_on", sa.Date),
    sa.Column("notice_on", sa.Date),
    sa.Column("minutes", sa.Text),
    sa.Column("expected_count", sa.Integer),
    sa.Column("present_count", sa.Integer),
    sa.Column("quorate", sa.Boolean),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("obligation_instance_id", sa.Integer),
    sa.Column("results_due_on", sa.Date),
    sa.Column("results_notice_id", sa.Integer),
    sa.Column("created_by_id", sa.Integer),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)
agenda_item = sa.Table(
    "meeting_agenda_item",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer),
    sa.Column("position", sa.Integer),
    sa.Column("title", sa.String),
)
attendance = sa.Table(
    "meeting_attendance",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer),
    sa.Column("resident_id", sa.Integer),
    sa.Column("name", sa.String),
    sa.Column("role", sa.String),
    sa.Column("expected", sa.Boolean),
    sa.Column("status", sa.String),
    sa.Column("absence_reason", sa.String),
    sa.Column("proxy_name", sa.String),
    sa.Column("signed_at", sa.DateTime(timezone=True)),
    sa.Column("signed_by_id", sa.Integer),
)
resolution = sa.Table(
    "meeting_resolution",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer),
    sa.Column("text", sa.Text),
    sa.Column("votes_for", sa.Integer),
    sa.Column("votes_against", sa.Integer),
    sa.Column("abstentions", sa.Integer),
    sa.Column("roll_call", sa.Boolean),
    sa.Column("adopted", sa.Boolean),
    sa.Column("created_by_id", sa.Integer),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)
notice = sa.Table(
    "notice",
    meta,
    sa.Column("id", sa.Integer),
    sa.Column("decision_source", sa.String),
    sa.Column("decision_key", sa.String),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _repoint(table: str, column: str, old_target: str, new_target: str, mapping: dict[int, int]) -> None:
    """Move ``table.column`` from ``old_target`` ids to ``new_target`` ids."""
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f"fk_{table}_{column}_{old_target}"), type_="foreignkey")
    bind = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.Integer))
    for row_id, old in bind.execute(sa.select(rows.c.id, rows.c[column]).where(rows.c[column].is_not(None))).all():
        bind.execute(sa.update(rows).where(rows.c.id == row_id).values({column: mapping.get(old)}))
    with op.batch_alter_table(table) as batch:
        batch.create_foreign_key(
            op.f(f"fk_{table}_{column}_{new_target}"), new_target, [column], ["id"], ondelete="SET NULL"
        )


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row one INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def upgrade() -> None:
    bind = op.get_bind()
    meetings: dict[int, int] = {}
    resolutions: dict[int, int] = {}
    for old in bind.execute(sa.select(party_meeting).order_by(party_meeting.c.id)).mappings().all():
        new_id = _inserted_id(
            bind.execute(
                sa.insert(meeting).values(
                    kind=PREFIX + old["meeting_type"],
                    org_unit_id=old["org_unit_id"],
                    org_path=old["org_path"],
                    host_type=HOST,
                    host_id=old["organization_id"],
                    title=old["topic"],
                    held_on=old["held_on"],
                    notice_on=None,
                    minutes=old["minutes"],
                    expected_count=old["expected_count"],
                    present_count=old["present_count"],
                    quorate=old["quorate"],
                    closed_at=None,
                    obligation_instance_id=old["obligation_instance_id"],
                    results_due_on=None,
                    results_notice_id=None,
                    created_by_id=old["recorded_by_id"],
                    created_at=old["created_at"] or _now(),
                )
            )
        )
        meetings[old["id"]] = new_id
        if (old["agenda"] or "").strip():
            bind.execute(sa.insert(agenda_item).values(meeting_id=new_id, position=1, title=old["agenda"]))
    rows = (
        bind.execute(
            sa.select(party_attendance, party_member.c.resident_id, resident.c.name)
            .join(party_member, party_member.c.id == party_attendance.c.member_id)
            .join(resident, resident.c.id == party_member.c.resident_id)
            .order_by(party_attendance.c.meeting_id, party_attendance.c.id)
        )
        .mappings()
        .all()
    )
    seen: set[tuple[int, int]] = set()
    for row in rows:
        key = (meetings[row["meeting_id"]], row["resident_id"])
        if key in seen:
            continue
        seen.add(key)
        bind.execute(
            sa.insert(attendance).values(
                meeting_id=key[0],
                resident_id=row["resident_id"],
                name=(row["name"] or "")[:100],
                role=None,
                expected=row["expected"],
                status="present" if row["present"] else "absent",
                absence_reason=None if row["present"] else row["absence_reason"],
                proxy_name=None,
                signed_at=None,
                signed_by_id=None,
            )
        )
    for old in bind.execute(sa.select(party_resolution).order_by(party_resolution.c.id)).mappings().all():
        resolutions[old["id"]] = _inserted_id(
            bind.execute(
                sa.insert(resolution).values(
                    meeting_id=meetings[old["meeting_id"]],
                    text=old["text"],
                    votes_for=old["votes_for"],
                    votes_against=old["votes_against"],
                    abstentions=old["abstentions"],
                    roll_call=False,
                    adopted=old["adopted"],
                    created_by_id=None,
                    created_at=old["created_at"] or _now(),
                )
            )
        )
    for table, column in REFERRERS:
        _repoint(table, column, "party_meeting", "meeting", meetings)
    for notice_id, key in bind.execute(
        sa.select(notice.c.id, notice.c.decision_key).where(
            notice.c.decision_source == "party_building", notice.c.decision_key.like("resolution:%")
        )
    ).all():
        old_id = int(key.split(":", 1)[1])
        if old_id in resolutions:
            bind.execute(
                sa.update(notice)
                .where(notice.c.id == notice_id)
                .values(decision_key=f"resolution:{resolutions[old_id]}")
            )
    op.drop_table("party_meeting_resolution")
    op.drop_table("party_meeting_attendance")
    op.drop_table("party_meeting")


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def downgrade() -> None:
    op.create_table(
        "party_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("meeting_type", sa.String(length=32), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("expected_count", sa.Integer(), nullable=False),
        sa.Column("present_count", sa.Integer(), nullable=False),
        sa.Column("quorate", sa.Boolean(), nullable=False),
        sa.Column("obligation_instance_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["obligation_instance_id"],
            ["obligation_instance.id"],
            name=op.f("fk_party_meeting_obligation_instance_id_obligation_instance"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_party_meeting_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["party_organization.id"],
            name=op.f("fk_party_meeting_organization_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_party_meeting_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_meeting")),
    )
    op.create_index("ix_party_meeting_org_path_id", "party_meeting", ["org_path", "id"], unique=False)
    op.create_index(
        "ix_party_meeting_organization_id_held_on", "party_meeting", ["organization_id", "held_on"], unique=False
    )
    op.create_table(
        "party_meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Boolean(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("absence_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["party_meeting.id"],
            name=op.f("fk_party_meeting_attendance_meeting_id_party_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["party_member.id"],
            name=op.f("fk_party_meeting_attendance_member_id_party_member"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_meeting_attendance")),
    )
    op.create_index(
        "ix_party_meeting_attendance_meeting_id_member_id",
        "party_meeting_attendance",
        ["meeting_id", "member_id"],
        unique=True,
    )
    op.create_table(
        "party_meeting_resolution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstentions", sa.Integer(), nullable=False),
        sa.Column("adopted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["party_meeting.id"],
            name=op.f("fk_party_meeting_resolution_meeting_id_party_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_meeting_resolution")),
    )
    op.create_index(
        "ix_party_meeting_resolution_meeting_id_id", "party_meeting_resolution", ["meeting_id", "id"], unique=False
    )
    bind = op.get_bind()
    # Same keys back: the core rows of the party kinds keep their ids.
    for row in bind.execute(sa.select(meeting).where(meeting.c.kind.like(PREFIX + "%"))).mappings().all():
        bind.execute(
            sa.insert(party_meeting).values(
                id=row["id"],
                organization_id=row["host_id"],
                org_unit_id=row["org_unit_id"],
                org_path=row["org_path"],
                meeting_type=row["kind"][len(PREFIX) :],
                held_on=row["held_on"],
                topic=row["title"],
                agenda=None,
                minutes=row["minutes"],
                expected_count=row["expected_count"],
                present_count=row["present_count"],
                quorate=row["quorate"],
                obligation_instance_id=row["obligation_instance_id"],
                recorded_by_id=row["created_by_id"],
                created_at=row["created_at"],
            )
        )
    members = {
        (org, rid): mid
        for mid, rid, org in bind.execute(
            sa.select(party_member.c.id, party_member.c.resident_id, party_member.c.organization_id).order_by(
                party_member.c.id
            )
        )
    }
    rows = (
        bind.execute(
            sa.select(attendance, meeting.c.host_id)
            .join(meeting, meeting.c.id == attendance.c.meeting_id)
            .where(meeting.c.kind.like(PREFIX + "%"))
        )
        .mappings()
        .all()
    )
    for row in rows:
        member_id = members.get((row["host_id"], row["resident_id"]))
        if member_id is not None:
            bind.execute(
                sa.insert(party_attendance).values(
                    meeting_id=row["meeting_id"],
                    member_id=member_id,
                    expected=row["expected"],
                    present=row["status"] in ("present", "proxy"),
                    absence_reason=row["absence_reason"],
                )
            )
    rows = (
        bind.execute(
            sa.select(resolution)
            .join(meeting, meeting.c.id == resolution.c.meeting_id)
            .where(meeting.c.kind.like(PREFIX + "%"))
        )
        .mappings()
        .all()
    )
    for row in rows:
        bind.execute(
            sa.insert(party_resolution).values(
                id=row["id"],
                meeting_id=row["meeting_id"],
                text=row["text"],
                votes_for=row["votes_for"],
                votes_against=row["votes_against"],
                abstentions=row["abstentions"],
                adopted=row["adopted"],
                created_at=row["created_at"],
            )
        )
    identity = {r[0]: r[0] for r in bind.execute(sa.select(meeting.c.id).where(meeting.c.kind.like(PREFIX + "%")))}
    for table, column in REFERRERS:
        _repoint(table, column, "meeting", "party_meeting", identity)
    bind.execute(sa.delete(meeting).where(meeting.c.kind.like(PREFIX + "%")))
