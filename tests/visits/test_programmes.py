"""Visit programme declarations (``register_visit_programmes``): a plugin's
codes stay in its namespace, a code is declared once, a programme has
categories; the rule builders select from the registry."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.hookspecs import hookimpl
from core.plugin_host import PluginHost, _new_manager
from core.policy.keys import PolicyKey, ValueType
from core.visits.programmes import (
    VisitCategory,
    VisitProgramme,
    VisitProgrammeError,
    build_programmes,
)

INTERVAL = PolicyKey(key="volunteer.visit_interval", type=ValueType.INT, default=30, description="走访周期（天）")


def _programme(code: str, *, categories: tuple[VisitCategory, ...] | None = None) -> VisitProgramme:
    return VisitProgramme(
        code=code,
        name="志愿者走访",
        categories=(VisitCategory("all", "全部", INTERVAL),) if categories is None else categories,
        record_permission="volunteer.visit",
        view_permission="volunteer.view",
    )


def _host(*programmes: VisitProgramme) -> PluginHost:
    manager = _new_manager()
    plugin = SimpleNamespace(register_visit_programmes=hookimpl(lambda: list(programmes)))
    manager.register(plugin, name="volunteer")
    return PluginHost(manager=manager, enabled=("volunteer",))


def test_a_plugin_declares_programmes_in_its_namespace() -> None:
    found = build_programmes(_host(_programme("volunteer.home_visits")))
    assert list(found) == ["volunteer.home_visits"]
    assert found["volunteer.home_visits"].plugin == "volunteer"
    assert found["volunteer.home_visits"].categories[0].interval_key == "volunteer.visit_interval"


@pytest.mark.parametrize(
    ("programmes", "message"),
    [
        ((_programme("elderly.visits"),), "must start with 'volunteer.'"),
        ((_programme("volunteer.a"), _programme("volunteer.a")), "declared more than once"),
        ((_programme("volunteer.empty", categories=()),), "has no category"),
    ],
)
def test_bad_declarations_stop_with_a_message(programmes: tuple[VisitProgramme, ...], message: str) -> None:
    with pytest.raises(VisitProgrammeError, match=message):
        build_programmes(_host(*programmes))
