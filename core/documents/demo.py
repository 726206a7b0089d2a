"""Demo archive files of the demo community: a year's work plan (PDF) and
a photo of a mediation session (PNG) in the 综治 file, filed by the demo
community worker, so that the archive and its downloads can be tried."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.auth.service import principal_for_user
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.documents import service
from core.documents.archives import ARCHIVE_CLASSES
from core.documents.samples import pdf_with_text, png
from core.documents.storage import storage_for
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
    return len(files)
