"""`create_app()`: the plugin as a Starlette app, to serve alone or mount in a host's ASGI app."""

import asyncio
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, suppress
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from graphql import (
    BREAK,
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    StringValueNode,
    Visitor,
    visit,
)
from starlette.applications import Starlette
from starlette.middleware import Middleware
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

from lms_plugin.resolvers.people.imports import interrupt_stale_jobs, stop_imports
from lms_plugin.schema.build import build_schema
from lms_plugin.storage.personal_data import use_key_ring

from . import graphiql
from .clock import Clock, SystemClock
from .database import migrate_database
from .downloads import Downloads
from .error_policy import ErrorPolicy
from .fast_path import FastPath
from .http import BodyLimit, GraphQLEndpoint
from .persisted import PersistedQueries
from .rate_limits import RateLimiter, rate_limiter
from .request_parsing import (
    NUL_CHARACTER,
    UNPAIRED_SURROGATE,
    HeaderLimit,
    RequireOperationName,
)
from .scheduled_results import compute_results_periodically
from .settings import Settings
from .throttle import CostAndRateLimits, RateLimitResponses
from .tokens import TokenVerifier
from .uploads import Uploads
from .viewers import ViewerCache

ExtensionFactory = Callable[[], SchemaExtension] | type[SchemaExtension]


# Text that cannot be stored: U+0000 (PostgreSQL refuses it) and unpaired surrogates (not
# encodable as UTF-8, so every database driver fails on them). The pattern is written with
# escapes for `re`: hypothesis feeds the fuzz tests the source's string constants, and a
# surrogate in one would break the test's own encoding, not the app.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _unstorable(value: object) -> str | None:
    """The first unstorable character in a variables value; walked without recursion, however
    deeply the value nests."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if found := _UNSTORABLE.search(item):
                return found.group()
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


class _UnstorableLiteral(Visitor):
    found: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: object) -> object:
        self.found = _unstorable(node.value)
        return BREAK if self.found else None


# What the literals of each document hold, by the document's text: a document is walked once,
# not on every request (bounded like the parser's cache; the oldest goes first).
_LITERALS: OrderedDict[str, str | None] = OrderedDict()
_LITERALS_KEPT = 1024


def _unstorable_literal(query: str | None, document: DocumentNode) -> str | None:
    if query is not None and query in _LITERALS:
        _LITERALS.move_to_end(query)
        return _LITERALS[query]
    literal = _UnstorableLiteral()
    visit(document, literal)
    if query is not None:
        _LITERALS[query] = literal.found
        if len(_LITERALS) > _LITERALS_KEPT:
            _LITERALS.popitem(last=False)
    return literal.found


class RefuseNulCharacters(SchemaExtension):
    """Text with U+0000 or an unpaired surrogate (U+D800–U+DFFF) is refused before execution
    (BAD_USER_INPUT): PostgreSQL cannot store the one, no driver can encode the other, and no
    Chinese or Latin text needs either. The variables are checked on every request, the
    document's literals once per document."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        found = None
        if context.graphql_document is not None:
            found = _unstorable_literal(context.query, context.graphql_document)
        found = found or _unstorable(context.variables)
        if found is not None:
            message = NUL_CHARACTER if found == chr(0) else UNPAIRED_SURROGATE
            error = GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})
            context.result = ExecutionResult(data=None, errors=[error])
        yield


def validation_limits(settings: Settings) -> list[type[ASTValidationRule]]:
    """The depth and alias limits, as validation rules."""
    return [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]


def graphql_extensions(
    settings: Settings, limiter: RateLimiter | None = None
) -> list[ExtensionFactory]:
    """Factories, not instances: strawberry makes one per request (the caches are shared)."""
    # The limiters make a new rule class per instance, and the validation cache is keyed by the
    # rules: build them once, or every request misses the cache and is validated again.
    limits = validation_limits(settings)
    extensions: list[ExtensionFactory] = [
        ErrorPolicy,
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: ParserCache(maxsize=512),
        RequireOperationName,
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


@asynccontextmanager
async def _running(
    job: Callable[[], Coroutine[Any, Any, None]], enabled: bool
) -> AsyncIterator[None]:
    """Runs `job` as a background task for the app's lifetime; cancelled at shutdown."""
    if not enabled:
        yield
        return
    task = asyncio.create_task(job())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    manage_database: bool = True,
    migrate: bool = True,
    limiter: RateLimiter | None = None,
) -> Starlette:
    """The ASGI app. With `manage_database=False` the caller has opened the database already;
    with `migrate=False` it has migrated it (`serve --workers`); `limiter` replaces the
    rate-limit buckets that `LMS_REDIS_URL` chooses (tests)."""
    settings = (settings or Settings.from_env()).checked()
    # The process seals and opens personal data with the settings' ring from here on.
    use_key_ring(settings.key_ring())
    clock = clock or SystemClock()
    limiter = limiter or rate_limiter(settings.redis_url)
    verifier = TokenVerifier.of(settings, clock)
    viewers = ViewerCache(settings.viewer_cache_seconds, redis_url=settings.redis_url)
    uploads = Uploads(settings, clock, viewers, verifier)
    persisted = PersistedQueries()
    persisted.register_stub(stub_directory())
    schema = build_schema(graphql_extensions(settings, limiter), time_zone=settings.time_zone)
    graphql = GraphQLEndpoint(
        schema,
        settings=settings,
        verifier=verifier,
        clock=clock,
        read_upload=uploads.read,
        viewers=viewers,
        persisted=persisted,
        fast_path=FastPath(
            schema._schema,
            settings,
            limiter,
            validation_limits(settings),
            literal_refused=_unstorable_literal,
            variables_refused=_unstorable,
        ),
        # Development mode only; the page is our own (GraphQLEndpoint.render_graphql_ide).
        graphql_ide="graphiql" if settings.dev_mode else None,
        allow_queries_via_get=False,
        # No subscriptions yet: /graphql is served over HTTP only.
        subscription_protocols=(),
    )

    downloads = Downloads(settings, clock, viewers, verifier)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            if not manage_database:
                yield
                return
            if migrate:
                await migrate_database(
                    settings.database_url, statement_cache_size=settings.db_statement_cache_size
                )
            async with (
                RegisterTortoise(app, config=settings.database_config()),
                _running(uploads.clean_periodically, settings.upload_cleanup_interval_seconds > 0),
                _running(
                    partial(compute_results_periodically, clock, settings.results_interval_seconds),
                    settings.results_interval_seconds > 0,
                ),
            ):
                # Imports whose worker stopped (this one, before a restart) end as interrupted.
                await interrupt_stale_jobs(clock.now())
                try:
                    yield
                finally:
                    await stop_imports()
        finally:
            await limiter.close()
            await viewers.close()

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
            Route("/exports/{job_id}", downloads.export, methods=["GET"]),
            Mount("/ui", StaticFiles(directory=stub_directory(), html=True), name="ui"),
            *(ide if settings.dev_mode else []),
        ],
        middleware=[Middleware(HeaderLimit)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.fast_path = graphql.fast_path
    app.state.rate_limiter = limiter
    return app
