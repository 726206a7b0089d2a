"""Declarations of sensitive fields and their registry.

A ``SensitiveField`` says: GraphQL type ``Resident``, field ``idNumber``
(身份证号) holds sensitive personal information; its GraphQL field returns
``mask(value)``; the clear value is revealed only to a caller holding
``people.reveal_id_number`` at the object's org unit (``load`` finds the
value and the unit's path by primary key). Core and plugins declare theirs
through the ``register_sensitive_fields`` hook; ``revealSensitiveField``
(``core.privacy.schema``) serves them all.

A person may see their own information in full (PIPL art. 45): a field may
also say how to recognize the caller's own record (``own_record``) and
which permission, held at any unit, lets them reveal it there
(``own_permission``, e.g. ``people.view_own`` for a resident's own ID
number). Such a reveal is audited like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.relay import integer_bound
from core.auth.permissions import PermissionRegistry, Principal, registry_for
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_of

CORE_OWNER = "core"
TYPE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
FIELD_NAME = re.compile(r"^[a-z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class SensitiveValue:
    """A sensitive value as loaded for a reveal, with where its object lives."""

    value: str | None
    org_unit_id: int | None
    org_path: str


# (session, primary key) -> the value and its object's unit, or None when no such object.
SensitiveLoader = Callable[[Session, int], SensitiveValue | None]
Mask = Callable[[str | None], str | None]
# (signed-in principal, primary key) -> whether the object is the caller's own record.
OwnRecord = Callable[[Principal, int], bool]


@dataclass(frozen=True)
class SensitiveField:
    """One field of one GraphQL type that holds sensitive personal information.

    ``type_name`` and ``field`` are the GraphQL names (``Resident``,
    ``idNumber``); ``label`` is the Chinese name shown to users (身份证号);
    ``permission`` the code that reveals the clear value; ``mask`` turns the
    clear value into what the GraphQL field always returns; ``load`` reads
    the clear value and the object's org unit by primary key. ``owner`` is
    set by the registry: "core" or the declaring plugin's name.

    ``own_record`` and ``own_permission`` (both or neither) let a caller
    reveal the field of their own record (``own_record(principal, pk)``)
    while holding ``own_permission`` at any unit, without ``permission``.
    """

    type_name: str
    field: str
    label: str
    permission: str
    mask: Mask
    load: SensitiveLoader
    owner: str = CORE_OWNER
    own_record: OwnRecord | None = None
    own_permission: str | None = None

    @property
    def code(self) -> str:
        """``Resident.idNumber``: how the field is named in lists and audit records."""
        return f"{self.type_name}.{self.field}"

    @property
    def action(self) -> str:
        """The audit action of a reveal: ``reveal:Resident.idNumber``."""
        return f"reveal:{self.code}"

    def masked(self, value: str | None) -> str | None:
        return self.mask(value)

    def reveals_own(self, principal: Principal | None, pk: int) -> bool:
        """Whether ``principal`` may reveal this field of object ``pk`` as
        their own record (see the class docstring)."""
        return (
            principal is not None
            and self.own_record is not None
            and self.own_permission is not None
            and principal.holds_anywhere(self.own_permission)
            and self.own_record(principal, pk)
        )


def column_loader(
    model: type,
    column: str,
    *,
    unit_column: str = "org_unit_id",
    path_column: str = "org_path",
    key_column: str = "id",
) -> SensitiveLoader:
    """A loader reading ``model.<column>`` with the row's unit id and path
    (the ``org_path`` copy every placed row keeps) in one query, by the
    integer primary key ``key_column``."""
    value_col = getattr(model, column)
    unit_col = getattr(model, unit_column)
    path_col = getattr(model, path_column)
    key = getattr(model, key_column)
    max_pk = integer_bound(key.type)

    def load(session: Session, pk: int) -> SensitiveValue | None:
        # A key outside the column's range names no row; the database would reject it.
        if not 0 <= pk <= max_pk:
            return None
        row = session.execute(select(value_col, unit_col, path_col).where(key == pk)).first()
        if row is None:
            return None
        return SensitiveValue(value=row[0], org_unit_id=row[1], org_path=row[2])

    return load


class SensitiveFieldDeclarationError(RuntimeError):
    """Sensitive-field declarations that cannot be used."""


@dataclass(frozen=True)
class SensitiveFieldRegistry:
    fields: Mapping[tuple[str, str], SensitiveField]

    def get(self, type_name: str, field: str) -> SensitiveField | None:
        return self.fields.get((type_name, field))

    def all(self) -> list[SensitiveField]:
        return list(self.fields.values())


def build_sensitive_registry(host: PluginHost, permissions: PermissionRegistry) -> SensitiveFieldRegistry:
    """Every sensitive field of ``host``. A (type, field) pair declared twice,
    a malformed name, a missing mask or loader, or a reveal permission the
    deployment does not declare stops with a message naming the plugin."""
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[tuple[str, str], SensitiveField] = {}
    for impl in host.manager.hook.register_sensitive_fields.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        for item in declared_by(impl):
            where = f"{impl.plugin_name}: {item!r}"
            if not isinstance(item, SensitiveField):
                problems.append(f"{where} is not a core.privacy.SensitiveField")
                continue
            item = replace(item, owner=owner)
            if not TYPE_NAME.match(item.type_name) or not FIELD_NAME.match(item.field):
                problems.append(f"{impl.plugin_name}: {item.code!r} is not a GraphQL type and field name")
            elif not item.label.strip():
                problems.append(f"{impl.plugin_name}: {item.code} needs a Chinese label")
            elif not callable(item.mask) or not callable(item.load):
                problems.append(f"{impl.plugin_name}: {item.code} needs a mask and a loader")
            elif item.permission not in permissions:
                problems.append(
                    f"{impl.plugin_name}: {item.code} is revealed by undeclared permission {item.permission!r}"
                )
            elif (item.own_record is None) != (item.own_permission is None) or (
                item.own_record is not None and not callable(item.own_record)
            ):
                problems.append(f"{impl.plugin_name}: {item.code} needs both own_record and own_permission, or neither")
            elif item.own_permission is not None and item.own_permission not in permissions:
                problems.append(
                    f"{impl.plugin_name}: {item.code} is revealed to its owner by undeclared permission {item.own_permission!r}"
                )
            elif (item.type_name, item.field) in declared:
                problems.append(f"sensitive field {item.code} declared more than once")
            else:
                declared[(item.type_name, item.field)] = item
    if problems:
        raise SensitiveFieldDeclarationError("invalid sensitive field declarations:\n  " + "\n  ".join(problems))
    return SensitiveFieldRegistry(fields=declared)


def sensitive_fields_for(host: PluginHost) -> SensitiveFieldRegistry:
    """The sensitive fields declared in a deployment, built and checked once per host."""
    return host.derived("privacy.fields", lambda h: build_sensitive_registry(h, registry_for(h)))


def sensitive_fields_for_context(context: Any) -> SensitiveFieldRegistry:
    return sensitive_fields_for(host_of(context))
