"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="查阅方式。")
class RecordReadKind(Enum):
    LIST = strawberry.enum_value("list", description="列表查阅")
    NODE = strawberry.enum_value("node", description="按编号查阅")
    EXPORT = strawberry.enum_value("export", description="导出")
    OWN = strawberry.enum_value("own", description="本人查阅")
