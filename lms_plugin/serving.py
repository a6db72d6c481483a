"""What `lms-plugin serve` does before uvicorn starts: migrate, load the demo, build the app (or
hand the clock to the worker processes, which build their own)."""

import asyncio
import copy
import datetime as dt
import gc
import logging
import os
import re
from collections.abc import AsyncIterator, Mapping, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from tortoise.context import TortoiseContext
from uvicorn.config import LOGGING_CONFIG

from lms_plugin.storage.personal_data import use_key_ring

from .app import create_app
from .clock import Clock, OffsetClock, SystemClock
from .database import migrate_database
from .demo import DEMO_STARTS_AT, SHANGHAI, DemoAccount, load_demo
from .settings import Settings
from .tokens import mint_token

TOKEN_LIFETIME = dt.timedelta(hours=12)
TOKEN_IN_QUERY = re.compile(r"([?&](?:access_)?token=)[^&#\s]*", re.IGNORECASE)


class RedactTokens(logging.Filter):
    """Blanks `token=` values in query strings of access log lines.

    No route reads a token from the query string (the stub's links carry it in the fragment,
    which browsers never send), but an old `?token=` link or a host's mistake would still put a
    bearer token into the log file, where it stays valid for hours.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                TOKEN_IN_QUERY.sub(r"\1[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration, with RedactTokens on its access log."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": RedactTokens}
    config["handlers"]["access"].setdefault("filters", []).append("redact_tokens")
    return config


async def prepare_database(settings: Settings, *, demo: bool) -> list[DemoAccount]:
    """Migrates; with `demo`, loads the demo into an empty database and names its accounts."""
    await migrate_database(
        settings.database_url, statement_cache_size=settings.db_statement_cache_size
    )
    if not demo:
        return []
    async with TortoiseContext() as context:
        await context.init(config=settings.database_config())
        return await load_demo()


def serving_clock(*, demo: bool, at: dt.datetime | None) -> Clock:
    """The demo lives in the 2012 calendar: real time, shifted to start at `at`."""
    if at is None and not demo:
        return SystemClock()
    return OffsetClock(at or DEMO_STARTS_AT)


def banner(accounts: list[DemoAccount], settings: Settings, clock: Clock, base_url: str) -> str:
    """The addresses to open and a ready token for each demo account."""
    now = clock.now()
    graphiql = "GraphiQL" if settings.dev_mode else "GraphQL (GraphiQL needs LMS_DEV_MODE=1)"
    lines = [
        f"lms-plugin: the clock reads {now.astimezone(SHANGHAI):%Y-%m-%d %H:%M} (Asia/Shanghai)",
        f"  {graphiql}: {base_url}/graphql",
        f"  study page (学员):   {base_url}/ui/",
        f"  tutor page (辅导教师): {base_url}/ui/tutor.html",
    ]
    if accounts:
        lines += [
            "",
            f"Demo accounts; each token is valid for {TOKEN_LIFETIME.seconds // 3600} hours of"
            " demo time. In GraphiQL add the header",
            '  {"Authorization": "Bearer <token>"}',
        ]
    pages = {"demo.trainee": "/ui/", "demo.transitional": "/ui/", "demo.tutor": "/ui/tutor.html"}
    for account in accounts:
        token = mint_token(account.username, settings, now, TOKEN_LIFETIME)
        lines += ["", f"{account.username} · {account.role} · {account.description}", token]
        if account.username in pages:
            # A fragment never reaches the server, so the token stays out of its access log.
            lines.append(f"  open {base_url}{pages[account.username]}#token={token}")
    return "\n".join(lines)


def prepare(
    settings: Settings, *, demo: bool, host: str, port: int, at: dt.datetime | None = None
) -> Clock:
    """Once, before any worker starts: migrates, loads the demo, prints the banner."""
    use_key_ring(settings.checked().key_ring())
    accounts = asyncio.run(prepare_database(settings, demo=demo))
    clock = serving_clock(demo=demo, at=at)
    print(banner(accounts, settings, clock, f"http://{host}:{port}"), flush=True)
    return clock


def prepare_and_create_app(
    settings: Settings, *, demo: bool, host: str, port: int, at: dt.datetime | None = None
) -> Starlette:
    clock = prepare(settings, demo=demo, host=host, port=port, at=at)
    return frozen_after_start_up(create_app(settings, clock=clock))


def freeze_heap() -> None:
    """Moves every object alive now out of the collector's generations (`gc.freeze`).

    What a served process holds at start-up (modules, the schema, the compiled plans, the
    pool) lives as long as the process, yet each full collection walked all of it: a pause of
    tens to hundreds of milliseconds, in the middle of some request. Frozen, the collector walks
    only what requests made since. No `gc.collect()` first: in uvicorn's spawned workers it held
    start-up past the supervisor's wait (2 runs in 3 of the two-worker test); what little
    garbage start-up left is frozen with the rest, once."""
    gc.freeze()


def frozen_after_start_up(app: Starlette) -> Starlette:
    """`app`, its heap frozen once its start-up (the lifespan's, which opens the pool) is done.
    A served process only: a test process builds many apps and frees them."""
    starting = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[Any]:
        async with starting(app) as state:
            freeze_heap()
            yield state

    app.router.lifespan_context = lifespan
    return app


# The demo clock's offset from real time, from `serve` to its worker processes (uvicorn starts
# them afresh, so they share nothing but the environment): every worker reads the same instant.
WORKER_CLOCK_OFFSET = "LMS_WORKER_CLOCK_OFFSET_SECONDS"
# What uvicorn imports and calls in each worker.
WORKER_APP = "lms_plugin.serving:worker_app"


def hand_clock_to_workers(clock: Clock, environ: MutableMapping[str, str]) -> None:
    if isinstance(clock, OffsetClock):
        environ[WORKER_CLOCK_OFFSET] = repr(clock.offset.total_seconds())
    else:
        environ.pop(WORKER_CLOCK_OFFSET, None)


def worker_clock(environ: Mapping[str, str]) -> Clock:
    offset = environ.get(WORKER_CLOCK_OFFSET)
    if offset is None:
        return SystemClock()
    return OffsetClock.shifted_by(dt.timedelta(seconds=float(offset)))


def worker_app() -> Starlette:
    """The app of one worker of `serve --workers N`: the settings from the environment, the
    clock `serve` chose; `serve` has migrated the database already. Each worker opens its own
    pool (`LMS_DB_POOL_SIZE` connections) and runs the uploads clean-up, which is safe side by
    side (it locks the rows it removes)."""
    app = create_app(Settings.from_env().checked(), clock=worker_clock(os.environ), migrate=False)
    return frozen_after_start_up(app)
