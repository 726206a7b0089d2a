"""Permissions and policy keys of work admission."""

from __future__ import annotations

from core.auth.permissions import Permission
from core.policy.keys import PolicyKey, ValueType
from core.settings import LEVEL_ROLES

VIEW = Permission(
    "admission.view",
    "查看准入事项清单、社区承担的报表和事项及其来源",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_supervisor",
        "auditor",
    ),
)
REGISTER = Permission(
    "admission.register",
    "登记拟进入社区的工作事项（待准入审批）",
    default_roles=("street_leader", "district_supervisor"),
)
APPROVE = Permission(
    "admission.approve",
    "审批社区工作准入事项（按地方策略规定的层级集体研究决定）",
    default_roles=("district_supervisor",),
)
REFUSE = Permission(
    "admission.refuse", "拒绝未经准入的事项（记录理由）", default_roles=("committee_chair", "party_secretary")
)
PERMISSIONS = (VIEW, REGISTER, APPROVE, REFUSE)

APPROVAL_LEVEL = PolicyKey(
    key="admission.approval_level",
    type=ValueType.STRING,
    default="county",
    choices=tuple(LEVEL_ROLES),
    description="社区工作准入由哪一层级审批（city 市、county 区/县、subdistrict 街道/乡镇）：事项须经该层级或更高层级批准（004：街道集体研究；001：市、区指导机构批准）",
)
COUNT_UNADMITTED = PolicyKey(
    key="admission.count_unadmitted",
    type=ValueType.BOOLEAN,
    default=True,
    description="未经准入的应报事项是否计入缺报：否时，没有已批准准入事项的报表、事项不计入应报和缺报（社区有权拒绝，001）；已被社区拒绝的一律不计",
)
POLICY_KEYS = (APPROVAL_LEVEL, COUNT_UNADMITTED)
