"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="应报事项的种类。")
class ObligationKind(Enum):
    REPORT = strawberry.enum_value("report", description="报表")
    MEETING = strawberry.enum_value("meeting", description="会议")
    DISCLOSURE = strawberry.enum_value("disclosure", description="公开")
    VISIT = strawberry.enum_value("visit", description="走访")


@strawberry.enum(description="某单位某一期应报事项的报送状态。")
class ObligationStatus(Enum):
    OPEN = strawberry.enum_value("open", description="待报")
    SUBMITTED = strawberry.enum_value("submitted", description="按时报送")
    ZERO_REPORT = strawberry.enum_value("zero_report", description="零报告（按时或逾期见 isLate）")
    LATE = strawberry.enum_value("late", description="逾期补报")
    MISSING = strawberry.enum_value("missing", description="逾期未报")


@strawberry.enum(description="应报事项的周期。")
class ObligationRecurrence(Enum):
    TIMES_A_MONTH = strawberry.enum_value("times_a_month", description="每月若干次（次数按地方策略）")
    HALF_MONTHLY = strawberry.enum_value("half_monthly", description="每半月")
    MONTHLY = strawberry.enum_value("monthly", description="每月")
    BIMONTHLY = strawberry.enum_value("bimonthly", description="每两个月")
    QUARTERLY = strawberry.enum_value("quarterly", description="每季度")
    HALF_YEARLY = strawberry.enum_value("half_yearly", description="每半年")
    YEARLY = strawberry.enum_value("yearly", description="每年")
    PER_EVENT = strawberry.enum_value("per_event", description="按事项")
