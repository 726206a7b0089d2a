"""Government and community affairs are owed on the public board every month
(000: 政务、事务一般每月公开一次; DOMAIN 3.1): reporting-calendar obligations
core declares, fulfilled by publishing a notice of that category on the
owing unit's board (``core.board.service.publish``). The deadline day is
locality policy; finance's half-yearly disclosure is the finance plugin's.
"""

from __future__ import annotations

from core.policy.keys import PolicyKey, ValueType
from core.reporting.obligations import DueRule, ObligationType
from core.settings import ROLE_GRASSROOTS

DISCLOSURE_DUE_DAY = PolicyKey(
    key="board.disclosure.due_day",
    type=ValueType.DAY_OF_MONTH,
    default=31,
    description="政务、居（村）务每月公开的截止日（当月第几日；种子：一般每月公开一次）",
)

# The levels that keep a public board for residents (community or village).
LEVELS = (ROLE_GRASSROOTS,)

# Notice category -> the obligation its publication fulfils.
DISCLOSURE_OBLIGATIONS = {
    "government_affairs": ObligationType(
        code="board.government_affairs",
        name="政务公开（每月）",
        kind="disclosure",
        levels=LEVELS,
        recurrence="monthly",
        due=DueRule(DISCLOSURE_DUE_DAY.key, month_offset=0),
        # Fulfilled by publishing the notice, not by a generic submission.
        generic_submission=False,
        description="政务一般每月公开一次：在公开栏公开一条“政务公开”类公告即完成本月报送。",
    ),
    "community_affairs": ObligationType(
        code="board.community_affairs",
        name="居（村）务公开（每月）",
        kind="disclosure",
        levels=LEVELS,
        recurrence="monthly",
        due=DueRule(DISCLOSURE_DUE_DAY.key, month_offset=0),
        # Fulfilled by publishing the notice, not by a generic submission.
        generic_submission=False,
        description="事务一般每月公开一次：在公开栏公开一条“居（村）务公开”类公告即完成本月报送。",
    ),
}
