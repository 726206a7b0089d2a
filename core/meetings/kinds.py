"""Meeting kinds (会议类型) declared through ``register_meeting_kinds``.

A kind says who is expected (the roster), the quorum and resolution rules
(``core.meetings.rules.VoteRule``: locality policy), how many days ahead the
notice is due, whether minutes are required, whether proxies are allowed,
whether votes are counts or a roll call, within how many days results are
published on the public board, and which reporting-calendar obligation a
quorate meeting of the kind fulfils.

Rosters:

- ``PostRoster(("representative",), body_kind="representatives_assembly")``:
  the holders of those posts in bodies (of that kind) at the meeting's unit,
  on the meeting's day (core posts);
- ``PluginRoster(load)``: ``load(RosterContext)`` returns ``RosterEntry``
  rows — a plugin's own membership (party members of an organization);
- ``NamedRoster()``: the participants are named when the meeting is created.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from core.api.errors import UserInputError
from core.meetings.rules import VoteRule
from core.plugin_host import CORE_PLUGIN_MODULES, PluginError, PluginHost, host_of
from core.policy.keys import PolicyKey, ValueType

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.org.models import OrgUnit

CORE_OWNER = "core"
COUNTS = "counts"
ROLL_CALL = "roll_call"


@dataclass(frozen=True)
class RosterEntry:
    """One person expected to attend: a resident of the core registry."""

    resident_id: int
    name: str
    # What the person attends as (委员, 党员, 代表 …), shown on the sheet.
    role: str | None = None


@dataclass(frozen=True)
class RosterContext:
    session: Session
    unit: OrgUnit
    on: date
    # The record holding the meeting, when the kind has one (a party organization).
    host_type: str | None
    host_id: int | None


@dataclass(frozen=True)
class PostRoster:
    post_codes: tuple[str, ...]
    body_kind: str | None = None


@dataclass(frozen=True)
class PluginRoster:
    load: Callable[[RosterContext], list[RosterEntry]] = field(compare=False)


@dataclass(frozen=True)
class NamedRoster:
    pass


Roster = PostRoster | PluginRoster | NamedRoster


@dataclass(frozen=True)
class MeetingKind:
    """A kind of meeting. ``code`` starts with the declaring plugin's name
    and a dot (core's built-in kinds have none: ``representatives_assembly``)."""

    code: str
    name: str
    roster: Roster
    quorum: VoteRule
    resolution: VoteRule
    # INT days ahead the notice is due (None: no notice rule, e.g. recorded afterwards).
    notice_days: PolicyKey | None = None
    minutes_required: bool = True
    proxies_allowed: bool = False
    voting: str = COUNTS
    # INT days after the meeting by which its results are on the public board (None: not published).
    publish_within: PolicyKey | None = None
    # A reporting-calendar obligation type code a quorate meeting fulfils.
    obligation: str | None = None
    # Obligations other plugins attach to this kind (``MeetingObligation``); set by the registry.
    attached_obligations: tuple[str, ...] = ()
    # The unit owing that obligation for a meeting (default: the meeting's
    # unit); None means this meeting fulfils nothing.
    obligation_unit: Callable[[Session, Any], OrgUnit | None] | None = field(default=None, compare=False)
    # The GraphQL type of the record holding the meeting (``PartyOrganization``), if any.
    host_type: str | None = None
    # Who sees and who runs meetings of this kind, at the meeting's unit.
    view_permission: str = "meetings.view"
    manage_permission: str = "meetings.manage"
    description: str = ""
    plugin: str = CORE_OWNER

    def obligation_codes(self) -> tuple[str, ...]:
        return ((self.obligation,) if self.obligation else ()) + self.attached_obligations

    def policy_keys(self) -> list[PolicyKey]:
        """Every policy key the kind reads; the declaring plugin registers them."""
        keys = [*self.quorum.policy_keys(), *self.resolution.policy_keys()]
        keys += [k for k in (self.notice_days, self.publish_within) if k is not None]
        return keys


@dataclass(frozen=True)
class MeetingObligation:
    """A cadence a plugin attaches to a kind declared elsewhere (core's
    ``representatives_assembly``): a quorate meeting of ``kind`` also
    fulfils the plugin's obligation type ``obligation``."""

    kind: str
    obligation: str


class MeetingKindError(PluginError):
    """Meeting-kind declarations that cannot be used."""


def _problem(kind: Any, owner: str) -> str | None:
    if not isinstance(kind, MeetingKind):
        return f"not a MeetingKind: {kind!r}"
    if owner != CORE_OWNER and not kind.code.startswith(f"{owner}."):
        return f"meeting kind {kind.code!r} must start with '{owner}.'"
    if len(kind.code) > 64:
        return f"meeting kind {kind.code!r} is longer than 64 characters"
    if kind.voting not in (COUNTS, ROLL_CALL):
        return f"meeting kind {kind.code!r}: voting must be {COUNTS!r} or {ROLL_CALL!r}"
    for key in (kind.notice_days, kind.publish_within):
        if key is not None and key.type is not ValueType.INT:
            return f"meeting kind {kind.code!r}: notice_days and publish_within must be INT policy keys (days)"
    if not isinstance(kind.roster, PostRoster | PluginRoster | NamedRoster):
        return f"meeting kind {kind.code!r}: roster must be PostRoster, PluginRoster or NamedRoster"
    return None


def build_kinds(host: PluginHost) -> dict[str, MeetingKind]:
    core_modules = set(CORE_PLUGIN_MODULES)
    found: dict[str, MeetingKind] = {}
    problems: list[str] = []
    attached: list[tuple[str, MeetingObligation]] = []
    for impl in host.manager.hook.register_meeting_kinds.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        declared = cast(list[Any], impl.function() or [])
        for item in declared:
            if isinstance(item, MeetingObligation):
                attached.append((impl.plugin_name, item))
                continue
            problem = _problem(item, owner)
            if problem:
                problems.append(f"{impl.plugin_name}: {problem}")
            elif item.code in found:
                problems.append(f"meeting kind {item.code!r} declared more than once")
            else:
                found[item.code] = replace(item, plugin=owner)
    for plugin_name, link in attached:
        kind = found.get(link.kind)
        if kind is None:
            problems.append(
                f"{plugin_name}: obligation {link.obligation!r} attached to unknown meeting kind {link.kind!r}"
            )
        else:
            found[link.kind] = replace(kind, attached_obligations=(*kind.attached_obligations, link.obligation))
    if problems:
        raise MeetingKindError("invalid meeting kinds:\n  " + "\n  ".join(problems))
    return found


def kinds_for(host: PluginHost) -> Mapping[str, MeetingKind]:
    return host.derived("meetings.kinds", build_kinds)


def kinds_for_session(session: Session) -> Mapping[str, MeetingKind]:
    """The kinds of the deployment whose session factory made ``session``."""
    from core.plugin_host import host_for_plugins
    from core.settings import settings_of

    return kinds_for(host_for_plugins(settings_of(session).plugins))


def kind_for(context: Any, code: str, *, field: str = "kind") -> MeetingKind:
    """The kind ``code`` names, or a user error."""
    kind = kinds_for(host_of(context)).get(code)
    if kind is None:
        raise UserInputError("UNKNOWN_MEETING_KIND", f"没有名为“{code}”的会议类型。", field)
    return kind
