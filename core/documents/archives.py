"""The community's archive (十档六簿, DOMAIN 3.4): the ten files are document
classes filed on the community's org unit; election archives are kept
apart with their own permission; impact-assessment records of personal
data processing (PIPL art. 56) are kept three years.

Retention is policy: 综治 (public security and mediation) materials are
kept two years ("保留两年", seed 000), impact assessments three (PIPL);
for the others the seeds give no period, so they are kept for good until
a locality sets one.
"""

from __future__ import annotations

from typing import Any, TypedDict

from core.auth.permissions import Permission
from core.documents.classes import DocumentClass
from core.documents.content import DOCX, JPEG, PDF, PNG, TEXT, XLSX
from core.policy.keys import PolicyKey, ValueType

ARCHIVE_VIEW = Permission(
    "documents.archive_view",
    "查看社区档案（十档）",
    default_roles=("community_worker", "committee_chair", "party_secretary", "street_staff", "street_leader"),
)
ARCHIVE_FILE = Permission(
    "documents.archive_file",
    "向社区档案归档文件",
    default_roles=("community_worker", "committee_chair", "party_secretary"),
)
ELECTION_ARCHIVE = Permission(
    "documents.election_archive",
    "查看和归档换届选举档案（专立专存）",
    default_roles=("committee_chair", "party_secretary", "street_leader"),
)
PRIVACY_ASSESSMENT = Permission(
    "documents.impact_assessment",
    "查看和归档个人信息保护影响评估记录",
    default_roles=("committee_chair", "street_leader"),
)


class _YearBounds(TypedDict):
    unit: str
    min: int
    max: int


_YEARS: _YearBounds = {"unit": "年", "min": 0, "max": 100}
ARCHIVE_YEARS = PolicyKey(
    "documents.retention.archive_years",
    ValueType.INT,
    0,
    "社区档案（十档，综治类除外）的保存年限；0 为永久保存",
    **_YEARS,
)
PUBLIC_SECURITY_YEARS = PolicyKey(
    "documents.retention.public_security_years",
    ValueType.INT,
    2,
    "综治（治安调解）档案材料的保存年限（种子 000：保留两年）；0 为永久保存",
    **_YEARS,
)
ELECTION_YEARS = PolicyKey(
    "documents.retention.election_years",
    ValueType.INT,
    0,
    "换届选举档案的保存年限；0 为永久保存",
    **_YEARS,
)
IMPACT_ASSESSMENT_YEARS = PolicyKey(
    "documents.retention.impact_assessment_years",
    ValueType.INT,
    3,
    "个人信息保护影响评估报告和处理情况记录的保存年限（《个人信息保护法》第五十六条：至少三年）",
    **_YEARS,
)
RETENTION_KEYS = (ARCHIVE_YEARS, PUBLIC_SECURITY_YEARS, ELECTION_YEARS, IMPACT_ASSESSMENT_YEARS)

OFFICE_TYPES = (PDF, JPEG, PNG, DOCX, XLSX, TEXT)
ARCHIVE_MAX_BYTES = 20 * 1024 * 1024
ARCHIVE_MAX_COUNT = 500

# The ten files (十档), seed 000.
TEN_FILES: tuple[tuple[str, str], ...] = (
    ("superior_documents", "上级文件档"),
    ("plans_summaries", "计划总结档"),
    ("party_building", "党建工作档"),
    ("civil_affairs", "社会服务与民政档"),
    ("health_family_planning", "卫生计生档"),
    ("culture", "文化工作档"),
    ("public_security", "治安调解（综治）档"),
    ("environment", "环境卫生档"),
    ("education", "教育工作档"),
    ("women_disabled", "妇女残疾人工作档"),
)


def _unit_itself(_session: Any, unit: Any) -> Any:
    return unit


def _archive_class(code: str, name: str, *, read: str, attach: str, retention: PolicyKey) -> DocumentClass:
    return DocumentClass(
        code=f"archive.{code}",
        name=name,
        owner_type="OrgUnit",
        attach_permission=attach,
        read_permission=read,
        unit_of=_unit_itself,
        retention=retention,
        content_types=OFFICE_TYPES,
        max_count=ARCHIVE_MAX_COUNT,
        max_bytes=ARCHIVE_MAX_BYTES,
    )


ARCHIVE_CLASSES: tuple[DocumentClass, ...] = (
    *(
        _archive_class(
            code,
            name,
            read=ARCHIVE_VIEW.code,
            attach=ARCHIVE_FILE.code,
            retention=PUBLIC_SECURITY_YEARS if code == "public_security" else ARCHIVE_YEARS,
        )
        for code, name in TEN_FILES
    ),
    _archive_class(
        "election", "换届选举档案", read=ELECTION_ARCHIVE.code, attach=ELECTION_ARCHIVE.code, retention=ELECTION_YEARS
    ),
    _archive_class(
        "impact_assessment",
        "个人信息保护影响评估记录",
        read=PRIVACY_ASSESSMENT.code,
        attach=PRIVACY_ASSESSMENT.code,
        retention=IMPACT_ASSESSMENT_YEARS,
    ),
)
