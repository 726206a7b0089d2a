"""The six books (六簿, DOMAIN 3.4) as registers generated from the records the
platform holds: meeting minutes, the mediation log, the letters-and-visits
log, the activity log, the register of residents and resident units, and
the seal-use register.

Core declares the books (code, name, columns). Entries come from sources
declared through ``register_archive_books``: core contributes its meetings,
households and stamped seal uses; plugins contribute theirs (party
meetings, dispute cases, appeals, activities, member units). A source is
read only by callers holding its ``read_permission`` at the unit and, for
a plugin's source, only where the plugin is active. A plugin may also
declare a book of its own (its code starting with the plugin's name).
Each book is exported as ``.xlsx`` for a unit and year and goes into the
yearly archive package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth.permissions import Principal
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by
from core.policy.service import CHINA_STANDARD_TIME, is_plugin_active


@dataclass(frozen=True)
class ArchiveBook:
    code: str
    name: str
    # Column headers; the first column of every entry is its date.
    headers: tuple[str, ...]


Entries = Callable[[Session, Principal, OrgUnit, int], Sequence[Sequence[Any]]]


@dataclass(frozen=True)
class BookSource:
    """Entries of ``book`` for a unit's subtree in a year (each a row in the
    book's columns, first the date), read with ``read_permission``."""

    book: str
    name: str
    read_permission: str
    entries: Entries = field(compare=False)
    plugin: str = ""


MEETING_MINUTES = ArchiveBook(
    "meeting_minutes", "会议记录簿", ("日期", "会议类别", "会议名称/议题", "召开单位", "出席/应到", "会议记录")
)
MEDIATION_LOG = ArchiveBook(
    "mediation_log", "民事调解登记簿", ("登记日期", "案号", "纠纷类别", "事由", "办理情况", "办结日期")
)
LETTERS_VISITS = ArchiveBook(
    "letters_visits", "来信来访登记簿", ("受理日期", "来信来访方式", "来访人", "反映事项", "办理情况", "反馈日期")
)
ACTIVITY_LOG = ArchiveBook("activity_log", "活动记录簿", ("日期", "活动类别", "活动名称", "地点", "参加人数"))
RESIDENTS_REGISTER = ArchiveBook(
    "residents_register",
    "居民及驻区单位登记簿",
    ("登记日期", "类别", "户号/单位名称", "户主/单位类型", "住址/管理方式", "人数"),
)
SEAL_USE_REGISTER = ArchiveBook(
    "seal_use_register",
    "用章登记簿",
    ("用印日期", "印章", "用印事由", "文件名称", "份数", "批准人", "用印人", "重大事项依据"),
)
SIX_BOOKS = (MEETING_MINUTES, MEDIATION_LOG, LETTERS_VISITS, ACTIVITY_LOG, RESIDENTS_REGISTER, SEAL_USE_REGISTER)


class ArchiveBookError(RuntimeError):
    """Book declarations that cannot be used."""


@dataclass(frozen=True)
class BookCatalogue:
    books: Mapping[str, ArchiveBook]
    sources: Mapping[str, tuple[BookSource, ...]]


def build_catalogue(host: PluginHost) -> BookCatalogue:
    core_modules = set(CORE_PLUGIN_MODULES)
    books: dict[str, ArchiveBook] = {}
    sources: list[BookSource] = []
    problems: list[str] = []
    for impl in host.manager.hook.register_archive_books.get_hookimpls():
        owner = "" if impl.plugin_name in core_modules else impl.plugin_name
        declared = declared_by(impl)
        for item in declared:
            if isinstance(item, ArchiveBook):
                if owner and not item.code.startswith(f"{owner}."):
                    problems.append(f"{impl.plugin_name}: book {item.code!r} must start with '{owner}.'")
                elif item.code in books:
                    problems.append(f"book {item.code!r} declared more than once")
                else:
                    books[item.code] = item
            else:
                sources.append(replace(item, plugin=owner))
    for source in sources:
        if source.book not in books:
            problems.append(f"{source.plugin or 'core'}: source {source.name!r} names unknown book {source.book!r}")
    if problems:
        raise ArchiveBookError("invalid archive books:\n  " + "\n  ".join(problems))
    return BookCatalogue(books, {code: tuple(s for s in sources if s.book == code) for code in books})


def catalogue_for(host: PluginHost) -> BookCatalogue:
    return host.derived("documents.archive_books", build_catalogue)


@dataclass(frozen=True)
class BookContent:
    book: ArchiveBook
    sources: tuple[str, ...]
    rows: list[Sequence[Any]]


def book_content(
    session: Session, host: PluginHost, principal: Principal, unit: OrgUnit, year: int, code: str
) -> BookContent | None:
    """The book's entries for ``unit`` and ``year`` from the sources the
    caller may read where they are active, ordered by date; ``None`` when
    the caller may read no source of it."""
    catalogue = catalogue_for(host)
    book = catalogue.books[code]
    readable = [
        s
        for s in catalogue.sources[code]
        if principal.reaches(s.read_permission, unit.path)
        and (not s.plugin or is_plugin_active(session, unit, s.plugin))
    ]
    if not readable:
        return None
    rows: list[Sequence[Any]] = []
    for source in readable:
        rows.extend(source.entries(session, principal, unit, year))
    rows.sort(key=lambda row: (row[0] is None, row[0] or date.min))
    return BookContent(book, tuple(s.name for s in readable), rows)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def local_date(moment: Any) -> date | None:
    return moment.astimezone(CHINA_STANDARD_TIME).date() if moment is not None else None


# --- core's sources --------------------------------------------------------------------


def _meetings(session: Session, principal: Principal, unit: OrgUnit, year: int) -> list[tuple[Any, ...]]:
    from core.meetings.kinds import kinds_for_session
    from core.meetings.models import Meeting

    low, high = year_bounds(year)
    kinds = kinds_for_session(session)
    # Each kind is read with its own permission (party meetings with the party's).
    readable = [code for code, kind in kinds.items() if principal.reaches(kind.view_permission, unit.path)]
    rows = session.execute(
        select(Meeting, OrgUnit.name)
        .join(OrgUnit, OrgUnit.id == Meeting.org_unit_id)
        .where(
            in_subtree(Meeting.org_path, unit.path),
            Meeting.held_on >= low,
            Meeting.held_on < high,
            Meeting.kind.in_(readable),
        )
        .order_by(Meeting.held_on, Meeting.id)
    )
    return [
        (
            m.held_on,
            kinds[m.kind].name if m.kind in kinds else m.kind,
            m.title,
            where,
            f"{m.present_count}/{m.expected_count}",
            m.minutes or "（未记录）",
        )
        for m, where in rows
    ]


def _households(session: Session, principal: Principal, unit: OrgUnit, year: int) -> list[tuple[Any, ...]]:
    from core.people.models import Household, HouseholdMember, Resident

    _low, high = year_bounds(year)
    members = (
        select(HouseholdMember.household_id, func.count().label("n"))
        .where(HouseholdMember.left_on.is_(None))
        .group_by(HouseholdMember.household_id)
        .subquery()
    )
    head = (
        select(HouseholdMember.household_id, func.min(Resident.name).label("head"))
        .join(Resident, Resident.id == HouseholdMember.resident_id)
        .where(HouseholdMember.left_on.is_(None), HouseholdMember.relationship_code == "02")
        .group_by(HouseholdMember.household_id)
        .subquery()
    )
    rows = session.execute(
        select(Household, members.c.n, head.c.head)
        .outerjoin(members, members.c.household_id == Household.id)
        .outerjoin(head, head.c.household_id == Household.id)
        .where(in_subtree(Household.org_path, unit.path))
        .order_by(Household.id)
    )
    found = []
    for household, count, head_name in rows:
        registered = local_date(household.created_at)
        if registered is not None and registered >= high:
            continue
        found.append(
            (
                registered,
                "居民户",
                household.household_number or f"户{household.id}",
                head_name or "",
                household.address or "",
                count or 0,
            )
        )
    return found


def _seal_uses(session: Session, principal: Principal, unit: OrgUnit, year: int) -> list[tuple[Any, ...]]:
    from sqlalchemy.orm import aliased

    from core.auth.models import User
    from core.seals.models import STAMPED, Seal, SealUse

    approver, stamper = aliased(User), aliased(User)
    rows = session.execute(
        select(SealUse, Seal.name, approver.display_name, stamper.display_name)
        .join(Seal, Seal.id == SealUse.seal_id)
        .outerjoin(approver, approver.id == SealUse.approved_by_id)
        .outerjoin(stamper, stamper.id == SealUse.stamped_by_id)
        .where(in_subtree(SealUse.org_path, unit.path), SealUse.status == STAMPED)
        .order_by(SealUse.stamped_at, SealUse.id)
    )
    return [
        (
            local_date(use.stamped_at),
            seal,
            use.purpose,
            use.document_title,
            use.copies,
            approved or "",
            stamped or "",
            use.decision_reference or "",
        )
        for use, seal, approved, stamped in rows
        if (day := local_date(use.stamped_at)) is not None and day.year == year
    ]


CORE_SOURCES = (
    BookSource(MEETING_MINUTES.code, "会议", "meetings.view", _meetings),
    BookSource(RESIDENTS_REGISTER.code, "人口库：居民户", "people.view", _households),
    BookSource(SEAL_USE_REGISTER.code, "印章管理：已用印", "seals.view", _seal_uses),
)
