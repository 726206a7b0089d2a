"""Notices on a unit's public board (公开栏).

A notice belongs to one org unit's board (``org_unit_id``; ``org_path``
copies the unit's path so that "notices under this street" is one index
range and re-zoning moves it along). Its life: draft → pending_approval →
approved → published → withdrawn. The party organization approves before
anything is published (先党内后党外) or sends the notice back to draft with a
reason; a published notice whose
``expires_on`` has passed is expired and leaves the board.

Core never writes personal data into a notice. A plugin that must name a
person (a subsidy list, an election result) says so with ``names_persons``
and states the rule that requires the name in ``personal_data_rule``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

TITLE_LENGTH = 200
CATEGORY_LENGTH = 64
STATUS_LENGTH = 32
LABEL_LENGTH = 100
SOURCE_PLUGIN_LENGTH = 64
SOURCE_KEY_LENGTH = 200
DECISION_REFERENCE_LENGTH = 500

DRAFT = "draft"
PENDING_APPROVAL = "pending_approval"
APPROVED = "approved"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
# Not stored: a published notice past its ``expires_on``.
EXPIRED = "expired"

STORED_STATUSES = (DRAFT, PENDING_APPROVAL, APPROVED, PUBLISHED, WITHDRAWN)
STATUS_NAMES = {
    DRAFT: "草稿",
    PENDING_APPROVAL: "待党组织审核",
    APPROVED: "已审核待公开",
    PUBLISHED: "已公开",
    WITHDRAWN: "已撤回",
    EXPIRED: "已过期",
}


class Notice(Base):
    __tablename__ = "notice"
    __table_args__ = (
        # The board of one unit: published notices, newest first.
        Index("ix_notice_org_unit_id_status_published_at_id", "org_unit_id", "status", "published_at", "id"),
        Index("ix_notice_org_path_id", "org_path", "id"),
        Index("ix_notice_source_plugin_source_key", "source_plugin", "source_key"),
        Index("ix_notice_obligation_instance_id", "obligation_instance_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    # A declared notice category (core.board.categories).
    category: Mapped[str] = mapped_column(String(CATEGORY_LENGTH))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), default=DRAFT)
    # Who publishes, as the board shows it (居委会, 村务监督委员会 …), never a person.
    publisher_label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The plugin that drafted the notice and its own key for it.
    source_plugin: Mapped[str | None] = mapped_column(String(SOURCE_PLUGIN_LENGTH))
    source_key: Mapped[str | None] = mapped_column(String(SOURCE_KEY_LENGTH))
    # The reporting obligation (e.g. a half-yearly financial disclosure) that
    # publishing this notice fulfils.
    obligation_instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("obligation_instance.id", ondelete="RESTRICT")
    )
    names_persons: Mapped[bool] = mapped_column(Boolean, default=False)
    # The rule requiring names to be published, when ``names_persons``.
    personal_data_rule: Mapped[str | None] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last time the party organization sent the notice back to draft.
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The party organization's collective decision the approval records
    # (core.board.decisions): a plugin's record (``decision_source`` and
    # ``decision_key``, e.g. a committee meeting's resolution) or a meeting
    # the approver named; ``decision_on`` is the meeting's day.
    decision_source: Mapped[str | None] = mapped_column(String(SOURCE_PLUGIN_LENGTH))
    decision_key: Mapped[str | None] = mapped_column(String(SOURCE_KEY_LENGTH))
    decision_reference: Mapped[str | None] = mapped_column(String(DECISION_REFERENCE_LENGTH))
    decision_on: Mapped[date | None] = mapped_column(Date)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Last day on the board; empty: until withdrawn.
    expires_on: Mapped[date | None] = mapped_column(Date)
    # Days on the board from publication: ``publish`` sets ``expires_on``.
    display_days: Mapped[int | None] = mapped_column(Integer)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def status_on(self, on: date) -> str:
        """The stored status, or ``expired`` for a published notice past ``expires_on``."""
        if self.status == PUBLISHED and self.expires_on is not None and self.expires_on < on:
            return EXPIRED
        return self.status

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.status} {self.title!r}>"
