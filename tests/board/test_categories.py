"""Notice categories: core's, and those plugins declare through
``register_notice_categories``."""

from __future__ import annotations

from typing import Any

import pytest

from core.board.categories import NoticeCategory, NoticeCategoryError, build_registry
from core.hookspecs import hookimpl
from core.plugin_host import load_plugin_host


class ElderlyPlugin:
    @hookimpl
    def register_notice_categories(self) -> list[Any]:
        return [NoticeCategory("elderly.subsidy", "高龄津贴公示")]


class CopyCat:
    @hookimpl
    def register_notice_categories(self) -> list[Any]:
        return [
            NoticeCategory("finance", "财务"),
            NoticeCategory("other.thing", "别人的类别"),
            NoticeCategory("copycat.x", " "),
        ]


def _host_with(name: str, plugin: object) -> Any:
    host = load_plugin_host(())
    host.manager.register(plugin, name=name)
    return host


def test_core_and_plugin_categories() -> None:
    registry = build_registry(_host_with("elderly", ElderlyPlugin()))
    assert [c.code for c in registry.all()][:5] == [
        "government_affairs",
        "community_affairs",
        "finance",
        "party_affairs",
        "other",
    ]
    assert registry.get("elderly.subsidy") == NoticeCategory("elderly.subsidy", "高龄津贴公示", "elderly")
    assert registry.name("party_affairs") == "党务公开"


def test_bad_categories_stop_with_a_message() -> None:
    with pytest.raises(NoticeCategoryError) as error:
        build_registry(_host_with("copycat", CopyCat()))
    message = str(error.value)
    assert "'finance' must start with 'copycat.'" in message
    assert "'other.thing' must start with 'copycat.'" in message
    assert "needs a code and a Chinese name" in message


def test_notice_categories_query_is_public(gql: Any) -> None:
    codes = [c["code"] for c in gql("{ noticeCategories { code name plugin } }")["noticeCategories"]]
    assert codes == ["government_affairs", "community_affairs", "finance", "party_affairs", "other"]
