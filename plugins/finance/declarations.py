"""Permissions, locality-policy keys and the obligation type of the finance plugin.

Permissions say which roles may attempt an action; who may actually do it
is decided again from core's post assignments (``plugins.finance.duties``):
the accountant books, the cashier pays, the chair approves, and the
separation rules are checked on the posts people hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from core.auth.permissions import Permission
from core.policy.keys import PolicyKey, ValueType
from core.policy.service import resolve_for_units
from core.policy.thresholds import AT_LEAST, AT_MOST, comparator_key
from core.reporting.obligations import DueRule, ObligationType, OwedWhere
from core.settings import ROLE_GRASSROOTS

OVERSIGHT = ("street_staff", "street_leader", "district_supervisor", "auditor")

VIEW = Permission(
    "finance.view",
    "查看社区账簿、收支审批、审计与财务公开",
    default_roles=(
        "accountant",
        "cashier",
        "committee_chair",
        "party_secretary",
        "community_worker",
        "supervisor",
        *OVERSIGHT,
    ),
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
    "登记社区成员代表大会（村“两委”联席会议、村民会议或村民代表会议）关于开支的决定",
    default_roles=("committee_chair", "party_secretary", "community_worker"),
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
    "支付已审批的开支、日清盘点现金（出纳）",
    default_roles=("cashier",),
)
# 对不符合规定的支出项目，财会人员有权拒绝支付或报销，必要时可向街道办事处或区有关部门反映 (000).
REFUSE = Permission(
    "finance.refuse",
    "拒绝支付或报销不合规的开支，必要时向街道办事处反映（会计、出纳）",
    default_roles=("accountant", "cashier"),
)
REVIEW_REFUSAL = Permission(
    "finance.review_refusal",
    "处理财会人员反映的拒付（街道办事处、区有关部门）",
    default_roles=("street_staff", "street_leader", "district_supervisor"),
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
    REFUSE,
    REVIEW_REFUSAL,
    AUDIT,
    DISCLOSE,
)

# 种子 000（青岛）：100 元以内主任审批；100 至 500 元报街道办事处分管主任同意；
# 500 元以上由社区成员代表大会决定并经街道同意，同时备案。The bands share 100
# and 500 (DOMAIN 3.2): each boundary carries its comparator, by default the
# literal reading — 以内 and 以上 include the number, so 100 is the chair's
# and 500 the assembly's.
# Upper bound of the approval amounts (1 亿元): far above any community
# expense, and safe to compute with in fen.
YUAN_LIMIT = Decimal(100000000)
CHAIR_MAX = PolicyKey(
    "finance.approval.chair_max_yuan",
    ValueType.DECIMAL,
    Decimal(100),
    "居（村）委会主任可单独审批的开支上限（“100元以内”）；上限本身归哪一档由“主任审批额度的比较方式”决定",
    unit="元",
    min=Decimal(0),
    max=YUAN_LIMIT,
)
CHAIR_COMPARATOR = comparator_key(
    "finance.approval.chair_comparator",
    AT_MOST,
    "主任审批额度的比较方式：默认“以内”含本数，由主任审批；选“不足”则上限本身归中额一档",
)
STREET_MAX = PolicyKey(
    "finance.approval.street_max_yuan",
    ValueType.DECIMAL,
    Decimal(500),
    "大额开支的起点（“500元以上”）：须经社区成员代表大会（村为村民会议或村民代表会议）决定；起点本身归哪一档由“大额开支起点的比较方式”决定",
    unit="元",
    min=Decimal(0),
    max=YUAN_LIMIT,
)
ASSEMBLY_COMPARATOR = comparator_key(
    "finance.approval.assembly_comparator",
    AT_LEAST,
    "大额开支起点的比较方式：默认“以上”含本数，即为大额；选“超过”则起点本身归中额一档",
)

# The approval steps of each band, in order (step codes: chair 主任审批,
# street 街道分管主任同意, assembly 社区成员代表大会决定, filing 街道备案,
# joint_meeting 村“两委”联席会议, villagers_meeting 村民会议或村民代表会议).
STEP_CODES = ("chair", "street", "assembly", "filing", "joint_meeting", "villagers_meeting")


def _valid_steps(value: tuple[str, ...]) -> str | None:
    if not value:
        return "审批步骤不能为空。"
    unknown = [v for v in value if v not in STEP_CODES]
    if unknown:
        return f"未知的审批步骤：{'、'.join(unknown)}。"
    if len(set(value)) != len(value):
        return "审批步骤不能重复。"
    return None


def _steps_key(key: str, default: tuple[str, ...], description: str) -> PolicyKey:
    return PolicyKey(key, ValueType.STRING_LIST, default, description, validator=_valid_steps)


CHAIR_STEPS = _steps_key("finance.approval.chair_steps", ("chair",), "社区小额开支（主任审批额度内）的审批步骤，按顺序")
STREET_STEPS = _steps_key(
    "finance.approval.street_steps",
    ("chair", "street"),
    "社区中额开支的审批步骤，按顺序（种子 000：报街道办事处分管主任同意）",
)
ASSEMBLY_STEPS = _steps_key(
    "finance.approval.assembly_steps",
    ("chair", "assembly", "street", "filing"),
    "社区大额开支的审批步骤，按顺序（种子 000：社区成员代表大会决定，街道办事处分管主任同意，同时备案）",
)
# 种子 003（村级组织）：重大开支由村党支部提出方案，提交村“两委”联席会议研究决定；
# 涉及村民切身利益的重大事项须经村民大会或村民代表会议表决通过后方可实施。
VILLAGE_CHAIR_STEPS = _steps_key(
    "finance.village.chair_steps", ("chair",), "村小额开支（村委会主任审批额度内）的审批步骤，按顺序"
)
VILLAGE_STREET_STEPS = _steps_key(
    "finance.village.street_steps",
    ("joint_meeting",),
    "村重大开支的审批步骤，按顺序（种子 003：村“两委”联席会议研究决定）",
)
VILLAGE_ASSEMBLY_STEPS = _steps_key(
    "finance.village.assembly_steps",
    ("joint_meeting", "villagers_meeting"),
    "涉及村民切身利益的村大额开支的审批步骤，按顺序（种子 003：两委联席会议决定后，经村民会议或村民代表会议表决通过）",
)
# 财务每半年公开一次 (000); 武汉：确保每季度更新公开内容 (003).
DISCLOSURE_MONTHS = PolicyKey(
    "finance.disclosure.months",
    ValueType.INT,
    6,
    "财务公开的周期（月）：6 为每半年一次（默认），3 为每季度一次",
    unit="个月",
    choices=(3, 6),
)
# 种子 001（吉林）：社区年工作经费每百户 1500 元；主任月补贴 1200 元，其他成员 1100 元。
FUNDING_PER_100 = PolicyKey(
    "finance.funding.per_100_households_yuan",
    ValueType.DECIMAL,
    Decimal(1500),
    "社区年工作经费标准：每百户每年金额",
    unit="元",
    min=Decimal(0),
    max=Decimal(10000000),
)
CHAIR_ALLOWANCE = PolicyKey(
    "finance.allowance.chair_monthly_yuan",
    ValueType.DECIMAL,
    Decimal(1200),
    "居委会主任月补贴标准",
    unit="元",
    min=Decimal(0),
    max=Decimal(1000000),
)
MEMBER_ALLOWANCE = PolicyKey(
    "finance.allowance.member_monthly_yuan",
    ValueType.DECIMAL,
    Decimal(1100),
    "居委会其他成员月补贴标准",
    unit="元",
    min=Decimal(0),
    max=Decimal(1000000),
)
# 财务每半年（或每季度）公开一次；截止日期为期末次月的这一天。
DISCLOSURE_DUE_DAY = PolicyKey(
    "finance.disclosure.due_day",
    ValueType.DAY_OF_MONTH,
    15,
    "财务公开的截止日（期末次月的第几日）",
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
    Decimal(500),
    "财务公开中逐笔列示的大额支出起点",
    unit="元",
    min=Decimal(0),
    max=YUAN_LIMIT,
)
# 社区成员代表大会：过半数代表出席方可开会，决定须经出席代表过半数同意。
ASSEMBLY_MIN_REPRESENTATIVES = PolicyKey(
    "finance.assembly.min_representatives",
    ValueType.INT,
    30,
    "社区成员代表大会代表的最少人数",
    unit="人",
    min=1,
    max=1000,
)

# Scans of a voucher's invoices and receipts (core.documents).
SCANS_REQUIRED = PolicyKey(
    "finance.payment.scans_required",
    ValueType.BOOLEAN,
    False,
    "出纳支付前，开支申请须附有发票或收据的扫描件（否：只须登记凭证信息）",
)
VOUCHER_SCAN_YEARS = PolicyKey(
    "finance.retention.voucher_scan_years",
    ValueType.INT,
    0,
    "发票、收据扫描件的保存年限；0 为永久保存（种子未规定年限）",
    unit="年",
    min=0,
    max=100,
)

POLICY_KEYS = (
    SCANS_REQUIRED,
    VOUCHER_SCAN_YEARS,
    CHAIR_MAX,
    CHAIR_COMPARATOR,
    STREET_MAX,
    ASSEMBLY_COMPARATOR,
    CHAIR_STEPS,
    STREET_STEPS,
    ASSEMBLY_STEPS,
    VILLAGE_CHAIR_STEPS,
    VILLAGE_STREET_STEPS,
    VILLAGE_ASSEMBLY_STEPS,
    DISCLOSURE_MONTHS,
    FUNDING_PER_100,
    CHAIR_ALLOWANCE,
    MEMBER_ALLOWANCE,
    DISCLOSURE_DUE_DAY,
    AUDIT_DUE_DAY,
    MAJOR_ITEM_MIN,
    ASSEMBLY_MIN_REPRESENTATIVES,
)


def _disclosing_every(months: int) -> OwedWhere:
    """The units whose disclosure cadence (``finance.disclosure.months``) on
    the period's first day is ``months``: each owes one of the two types."""

    def owed(session: Any, units: Sequence[Any], period: tuple[date, date]) -> list[int]:
        values = resolve_for_units(session, list(units), DISCLOSURE_MONTHS, period[0])
        return [unit.id for unit in units if int(values[unit.id].value) == months]

    return owed


DISCLOSURE_OBLIGATION = ObligationType(
    code="finance.disclosure",
    name="半年财务公开",
    kind="disclosure",
    levels=(ROLE_GRASSROOTS,),
    recurrence="half_yearly",
    due=DueRule(day_key=DISCLOSURE_DUE_DAY.key, month_offset=1),
    description="居委会财务收支每半年在公开栏公开一次，经党组织审核后公开即视为完成（财务公开周期为 6 个月的社区）。",
    owed_where=_disclosing_every(6),
)

QUARTERLY_DISCLOSURE_OBLIGATION = ObligationType(
    code="finance.quarterly_disclosure",
    name="季度财务公开",
    kind="disclosure",
    levels=(ROLE_GRASSROOTS,),
    recurrence="quarterly",
    due=DueRule(day_key=DISCLOSURE_DUE_DAY.key, month_offset=1),
    description="财务公开周期定为每季度的地方（如武汉：确保每季度更新公开内容），财务收支每季度公开一次，经党组织审核后公开即视为完成。",
    owed_where=_disclosing_every(3),
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

OBLIGATION_TYPES = (DISCLOSURE_OBLIGATION, QUARTERLY_DISCLOSURE_OBLIGATION, AUDIT_OBLIGATION)
# The disclosure obligation of each cadence (months).
DISCLOSURE_OBLIGATIONS = {6: DISCLOSURE_OBLIGATION, 3: QUARTERLY_DISCLOSURE_OBLIGATION}
