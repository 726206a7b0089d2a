"""Permissions, locality-policy keys and the obligation type of the finance plugin.

Permissions say which roles may attempt an action; who may actually do it
is decided again from core's post assignments (``plugins.finance.duties``):
the accountant books, the cashier pays, the chair approves, and the
separation rules are checked on the posts people hold.
"""

from __future__ import annotations

from decimal import Decimal

from core.auth.permissions import Permission
from core.policy.keys import PolicyKey, ValueType
from core.reporting.obligations import DueRule, ObligationType
from core.settings import ROLE_GRASSROOTS

OVERSIGHT = ("street_staff", "street_leader", "district_supervisor", "auditor")

VIEW = Permission(
    "finance.view",
    "查看社区账簿、收支审批、审计与财务公开",
    default_roles=("accountant", "cashier", "committee_chair", "party_secretary", "community_worker", "supervisor", *OVERSIGHT),
)
EXPORT = Permission(
    "finance.export",
    "导出财务报表（Excel）",
    default_roles=("accountant", "committee_chair", "party_secretary", "supervisor", *OVERSIGHT),
)
MANAGE_BOOKS = Permission(
    "finance.manage_books",
    "设置账户与收支科目（建账）",
    default_roles=("accountant",),
)
BOOK = Permission(
    "finance.book",
    "记账、冲销、月结（会计；出纳不得记账）",
    default_roles=("accountant",),
)
REQUEST = Permission(
    "finance.request",
    "提出经费开支申请（经办人）",
    default_roles=("community_worker", "committee_chair", "party_secretary", "accountant", "cashier"),
)
APPROVE_CHAIR = Permission(
    "finance.approve_chair",
    "以居委会主任身份审批开支",
    default_roles=("committee_chair",),
)
APPROVE_STREET = Permission(
    "finance.approve_street",
    "以街道办事处分管主任身份同意开支",
    default_roles=("street_leader",),
)
RECORD_RESOLUTION = Permission(
    "finance.record_resolution",
    "登记社区成员代表大会关于开支的决定",
    default_roles=("committee_chair", "community_worker"),
)
FILE = Permission(
    "finance.file",
    "街道办事处对大额开支备案",
    default_roles=("street_staff", "street_leader"),
)
SIGN = Permission(
    "finance.sign",
    "在报销单据上签字（经办人、主任、书记或副主任）",
    default_roles=("community_worker", "committee_chair", "party_secretary", "accountant", "cashier"),
)
PAY = Permission(
    "finance.pay",
    "支付已审批的开支、拒付不合规开支、日清盘点现金（出纳）",
    default_roles=("cashier",),
)
AUDIT = Permission(
    "finance.audit",
    "审计账目（居务监督小组季度审计、离任审计）",
    default_roles=("supervisor", "auditor", "street_staff"),
)
DISCLOSE = Permission(
    "finance.disclose",
    "生成半年财务公开并送党组织审核",
    default_roles=("accountant", "committee_chair", "community_worker"),
)

PERMISSIONS = (
    VIEW,
    EXPORT,
    MANAGE_BOOKS,
    BOOK,
    REQUEST,
    APPROVE_CHAIR,
    APPROVE_STREET,
    RECORD_RESOLUTION,
    FILE,
    SIGN,
    PAY,
    AUDIT,
    DISCLOSE,
)

# 种子 000（青岛）：100 元以内主任审批；100 至 500 元报街道办事处分管主任同意；
# 500 元以上由社区成员代表大会决定并经街道同意，同时备案。
CHAIR_MAX = PolicyKey(
    "finance.approval.chair_max_yuan",
    ValueType.DECIMAL,
    Decimal("100"),
    "居委会主任可单独审批的开支上限（含本数）",
    unit="元",
    min=Decimal("0"),
)
STREET_MAX = PolicyKey(
    "finance.approval.street_max_yuan",
    ValueType.DECIMAL,
    Decimal("500"),
    "报街道办事处分管主任同意的开支上限（含本数）；超过须经社区成员代表大会决定、街道同意并备案",
    unit="元",
    min=Decimal("0"),
)
# 种子 001（吉林）：社区年工作经费每百户 1500 元；主任月补贴 1200 元，其他成员 1100 元。
FUNDING_PER_100 = PolicyKey(
    "finance.funding.per_100_households_yuan",
    ValueType.DECIMAL,
    Decimal("1500"),
    "社区年工作经费标准：每百户每年金额",
    unit="元",
    min=Decimal("0"),
)
CHAIR_ALLOWANCE = PolicyKey(
    "finance.allowance.chair_monthly_yuan",
    ValueType.DECIMAL,
    Decimal("1200"),
    "居委会主任月补贴标准",
    unit="元",
    min=Decimal("0"),
)
MEMBER_ALLOWANCE = PolicyKey(
    "finance.allowance.member_monthly_yuan",
    ValueType.DECIMAL,
    Decimal("1100"),
    "居委会其他成员月补贴标准",
    unit="元",
    min=Decimal("0"),
)
# 财务每半年公开一次；截止日期为期末次月的这一天。
DISCLOSURE_DUE_DAY = PolicyKey(
    "finance.disclosure.due_day",
    ValueType.DAY_OF_MONTH,
    15,
    "半年财务公开的截止日（期末次月的第几日）",
)
# 居务监督小组每季度审查账目一次，及时公布结果；截止日为季末次月的这一天。
AUDIT_DUE_DAY = PolicyKey(
    "finance.audit.due_day",
    ValueType.DAY_OF_MONTH,
    20,
    "季度财务审计结果公布的截止日（季末次月的第几日）",
)
MAJOR_ITEM_MIN = PolicyKey(
    "finance.disclosure.major_item_min_yuan",
    ValueType.DECIMAL,
    Decimal("500"),
    "财务公开中逐笔列示的大额支出起点",
    unit="元",
    min=Decimal("0"),
)
# 社区成员代表大会：过半数代表出席方可开会，决定须经出席代表过半数同意。
ASSEMBLY_MIN_REPRESENTATIVES = PolicyKey(
    "finance.assembly.min_representatives",
    ValueType.INT,
    30,
    "社区成员代表大会代表的最少人数",
    unit="人",
    min=1,
)

POLICY_KEYS = (
    CHAIR_MAX,
    STREET_MAX,
    FUNDING_PER_100,
    CHAIR_ALLOWANCE,
    MEMBER_ALLOWANCE,
    DISCLOSURE_DUE_DAY,
    AUDIT_DUE_DAY,
    MAJOR_ITEM_MIN,
    ASSEMBLY_MIN_REPRESENTATIVES,
)

DISCLOSURE_OBLIGATION = ObligationType(
    code="finance.disclosure",
    name="半年财务公开",
    kind="disclosure",
    levels=(ROLE_GRASSROOTS,),
    recurrence="half_yearly",
    due=DueRule(day_key=DISCLOSURE_DUE_DAY.key, month_offset=1),
    description="居委会财务收支每半年在公开栏公开一次，经党组织审核后公开即视为完成。",
)

AUDIT_OBLIGATION = ObligationType(
    code="finance.quarterly_audit",
    name="季度财务审计结果公布",
    kind="disclosure",
    levels=(ROLE_GRASSROOTS,),
    recurrence="quarterly",
    due=DueRule(day_key=AUDIT_DUE_DAY.key, month_offset=1),
    description="居务监督小组每季度审查一次账目并公布结果，审计结果经党组织审核后在公开栏公开即视为完成。",
)

OBLIGATION_TYPES = (DISCLOSURE_OBLIGATION, AUDIT_OBLIGATION)
