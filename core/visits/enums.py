"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="走访方式。")
class VisitMethod(Enum):
    HOME = strawberry.enum_value("home", description="入户走访")
    PHONE = strawberry.enum_value("phone", description="电话随访")
    VIDEO = strawberry.enum_value("video", description="视频随访")
