"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="文件的保存状态。")
class DocumentStatus(Enum):
    KEPT = strawberry.enum_value("kept", description="保存中")
    DISPOSAL_REQUESTED = strawberry.enum_value("disposal_requested", description="已申请销毁")
    DISPOSED = strawberry.enum_value("disposed", description="已销毁")


@strawberry.enum(description="档案交接的状态。")
class ArchiveHandoverStatus(Enum):
    PENDING = strawberry.enum_value("pending", description="待双方确认")
    CONFIRMED = strawberry.enum_value("confirmed", description="已交接")


@strawberry.enum(description="交接物品的种类。")
class ArchiveHandoverItemKind(Enum):
    ARCHIVE_FILE = strawberry.enum_value("archive_file", description="档案")
    BOOK = strawberry.enum_value("book", description="登记簿")
    SEAL = strawberry.enum_value("seal", description="印章")
    OTHER = strawberry.enum_value("other", description="其他")
