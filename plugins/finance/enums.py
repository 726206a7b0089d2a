"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="资金账户的类型。")
class FinanceAccountKind(Enum):
    CASH = strawberry.enum_value("cash", description="库存现金")
    BANK = strawberry.enum_value("bank", description="银行存款")


@strawberry.enum(description="开支审批的步骤。")
class FinanceApprovalStepKind(Enum):
    CHAIR = strawberry.enum_value("chair", description="居（村）委会主任审批")
    STREET = strawberry.enum_value("street", description="街道办事处分管主任同意")
    ASSEMBLY = strawberry.enum_value("assembly", description="社区成员代表大会决定")
    FILING = strawberry.enum_value("filing", description="街道办事处备案")
    JOINT_MEETING = strawberry.enum_value("joint_meeting", description="村“两委”联席会议研究决定")
    VILLAGERS_MEETING = strawberry.enum_value("villagers_meeting", description="村民会议或村民代表会议表决通过")


@strawberry.enum(description="审批步骤的状态。")
class FinanceApprovalStepStatus(Enum):
    PENDING = strawberry.enum_value("pending", description="待审批")
    APPROVED = strawberry.enum_value("approved", description="已同意")
    REJECTED = strawberry.enum_value("rejected", description="已驳回")


@strawberry.enum(description="财务审计的种类。")
class FinanceAuditKind(Enum):
    QUARTERLY = strawberry.enum_value("quarterly", description="季度审计（居务监督小组）")
    DEPARTURE = strawberry.enum_value("departure", description="离任审计")


@strawberry.enum(description="财务审计的状态。")
class FinanceAuditStatus(Enum):
    OPEN = strawberry.enum_value("open", description="审计中")
    COMPLETED = strawberry.enum_value("completed", description="已完成")


@strawberry.enum(description="收支方向。")
class FinanceDirection(Enum):
    INCOME = strawberry.enum_value("income", description="收入")
    EXPENSE = strawberry.enum_value("expense", description="支出")


@strawberry.enum(description="开支审批档次（按金额）。")
class FinanceApprovalTier(Enum):
    CHAIR = strawberry.enum_value("chair", description="小额")
    STREET = strawberry.enum_value("street", description="中额")
    ASSEMBLY = strawberry.enum_value("assembly", description="大额")


@strawberry.enum(description="开支审批程序（社区或村）。")
class FinanceApprovalProcedure(Enum):
    COMMUNITY = strawberry.enum_value("community", description="社区居委会财务制度")
    VILLAGE = strawberry.enum_value("village", description="村级组织：两委联席会议、村民会议")


@strawberry.enum(description="开支申请的状态。")
class FinanceExpenseRequestStatus(Enum):
    PENDING = strawberry.enum_value("pending", description="审批中")
    APPROVED = strawberry.enum_value("approved", description="已审批待支付")
    REJECTED = strawberry.enum_value("rejected", description="已驳回")
    PAID = strawberry.enum_value("paid", description="已支付待记账")
    BOOKED = strawberry.enum_value("booked", description="已记账")
    REFUSED = strawberry.enum_value("refused", description="财会人员拒付")
    CANCELLED = strawberry.enum_value("cancelled", description="经办人撤回")


@strawberry.enum(description="财务凭证的类型。")
class FinanceDocumentKind(Enum):
    INVOICE = strawberry.enum_value("invoice", description="发票")
    RECEIPT = strawberry.enum_value("receipt", description="收据")
    CONTRACT = strawberry.enum_value("contract", description="合同")
    PAYROLL = strawberry.enum_value("payroll", description="工资（补贴）表")
    OTHER = strawberry.enum_value("other", description="其他")


@strawberry.enum(description="开支单据上的签字身份。")
class FinanceSignatureRole(Enum):
    HANDLER = strawberry.enum_value("handler", description="经办人")
    CHAIR = strawberry.enum_value("chair", description="主任")
    SECRETARY = strawberry.enum_value("secretary", description="书记")
    VICE_CHAIR = strawberry.enum_value("vice_chair", description="副主任")
    SECOND_VICE_CHAIR = strawberry.enum_value("second_vice_chair", description="另一名副主任")
