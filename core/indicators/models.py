"""Report forms (一表通) defined through the API, their fields, and what each
unit filled for a period.

A form (``report_form``) reaches the units of some levels in its unit's
subtree and is tied to an approved requirement (``core.admission``). Its
instances in the reporting calendar have the type code ``form.<id>``. A field
is bound to an indicator (filled from records) or entered by hand with
validation rules. A submission (``report_submission``) holds one unit's
values for one period (``report_value``); a value bound to an indicator keeps
the computed figure and, when changed, the reason and who changed it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

INDICATOR = "indicator"
MANUAL = "manual"
OVERRIDE = "override"
VALUE_TYPES = {"int": "整数", "decimal": "数值", "text": "文本"}
DRAFT = "draft"
SUBMITTED = "submitted"
FORM_TYPE_PREFIX = "form."


class ReportForm(Base):
    __tablename__ = "report_form"
    __table_args__ = (
        Index("ix_report_form_org_path_id", "org_path", "id"),
        Index("uq_report_form_org_unit_id_code", "org_unit_id", "code", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    requirement_id: Mapped[int] = mapped_column(ForeignKey("admission_requirement.id", ondelete="RESTRICT"))
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    recurrence: Mapped[str] = mapped_column(String(32))
    due_day: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def type_code(self) -> str:
        return f"{FORM_TYPE_PREFIX}{self.id}"


class ReportFormField(Base):
    __tablename__ = "report_form_field"
    __table_args__ = (Index("uq_report_form_field_form_id_code", "form_id", "code", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("report_form.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))
    indicator_code: Mapped[str | None] = mapped_column(String(100))
    value_type: Mapped[str] = mapped_column(String(16), default="int")
    min_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    max_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    required: Mapped[bool] = mapped_column(Boolean, default=True)


class ReportSubmission(Base):
    __tablename__ = "report_submission"
    __table_args__ = (
        Index(
            "uq_report_submission_form_id_org_unit_id_period_start",
            "form_id",
            "org_unit_id",
            "period_start",
            unique=True,
        ),
        Index("ix_report_submission_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("report_form.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    instance_id: Mapped[int] = mapped_column(ForeignKey("obligation_instance.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    filled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReportValue(Base):
    __tablename__ = "report_value"
    __table_args__ = (Index("uq_report_value_submission_id_field_id", "submission_id", "field_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("report_submission.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("report_form_field.id", ondelete="CASCADE"))
    number: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    text: Mapped[str | None] = mapped_column(Text)
    # indicator (filled from records), manual (entered), override (an indicator's figure changed, with reason).
    source: Mapped[str] = mapped_column(String(16))
    computed: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


MODELS = (ReportForm, ReportFormField, ReportSubmission, ReportValue)
