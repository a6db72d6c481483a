"""The GraphQL endpoint: context per request, orjson requests and responses, coded refusals, a
cap on request bodies, and GraphiQL from the package."""

import datetime as dt
import logging
import uuid
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from lms_plugin.resolvers.core.access import Viewer, load_viewer
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.schema.core.context import Context
from lms_plugin.storage.postgres import lost_connection, tracking_writes

from . import graphiql
from .clock import Clock
from .request_parsing import MAX_AUTHORIZATION_BYTES, Refusal, graphql_request, refusal_of
from .settings import Settings
from .tokens import InvalidToken, verify_token

logger = logging.getLogger("lms_plugin.errors")


def bearer_token(headers: Any) -> str | None:
    value: str = headers.get("authorization", "")
    if len(value) > MAX_AUTHORIZATION_BYTES:
        # HeaderLimit answers 431 first; no path decodes an oversized token all the same.
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def request_viewer(headers: Any, settings: Settings, now: dt.datetime) -> Viewer | None:
    """The person a request's bearer token names; None without a valid token.

    A lost database connection is retried once (the pool hands out another connection); a
    second failure, or any other error, is raised to the caller."""
    token = bearer_token(headers)
    if token is None:
        return None
    try:
        subject = verify_token(token, settings, now)
    except InvalidToken:
        return None
    try:
        return await load_viewer(subject)
    except Exception as error:
        if not lost_connection(error):
            raise
        logger.warning("database connection lost while loading the viewer, retrying: %r", error)
    return await load_viewer(subject)


async def signed_in_viewer(
    headers: Any, settings: Settings, now: dt.datetime, request_id: str
) -> Viewer | None:
    """`request_viewer`, or when the database fails it twice a refusal (503), never a raw
    500: the detail goes to the log, the answer names the request."""
    try:
        return await request_viewer(headers, settings, now)
    except Exception:
        logger.exception("could not load the viewer (request %s)", request_id)
        raise Refusal(
            503,
            "服务器内部错误",
            "INTERNAL_SERVER_ERROR",
            headers={"Retry-After": "1", "X-Request-Id": request_id},
            requestId=request_id,
        ) from None


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(self, *args: Any, settings: Settings, clock: Clock, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        # Support finds the log line of a masked error by this header, on every answer.
        request.state.request_id = uuid.uuid4().hex
        try:
            response = await self.run(request)
        except ClientDisconnect:
            # The client left before its body arrived: there is nobody to answer.
            return
        except Refusal as refusal:
            response = refusal.response()
        except HTTPException as error:
            response = refusal_of(error).response()
        response.headers["X-Request-Id"] = request.state.request_id
        await response(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        now = self.clock.now()
        request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
        viewer = await signed_in_viewer(request.headers, self.settings, now, request_id)
        return Context(
            viewer=viewer,
            loaders=Loaders(),
            request_id=request_id,
            now_at=now,
            request=request,
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Runs the operation; when it lost its database connection before sending anything
        that could have committed (storage/postgres.py), runs it once more. A second loss, or
        one after a write, is answered masked (INTERNAL_SERVER_ERROR and the request id)."""

        async def run() -> ExecutionResult:
            return await super(GraphQLEndpoint, self).execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )

        with tracking_writes() as writes:
            result = await run()
        if not context.lost_connection:
            return result
        if writes.sent:
            logger.error(
                "request %s lost its database connection after a write was sent: not run again",
                context.request_id,
            )
            return result
        logger.warning(
            "request %s lost its database connection before writing: running it again",
            context.request_id,
        )
        context.run_again()
        result = await run()
        if context.lost_connection:
            logger.error("request %s lost its database connection twice", context.request_id)
        return result

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        # GET only serves GraphiQL (handled before this); the body is read with orjson.
        return graphql_request(request.method, request.content_type, await request.get_body())

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Strawberry's own page loads React and GraphiQL from a CDN; ours loads them from
        # /graphql/ide/ (called only when `graphql_ide` is set, i.e. in development mode).
        return HTMLResponse(graphiql.page())

    def encode_json(self, data: object) -> bytes:
        # orjson keeps Chinese text as UTF-8 and is several times faster than json.dumps.
        return orjson.dumps(data)


def _too_large() -> bytes:
    return orjson.dumps(
        {"errors": [{"message": "请求体过大", "extensions": {"code": "REQUEST_TOO_LARGE"}}]}
    )


class BodyLimit:
    """Answers 413 REQUEST_TOO_LARGE to a body over the cap, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = _too_large()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass
