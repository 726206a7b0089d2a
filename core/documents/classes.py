"""Document classes: which files a record type accepts.

A plugin (or core) declares them with ``register_document_classes``::

    DocumentClass(
        code="finance.voucher_scan",       # starts with the plugin's name
        name="发票、收据扫描件",
        owner_type="ExpenseRequest",       # a registered Node type
        attach_permission="finance.request",
        read_permission="finance.view",
        unit_of=lambda session, row: ...,  # the record's org unit (its scope)
        retention=VOUCHER_SCAN_YEARS,     # a PolicyKey the plugin registers
        max_count=20,
        max_bytes=10 * 1024 * 1024,
        content_types=(PDF, JPEG, PNG),
    )

``retention`` is an INT ``PolicyKey`` (years; 0 keeps the file for good)
the declaring plugin also registers with ``register_policy_keys``. ``public`` files are shown to everyone
(a notice's attachments): their readable text is checked for ID and phone
numbers like the notice itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.documents.content import TYPE_NAMES
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_of

CORE_OWNER = "core"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MAX_CODE_LENGTH = 64


@dataclass(frozen=True)
class DocumentClass:
    code: str
    name: str
    owner_type: str
    attach_permission: str
    read_permission: str
    # The org unit the owning record belongs to: its files share its scope.
    unit_of: Callable[[Any, Any], Any]
    retention: Any  # core.policy.keys.PolicyKey, INT years
    content_types: tuple[str, ...]
    max_count: int = 10
    max_bytes: int = 10 * 1024 * 1024
    public: bool = False
    # Raises ``UserInputError`` when the record takes no files in its state
    # (a notice once the party organization has approved it).
    check_owner: Callable[[Any, Any], None] | None = None
    # For ``public`` files: whether the owning record (by key) is shown to
    # everyone now (a notice on the board); its files then download without sign-in.
    shown_publicly: Callable[[Any, int], bool] | None = None
    plugin: str = CORE_OWNER


class DocumentClassError(RuntimeError):
    """Document class declarations that cannot be used."""


@dataclass(frozen=True)
class DocumentClassRegistry:
    classes: Mapping[str, DocumentClass]

    def get(self, code: str) -> DocumentClass | None:
        return self.classes.get(code)

    def all(self) -> list[DocumentClass]:
        return list(self.classes.values())


def _problem(item: DocumentClass, owner: str) -> str | None:
    if len(item.code) > MAX_CODE_LENGTH or not CODE_PATTERN.match(item.code):
        return f"{item.code!r} is not a document class code (dotted, lower case)"
    if owner != CORE_OWNER and not item.code.startswith(f"{owner}."):
        return f"document class {item.code!r} must start with '{owner}.'"
    unknown = [t for t in item.content_types if t not in TYPE_NAMES]
    if unknown or not item.content_types:
        return f"document class {item.code!r}: content types must be among {sorted(TYPE_NAMES)}, got {unknown}"
    from core.policy.keys import PolicyKey, ValueType

    if not isinstance(item.retention, PolicyKey) or item.retention.type is not ValueType.INT:
        return f"document class {item.code!r}: retention must be an INT PolicyKey (years)"
    if item.max_count < 1 or item.max_bytes < 1:
        return f"document class {item.code!r}: max_count and max_bytes must be positive"
    return None


def build_registry(host: PluginHost) -> DocumentClassRegistry:
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[str, DocumentClass] = {}
    for impl in host.manager.hook.register_document_classes.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        for item in declared_by(impl):
            if not isinstance(item, DocumentClass):
                problems.append(f"{impl.plugin_name}: not a DocumentClass: {item!r}")
                continue
            problem = _problem(item, owner)
            if problem:
                problems.append(f"{impl.plugin_name}: {problem}")
            elif item.code in declared:
                problems.append(f"document class {item.code!r} declared more than once")
            else:
                declared[item.code] = replace(item, plugin=owner)
    if problems:
        raise DocumentClassError("invalid document classes:\n  " + "\n  ".join(problems))
    return DocumentClassRegistry(classes=declared)


def document_classes_for(host: PluginHost) -> DocumentClassRegistry:
    return host.derived("documents.classes", build_registry)


def document_classes_for_context(context: Any) -> DocumentClassRegistry:
    return document_classes_for(host_of(context))
