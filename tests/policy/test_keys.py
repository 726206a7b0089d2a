"""Policy-key declarations and the registry: types, checks, duplicate and namespace rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from core.api.errors import UserInputError
from core.cli import main
from core.policy import PolicyKey, PolicyKeyError, ValueType, day_in_month
from core.policy.keys import Validator
from core.policy.registry import build_registry, registry_for
from core.testing import plugin_module
from tests.policy.conftest import host_with


def key(
    kind: ValueType,
    default: object,
    *,
    unit: str | None = None,
    min: object = None,
    max: object = None,
    choices: tuple[Any, ...] | None = None,
    validator: Validator | None = None,
) -> PolicyKey:
    return PolicyKey(
        key="demo.some.value",
        type=kind,
        default=default,
        description="测试项",
        unit=unit,
        min=min,
        max=max,
        choices=choices,
        validator=validator,
    )


def error_of(declaration: PolicyKey, raw: object) -> tuple[str, str, str | None]:
    with pytest.raises(UserInputError) as caught:
        declaration.parse(raw)
    detail = caught.value.errors[0]
    return detail.code, detail.message, detail.field


def test_each_type_parses_and_round_trips() -> None:
    cases = [
        (ValueType.INT, 300, "300", 300),
        (ValueType.DECIMAL, Decimal(100), 100.5, Decimal("100.5")),
        (ValueType.DECIMAL, Decimal(100), "0.10", Decimal("0.10")),
        (ValueType.STRING, "甲", "  乙 ", "乙"),
        (ValueType.BOOLEAN, True, False, False),
        (ValueType.DATE, date(2024, 1, 1), "2025-03-25", date(2025, 3, 25)),
        (ValueType.STRING_LIST, [], ["家庭", "邻里", "家庭"], ("家庭", "邻里")),
        (ValueType.DAY_OF_MONTH, 5, 25, 25),
    ]
    for kind, default, raw, expected in cases:
        declaration = key(kind, default)
        value = declaration.parse(raw)
        assert value == expected, kind
        assert declaration.from_json(declaration.to_json(value)) == expected, kind


def test_day_of_month_falls_back_to_the_last_day() -> None:
    assert day_in_month(2024, 3, 25) == date(2024, 3, 25)
    assert day_in_month(2024, 4, 31) == date(2024, 4, 30)
    assert day_in_month(2023, 2, 30) == date(2023, 2, 28)


def test_decimal_and_date_are_strings_in_json() -> None:
    assert key(ValueType.DECIMAL, 0).to_json(Decimal("1500.50")) == '"1500.50"'
    assert key(ValueType.DATE, date(2024, 1, 1)).to_plain(date(2024, 3, 25)) == "2024-03-25"


def test_wrong_type_messages_are_chinese_and_name_the_key() -> None:
    code, message, field = error_of(key(ValueType.INT, 1), "三百")
    assert (code, field) == ("WRONG_TYPE", "value")
    # The key by its Chinese description; its dotted code is for administrators' tools, not messages.
    assert "测试项" in message and "demo.some.value" not in message and "整数" in message
    assert error_of(key(ValueType.INT, 1), True)[0] == "WRONG_TYPE"
    assert error_of(key(ValueType.BOOLEAN, True), 1)[0] == "WRONG_TYPE"
    assert error_of(key(ValueType.DATE, date(2024, 1, 1)), "2024-02-30")[0] == "WRONG_TYPE"
    assert error_of(key(ValueType.STRING_LIST, []), "家庭")[0] == "WRONG_TYPE"
    assert error_of(key(ValueType.DECIMAL, 0), "NaN")[0] == "WRONG_TYPE"


def test_bounds_choices_and_validator() -> None:
    bounded = key(ValueType.INT, 300, min=1, max=1000, unit="户")
    code, message, _ = error_of(bounded, 0)
    assert code == "OUT_OF_RANGE" and "1 户 到 1000 户" in message
    assert error_of(key(ValueType.DAY_OF_MONTH, 5), 32)[0] == "OUT_OF_RANGE"
    chosen = key(ValueType.STRING, "月", choices=("月", "季"))
    assert error_of(chosen, "年")[0] == "NOT_ALLOWED"
    even = key(ValueType.INT, 2, validator=lambda v: None if v % 2 == 0 else "须为偶数。")
    assert error_of(even, 3)[:2] == ("INVALID_VALUE", "须为偶数。")


def test_bad_declarations_are_rejected() -> None:
    with pytest.raises(PolicyKeyError):
        PolicyKey(key="Bad Key", type=ValueType.INT, default=1, description="x")
    with pytest.raises(PolicyKeyError):
        PolicyKey(key="demo.x", type=ValueType.INT, default=0, description="x", min=1)
    not_a_value_type: Any = "float"  # what an untyped plugin could declare
    with pytest.raises(PolicyKeyError):
        PolicyKey(key="demo.x", type=not_a_value_type, default=0, description="x")
    with pytest.raises(PolicyKeyError):
        PolicyKey(key="demo.x", type=ValueType.INT, default=1, description="")


@dataclass(frozen=True)
class ForeignKey:
    """A declaration in the style of a plugin that does not import core.policy."""

    key: str
    type: type[float]
    default: object
    description: str

    def validate(self, value: object) -> bool:
        return isinstance(value, self.type) and value >= 0


def test_foreign_declarations_are_adapted() -> None:
    host = host_with(
        (
            "volunteer",
            plugin_module(
                "volunteer",
                register_policy_keys=lambda: [
                    ForeignKey("volunteer.min_registration_ratio", float, 0.10, "注册志愿者比例"),
                ],
            ),
        ),
    )
    declaration = build_registry(host).keys["volunteer.min_registration_ratio"]
    assert declaration.type is ValueType.DECIMAL and declaration.default == Decimal("0.1")
    assert declaration.plugin == "volunteer"
    assert declaration.parse("0.2") == Decimal("0.2")
    assert error_of(declaration, -1)[0] == "INVALID_VALUE"


def _declaring(*keys: PolicyKey):
    return lambda: list(keys)


def test_registry_knows_core_keys_and_plugin_active_keys() -> None:
    host = host_with(
        (
            "mediation",
            plugin_module(
                "mediation",
                register_policy_keys=_declaring(
                    PolicyKey(
                        key="mediation.monthly_summary.due_day",
                        type=ValueType.DAY_OF_MONTH,
                        default=5,
                        description="月报截止日",
                    ),
                ),
            ),
        )
    )
    registry = build_registry(host)
    assert registry.keys["org.grid.max_households"].default == 300
    assert registry.keys["org.grid.max_households"].plugin == "core"
    active = registry.keys["plugin.mediation.active"]
    assert active.type is ValueType.BOOLEAN and active.default is True and active.plugin == "mediation"
    assert registry.status("mediation.monthly_summary.due_day") == "declared"
    assert registry.status("mediation.nope") == "unknown"
    assert registry.status("org.nope") == "unknown"
    assert registry.status("finance.approval.chair_max_yuan") == "plugin_not_installed"
    assert registry.status("plugin.finance.active") == "plugin_not_installed"


def test_duplicate_keys_stop_start_up() -> None:
    due = PolicyKey(key="mediation.due_day", type=ValueType.DAY_OF_MONTH, default=5, description="截止日")
    host = host_with(("mediation", plugin_module("mediation", register_policy_keys=_declaring(due, due))))
    with pytest.raises(PolicyKeyError, match="mediation.due_day.*more than once"):
        registry_for(host)


def test_a_plugin_cannot_declare_a_key_of_another_or_of_core() -> None:
    host = host_with(
        (
            "finance",
            plugin_module(
                "finance",
                register_policy_keys=_declaring(
                    PolicyKey(key="org.grid.max_households", type=ValueType.INT, default=1, description="抢占核心的键"),
                    PolicyKey(
                        key="plugin.mediation.active", type=ValueType.BOOLEAN, default=False, description="替别人开关"
                    ),
                ),
            ),
        ),
        ("mediation", plugin_module("mediation", register_policy_keys=_declaring())),
    )
    with pytest.raises(PolicyKeyError) as caught:
        build_registry(host)
    message = str(caught.value)
    assert "must start with the plugin's name" in message
    assert "plugin.mediation.active" in message


def test_a_plugin_may_declare_its_own_active_default() -> None:
    host = host_with(
        (
            "finance",
            plugin_module(
                "finance",
                register_policy_keys=_declaring(
                    PolicyKey(
                        key="plugin.finance.active",
                        type=ValueType.BOOLEAN,
                        default=False,
                        description="财务模块须由地方开启",
                    ),
                ),
            ),
        )
    )
    assert build_registry(host).keys["plugin.finance.active"].default is False


def test_cli_reports_invalid_declarations(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    due = PolicyKey(key="mediation.due_day", type=ValueType.DAY_OF_MONTH, default=5, description="截止日")
    host = host_with(("mediation", plugin_module("mediation", register_policy_keys=_declaring(due, due))))

    class FakeDeployment:
        def __init__(self) -> None:
            self.host = host

    monkeypatch.setattr("core.cli.deployment_from_args", lambda _args: FakeDeployment())
    assert main(["--config", "/nonexistent/jiceng.toml", "policy", "keys"]) == 2
    assert "mediation.due_day" in capsys.readouterr().err


def test_numbers_beyond_what_services_can_compute_with_are_refused_for_every_key() -> None:
    """Even a key declared without a maximum refuses 1e308, naming the key."""
    unbounded = key(ValueType.DECIMAL, 0)
    code, message, field = error_of(unbounded, 1e308)
    assert (code, field) == ("OUT_OF_RANGE", "value")
    assert unbounded.description in message  # named by its Chinese description
    assert error_of(key(ValueType.INT, 0), 10**13)[0] == "OUT_OF_RANGE"
    assert error_of(key(ValueType.INT, 0), -(10**13))[0] == "OUT_OF_RANGE"
    assert unbounded.parse("999999999999.99") == Decimal("999999999999.99")


def test_every_built_in_numeric_key_declares_its_range() -> None:
    from core.cli import builtin_plugin_names
    from core.plugin_host import load_plugin_host

    registry = registry_for(load_plugin_host(builtin_plugin_names()))
    numeric = [k for k in registry.keys.values() if k.type in (ValueType.INT, ValueType.DECIMAL)]
    assert numeric
    unbounded = [k.key for k in numeric if k.choices is None and (k.min is None or k.max is None)]
    assert unbounded == []
