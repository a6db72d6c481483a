"""Hand-written statements (the hot paths) on tortoise's connection, written once with `?`
placeholders: asyncpg numbers its own."""

import re

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient


def connection() -> BaseDBAsyncClient:
    return connections.get("default")


def is_postgres(client: BaseDBAsyncClient) -> bool:
    return client.capabilities.dialect == "postgres"


def numbered(sql: str) -> str:
    """`?` placeholders as asyncpg's `$1, $2…` (the statements here have no `?` in text)."""
    numbers = iter(range(1, 10_000))
    return re.sub(r"\?", lambda _: f"${next(numbers)}", sql)


def for_backend(sql: str, client: BaseDBAsyncClient) -> str:
    return numbered(sql) if is_postgres(client) else sql
