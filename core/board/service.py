"""The one API that publishes to a public board (公开栏); core's GraphQL and
every plugin go through it.

The life of a notice: ``draft_notice`` → ``submit_for_approval`` →
``approve`` (the party organization: ``board.approve``, 先党内后党外; the
approver is never the drafter, and records the organization's collective
decision: ``core.board.decisions``) or ``reject`` (back to draft, with a reason)
→ ``publish`` (``board.publish``; refuses a notice without a recorded
approval) → ``withdraw``. ``published_notices``
is what the board shows: published, not withdrawn and not expired on the
given day. Each step checks the caller's permission at the board's unit;
``who`` is a ``Principal`` or a request context.

A plugin that drafts a notice gives ``source_plugin`` and its own
``source_key`` and finds its publication again with ``notices_from_source``.
A notice drafted with ``obligation_instance_id`` fulfils that reporting
obligation (a half-yearly financial disclosure, say) when it is published,
and a government- or community-affairs notice fulfils its unit's monthly
disclosure of that month (``core.board.obligations``):
``publish`` submits the instance in the same transaction, on time or late
by the day of publication, and refuses while the period is locked.

The board is public: a title or body holding an ID number or a mobile
number (``core.privacy.personal_data``) is refused with
``PERSONAL_DATA_IN_NOTICE`` on the field, when drafted or corrected and
again on submission and publication.

Core never writes personal data into a notice; a plugin whose notice must
name people passes ``names_persons=True`` with the rule that requires it
(``personal_data_rule``), which is stored with the notice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, NotFoundError, UserInputError
from core.auth.permissions import PermissionRegistry, require, require_different_people
from core.board.categories import CORE_CATEGORIES, NoticeCategoryRegistry
from core.board.decisions import decision_for
from core.board.models import (
    APPROVED,
    CATEGORY_LENGTH,
    DECISION_REFERENCE_LENGTH,
    DRAFT,
    LABEL_LENGTH,
    PENDING_APPROVAL,
    PUBLISHED,
    SOURCE_KEY_LENGTH,
    SOURCE_PLUGIN_LENGTH,
    STATUS_NAMES,
    TITLE_LENGTH,
    WITHDRAWN,
    Notice,
)
from core.board.obligations import DISCLOSURE_OBLIGATIONS
from core.db import utcnow
from core.org.models import OrgUnit
from core.org.service import get_unit
from core.plugin_host import PluginHost
from core.policy.service import local_today
from core.privacy.personal_data import personal_data_problems
from core.reporting import service as reporting
from core.reporting.models import DONE_STATUSES, ObligationInstance

BOARD_VIEW = "board.view"
BOARD_DRAFT = "board.draft"
BOARD_APPROVE = "board.approve"
BOARD_PUBLISH = "board.publish"
PERSONAL_DATA_IN_NOTICE = "PERSONAL_DATA_IN_NOTICE"

CORE_CATEGORY_REGISTRY = NoticeCategoryRegistry({c.code: c for c in CORE_CATEGORIES})


def get_notice(session: Session, notice_id: int, *, field: str = "id") -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFoundError("公告", field)
    return notice


def _check_fields(
    *,
    title: str,
    body: str,
    category: str,
    publisher_label: str,
    period_start: date | None,
    period_end: date | None,
    expires_on: date | None,
    categories: NoticeCategoryRegistry | None,
) -> list[ErrorDetail]:
    """Problems with a notice's fields; ``categories`` None: the category was checked before."""
    problems: list[ErrorDetail] = []
    if not title.strip():
        problems.append(ErrorDetail("REQUIRED", "标题不能为空。", "title"))
    elif len(title.strip()) > TITLE_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"标题不能超过 {TITLE_LENGTH} 个字。", "title"))
    if not body.strip():
        problems.append(ErrorDetail("REQUIRED", "正文不能为空。", "body"))
    problems.extend(_personal_data(title, body))
    if categories is not None and (len(category) > CATEGORY_LENGTH or categories.get(category) is None):
        known = "、".join(f"{c.code}（{c.name}）" for c in categories.all())
        problems.append(ErrorDetail("UNKNOWN_CATEGORY", f"未知的公开类别“{category}”，可用类别：{known}。", "category"))
    if not publisher_label.strip():
        problems.append(ErrorDetail("REQUIRED", "请填写发布单位。", "publisherLabel"))
    elif len(publisher_label.strip()) > LABEL_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"发布单位不能超过 {LABEL_LENGTH} 个字。", "publisherLabel"))
    if period_start and period_end and period_end < period_start:
        problems.append(ErrorDetail("INVALID_DATE_RANGE", "公开期间的结束日期不能早于开始日期。", "periodEnd"))
    if expires_on is not None and period_start is not None and expires_on < period_start:
        problems.append(ErrorDetail("INVALID_DATE_RANGE", "下架日期不能早于公开期间的开始日期。", "expiresOn"))
    return problems


def _personal_data(title: str, body: str) -> list[ErrorDetail]:
    """ID numbers and mobile numbers in a notice: the board is public."""
    return personal_data_problems(
        {"title": title, "body": body},
        code=PERSONAL_DATA_IN_NOTICE,
        field_names={"title": "标题", "body": "正文"},
        where="公开栏",
    )


def _refuse_personal_data(notice: Notice) -> None:
    """Checked again on submission and publication: a notice written around
    this service (or before the check existed) never reaches the board."""
    problems = _personal_data(notice.title, notice.body)
    if problems:
        raise UserInputError(errors=problems)


def draft_notice(
    session: Session,
    who: Any,
    *,
    org_unit: OrgUnit | int,
    title: str,
    body: str,
    category: str,
    publisher_label: str,
    period_start: date | None = None,
    period_end: date | None = None,
    expires_on: date | None = None,
    source_plugin: str | None = None,
    source_key: str | None = None,
    names_persons: bool = False,
    personal_data_rule: str | None = None,
    obligation_instance_id: int | None = None,
    display_days: int | None = None,
    categories: NoticeCategoryRegistry = CORE_CATEGORY_REGISTRY,
    registry: PermissionRegistry | None = None,
) -> Notice:
    """A new draft on ``org_unit``'s board; the drafter needs ``board.draft`` there.
    With ``display_days``, the notice stays on the board that many days from
    its publication (``publish`` sets ``expires_on``) and then leaves it.
    With ``obligation_instance_id``, publishing the notice submits that
    instance, which must be owed by the same unit and not yet fulfilled."""
    unit = org_unit if isinstance(org_unit, OrgUnit) else get_unit(session, org_unit, field="orgUnitId")
    drafter = require(who, BOARD_DRAFT, unit, registry=registry)
    problems = _check_fields(
        title=title,
        body=body,
        category=category,
        publisher_label=publisher_label,
        period_start=period_start,
        period_end=period_end,
        expires_on=expires_on,
        categories=categories,
    )
    if (source_plugin is None) != (source_key is None):
        problems.append(ErrorDetail("INCOMPLETE_SOURCE", "来源插件与来源记录须同时给出。", "sourceKey"))
    if source_plugin is not None and len(source_plugin) > SOURCE_PLUGIN_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", "来源插件名称过长。", "sourcePlugin"))
    if source_key is not None and len(source_key) > SOURCE_KEY_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", "来源记录标识过长。", "sourceKey"))
    rule = (personal_data_rule or "").strip() or None
    if names_persons and rule is None:
        problems.append(
            ErrorDetail(
                "PERSONAL_DATA_RULE_REQUIRED", "公告含个人信息时，须写明要求公开姓名的规定。", "personalDataRule"
            )
        )
    if not names_persons and rule is not None:
        problems.append(
            ErrorDetail("PERSONAL_DATA_RULE_UNUSED", "公告不含个人信息时不填写公开依据。", "personalDataRule")
        )
    if obligation_instance_id is not None:
        problems.extend(_check_obligation(session, unit, obligation_instance_id))
    if display_days is not None and (display_days < 1 or expires_on is not None):
        problems.append(ErrorDetail("INVALID_VALUE", "公开天数至少为 1 天，且不与下架日期同时给出。", "displayDays"))
    if problems:
        raise UserInputError(errors=problems)
    notice = Notice(
        org_unit_id=unit.id,
        org_path=unit.path,
        title=title.strip(),
        body=body.strip(),
        category=category,
        period_start=period_start,
        period_end=period_end,
        expires_on=expires_on,
        status=DRAFT,
        publisher_label=publisher_label.strip(),
        drafted_by_id=drafter.id,
        source_plugin=source_plugin,
        source_key=source_key,
        names_persons=names_persons,
        personal_data_rule=rule,
        obligation_instance_id=obligation_instance_id,
        display_days=display_days,
    )
    session.add(notice)
    session.flush()
    return notice


def _check_obligation(session: Session, unit: OrgUnit, instance_id: int) -> list[ErrorDetail]:
    field = "obligationInstanceId"
    instance = session.get(ObligationInstance, instance_id)
    if instance is None:
        return [ErrorDetail("NOT_FOUND", "找不到要履行的报送事项。", field)]
    if instance.org_unit_id != unit.id:
        return [ErrorDetail("OTHER_UNIT", "只能履行本单位的报送事项。", field)]
    if instance.status in DONE_STATUSES and instance.reopened_at is None:
        return [ErrorDetail("ALREADY_SUBMITTED", "该期报送事项已完成。", field)]
    return []


def _expect(notice: Notice, *statuses: str, action: str) -> None:
    if notice.status not in statuses:
        wanted = "或".join(f"“{STATUS_NAMES[s]}”" for s in statuses)
        raise UserInputError(
            "INVALID_STATUS", f"公告当前为“{STATUS_NAMES[notice.status]}”，只有{wanted}的公告才能{action}。", "id"
        )


def submit_for_approval(
    session: Session, who: Any, notice: Notice, *, registry: PermissionRegistry | None = None
) -> Notice:
    """Draft → pending_approval: sent to the party organization."""
    principal = require(who, BOARD_DRAFT, notice.org_path, registry=registry)
    _expect(notice, DRAFT, action="提交审核")
    _refuse_personal_data(notice)
    notice.status = PENDING_APPROVAL
    notice.submitted_by_id = principal.id
    notice.submitted_at = utcnow()
    session.flush()
    return notice


def approve(
    session: Session,
    who: Any,
    notice: Notice,
    *,
    host: PluginHost,
    resolution_id: str | None = None,
    meeting_reference: str | None = None,
    meeting_on: date | None = None,
    today: date | None = None,
    registry: PermissionRegistry | None = None,
) -> Notice:
    """Pending_approval → approved, by the party organization (``board.approve``)
    and by someone other than the drafter and the submitter. The approval
    records the organization's collective decision (``core.board.decisions``):
    a committee meeting's resolution where a plugin keeps them, else the
    meeting the approver names (``meeting_reference``, ``meeting_on``)."""
    principal = require(who, BOARD_APPROVE, notice.org_path, registry=registry)
    _expect(notice, PENDING_APPROVAL, action="审核")
    require_different_people(notice.drafted_by_id, principal.id, field="id", requester="起草人", request="起草")
    require_different_people(notice.submitted_by_id, principal.id, field="id", requester="提交人", request="提交")
    decision = decision_for(
        session,
        host,
        notice,
        resolution_id=resolution_id,
        meeting_reference=meeting_reference,
        meeting_on=meeting_on,
        today=today or local_today(),
    )
    notice.status = APPROVED
    notice.approved_by_id = principal.id
    notice.approved_at = utcnow()
    notice.decision_source = decision.source
    notice.decision_key = decision.key
    notice.decision_reference = decision.reference[:DECISION_REFERENCE_LENGTH]
    notice.decision_on = decision.decided_on
    session.flush()
    return notice


def reject(
    session: Session, who: Any, notice: Notice, *, reason: str, registry: PermissionRegistry | None = None
) -> Notice:
    """Pending_approval → draft: the party organization (``board.approve``,
    not the drafter) sends the notice back with a reason, kept on the notice
    until the next rejection; the drafter corrects it and submits again."""
    principal = require(who, BOARD_APPROVE, notice.org_path, registry=registry)
    _expect(notice, PENDING_APPROVAL, action="退回")
    require_different_people(notice.drafted_by_id, principal.id, field="id", requester="起草人", request="起草")
    reason = (reason or "").strip()
    if not reason:
        raise UserInputError("REQUIRED", "请填写退回原因，以便起草人修改。", "reason")
    notice.status = DRAFT
    notice.rejected_by_id = principal.id
    notice.rejected_at = utcnow()
    notice.rejection_reason = reason
    notice.submitted_by_id = None
    notice.submitted_at = None
    session.flush()
    return notice


def update_draft(
    session: Session,
    who: Any,
    notice: Notice,
    *,
    title: str | None = None,
    body: str | None = None,
    expires_on: date | None = None,
    registry: PermissionRegistry | None = None,
) -> Notice:
    """Correct a draft (after a rejection, typically): ``board.draft``; only
    drafts change, so what was approved is what is published."""
    require(who, BOARD_DRAFT, notice.org_path, registry=registry)
    _expect(notice, DRAFT, action="修改")
    problems = _check_fields(
        title=notice.title if title is None else title,
        body=notice.body if body is None else body,
        category=notice.category,
        publisher_label=notice.publisher_label,
        period_start=notice.period_start,
        period_end=notice.period_end,
        expires_on=expires_on if expires_on is not None else notice.expires_on,
        categories=None,
    )
    if problems:
        raise UserInputError(errors=problems)
    if title is not None:
        notice.title = title.strip()
    if body is not None:
        notice.body = body.strip()
    if expires_on is not None:
        notice.expires_on = expires_on
    session.flush()
    return notice


def publish(
    session: Session,
    who: Any,
    notice: Notice,
    *,
    on: date | None = None,
    host: PluginHost | None = None,
    registry: PermissionRegistry | None = None,
) -> Notice:
    """Approved → published (``board.publish``). A notice without a recorded
    approval is refused (先党内后党外), and so is one already past its
    ``expires_on``. A notice that fulfils an obligation submits it (``host``
    is then required: it knows the lock rules)."""
    principal = require(who, BOARD_PUBLISH, notice.org_path, registry=registry)
    if notice.status in (DRAFT, PENDING_APPROVAL) or notice.approved_at is None or notice.approved_by_id is None:
        raise UserInputError("NOT_APPROVED", "公告须先经党组织审核，方可公开（先党内后党外）。", "id")
    _expect(notice, APPROVED, action="公开")
    _refuse_personal_data(notice)
    today = on or local_today()
    if notice.expires_on is not None and notice.expires_on < today:
        raise UserInputError("EXPIRED", "公告的下架日期已过，不能再公开。", "expiresOn")
    notice.status = PUBLISHED
    notice.published_by_id = principal.id
    notice.published_at = utcnow()
    if notice.display_days is not None:
        notice.expires_on = today + timedelta(days=notice.display_days - 1)
    if notice.obligation_instance_id is None:
        notice.obligation_instance_id = _monthly_disclosure(session, notice, today)
    if notice.obligation_instance_id is not None:
        if host is None:
            raise TypeError("publish() needs the host to submit the notice's obligation instance")
        instance = session.get(ObligationInstance, notice.obligation_instance_id)
        assert instance is not None  # a RESTRICT foreign key
        if not (instance.status in DONE_STATUSES and instance.reopened_at is None):
            reporting.submit(
                session, host, instance, user_id=principal.id, note=f"公开栏公告：{notice.title}", today=today
            )
    session.flush()
    return notice


def _monthly_disclosure(session: Session, notice: Notice, today: date) -> int | None:
    """The open instance of the monthly disclosure a notice of this category
    fulfils on its unit's board this month (政务、事务每月公开), if any."""
    kind = DISCLOSURE_OBLIGATIONS.get(notice.category)
    if kind is None:
        return None
    instance = session.scalar(
        select(ObligationInstance).where(
            ObligationInstance.type_code == kind.code,
            ObligationInstance.org_unit_id == notice.org_unit_id,
            ObligationInstance.period_start <= today,
            ObligationInstance.period_end >= today,
        )
    )
    if instance is None or (instance.status in DONE_STATUSES and instance.reopened_at is None):
        return None
    return instance.id


def withdraw(
    session: Session, who: Any, notice: Notice, *, reason: str, registry: PermissionRegistry | None = None
) -> Notice:
    """Take a notice off the board or out of the approval queue
    (``board.publish``); the record and the reason stay."""
    principal = require(who, BOARD_PUBLISH, notice.org_path, registry=registry)
    if not reason.strip():
        raise UserInputError("REQUIRED", "请填写撤回原因。", "reason")
    _expect(notice, PENDING_APPROVAL, APPROVED, PUBLISHED, action="撤回")
    notice.status = WITHDRAWN
    notice.withdrawn_by_id = principal.id
    notice.withdrawn_at = utcnow()
    notice.withdrawal_reason = reason.strip()
    session.flush()
    return notice


# --- reading ------------------------------------------------------------------------------


def published_statement(
    org_unit: OrgUnit | int, *, on: date | None = None, category: str | None = None
) -> Select[Notice]:
    """The notices on ``org_unit``'s board on day ``on`` (default today):
    published, not withdrawn, not expired. Unordered; see ``published_notices``."""
    unit_id = org_unit if isinstance(org_unit, int) else org_unit.id
    today = on or local_today()
    statement = select(Notice).where(
        Notice.org_unit_id == unit_id,
        Notice.status == PUBLISHED,
        or_(Notice.expires_on.is_(None), Notice.expires_on >= today),
    )
    if category is not None:
        statement = statement.where(Notice.category == category)
    return statement


BOARD_ORDER = (Notice.published_at, Notice.id)


def published_notices(
    session: Session,
    org_unit: OrgUnit | int,
    *,
    on: date | None = None,
    category: str | None = None,
    limit: int | None = None,
) -> list[Notice]:
    """What the board of ``org_unit`` shows, newest first, in one query."""
    statement = published_statement(org_unit, on=on, category=category).order_by(*(k.desc() for k in BOARD_ORDER))
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def notices_from_source(session: Session, source_plugin: str, source_key: str) -> list[Notice]:
    """The notices a plugin drafted for one of its records, oldest first."""
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.source_plugin == source_plugin, Notice.source_key == source_key)
            .order_by(Notice.id)
        )
    )
