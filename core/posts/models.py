"""Bodies inside an org unit and the posts people hold in them (职务 / 任期).

A position is never a column on a person: it is a ``post_assignment`` row
naming a resident (core people registry), a post and a body, for a term.
One person may hold several at once (一肩挑, 交叉任职). Ending a term sets
``ended_on`` and keeps the row, so the history of every post stays.

Term dates are calendar dates; a holder holds the post on day ``d`` when
``term_start <= d`` and (``ended_on`` is empty or ``d < ended_on``):
``ended_on`` is the first day without the post, so a successor can start on
the day the predecessor leaves. ``term_end`` is the planned end of the term
(换届 date) and changes nothing by itself.

``body.org_path`` copies the path of the body's unit so that "bodies under
this street" is one index range and re-zoning moves it along
(``core.org.service.path_copy_tables``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

KIND_CODE_LENGTH = 64
BODY_NAME_LENGTH = 100
END_REASON_LENGTH = 200

OPEN_TERM = "ended_on IS NULL"


class Body(Base):
    """An organization inside an org unit: party organization, residents'
    committee, service centre, supervision committee …"""

    __tablename__ = "body"
    __table_args__ = (
        Index("ix_body_org_path_id", "org_path", "id"),
        Index("ix_body_org_unit_id_kind_name", "org_unit_id", "kind", "name", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A declared body kind (core.posts.kinds).
    kind: Mapped[str] = mapped_column(String(KIND_CODE_LENGTH))
    name: Mapped[str] = mapped_column(String(BODY_NAME_LENGTH))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Body {self.id} {self.kind} {self.name}>"


class PostAssignment(Base):
    """A resident holding a post in a body for a term."""

    __tablename__ = "post_assignment"
    __table_args__ = (
        Index("ix_post_assignment_body_id_post_code_id", "body_id", "post_code", "id"),
        Index("ix_post_assignment_resident_id_id", "resident_id", "id"),
        Index("ix_post_assignment_user_id", "user_id"),
        # The same person holds the same post in the same body once at a time.
        Index(
            "uq_post_assignment_open",
            "body_id",
            "post_code",
            "resident_id",
            unique=True,
            sqlite_where=text(OPEN_TERM),
            postgresql_where=text(OPEN_TERM),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="RESTRICT"))
    # A declared post kind (core.posts.kinds).
    post_code: Mapped[str] = mapped_column(String(KIND_CODE_LENGTH))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    # The holder's user account, when they sign in to the platform.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    term_start: Mapped[date] = mapped_column(Date)
    # Planned end of the term.
    term_end: Mapped[date | None] = mapped_column(Date)
    # First day without the post; empty while the term runs.
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(END_REASON_LENGTH))
    # The assignment this one took over (transfer / 交接).
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("post_assignment.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    # The holder manages the community's funds (掌管社区经费) though the post
    # does not always (a chair or vice-chair): audited on leaving (离任审计).
    manages_funds: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def holds_on(self, on: date) -> bool:
        return self.term_start <= on and (self.ended_on is None or on < self.ended_on)

    def __repr__(self) -> str:
        return f"<PostAssignment {self.id} {self.post_code} body={self.body_id} resident={self.resident_id}>"
