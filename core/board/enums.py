"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="公告的状态。")
class NoticeStatus(Enum):
    DRAFT = strawberry.enum_value("draft", description="草稿")
    PENDING_APPROVAL = strawberry.enum_value("pending_approval", description="待党组织审核")
    APPROVED = strawberry.enum_value("approved", description="已审核待公开")
    PUBLISHED = strawberry.enum_value("published", description="已公开")
    WITHDRAWN = strawberry.enum_value("withdrawn", description="已撤回")
    EXPIRED = strawberry.enum_value("expired", description="已过期：已公开且过了下架日期（不存储，按查询日期得出）")
