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
