"""Test databases: migrated once per session as a template, then copied for every test.

SQLite always runs. PostgreSQL runs when `LMS_TEST_POSTGRES_URL` names a server (CI sets it;
there a missing URL fails the run instead of skipping); the Redis tests likewise with
`LMS_TEST_REDIS_URL`. `LMS_TEST_BACKENDS=sqlite` narrows a
local run to one backend.
"""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.context import TortoiseContext

from lms_plugin.database import migrate_database
from lms_plugin.storage.config import tortoise_config

POSTGRES_URL = os.environ.get("LMS_TEST_POSTGRES_URL", "")
# Redis for the shared rate-limit buckets: run when set, skip when not, fail in CI without it.
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "")
BACKENDS = [b for b in os.environ.get("LMS_TEST_BACKENDS", "sqlite,postgres").split(",") if b]
IN_CI = os.environ.get("CI", "").lower() == "true"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def asyncpg_dsn(url: str) -> str:
    return url.replace("asyncpg://", "postgresql://", 1).replace("postgres://", "postgresql://", 1)


class SqliteTemplate:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.sqlite3"
        asyncio.run(migrate_database(f"sqlite://{self.path}"))

    @asynccontextmanager
    async def copy(self, directory: Path) -> AsyncIterator[str]:
        target = directory / "test.sqlite3"
        shutil.copyfile(self.path, target)
        yield f"sqlite://{target}"


class PostgresTemplate:
    """A migrated template database; each test gets `CREATE DATABASE … TEMPLATE` (fast)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"lms_test_{uuid.uuid4().hex[:10]}"
        self.template = f"{self.prefix}_template"
        asyncio.run(self._create(self.template))
        asyncio.run(migrate_database(_with_database(url, self.template)))

    async def _admin(self, sql: str) -> None:
        connection = await asyncpg.connect(asyncpg_dsn(self.url))
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    async def _create(self, name: str, template: str | None = None) -> None:
        suffix = f' TEMPLATE "{template}"' if template else ""
        await self._admin(f'CREATE DATABASE "{name}"{suffix}')

    @asynccontextmanager
    async def copy(self, directory: Path) -> AsyncIterator[str]:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        await self._create(name, self.template)
        try:
            yield _with_database(self.url, name)
        finally:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop(self) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))


@asynccontextmanager
async def open_database(url: str) -> AsyncIterator[TortoiseContext]:
    # Tortoise caches INSERT statements per connection name and table, not per dialect: a
    # suite that alternates SQLite and PostgreSQL must start each database without them.
    EXECUTOR_CACHE.clear()
    context = TortoiseContext()
    async with context:
        await context.init(config=tortoise_config(url))
        yield context
