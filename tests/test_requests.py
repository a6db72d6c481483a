"""Broken requests over HTTP: every refusal a coded JSON answer with its status, never a 500 —
bodies that are not UTF-8, JSON that is not an object or nests too deeply, unstorable text, an
overlong search, a lost database connection while the viewer loads, several operations without
a name, and strawberry's own plain-text refusals."""

import json
import logging
import re
from typing import Any

import asyncpg
import orjson
import pytest
from tortoise.exceptions import DBConnectionError

from lms_plugin import http
from lms_plugin.app import graphql_extensions
from lms_plugin.clock import FixedClock
from lms_plugin.schema.build import build_schema
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import DiscussionPost, OfflineStudyLog

from . import classroom_world, study_world
from .api import Api
from .conftest import local
from .factories import gid, make_admin, make_org, make_person

JSON = {"content-type": "application/json"}
TYPENAME = b'{"query": "{ __typename }"}'


def bad_request(message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}


async def _raw(api: Api, body: bytes, **headers: str) -> tuple[int, Any]:
    response = await api.client.post("/graphql", content=body, headers={**JSON, **headers})
    return response.status_code, api.without_extensions(response.json())


# --- the body ----------------------------------------------------------------------------------


def _nested(depth: int) -> bytes:
    """A request whose (unused) variable `deep` is a list nested `depth` deep."""
    return (
        b'{"query": "{ __typename }", "variables": {"deep": ' + b"[" * depth + b"]" * depth + b"}}"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"query": "{ __typename }", "note": "\xff\xfe"}', "请求体不是有效的 UTF-8 文本"),
        # A surrogate encoded as UTF-8 bytes is not UTF-8 either.
        (b'{"query": "{ __typename }", "note": "\xed\xa0\x80"}', "请求体不是有效的 UTF-8 文本"),
        (b"null", "请求体必须是一个 JSON 对象"),
        (b'"{ __typename }"', "请求体必须是一个 JSON 对象"),
        (b"42", "请求体必须是一个 JSON 对象"),
        (b"true", "请求体必须是一个 JSON 对象"),
        (b"[" * 100_000 + b"]" * 100_000, "请求体的 JSON 嵌套过深"),
        (_nested(100_000), "请求体的 JSON 嵌套过深"),
        (b'{"query": ', "请求体不是有效的 JSON"),
        (b"{'query': '{ __typename }'}", "请求体不是有效的 JSON"),
        (b"", "请求体为空：需要一个 JSON 对象"),
        (b"  \n", "请求体为空：需要一个 JSON 对象"),
        (b'[{"query": "{ __typename }"}]', "不支持批量请求：每次请求只发送一个操作"),
        (b"{}", "请求中没有 GraphQL 查询（query）"),
        (b'{"query": ""}', "请求中没有 GraphQL 查询（query）"),
        (b'{"query": 5}', "query 必须是字符串"),
        (b'{"query": "{ __typename }", "variables": [1]}', "variables 必须是一个 JSON 对象"),
        (b'{"query": "{ __typename }", "operationName": 1}', "operationName 必须是字符串"),
        (b'{"query": "{ __typename }", "extensions": "x"}', "extensions 必须是一个 JSON 对象"),
    ],
    ids=[
        "not-utf-8",
        "utf-8-encoded-surrogate",
        "null",
        "string",
        "number",
        "boolean",
        "nested-100000-deep",
        "variables-nested-100000-deep",
        "malformed",
        "single-quotes",
        "empty",
        "whitespace",
        "batch",
        "no-query",
        "empty-query",
        "query-not-a-string",
        "variables-not-an-object",
        "operation-name-not-a-string",
        "extensions-not-an-object",
    ],
)
async def test_a_broken_body_is_a_coded_400_without_a_token(
    api: Api, body: bytes, message: str
) -> None:
    assert await _raw(api, body) == (400, bad_request(message))


async def test_variables_nested_within_the_parser_limit_are_walked_without_recursion(
    api: Api,
) -> None:
    """1,000 levels parse (orjson allows 1,024); the check for unstorable text must not recurse."""
    assert await _raw(api, _nested(1000)) == (200, {"data": {"__typename": "Query"}})
    deep_nul = _nested(1000).replace(b"[]", b'["\\u0000"]')
    assert await _raw(api, deep_nul) == (200, NUL_REFUSED)


async def test_json_in_utf_8_with_escapes_and_chinese_is_read(api: Api) -> None:
    body = '{"query": "{ __typename }", "variables": {"a": "\\u5f20三 😀 \\ud83d\\ude00"}}'
    assert await _raw(api, body.encode()) == (200, {"data": {"__typename": "Query"}})


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]
)
async def test_another_content_type_is_415(api: Api, content_type: str) -> None:
    status, body = await _raw(api, TYPENAME, **{"content-type": content_type})
    assert (status, body) == (415, bad_request("请求的 Content-Type 必须是 application/json"))


async def test_json_with_a_charset_parameter_is_accepted(api: Api) -> None:
    status, body = await _raw(api, TYPENAME, **{"content-type": "application/json; charset=utf-8"})
    assert (status, body) == (200, {"data": {"__typename": "Query"}})


async def test_get_with_a_query_is_405(api: Api) -> None:
    response = await api.client.get("/graphql", params={"query": "{ __typename }"})
    assert (response.status_code, response.json()) == (405, bad_request("只接受 POST 请求"))
    assert response.headers["allow"] == "POST"
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_get_without_graphiql_is_a_coded_404(api: Api) -> None:
    response = await api.client.get("/graphql", headers={"accept": "text/html"})
    assert (response.status_code, response.json()) == (
        404,
        {"errors": [{"message": "找不到该页面", "extensions": {"code": "NOT_FOUND"}}]},
    )


# --- operations --------------------------------------------------------------------------------

TWO_OPERATIONS = "query A { a: __typename } query B { b: __typename }"


async def test_two_operations_without_an_operation_name_are_refused(api: Api) -> None:
    """The spec: GetOperation fails when the document has several operations and no name."""
    body = orjson.dumps({"query": TWO_OPERATIONS})
    assert await _raw(api, body) == (
        400,
        bad_request("文档包含多个操作：请用 operationName 指明执行哪一个"),
    )


@pytest.mark.parametrize(("name", "field"), [("A", "a"), ("B", "b")])
async def test_the_named_operation_of_several_runs(api: Api, name: str, field: str) -> None:
    body = orjson.dumps({"query": TWO_OPERATIONS, "operationName": name})
    assert await _raw(api, body) == (200, {"data": {field: "Query"}})


async def test_an_unknown_operation_name_is_refused(api: Api) -> None:
    body = orjson.dumps({"query": TWO_OPERATIONS, "operationName": "C"})
    assert await _raw(api, body) == (400, bad_request("文档中没有 operationName 指定的操作"))


async def test_a_document_of_fragments_only_is_refused(api: Api) -> None:
    body = orjson.dumps({"query": "fragment F on Query { __typename }"})
    assert await _raw(api, body) == (400, bad_request("文档中没有可执行的操作"))


async def test_one_operation_runs_with_or_without_its_name(api: Api) -> None:
    for request in ({"query": "query A { __typename }"}, {"query": "{ __typename }"}):
        assert await _raw(api, orjson.dumps(request)) == (200, {"data": {"__typename": "Query"}})


async def test_an_overly_costly_document_is_a_coded_validation_error(api: Api) -> None:
    """1,990 fields of one name: graphql-core aborts comparing them pair by pair."""
    body = orjson.dumps({"query": "{ " + "__typename " * 1990 + "}"})
    assert await _raw(api, body) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "查询过于复杂，已停止校验",
                    "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
                }
            ],
        },
    )


async def test_more_than_a_hundred_validation_errors_are_each_coded(api: Api) -> None:
    body = orjson.dumps({"query": "{ " + " ".join(f"x{n}" for n in range(150)) + " }"})
    status, answer = await _raw(api, body)
    assert status == 200
    assert answer["data"] is None
    errors = answer["errors"]
    assert len(errors) == 101
    assert {e["extensions"]["code"] for e in errors} == {"GRAPHQL_VALIDATION_FAILED"}
    assert errors[0]["message"] == "Cannot query field 'x0' on type 'Query'."
    assert errors[-1] == {
        "message": "校验错误过多，已停止校验",
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
    }


# --- unstorable text ---------------------------------------------------------------------------

NUL_REFUSED = {
    "data": None,
    "errors": [{"message": "输入不能包含空字符 U+0000", "extensions": {"code": "BAD_USER_INPUT"}}],
}
SURROGATE_REFUSED = {
    "data": None,
    "errors": [
        {
            "message": "输入不能包含单独的代理字符（U+D800–U+DFFF）",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ],
}


LOG_OFFLINE = (
    "mutation ($input: LogOfflineStudyInput!) { logOfflineStudy(input: $input) { log { id } } }"
)
POST = (
    "mutation ($input: PostToDiscussionInput!) { postToDiscussion(input: $input) { post { id } } }"
)


def _escaped(query: str, variables: dict[str, Any]) -> bytes:
    """The body a JavaScript client sends: JSON.stringify escapes a lone surrogate as \\ud800."""
    return json.dumps({"query": query, "variables": variables}).encode()


@pytest.mark.parametrize("surrogate", [chr(0xD800), chr(0xDFFF)], ids=["high", "low"])
async def test_a_lone_surrogate_in_offline_study_is_refused(
    api: Api, clock: FixedClock, surrogate: str
) -> None:
    world = await study_world.make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    variables = {
        "input": {
            "kind": "LESSON_OBSERVATION",
            "studiedOn": "2012-04-28",
            "hours": 2,
            "description": f"观课{surrogate}",
        }
    }
    body = _escaped(LOG_OFFLINE, variables)
    assert f"\\u{ord(surrogate):04x}".encode() in body

    assert await _raw(api, body, **api.headers(world.trainee)) == (200, SURROGATE_REFUSED)
    assert await OfflineStudyLog.all().count() == 0


async def test_a_lone_surrogate_in_a_discussion_post_is_refused(
    api: Api, clock: FixedClock
) -> None:
    world = await classroom_world.make_world()
    topic = await classroom_world.class_topic(world)
    clock.set(local(2012, 4, 28, 10, 0))
    body = _escaped(POST, {"input": {"topicId": gid(topic), "body": "我的看法" + chr(0xD800)}})

    assert await _raw(api, body, **api.headers(world.zhang)) == (200, SURROGATE_REFUSED)
    assert await DiscussionPost.all().count() == 0


async def test_a_surrogate_pair_is_text_like_any_other(api: Api) -> None:
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    query = "query ($q: String) { teachers(search: $q) { totalCount } }"
    body = _escaped(query, {"q": "😀"})
    assert b"\\ud83d\\ude00" in body
    assert await _raw(api, body, **api.headers(admin)) == (
        200,
        {"data": {"teachers": {"totalCount": 0}}},
    )


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"q": "张" + chr(0xD800)}, SURROGATE_REFUSED),
        ({"q": "张", "deep": [["x", {"k" + chr(0xDC00): 1}]]}, SURROGATE_REFUSED),
        ({"q": "张" + chr(0)}, NUL_REFUSED),
    ],
    ids=["in-the-variable", "deep-in-a-key", "nul"],
)
async def test_the_check_before_execution_refuses_what_reaches_it(
    settings: Settings, variables: dict[str, Any], expected: dict[str, Any]
) -> None:
    """JSON cannot carry a lone surrogate past orjson; text reaching the schema by another way
    (a host executing it directly) is refused before any resolver all the same."""
    schema = build_schema(graphql_extensions(settings), time_zone=settings.time_zone)
    query = "query ($q: String) { teachers(search: $q) { totalCount } }"
    result = await schema.execute(query, variable_values=variables)
    assert result.data is None
    assert [{"message": e.message, "extensions": e.extensions} for e in result.errors or []] == (
        expected["errors"]
    )


def test_orjson_still_names_lone_surrogates_as_the_refusal_expects() -> None:
    for escaped in (b'"\\ud800"', b'"\\udc00"', b'"\\ud800x"'):
        with pytest.raises(orjson.JSONDecodeError, match="surrogate"):
            orjson.loads(escaped)


# --- the teacher search ------------------------------------------------------------------------

SEARCH = "query ($q: String) { teachers(search: $q, first: 10) { nodes { realName } } }"


async def test_an_overlong_search_is_refused(api: Api) -> None:
    """SQLite answered "LIKE or GLOB pattern too complex" (a 500) to 80,000 characters."""
    org = await make_org()
    await make_person("t1", school=org.school, real_name="张三")
    admin = await make_admin("province", Role.PROVINCE_ADMIN)

    for text in ("张" * 80_000, "张" * 51):
        body = await api.gql(SEARCH, {"q": text}, as_=admin)
        assert body == {
            "data": None,
            "errors": [
                {
                    "message": "搜索内容不能超过 50 个字",
                    "locations": [{"line": 1, "column": 22}],
                    "path": ["teachers"],
                    "extensions": {"code": "BAD_USER_INPUT"},
                }
            ],
        }
    fifty = await api.data(SEARCH, {"q": " " + "张" * 50 + " "}, as_=admin)
    assert fifty == {"teachers": {"nodes": []}}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("%", ["百分%号"]),
        ("_", ["下划_线"]),
        ("\\", ["反斜\\杠"]),
        ("分%", ["百分%号"]),
        ("张", ["张三"]),
    ],
)
async def test_the_search_matches_wildcards_literally(
    api: Api, text: str, found: list[str]
) -> None:
    org = await make_org()
    for name in ("张三", "百分%号", "下划_线", "反斜\\杠"):
        await make_person(school=org.school, real_name=name)
    admin = await make_admin("province", Role.PROVINCE_ADMIN)

    data = await api.data(SEARCH, {"q": text}, as_=admin)

    assert [node["realName"] for node in data["teachers"]["nodes"]] == found


# --- a lost database connection while the viewer loads -----------------------------------------

PROTECTED = "{ programs(first: 1) { totalCount } }"
LOST = [
    asyncpg.exceptions.InternalClientError(
        "cannot perform operation: another operation is in progress"
    ),
    asyncpg.exceptions.ConnectionDoesNotExistError(
        "connection was closed in the middle of operation"
    ),
    asyncpg.exceptions.InterfaceError("connection is closed"),
    DBConnectionError("can't connect"),
    ConnectionResetError("Connection reset by peer"),
]


@pytest.mark.parametrize("error", LOST, ids=lambda e: type(e).__name__)
async def test_a_lost_connection_is_retried_once(
    api: Api, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    teacher = await make_person("teacher")
    calls: list[str] = []
    load = http.load_viewer

    async def flaky(subject: str) -> Any:
        calls.append(subject)
        if len(calls) == 1:
            raise error
        return await load(subject)

    monkeypatch.setattr(http, "load_viewer", flaky)

    response = await api.post(PROTECTED, as_=teacher)

    assert (response.status_code, api.without_extensions(response.json())) == (
        200,
        {"data": {"programs": {"totalCount": 0}}},
    )
    assert calls == ["teacher", "teacher"]


SECRET = "SELECT * FROM person WHERE username = 'teacher' (pid 4242 terminated)"


@pytest.mark.parametrize(
    ("error", "attempts"),
    [(asyncpg.exceptions.ConnectionDoesNotExistError(SECRET), 2), (RuntimeError(SECRET), 1)],
    ids=["connection-lost-twice", "a-bug-is-not-retried"],
)
async def test_a_viewer_that_cannot_load_is_a_masked_503(
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    attempts: int,
) -> None:
    teacher = await make_person("teacher")
    calls: list[str] = []

    async def broken(subject: str) -> Any:
        calls.append(subject)
        raise error

    monkeypatch.setattr(http, "load_viewer", broken)
    caplog.set_level(logging.WARNING, logger="lms_plugin.errors")

    response = await api.post(PROTECTED, as_=teacher)

    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert (response.status_code, response.json()) == (
        503,
        {
            "errors": [
                {
                    "message": "服务器内部错误",
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
                }
            ]
        },
    )
    assert response.headers["retry-after"] == "1"
    assert calls == ["teacher"] * attempts
    for leak in ("SELECT", "person", "pid", "Traceback"):
        assert leak not in response.text
    records = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in records] == [
        f"could not load the viewer (request {request_id})"
    ]
    assert SECRET in caplog.text


async def test_without_a_token_the_database_is_not_asked(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(subject: str) -> Any:
        raise AssertionError("not called")

    monkeypatch.setattr(http, "load_viewer", broken)
    body = await api.gql("{ __typename }", as_=None)
    assert body == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/uploads"), ("GET", "/uploads/QXR0YWNobWVudDox")]
)
async def test_uploads_answer_a_lost_database_with_the_same_coded_refusal(
    api: Api, monkeypatch: pytest.MonkeyPatch, method: str, path: str
) -> None:
    teacher = await make_person("teacher")

    async def broken(subject: str) -> Any:
        raise DBConnectionError("connection was closed in the middle of operation")

    monkeypatch.setattr(http, "load_viewer", broken)
    files = {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")} if method == "POST" else None

    response = await api.client.request(method, path, files=files, headers=api.headers(teacher))

    request_id = response.headers["x-request-id"]
    assert (response.status_code, response.json()) == (
        503,
        {
            "errors": [
                {
                    "message": "服务器内部错误",
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
                }
            ]
        },
    )
    assert response.headers["retry-after"] == "1"


async def test_a_client_that_leaves_before_its_body_arrives_gets_no_answer_and_no_error(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Under load a client may give up mid-request: nothing to answer, nothing to log."""
    sent: list[Any] = []
    messages = [
        {"type": "http.request", "body": b'{"query": "{ serv', "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Any:
        return messages.pop(0)

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"lms.test")],
        "client": ("127.0.0.1", 50000),
        "server": ("lms.test", 80),
        "state": {},
    }
    caplog.set_level(logging.WARNING)

    await app(scope, receive, send)

    assert (sent, messages, [r.getMessage() for r in caplog.records]) == ([], [], [])
