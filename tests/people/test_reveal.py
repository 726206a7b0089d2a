"""Sensitive fields: masked in every query, revealed one at a time with the
declared permission in the object's scope, every reveal (and refusal)
audited with its purpose; plugins declare theirs through the same hook."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth.permissions import Permission, Principal, build_registry
from core.hookspecs import hookimpl
from core.people import service
from core.people.categories import CategoryDeclaration, CategoryDeclarationError, build_category_registry
from core.people.identity import mask_phone
from core.plugin_host import load_plugin_host
from core.privacy import SensitiveField, column_loader
from core.privacy.fields import SensitiveFieldDeclarationError, build_sensitive_registry
from tests.people.conftest import AsUser, PeopleTree, audit_records, id_number, ok, run

REVEAL = """
mutation ($input: RevealSensitiveFieldInput!) {
  revealSensitiveField(input: $input) { value label userErrors { field code message } }
}
"""

READ = """
query ($id: ID!) { node(id: $id) { ... on Resident { idNumber phone } } }
"""


@dataclass
class People:
    in_a: str
    in_b: str
    id_a: str
    pk_a: int


@pytest.fixture
def people(deployment: Deployment, tree: PeopleTree) -> People:
    with deployment.session_factory() as session, session.begin():
        a = service.register_resident(
            session,
            name="张三",
            org_unit_id=tree.grid_a,
            id_number=id_number(date(1980, 1, 2), 11),
            phone="13800138000",
        )
        b = service.register_resident(session, name="王五", org_unit_id=tree.grid_b, phone="13900139000")
        return People(encode_global_id("Resident", a.id), encode_global_id("Resident", b.id), a.id_number or "", a.id)


def reveal(
    deployment: Deployment, user: Principal | None, object_id: str, field: str, purpose: str = "核对低保申请材料"
) -> dict[str, Any]:
    variables = {"input": {"objectId": object_id, "field": field, "purpose": purpose}}
    return ok(run(deployment, REVEAL, variables, user=user))["revealSensitiveField"]


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def test_queries_return_masked_values(
    deployment: Deployment, as_user: AsUser, tree: PeopleTree, people: People
) -> None:
    # Even the administrator, who may reveal, reads masked values in queries.
    admin = as_user("admin", ("admin", tree.city))
    data = ok(run(deployment, READ, {"id": people.in_a}, user=admin))["node"]
    assert data == {"idNumber": f"370202********{people.id_a[-4:]}", "phone": "138****8000"}


def test_reveal_with_permission_returns_the_value_and_audits_once(
    deployment: Deployment, as_user: AsUser, tree: PeopleTree, people: People
) -> None:
    grid_worker = as_user("grid.a", ("grid_worker", tree.grid_a))
    payload = reveal(deployment, grid_worker, people.in_a, "phone", purpose="通知疫苗接种")
    assert payload == {"value": "13800138000", "label": "电话号码", "userErrors": []}

    (record,) = audit_records(deployment, "reveal:Resident.phone")
    assert (record.outcome, record.purpose, record.actor_label) == ("success", "通知疫苗接种", "grid.a")
    assert (record.object_type, record.object_id, record.org_unit_id) == ("Resident", str(people.pk_a), tree.grid_a)
    assert "13800138000" not in (record.detail or "")
    records_with_purpose = [
        r
        for action in ("reveal:Resident.phone", "mutation:revealSensitiveField")
        for r in audit_records(deployment, action)
        if r.purpose == "通知疫苗接种"
    ]
    assert len(records_with_purpose) == 1

    worker = as_user("community.a", ("community_worker", tree.community))
    assert reveal(deployment, worker, people.in_a, "idNumber")["value"] == people.id_a
    assert len(audit_records(deployment, "reveal:Resident.idNumber")) == 1


def test_reveal_without_permission_is_refused_and_audited(
    deployment: Deployment, as_user: AsUser, tree: PeopleTree, people: People
) -> None:
    grid_worker = as_user("grid.a", ("grid_worker", tree.grid_a))
    # A grid worker may reveal phone numbers, not ID numbers ...
    payload = reveal(deployment, grid_worker, people.in_a, "idNumber", purpose="好奇")
    assert payload["value"] is None and codes(payload) == ["FORBIDDEN"]
    # ... and only in their own grid.
    assert codes(reveal(deployment, grid_worker, people.in_b, "phone")) == ["NOT_FOUND"]  # not theirs to see
    head = as_user("building.a", ("building_head", tree.grid_a))
    assert codes(reveal(deployment, head, people.in_a, "phone")) == ["FORBIDDEN"]
    assert codes(reveal(deployment, None, people.in_a, "phone")) == ["UNAUTHENTICATED"]

    assert audit_records(deployment, "reveal:Resident.idNumber") == []
    assert audit_records(deployment, "reveal:Resident.phone") == []
    refused = audit_records(deployment, "mutation:revealSensitiveField")
    assert [(r.outcome, r.actor_label) for r in refused] == [
        ("refused", "grid.a"),
        ("refused", "grid.a"),
        ("refused", "building.a"),
        ("refused", "anonymous"),
    ]
    first = json.loads(refused[0].detail or "{}")
    assert first == {"codes": ["FORBIDDEN"], "field": "idNumber", "purpose": "好奇"}
    assert (refused[0].object_type, refused[0].object_id, refused[0].org_unit_id) == (
        "Resident",
        str(people.pk_a),
        tree.grid_a,
    )


def test_reveal_input_is_checked(deployment: Deployment, as_user: AsUser, tree: PeopleTree, people: People) -> None:
    admin = as_user("admin", ("admin", tree.city))
    assert codes(reveal(deployment, admin, people.in_a, "phone", purpose="  ")) == ["PURPOSE_REQUIRED"]
    assert codes(reveal(deployment, admin, people.in_a, "phone", purpose="查" * 501)) == ["TOO_LONG"]
    assert codes(reveal(deployment, admin, people.in_a, "name")) == ["NOT_SENSITIVE_FIELD"]
    assert codes(reveal(deployment, admin, "not-an-id", "phone")) == ["INVALID_ID"]
    assert codes(reveal(deployment, admin, encode_global_id("Resident", 987654), "phone")) == ["NOT_FOUND"]
    assert codes(reveal(deployment, admin, encode_global_id("Resident", 2**40), "phone")) == ["NOT_FOUND"]
    assert codes(reveal(deployment, admin, encode_global_id("OrgUnit", tree.city), "name")) == ["NOT_SENSITIVE_FIELD"]
    assert audit_records(deployment, "reveal:Resident.phone") == []


def test_sensitive_fields_are_listed(deployment: Deployment, as_user: AsUser, tree: PeopleTree) -> None:
    user = as_user("grid.a", ("grid_worker", tree.grid_a))
    listed = ok(run(deployment, "{ sensitiveFields { typeName field label permission } }", user=user))[
        "sensitiveFields"
    ]
    assert {(f["typeName"], f["field"], f["permission"]) for f in listed} >= {
        ("Resident", "idNumber", "people.reveal_id_number"),
        ("Resident", "phone", "people.reveal_phone"),
    }


# --- plugins declare their own through the hooks -----------------------------------------


class ClinicPlugin:
    """A plugin with a sensitive field of its own and a resident category."""

    @hookimpl
    def register_permissions(self) -> list[Any]:
        return [Permission("clinic.reveal_diagnosis", "查看完整诊断")]

    @hookimpl
    def register_sensitive_fields(self) -> list[Any]:
        from core.people.models import Resident

        return [
            SensitiveField(
                "ChronicPatient",
                "diagnosis",
                "诊断",
                "clinic.reveal_diagnosis",
                mask_phone,
                column_loader(Resident, "phone"),
            )
        ]

    @hookimpl
    def register_resident_categories(self) -> list[Any]:
        return [CategoryDeclaration("clinic.chronic_patient", "慢性病患者", sensitive=True)]


def _host_with(*plugins: tuple[str, object]) -> Any:
    host = load_plugin_host(())
    for name, plugin in plugins:
        host.manager.register(plugin, name=name)
    return host


def test_plugins_declare_sensitive_fields_and_categories() -> None:
    host = _host_with(("clinic", ClinicPlugin()))
    fields = build_sensitive_registry(host, build_registry(host))
    declared = fields.get("ChronicPatient", "diagnosis")
    assert declared is not None and declared.owner == "clinic" and declared.action == "reveal:ChronicPatient.diagnosis"
    assert fields.get("Resident", "idNumber") is not None
    categories = build_category_registry(host)
    assert categories.get("clinic.chronic_patient") == CategoryDeclaration(
        "clinic.chronic_patient", "慢性病患者", True, "clinic"
    )
    petitioner = categories.get("petitioner")
    assert petitioner is not None and petitioner.plugin == "core"


class CopyCat:
    @hookimpl
    def register_sensitive_fields(self) -> list[Any]:
        from core.people.sensitive import RESIDENT_PHONE

        return [
            RESIDENT_PHONE,
            SensitiveField("Pet", "chip", "芯片号", "pets.reveal_chip", mask_phone, RESIDENT_PHONE.load),
        ]

    @hookimpl
    def register_resident_categories(self) -> list[Any]:
        return [CategoryDeclaration("disabled", "残疾人"), CategoryDeclaration("other.thing", "别人的类别")]


def test_bad_declarations_stop_with_a_message() -> None:
    host = _host_with(("copycat", CopyCat()))
    with pytest.raises(SensitiveFieldDeclarationError) as fields_error:
        build_sensitive_registry(host, build_registry(host))
    assert "Resident.phone declared more than once" in str(fields_error.value)
    assert "undeclared permission 'pets.reveal_chip'" in str(fields_error.value)
    with pytest.raises(CategoryDeclarationError) as categories_error:
        build_category_registry(host)
    assert "'disabled' must start with 'copycat.'" in str(categories_error.value)
    assert "'other.thing' must start with 'copycat.'" in str(categories_error.value)
