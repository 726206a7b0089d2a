"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="会议签到状态。")
class AttendanceStatus(Enum):
    PENDING = strawberry.enum_value("pending", description="未签到")
    PRESENT = strawberry.enum_value("present", description="出席")
    ABSENT = strawberry.enum_value("absent", description="缺席")
    PROXY = strawberry.enum_value("proxy", description="委托出席")


@strawberry.enum(description="会议应到人员的来源。")
class MeetingRosterSource(Enum):
    POSTS = strawberry.enum_value("posts", description="职务登记（如居民代表、委员）")
    PLUGIN = strawberry.enum_value("plugin", description="模块名册（如党员）")
    NAMED = strawberry.enum_value("named", description="每次开会时逐一列明")
