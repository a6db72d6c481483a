"""`create_app()`: the plugin as a Starlette app, to serve alone or mount in a host's ASGI app."""

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from graphql import BREAK, ExecutionResult, GraphQLError, StringValueNode, Visitor, visit
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from tortoise.contrib.starlette import RegisterTortoise

from lms_plugin.schema.build import build_schema
from lms_plugin.storage.config import tortoise_config

from . import graphiql
from .clock import Clock, SystemClock
from .database import migrate_database
from .error_policy import ErrorPolicy
from .http import BodyLimit, GraphQLEndpoint
from .rate_limits import RateLimiter, rate_limiter
from .settings import Settings
from .throttle import CostAndRateLimits, RateLimitResponses
from .uploads import Uploads

ExtensionFactory = Callable[[], SchemaExtension] | type[SchemaExtension]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return isinstance(value, list) and any(_has_nul(item) for item in value)


class _NulLiteral(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_: object) -> object:
        self.found = "\x00" in node.value
        return BREAK if self.found else None


class RefuseNulCharacters(SchemaExtension):
    """Text with U+0000 is refused before execution (BAD_USER_INPUT): PostgreSQL cannot store
    it, and no Chinese or Latin text needs it."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        literal = _NulLiteral()
        if context.graphql_document is not None:
            visit(context.graphql_document, literal)
        if literal.found or _has_nul(context.variables):
            error = GraphQLError("输入不能包含空字符 U+0000", extensions={"code": "BAD_USER_INPUT"})
            context.result = ExecutionResult(data=None, errors=[error])
        yield


def graphql_extensions(
    settings: Settings, limiter: RateLimiter | None = None
) -> list[ExtensionFactory]:
    """Factories, not instances: strawberry makes one per request (the caches are shared)."""
    # The limiters make a new rule class per instance, and the validation cache is keyed by the
    # rules: build them once, or every request misses the cache and is validated again.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list[ExtensionFactory] = [
        ErrorPolicy,
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: AddValidationRules(limits),
        RefuseNulCharacters,
        # After the refusals above: what is refused anyway is neither costed nor charged.
        CostAndRateLimits.factory(settings, limiter),
    ]
    if not settings.dev_mode:
        extensions.append(DisableIntrospection)
    return extensions


def stub_directory() -> Path:
    return Path(str(files("lms_plugin.frontend_stub")))


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def to_ui(request: Request) -> RedirectResponse:
    return RedirectResponse(url="/ui/")


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    manage_database: bool = True,
    limiter: RateLimiter | None = None,
) -> Starlette:
    """The ASGI app. With `manage_database=False` the caller has opened the database already;
    `limiter` replaces the rate-limit buckets that `LMS_REDIS_URL` chooses (tests)."""
    settings = (settings or Settings.from_env()).checked()
    clock = clock or SystemClock()
    limiter = limiter or rate_limiter(settings.redis_url)
    graphql = GraphQLEndpoint(
        build_schema(graphql_extensions(settings, limiter), time_zone=settings.time_zone),
        settings=settings,
        clock=clock,
        # Development mode only; the page is our own (GraphQLEndpoint.render_graphql_ide).
        graphql_ide="graphiql" if settings.dev_mode else None,
        allow_queries_via_get=False,
        # No subscriptions yet: /graphql is served over HTTP only.
        subscription_protocols=(),
    )

    uploads = Uploads(settings, clock)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            if not manage_database:
                yield
                return
            await migrate_database(settings.database_url)
            async with RegisterTortoise(
                app,
                config=tortoise_config(settings.database_url, max_pool_size=settings.db_pool_size),
            ):
                yield
        finally:
            await limiter.close()

    # What GraphiQL's page at /graphql loads.
    ide = [Mount(graphiql.ASSETS_PATH, StaticFiles(directory=graphiql.static_directory()))]
    app = Starlette(
        routes=[
            Route("/", to_ui),
            Route("/health", health),
            Route(
                "/graphql",
                BodyLimit(RateLimitResponses(graphql), settings.max_body_bytes),
                methods=["GET", "POST"],
            ),
            Route("/uploads", uploads.upload, methods=["POST"]),
            Route("/uploads/{attachment_id}", uploads.download, methods=["GET"]),
            Mount("/ui", StaticFiles(directory=stub_directory(), html=True), name="ui"),
            *(ide if settings.dev_mode else []),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.rate_limiter = limiter
    return app
