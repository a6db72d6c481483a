"""The GraphQL endpoint: context per request, orjson requests and responses, coded refusals, a
cap on request bodies, and GraphiQL from the package."""

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from lms_plugin.resolvers.core.access import Viewer, load_viewer
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.resolvers.people.provisioning import ClaimsRefused, provision
from lms_plugin.schema.core.context import Context
from lms_plugin.storage.postgres import lost_connection, tracking_writes

from . import graphiql
from .clock import Clock
from .error_policy import UNKNOWN_USER_MESSAGE
from .fast_path import FastPath, Unserved
from .jwks import JwksUnavailable
from .persisted import PersistedQueries
from .request_parsing import (
    MAX_AUTHORIZATION_BYTES,
    Refusal,
    graphql_request,
    mime_type_of,
    refusal_of,
)
from .settings import Settings
from .tokens import InvalidToken, TokenVerifier
from .viewers import ViewerCache

logger = logging.getLogger("lms_plugin.errors")


def bearer_token(headers: Any) -> str | None:
    value: str = headers.get("authorization", "")
    if len(value) > MAX_AUTHORIZATION_BYTES:
        # HeaderLimit answers 431 first; no path decodes an oversized token all the same.
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


@dataclass(frozen=True)
class UnknownUser:
    """A valid, well-signed token whose subject is no person here (UNKNOWN_USER)."""

    username: str


async def request_viewer(
    headers: Any, verifier: TokenVerifier, now: dt.datetime, viewers: ViewerCache | None = None
) -> Viewer | UnknownUser | None:
    """The person a request's bearer token names; None without a valid token. The token is
    verified on every request; the person and grants come from `viewers` when it holds them.

    A lost database connection is retried once (the pool hands out another connection); a
    second failure, or any other error, is raised to the caller."""
    token = bearer_token(headers)
    if token is None:
        return None
    try:
        claims = await verifier.claims(token, now)
    except InvalidToken:
        return None
    subject: str = claims["sub"]
    if viewers is not None and (cached := viewers.get(subject, now)) is not None:
        return cached
    generation = viewers.generation() if viewers is not None else 0
    try:
        viewer = await load_viewer(subject)
    except Exception as error:
        if not lost_connection(error):
            raise
        logger.warning("database connection lost while loading the viewer, retrying: %r", error)
        viewer = await load_viewer(subject)
    if viewer is None:
        if verifier.settings.provision_on_sign_in:
            return await _provisioned(subject, claims, verifier.settings, now)
        return UnknownUser(subject)
    if viewers is not None:
        viewers.put(subject, viewer, now, generation)
    return viewer


async def _provisioned(
    subject: str, claims: dict[str, Any], settings: Settings, now: dt.datetime
) -> Viewer:
    """First sign-in: the person from the token's claims, or a 401 naming each bad claim."""
    today = now.astimezone(ZoneInfo(settings.time_zone)).date()
    try:
        return await provision(subject, claims, today)
    except ClaimsRefused as refused:
        raise Refusal(
            401,
            "首次登录无法建档：令牌中的个人信息不符合要求",
            "INVALID_CLAIMS",
            claims=[
                {"claim": e.column, "code": e.code, "message": e.message} for e in refused.errors
            ],
        ) from None


async def signed_in_viewer(
    headers: Any,
    verifier: TokenVerifier,
    now: dt.datetime,
    request_id: str,
    viewers: ViewerCache | None = None,
) -> Viewer | UnknownUser | None:
    """`request_viewer`, or when the host's keys or the database fail a refusal (503), never
    a raw 500: the detail goes to the log, the answer names the request."""
    try:
        if viewers is not None:
            await viewers.poll()
        return await request_viewer(headers, verifier, now, viewers)
    except Refusal:
        raise
    except JwksUnavailable:
        logger.warning("the host's JWKS is unavailable (request %s)", request_id)
        raise Refusal(
            503,
            "暂时无法获取宿主平台的签名公钥，请稍后重试",
            "JWKS_UNAVAILABLE",
            headers={"Retry-After": "60", "X-Request-Id": request_id},
            requestId=request_id,
        ) from None
    except Exception:
        logger.exception("could not load the viewer (request %s)", request_id)
        raise Refusal(
            503,
            "服务器内部错误",
            "INTERNAL_SERVER_ERROR",
            headers={"Retry-After": "1", "X-Request-Id": request_id},
            requestId=request_id,
        ) from None


def json_error(status: int, code: str, message: str) -> JSONResponse:
    """A coded refusal of a plain HTTP route (uploads, downloads), shaped like GraphQL's."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )


async def route_viewer(
    request: Request, verifier: TokenVerifier, now: dt.datetime, viewers: ViewerCache | None
) -> Viewer | Response:
    """A plain route's signed-in viewer, or the answer that refuses it (401, or 503 from
    `Refusal`)."""
    try:
        found = await signed_in_viewer(request.headers, verifier, now, uuid.uuid4().hex, viewers)
    except Refusal as refusal:
        return refusal.response()
    if isinstance(found, UnknownUser):
        return json_error(401, "UNKNOWN_USER", UNKNOWN_USER_MESSAGE)
    if found is None:
        return json_error(401, "UNAUTHENTICATED", "未登录或登录已失效")
    return found


class _RequestAdapter(StarletteRequestAdapter):
    """Strawberry's view of the request, carrying what `GraphQLEndpoint.fast` parsed of it
    when the general path answers instead."""

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.parsed: GraphQLRequestData | None = getattr(request.state, "graphql_request", None)


class GraphQLEndpoint(GraphQL[Context, None]):
    request_adapter_class = _RequestAdapter

    def __init__(
        self,
        *args: Any,
        settings: Settings,
        clock: Clock,
        verifier: TokenVerifier,
        viewers: ViewerCache,
        persisted: PersistedQueries,
        read_upload: Callable[[str], bytes] | None = None,
        fast_path: FastPath | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fast_path = fast_path
        self.settings = settings
        self.clock = clock
        self.verifier = verifier
        self.viewers = viewers
        self.persisted = persisted
        self.read_upload = read_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        # Support finds the log line of a masked error by this header, on every answer.
        request.state.request_id = uuid.uuid4().hex
        try:
            response = await self.fast(request) or await self.run(request)
        except ClientDisconnect:
            # The client left before its body arrived: there is nobody to answer.
            return
        except Refusal as refusal:
            response = refusal.response()
        except HTTPException as error:
            response = refusal_of(error).response()
        finally:
            # A grant this request changed reaches the other workers' caches.
            await self.viewers.publish()
        response.headers["X-Request-Id"] = request.state.request_id
        await response(scope, receive, send)

    async def fast(self, request: Request) -> Response | None:
        """The answer of a compiled plan (lms_plugin/fast_path.py) to a request naming its
        document by hash; None when the general path answers it. A refusal here is the one
        the general path would make of the same request."""
        if self.fast_path is None or request.method != "POST":
            return None
        content_type = request.headers.get("content-type")
        if mime_type_of(content_type) != "application/json":
            return None
        data = graphql_request(request.method, content_type, await request.body())
        persisted = (data.extensions or {}).get("persistedQuery")
        if persisted is not None:
            data = self.persisted.resolve(data)
        # The general path, if it answers, takes the request as parsed (and resolved) here.
        request.state.graphql_request = data
        if persisted is None or data.query is None:
            return None
        plan = self.fast_path.plan(persisted["sha256Hash"], data.query)
        if plan is None:
            return None
        context = await self.get_context(request, Response())
        try:
            return await self.fast_path.serve(
                plan, data.variables, data.operation_name, context, request.scope
            )
        except Unserved:
            # The general path reads the same viewer (not the token again), afresh otherwise.
            request.state.viewer_context = context
            return None

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        known: Context | None = getattr(request.state, "viewer_context", None)
        if known is not None:
            return replace(known, loaders=Loaders(), attempt=1, lost_connection=False)
        now = self.clock.now()
        request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
        viewer = await signed_in_viewer(
            request.headers, self.verifier, now, request_id, self.viewers
        )
        return Context(
            viewer=viewer if isinstance(viewer, Viewer) else None,
            unknown_user=isinstance(viewer, UnknownUser),
            loaders=Loaders(),
            request_id=request_id,
            now_at=now,
            request=request,
            clock=self.clock.now,
            read_upload=self.read_upload,
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
        # GET only serves GraphiQL (handled before this); the body is read with orjson. A
        # persisted query's hash stands for its document (lms_plugin/persisted.py).
        if isinstance(request, _RequestAdapter) and request.parsed is not None:
            return request.parsed
        body = await request.get_body()
        return self.persisted.resolve(graphql_request(request.method, request.content_type, body))

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
