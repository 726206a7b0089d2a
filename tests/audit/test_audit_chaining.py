"""Records written unchained and linked into the hash chain in batches
(PostgreSQL), and chained inline (SQLite)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from core.app import Deployment
from core.audit import chainer, service
from core.audit.models import GENESIS_HASH, AuditPending, AuditRecord
from core.org import service as org_service
from core.org.models import OrgUnit

# Text the canonical form must escape alike in Python and in the database.
AWKWARD = 'quote " backslash \\ newline \n tab \t bell \x07 区"街道" 👪 </script>'


def unit_ids(deployment: Deployment, count: int) -> list[int]:
    with deployment.session_factory() as session, session.begin():
        city = org_service.create_unit(session, deployment.settings, name="青岛市", level="city", parent_id=None)
        return [
            org_service.create_unit(session, deployment.settings, name=f"区{i}", level="district", parent_id=city.id).id
            for i in range(count)
        ]


def mutate(deployment: Deployment, unit_id: int, step: int, **fields: Any) -> None:
    """What a mutation does: its change and its record in one transaction, committed."""
    with deployment.write_session_factory() as session:
        unit = session.get(OrgUnit, unit_id, with_for_update=True)
        assert unit is not None
        unit.name = f"区{unit_id}-{step}"
        session.flush()
        service.record(
            session,
            action="mutation:updateOrgUnit",
            object_type="OrgUnit",
            object_id=unit_id,
            org_unit_id=unit_id,
            actor_label="tester",
            **fields,
        )
        session.commit()


def chained(deployment: Deployment) -> list[AuditRecord]:
    with deployment.session_factory() as session:
        return list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))


def pending_count(deployment: Deployment) -> int:
    with deployment.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(AuditPending)) or 0)


def verify(deployment: Deployment, **kwargs: Any) -> service.VerifyResult:
    with deployment.session_factory() as session:
        return service.verify(session, **kwargs)


class _DeadChainer:
    """Stands in for the chainer of a process that died right after the
    mutation committed: nothing chains the record."""

    def wait_for_pass(self, timeout: float) -> bool:
        return True


def test_record_is_in_the_chain_when_its_mutation_returns(deployment: Deployment) -> None:
    (unit,) = unit_ids(deployment, 1)
    with deployment.session_factory() as session:
        path = session.scalar(select(OrgUnit.path).where(OrgUnit.id == unit))
    mutate(deployment, unit, 1, purpose=AWKWARD, detail={"note": AWKWARD, "n": 7})
    mutate(deployment, unit, 2)
    first, second = chained(deployment)
    assert pending_count(deployment) == 0
    assert (first.seq, first.prev_hash, second.seq, second.prev_hash) == (1, GENESIS_HASH, 2, first.hash)
    assert (first.org_unit_path, first.purpose, first.actor_label) == (path, AWKWARD, "tester")
    # The hash the database computed over the filled-in canonical text is
    # the one Python computes over the stored columns.
    assert first.hash == service.compute_hash(first.__dict__)
    assert second.hash == service.compute_hash(second.__dict__)
    assert verify(deployment).ok


def test_a_record_naming_no_unit_or_a_missing_one_is_hashed_alike(deployment: Deployment) -> None:
    with deployment.write_session_factory() as session:
        service.record(session, action="test:no_unit")
        service.record(session, action="test:gone_unit", org_unit_id=999_999)
        session.commit()
    records = chained(deployment)
    assert [(r.action, r.org_unit_path) for r in records] == [("test:no_unit", None), ("test:gone_unit", None)]
    assert all(r.hash == service.compute_hash(r.__dict__) for r in records)
    assert verify(deployment).ok


def test_records_committed_together_are_chained_in_one_batch_and_tampering_shows(
    deployment: Deployment, backend: str
) -> None:
    (unit,) = unit_ids(deployment, 1)
    with deployment.write_session_factory() as session:
        for i in range(5):
            service.record(session, action="test:batch", object_type="OrgUnit", object_id=i, org_unit_id=unit)
        if backend == "postgresql":
            assert session.scalar(select(func.count()).select_from(AuditPending)) == 5
        session.commit()
    records = chained(deployment)
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert [r.object_id for r in records] == ["0", "1", "2", "3", "4"]
    assert verify(deployment).ok
    with deployment.engine.begin() as connection:
        connection.execute(text("UPDATE audit_record SET detail = :forged WHERE seq = 2"), {"forged": '{"forged":1}'})
        connection.execute(text("DELETE FROM audit_record WHERE seq = 4"))
    problems = [(p.kind, p.seq) for p in verify(deployment).problems]
    assert problems == [("modified", 2), ("missing", 4)]


def test_sqlite_chains_inline(deployment: Deployment, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL chains after the commit")
    (unit,) = unit_ids(deployment, 1)
    with deployment.write_session_factory() as session:
        entry = service.record(session, action="test:inline", org_unit_id=unit)
        # Chained before the commit, in the writer's own transaction.
        assert entry.seq == 1 and entry.hash == service.compute_hash(entry.__dict__)
        session.commit()
    assert pending_count(deployment) == 0


@pytest.mark.postgresql_only
def test_a_crash_between_insert_and_chaining_loses_nothing(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = unit_ids(deployment, 2)
    mutate(deployment, units[0], 1)
    monkeypatch.setattr(chainer, "chainer_for", lambda _engine: _DeadChainer())
    mutate(deployment, units[1], 1)  # committed; its process "dies" before chaining
    monkeypatch.undo()
    assert [r.object_id for r in chained(deployment)] == [str(units[0])]
    assert pending_count(deployment) == 1
    # Left unchained too long, it is reported (without chaining first) ...
    result = verify(deployment, chain_first=False, pending_grace=timedelta(0))
    assert [p.kind for p in result.problems] == ["unchained"]
    assert verify(deployment, chain_first=False).ok  # ... but not while it is fresh
    # ... and the next writer chains it, before its own record.
    mutate(deployment, units[0], 2)
    assert [(r.seq, r.object_id) for r in chained(deployment)] == [
        (1, str(units[0])),
        (2, str(units[1])),
        (3, str(units[0])),
    ]
    assert pending_count(deployment) == 0
    assert verify(deployment, pending_grace=timedelta(0)).ok


@pytest.mark.postgresql_only
def test_verify_chains_what_is_pending_first(deployment: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    (unit,) = unit_ids(deployment, 1)
    monkeypatch.setattr(chainer, "chainer_for", lambda _engine: _DeadChainer())
    mutate(deployment, unit, 1)
    mutate(deployment, unit, 2)
    monkeypatch.undo()
    assert chained(deployment) == []
    result = verify(deployment, pending_grace=timedelta(0))
    assert result.ok and result.count == 2
    assert pending_count(deployment) == 0


@pytest.mark.postgresql_only
def test_concurrent_writers_leave_no_forks_and_no_gaps(deployment: Deployment) -> None:
    writers, rounds = 16, 20
    units = unit_ids(deployment, writers)
    barrier = threading.Barrier(writers)
    failures: list[Exception] = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(rounds):
                mutate(deployment, units[worker], i)
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert pending_count(deployment) == 0
    records = chained(deployment)
    assert [r.seq for r in records] == list(range(1, writers * rounds + 1))
    prev_hashes = [r.prev_hash for r in records]
    assert len(set(prev_hashes)) == len(prev_hashes)  # no fork: no two records continue the same one
    assert prev_hashes == [GENESIS_HASH] + [r.hash for r in records[:-1]]
    assert sorted(int(r.object_id or 0) for r in records) == sorted(u for u in units for _ in range(rounds))
    result = verify(deployment)
    assert result.ok and result.count == writers * rounds


@pytest.mark.postgresql_only
def test_the_chainer_recovers_from_a_dropped_connection(deployment: Deployment) -> None:
    (unit,) = unit_ids(deployment, 1)
    mutate(deployment, unit, 1)  # the chainer keeps its connection between passes
    with deployment.engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    deployment.engine.dispose()  # the pool forgets its dropped connections; the chainer's is dead too
    mutate(deployment, unit, 2)
    assert [r.seq for r in chained(deployment)] == [1, 2]
    assert pending_count(deployment) == 0


# Run by each writer process of the test below: threads, each renaming its own unit.
WRITER_PROCESS = """
import sys, threading
from core.app import build_deployment
from tests.audit.test_audit_chaining import mutate
from tests.conftest import make_settings

url, rounds, units = sys.argv[1], int(sys.argv[2]), [int(u) for u in sys.argv[3:]]
deployment = build_deployment(make_settings(url))
barrier = threading.Barrier(len(units))
failures = []

def write(unit):
    try:
        barrier.wait()
        for i in range(rounds):
            mutate(deployment, unit, i)
    except Exception as exc:
        failures.append(exc)

threads = [threading.Thread(target=write, args=(u,)) for u in units]
for t in threads: t.start()
for t in threads: t.join()
deployment.dispose()
sys.exit(f"{failures!r}" if failures else 0)
"""


@pytest.mark.postgresql_only
def test_writers_in_several_processes_leave_no_forks_and_no_gaps(deployment: Deployment) -> None:
    """As under ``jiceng serve --workers N``: each process has its own pool
    and chainer, all chain into one trail."""
    import subprocess
    import sys
    from pathlib import Path

    processes, threads, rounds = 3, 4, 10
    units = unit_ids(deployment, processes * threads)
    root = Path(__file__).resolve().parents[2]
    running = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER_PROCESS,
                deployment.settings.database_url,
                str(rounds),
                *(str(u) for u in units[p * threads : (p + 1) * threads]),
            ],
            cwd=root,
            stderr=subprocess.PIPE,
        )
        for p in range(processes)
    ]
    for process in running:
        _out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err.decode()[-2000:]
    total = processes * threads * rounds
    assert pending_count(deployment) == 0
    records = chained(deployment)
    assert [r.seq for r in records] == list(range(1, total + 1))
    prev_hashes = [r.prev_hash for r in records]
    assert prev_hashes == [GENESIS_HASH] + [r.hash for r in records[:-1]]  # one chain, no fork
    assert sorted(int(r.object_id or 0) for r in records) == sorted(u for u in units for _ in range(rounds))
    result = verify(deployment)
    assert result.ok and result.count == total
