"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="准入事项的状态。")
class AdmissionStatus(Enum):
    DRAFT = strawberry.enum_value("draft", description="待审批")
    APPROVED = strawberry.enum_value("approved", description="已准入")
    REVOKED = strawberry.enum_value("revoked", description="已撤销")


@strawberry.enum(description="准入管理的事项种类。")
class AdmissionSubjectKind(Enum):
    OBLIGATION_TYPE = strawberry.enum_value("obligation_type", description="应报事项")
    REPORT_FORM = strawberry.enum_value("report_form", description="报表")
    TASK = strawberry.enum_value("task", description="工作任务")
