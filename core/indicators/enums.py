"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="报表手工字段的值类型。")
class ReportFieldValueType(Enum):
    INT = strawberry.enum_value("int", description="整数")
    DECIMAL = strawberry.enum_value("decimal", description="数值")
    TEXT = strawberry.enum_value("text", description="文本")


@strawberry.enum(description="报表字段的取数方式。")
class ReportFieldSource(Enum):
    INDICATOR = strawberry.enum_value("indicator", description="由指标自动取数")
    MANUAL = strawberry.enum_value("manual", description="手工填写")


@strawberry.enum(description="报表数值的来源。")
class ReportValueSource(Enum):
    INDICATOR = strawberry.enum_value("indicator", description="自动取数")
    MANUAL = strawberry.enum_value("manual", description="手工填写")
    OVERRIDE = strawberry.enum_value("override", description="改动了自动取数（附理由）")


@strawberry.enum(description="报表填报的状态。")
class ReportSubmissionStatus(Enum):
    DRAFT = strawberry.enum_value("draft", description="填报中")
    SUBMITTED = strawberry.enum_value("submitted", description="已报送")
