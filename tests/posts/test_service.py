"""Posts and terms: 一肩挑, history, single holders, separation of duties,
funds holders, transfers and validation (service layer)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.app import Deployment
from core.hookspecs import hookimpl
from core.org import service as org_service
from core.org.models import OrgUnit
from core.plugin_host import PluginHost, load_plugin_host
from core.posts import service
from core.posts.kinds import (
    CORE_DECLARATIONS,
    CORE_KINDS,
    BodyKind,
    KindDeclarationError,
    KindRegistry,
    PostConflict,
    PostKind,
    build_kinds,
    registry_for,
)
from core.posts.models import Body, PostAssignment
from core.testing import plugin_module
from tests.posts.conftest import START, Tree


@pytest.fixture
def session(deployment: Deployment) -> Iterator[Session]:
    with deployment.session_factory() as session:
        yield session
        session.rollback()


def codes(error: pytest.ExceptionInfo[UserInputError]) -> list[str]:
    return [e.code for e in error.value.errors]


def assign(
    session: Session,
    tree: Tree,
    body: int,
    post: str,
    person: str,
    start: date = START,
    *,
    term_end: date | None = None,
    ended_on: date | None = None,
    end_reason: str | None = None,
    user_id: int | None = None,
    kinds: KindRegistry | None = None,
) -> PostAssignment:
    return service.assign(
        session,
        body_id=body,
        post_code=post,
        resident_id=tree.residents[person],
        term_start=start,
        term_end=term_end,
        ended_on=ended_on,
        end_reason=end_reason,
        user_id=user_id,
        kinds=kinds,
    )


# --- 一肩挑 ------------------------------------------------------------------------------------


def test_one_person_holds_secretary_chair_and_director_at_once(session: Session, tree: Tree) -> None:
    secretary = assign(session, tree, tree.party, "secretary", "张伟")
    chair = assign(session, tree, tree.committee, "chair", "张伟")
    director = assign(session, tree, tree.centre, "director", "张伟")
    assign(session, tree, tree.committee, "vice_chair", "王芳")

    assert service.is_same_person_holding(session, tree.community, "chair", "secretary")
    assert service.is_same_person_holding(session, tree.community, "chair", "secretary", "director")
    assert not service.is_same_person_holding(session, tree.community, "chair", "vice_chair")
    assert not service.is_same_person_holding(session, tree.sibling_community, "chair", "secretary")
    assert service.residents_holding_all(session, tree.community, "secretary", "chair") == [tree.residents["张伟"]]
    # Before the terms began nobody held them.
    assert not service.is_same_person_holding(session, tree.community, "chair", "secretary", on=date(2023, 12, 31))

    held = service.posts_of(session, tree.residents["张伟"], date(2024, 6, 1))
    assert [a.id for a in held] == [secretary.id, chair.id, director.id]
    assert {a.post_code for a in service.holders(session, tree.community, on=date(2024, 6, 1))} == {
        "secretary",
        "chair",
        "director",
        "vice_chair",
    }
    assert [a.id for a in service.holders(session, tree.community, "chair", date(2024, 6, 1))] == [chair.id]
    with pytest.raises(ValueError):
        service.is_same_person_holding(session, tree.community, "chair")


def test_one_person_split_across_units_is_not_one_shoulder(session: Session, tree: Tree) -> None:
    assign(session, tree, tree.committee, "chair", "张伟")
    other = service.create_body(
        session, org_unit_id=tree.other_community, kind="party_organization", name="东局子社区党支部"
    )
    assign(session, tree, other.id, "secretary", "张伟")
    assert not service.is_same_person_holding(session, tree.community, "chair", "secretary")
    assert not service.is_same_person_holding(session, tree.other_community, "chair", "secretary")


# --- history -----------------------------------------------------------------------------------


def test_ended_terms_stay_as_history(session: Session, tree: Tree) -> None:
    first = assign(session, tree, tree.committee, "chair", "王芳", date(2018, 1, 1), term_end=date(2020, 12, 31))
    service.end_term(session, first, ended_on=date(2021, 1, 1), reason="任期届满")
    second = assign(session, tree, tree.committee, "chair", "李娜", date(2021, 1, 1))

    assert [a.id for a in service.holders(session, tree.community, "chair", date(2020, 12, 31))] == [first.id]
    assert [a.id for a in service.holders(session, tree.community, "chair", date(2021, 1, 1))] == [second.id]
    assert service.posts_of(session, tree.residents["王芳"], date(2024, 1, 1)) == []
    history = service.posts_of(session, tree.residents["王芳"], include_ended=True)
    assert [(a.id, a.ended_on, a.end_reason) for a in history] == [(first.id, date(2021, 1, 1), "任期届满")]
    every = service.assignments_of_bodies(session, [tree.committee], include_ended=True)[tree.committee]
    assert [a.id for a in every] == [first.id, second.id]

    with pytest.raises(UserInputError) as error:
        service.end_term(session, first, ended_on=date(2022, 1, 1), reason="重复")
    assert codes(error) == ["ALREADY_ENDED"]
    with pytest.raises(UserInputError) as error:
        service.end_term(session, second, ended_on=date(2020, 1, 1), reason="")
    assert codes(error) == ["INVALID_DATE_RANGE", "REQUIRED"]


def test_past_terms_can_be_entered_after_the_current_one(session: Session, tree: Tree) -> None:
    current = assign(session, tree, tree.committee, "chair", "李娜", date(2021, 1, 1))
    past = assign(
        session,
        tree,
        tree.committee,
        "chair",
        "王芳",
        date(2018, 1, 1),
        ended_on=date(2021, 1, 1),
        end_reason="任期届满",
    )
    assert past.ended_on == date(2021, 1, 1)
    assert [a.id for a in service.holders(session, tree.community, "chair", date(2019, 5, 1))] == [past.id]
    assert [a.id for a in service.holders(session, tree.community, "chair", date(2022, 5, 1))] == [current.id]
    # A past term that overlaps the current one is refused.
    with pytest.raises(UserInputError) as error:
        assign(
            session,
            tree,
            tree.committee,
            "chair",
            "刘洋",
            date(2019, 1, 1),
            ended_on=date(2021, 2, 1),
            end_reason="辞职",
        )
    assert codes(error) == ["POST_OCCUPIED"]
    with pytest.raises(UserInputError) as error:
        assign(session, tree, tree.committee, "member", "刘洋", date(2019, 1, 1), ended_on=date(2020, 1, 1))
    assert codes(error) == ["REQUIRED"]


def test_transfer_ends_one_term_and_starts_the_next_on_the_same_day(session: Session, tree: Tree) -> None:
    cashier = assign(session, tree, tree.committee, "cashier", "陈静", term_end=date(2026, 12, 31))
    ended, successor = service.transfer(
        session, cashier, resident_id=tree.residents["杨帆"], on=date(2025, 3, 1), reason="调任"
    )
    assert ended.ended_on == date(2025, 3, 1) and ended.end_reason == "调任"
    assert successor.term_start == date(2025, 3, 1) and successor.term_end == date(2026, 12, 31)
    assert successor.predecessor_id == cashier.id
    assert [a.resident_id for a in service.holders(session, tree.community, "cashier", date(2025, 2, 28))] == [
        tree.residents["陈静"]
    ]
    assert [a.resident_id for a in service.holders(session, tree.community, "cashier", date(2025, 3, 1))] == [
        tree.residents["杨帆"]
    ]
    with pytest.raises(UserInputError) as error:
        service.transfer(session, cashier, resident_id=tree.residents["王芳"], on=date(2025, 4, 1), reason="再次")
    assert codes(error) == ["ALREADY_ENDED"]
    with pytest.raises(UserInputError) as error:
        service.transfer(session, successor, resident_id=tree.residents["杨帆"], on=date(2025, 4, 1), reason="同人")
    assert codes(error) == ["SAME_PERSON"]


# --- single holders and duplicates ---------------------------------------------------------------


def test_single_holder_post_has_one_current_holder(session: Session, tree: Tree) -> None:
    assign(session, tree, tree.committee, "chair", "张伟")
    with pytest.raises(UserInputError) as error:
        assign(session, tree, tree.committee, "chair", "王芳", date(2024, 6, 1))
    assert codes(error) == ["POST_OCCUPIED"]
    assert "张伟" in error.value.errors[0].message
    # A post for several holders takes several.
    assign(session, tree, tree.committee, "vice_chair", "王芳")
    assign(session, tree, tree.committee, "vice_chair", "李娜")
    assign(session, tree, tree.committee, "member", "刘洋")
    assign(session, tree, tree.committee, "member", "陈静")
    # Another body of the same unit has its own chair; so has another unit.
    sub = service.create_body(session, org_unit_id=tree.community, kind="working_committee", name="治安调解委员会")
    assign(session, tree, sub.id, "chair", "王芳")
    assert len(service.holders(session, tree.community, "chair")) == 2


@pytest.mark.parametrize("post", ["secretary", "accountant", "cashier"])
def test_other_single_holder_posts(session: Session, tree: Tree, post: str) -> None:
    body = tree.party if post == "secretary" else tree.committee
    assign(session, tree, body, post, "王芳")
    with pytest.raises(UserInputError) as error:
        assign(session, tree, body, post, "李娜", date(2025, 1, 1))
    assert codes(error) == ["POST_OCCUPIED"]


def test_same_person_cannot_hold_the_same_post_twice_at_once(session: Session, tree: Tree) -> None:
    assign(session, tree, tree.committee, "member", "刘洋")
    with pytest.raises(UserInputError) as error:
        assign(session, tree, tree.committee, "member", "刘洋", date(2025, 1, 1))
    assert codes(error) == ["ALREADY_HOLDS"]


# --- separation of duties ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("accountant", "cashier"),
        ("cashier", "accountant"),
        ("chair", "cashier"),
        ("cashier", "chair"),
        ("supervisor", "cashier"),
    ],
)
def test_separation_of_duties_is_refused(session: Session, tree: Tree, first: str, second: str) -> None:
    body_of = {"supervisor": tree.supervision}
    assign(session, tree, body_of.get(first, tree.committee), first, "陈静")
    with pytest.raises(UserInputError) as error:
        assign(session, tree, body_of.get(second, tree.committee), second, "陈静", date(2024, 3, 1))
    assert codes(error) == ["SEPARATION_OF_DUTIES"]
    assert error.value.errors[0].field == "postCode"
    assert "陈静" in error.value.errors[0].message


def test_separation_applies_across_bodies_of_one_unit_only_while_both_run(session: Session, tree: Tree) -> None:
    accountant = assign(session, tree, tree.committee, "accountant", "陈静")
    other_body = service.create_body(session, org_unit_id=tree.community, kind="service_centre", name="文庙社区财务室")
    with pytest.raises(UserInputError) as error:
        assign(session, tree, other_body.id, "cashier", "陈静")
    assert codes(error) == ["SEPARATION_OF_DUTIES"]
    # At another unit the same person may be cashier.
    other = service.create_body(
        session, org_unit_id=tree.other_community, kind="residents_committee", name="东局子社区居委会"
    )
    assign(session, tree, other.id, "cashier", "陈静")
    # Once the accountant's term is over, the cashier's post is open to them here too.
    service.end_term(session, accountant, ended_on=date(2025, 1, 1), reason="辞职")
    assign(session, tree, tree.committee, "cashier", "陈静", date(2025, 1, 1))


# --- funds --------------------------------------------------------------------------------------


def test_who_holds_funds_includes_declared_funds_posts(session: Session, tree: Tree) -> None:
    kinds = build_kinds(
        [("core", CORE_DECLARATIONS), ("finance", [PostKind("finance.custodian", "报账员", holds_funds=True)])]
    )
    accountant = assign(session, tree, tree.committee, "accountant", "陈静", kinds=kinds)
    cashier = assign(session, tree, tree.committee, "cashier", "杨帆", kinds=kinds)
    custodian = assign(session, tree, tree.centre, "finance.custodian", "刘洋", kinds=kinds)
    assign(session, tree, tree.committee, "chair", "张伟", kinds=kinds)
    old = assign(
        session, tree, tree.committee, "accountant", "王芳", date(2020, 1, 1), ended_on=START, end_reason="调任"
    )

    holding = service.who_holds_funds(session, tree.community, date(2024, 6, 1), kinds=kinds)
    assert {a.id for a in holding} == {accountant.id, cashier.id, custodian.id}
    # Without the plugin's declarations only core's funds posts count.
    assert {a.id for a in service.who_holds_funds(session, tree.community, date(2024, 6, 1))} == {
        accountant.id,
        cashier.id,
    }
    assert service.who_holds_funds(session, tree.sibling_community) == []
    assert [a.id for a in service.funds_departures(session, tree.community, date(2023, 1, 1))] == [old.id]
    assert service.funds_departures(session, tree.community, date(2023, 1, 1), date(2023, 12, 31)) == []


# --- validation -----------------------------------------------------------------------------------


def test_bad_input_is_refused_with_chinese_messages(session: Session, tree: Tree) -> None:
    with pytest.raises(UserInputError) as error:
        assign(session, tree, tree.committee, "mayor", "张伟", date(2024, 5, 1), term_end=date(2024, 1, 1))
    assert codes(error) == ["UNKNOWN_POST", "INVALID_DATE_RANGE"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in error.value.errors)
    with pytest.raises(UserInputError) as error:
        service.assign(
            session, body_id=999_999, post_code="chair", resident_id=tree.residents["张伟"], term_start=START
        )
    assert codes(error) == ["NOT_FOUND"] and error.value.errors[0].field == "bodyId"
    with pytest.raises(UserInputError) as error:
        service.assign(session, body_id=tree.committee, post_code="chair", resident_id=999_999, term_start=START)
    assert codes(error) == ["NOT_FOUND"] and error.value.errors[0].field == "residentId"
    with pytest.raises(UserInputError) as error:
        assign(session, tree, tree.committee, "chair", "张伟", user_id=999_999)
    assert codes(error) == ["NOT_FOUND"] and error.value.errors[0].field == "userId"
    with pytest.raises(UserInputError) as error:
        service.create_body(session, org_unit_id=tree.community, kind="club", name=" ")
    assert codes(error) == ["REQUIRED", "UNKNOWN_BODY_KIND"]
    with pytest.raises(UserInputError) as error:
        service.create_body(session, org_unit_id=tree.community, kind="residents_committee", name="文庙社区居民委员会")
    assert codes(error) == ["DUPLICATE_BODY"]
    assert session.scalar(select(func.count()).select_from(PostAssignment)) == 0


def test_a_dissolved_unit_takes_no_new_bodies_or_terms(session: Session, tree: Tree, deployment: Deployment) -> None:
    unit = session.get(OrgUnit, tree.community)
    assert unit is not None
    org_service.update_unit(session, deployment.settings, unit, dissolved_on=date(2025, 1, 1))
    assign(session, tree, tree.committee, "member", "刘洋", date(2024, 12, 1))
    with pytest.raises(UserInputError) as error:
        assign(session, tree, tree.committee, "member", "陈静", date(2025, 1, 1))
    assert codes(error) == ["ORG_UNIT_DISSOLVED"]
    with pytest.raises(UserInputError) as error:
        service.create_body(session, org_unit_id=tree.community, kind="mediation_committee", name="调委会")
    assert codes(error) == ["ORG_UNIT_DISSOLVED"]


def test_bodies_follow_their_unit_when_it_is_re_zoned(session: Session, tree: Tree, deployment: Deployment) -> None:
    unit, target = session.get(OrgUnit, tree.community), session.get(OrgUnit, tree.sibling_street)
    assert unit is not None and target is not None
    org_service.move_unit(session, deployment.settings, unit, target, reason="区划调整", effective_on=START)
    moved = session.get(OrgUnit, tree.community)
    body = session.get(Body, tree.committee)
    assert moved is not None and body is not None
    assert body.org_path == moved.path
    sibling = session.get(OrgUnit, tree.sibling_street)
    assert sibling is not None
    assert {b.id for b in session.scalars(service.bodies_under(sibling))} == {
        tree.party,
        tree.committee,
        tree.centre,
        tree.supervision,
        tree.sibling_committee,
    }


# --- declared kinds ---------------------------------------------------------------------------------


def test_core_kinds_cover_the_common_bodies_and_posts() -> None:
    assert {"party_organization", "residents_committee", "service_centre", "supervision_committee"} <= set(
        CORE_KINDS.body_kinds
    )
    single = {code for code, kind in CORE_KINDS.post_kinds.items() if kind.single_holder}
    assert {"chair", "secretary", "accountant", "cashier"} <= single
    assert set(CORE_KINDS.funds_posts) == {"accountant", "cashier"}
    assert set(CORE_KINDS.conflicts_of("cashier")) == {"accountant", "chair", "supervisor"}


def test_kind_declarations_are_checked() -> None:
    with pytest.raises(KindDeclarationError) as error:
        build_kinds(
            [
                ("core", CORE_DECLARATIONS),
                (
                    "party",
                    [
                        BodyKind("branch", "党支部"),
                        PostKind("party.organizer", "组织委员"),
                        PostKind("party.organizer", "重复"),
                    ],
                ),
                ("finance", [PostKind("chair", "主任"), PostConflict("finance.nothing", "cashier", "无")]),
            ]
        )
    message = str(error.value)
    assert "'branch' must start with the plugin's name: 'party.'" in message
    assert "post kind 'party.organizer' declared more than once" in message
    assert "'chair' must start with the plugin's name: 'finance.'" in message
    assert "conflict 'finance.nothing'/'cashier'" in message


def test_plugins_declare_kinds_through_the_hook() -> None:
    @hookimpl
    def register_post_kinds() -> list[object]:
        return [
            BodyKind("party.general_branch", "党总支"),
            PostKind("party.organizer", "组织委员", seat=True),
            PostConflict("party.organizer", "cashier", "组织委员不兼任出纳"),
        ]

    module = plugin_module("party", register_post_kinds=register_post_kinds)
    base = load_plugin_host(())
    base.manager.register(module, name="party")
    host = PluginHost(manager=base.manager, enabled=("party",), installed={})
    kinds = registry_for(host)
    assert kinds.body_kind("party.general_branch").plugin == "party"
    assert kinds.post_kind("party.organizer").seat
    assert "party.organizer" in kinds.conflicts_of("cashier")
    assert kinds.post_kind("chair").plugin == "core"
    # An undeclared code (a disabled plugin's rows) reads as itself.
    assert kinds.post_kind("gone.post").name == "gone.post"


# --- concurrency ------------------------------------------------------------------------------------


def test_concurrent_assignments_leave_one_holder_on_postgresql(
    deployment: Deployment, tree: Tree, backend: str
) -> None:
    """Six writers assign the chair of one committee at once: the lock on
    the body lets exactly one in; the others see the holder and are refused."""
    if backend != "postgresql":
        pytest.skip("SQLite allows one writer at a time; concurrent assignments are a PostgreSQL matter")
    import threading

    people = [*tree.residents.values()][:6]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def write(resident_id: int) -> None:
        try:
            barrier.wait()
            with deployment.session_factory() as session, session.begin():
                service.assign(
                    session, body_id=tree.committee, post_code="chair", resident_id=resident_id, term_start=START
                )
            outcomes.append("ok")
        except UserInputError as error:
            outcomes.append(error.errors[0].code)
        except BaseException as exc:  # reported below
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=write, args=(pk,)) for pk in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["POST_OCCUPIED"] * (len(people) - 1) + ["ok"]
    with deployment.session_factory() as session:
        assert len(service.holders(session, tree.community, "chair", START)) == 1
