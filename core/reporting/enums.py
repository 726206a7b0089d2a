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
