"""The pool settings reach asyncpg: `LMS_DB_POOL_SIZE` connections per process, and with
`LMS_DB_STATEMENT_CACHE_SIZE=0` no named prepared statement is left on a server connection
(PgBouncer in transaction mode hands the next statement to another one)."""

from pathlib import Path

import pytest
from tortoise.connection import connections
from tortoise.context import TortoiseContext

from lms_plugin.settings import Settings
from lms_plugin.storage.config import POSTGRES_ENGINE, tortoise_config
from lms_plugin.storage.models import Person

from .databases import PostgresTemplate


def test_a_sqlite_url_is_left_as_it_is() -> None:
    settings = Settings(database_url="sqlite://data/lms.sqlite3", db_statement_cache_size=0)
    assert settings.database_config()["connections"] == {
        "default": "sqlite://data/lms.sqlite3?journal_mode=WAL&busy_timeout=5000"
        "&synchronous=NORMAL&foreign_keys=ON"
    }


def test_a_postgres_url_becomes_the_plugins_engine_with_the_pool_settings() -> None:
    config = tortoise_config(
        "postgres://lms:s%40cret@db.example:6432/lms", max_pool_size=6, statement_cache_size=0
    )
    assert config["connections"]["default"] == {
        "engine": POSTGRES_ENGINE,
        "credentials": {
            "host": "db.example",
            "port": 6432,
            "user": "lms",
            "password": "s@cret",
            "database": "lms",
            "maxsize": 6,
            "statement_cache_size": 0,
        },
    }


PREPARED = "SELECT count(*) AS n FROM pg_prepared_statements"


@pytest.mark.parametrize(("cache", "named"), [(0, False), (100, True)])
async def test_the_statement_cache_setting_decides_whether_statements_stay_prepared(
    postgres_template: PostgresTemplate, tmp_path: Path, cache: int, named: bool
) -> None:
    async with postgres_template.copy(tmp_path) as url, TortoiseContext() as context:
        settings = Settings(database_url=url, db_pool_size=1, db_statement_cache_size=cache)
        await context.init(config=settings.database_config())
        for _ in range(2):
            await Person.filter(username="nobody").first()
            await Person.filter(username="nobody").count()
        client = connections.get("default")
        # One connection: the statements above ran on the one this asks.
        assert client._pool.get_max_size() == 1
        [row] = await client.execute_query_dict(PREPARED)

        assert (row["n"] > 0) is named
