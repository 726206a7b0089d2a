"""Running an import job outside the request that started it, so the client
can poll its progress (``importJob(id:)``): the job row is committed by the
mutation, then a worker thread writes the rows in one transaction and the
outcome (with an audit record) when it ends."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from core.api.errors import UserInputError
from core.audit.service import record
from core.settings import Settings
from core.spreadsheets.imports import service
from core.spreadsheets.imports.models import ImportJob

log = logging.getLogger("jiceng.imports")

# How long the worker waits for the mutation's transaction to commit the job row.
JOB_ROW_WAIT_SECONDS = 10.0
# On PostgreSQL the job row's ``processed`` is committed every so many rows
# (from its own connection), so that every server process sees the progress;
# SQLite allows one writer at a time, so there the progress is the serving
# process's (``service.progress_of``) until the job ends.
PROGRESS_EVERY_ROWS = 100


def _progress_writer(
    factory: sessionmaker[Session], job_id: int, then: Callable[[int, int], None] | None
) -> Callable[[int, int], None]:
    bind: Engine | None = factory.kw.get("bind")
    shared = bind if bind is not None and bind.dialect.name == "postgresql" else None

    def progress(done: int, total: int) -> None:
        if shared is not None and (done % PROGRESS_EVERY_ROWS == 0 or done == total):
            with shared.begin() as connection:
                connection.execute(update(ImportJob).where(ImportJob.id == job_id).values(processed=done, total=total))
        if then is not None:
            then(done, total)

    return progress


def execute(
    factory: sessionmaker[Session],
    settings: Settings,
    job_id: int,
    data: bytes,
    *,
    actor_user_id: int | None,
    actor_label: str,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportJob | None:
    """Run the job: all rows in one transaction, or none; the job row and an
    audit record ``import:<kind>`` say how it went. Returns the job (detached)."""
    with factory() as session, session.begin():
        job = session.get(ImportJob, job_id)
        if job is None:
            return None
        service.start(job)
    try:
        with factory() as session:
            try:
                with session.begin():
                    job = session.get(ImportJob, job_id)
                    assert job is not None
                    service.run_import(
                        session, settings, job, data, on_progress=_progress_writer(factory, job_id, on_progress)
                    )
                    _audit(session, job, "success", actor_user_id, actor_label)
                session.refresh(job)
                session.expunge(job)
                return job
            except UserInputError as refused:
                message = refused.errors[0].message
            except Exception:
                log.exception("import job %s failed", job_id)
                message = "导入时出错，未导入任何记录，请联系管理员。"
        with factory() as session, session.begin():
            job = session.get(ImportJob, job_id)
            assert job is not None
            service.finish_failed(job, message)
            _audit(session, job, "refused", actor_user_id, actor_label)
            session.flush()
            session.expunge(job)
            return job
    finally:
        service.forget_progress(job_id)


def _audit(session: Session, job: ImportJob, outcome: str, actor_user_id: int | None, actor_label: str) -> None:
    record(
        session,
        action=f"import:{job.kind}",
        outcome=outcome,
        object_type="ImportJob",
        object_id=job.id,
        org_unit_id=job.org_unit_id,
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        purpose="表格导入",
        # Counts and the file's digest only: no cell content, so no ID number.
        detail={
            "file": job.file_name,
            "sha256": job.file_sha256,
            "total": job.total,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "message": job.message,
        },
    )


def start_in_background(
    factory: sessionmaker[Session],
    settings: Settings,
    job_id: int,
    data: bytes,
    *,
    actor_user_id: int | None,
    actor_label: str,
) -> threading.Thread:
    """A worker thread that waits for the job row to be committed, then runs it."""

    def work() -> None:
        deadline = time.monotonic() + JOB_ROW_WAIT_SECONDS
        while time.monotonic() < deadline:
            with factory() as session:
                if session.get(ImportJob, job_id) is not None:
                    break
            time.sleep(0.02)
        else:
            return
        execute(factory, settings, job_id, data, actor_user_id=actor_user_id, actor_label=actor_label)

    worker = threading.Thread(target=work, name=f"import-job-{job_id}", daemon=True)
    worker.start()
    return worker
