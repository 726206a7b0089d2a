"""Policy keys: the declaration of one locality-policy value.

A key names a number or setting that a locality decides (a threshold, a
deadline, a quota, whether a plugin is in use). It has one of a small, closed
set of value types, a default that applies where no org unit has set a value,
optional bounds, choices or a validator, and a Chinese description.

Values travel in three forms:

- the Python value services work with (``int``, ``Decimal``, ``str``,
  ``bool``, ``date``, ``tuple[str, ...]``);
- the plain JSON value the API shows and accepts (decimals and dates as
  strings, lists as arrays);
- the canonical JSON text stored in ``policy_value.value``.
"""

from __future__ import annotations

import calendar
import enum
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.api.errors import UserInputError
from core.plugin_host import PluginError

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MAX_KEY_LENGTH = 100
MAX_TEXT_LENGTH = 1000
MAX_LIST_ITEMS = 100
# The largest magnitude any number in policy may have, whatever its key
# declares: services compute with these values (yuan to fen, counts to
# quotas), and a value like 1e308 would overflow them and break every
# request of the subtree. A declaration's own min and max are narrower.
NUMBER_LIMIT = 10**12

# The namespace of the keys the host derives for every enabled plugin.
PLUGIN_NAMESPACE = "plugin"

Validator = Callable[[Any], "str | bool | None"]


class PolicyKeyError(PluginError):
    """A policy-key declaration is invalid or clashes with another; stops start-up."""


class ValueType(enum.Enum):
    """The closed set of policy value types."""

    INT = "int"
    DECIMAL = "decimal"
    STRING = "str"
    BOOLEAN = "bool"
    DATE = "date"
    STRING_LIST = "list[str]"
    # 1–31; in a shorter month the deadline is the month's last day.
    DAY_OF_MONTH = "day_of_month"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    ValueType.INT: "整数",
    ValueType.DECIMAL: "数值（可带小数）",
    ValueType.STRING: "文本",
    ValueType.BOOLEAN: "是/否（true 或 false）",
    ValueType.DATE: "日期（YYYY-MM-DD）",
    ValueType.STRING_LIST: "文本列表",
    ValueType.DAY_OF_MONTH: "每月的日期（1–31）",
}

_ORDERED_TYPES = (ValueType.INT, ValueType.DECIMAL, ValueType.DATE, ValueType.DAY_OF_MONTH)

# Python types accepted in place of a ValueType in foreign declarations.
_PYTHON_TYPES: dict[type, ValueType] = {
    bool: ValueType.BOOLEAN,
    int: ValueType.INT,
    float: ValueType.DECIMAL,
    Decimal: ValueType.DECIMAL,
    str: ValueType.STRING,
    date: ValueType.DATE,
    list: ValueType.STRING_LIST,
    tuple: ValueType.STRING_LIST,
}


def _value_type(raw: object) -> ValueType:
    if isinstance(raw, ValueType):
        return raw
    if isinstance(raw, str):
        for member in ValueType:
            if raw in (member.value, member.name):
                return member
    if isinstance(raw, type) and raw in _PYTHON_TYPES:
        return _PYTHON_TYPES[raw]
    raise PolicyKeyError(f"unsupported policy value type {raw!r}; use one of {[t.value for t in ValueType]}")


@dataclass(frozen=True)
class PolicyKey:
    """One locality-policy value a plugin (or core) reads.

    ``key`` is dotted and starts with the owning plugin's name
    (``finance.approval.chair_max_yuan``); core uses its own namespaces
    (``org.``, ``plugin.``). ``plugin`` is filled in by the registry.
    ``validator`` receives the parsed value and returns ``None``/``True``
    when it is acceptable, ``False`` or a Chinese message when it is not.
    """

    key: str
    type: ValueType
    default: Any
    description: str
    plugin: str = ""
    # Display unit, e.g. "元", "户".
    unit: str | None = None
    min: Any = None
    max: Any = None
    choices: tuple[Any, ...] | None = None
    validator: Validator | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or len(self.key) > MAX_KEY_LENGTH or not KEY_PATTERN.match(self.key):
            raise PolicyKeyError(
                f"invalid policy key {self.key!r}: dotted lower-case words, e.g. 'finance.approval.chair_max_yuan', "
                f"at most {MAX_KEY_LENGTH} characters"
            )
        object.__setattr__(self, "type", _value_type(self.type))
        if not self.description or not self.description.strip():
            raise PolicyKeyError(f"policy key {self.key}: a Chinese description is required")
        if self.type is ValueType.DAY_OF_MONTH:
            object.__setattr__(self, "min", 1 if self.min is None else self.min)
            object.__setattr__(self, "max", 31 if self.max is None else self.max)
        for bound in ("min", "max"):
            raw = getattr(self, bound)
            if raw is None:
                continue
            if self.type not in _ORDERED_TYPES:
                raise PolicyKeyError(f"policy key {self.key}: {bound} applies only to numbers and dates")
            try:
                object.__setattr__(self, bound, self._convert(raw))
            except UserInputError as exc:
                raise PolicyKeyError(f"policy key {self.key}: {bound} {raw!r} is not a {self.type.value}") from exc
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PolicyKeyError(f"policy key {self.key}: min is greater than max")
        if self.choices is not None:
            try:
                choices = tuple(
                    self._convert_item(c) if self.type is ValueType.STRING_LIST else self._convert(c)
                    for c in self.choices
                )
            except UserInputError as exc:
                raise PolicyKeyError(f"policy key {self.key}: a choice is not a {self.type.value}") from exc
            if not choices:
                raise PolicyKeyError(f"policy key {self.key}: choices must not be empty")
            object.__setattr__(self, "choices", choices)
        try:
            object.__setattr__(self, "default", self.parse(self.default, field="default"))
        except UserInputError as exc:
            raise PolicyKeyError(f"policy key {self.key}: invalid default {self.default!r}: {exc}") from exc

    # --- naming ---------------------------------------------------------------

    @property
    def namespace(self) -> str:
        return self.key.split(".", 1)[0]

    def label(self) -> str:
        return f"“{self.description}”"

    # --- parsing and checking ---------------------------------------------------

    def parse(self, raw: Any, *, field: str = "value") -> Any:
        """The Python value for ``raw`` (from the API, a preset or code),
        checked against type, bounds, choices and validator.

        Raises ``UserInputError`` with codes ``WRONG_TYPE``, ``OUT_OF_RANGE``,
        ``NOT_ALLOWED`` or ``INVALID_VALUE`` and a Chinese message.
        """
        value = self._convert(raw, field=field)
        self._check(value, field)
        return value

    def _wrong_type(self, field: str, detail: str = "") -> UserInputError:
        return UserInputError("WRONG_TYPE", f"{self.label()}的取值须为{self.type.label}{detail}。", field)

    def _convert(self, raw: Any, *, field: str = "value") -> Any:
        kind = self.type
        if raw is None:
            raise self._wrong_type(field, "，不能为空")
        if kind in (ValueType.INT, ValueType.DAY_OF_MONTH):
            if isinstance(raw, bool):
                raise self._wrong_type(field)
            if isinstance(raw, int):
                return raw
            if isinstance(raw, (float, Decimal)) and raw == int(raw):
                return int(raw)
            if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d+\s*", raw):
                return int(raw)
            raise self._wrong_type(field)
        if kind is ValueType.DECIMAL:
            if isinstance(raw, bool):
                raise self._wrong_type(field)
            try:
                number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
            except (InvalidOperation, ValueError) as exc:
                raise self._wrong_type(field) from exc
            if not number.is_finite():
                raise self._wrong_type(field)
            return number
        if kind is ValueType.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
                return raw.strip().lower() == "true"
            raise self._wrong_type(field)
        if kind is ValueType.DATE:
            if isinstance(raw, datetime):
                raise self._wrong_type(field, "，不含时间")
            if isinstance(raw, date):
                return raw
            if isinstance(raw, str):
                try:
                    return date.fromisoformat(raw.strip())
                except ValueError as exc:
                    raise self._wrong_type(field) from exc
            raise self._wrong_type(field)
        if kind is ValueType.STRING:
            if not isinstance(raw, str):
                raise self._wrong_type(field)
            text = raw.strip()
            if not text:
                raise UserInputError("REQUIRED", f"{self.label()}的取值不能为空。", field)
            if len(text) > MAX_TEXT_LENGTH:
                raise UserInputError("OUT_OF_RANGE", f"{self.label()}的取值不能超过 {MAX_TEXT_LENGTH} 个字。", field)
            return text
        # STRING_LIST
        if isinstance(raw, (str, bytes)) or not isinstance(raw, Sequence):
            raise self._wrong_type(field, '（如 ["甲", "乙"]）')
        items = tuple(self._convert_item(item, field=field) for item in raw)
        if len(items) > MAX_LIST_ITEMS:
            raise UserInputError("OUT_OF_RANGE", f"{self.label()}最多 {MAX_LIST_ITEMS} 项。", field)
        return tuple(dict.fromkeys(items))

    def _convert_item(self, raw: Any, *, field: str = "value") -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise self._wrong_type(field, "，每一项都须为非空文本")
        if len(raw.strip()) > MAX_TEXT_LENGTH:
            raise UserInputError("OUT_OF_RANGE", f"{self.label()}的每一项不能超过 {MAX_TEXT_LENGTH} 个字。", field)
        return raw.strip()

    def _check(self, value: Any, field: str) -> None:
        if self.type in (ValueType.INT, ValueType.DECIMAL) and abs(value) > NUMBER_LIMIT:
            raise UserInputError(
                "OUT_OF_RANGE",
                f"{self.label()}的取值超出可用范围（绝对值不能超过 {NUMBER_LIMIT:,}），收到 {self.show(value)}。",
                field,
            )
        low, high = self.min, self.max
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                rule = f"须在 {self.show(low)} 到 {self.show(high)} 之间"
            elif low is not None:
                rule = f"不能小于 {self.show(low)}"
            else:
                rule = f"不能大于 {self.show(high)}"
            raise UserInputError("OUT_OF_RANGE", f"{self.label()}{rule}，收到 {self.show(value)}。", field)
        if self.choices is not None:
            given = value if self.type is ValueType.STRING_LIST else (value,)
            bad = [item for item in given if item not in self.choices]
            if bad:
                allowed = "、".join(self.show(c) for c in self.choices)
                raise UserInputError(
                    "NOT_ALLOWED", f"{self.label()}不接受“{'、'.join(map(str, bad))}”，可选值：{allowed}。", field
                )
        if self.validator is not None:
            verdict = self.validator(value)
            if verdict is False or isinstance(verdict, str):
                message = (
                    verdict if isinstance(verdict, str) else f"{self.label()}的取值 {self.show(value)} 不符合要求。"
                )
                raise UserInputError("INVALID_VALUE", message, field)

    # --- representations ------------------------------------------------------

    def to_plain(self, value: Any) -> Any:
        """The JSON-compatible form shown by the API."""
        if value is None:
            return None
        if self.type is ValueType.DECIMAL:
            return str(value)
        if self.type is ValueType.DATE:
            return value.isoformat()
        if self.type is ValueType.STRING_LIST:
            return list(value)
        return value

    def to_json(self, value: Any) -> str:
        """The canonical JSON text stored in the database."""
        return json.dumps(self.to_plain(value), ensure_ascii=False, separators=(",", ":"))

    def from_json(self, text: str) -> Any:
        """A stored value as a Python value (type conversion only: a value
        stored under an older declaration is not re-checked against bounds)."""
        return self._convert(json.loads(text))

    def show(self, value: Any) -> str:
        """A short human-readable form, with the display unit."""
        if value is None:
            return "（空）"
        if self.type is ValueType.BOOLEAN:
            text = "是" if value else "否"
        elif self.type is ValueType.STRING_LIST:
            text = "、".join(value) if value else "（无）"
        elif self.type is ValueType.DAY_OF_MONTH:
            text = f"{value} 日"
        else:
            text = str(self.to_plain(value))
        return f"{text} {self.unit}" if self.unit and self.type in (ValueType.INT, ValueType.DECIMAL) else text

    # --- foreign declarations -----------------------------------------------------

    @classmethod
    def adapt(cls, item: Any, plugin: str) -> PolicyKey:
        """A ``PolicyKey`` from a plugin's declaration, owned by ``plugin``.

        Besides ``PolicyKey`` itself, a record with ``key``, ``type`` (a
        ``ValueType``, its value, or ``int``/``float``/``Decimal``/``str``/
        ``bool``/``date``/``list``), ``default`` and ``description`` is
        accepted; its ``validate(value) -> bool`` method, if any, becomes
        the validator and receives the value as the declared Python type.
        """
        if isinstance(item, PolicyKey):
            return item if item.plugin == plugin else replace(item, plugin=plugin)
        missing = [name for name in ("key", "type", "default", "description") if not hasattr(item, name)]
        if missing:
            raise PolicyKeyError(f"plugin {plugin!r} declared a policy key without {', '.join(missing)}: {item!r}")
        declared_type = item.type
        kind = _value_type(declared_type)
        validate = getattr(item, "validate", None)
        validator: Validator | None = None
        if callable(validate):
            as_declared: Callable[[Any], Any] = (
                declared_type
                if isinstance(declared_type, type) and declared_type in (float, int, str, list)
                else lambda v: v
            )

            def validator(value: Any) -> bool:
                return bool(validate(as_declared(value)))

        default = item.default
        if isinstance(default, float):
            default = Decimal(repr(default))
        return cls(
            key=item.key,
            type=kind,
            default=default,
            description=item.description,
            plugin=plugin,
            unit=getattr(item, "unit", None),
            min=getattr(item, "min", None),
            max=getattr(item, "max", None),
            choices=getattr(item, "choices", None),
            validator=validator,
        )


def day_in_month(year: int, month: int, day: int) -> date:
    """The date a ``DAY_OF_MONTH`` value names in one month: the 31st of a
    30-day month is its 30th, the 29th–31st of February its last day."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def plugin_active_key(plugin: str, *, default: bool = True, title: str | None = None) -> PolicyKey:
    """The key ``plugin.<name>.active`` the host knows for every enabled
    plugin; ``title`` is the plugin's Chinese name (``plugin_title``)."""
    return PolicyKey(
        key=f"{PLUGIN_NAMESPACE}.{plugin}.active",
        type=ValueType.BOOLEAN,
        default=default,
        description=f"“{title or plugin}”模块在本单位及其下级是否启用",
        plugin=plugin,
    )
