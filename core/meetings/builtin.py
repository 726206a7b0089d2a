"""Core's built-in meeting kind: the representatives' assembly (社区成员代表大会
/ 居民代表会议 / 村民代表会议), declared here like a plugin would so that
finance can cite its resolutions wherever self-governance is not enabled.

Its roster is the holders of the ``representative`` post in the unit's
``representatives_assembly`` body (core posts). Quorum "过半数出席" and
decisions "出席人过半数通过" (000) are policy; results go on the public
board within a policy number of days. Core owes no cadence for it: a plugin
that keeps the assembly's calendar attaches its obligation with
``MeetingObligation`` (``core.meetings.kinds``).
"""

from __future__ import annotations

from core.meetings.kinds import MeetingKind, PostRoster
from core.meetings.rules import MORE_THAN_HALF, PRESENT, rule_keys
from core.policy.keys import PolicyKey, ValueType

REPRESENTATIVES_ASSEMBLY = "representatives_assembly"

ASSEMBLY_QUORUM = rule_keys(
    "meetings.representatives_assembly.quorum",
    rule=MORE_THAN_HALF,
    base=None,
    what="代表会议到会人数要求（以应到代表计；种子：过半数出席）",
)
ASSEMBLY_MAJORITY = rule_keys(
    "meetings.representatives_assembly.majority",
    rule=MORE_THAN_HALF,
    base=PRESENT,
    what="代表会议决定所需赞成票（种子：出席人过半数通过）",
)
ASSEMBLY_NOTICE_DAYS = PolicyKey(
    "meetings.representatives_assembly.notice_days",
    ValueType.INT,
    3,
    "代表会议须提前几日通知会议时间和议题（种子未规定，默认 3 日）",
    unit="日",
    min=0,
    max=60,
)
ASSEMBLY_PUBLISH_DAYS = PolicyKey(
    "meetings.representatives_assembly.publish_days",
    ValueType.INT,
    7,
    "代表会议的决定须在会后几日内在公开栏公开（种子未规定，默认 7 日）",
    unit="日",
    min=0,
    max=60,
)
ASSEMBLY_KIND = MeetingKind(
    code=REPRESENTATIVES_ASSEMBLY,
    name="社区成员代表大会（居民代表会议）",
    roster=PostRoster(("representative",), body_kind="representatives_assembly"),
    quorum=ASSEMBLY_QUORUM,
    resolution=ASSEMBLY_MAJORITY,
    notice_days=ASSEMBLY_NOTICE_DAYS,
    minutes_required=True,
    proxies_allowed=False,
    publish_within=ASSEMBLY_PUBLISH_DAYS,
    description="由居民代表（核心职务登记的“代表”）组成；过半数出席方可开会，出席人过半数通过。",
)

BUILTIN_KINDS = (ASSEMBLY_KIND,)
POLICY_KEYS = tuple(ASSEMBLY_KIND.policy_keys())
