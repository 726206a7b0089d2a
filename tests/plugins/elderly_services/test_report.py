"""The quarterly elderly report: owed only where policy says so, submitted
through the reporting calendar with figures taken from the records."""

from __future__ import annotations

from sqlalchemy import select

from core.policy.service import local_today
from core.reporting.calendar import period_of
from core.reporting.models import ObligationInstance
from core.reporting.service import materialize
from plugins.elderly_services.models import ElderlyReport
from tests.plugins.elderly_services.conftest import Env, gid, set_policy

SUBMIT = """
mutation($input: SubmitElderlyReportInput!) {
  submitElderlyReport(input: $input) { status obligationStatus figures { key value } userErrors { field code message } }
}
"""
CODE = "elderly_services.quarterly_report"


def _instances(env: Env) -> list[ObligationInstance]:
    with env.deployment.session_factory() as session, session.begin():
        materialize(session, env.deployment.host, local_today())
    with env.deployment.session_factory() as session:
        rows = list(session.scalars(select(ObligationInstance).where(ObligationInstance.type_code == CODE)))
        session.expunge_all()
        return rows


def test_report_is_owed_only_where_policy_says_so(env: Env) -> None:
    assert _instances(env) == []
    set_policy(env.deployment, env.tree.community, "elderly_services.report.owed", True)
    owed = _instances(env)
    assert owed and {i.org_unit_id for i in owed} == {env.tree.community}


def test_submission_takes_the_figures_from_the_records(env: Env) -> None:
    set_policy(env.deployment, env.tree.community, "elderly_services.report.owed", True)
    current = period_of("quarterly", local_today())
    instance = next(i for i in _instances(env) if i.period_start == current[0])
    worker = env.call("community_worker", env.tree.community)
    result = worker(SUBMIT, {"input": {"instanceId": gid("ObligationInstance", instance.id)}})["submitElderlyReport"]
    assert result["userErrors"] == []
    assert (result["status"], result["obligationStatus"]) == ("submitted", "SUBMITTED")
    figures = {f["key"]: f["value"] for f in result["figures"]}
    expected = 6 + (1 if local_today().day > 1 else 0)
    assert figures["elderly"] == expected and figures["living_alone"] == 1 and figures["empty_nest"] == 2
    with env.deployment.session_factory() as session:
        stored = session.scalar(select(ElderlyReport).where(ElderlyReport.instance_id == instance.id))
        assert stored is not None and stored.figures["elderly"] == expected
    again = worker(SUBMIT, {"input": {"instanceId": gid("ObligationInstance", instance.id)}})["submitElderlyReport"]
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_SUBMITTED"]
    other = env.call("community_worker", env.tree.other_community)
    refused = other(SUBMIT, {"input": {"instanceId": gid("ObligationInstance", instance.id)}})["submitElderlyReport"]
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    with env.deployment.session_factory() as session:
        board = session.scalar(
            select(ObligationInstance.id).where(
                ObligationInstance.type_code != CODE, ObligationInstance.org_unit_id == env.tree.community
            )
        )
    assert board is not None
    wrong = worker(SUBMIT, {"input": {"instanceId": gid("ObligationInstance", board)}})["submitElderlyReport"]
    assert [e["code"] for e in wrong["userErrors"]] == ["WRONG_OBLIGATION"]
