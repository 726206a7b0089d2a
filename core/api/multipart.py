"""Uploads by the GraphQL multipart request specification
(https://github.com/jaydenseric/graphql-multipart-request-spec), so that
standard clients (Apollo Upload Client, urql, graphql-request) work
unchanged.

A ``multipart/form-data`` POST carries the field ``operations`` (the usual
JSON request, with ``null`` where files go), ``map`` (JSON: file field
name → the paths in ``operations`` where that file goes, e.g.
``{"0": ["variables.input.file"]}``) and then the file fields. The body as
a whole is bounded by ``documents_max_request_bytes``; ``operations`` and
``map`` by ``max_request_bytes`` like a JSON body, and pass the same input
checks. Batched operations (a JSON list) are not supported.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

# Files one request may carry.
MAX_FILES = 20


class MultipartError(Exception):
    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def _bad(message: str) -> MultipartError:
    return MultipartError(400, message, "BAD_REQUEST")


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise MultipartError(413, f"上传请求超过 {limit} 字节的上限。", "PAYLOAD_TOO_LARGE")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise MultipartError(413, f"上传请求超过 {limit} 字节的上限。", "PAYLOAD_TOO_LARGE")
    return bytes(body)


async def _form(request: Request, body: bytes, max_field_bytes: int) -> FormData:
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(
        request.headers, stream(), max_files=MAX_FILES, max_fields=2, max_part_size=max_field_bytes
    )
    try:
        return await parser.parse()
    except MultiPartException as exc:
        raise _bad(f"multipart 请求格式不正确：{exc.message}") from None


def _json_field(form: FormData, name: str) -> Any:
    value = form.get(name)
    if not isinstance(value, str):
        raise _bad(f"multipart 请求缺少字段 {name}（GraphQL multipart request 规范）。")
    try:
        return json.loads(value)
    except RecursionError:
        raise MultipartError(400, f"字段 {name} 的 JSON 嵌套过深。", "INPUT_TOO_DEEP") from None
    except ValueError:
        raise _bad(f"字段 {name} 不是合法的 JSON。") from None


def _place(operations: dict[str, Any], path: str, upload: UploadFile) -> None:
    parts = path.split(".")
    if len(parts) < 2 or parts[0] != "variables" or not isinstance(operations.get("variables"), dict):
        raise _bad(f"map 中的路径 {path} 须指向 variables 中的值。")
    target: Any = operations["variables"]
    for part in parts[1:-1]:
        target = (
            target[int(part)]
            if isinstance(target, list) and part.isdigit()
            else (target.get(part) if isinstance(target, dict) else None)
        )
        if target is None:
            raise _bad(f"map 中的路径 {path} 在 operations 中不存在。")
    last = parts[-1]
    if isinstance(target, list) and last.isdigit() and int(last) < len(target) and target[int(last)] is None:
        target[int(last)] = upload
    elif isinstance(target, dict) and last in target and target[last] is None:
        target[last] = upload
    else:
        raise _bad(f"map 中的路径 {path} 须指向 operations 中值为 null 的位置。")


async def read_multipart(
    request: Request, *, max_request_bytes: int, max_field_bytes: int
) -> tuple[dict[str, Any], Any]:
    """``(operations, place_files)``: the operations JSON (checked by the
    caller like a JSON body) and a function that puts the files into its
    variables once the checks have passed."""
    body = await read_body(request, max_request_bytes)
    form = await _form(request, body, max_field_bytes)
    operations = _json_field(form, "operations")
    if isinstance(operations, list):
        raise _bad("不支持批量操作：operations 须是一个 JSON 对象。")
    if not isinstance(operations, dict):
        raise _bad("operations 须是 JSON 对象。")
    mapping = _json_field(form, "map")
    if not isinstance(mapping, dict) or not all(
        isinstance(paths, list) and all(isinstance(p, str) for p in paths) for paths in mapping.values()
    ):
        raise _bad("map 须是 JSON 对象：文件字段名 → 路径列表。")

    def place_files() -> None:
        for name, paths in mapping.items():
            upload = form.get(name)
            if not isinstance(upload, UploadFile):
                raise _bad(f"map 中的文件字段 {name} 不在请求中。")
            for path in paths:
                _place(operations, path, upload)

    return operations, place_files
