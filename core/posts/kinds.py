"""Body kinds, post kinds and separation-of-duties rules: declared data.

Core declares the common ones below; an enabled plugin declares more
through the ``register_post_kinds`` hook (``BodyKind``, ``PostKind`` and
``PostConflict`` items in one list). The registry built from the hook
rejects:

- a code declared twice (by the same or different modules);
- a malformed code: core's are lower-case words joined by ``_``
  (``residents_committee``); a plugin's start with the plugin's name and a
  dot (``party.organizer`` for plugin ``party``);
- a conflict naming a post that is not declared.

Rows keep the codes; a code whose declaring plugin was later disabled still
reads, under its code as name, with no special behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.plugin_host import CORE_PLUGIN_MODULES, PluginError, PluginHost, declared_by, host_for_plugins, host_of

CORE_OWNER = "core"
MAX_CODE_LENGTH = 64
CORE_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
PLUGIN_CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class KindDeclarationError(PluginError):
    """Body or post kinds that cannot be used; stops start-up."""


@dataclass(frozen=True)
class BodyKind:
    """A kind of organization inside an org unit (党组织, 居民委员会 …).

    ``sized``: its membership is checked against the household-based
    staffing standard (``org.committee.*`` policy), as a warning."""

    code: str
    name: str
    description: str = ""
    sized: bool = False
    plugin: str = CORE_OWNER


@dataclass(frozen=True)
class PostKind:
    """A post a person holds in a body for a term.

    ``single_holder``: at most one current holder per body (主任, 书记 …).
    ``holds_funds``: every holder handles money or books; audited on leaving
    (离任审计). ``may_manage_funds``: a holder handles funds when the
    assignment says so (``PostAssignment.manages_funds``: 掌管社区经费的正、
    副主任和职业社区工作者), and is then audited on leaving too. ``seat``:
    counts as a member of the body (委员) for sizing."""

    code: str
    name: str
    description: str = ""
    single_holder: bool = False
    holds_funds: bool = False
    seat: bool = False
    may_manage_funds: bool = False
    plugin: str = CORE_OWNER


@dataclass(frozen=True)
class PostConflict:
    """Two posts one person may not hold at the same org unit at the same time."""

    first: str
    second: str
    reason_zh: str
    plugin: str = CORE_OWNER

    def other(self, post_code: str) -> str | None:
        """The other post of the pair, if ``post_code`` is in it."""
        if post_code == self.first:
            return self.second
        if post_code == self.second:
            return self.first
        return None


# --- core's declarations ------------------------------------------------------------------

RESIDENTS_COMMITTEE = "residents_committee"
VILLAGERS_COMMITTEE = "villagers_committee"

CORE_BODY_KINDS: tuple[BodyKind, ...] = (
    BodyKind("party_organization", "社区（村）党组织", "党委、党总支或党支部：社区的领导核心。"),
    BodyKind(RESIDENTS_COMMITTEE, "居民委员会", "居民自我管理、自我教育、自我服务的基层群众性自治组织。", sized=True),
    BodyKind(VILLAGERS_COMMITTEE, "村民委员会", "村民自治组织。", sized=True),
    BodyKind(
        "working_committee",
        "居委会下属委员会",
        "服务、治安调解、计划生育、文教、卫生、妇女儿童、双拥、老龄等工作委员会。",
    ),
    BodyKind("representatives_assembly", "社区成员代表大会", "居民会议或社区成员代表大会：每半年至少召开一次。"),
    BodyKind("service_centre", "社区公共事务服务中心（服务站）", "承接政府公共服务事项的专职工作机构。"),
    BodyKind("supervision_committee", "居务（村务）监督委员会", "监督居务公开和财务，按季度审计账目。"),
    BodyKind("mediation_committee", "人民调解委员会", "排查调处矛盾纠纷。"),
    BodyKind("governance_office", "综治办（综治维稳办）", "社会治安综合治理工作机构。"),
    BodyKind("grid_team", "网格服务团队", "负责一个网格的委员、社工和小组长。"),
    BodyKind("building_group", "楼院自治小组", "楼栋长、门栋长组成的楼院自治组织。"),
    BodyKind("owners_committee", "业主委员会", "业主自治组织，由社区指导和监督。"),
)

CORE_POST_KINDS: tuple[PostKind, ...] = (
    PostKind("secretary", "书记", "党组织书记。", single_holder=True, seat=True),
    PostKind("deputy_secretary", "副书记", seat=True),
    PostKind(
        "chair", "主任", "居（村）民委员会主任、委员会主任。", single_holder=True, seat=True, may_manage_funds=True
    ),
    PostKind("vice_chair", "副主任", seat=True, may_manage_funds=True),
    PostKind("member", "委员", "委员或成员。", seat=True),
    PostKind("accountant", "会计", "记账，与出纳分设。", single_holder=True, holds_funds=True),
    PostKind("cashier", "出纳", "管钱，不管账。", single_holder=True, holds_funds=True),
    PostKind("director", "站长（中心主任）", "服务中心、服务站或办公室的负责人。", single_holder=True),
    PostKind("deputy_director", "副站长（副主任）"),
    PostKind("community_worker", "社区专职工作者", may_manage_funds=True),
    PostKind("grid_worker", "网格员"),
    PostKind("building_head", "楼栋长"),
    PostKind("group_leader", "居民小组长"),
    PostKind("supervisor", "监督员", "居务（村务）监督委员会成员或居民监督员。"),
    PostKind("mediator", "调解员"),
    PostKind("representative", "代表", "居民代表或成员代表。"),
)

# 居委会财务制度：会计、出纳分设，钱账分离；主任不得兼任出纳；
# 监督人员不审计本人经手的账目和资金。
CORE_POST_CONFLICTS: tuple[PostConflict, ...] = (
    PostConflict("accountant", "cashier", "会计与出纳须分设，钱账分离"),
    PostConflict("chair", "cashier", "主任不得兼任出纳"),
    PostConflict("supervisor", "accountant", "监督人员不得监督本人经手的账目"),
    PostConflict("supervisor", "cashier", "监督人员不得监督本人经手的资金"),
)

CORE_DECLARATIONS: tuple[BodyKind | PostKind | PostConflict, ...] = (
    *CORE_BODY_KINDS,
    *CORE_POST_KINDS,
    *CORE_POST_CONFLICTS,
)


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KindRegistry:
    body_kinds: Mapping[str, BodyKind]
    post_kinds: Mapping[str, PostKind]
    conflicts: tuple[PostConflict, ...]

    def body_kind(self, code: str) -> BodyKind:
        """The declaration of ``code``; an undeclared code reads as itself."""
        return self.body_kinds.get(code) or BodyKind(code, code, plugin="")

    def post_kind(self, code: str) -> PostKind:
        """The declaration of ``code``; an undeclared code reads as itself."""
        return self.post_kinds.get(code) or PostKind(code, code, plugin="")

    def conflicts_of(self, post_code: str) -> dict[str, PostConflict]:
        """The posts that may not be held together with ``post_code``, with the rule."""
        return {other: c for c in self.conflicts if (other := c.other(post_code)) is not None}

    @property
    def funds_posts(self) -> tuple[str, ...]:
        return tuple(code for code, kind in self.post_kinds.items() if kind.holds_funds)

    @property
    def may_manage_funds_posts(self) -> tuple[str, ...]:
        """Posts whose holders handle funds when their assignment says so."""
        return tuple(code for code, kind in self.post_kinds.items() if kind.may_manage_funds and not kind.holds_funds)

    def is_funds_holder(self, post_code: str, manages_funds: bool) -> bool:
        """Whether a holder of ``post_code`` (whose assignment says ``manages_funds``) handles funds."""
        return post_code in self.funds_posts or (manages_funds and post_code in self.may_manage_funds_posts)

    @property
    def seat_posts(self) -> tuple[str, ...]:
        return tuple(code for code, kind in self.post_kinds.items() if kind.seat)

    @property
    def sized_body_kinds(self) -> tuple[str, ...]:
        return tuple(code for code, kind in self.body_kinds.items() if kind.sized)


def _with_owner(item: Any, owner: str) -> BodyKind | PostKind | PostConflict:
    if isinstance(item, (BodyKind, PostKind, PostConflict)):
        return item if item.plugin == owner else replace(item, plugin=owner)
    raise KindDeclarationError(f"not a BodyKind, PostKind or PostConflict: {item!r}")


def _code_problem(code: str, owner: str) -> str | None:
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH:
        return f"{code!r} is not a code of at most {MAX_CODE_LENGTH} characters"
    if owner == CORE_OWNER:
        return None if CORE_CODE.match(code) else f"{code!r}: core codes are lower-case words joined by '_'"
    if not PLUGIN_CODE.match(code) or code.split(".", 1)[0] != owner:
        return f"{code!r} must start with the plugin's name: '{owner}.'"
    return None


def build_kinds(declarations: Iterable[tuple[str, Iterable[Any]]]) -> KindRegistry:
    """Check and index declarations given as (owner, items) pairs; owner is
    ``core`` or a plugin name."""
    problems: list[str] = []
    bodies: dict[str, BodyKind] = {}
    posts: dict[str, PostKind] = {}
    conflicts: list[PostConflict] = []
    for owner, items in declarations:
        for raw in items:
            try:
                item = _with_owner(raw, owner)
            except KindDeclarationError as exc:
                problems.append(f"{owner}: {exc}")
                continue
            if isinstance(item, PostConflict):
                conflicts.append(item)
                continue
            problem = _code_problem(item.code, owner)
            if problem is None and not item.name.strip():
                problem = f"{item.code!r} needs a Chinese name"
            if problem:
                problems.append(f"{owner}: {problem}")
                continue
            table: dict[str, Any] = bodies if isinstance(item, BodyKind) else posts
            what = "body kind" if isinstance(item, BodyKind) else "post kind"
            if item.code in table:
                problems.append(
                    f"{what} {item.code!r} declared more than once: by {table[item.code].plugin} and by {owner}"
                )
                continue
            table[item.code] = item
    for conflict in conflicts:
        missing = [code for code in (conflict.first, conflict.second) if code not in posts]
        if missing or conflict.first == conflict.second or not conflict.reason_zh.strip():
            problems.append(
                f"{conflict.plugin}: conflict {conflict.first!r}/{conflict.second!r} needs two different declared posts "
                f"and a Chinese reason"
            )
    if problems:
        raise KindDeclarationError("invalid body or post kinds:\n  " + "\n  ".join(problems))
    unique: dict[frozenset[str], PostConflict] = {}
    for conflict in conflicts:
        unique.setdefault(frozenset((conflict.first, conflict.second)), conflict)
    return KindRegistry(body_kinds=dict(bodies), post_kinds=dict(posts), conflicts=tuple(unique.values()))


CORE_KINDS = build_kinds([(CORE_OWNER, CORE_DECLARATIONS)])


def build_registry(host: PluginHost) -> KindRegistry:
    """Collect and check the declarations of ``host``'s core modules and enabled plugins."""
    core_modules = set(CORE_PLUGIN_MODULES)
    collected: list[tuple[str, list[Any]]] = []
    problems: list[str] = []
    for impl in host.manager.hook.register_post_kinds.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        try:
            collected.append((owner, list(declared_by(impl))))
        except Exception as exc:  # the plugin's own error, shown with its name
            problems.append(f"{impl.plugin_name}: register_post_kinds failed: {exc!r}")
    if problems:
        raise KindDeclarationError("invalid body or post kinds:\n  " + "\n  ".join(problems))
    return build_kinds(collected)


def registry_for(host: PluginHost) -> KindRegistry:
    """The body and post kinds declared in a deployment, built and checked once per host."""
    return host.derived("posts.kinds", build_registry)


def registry_for_plugins(plugins: tuple[str, ...] | str) -> KindRegistry:
    """The kinds of a deployment with these enabled plugins (when no plugin host is at hand)."""
    return registry_for(host_for_plugins(plugins))


def registry_for_context(context: Any) -> KindRegistry:
    """The kinds behind a GraphQL request context (``info.context``)."""
    return registry_for(host_of(context))
