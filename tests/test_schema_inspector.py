"""graphql-inspector's schema diff between the last release's SDL
(``graphql/released.graphql``) and the current one (``graphql/schema.graphql``).

``tests/schema_inspector/diff.mjs`` runs ``diff`` of the npm package
``@graphql-inspector/core`` (version pinned in
``tests/schema_inspector/package.json``) and prints every change with
graphql-inspector's criticality. A BREAKING change fails the suite unless it
removes what the release had marked ``@deprecated``: the rule of
``core.api.schema_compat``, which checks the same with graphql-core
(``tests/test_schema_compat.py``), applied with its own helpers. Without
node/npm, or when the npm packages cannot be installed, these tests are
skipped — under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import TypedDict

import pytest

from core.api.schema_compat import (
    _argument_deprecated,
    _enum_value_deprecated,
    _field_deprecated,
    _only_deprecated_uses,
    breaking_changes,
)
from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    ObjectTypeDefinitionNode,
    build_schema,
    parse,
)
from tests.node_packages import node_with_packages

REPO_ROOT = Path(__file__).resolve().parents[1]
INSPECTOR_DIR = REPO_ROOT / "tests" / "schema_inspector"
RELEASED = REPO_ROOT / "graphql" / "released.graphql"
CURRENT = REPO_ROOT / "graphql" / "schema.graphql"
DIFF_TIMEOUT = 120


class Change(TypedDict):
    type: str
    criticality: str
    message: str
    path: str | None


@pytest.fixture(scope="module")
def node() -> str:
    """The node binary, with the pinned npm packages installed."""
    return node_with_packages(INSPECTOR_DIR, "graphql-inspector schema diff")


def inspector_diff(node: str, old: Path, new: Path) -> list[Change]:
    """Every change from ``old`` to ``new`` that graphql-inspector finds."""
    run = subprocess.run(
        [node, str(INSPECTOR_DIR / "diff.mjs"), str(old), str(new)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=DIFF_TIMEOUT,
        check=False,
    )
    assert run.returncode == 0, f"diff.mjs exited with {run.returncode}: {run.stderr}"
    changes: list[Change] = json.loads(run.stdout)
    assert isinstance(changes, list), f"not a list of changes: {run.stdout!r}"
    return changes


def _announced(old: GraphQLSchema, change: Change) -> bool:
    """The change removes something that ``old`` deprecated (or, for a type,
    that only deprecated fields and arguments of ``old`` used)."""
    match change["type"], (change["path"] or "").split("."):
        case "FIELD_REMOVED" | "INPUT_FIELD_REMOVED", [type_name, field_name]:
            return _field_deprecated(old, type_name, field_name)
        case "FIELD_ARGUMENT_REMOVED", [type_name, field_name, argument]:
            return _argument_deprecated(old, type_name, field_name, argument)
        case "ENUM_VALUE_REMOVED", [enum_name, value]:
            return _enum_value_deprecated(old, enum_name, value)
        case "TYPE_REMOVED", [type_name]:
            return _only_deprecated_uses(old, type_name)
    return False


def unannounced_breaking(old_sdl: str, changes: list[Change]) -> list[Change]:
    """The BREAKING changes that ``old_sdl`` did not announce by a deprecation."""
    old = build_schema(old_sdl)
    return [change for change in changes if change["criticality"] == "BREAKING" and not _announced(old, change)]


def _report(changes: list[Change]) -> str:
    return "\n".join(f"{change['type']} at {change['path']}: {change['message']}" for change in changes)


def test_graphql_inspector_finds_no_breaking_change_since_the_release(node: str) -> None:
    released = RELEASED.read_text(encoding="utf-8")
    breaking = unannounced_breaking(released, inspector_diff(node, RELEASED, CURRENT))
    graphql_core = breaking_changes(released, CURRENT.read_text(encoding="utf-8"))
    assert not breaking, (
        f"graphql-inspector finds {len(breaking)} breaking change(s) from {RELEASED.name} to {CURRENT.name}"
        f" (deprecate first, remove in a later release):\n{_report(breaking)}"
        f"\ngraphql-core's verdict: {graphql_core or 'no breaking change'}"
    )


def _released_query_field() -> str:
    """The first field of ``Query`` that the release has, not deprecated,
    and the current schema still has."""
    released = build_schema(RELEASED.read_text(encoding="utf-8")).query_type
    current = build_schema(CURRENT.read_text(encoding="utf-8")).query_type
    assert isinstance(released, GraphQLObjectType) and isinstance(current, GraphQLObjectType)
    return next(
        name for name, field in released.fields.items() if not field.deprecation_reason and name in current.fields
    )


def _edited_query_field(field_name: str, edit: str) -> str:
    """The current SDL with ``Query.<field_name>`` removed (``edit`` is
    ``"removed"``) or returning ``String`` instead (``"retyped"``)."""
    sdl = CURRENT.read_text(encoding="utf-8")
    for definition in parse(sdl).definitions:
        if isinstance(definition, ObjectTypeDefinitionNode) and definition.name.value == "Query":
            for field in definition.fields or ():
                if field.name.value == field_name:
                    span = field.loc if edit == "removed" else field.type.loc
                    assert span is not None
                    return sdl[: span.start] + ("" if edit == "removed" else "String") + sdl[span.end :]
    raise AssertionError(f"Query.{field_name} not found in {CURRENT.name}")


@pytest.mark.parametrize(("edit", "change_type"), [("removed", "FIELD_REMOVED"), ("retyped", "FIELD_TYPE_CHANGED")])
def test_a_broken_released_field_is_reported_as_breaking(
    node: str, tmp_path: Path, edit: str, change_type: str
) -> None:
    field_name = _released_query_field()
    edited = tmp_path / "schema.graphql"
    edited.write_text(_edited_query_field(field_name, edit), encoding="utf-8")
    released = RELEASED.read_text(encoding="utf-8")
    breaking = unannounced_breaking(released, inspector_diff(node, RELEASED, edited))
    found = [(change["type"], change["path"]) for change in breaking]
    assert (change_type, f"Query.{field_name}") in found, _report(breaking) or "no breaking change found"
    assert breaking_changes(released, edited.read_text(encoding="utf-8")), "graphql-core disagrees"


OLD = """
type Query {
  kept: Int
  gone: Int @deprecated(reason: "use kept")
  abrupt: Int
  search(term: String, legacy: String @deprecated(reason: "unused")): [Item]
  status: Status
  find(filter: Filter): Int
}
interface Named { name: String old: String @deprecated(reason: "use name") }
type Item implements Named { name: String old: String @deprecated(reason: "use name") }
type Legacy { x: Int }
type Holder { legacy: Legacy @deprecated(reason: "going") }
type Mutation { hold: Holder }
input Filter { text: String code: String @deprecated(reason: "use text") }
enum Status { OPEN CLOSED ARCHIVED @deprecated(reason: "use CLOSED") }
"""


@pytest.mark.parametrize(
    ("edits", "breaking"),
    [
        pytest.param([('  gone: Int @deprecated(reason: "use kept")\n', "")], False, id="deprecated-field"),
        pytest.param([(', legacy: String @deprecated(reason: "unused")', "")], False, id="deprecated-argument"),
        pytest.param([(' ARCHIVED @deprecated(reason: "use CLOSED")', "")], False, id="deprecated-enum-value"),
        pytest.param([(' code: String @deprecated(reason: "use text")', "")], False, id="deprecated-input-field"),
        pytest.param(
            [(' old: String @deprecated(reason: "use name")', "")] * 2, False, id="deprecated-interface-field"
        ),
        pytest.param(
            [("type Legacy { x: Int }\n", ""), ('legacy: Legacy @deprecated(reason: "going")', "other: Int")],
            False,
            id="type-only-deprecated-fields-used",
        ),
        pytest.param([("  abrupt: Int\n", "")], True, id="field"),
        pytest.param([("  kept: Int\n", "  kept: String\n")], True, id="field-type"),
        pytest.param([("search(term: String, ", "search(")], True, id="argument"),
        pytest.param([("enum Status { OPEN CLOSED", "enum Status { CLOSED")], True, id="enum-value"),
        pytest.param([("input Filter { text: String", "input Filter {")], True, id="input-field"),
        pytest.param([("interface Named { name: String", "interface Named {")], True, id="interface-field"),
        pytest.param([("type Item implements", "type Thing implements"), (": [Item]", ": [Thing]")], True, id="type"),
    ],
)
def test_graphql_inspector_and_graphql_core_agree_on_removals(
    node: str, tmp_path: Path, edits: list[tuple[str, str]], breaking: bool
) -> None:
    new = OLD
    for old_text, new_text in edits:
        assert old_text in new, old_text
        new = new.replace(old_text, new_text, 1)
    (tmp_path / "old.graphql").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.graphql").write_text(new, encoding="utf-8")
    changes = inspector_diff(node, tmp_path / "old.graphql", tmp_path / "new.graphql")
    # graphql-inspector calls every removal BREAKING; the deprecation is what allows it.
    assert any(change["criticality"] == "BREAKING" for change in changes), changes
    found = unannounced_breaking(OLD, changes)
    assert bool(found) == breaking, _report(found) or "graphql-inspector finds no breaking change"
    assert bool(breaking_changes(OLD, new)) == breaking, breaking_changes(OLD, new)
