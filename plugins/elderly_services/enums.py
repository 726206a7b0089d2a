"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="老年人活动的种类。")
class ElderlyActivityKind(Enum):
    ACTIVITY = strawberry.enum_value("activity", description="文体活动")
    RESPECT = strawberry.enum_value("respect", description="敬老活动")
    EDUCATION = strawberry.enum_value("education", description="学习教育")
    HEALTH = strawberry.enum_value("health", description="健康保健")
