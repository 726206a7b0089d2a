"""Demo archive files of the demo community: a year's work plan (PDF) and
a photo of a mediation session (PNG) in the 综治 file, filed by the demo
community worker, so that the archive and its downloads can be tried; and
the archive handed over from the worker to the committee chair, confirmed
by the worker and waiting for the chair."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.auth.service import principal_for_user
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.documents import service
from core.documents.archives import ARCHIVE_CLASSES
from core.documents.samples import pdf_with_text, png
from core.documents.storage import storage_for
from core.org.models import OrgUnit
from core.policy.service import local_today
from core.settings import Settings


def load_demo_documents(session: Session, settings: Settings, progress: Progress) -> int:
    """File the demo documents; none without the demo community worker
    (production has none). Returns how many were filed."""
    worker = demo_account(session, "community_worker")
    if worker is None:
        return 0
    who = principal_for_user(session, worker[0].id)
    unit = worker[1]
    classes = {c.code: c for c in ARCHIVE_CLASSES}
    year = local_today().year
    files = (
        ("archive.plans_summaries", f"{year}-work-plan.pdf", pdf_with_text(f"{unit.id} community work plan {year}")),
        ("archive.public_security", "mediation-session.png", png(16, 12, (40, 90, 160))),
    )
    storage = storage_for(settings)
    for code, filename, data in files:
        service.attach(session, who, storage, classes[code], unit, service.IncomingFile(filename, data))
    progress.note(f"档案：{unit.name} {len(files)} 份示例文件")
    _demo_handover(session, settings, who, unit)
    return len(files)


def _demo_handover(session: Session, settings: Settings, who: Any, unit: OrgUnit) -> None:
    """The community worker hands the archive to the committee chair: the
    worker has confirmed, the chair has not yet."""
    from core.documents import handover
    from core.documents.books import catalogue_for
    from core.plugin_host import load_plugin_host

    chair = demo_account(session, "committee_chair")
    if chair is None or chair[1].id != unit.id:
        return
    items = [
        handover.HandoverItem("archive_file", "", 1, code="archive.plans_summaries"),
        handover.HandoverItem("archive_file", "", 1, code="archive.public_security"),
        handover.HandoverItem("book", "", 1, code="seal_use_register"),
        handover.HandoverItem("other", "档案柜钥匙", 2),
    ]
    today = local_today()
    record = handover.record_handover(
        session,
        who,
        unit,
        from_user_id=who.id,
        to_user_id=chair[0].id,
        handed_over_on=today,
        items=items,
        note="档案管理员调岗，向居委会主任移交",
        books=catalogue_for(load_plugin_host(settings.plugins)),
        today=today,
    )
    handover.confirm_handover(session, who, record)
