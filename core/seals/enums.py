"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="用印申请的状态。")
class SealUseStatus(Enum):
    APPLIED = strawberry.enum_value("applied", description="待审批")
    APPROVED = strawberry.enum_value("approved", description="已批准待用印")
    STAMPED = strawberry.enum_value("stamped", description="已用印")
