"""A generated matrix: every ID an operation takes, given a real record of
another street.

Built from the assembled schema (every built-in plugin enabled): each ``ID``
argument and ``ID`` input field of every query and mutation, including
nested inputs and lists of IDs, is a cell per record type it may name. Each
cell is called by the administrator of street X (every permission in X)
with a real ID of that type from street V, and once more with an ID of the
same type that names nothing. The cell passes when

- nothing is written: no row of any table changes count, and no
  statement that changes a row other than the audit trail's commits;
- nothing of V is returned: no global ID of a V record (other than the one
  sent) and no full ID number or phone of a V resident in the response;
- the answer reveals nothing: it is the answer for the ID that names
  nothing (same data, same errors with the same code, field and message).
  Org units and holidays are public (the organization tree and the holiday
  calendar are readable by everyone): for them the answer may differ (a
  unit outside the scope is FORBIDDEN, a street is "not a community").

A new plugin's operation becomes cells the day it is added. An ID slot
whose record type cannot be told from its name goes in ``ID_TYPES``; a
record type with no V record in the fixture fails the cell, unless listed
in ``NO_VICTIM`` with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import class_mapper
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment, build_deployment, create_app
from core.cli import builtin_plugin_names
from core.org.models import OrgUnit
from core.people.models import Resident
from core.privacy.fields import sensitive_fields_for
from core.reporting.models import Holiday
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from tests.conftest import (
    DatabaseFactory,
    make_settings,
    migrated_deployment,
    sign_in_as,
)
from tests.security.world import TwoStreets, add_street_holidays, build_two_streets

ANY = ("*",)
DOCUMENT_OWNERS = ("OrgUnit", "Notice", "FinanceExpenseRequest", "Meeting", "FamilyPlanningCertificate")
# ID slots whose record type their name does not tell ("id", "parentId").
ID_TYPES: dict[str, tuple[str, ...]] = {
    "Query.node.id": ANY,
    "Query.nodes.ids": ANY,
    "Query.auditRecords.objectId": ANY,
    "Mutation.revealSensitiveField.input.objectId": ANY,
    # Records that accept attached documents (register_document_classes).
    "Query.documents.ownerId": DOCUMENT_OWNERS,
    "Mutation.attachDocument.input.ownerId": DOCUMENT_OWNERS,
    "Mutation.requestDocumentDisposal.input.id": ("Document",),
    "Mutation.approveDocumentDisposal.input.id": ("Document",),
    "Mutation.approveSealUse.input.id": ("SealUse",),
    "Mutation.applySealUse.input.resolutionId": ("MeetingResolution",),
    "Mutation.confirmArchiveHandover.input.id": ("ArchiveHandover",),
    "Mutation.recordArchiveHandover.input.fromUserId": ("User",),
    "Mutation.recordArchiveHandover.input.toUserId": ("User",),
    "Mutation.assignVisitResponsibility.input.userId": ("User",),
    "Mutation.recordSealStamp.input.id": ("SealUse",),
    "Mutation.approveRequirement.input.id": ("AdmissionRequirement",),
    "Query.memberUnits.bigCommitteeId": ("PartyOrganization",),
    "Mutation.addMemberUnit.input.bigCommitteeId": ("PartyOrganization",),
    "Mutation.createPartyOrganization.input.parentId": ("PartyOrganization",),
    "Mutation.createOrgUnit.input.parentId": ("OrgUnit",),
    "Mutation.moveOrgUnit.input.newParentId": ("OrgUnit",),
    "Mutation.updateOrgUnit.input.id": ("OrgUnit",),
    "Mutation.moveOrgUnit.input.id": ("OrgUnit",),
    "Mutation.dissolvePartyOrganization.input.id": ("PartyOrganization",),
    "Mutation.endInServiceRegistration.input.id": ("InServiceRegistration",),
    "Mutation.endHouseholdAssignment.input.id": ("HouseholdAssignment",),
    "Mutation.removeMemberUnit.input.id": ("MemberUnit",),
    "Mutation.submitNoticeForApproval.input.id": ("Notice",),
    "Mutation.approveNotice.input.id": ("Notice",),
    "Mutation.rejectNotice.input.id": ("Notice",),
    "Mutation.updateNoticeDraft.input.id": ("Notice",),
    "Mutation.publishNotice.input.id": ("Notice",),
    "Mutation.withdrawNotice.input.id": ("Notice",),
    "Mutation.removeHoliday.input.id": ("Holiday",),
    "Mutation.endPostTerm.input.id": ("PostAssignment",),
    "Mutation.transferPost.input.id": ("PostAssignment",),
    "Mutation.setPostManagesFunds.input.id": ("PostAssignment",),
    "Mutation.enrolInCare.input.providerId": ("CareProvider",),
    "Mutation.recordCareService.input.enrolmentId": ("CareEnrolment",),
    "Mutation.recordElderlyActivity.input.participantIds": ("Resident",),
    "Mutation.updateResident.input.id": ("Resident",),
    # Audited records read one at a time with a purpose (core.privacy.audited).
    "Query.auditedNode.id": ANY,
    "Mutation.decideFamilyPlanningCertificate.input.id": ("FamilyPlanningCertificate",),
    "Mutation.startFamilyPlanningService.input.id": ("FamilyPlanningFollowUp",),
    "Mutation.closeFamilyPlanningFollowUp.input.id": ("FamilyPlanningFollowUp",),
    "Mutation.recordFamilyPlanningBirth.input.motherId": ("Resident",),
    "Mutation.recordFamilyPlanningBirth.input.childId": ("Resident",),
    "Mutation.signFamilyPlanningAgreement.input.templateId": ("FamilyPlanningText",),
    "Mutation.adoptFamilyPlanningText.input.assemblyResolutionId": ("MeetingResolution",),
    # Party members, not household members.
    **{
        f"Mutation.{field}.input.{path}": ("PartyMember",)
        for field, path in (
            ("setPartyCommitteeRole", "memberId"),
            ("confirmFullMembership", "memberId"),
            ("transferPartyMember", "memberId"),
            ("setFlowingMember", "memberId"),
            ("endPartyMembership", "memberId"),
            ("recordPartyMeeting", "presentMemberIds"),
            ("recordPartyMeeting", "absences.memberId"),
            ("assignContactHousehold", "memberId"),
            ("appraisePartyMember", "memberId"),
            ("setSeatMemberUnit", "memberId"),
        )
    },
    "Mutation.removeHouseholdMember.input.memberId": ("HouseholdMember",),
    "Query.importJob.id": ("ImportJob",),
    "Mutation.checkImport.input.unitId": ("OrgUnit",),
    "Mutation.startImport.input.unitId": ("OrgUnit",),
    # Residents' self-governance: a building is an org unit; the recalled member's post; the adopting resolution.
    "Mutation.nominateBuildingHead.input.buildingId": ("OrgUnit",),
    "Mutation.nominateBuildingHead.input.recommenderIds": ("Resident",),
    "Mutation.recallCommitteeMember.input.assignmentId": ("PostAssignment",),
    "Mutation.adoptSelfGovernanceText.input.resolutionId": ("MeetingResolution",),
    "Mutation.recordHearingVote.input.resolutionId": ("MeetingResolution",),
    "Mutation.fillRepresentativeVacancy.input.assignmentId": ("PostAssignment",),
    "Mutation.recordDemocraticAppraisal.input.ratings.assignmentId": ("PostAssignment",),
    # Meetings: the host of a party kind's meeting, the participants named, what a resolution decided.
    "Mutation.createMeeting.input.hostId": ("PartyOrganization", "Hearing"),
    "Mutation.createMeeting.input.participantIds": ("Resident",),
    "Mutation.resolveAtMeeting.input.subjectIds": ANY,
}
# Arguments named "under" are org units.
ARGUMENT_TYPES = {"under": ("OrgUnit",)}
# Record types without a Node registration that IDs still name.
EXTRA_TYPES: dict[str, type] = {"Holiday": Holiday}
# Public record types: anyone may learn that one exists.
PUBLIC_TYPES = {
    "OrgUnit": "the organization tree is public (orgUnits needs no sign-in)",
    "Holiday": "the holiday calendar is readable by every signed-in user for every unit",
}
# Record types the fixture has no V record of, with the reason.
NO_VICTIM: dict[str, str] = {}
# Tables an attempt may write to: the audit trail of the refusal.
AUDIT_TABLES = {"audit_record", "audit_pending", "audit_chain_head", "user_session", "login_failure"}
# Sample values of required non-ID fields, by field name (a refusal that
# stops before the ID is looked up would make the cell say nothing).
TODAY = date.today()
SAMPLES: dict[str, Any] = {
    # Codes, where one name means different things: "<Root>.<field>.<input path>".
    "Mutation.registerDisputeCase.input.category": "neighbour",
    "Mutation.registerSeal.input.custodianPost": "chair",
    "Mutation.registerDisputeCase.input.parties.role": "applicant",
    "Mutation.draftNotice.input.category": "finance",
    "source": "walk_in",
    "riskLevel": "minor",
    "channel": "walk_in",
    "eventType": "facility_damage",
    "mediationType": "people",
    "outcome": "agreement",
    "postCode": "member",
    "meetingType": "members_meeting",
    "relationshipCode": "10",
    "residenceType": "registered",
    "householdType": "family",
    "month": TODAY.strftime("%Y-%m"),
    "role": "grid_worker",
    "password": "x-street-demo-2026-pw",
    "newPassword": "x-street-demo-2026-new",
    "currentPassword": "x-street-demo-2026",
    "year": TODAY.year,
    "quarter": 1,
    "half": 1,
    "purpose": "核对材料",
    "field": "idNumber",
    "reason": "工作需要",
    "withinDays": 30,
}
SCALARS: dict[str, Any] = {
    "String": "测试",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Date": TODAY.isoformat(),
    "DateTime": f"{TODAY.isoformat()}T08:00:00+08:00",
    "Decimal": "100.00",
    "JSON": 1,
    # A file sent as JSON: refused after the owner's ID is looked up.
    "Upload": "not-a-file",
}
MISSING_PK = 2_000_000_000


# --- the cells, from the schema ------------------------------------------------------------


def _schema() -> GraphQLSchema:
    return build_deployment(make_settings("sqlite://", plugins=builtin_plugin_names())).schema.graphql_schema


def _node_types(schema: GraphQLSchema) -> list[str]:
    return sorted(
        name
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
    )


def _camel_words(name: str) -> list[str]:
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)


def id_types(key: str, name: str, node_types: list[str]) -> tuple[str, ...]:
    """The record types an ID slot may name: from ``ID_TYPES`` or its name
    (``caseId`` → every type whose name ends with ``Case``)."""
    if key in ID_TYPES:
        return ID_TYPES[key]
    if name in ARGUMENT_TYPES:
        return ARGUMENT_TYPES[name]
    base = re.sub(r"Ids?$", "", name)
    words = _camel_words(base[:1].upper() + base[1:])
    known = [*node_types, *EXTRA_TYPES]
    for start in range(len(words)):
        tail = "".join(words[start:])
        exact = [t for t in known if t.lower() == tail.lower()]
        if exact:
            return tuple(exact)
        ending = [t for t in known if t.lower().endswith(tail.lower())]
        if ending:
            return tuple(ending)
    return ()


@dataclass(frozen=True)
class Slot:
    root: str  # Query or Mutation
    field: str
    path: tuple[str | int, ...]  # argument name, input field names, 0 for a list item
    types: tuple[str, ...]

    @property
    def key(self) -> str:
        return ".".join([self.root, self.field, *(p for p in self.path if isinstance(p, str))])


def _id_slots(schema: GraphQLSchema) -> list[Slot]:
    node_types = _node_types(schema)
    slots: list[Slot] = []

    def walk(root: str, field: str, type_: Any, path: tuple[str | int, ...], seen: tuple[str, ...]) -> None:
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(inner, GraphQLList):
            walk(root, field, inner.of_type, (*path, 0), seen)
            return
        named = get_named_type(inner)
        if named is GraphQLID:
            last = next(p for p in reversed(path) if isinstance(p, str))
            slot = Slot(root, field, path, ())
            slots.append(Slot(root, field, path, id_types(slot.key, last, node_types)))
        elif isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            for name, input_field in named.fields.items():
                walk(root, field, input_field.type, (*path, name), (*seen, named.name))

    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        for field, definition in root.fields.items():
            for name, argument in definition.args.items():
                walk(root.name, field, argument.type, (name,), ())
    return slots


@dataclass(frozen=True)
class Cell:
    slot: Slot
    type_name: str

    @property
    def id(self) -> str:
        path = ".".join(p if isinstance(p, str) else "[]" for p in self.slot.path)
        return f"{self.slot.root}.{self.slot.field}({path}):{self.type_name}"


def _cells() -> tuple[list[Cell], list[Slot]]:
    schema = _schema()
    node_types = _node_types(schema)
    cells: list[Cell] = []
    untyped: list[Slot] = []
    for slot in _id_slots(schema):
        if not slot.types:
            untyped.append(slot)
            continue
        types = [*node_types, *EXTRA_TYPES] if slot.types == ANY else list(slot.types)
        cells.extend(Cell(slot, t) for t in types)
    return cells, untyped


CELLS, UNTYPED = _cells()


def test_every_id_slot_names_a_record_type() -> None:
    """An ID slot the matrix cannot type would go untested: name it in ID_TYPES."""
    assert [s.key for s in UNTYPED] == []
    print(f"\ncross-street matrix: {len(CELLS)} cells per database")


# --- the two streets -------------------------------------------------------------------------


@dataclass
class Matrix:
    deployment: Deployment
    client: TestClient
    token: str
    streets: TwoStreets
    victims: dict[str, list[int]]  # type -> V record keys
    own: dict[str, int]  # type -> an X record key
    secrets: list[str]  # V residents' full ID numbers and phones
    victim_ids: set[str]  # global IDs of every V record of a non-public type
    writes: list[str]
    sensitive: dict[str, str] = dataclass_field(default_factory=dict)  # type -> a declared sensitive field
    current_type: str = ""
    run: int = 0
    reached: int = 0  # cells whose answer is about the ID sent (not an earlier refusal)


def _rows_within(deployment: Deployment, streets: TwoStreets) -> tuple[dict[str, list[int]], dict[str, int]]:
    """For each record type: the keys of its rows lying wholly in V, and one lying wholly in X."""
    registry = deployment.schema.registry
    models = {m.__name__: m for m in deployment.models}
    victims: dict[str, list[int]] = {}
    own: dict[str, int] = {}
    schema = deployment.schema.graphql_schema
    with deployment.session_factory() as session:
        for type_name in [*_node_types(schema), *EXTRA_TYPES]:
            model = EXTRA_TYPES.get(type_name) or _model_of(schema, type_name, models.values())
            if model is None:
                continue
            node_type = registry.node_types.get(type_name)
            if node_type is None and not hasattr(model, "org_path"):
                continue  # cannot be placed in a street: its cells fail for want of a victim
            rows: list[Any] = session.query(model).order_by(class_mapper(model).columns["id"]).limit(5000).all()
            for row in rows:
                try:
                    found = node_type.paths_of(row) if node_type else (row.org_path,)
                except TypeError:
                    break
                paths = [p for p in found if p]
                if paths and all(p.startswith(streets.victim.path) for p in paths):
                    victims.setdefault(type_name, []).append(row.id)
                elif paths and all(p.startswith(streets.attacker.path) for p in paths) and type_name not in own:
                    own[type_name] = row.id
    return victims, own


def _model_of(schema: GraphQLSchema, type_name: str, models: Any) -> type | None:
    """The model whose rows the GraphQL type presents (``model_type``)."""
    graphql_type = schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    for model in models:
        probe = object.__new__(model)
        if graphql_type.is_type_of and graphql_type.is_type_of(probe, None):  # type: ignore[arg-type]  # graphql-core requires a resolve info; model_type's check reads none
            return model
    return None


@pytest.fixture(scope="session")
def matrix(backend: str, database_factory: DatabaseFactory) -> Iterator[Matrix]:
    deployment = migrated_deployment(database_factory.create(backend), plugins=builtin_plugin_names())
    with deployment.session_factory() as session, session.begin():
        streets = build_two_streets(session, deployment.settings, deployment.host)
        add_street_holidays(session, streets)
        session.expunge_all()
    victims, own = _rows_within(deployment, streets)
    # Books, cases and boards are kept by communities: the attacker's own unit is one.
    with deployment.session_factory() as session:
        community = session.scalars(
            select(OrgUnit.id)
            .where(OrgUnit.parent_id == streets.attacker.id, OrgUnit.level == "community")
            .order_by(OrgUnit.id)
        ).first()
        assert community is not None
        own["OrgUnit"] = community
    with deployment.session_factory() as session:
        secrets = [
            value
            for row in session.query(Resident.id_number, Resident.phone).filter(
                Resident.org_path.startswith(streets.victim.path)
            )
            for value in row
            if value and len(value) >= 7
        ]
    victim_ids = {encode_global_id(t, pk) for t, pks in victims.items() if t not in PUBLIC_TYPES for pk in pks}
    writes: list[str] = []
    pending: list[str] = []

    @event.listens_for(deployment.engine, "before_cursor_execute")
    def note(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        match = re.match(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', statement, re.IGNORECASE)
        if match and match.group(2) not in AUDIT_TABLES:
            pending.append(f"{match.group(1)} {match.group(2)}")

    @event.listens_for(deployment.engine, "commit")
    def committed(conn: Any) -> None:
        writes.extend(pending)
        pending.clear()

    @event.listens_for(deployment.engine, "rollback")
    def rolled_back(conn: Any) -> None:
        pending.clear()

    with TestClient(create_app(deployment=deployment)) as client:
        attacker = sign_in_as(deployment, client, "admin", streets.attacker.id, username="x-street-admin")
        _grant_withheld_roles(deployment, attacker.user_id, streets.attacker.id)
        writes.clear()
        found = Matrix(deployment, client, attacker.token, streets, victims, own, secrets, victim_ids, writes)
        for declared in reversed(sensitive_fields_for(deployment.host).all()):
            found.sensitive[declared.type_name] = declared.field
        yield found
    if found.run:
        print(f"\ncross-street matrix on {backend}: {found.run} cells run, {found.reached} answered about the ID sent")
    deployment.dispose()


def _grant_withheld_roles(deployment: Deployment, user_id: int, org_unit_id: int) -> None:
    """The attacker also holds the built-in roles carrying permissions the
    administrator does not (family-planning records), so that it reaches every
    record of its own street and every cell tests the street boundary."""
    from core.auth import service as auth_service
    from core.auth.permissions import registry_for
    from core.auth.roles import default_role_permissions

    registry = registry_for(deployment.host)
    withheld = {p.code for p in registry.all() if p.withheld_from_admin}
    with deployment.session_factory() as session, session.begin():
        for role_code, codes in default_role_permissions(registry).items():
            if withheld & set(codes):
                auth_service.grant_role(
                    session, registry, None, user_id=user_id, role_code=role_code, org_unit_id=org_unit_id
                )


# --- building one call -----------------------------------------------------------------------


def _type_ref(type_: Any) -> str:
    if isinstance(type_, GraphQLNonNull):
        return f"{_type_ref(type_.of_type)}!"
    if isinstance(type_, GraphQLList):
        return f"[{_type_ref(type_.of_type)}]"
    return str(type_.name)


def _value(
    type_: Any, name: str, prefix: str, target: tuple[str | int, ...] | None, sent: str, m: Matrix, types: Any
) -> Any:
    """A value of ``type_``: ``sent`` at the target slot, valid samples elsewhere."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return [_value(inner.of_type, name, prefix, target[1:] if target else None, sent, m, types)]
    named = get_named_type(inner)
    if named is GraphQLID:
        if target == ():
            return sent
        wanted = types(f"{prefix}.{name}"[len(root_of(prefix)) :], name)
        own = next((t for t in wanted if t in m.own), None)
        return (
            encode_global_id(own, m.own[own])
            if own
            else encode_global_id(wanted[0] if wanted else "OrgUnit", MISSING_PK)
        )
    if isinstance(named, GraphQLInputObjectType):
        result = {}
        for field_name, field in named.fields.items():
            on_path = target is not None and len(target) > 0 and target[0] == field_name
            if on_path or isinstance(field.type, GraphQLNonNull):
                result[field_name] = _value(
                    field.type, field_name, f"{prefix}.{name}", target[1:] if on_path else None, sent, m, types
                )
        return result
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    assert isinstance(named, GraphQLScalarType)
    if name == "field" and root_of(prefix) == "Mutation.revealSensitiveField":
        return m.sensitive.get(m.current_type, "idNumber")  # a field the type declares
    default = SCALARS[named.name]
    if named.name in ("Date", "DateTime"):
        return default  # "month" as a Date is a day, not the "YYYY-MM" sample
    for sample in (SAMPLES.get(f"{prefix}.{name}"), SAMPLES.get(name)):
        # A sample of another scalar type (a "month" Date, not String) does not apply.
        if sample is not None and type(sample) is type(default):
            return sample
    return default


def root_of(prefix: str) -> str:
    """``Mutation.assignPost`` of ``Mutation.assignPost.input``."""
    return ".".join(prefix.split(".")[:2])


def _selection(type_: Any, depth: int = 0) -> str:
    named = get_named_type(type_)
    if isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
        return ""
    if isinstance(named, (GraphQLInterfaceType, GraphQLUnionType)):
        return "{ __typename ... on Node { id } }"
    assert isinstance(named, GraphQLObjectType)
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, (GraphQLScalarType, GraphQLEnumType)):
            parts.append(name)
        elif depth < 2:
            parts.append(f"{name} {_selection(field.type, depth + 1)}")
    return "{ " + " ".join(parts) + " }"


def _document(cell: Cell, sent: str, m: Matrix) -> tuple[str, dict[str, Any]]:
    schema = m.deployment.schema.graphql_schema
    root = schema.query_type if cell.slot.root == "Query" else schema.mutation_type
    assert root is not None
    field: GraphQLField = root.fields[cell.slot.field]
    node_types = _node_types(schema)
    m.current_type = cell.type_name

    def types(key: str, name: str) -> tuple[str, ...]:
        found = id_types(f"{cell.slot.root}.{cell.slot.field}{key}", name, node_types)
        return () if found == ANY else found

    variables, declared, passed = {}, [], []
    for name, argument in field.args.items():
        on_path = cell.slot.path[0] == name
        if not on_path and not isinstance(argument.type, GraphQLNonNull):
            continue
        variables[name] = _value(
            argument.type,
            name,
            f"{cell.slot.root}.{cell.slot.field}",
            cell.slot.path[1:] if on_path else None,
            sent,
            m,
            types,
        )
        declared.append(f"${name}: {_type_ref(argument.type)}")
        passed.append(f"{name}: ${name}")
    operation = "query" if cell.slot.root == "Query" else "mutation"
    head = f"{operation} Cell({', '.join(declared)})" if declared else f"{operation} Cell"
    arguments = f"({', '.join(passed)})" if passed else ""
    return f"{head} {{ {cell.slot.field}{arguments} {_selection(field.type)} }}", variables


def _counts(m: Matrix) -> dict[str, int]:
    tables = [t.name for t in m.deployment.metadata.sorted_tables if t.name not in AUDIT_TABLES]
    union = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)
    with m.deployment.engine.connect() as connection:
        return dict(connection.execute(text(union)).all())


def _call(m: Matrix, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = m.client.post(
        "/graphql", json={"query": document, "variables": variables}, headers={"Authorization": f"Bearer {m.token}"}
    )
    assert response.status_code in (200, 400), response.text
    body = response.json()
    for error in body.get("errors") or ():
        error.pop("locations", None)
    return body


def _normal(body: dict[str, Any], sent: str) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True).replace(sent, "<ID>")


def _codes(body: dict[str, Any]) -> set[str]:
    text_ = json.dumps(body, ensure_ascii=False)
    return set(re.findall(r'"code": "([A-Z_]+)"', text_))


def _about(body: dict[str, Any], cell: Cell) -> bool:
    """Whether the answer concerns the ID sent: data came back, or a refusal
    names its field (or is a scope refusal), rather than an earlier one."""
    last = next(p for p in reversed(cell.slot.path) if isinstance(p, str))
    shown = json.dumps(body, ensure_ascii=False)
    if cell.slot.root == "Query" and not body.get("errors"):
        return True
    fields = re.findall(r'"field": "([^"]*)"', shown)
    return any(f.split(".")[-1] == last or f.split(".")[-2:-1] == [last] for f in fields) or bool(
        re.search(r'"code": "(FORBIDDEN|NOT_FOUND)"', shown)
    )


@pytest.mark.parametrize("cell", CELLS, ids=[c.id for c in CELLS])
def test_another_streets_id_reveals_and_changes_nothing(matrix: Matrix, cell: Cell) -> None:
    victims = matrix.victims.get(cell.type_name)
    if not victims:
        if cell.type_name in NO_VICTIM:
            pytest.skip(NO_VICTIM[cell.type_name])
        pytest.fail(f"no {cell.type_name} record in the victim street: add one to tests/security/world.py")
    victim = encode_global_id(cell.type_name, victims[0])
    missing = encode_global_id(cell.type_name, MISSING_PK)
    before = _counts(matrix)
    matrix.writes.clear()
    document, variables = _document(cell, victim, matrix)
    attacked = _call(matrix, document, variables)
    written = list(matrix.writes)
    after = _counts(matrix)
    assert written == [], f"{cell.id} wrote {written}"
    assert before == after, f"{cell.id} changed row counts"

    shown = json.dumps(attacked, ensure_ascii=False)
    leaked = sorted({i for i in re.findall(r'"([A-Za-z0-9_-]{6,})"', shown) if i in matrix.victim_ids and i != victim})
    assert leaked == [], f"{cell.id} returned V records {leaked}"
    assert not [s for s in matrix.secrets if s in shown], f"{cell.id} returned a V resident's ID number or phone"

    assert "INTERNAL_SERVER_ERROR" not in _codes(attacked), f"{cell.id}: {attacked}"
    matrix.run += 1
    matrix.reached += _about(attacked, cell)
    if cell.type_name in PUBLIC_TYPES:
        return  # its existence, name and level are public; what matters is above
    document, variables = _document(cell, missing, matrix)
    baseline = _call(matrix, document, variables)
    assert _normal(attacked, victim) == _normal(baseline, missing), f"{cell.id}: {attacked} != {baseline}"
