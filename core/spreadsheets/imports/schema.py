"""GraphQL for spreadsheet imports.

``checkImport`` (the dry run) and ``startImport`` take the file as a
multipart upload (the GraphQL multipart request specification, as
``attachDocument``). ``startImport`` refuses a file with any bad cell
(``INVALID_ROWS``: nothing is written) and otherwise returns an
``ImportJob`` at once; poll ``importJob(id:)`` (or ``node``) for
``processed``/``total`` and ``status``. Templates: ``importKinds`` lists
each kind's columns and the path of its template download.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import and_, or_, select
from strawberry.file_uploads import Upload

from core.api.context import RequestContext
from core.api.errors import NotFoundError, UserError, UserInputError
from core.api.mutations import atomic
from core.api.relay import Node, decode_global_id, decode_pk, model_type
from core.api.rows import row_as, rows_as
from core.audit.service import actor_of
from core.auth.permissions import (
    principal_of,
    registry_for_context,
    require,
    scope_condition,
)
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.privacy.schema import forbidden_as_user_error
from core.spreadsheets.imports import jobs, service
from core.spreadsheets.imports.kinds import KINDS
from core.spreadsheets.imports.models import JOB_STATUSES, QUEUED, ImportJob

TEMPLATE_PREFIX = "/imports/templates/"
MAX_LISTED_JOBS = 100


@strawberry.enum(description="可导入的表格种类。")
class ImportKind(Enum):
    ORG_UNITS = strawberry.enum_value(
        "org_units", description="组织单位（社区、村、网格……），按区划代码或上级+名称识别。"
    )
    RESIDENTS = strawberry.enum_value("residents", description="居民（实有人口），按公民身份号码识别；可同时入户。")
    HOUSEHOLDS = strawberry.enum_value("households", description="住户，按户号识别。")
    PLACES = strawberry.enum_value("places", description="场所（楼栋、房屋、出租房屋、商铺），按单位+类型+名称识别。")


@strawberry.enum(description="导入任务的状态。")
class ImportJobStatus(Enum):
    QUEUED = strawberry.enum_value("queued", description="排队中。")
    RUNNING = strawberry.enum_value("running", description="导入中。")
    SUCCEEDED = strawberry.enum_value("succeeded", description="已完成：全部行已导入。")
    FAILED = strawberry.enum_value("failed", description="失败：未导入任何记录，原因见 message。")


def load_import_jobs(context: RequestContext, pks: Sequence[int]) -> Mapping[int, ImportJob]:
    """``node(id:)``: jobs in units where the caller may import that kind."""
    principal = principal_of(context)
    if not pks or principal is None:
        return {}
    rows = context.session.scalars(select(ImportJob).where(ImportJob.id.in_(pks)))
    return {
        row.id: row for row in rows if row.kind in KINDS and principal.reaches(KINDS[row.kind].permission, row.org_path)
    }


@model_type(ImportJob, name="ImportJob", description="一次表格导入：全部成功或一条不写；导入中可轮询进度。")
class ImportJobType(Node):
    file_name: str = strawberry.field(description="上传时的文件名。")
    total: int = strawberry.field(description="数据行数。")
    created: int = strawberry.field(description="新建的记录数（完成后）。")
    updated: int = strawberry.field(description="更新的记录数（完成后）。")
    unchanged: int = strawberry.field(description="已存在且无变化的记录数（完成后；重复导入同一文件时全部在此）。")
    message: str | None = strawberry.field(description="失败原因（中文）。")
    created_at: datetime = strawberry.field(description="开始时间。")
    finished_at: datetime | None = strawberry.field(description="结束时间。")

    @strawberry.field(description="导入的种类。")
    def kind(self, root: ImportJob) -> ImportKind:
        return ImportKind(root.kind)

    @strawberry.field(description="状态。")
    def status(self, root: ImportJob) -> ImportJobStatus:
        return ImportJobStatus(root.status)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self, root: ImportJob) -> str:
        return JOB_STATUSES[root.status]

    @strawberry.field(description="已处理的行数（导入中随时增长，完成时等于 total）。")
    def processed(self, root: ImportJob) -> int:
        return service.progress_of(root)


@strawberry.type(description="导入表的一列。")
class ImportColumn:
    header: str = strawberry.field(description="表头（中文）。")
    required: bool = strawberry.field(description="是否必填。")
    note: str = strawberry.field(description="填写说明。")


@strawberry.type(description="一种可导入的表格：列和模板。")
class ImportKindInfo:
    kind: ImportKind
    name: str = strawberry.field(description="中文名称。")
    permission: str = strawberry.field(description="导入所需的权限。")
    columns: list[ImportColumn]
    template_path: str = strawberry.field(description="模板下载地址（GET，加 ?unit=<单位 ID>，须带会话令牌）。")


@strawberry.type(description="检查出的一处错误：第几行、哪一列、为什么。")
class ImportCellError:
    row: int = strawberry.field(description="表格中的行号（与 Excel 左侧行号一致）。")
    column: str = strawberry.field(description="列的表头；空表示整行。")
    message: str = strawberry.field(description="原因（中文）。")


@strawberry.type
class CheckImportPayload:
    total: int = 0
    error_count: int = strawberry.field(default=0, description="错误处数。")
    errors: list[ImportCellError] = strawberry.field(
        default_factory=list, description=f"错误（最多前 {service.LISTED_ERRORS} 处，全部见错误表）。"
    )
    error_workbook: str | None = strawberry.field(
        default=None,
        description="错误表（.xlsx，Base64）：上传的表格中出错的单元格标红并批注原因，另附“错误清单”。无错误时为空。",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StartImportPayload:
    job: ImportJobType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="要导入的表格。")
class ImportFileInput:
    kind: ImportKind
    unit_id: strawberry.ID = strawberry.field(description="导入到哪个单位：表中的单位须是它或它的下级。")
    file: Upload = strawberry.field(description="表格（.xlsx），按 GraphQL multipart request 规范上传。")


def _prepare(context: RequestContext, input: ImportFileInput) -> tuple[Any, OrgUnit, bytes, str]:
    kind = service.kind_of(str(input.kind.value))
    context.audit_subject("ImportJob", None, None, detail={"kind": kind.code})
    unit = context.session.get(OrgUnit, decode_pk(input.unit_id, "OrgUnit", field="unitId"))
    if unit is None:
        raise NotFoundError("组织单位", "unitId")
    context.audit_subject("ImportJob", None, unit.id, detail={"kind": kind.code})
    with forbidden_as_user_error("unitId"):
        require(context, kind.permission, unit.path, registry=registry_for_context(context))
    if unit.dissolved_on is not None:
        raise UserInputError("ORG_UNIT_DISSOLVED", f"“{unit.name}”已撤销，不能再导入。", "unitId")
    handle = getattr(input.file, "file", None)
    if handle is None or not hasattr(handle, "read"):
        raise UserInputError(
            "FILE_REQUIRED", "请以 multipart/form-data 上传文件（GraphQL multipart request 规范）。", "file"
        )
    handle.seek(0)
    return kind, unit, handle.read(), (getattr(input.file, "filename", None) or "import.xlsx")[:255]


@strawberry.type
class ImportQuery:
    @strawberry.field(description="可导入的表格种类、各列和模板地址。")
    def import_kinds(self) -> list[ImportKindInfo]:
        return [
            ImportKindInfo(
                kind=ImportKind(kind.code),
                name=kind.name,
                permission=kind.permission,
                columns=[ImportColumn(header=f.header, required=f.required, note=f.note) for f in kind.fields],
                template_path=f"{TEMPLATE_PREFIX}{kind.code}.xlsx",
            )
            for kind in KINDS.values()
        ]

    @strawberry.field(description="某单位及其下级的导入任务，最新的在前（只列出有该种导入权限之处的任务）。")
    def import_jobs(self, info: strawberry.Info, under: strawberry.ID, first: int = 20) -> list[ImportJobType]:
        context: RequestContext = info.context
        unit = context.session.get(OrgUnit, decode_pk(under, "OrgUnit", field="under"))
        principal = principal_of(context)
        if unit is None or principal is None:
            return []
        permissions = {kind.permission for kind in KINDS.values()}
        allowed = or_(
            *(
                and_(
                    ImportJob.kind.in_([k.code for k in KINDS.values() if k.permission == code]),
                    scope_condition(principal, code, ImportJob.org_path),
                )
                for code in sorted(permissions)
            )
        )
        rows = context.session.scalars(
            select(ImportJob)
            .where(in_subtree(ImportJob.org_path, unit.path), allowed)
            .order_by(ImportJob.id.desc())
            .limit(max(1, min(first, MAX_LISTED_JOBS)))
        )
        return rows_as(ImportJobType, list(rows))

    @strawberry.field(description="一次导入的进度和结果；须在其单位有该种导入的权限，否则为空。")
    def import_job(self, info: strawberry.Info, id: strawberry.ID) -> ImportJobType | None:
        type_name, _pk = decode_global_id(id, field="id")
        if type_name != "ImportJob":
            raise UserInputError("INVALID_ID", "ID 与此处所需的对象类型不符。", "id")
        pk = decode_pk(id, "ImportJob", field="id")
        return row_as(ImportJobType, load_import_jobs(info.context, [pk]).get(pk))


@strawberry.type
class ImportMutation:
    @strawberry.mutation(description="检查要导入的表格（不写入任何记录）：返回每处错误及标出错误的表格。")
    @atomic
    def check_import(self, info: strawberry.Info, input: ImportFileInput) -> CheckImportPayload:
        context: RequestContext = info.context
        kind, unit, data, _name = _prepare(context, input)
        result = service.check_rows(context.session, context.settings, unit, kind, data)
        context.audit_subject(
            "ImportJob",
            None,
            unit.id,
            detail={"kind": kind.code, "dryRun": True, "total": result.total, "errors": len(result.errors)},
        )
        return CheckImportPayload(
            total=result.total,
            error_count=len(result.errors),
            errors=[
                ImportCellError(row=e.row, column=e.column, message=e.message)
                for e in result.errors[: service.LISTED_ERRORS]
            ],
            error_workbook=base64.b64encode(service.error_workbook(data, result)).decode() if result.errors else None,
        )

    @strawberry.mutation(
        description="导入表格：先整体检查，有任何错误则一条不写（INVALID_ROWS，请先用 checkImport 取错误表）；"
        "否则立即返回导入任务，在后台一次性写入（全部成功或全部不写），可用 importJob 轮询进度。"
        "按自然键（公民身份号码、户号、区划代码）识别已有记录，重复导入不会重复登记。"
    )
    @atomic
    def start_import(self, info: strawberry.Info, input: ImportFileInput) -> StartImportPayload:
        context: RequestContext = info.context
        kind, unit, data, name = _prepare(context, input)
        result = service.check_rows(context.session, context.settings, unit, kind, data)
        if result.errors:
            rows = len({e.row for e in result.errors})
            raise UserInputError(
                "INVALID_ROWS",
                f"有 {rows} 行共 {len(result.errors)} 处错误，未导入任何记录：请先检查，按错误表改正后再导入。",
                "file",
            )
        actor = actor_of(principal_of(context))
        job = ImportJob(
            kind=kind.code,
            org_unit_id=unit.id,
            org_path=unit.path,
            created_by_id=actor.user_id,
            file_name=name,
            file_sha256=service.sha256(data),
            status=QUEUED,
            total=result.total,
            processed=0,
            created=0,
            updated=0,
            unchanged=0,
        )
        context.session.add(job)
        context.session.flush()
        context.audit_subject(
            "ImportJob", job.id, unit.id, detail={"kind": kind.code, "total": result.total, "sha256": job.file_sha256}
        )
        if context.request is None:
            raise UserInputError("NOT_AVAILABLE", "只能通过 HTTP 请求开始导入。", None)
        deployment = context.request.app.state.deployment
        jobs.start_in_background(
            deployment.write_session_factory,
            context.settings,
            job.id,
            data,
            actor_user_id=actor.user_id,
            actor_label=actor.label,
        )
        return StartImportPayload(job=row_as(ImportJobType, job))
