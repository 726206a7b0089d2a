"""Deadlines whose month is itself locality policy (``DueRule.next_month_key``)
and obligation types that only their own module may submit
(``generic_submission=False``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment, create_app
from core.org.models import OrgUnit
from core.plugin_host import PluginHost, load_plugin_host
from core.policy import service as policy
from core.policy.keys import PolicyKey, ValueType
from core.policy.registry import registry_for as policy_registry_for
from core.reporting import service as reporting
from core.reporting.calendar import period_of, periods_of_year
from core.reporting.models import ObligationInstance
from core.reporting.obligations import (
    DueRule,
    ObligationType,
    ObligationTypeError,
    build_registry,
)
from core.testing import plugin_module
from tests.conftest import empty_tables, make_settings, sign_in_as
from tests.reporting.conftest import Tree, build_tree

SUMMARY = "flex.summary"


def flex_host(
    *, next_month_key: str = "flex.next_month", flag_type: ValueType = ValueType.BOOLEAN, owed_where: Any = None
) -> PluginHost:

    def register_policy_keys() -> list[Any]:
        return [
            PolicyKey("flex.due_day", ValueType.DAY_OF_MONTH, 5, "月报报送日"),
            PolicyKey("flex.next_month", flag_type, True if flag_type is ValueType.BOOLEAN else 1, "是否次月报送"),
        ]

    def register_obligation_types() -> list[Any]:
        return [
            ObligationType(
                code=SUMMARY,
                name="灵活月报",
                kind="report",
                levels=("community",),
                recurrence="monthly",
                due=DueRule("flex.due_day", next_month_key=next_month_key),
                generic_submission=False,
                owed_where=owed_where,
            )
        ]

    module = plugin_module(
        "flex", register_policy_keys=register_policy_keys, register_obligation_types=register_obligation_types
    )
    base = load_plugin_host(())
    base.manager.register(module, name="flex")
    return PluginHost(manager=base.manager, enabled=("flex",), installed={})


@pytest.fixture
def flex(core_database_url: str) -> Iterator[tuple[Deployment, Tree]]:
    deployment = Deployment(settings=make_settings(core_database_url), host=flex_host())
    tree = build_tree(deployment)
    yield deployment, tree
    empty_tables(deployment)
    deployment.dispose()


def test_the_month_of_the_deadline_follows_locality_policy(flex: tuple[Deployment, Tree]) -> None:
    deployment, tree = flex
    with deployment.session_factory() as session, session.begin():
        # 辽宁路街道 reports within the month, by the 25th; the rest by the 5th of the next month.
        street = session.get(OrgUnit, tree.other_street)
        assert street is not None
        registry = policy_registry_for(deployment.host)
        for key, value in (("flex.next_month", False), ("flex.due_day", 25)):
            policy.set_value(
                session,
                street,
                key,
                value,
                effective_from=date(2020, 1, 1),
                set_by="test",
                reason="本地规定当月25日前报送",
                registry=registry,
            )
        reporting.materialize(session, deployment.host, date(2026, 3, 10))
    with deployment.session_factory() as session:
        due = dict(
            session.execute(
                select(ObligationInstance.org_unit_id, ObligationInstance.due_on).where(
                    ObligationInstance.type_code == SUMMARY, ObligationInstance.period_start == date(2026, 3, 1)
                )
            ).all()
        )
    # 2026-04-05 is a Sunday: the next working day; 2026-03-25 is a Wednesday.
    assert due[tree.community] == date(2026, 4, 6)
    assert due[tree.other_community] == date(2026, 3, 25)


def test_the_next_month_key_must_be_a_declared_boolean() -> None:
    with pytest.raises(ObligationTypeError, match="must be a declared boolean policy key"):
        build_registry(flex_host(next_month_key="flex.missing"))
    with pytest.raises(ObligationTypeError, match="must be a declared boolean policy key"):
        build_registry(flex_host(flag_type=ValueType.INT))


def test_a_module_submitted_type_is_refused_by_the_generic_mutations(flex: tuple[Deployment, Tree]) -> None:
    deployment, tree = flex
    today = policy.local_today()
    with deployment.session_factory() as session, session.begin():
        reporting.materialize(session, deployment.host, today)
        instance_id = session.scalars(
            select(ObligationInstance.id).where(
                ObligationInstance.type_code == SUMMARY,
                ObligationInstance.org_unit_id == tree.community,
                ObligationInstance.period_start <= today,
                ObligationInstance.period_end >= today,
            )
        ).first()
    assert instance_id is not None
    with TestClient(create_app(deployment=deployment)) as client:
        worker = sign_in_as(deployment, client, "community_worker", tree.community)
        gid = encode_global_id("ObligationInstance", instance_id)
        for mutation in ("submitObligation", "submitZeroReport"):
            kind = "SubmitObligationInput" if mutation == "submitObligation" else "SubmitZeroReportInput"
            payload = worker(
                f"mutation($input: {kind}!) {{ {mutation}(input: $input) {{ instance {{ status }} userErrors {{ field code }} }} }}",
                {"input": {"instanceId": gid, "note": "无"}},
            )[mutation]
            assert payload == {
                "instance": None,
                "userErrors": [{"field": "instanceId", "code": "SUBMIT_THROUGH_MODULE"}],
            }
        types = worker("{ obligationTypes { code dueNextMonthKey genericSubmission } }")["obligationTypes"]
        assert [t for t in types if not t["code"].startswith("board.")] == [
            {"code": SUMMARY, "dueNextMonthKey": "flex.next_month", "genericSubmission": False}
        ]
    # The module itself submits through the service.
    with deployment.session_factory() as session, session.begin():
        instance = session.get(ObligationInstance, instance_id)
        assert instance is not None
        reporting.submit(session, deployment.host, instance, user_id=None, note="本月无纠纷", zero_report=True)


def test_a_plugin_narrows_who_owes_by_its_own_records(core_database_url: str) -> None:
    seen: list[tuple[list[str], tuple[date, date]]] = []

    def only_ningan(session: Any, units: Any, period: tuple[date, date]) -> list[int]:
        seen.append((sorted(u.name for u in units), period))
        return [u.id for u in units if u.name == "宁安路社区"]

    deployment = Deployment(settings=make_settings(core_database_url), host=flex_host(owed_where=only_ningan))
    try:
        tree = build_tree(deployment)
        with deployment.session_factory() as session, session.begin():
            reporting.materialize(session, deployment.host, date(2026, 3, 10))
        with deployment.session_factory() as session:
            owing = set(
                session.scalars(
                    select(ObligationInstance.org_unit_id).where(ObligationInstance.type_code.like("flex.%"))
                )
            )
        assert owing == {tree.community}
        # Called once per period with the active communities only.
        assert sorted(seen, key=lambda call: call[1]) == [
            (["宁安路社区", "延安路社区", "辽宁社区"], (date(2026, 2, 1), date(2026, 2, 28))),
            (["宁安路社区", "延安路社区", "辽宁社区"], (date(2026, 3, 1), date(2026, 3, 31))),
        ]
    finally:
        empty_tables(deployment)
        deployment.dispose()


def test_a_two_monthly_recurrence_counts_from_january() -> None:
    assert period_of("bimonthly", date(2026, 4, 30)) == (date(2026, 3, 1), date(2026, 4, 30))
    assert period_of("bimonthly", date(2024, 2, 29)) == (date(2024, 1, 1), date(2024, 2, 29))
    assert [p[0].month for p in periods_of_year("bimonthly", 2026)] == [1, 3, 5, 7, 9, 11]
    assert periods_of_year("bimonthly", 2026, until=date(2026, 3, 1))[-1] == (date(2026, 3, 1), date(2026, 4, 30))
