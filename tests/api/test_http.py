"""The GraphQL-over-HTTP transport at /graphql: media types, status codes,
request errors, error masking, document limits, introspection, GraphiQL and
the parse cache.

Most tests need no database: they use the real app on an unmigrated SQLite
file with documents that never touch a table, or a small test schema served
by its own ``GraphQLEndpoint``. The tests that do touch tables use the
``client`` fixture and run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import strawberry
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

import core.api.http as http
from core.api.errors import INTERNAL_ERROR_MESSAGE
from core.api.http import GraphQLEndpoint
from core.api.schema import ApiRegistry, AssembledSchema
from core.app import create_app
from graphql import DocumentNode
from tests.conftest import SignedIn, make_settings

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
SECRET = "secret-dsn postgresql://admin:hunter2@db.internal"


# --- a small schema with no database behind it ---------------------------------


@strawberry.type
class Nested:
    value: int = 1

    @strawberry.field
    def child(self) -> Nested:
        return Nested(value=self.value + 1)


@strawberry.type(name="Query")
class SmallQuery:
    @strawberry.field
    def hello(self) -> str:
        return "你好"

    @strawberry.field
    def nested(self) -> Nested:
        return Nested()

    @strawberry.field
    def boom(self) -> str | None:
        raise RuntimeError(SECRET)

    @strawberry.field
    def scribble(self, info: strawberry.Info) -> int:
        """Writes without committing, as no query may."""
        info.context.session.execute(text("INSERT INTO scribble (n) VALUES (1)"))
        return int(info.context.session.execute(text("SELECT count(*) FROM scribble")).scalar_one())


@strawberry.type(name="Mutation")
class SmallMutation:
    @strawberry.field
    def bump(self) -> int:
        return 1


SMALL_SCHEMA = AssembledSchema(
    strawberry_schema=strawberry.Schema(query=SmallQuery, mutation=SmallMutation),
    registry=ApiRegistry(),
)


def endpoint_app(
    session_factory: sessionmaker[Session] | None = None, **overrides: Any
) -> tuple[GraphQLEndpoint, TestClient]:
    """The small schema served by its own endpoint, with ``Settings`` overrides."""
    settings = make_settings("sqlite://", **overrides)
    endpoint = GraphQLEndpoint(SMALL_SCHEMA, settings, session_factory or sessionmaker(), ide_html=None)
    app = Starlette(routes=[Route("/graphql", endpoint.handle, methods=["GET", "POST"])])
    return endpoint, TestClient(app)


@pytest.fixture
def small_client() -> TestClient:
    return endpoint_app()[1]


# --- the real app (core only) on an unmigrated SQLite file ----------------------


def real_app(directory: Path, **overrides: Any) -> TestClient:
    return TestClient(create_app(make_settings(f"sqlite:///{directory / 'jiceng.sqlite3'}", **overrides)))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real app in development mode."""
    with real_app(tmp_path_factory.mktemp("development")) as client:
        yield client


@pytest.fixture(scope="module")
def production_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real app with ``production = true``."""
    with real_app(tmp_path_factory.mktemp("production"), production=True) as client:
        yield client


def post(client: TestClient, body: Any, accept: str | None = None, **kwargs: Any) -> Any:
    headers = {"accept": accept} if accept else {}
    return client.post("/graphql", json=body, headers=headers, **kwargs)


def raw_post(client: TestClient, content: bytes, content_type: str | None, accept: str | None = None) -> Any:
    headers = {}
    if content_type is not None:
        headers["content-type"] = content_type
    if accept is not None:
        headers["accept"] = accept
    return client.post("/graphql", content=content, headers=headers)


def error_codes(body: dict[str, Any]) -> list[str | None]:
    return [error.get("extensions", {}).get("code") for error in body["errors"]]


# --- media types -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        ("*/*", JSON),
        ("application/*", JSON),
        (f"{GRAPHQL_RESPONSE}, {JSON};q=0.9", GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE};q=0.5", JSON),
        (f"{JSON};q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"text/html, {GRAPHQL_RESPONSE};q=0.8, */*;q=0.1", GRAPHQL_RESPONSE),
    ],
)
def test_response_media_type_follows_accept(app: TestClient, accept: str | None, expected: str) -> None:
    response = post(app, {"query": "{ __typename }"}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{expected}; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("accept", ["text/html", "application/xml", f"{GRAPHQL_RESPONSE};q=0, {JSON};q=0"])
def test_unacceptable_accept_is_406(app: TestClient, accept: str) -> None:
    response = post(app, {"query": "{ __typename }"}, accept)
    assert response.status_code == 406
    assert GRAPHQL_RESPONSE in response.text


def test_response_is_utf8_without_escapes(small_client: TestClient) -> None:
    response = post(small_client, {"query": "{ hello }"}, JSON)
    assert response.status_code == 200
    assert response.content == '{"data":{"hello":"你好"}}'.encode()


def test_get_query_with_json_variables(app: TestClient) -> None:
    response = app.get(
        "/graphql",
        params={
            "query": "query T($name: String!) { __type(name: $name) { name } }",
            "variables": '{"name": "OrgUnit"}',
            "operationName": "T",
            "extensions": "",
        },
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__type": {"name": "OrgUnit"}}}


def test_operation_name_selects_the_operation(app: TestClient) -> None:
    document = "query A { a: __typename } query B { b: __typename }"
    assert post(app, {"query": document, "operationName": "B"}).json() == {"data": {"b": "Query"}}
    missing = post(app, {"query": document}, GRAPHQL_RESPONSE)
    assert missing.status_code == 400
    assert error_codes(missing.json()) == ["OPERATION_NOT_FOUND"]


# --- request errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"query": "{"}, id="parse"),
        pytest.param({"query": "{ noSuchField }"}, id="validation"),
        pytest.param({"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": None}}, id="variables"),
    ],
)
@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_RESPONSE, 400), (JSON, 200)])
def test_document_errors_status_depends_on_accept(
    app: TestClient, body: dict[str, Any], accept: str, status: int
) -> None:
    response = post(app, body, accept)
    assert response.status_code == status
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    payload = response.json()
    assert payload["errors"] and all(error["message"] for error in payload["errors"])
    assert "data" not in payload


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
@pytest.mark.parametrize(
    "content",
    [
        b'{ "not a JSON',
        b"",
        b"[1, 2]",
        b'{"query": "{ __type(name: \\"\xff\\") { name } }"}',
        '{"query": "{ __typename }"}'.encode("utf-16"),
    ],
    ids=["truncated", "empty", "array", "not-utf8", "utf16"],
)
def test_body_that_is_not_a_json_object_is_400(app: TestClient, accept: str, content: bytes) -> None:
    response = raw_post(app, content, JSON, accept)
    assert response.status_code == 400
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    payload = response.json()
    assert error_codes(payload) == ["BAD_REQUEST"]
    assert "data" not in payload


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"qeury": "{ __typename }"},
        {"query": ""},
        {"query": 0},
        {"query": ["{ __typename }"]},
        {"query": "{ __typename }", "operationName": 1},
        {"query": "{ __typename }", "variables": "{}"},
        {"query": "{ __typename }", "variables": [1]},
        {"query": "{ __typename }", "extensions": "x"},
    ],
)
def test_missing_or_malformed_parameters_are_400(app: TestClient, accept: str, body: dict[str, Any]) -> None:
    response = post(app, body, accept)
    assert response.status_code == 400
    payload = response.json()
    assert error_codes(payload) == ["BAD_REQUEST"]
    assert "data" not in payload


def test_null_optional_parameters_are_allowed(app: TestClient) -> None:
    body = {"query": "{ __typename }", "variables": None, "operationName": None, "extensions": None}
    assert post(app, body, GRAPHQL_RESPONSE).json() == {"data": {"__typename": "Query"}}


def test_get_with_malformed_variables_is_400(app: TestClient) -> None:
    response = app.get("/graphql", params={"query": "{ __typename }", "variables": "{nope"})
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_unsupported_request_content_type_is_415(app: TestClient, content_type: str | None) -> None:
    response = raw_post(app, b'{"query": "{ __typename }"}', content_type, GRAPHQL_RESPONSE)
    assert response.status_code == 415
    assert error_codes(response.json()) == ["UNSUPPORTED_MEDIA_TYPE"]


def test_utf8_request_with_charset(app: TestClient) -> None:
    content = '{"query": "{ __type(name: \\"Run🏃Swim🏊\\") { name } }"}'.encode()
    response = raw_post(app, content, "application/json; charset=UTF-8")
    assert response.status_code == 200
    assert response.json() == {"data": {"__type": None}}


def test_mutation_over_get_is_405_with_allow_post(app: TestClient) -> None:
    for accept in (GRAPHQL_RESPONSE, JSON):
        response = app.get("/graphql", params={"query": "mutation { __typename }"}, headers={"accept": accept})
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert error_codes(response.json()) == ["METHOD_NOT_ALLOWED"]
        assert "data" not in response.json()
    assert post(app, {"query": "mutation { __typename }"}).json() == {"data": {"__typename": "Mutation"}}


def test_other_methods_are_405(app: TestClient) -> None:
    for method in ("PUT", "PATCH", "DELETE"):
        response = app.request(method, "/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, POST"


def test_mutation_over_get_changes_nothing(client: TestClient, admin_gql: SignedIn) -> None:
    # The administrator of the root unit may add another root unit.
    signed_in = {"authorization": f"Bearer {admin_gql.token}"}
    create = 'mutation { createOrgUnit(input: {name: "市", level: "city"}) { orgUnit { name } userErrors { code } } }'
    response = client.get("/graphql", params={"query": create}, headers={"accept": GRAPHQL_RESPONSE, **signed_in})
    assert response.status_code == 405
    count = "{ orgUnits { totalCount } }"
    assert post(client, {"query": count}).json() == {"data": {"orgUnits": {"totalCount": 1}}}
    created = client.post("/graphql", json={"query": create}, headers=signed_in).json()
    assert created == {"data": {"createOrgUnit": {"orgUnit": {"name": "市"}, "userErrors": []}}}
    assert post(client, {"query": count}).json() == {"data": {"orgUnits": {"totalCount": 2}}}


def test_queries_persist_nothing(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'scribble.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scribble (n INTEGER)"))
    _endpoint, client = endpoint_app(sessionmaker(engine))
    # Each request sees its own write and none of the earlier ones.
    for _ in range(2):
        assert post(client, {"query": "{ scribble }"}).json() == {"data": {"scribble": 1}}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM scribble")).scalar_one() == 0
    engine.dispose()


# --- error masking ------------------------------------------------------------------


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
def test_unexpected_resolver_exception_is_masked(
    small_client: TestClient, caplog: pytest.LogCaptureFixture, accept: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="jiceng.api"):
        response = post(small_client, {"query": "{ hello boom }"}, accept)
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] == {"hello": "你好", "boom": None}
    [error] = payload["errors"]
    assert error["message"] == INTERNAL_ERROR_MESSAGE
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert error["path"] == ["boom"]
    for leak in ("hunter2", "secret-dsn", "RuntimeError", "Traceback", "test_http.py"):
        assert leak not in response.text
    # The log keeps what the client does not see.
    [exc_info] = [r.exc_info for r in caplog.records if r.exc_info]
    assert exc_info[1] is not None and SECRET in str(exc_info[1])


# --- document limits ----------------------------------------------------------------


def nested(depth: int) -> str:
    """A query whose deepest field is at ``depth`` (``nested`` is depth 1)."""
    return "{ nested { " + "child { " * (depth - 2) + "value" + " }" * (depth - 2) + " } }"


def test_depth_limit() -> None:
    _endpoint, client = endpoint_app(max_query_depth=4)
    assert post(client, {"query": nested(4)}).json() == {"data": {"nested": {"child": {"child": {"value": 3}}}}}
    response = post(client, {"query": nested(5)}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    payload = response.json()
    assert error_codes(payload) == ["QUERY_TOO_DEEP"]
    assert "5" in payload["errors"][0]["message"] and "4" in payload["errors"][0]["message"]
    assert "data" not in payload


def test_depth_limit_follows_fragments() -> None:
    _endpoint, client = endpoint_app(max_query_depth=4)
    document = (
        "{ nested { ...A } }"
        " fragment A on Nested { child { ...B } }"
        " fragment B on Nested { child { child { value } } }"  # depth 5 through the fragments
    )
    response = post(client, {"query": document}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert error_codes(response.json()) == ["QUERY_TOO_DEEP"]


def test_default_depth_limit_on_the_real_schema(app: TestClient) -> None:
    deep = "{ orgUnits { nodes { " + "parent { " * 11 + "id" + " }" * 11 + " } } }"  # depth 14 > 12
    response = post(app, {"query": deep}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert error_codes(response.json()) == ["QUERY_TOO_DEEP"]


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: hello" for i in range(count)) + " }"


def test_alias_limit() -> None:
    _endpoint, client = endpoint_app(max_aliases=3)
    assert post(client, {"query": aliases(3)}).json() == {"data": {f"a{i}": "你好" for i in range(3)}}
    response = post(client, {"query": aliases(4)}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    payload = response.json()
    assert error_codes(payload) == ["TOO_MANY_ALIASES"]
    assert "3" in payload["errors"][0]["message"]
    assert "data" not in payload


def test_alias_limit_counts_each_use_of_a_fragment() -> None:
    _endpoint, client = endpoint_app(max_aliases=3)
    document = "{ nested { ...F child { ...F } } } fragment F on Nested { x: value y: value }"
    response = post(client, {"query": document}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert error_codes(response.json()) == ["TOO_MANY_ALIASES"]


def test_limits_stay_linear_for_fragments_spread_many_times() -> None:
    # Fragment i spreads fragment i+1 twice: 2**40 paths, 40 fragments.
    levels = 40
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    document = f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ hello }}"
    _endpoint, client = endpoint_app()
    responses: list[Any] = []
    worker = threading.Thread(target=lambda: responses.append(post(client, {"query": document})), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert responses, "validating the document did not finish within 10 s"
    assert responses[0].json() == {"data": {"hello": "你好"}}


def test_token_limit() -> None:
    _endpoint, client = endpoint_app(max_tokens=8)
    assert post(client, {"query": "{ a: hello b: hello }"}).json() == {"data": {"a": "你好", "b": "你好"}}
    response = post(client, {"query": "{ a: hello b: hello c: hello }"}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    payload = response.json()
    assert error_codes(payload) == ["TOO_MANY_TOKENS"]
    assert "8" in payload["errors"][0]["message"]
    assert "data" not in payload


def test_token_limit_counts_comments() -> None:
    _endpoint, client = endpoint_app(max_tokens=8)
    padded = "#\n" * 100 + "{ hello }"
    response = post(client, {"query": padded}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert error_codes(response.json()) == ["TOO_MANY_TOKENS"]


# --- introspection and GraphiQL ------------------------------------------------------

INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_in_development(app: TestClient) -> None:
    response = post(app, {"query": INTROSPECTION}, GRAPHQL_RESPONSE)
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@pytest.mark.parametrize("document", [INTROSPECTION, '{ __type(name: "OrgUnit") { name } }'])
def test_introspection_is_rejected_in_production(production_app: TestClient, document: str) -> None:
    response = post(production_app, {"query": document}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    payload = response.json()
    assert "introspection" in payload["errors"][0]["message"]
    assert "data" not in payload
    # __typename is not introspection of the schema and stays available.
    assert post(production_app, {"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_graphiql_in_development(app: TestClient) -> None:
    response = app.get("/graphql", headers={"accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
    # A browser asking for a query gets the result, not the IDE.
    with_query = app.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": BROWSER_ACCEPT})
    assert with_query.json() == {"data": {"__typename": "Query"}}
    # A client that does not ask for HTML gets a request error, not the IDE.
    no_query = app.get("/graphql", headers={"accept": JSON})
    assert no_query.status_code == 400
    assert error_codes(no_query.json()) == ["BAD_REQUEST"]
    # POST never serves the IDE.
    assert post(app, {"query": "{ __typename }"}, BROWSER_ACCEPT).json() == {"data": {"__typename": "Query"}}


def test_no_graphiql_in_production(production_app: TestClient) -> None:
    html_only = production_app.get("/graphql", headers={"accept": "text/html"})
    assert html_only.status_code == 406
    browser = production_app.get("/graphql", headers={"accept": BROWSER_ACCEPT})
    assert browser.status_code == 400
    assert browser.headers["content-type"] == f"{JSON}; charset=utf-8"
    assert "graphiql" not in browser.text.lower()


# --- caches ---------------------------------------------------------------------------


def test_parse_cache_returns_the_same_document() -> None:
    endpoint, _client = endpoint_app()
    first = endpoint._document("{ hello }")
    assert isinstance(first, DocumentNode)
    assert endpoint._document("{ hello }") is first
    assert endpoint._document("{  hello }") is not first


def test_parse_and_validation_run_once_per_document_text(
    small_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, int] = {"parse": 0, "validate": 0}

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(http, "parse", counting("parse", http.parse))
    monkeypatch.setattr(http, "validate", counting("validate", http.validate))
    for _ in range(3):
        assert post(small_client, {"query": "{ hello }"}).json() == {"data": {"hello": "你好"}}
    assert calls == {"parse": 1, "validate": 1}
    for _ in range(2):
        assert post(small_client, {"query": "{ nope }"}, GRAPHQL_RESPONSE).status_code == 400
    assert calls == {"parse": 2, "validate": 2}


def test_oversized_body_is_refused_before_parsing(tmp_path) -> None:
    from starlette.testclient import TestClient

    from core.app import create_app
    from tests.conftest import make_settings

    settings = make_settings(f"sqlite:///{tmp_path / 'big.sqlite3'}", max_request_bytes=2_000)
    with TestClient(create_app(settings)) as test_client:
        query = "{ orgLevels { code } }" + " " * 3_000
        response = test_client.post("/graphql", json={"query": query})
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        small = test_client.post("/graphql", json={"query": "{ orgLevels { code } }"})
        assert small.status_code == 200


# --- where operations run ----------------------------------------------------------


@pytest.mark.parametrize("setting", [None, True, False])
def test_queries_run_on_the_event_loop_and_mutations_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch, setting: bool | None
) -> None:
    """Unset, queries run on the loop with SQLite (this endpoint's database)."""
    on_loop = setting is not False
    handed: list[str] = []
    original = http.run_in_threadpool

    async def spy(function: Callable[..., Any], *args: Any) -> Any:
        handed.append(args[2].operation.value)  # _execute(request, document, operation, ...)
        return await original(function, *args)

    monkeypatch.setattr(http, "run_in_threadpool", spy)
    _endpoint, client = endpoint_app(queries_on_event_loop=setting)
    with client:
        assert post(client, {"query": "{ hello }"}).json()["data"] == {"hello": "你好"}
        assert post(client, {"query": "mutation { bump }"}).json()["data"] == {"bump": 1}
    assert handed == (["mutation"] if on_loop else ["query", "mutation"])


def test_queries_wait_for_postgresql_in_a_worker_thread_unless_set() -> None:
    postgresql = "postgresql+psycopg://postgres@127.0.0.1:5432/jiceng"
    assert http.queries_inline(make_settings("sqlite://")) is True
    assert http.queries_inline(make_settings(postgresql)) is False
    assert http.queries_inline(make_settings(postgresql, queries_on_event_loop=True)) is True
    assert http.queries_inline(make_settings("sqlite://", queries_on_event_loop=False)) is False
