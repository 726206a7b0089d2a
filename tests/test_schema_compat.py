"""The schema keeps every promise of the last release: a field, argument,
enum value or type goes away only after a release that deprecated it
(``core.api.schema_compat``; the release's SDL is ``graphql/released.graphql``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.api.schema_compat import breaking_changes

GRAPHQL = Path(__file__).resolve().parent.parent / "graphql"

OLD = """
type Query {
  kept: Int
  gone: Int @deprecated(reason: "use kept")
  abrupt: Int
  search(term: String, legacy: String @deprecated(reason: "unused")): [Item]
  status: Status
}
type Item { name: String }
type Legacy { x: Int }
type Holder { legacy: Legacy @deprecated(reason: "going") }
type Mutation { hold: Holder }
enum Status { OPEN CLOSED ARCHIVED @deprecated(reason: "use CLOSED") }
"""


def test_the_current_schema_breaks_nothing_the_last_release_promised() -> None:
    released = (GRAPHQL / "released.graphql").read_text(encoding="utf-8")
    current = (GRAPHQL / "schema.graphql").read_text(encoding="utf-8")
    assert breaking_changes(released, current) == [], "deprecate first, remove in a later release"


def test_removing_what_was_deprecated_is_allowed() -> None:
    new = OLD.replace('  gone: Int @deprecated(reason: "use kept")\n', "")
    new = new.replace(', legacy: String @deprecated(reason: "unused")', "")
    new = new.replace(' ARCHIVED @deprecated(reason: "use CLOSED")', "")
    new = new.replace("type Legacy { x: Int }\n", "").replace(
        'type Holder { legacy: Legacy @deprecated(reason: "going") }', "type Holder { other: Int }"
    )
    assert breaking_changes(OLD, new) == []


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("  abrupt: Int\n", "", "FIELD_REMOVED"),
        ("  kept: Int\n", "  kept: String\n", "FIELD_CHANGED_KIND"),
        ("search(term: String, ", "search(", "ARG_REMOVED"),
        ("enum Status { OPEN CLOSED", "enum Status { CLOSED", "VALUE_REMOVED_FROM_ENUM"),
        ("type Item { name: String }\n", "", "TYPE_REMOVED"),
    ],
)
def test_removing_what_was_not_deprecated_is_a_breaking_change(old: str, new: str, kind: str) -> None:
    changed = OLD.replace(old, new)
    if kind == "TYPE_REMOVED":
        changed = changed.replace(": [Item]", ": [String]")
    found = breaking_changes(OLD, changed)
    assert found and all(line.split(":")[0] in {kind, "FIELD_CHANGED_KIND"} for line in found), found
    assert any(line.startswith(kind) for line in found), found
