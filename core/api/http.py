"""GraphQL over HTTP, following the GraphQL-over-HTTP specification.

Parsing and validation are cached per document text, bounded in bytes
(``core.api.document_cache``). With
``Accept: application/graphql-response+json`` a request that cannot be
executed (bad JSON, a document that does not parse or validate, variables
that do not coerce) gets status 400; with ``application/json`` it gets 200
and the errors in the body, as the specification asks. Request bodies are
UTF-8 only; files are uploaded as ``multipart/form-data`` by the GraphQL
multipart request specification (``core.api.multipart``). Execution runs in a worker thread with one database session per
request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from core.api.context import RequestContext
from core.api.document_cache import DocumentCache, PreparedDocument
from core.api.errors import format_error
from core.api.faults import log_unavailable, unavailable_error, unavailable_headers
from core.api.hygiene import UnsafeInputError, UnsafeTextRule, check_json, json_too_deep
from core.api.ide import graphiql_csp
from core.api.json_out import json_bytes
from core.api.limits import ReadRecorder, cost_error, max_aliases_rule, max_depth_rule, query_cost
from core.api.multipart import MultipartError, read_multipart
from core.api.observability import ERROR_STATE, OPERATION_STATE
from core.api.relay import DEFAULT_PAGE_SIZE
from core.api.schema import AssembledSchema
from core.api.streamline import LeanExecutor
from core.db import commit_count, database_unavailable, is_stale_connection
from core.plugin_host import PluginHost
from core.settings import Settings
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLFormattedError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    specified_rules,
    validate,
)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
# Costs of (document, operation, variable values) kept at most; then forgotten all at once.
MAX_REMEMBERED_COSTS = 4096
# The response to the same URL differs by Accept (JSON flavour, or GraphiQL).
VARY_ACCEPT = {"Vary": "Accept"}


# Who is calling: the signed-in principal for a request, or None.
Authenticator = Callable[[Session, Request], Any]


class RequestError(Exception):
    """The request cannot be executed; it is answered without ``data``."""

    def __init__(self, status: int, *errors: GraphQLError, graphql_stage: bool = False) -> None:
        super().__init__(errors[0].message if errors else "")
        self.status = status
        self.errors = errors
        # Parsing, validation or variable coercion failed (as opposed to the HTTP request itself).
        self.graphql_stage = graphql_stage


@dataclass(frozen=True)
class GraphQLParams:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def _request_error(status: int, message: str, code: str) -> RequestError:
    return RequestError(status, GraphQLError(message, extensions={"code": code}))


def _choose_media_type(accept: str | None) -> str | None:
    """The response type for an Accept header, or None when none fits."""
    if not accept or not accept.strip():
        return APPLICATION_JSON
    offered = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            offered.append((quality, media.lower()))
    offered.sort(key=lambda item: -item[0])
    for _quality, media in offered:
        if media == GRAPHQL_RESPONSE_JSON:
            return GRAPHQL_RESPONSE_JSON
        if media in (APPLICATION_JSON, "application/*", "*/*"):
            return APPLICATION_JSON
    return None


def _unsafe(error: UnsafeInputError) -> RequestError:
    return RequestError(400, GraphQLError(error.message, extensions={"code": error.code, "field": error.field}))


def _json_param(value: Any, name: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except RecursionError as exc:
            raise _unsafe(json_too_deep(name)) from exc
        except ValueError as exc:
            raise _request_error(400, f"参数 {name} 不是合法的 JSON。", "BAD_REQUEST") from exc
    return value


def _read_params(data: Mapping[str, Any], *, from_url: bool, max_json_depth: int) -> GraphQLParams:
    params = _params_of(data, from_url=from_url)
    try:
        for name, value in (
            ("query", params.query),
            ("operationName", params.operation_name),
            ("variables", params.variables),
            ("extensions", data.get("extensions")),
        ):
            check_json(value, root=name, max_depth=max_json_depth)
    except UnsafeInputError as error:
        raise _unsafe(error) from None
    return params


def _params_of(data: Mapping[str, Any], *, from_url: bool) -> GraphQLParams:
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise _request_error(400, "缺少 query 参数，或其不是字符串。", "BAD_REQUEST")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _request_error(400, "operationName 必须是字符串。", "BAD_REQUEST")
    variables = data.get("variables")
    if from_url:
        variables = _json_param(variables, "variables") if variables else None
    if variables is not None and not isinstance(variables, dict):
        raise _request_error(400, "variables 必须是 JSON 对象。", "BAD_REQUEST")
    extensions = data.get("extensions")
    if from_url:
        extensions = _json_param(extensions, "extensions") if extensions else None
    if extensions is not None and not isinstance(extensions, dict):
        raise _request_error(400, "extensions 必须是 JSON 对象。", "BAD_REQUEST")
    return GraphQLParams(query=query, variables=variables, operation_name=operation_name or None)


class GraphQLEndpoint:
    """The ASGI endpoint at ``/graphql``."""

    def __init__(
        self,
        assembled: AssembledSchema,
        settings: Settings,
        session_factory: sessionmaker[Session],
        ide_html: str | None,
        *,
        authenticate: Authenticator | None = None,
        host: PluginHost | None = None,
        read_session_factory: sessionmaker[Session] | None = None,
    ) -> None:
        self.assembled = assembled
        self.schema: GraphQLSchema = assembled.graphql_schema
        self.settings = settings
        self.session_factory = session_factory
        self.ide_html = ide_html
        self.authenticate = authenticate
        self.read_session_factory = read_session_factory or session_factory
        self.host = host
        self.rules = [
            *specified_rules,
            max_depth_rule(settings.max_query_depth),
            max_aliases_rule(settings.max_aliases),
            UnsafeTextRule,
        ]
        # With introspection off, errors do not suggest names ("Did you mean …?") either.
        self.hide_suggestions = settings.production
        if settings.production:
            self.rules.append(NoSchemaIntrospectionCustomRule)
        self.queries_inline = queries_inline(settings)
        self.documents = DocumentCache(settings.document_cache_bytes, settings.max_cached_document_bytes)
        self._costs: dict[tuple[tuple[str, str | None], str], int] = {}
        self._cost_variables: dict[tuple[str, str | None], tuple[str, ...]] = {}

    async def handle(self, request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            return Response(status_code=405, headers={"Allow": "GET, POST"})
        accept = request.headers.get("accept")
        if (
            request.method == "GET"
            and self.ide_html is not None
            and "text/html" in (accept or "")
            and "query" not in request.query_params
        ):
            return HTMLResponse(self.ide_html, headers={**VARY_ACCEPT, "Content-Security-Policy": graphiql_csp()})
        media_type = _choose_media_type(accept)
        if media_type is None:
            return Response(
                "Acceptable: application/graphql-response+json, application/json",
                status_code=406,
                media_type="text/plain",
                headers=VARY_ACCEPT,
            )
        # Named for the request log and the metrics (core.api.observability).
        setattr(request.state, OPERATION_STATE, None)
        try:
            params = await self._params(request)
            setattr(request.state, OPERATION_STATE, params.operation_name or self._only_operation_name(params.query))
            document, operation = self._prepare(params, media_type)
            if request.method == "GET" and operation.operation != OperationType.QUERY:
                raise _request_error(405, "GET 请求只能执行查询，变更请使用 POST。", "METHOD_NOT_ALLOWED")
            if operation.operation == OperationType.QUERY and self.queries_inline:
                result = self._execute(request, document, operation, params, media_type)
            else:
                # A mutation runs in a worker thread: it waits for its audit record to be
                # chained (core.audit.chainer), which other mutations' records join meanwhile.
                result = await run_in_threadpool(self._execute, request, document, operation, params, media_type)
        except RequestError as error:
            status = error.status
            # application/json clients get parse/validation errors with 200, per the spec.
            if media_type == APPLICATION_JSON and error.graphql_stage:
                status = 200
            headers = {}
            if status == 405:
                headers["Allow"] = "POST" if request.method == "GET" else "GET, POST"
            if status == 401:
                headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            if status == 503:
                headers.update(unavailable_headers())
            formatted = [format_error(e) for e in error.errors]
            unnamed = "GRAPHQL_VALIDATION_FAILED" if error.graphql_stage else "BAD_REQUEST"
            setattr(request.state, ERROR_STATE, _codes(formatted, unnamed))
            return self._respond({"errors": formatted}, status, media_type, headers)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [format_error(e) for e in result.errors]
            setattr(request.state, ERROR_STATE, _codes(body["errors"]))
        body["data"] = result.data
        return self._respond(body, 200, media_type)

    async def _params(self, request: Request) -> GraphQLParams:
        if request.method == "GET":
            return _read_params(request.query_params, from_url=True, max_json_depth=self.settings.max_json_depth)
        content_type = request.headers.get("content-type")
        if not content_type:
            raise _request_error(415, "POST 请求必须带 Content-Type: application/json。", "UNSUPPORTED_MEDIA_TYPE")
        media, *ct_params = [p.strip().lower() for p in content_type.split(";")]
        charset = next((p.split("=", 1)[1].strip('"') for p in ct_params if p.startswith("charset=")), "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise _request_error(415, "请求正文只支持 UTF-8 编码。", "UNSUPPORTED_MEDIA_TYPE")
        if media == "multipart/form-data":
            return await self._multipart_params(request)
        if media not in (APPLICATION_JSON, "application/graphql"):
            raise _request_error(415, "POST 请求必须使用 Content-Type: application/json。", "UNSUPPORTED_MEDIA_TYPE")
        limit = self.settings.max_request_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _request_error(413, f"请求正文超过 {limit} 字节的上限。", "PAYLOAD_TOO_LARGE")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise _request_error(413, f"请求正文超过 {limit} 字节的上限。", "PAYLOAD_TOO_LARGE")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _request_error(400, "请求正文不是合法的 UTF-8。", "BAD_REQUEST") from exc
        if media == "application/graphql":
            return _read_params({"query": text}, from_url=False, max_json_depth=self.settings.max_json_depth)
        if not text.strip():
            raise _request_error(400, "请求正文为空。", "BAD_REQUEST")
        try:
            data = json.loads(text)
        except RecursionError as exc:
            raise _unsafe(json_too_deep("body")) from exc
        except ValueError as exc:
            raise _request_error(400, "请求正文不是合法的 JSON。", "BAD_REQUEST") from exc
        if not isinstance(data, dict):
            raise _request_error(400, "请求正文必须是 JSON 对象。", "BAD_REQUEST")
        return _read_params(data, from_url=False, max_json_depth=self.settings.max_json_depth)

    async def _multipart_params(self, request: Request) -> GraphQLParams:
        """A file upload (``core.api.multipart``): ``operations`` is read and
        checked like a JSON body before the files are put in its variables."""
        try:
            operations, place_files = await read_multipart(
                request,
                max_request_bytes=self.settings.documents_max_request_bytes,
                max_field_bytes=self.settings.max_request_bytes,
            )
            params = _read_params(operations, from_url=False, max_json_depth=self.settings.max_json_depth)
            place_files()
        except MultipartError as error:
            raise _request_error(error.status, error.message, error.code) from None
        return params

    def _prepared(self, query: str) -> PreparedDocument:
        limit = self.settings.max_tokens

        def make() -> PreparedDocument:
            try:
                document = parse(query, max_tokens=limit)
            except GraphQLError as error:
                if f"Document contains more than {limit} tokens." in error.message:
                    error = GraphQLError(
                        f"查询文档超过 {limit} 个词法单元（token）的上限。",
                        source=error.source,
                        positions=error.positions,
                        extensions={"code": "TOO_MANY_TOKENS"},
                    )
                return PreparedDocument(error)
            return PreparedDocument(
                document, tuple(validate(self.schema, document, self.rules, hide_suggestions=self.hide_suggestions))
            )

        return self.documents.get_or_make(query, make)

    def _document(self, query: str) -> DocumentNode | GraphQLError:
        return self._prepared(query).document

    def _only_operation_name(self, query: str) -> str | None:
        """The name of the document's one operation (for logs and metrics)."""
        parsed = self._document(query)
        if isinstance(parsed, GraphQLError):
            return None
        operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
        return operations[0].name.value if len(operations) == 1 and operations[0].name else None

    def _prepare(self, params: GraphQLParams, media_type: str) -> tuple[DocumentNode, OperationDefinitionNode]:
        prepared = self._prepared(params.query)
        parsed = prepared.document
        if isinstance(parsed, GraphQLError):
            raise _graphql_stage_error(parsed)
        if prepared.errors:
            raise _graphql_stage_error(*prepared.errors)
        operation = get_operation_ast(parsed, params.operation_name)
        if operation is None:
            message = (
                f"文档中没有名为 {params.operation_name} 的操作。"
                if params.operation_name
                else "文档含多个操作时必须提供 operationName。"
            )
            raise _graphql_stage_error(GraphQLError(message, extensions={"code": "OPERATION_NOT_FOUND"}))
        coerced = get_variable_values(
            self.schema,
            operation.variable_definitions or (),
            params.variables or {},
            hide_suggestions=self.hide_suggestions,
        )
        if isinstance(coerced, list):
            raise _graphql_stage_error(*coerced)
        # Page sizes may come from variables: the cost is measured with their values and
        # remembered for the same document with the same values of the variables it read
        # (none for most documents, so a mutation's changing input still finds it).
        document_key = (params.query, params.operation_name)
        read = self._cost_variables.get(document_key)
        cost = None
        if read is not None:
            key = (document_key, repr([coerced.coerced.get(name) for name in read]))
            cost = self._costs.get(key)
        if cost is None:
            recorded = ReadRecorder(coerced.coerced)
            cost = query_cost(
                self.schema,
                parsed,
                operation,
                recorded,
                default_page_size=DEFAULT_PAGE_SIZE,
                max_page_size=self.settings.max_page_size,
            )
            if len(self._costs) >= MAX_REMEMBERED_COSTS:
                self._costs.clear()
                self._cost_variables.clear()
            read = self._cost_variables[document_key] = tuple(sorted(recorded.read))
            self._costs[(document_key, repr([coerced.coerced.get(name) for name in read]))] = cost
        if cost > self.settings.max_query_cost:
            raise _graphql_stage_error(cost_error(cost, self.settings.max_query_cost))
        return parsed, operation

    def _execute(
        self,
        request: Request,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        params: GraphQLParams,
        media_type: str,
    ) -> ExecutionResult:
        """Run the operation; a database out of reach is answered 503. A
        pooled connection the server had dropped fails the request's first
        statement on it (see ``core.db.make_engine``): the request is run
        once more on a fresh connection if nothing was committed yet."""
        for attempt in (1, 2):
            committed = 0
            try:
                result, committed = self._execute_once(request, document, operation, params)
            except RequestError:
                raise
            except Exception as error:
                failure: BaseException = error
            else:
                found = next(
                    (e.original_error for e in result.errors or () if database_unavailable(e.original_error)), None
                )
                if found is None:
                    return result
                failure = found
            if attempt == 1 and committed == 0 and is_stale_connection(failure):
                continue
            if not database_unavailable(failure):
                raise failure
            log_unavailable(failure, f"{operation.operation.value} {params.operation_name or ''}".strip())
            raise RequestError(503, unavailable_error())
        raise AssertionError("unreachable")  # pragma: no cover

    def _execute_once(
        self,
        request: Request,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        params: GraphQLParams,
    ) -> tuple[ExecutionResult, int]:
        """The result, and how many transactions the operation committed
        (after signing in)."""
        sessions = self.read_session_factory if operation.operation == OperationType.QUERY else self.session_factory
        with sessions() as session:
            user = None
            if self.authenticate is not None:
                # First on the fresh session: it may record the session as seen and commit.
                user = self.authenticate(session, request)
                if user is None and request.headers.get("authorization"):
                    raise RequestError(
                        401,
                        GraphQLError("登录已失效或令牌无效，请重新登录。", extensions={"code": "UNAUTHENTICATED"}),
                    )
            signed_in = commit_count(session)
            context = RequestContext(
                session=session,
                settings=self.settings,
                registry=self.assembled.registry,
                request=request,
                host=self.host,
                user=user,
            )
            result = execute(
                self.schema,
                document,
                context_value=context,
                variable_values=params.variables,
                operation_name=params.operation_name,
                hide_suggestions=self.hide_suggestions,
                executor_class=LeanExecutor,
            )
            assert isinstance(result, ExecutionResult)  # resolvers are synchronous
            if operation.operation != OperationType.QUERY:
                session.rollback()  # mutations commit themselves; nothing else may persist
            # A query's read session has no transaction to end (core.db.make_read_session_factory).
            return result, commit_count(session) - signed_in

    @staticmethod
    def _respond(
        body: dict[str, Any], status: int, media_type: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        content = json_bytes(body)
        return Response(
            content,
            status_code=status,
            media_type=f"{media_type}; charset=utf-8",
            headers={**VARY_ACCEPT, **(headers or {})},
        )


def queries_inline(settings: Settings) -> bool:
    """Whether queries run on the event loop instead of a worker thread.

    Handing a query to a worker thread makes the two threads pass the GIL back
    and forth: on a process free to use every core that cost a residents page
    2.6 times its throughput on SQLite (README, Performance). On PostgreSQL a
    query also waits for the network, and on the loop that wait would hold up
    the process's other requests: there the thread pays for itself, most of
    all with the database on another host. ``queries_on_event_loop`` decides
    where it is set."""
    if settings.queries_on_event_loop is not None:
        return settings.queries_on_event_loop
    return settings.is_sqlite


def _codes(errors: Sequence[GraphQLFormattedError], unnamed: str = "ERROR") -> list[str]:
    """The codes of formatted errors, for the request log and the metrics."""
    codes = []
    for error in errors:
        extensions = error.get("extensions")
        code = extensions.get("code") if isinstance(extensions, dict) else None
        codes.append(str(code or unnamed)[:40])
    return codes


def _graphql_stage_error(*errors: GraphQLError) -> RequestError:
    return RequestError(400, *errors, graphql_stage=True)
