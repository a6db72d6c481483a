"""The GraphQL endpoint: context per request, orjson responses, a cap on request bodies, and
GraphiQL from the package."""

import datetime as dt
import uuid
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from lms_plugin.resolvers.core.access import Viewer, load_viewer
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.schema.core.context import Context

from . import graphiql
from .clock import Clock
from .settings import Settings
from .tokens import InvalidToken, verify_token


def bearer_token(headers: Any) -> str | None:
    value: str = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def request_viewer(headers: Any, settings: Settings, now: dt.datetime) -> Viewer | None:
    """The person a request's bearer token names; None without a valid token."""
    token = bearer_token(headers)
    if token is None:
        return None
    try:
        return await load_viewer(verify_token(token, settings, now))
    except InvalidToken:
        return None


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(self, *args: Any, settings: Settings, clock: Clock, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.clock = clock

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        now = self.clock.now()
        request_id = uuid.uuid4().hex
        if isinstance(response, Response):
            # Support finds the log line of a masked error by this header.
            response.headers["X-Request-Id"] = request_id
        return Context(
            viewer=await request_viewer(request.headers, self.settings, now),
            loaders=Loaders(),
            request_id=request_id,
            now_at=now,
            request=request,
        )

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
