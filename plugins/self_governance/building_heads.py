"""Building heads (楼栋长, DOMAIN 2.7; seed 004): one per building, chosen by
self-nomination or co-nomination, the list published for the policy's number
of working days ("公示期为5个工作日", working days from core's holiday
calendar), objections by real name answered, then appointed to the post
(core posts: ``building_head`` in the building's 楼院自治小组)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.org.models import OrgUnit
from core.people.models import Resident
from core.policy.service import resolve
from core.posts import service as posts
from core.posts.models import Body, PostAssignment
from core.reporting.calendar import WorkingDays
from plugins.self_governance.common import check_taking_part, clean_text
from plugins.self_governance.declarations import BUILDING_HEAD_PUBLICITY_DAYS
from plugins.self_governance.models import (
    APPOINTED,
    NOMINATION_METHODS,
    PUBLICITY,
    SelfgovBuildingHeadNomination,
    SelfgovBuildingHeadObjection,
)

BUILDING_HEAD = "building_head"
BUILDING_GROUP = "building_group"


def add_working_days(session: Session, start: date, days: int, path: str) -> date:
    """The ``days``-th working day counting from ``start`` (``start`` itself
    when it is a working day), by the holiday calendar of the unit at ``path``."""
    calendar = WorkingDays(session, start, start + timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while True:
        if calendar.is_working_day(day, path):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def current_head(session: Session, building: OrgUnit, on: date) -> PostAssignment | None:
    return session.scalars(
        select(PostAssignment)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(Body.org_unit_id == building.id, PostAssignment.post_code == BUILDING_HEAD, posts.holds_on(on))
    ).first()


def nominate(
    session: Session,
    community: OrgUnit,
    building: OrgUnit,
    resident: Resident,
    *,
    method: str,
    recommenders: Sequence[Resident],
    today: date,
    user_id: int | None,
) -> SelfgovBuildingHeadNomination:
    if method not in NOMINATION_METHODS:
        raise UserInputError("UNKNOWN_METHOD", "推选方式须为 self（自荐）或 co（联名推荐）。", "method")
    if method == "self" and recommenders:
        raise UserInputError("RECOMMENDERS_UNUSED", "自荐不填写推荐人。", "recommenderIds")
    if method == "co" and not recommenders:
        raise UserInputError("RECOMMENDERS_REQUIRED", "联名推荐须登记推荐的居民。", "recommenderIds")
    if not resident.org_path.startswith(building.path):
        raise UserInputError(
            "NOT_OF_BUILDING", f"{resident.name}不住在“{building.name}”，不能推选为该楼栋长。", "residentId"
        )
    check_taking_part(session, community, resident, today, field="residentId", who="楼栋长人选")
    for index, recommender in enumerate(recommenders):
        if recommender.id == resident.id:
            raise UserInputError(
                "SELF_RECOMMENDED", "推荐人不能是被推荐人本人；本人推选请用自荐。", f"recommenderIds.{index}"
            )
        check_taking_part(session, community, recommender, today, field=f"recommenderIds.{index}", who="推荐人")
    pending = session.scalar(
        select(SelfgovBuildingHeadNomination.id).where(
            SelfgovBuildingHeadNomination.org_unit_id == building.id,
            SelfgovBuildingHeadNomination.resident_id == resident.id,
            SelfgovBuildingHeadNomination.status == PUBLICITY,
        )
    )
    if pending is not None:
        raise UserInputError("DUPLICATE", f"{resident.name}已是该楼栋正在公示的人选。", "residentId")
    days = int(resolve(session, community, BUILDING_HEAD_PUBLICITY_DAYS, today))
    nomination = SelfgovBuildingHeadNomination(
        org_unit_id=building.id,
        org_path=building.path,
        resident_id=resident.id,
        method=method,
        recommender_ids=",".join(str(r.id) for r in dict.fromkeys(recommenders)) or None,
        publicity_from=today,
        publicity_until=add_working_days(session, today, days, building.path),
        status=PUBLICITY,
        created_by_id=user_id,
    )
    session.add(nomination)
    session.flush()
    return nomination


def object_to(
    session: Session,
    community: OrgUnit,
    nomination: SelfgovBuildingHeadNomination,
    resident: Resident,
    *,
    reason: str,
    today: date,
) -> SelfgovBuildingHeadObjection:
    """An objection by real name during the publicity period."""
    if nomination.status != PUBLICITY or today > nomination.publicity_until:
        raise UserInputError("PUBLICITY_OVER", "公示期已结束，不再受理异议。", "nominationId")
    check_taking_part(session, community, resident, today, field="residentId", who="提出异议的居民")
    objection = SelfgovBuildingHeadObjection(
        nomination_id=nomination.id,
        resident_id=resident.id,
        reason=clean_text(reason, field="reason", what="异议内容", limit=None) or "",
        raised_on=today,
    )
    session.add(objection)
    session.flush()
    return objection


def answer_objection(
    session: Session, objection: SelfgovBuildingHeadObjection, answer: str
) -> SelfgovBuildingHeadObjection:
    if objection.answer is not None:
        raise UserInputError("ALREADY_ANSWERED", "该异议已答复。", "objectionId")
    objection.answer = clean_text(answer, field="answer", what="答复意见", limit=None)
    session.flush()
    return objection


def appoint(
    session: Session, nomination: SelfgovBuildingHeadNomination, *, today: date, term_end: date | None
) -> SelfgovBuildingHeadNomination:
    """After the publicity period, with every objection answered: the post."""
    if nomination.status != PUBLICITY:
        raise UserInputError("NOT_IN_PUBLICITY", "该人选不在公示中，不能任命。", "nominationId")
    if today <= nomination.publicity_until:
        raise UserInputError(
            "PUBLICITY_NOT_OVER",
            f"公示期至 {nomination.publicity_until}（工作日计算），期满后方可任命。",
            "nominationId",
        )
    unanswered = session.scalar(
        select(SelfgovBuildingHeadObjection.id).where(
            SelfgovBuildingHeadObjection.nomination_id == nomination.id, SelfgovBuildingHeadObjection.answer.is_(None)
        )
    )
    if unanswered is not None:
        raise UserInputError("OBJECTION_UNANSWERED", "公示期间有居民实名提出异议，答复后方可任命。", "nominationId")
    building = session.get(OrgUnit, nomination.org_unit_id)
    assert building is not None
    holder = current_head(session, building, today)
    if holder is not None:
        raise UserInputError("BUILDING_HAS_HEAD", f"“{building.name}”已有在任楼栋长，须先办理离任。", "nominationId")
    body = session.scalars(
        select(Body).where(Body.org_unit_id == building.id, Body.kind == BUILDING_GROUP).order_by(Body.id)
    ).first() or posts.create_body(
        session, org_unit_id=building.id, kind=BUILDING_GROUP, name=f"{building.name}楼院自治小组"
    )
    assignment = posts.assign(
        session,
        body_id=body.id,
        post_code=BUILDING_HEAD,
        resident_id=nomination.resident_id,
        term_start=today,
        term_end=term_end,
        note="经推选、公示后任命",
    )
    nomination.status = APPOINTED
    nomination.appointed_on = today
    nomination.assignment_id = assignment.id
    session.flush()
    return nomination
