"""What `lms-plugin serve` does before uvicorn starts: migrate, load the demo, build the app."""

import asyncio
import copy
import datetime as dt
import logging
import re
from typing import Any

from starlette.applications import Starlette
from tortoise.context import TortoiseContext
from uvicorn.config import LOGGING_CONFIG

from lms_plugin.storage.config import tortoise_config
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


async def prepare_database(url: str, *, demo: bool) -> list[DemoAccount]:
    """Migrates; with `demo`, loads the demo into an empty database and names its accounts."""
    await migrate_database(url)
    if not demo:
        return []
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
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


def prepare_and_create_app(
    settings: Settings, *, demo: bool, host: str, port: int, at: dt.datetime | None = None
) -> Starlette:
    use_key_ring(settings.checked().key_ring())
    accounts = asyncio.run(prepare_database(settings.database_url, demo=demo))
    clock = serving_clock(demo=demo, at=at)
    print(banner(accounts, settings, clock, f"http://{host}:{port}"), flush=True)
    return create_app(settings, clock=clock)
