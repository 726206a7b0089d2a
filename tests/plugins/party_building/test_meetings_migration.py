"""``party_building_0003_meetings`` on a database that recorded party
meetings the old way: every meeting, attendance row and resolution becomes a
core meeting of the party kind, and what pointed at them follows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import Connection, inspect, text

from core.app import build_deployment
from core.migrate import alembic_config, migration_connection, upgrade
from tests.conftest import DatabaseFactory, make_settings

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _insert(connection: Connection, table: str, **values: object) -> None:
    columns = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)


def test_old_meetings_become_core_meetings(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = build_deployment(make_settings(database_factory.create(backend), plugins=("party_building",)))
    try:
        with migration_connection(deployment) as connection:
            command.upgrade(alembic_config(deployment, connection), "party_building_0002_rules")
        with deployment.engine.begin() as c:
            _insert(c, "org_unit", id=1, level="city", name="青岛市", path="/1/", depth=0, created_at=NOW)
            _insert(
                c,
                "org_unit",
                id=2,
                level="community",
                name="团岛社区",
                parent_id=1,
                path="/1/2/",
                depth=1,
                created_at=NOW,
            )
            for rid, name in ((11, "张书记"), (12, "李委员"), (13, "王委员"), (14, "赵党员")):
                _insert(
                    c,
                    "resident",
                    id=rid,
                    name=name,
                    residence_type="registered",
                    org_unit_id=2,
                    org_path="/1/2/",
                    created_at=NOW,
                    updated_at=NOW,
                )
            _insert(
                c,
                "party_organization",
                id=5,
                party_path="/5/",
                depth=0,
                name="团岛社区党支部",
                org_type="branch",
                org_unit_id=2,
                org_path="/1/2/",
                has_groups=False,
                created_at=NOW,
            )
            for mid, rid, role in (
                (21, 11, "secretary"),
                (22, 12, "committee_member"),
                (23, 13, "committee_member"),
                (24, 14, None),
            ):
                _insert(
                    c,
                    "party_member",
                    id=mid,
                    resident_id=rid,
                    organization_id=5,
                    org_unit_id=2,
                    org_path="/1/2/",
                    status="full",
                    joined_on=date(2010, 7, 1),
                    committee_role=role,
                    flowing=False,
                    seat_only=False,
                    created_at=NOW,
                )
            _insert(
                c,
                "party_meeting",
                id=40,
                organization_id=5,
                org_unit_id=2,
                org_path="/1/2/",
                meeting_type="committee_meeting",
                held_on=date(2026, 2, 10),
                topic="研究公开事项",
                agenda="一、研究二月公开事项",
                minutes="书记主持。",
                expected_count=3,
                present_count=2,
                quorate=True,
                created_at=NOW,
            )
            _insert(
                c,
                "party_meeting",
                id=41,
                organization_id=5,
                org_unit_id=2,
                org_path="/1/2/",
                meeting_type="members_meeting",
                held_on=date(2026, 3, 1),
                topic="第一季度党员大会",
                expected_count=4,
                present_count=1,
                quorate=True,
                created_at=NOW,
            )
            for aid, meeting, member, expected, present, reason in (
                (1, 40, 21, True, True, None),
                (2, 40, 22, True, True, None),
                (3, 40, 23, True, False, "出差"),
                (4, 40, 24, False, True, None),
                (5, 41, 24, True, True, None),
            ):
                _insert(
                    c,
                    "party_meeting_attendance",
                    id=aid,
                    meeting_id=meeting,
                    member_id=member,
                    expected=expected,
                    present=present,
                    absence_reason=reason,
                )
            _insert(
                c,
                "party_meeting_resolution",
                id=60,
                meeting_id=40,
                text="同意公开二月居务",
                votes_for=2,
                votes_against=0,
                abstentions=0,
                adopted=True,
                created_at=NOW,
            )
            _insert(
                c,
                "party_development_case",
                id=70,
                resident_id=14,
                organization_id=5,
                org_unit_id=2,
                org_path="/1/2/",
                stage="admitted",
                started_on=date(2025, 1, 1),
                branch_meeting_on=date(2026, 3, 1),
                branch_meeting_id=41,
                created_at=NOW,
            )
        upgrade(deployment, verbose=False)
        assert "party_meeting" not in inspect(deployment.engine).get_table_names()
        with deployment.engine.connect() as c:
            meetings = c.execute(
                text(
                    "SELECT id, kind, host_type, host_id, title, held_on, minutes, expected_count, present_count, quorate"
                    " FROM meeting ORDER BY held_on"
                )
            ).all()
            assert [tuple(m[1:5]) for m in meetings] == [
                ("party_building.committee_meeting", "PartyOrganization", 5, "研究公开事项"),
                ("party_building.members_meeting", "PartyOrganization", 5, "第一季度党员大会"),
            ]
            committee, members = meetings
            assert (committee.minutes, committee.expected_count, committee.present_count, bool(committee.quorate)) == (
                "书记主持。",
                3,
                2,
                True,
            )
            assert c.execute(
                text("SELECT title FROM meeting_agenda_item WHERE meeting_id = :m"), {"m": committee.id}
            ).all() == [("一、研究二月公开事项",)]
            sheet = c.execute(
                text(
                    "SELECT resident_id, name, expected, status, absence_reason FROM meeting_attendance WHERE meeting_id = :m ORDER BY resident_id"
                ),
                {"m": committee.id},
            ).all()
            assert [(r[0], r[1], bool(r[2]), r[3], r[4]) for r in sheet] == [
                (11, "张书记", True, "present", None),
                (12, "李委员", True, "present", None),
                (13, "王委员", True, "absent", "出差"),
                (14, "赵党员", False, "present", None),
            ]
            [resolution] = c.execute(text("SELECT meeting_id, text, votes_for, adopted FROM meeting_resolution")).all()
            assert (resolution[0], resolution[1], resolution[2], bool(resolution[3])) == (
                committee.id,
                "同意公开二月居务",
                2,
                True,
            )
            assert (
                c.execute(text("SELECT branch_meeting_id FROM party_development_case WHERE id = 70")).scalar_one()
                == members.id
            )
        keys = inspect(deployment.engine).get_foreign_keys("party_development_case")
        assert ("meeting", "SET NULL") in {
            (k["referred_table"], k["options"].get("ondelete"))
            for k in keys
            if k["constrained_columns"] == ["branch_meeting_id"]
        }
    finally:
        deployment.dispose()
