"""What a response may say about an error: a stable code always, details of bugs never."""

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from lms_plugin.resolvers.core.errors import Forbidden, NotAuthenticated
from lms_plugin.storage.postgres import lost_connection

logger = logging.getLogger("lms_plugin.errors")

# A valid token for a user name no person here has (lms_plugin/http.py's UnknownUser).
UNKNOWN_USER_MESSAGE = "登录有效，但本平台没有该用户：请管理员先登记此用户名"

# Limit and request errors carry no original exception; their codes follow from the message
# (strawberry's limiter rules and graphql-core's parser have no codes of their own).
_REQUEST_ERROR_CODES = (
    (re.compile(r"exceeds maximum operation depth"), "QUERY_TOO_DEEP"),
    (re.compile(r"Document contains more than \d+ tokens"), "TOO_MANY_TOKENS"),
    (re.compile(r"^\d+ aliases found\. Allowed: \d+"), "TOO_MANY_ALIASES"),
    (re.compile(r"introspection has been disabled"), "INTROSPECTION_DISABLED"),
    (re.compile(r"^Syntax Error"), "GRAPHQL_PARSE_FAILED"),
    # Values of variables; misuse of a variable in the document is a validation error.
    (re.compile(r"^Variable '\$\w+' has invalid value"), "BAD_USER_INPUT"),
)


def _with_code(error: GraphQLError, message: str, code: str, **extra: object) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": code, **extra},
    )


# graphql-core stops validating at 100 errors, or when a document costs too much to check (e.g.
# two thousand fields of one name, compared pair by pair): say so in Chinese, coded as the rest.
_VALIDATION_ABORTED = (
    (
        re.compile(r"^Too many validation errors, error limit reached\. Validation aborted\.$"),
        "校验错误过多，已停止校验",
    ),
    (re.compile(r"^Validation aborted\.$"), "查询过于复杂，已停止校验"),
)


def request_error_code(message: str) -> str:
    for pattern, code in _REQUEST_ERROR_CODES:
        if pattern.search(message):
            return code
    return "GRAPHQL_VALIDATION_FAILED"


class ErrorPolicy(SchemaExtension):
    """Gives every error a code, masks unexpected ones as INTERNAL_SERVER_ERROR + request id."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as error:
            # The parser cache parses outside strawberry's guard, so syntax and token-limit
            # errors arrive here raised; strawberry puts the replacement into the result.
            raise self.present(error) from None
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [self.present(error) for error in result.errors]

    def present(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, NotAuthenticated):
            if getattr(self.execution_context.context, "unknown_user", False):
                return _with_code(error, UNKNOWN_USER_MESSAGE, "UNKNOWN_USER")
            return _with_code(error, "未登录或登录已失效", "UNAUTHENTICATED")
        if isinstance(original, Forbidden):
            return _with_code(error, "没有权限执行此操作", "FORBIDDEN")
        if error.extensions and "code" in error.extensions:
            return error
        if original is None or error.path is None:
            # Parse, validation and variable errors: about the request, safe to explain.
            for pattern, message in _VALIDATION_ABORTED:
                if pattern.match(error.message):
                    return _with_code(error, message, "GRAPHQL_VALIDATION_FAILED")
            return _with_code(error, error.message, request_error_code(error.message))
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "")
        where = ".".join(str(p) for p in error.path)
        if lost_connection(original) and hasattr(context, "lost_connection"):
            # Not a bug: the endpoint runs the operation again if nothing was written, and
            # logs it as an error if it cannot.
            context.lost_connection = True
            logger.warning(
                "database connection lost in %s (request %s): %r", where, request_id, original
            )
        else:
            logger.error(
                "unexpected error in %s (request %s)", where, request_id, exc_info=original
            )
        return _with_code(error, "服务器内部错误", "INTERNAL_SERVER_ERROR", requestId=request_id)
