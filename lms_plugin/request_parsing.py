"""Reading a GraphQL request over HTTP: every refusal a coded JSON answer, never a 500.

Strawberry's view answers malformed requests with plain text (or a 500 for a body that is not
UTF-8, a top-level JSON value that is not an object, or JSON nested deeply enough to exhaust the
interpreter's recursion). The endpoint parses the body here instead, with orjson (depth limit
1024, no recursion in Python), and turns every refusal into

    {"errors": [{"message": "<中文>", "extensions": {"code": "BAD_REQUEST"}}]}

with the status that names the problem (400; 405 for GET; 415 for another content type; 431 for
an oversized Authorization header).
"""

from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import OperationDefinitionNode
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

# An Authorization header over this is refused (431) before its token is looked at. A host's
# JWT is a few hundred bytes; 8 KiB leaves room for a large claim set.
MAX_AUTHORIZATION_BYTES = 8 * 1024

UNPAIRED_SURROGATE = "输入不能包含单独的代理字符（U+D800–U+DFFF）"
NUL_CHARACTER = "输入不能包含空字符 U+0000"

# orjson's messages for a `\ud800`-style escape without its pair (pinned by a test): such text
# cannot be stored or encoded as UTF-8, the same refusal as the check before execution.
_SURROGATE_ESCAPE = ("no low surrogate", "invalid high surrogate", "lone leading surrogate")


class Refusal(Exception):
    """A request the endpoint answers without executing it."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = "BAD_REQUEST",
        *,
        headers: Mapping[str, str] | None = None,
        data_null: bool = False,
        **extensions: object,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})
        # A refusal that the check before execution would make alike answers like it.
        self.data_null = data_null
        self.extensions = extensions

    def body(self) -> dict[str, Any]:
        error = {"message": self.message, "extensions": {"code": self.code, **self.extensions}}
        return {"data": None, "errors": [error]} if self.data_null else {"errors": [error]}

    def response(self) -> Response:
        return Response(
            orjson.dumps(self.body()),
            status_code=self.status,
            headers=self.headers,
            media_type="application/json",
        )


def _invalid_json(body: bytes, error: orjson.JSONDecodeError) -> Refusal:
    reason = str(error)
    if not body.strip():
        return Refusal(400, "请求体为空：需要一个 JSON 对象")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "请求体不是有效的 UTF-8 文本")
    if reason.startswith(_SURROGATE_ESCAPE):
        return Refusal(200, UNPAIRED_SURROGATE, "BAD_USER_INPUT", data_null=True)
    if reason.startswith("depth limit exceeded"):
        return Refusal(400, "请求体的 JSON 嵌套过深")
    return Refusal(400, "请求体不是有效的 JSON")


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The request's JSON object; a Refusal for anything else."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise _invalid_json(body, error) from None
    if isinstance(data, list):
        raise Refusal(400, "不支持批量请求：每次请求只发送一个操作")
    if not isinstance(data, dict):
        raise Refusal(400, "请求体必须是一个 JSON 对象")
    return data


def mime_type_of(content_type: str | None) -> str:
    """The media type of a Content-Type header, as strawberry reads it. The two values front
    ends send are known at once; anything else goes through the full parse."""
    if content_type in _PLAIN_JSON:
        return "application/json"
    return parse_content_type(content_type or "")[0]


_PLAIN_JSON = frozenset({"application/json", "application/json; charset=utf-8"})


def graphql_request(method: str, content_type: str | None, body: bytes) -> GraphQLRequestData:
    """What a POST asks for: `query`, `variables`, `operationName`, `extensions`."""
    if method != "POST":
        raise Refusal(405, "只接受 POST 请求", headers={"Allow": "POST"})
    if mime_type_of(content_type) != "application/json":
        raise Refusal(415, "请求的 Content-Type 必须是 application/json")
    data = parse_json_object(body)
    query, variables = data.get("query"), data.get("variables")
    operation_name, extensions = data.get("operationName"), data.get("extensions")
    # A missing or empty query is strawberry's MissingQueryError (refusal_of), so that an
    # extension may still supply one (persisted operations).
    if not isinstance(query, str | None):
        raise Refusal(400, "query 必须是字符串")
    if not isinstance(variables, dict | None):
        raise Refusal(400, "variables 必须是一个 JSON 对象")
    if not isinstance(operation_name, str | None):
        raise Refusal(400, "operationName 必须是字符串")
    if not isinstance(extensions, dict | None):
        raise Refusal(400, "extensions 必须是一个 JSON 对象")
    return GraphQLRequestData(
        query=query, variables=variables, operation_name=operation_name, extensions=extensions
    )


class OperationNameRequired(CannotGetOperationTypeError):
    """A document with several operations and no `operationName` (the spec says: a request
    error); strawberry would run the first one."""

    def __init__(self) -> None:
        super().__init__(None)


def _operations(context: Any) -> Iterator[OperationDefinitionNode]:
    document = context.graphql_document
    definitions = document.definitions if document is not None else ()
    return (d for d in definitions if isinstance(d, OperationDefinitionNode))


class RequireOperationName(SchemaExtension):
    """Refuses a document of several operations that does not name the one to run."""

    def on_parse(self) -> Iterator[None]:
        yield
        context = self.execution_context
        # The name the request gave; `operation_name` falls back to the first operation's.
        given = getattr(context, "_provided_operation_name", None)
        if given is None and sum(1 for _ in _operations(context)) > 1:
            raise OperationNameRequired


def refusal_of(error: HTTPException) -> Refusal:
    """Strawberry's own refusals (reasons in English, plain text), coded and in Chinese."""
    cause = error.__cause__
    if isinstance(cause, OperationNameRequired):
        return Refusal(400, "文档包含多个操作：请用 operationName 指明执行哪一个")
    if isinstance(cause, CannotGetOperationTypeError):
        if cause.operation_name is None:
            return Refusal(400, "文档中没有可执行的操作")
        return Refusal(400, "文档中没有 operationName 指定的操作")
    if isinstance(cause, InvalidOperationTypeError):
        return Refusal(400, "不支持通过此方式执行这类操作")
    if isinstance(cause, MissingQueryError):
        return Refusal(400, "请求中没有 GraphQL 查询（query）")
    if error.status_code == 404:
        return Refusal(404, "找不到该页面", "NOT_FOUND")
    if error.status_code == 405:
        return Refusal(405, "只接受 POST 请求", headers={"Allow": "POST"})
    return Refusal(error.status_code, "请求无效")


HEADER_TOO_LARGE = Refusal(
    431, "请求头 Authorization 过大（不超过 8 KiB）", "REQUEST_HEADER_TOO_LARGE"
)


class HeaderLimit:
    """Answers 431 REQUEST_HEADER_TOO_LARGE to an Authorization header over 8 KiB, before any
    route reads (or decodes) it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and authorization_too_large(scope["headers"]):
            await HEADER_TOO_LARGE.response()(scope, receive, send)
            return
        await self.app(scope, receive, send)


def authorization_too_large(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"authorization" and len(value) > MAX_AUTHORIZATION_BYTES
        for name, value in headers
    )
