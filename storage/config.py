"""Tortoise configuration for a database URL (SQLite by default, PostgreSQL at scale)."""

import os
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

DEFAULT_DATABASE_URL = "sqlite://lms.sqlite3"
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "asyncpg://")
# tortoise's asyncpg client with the plugin's handling of lost connections (storage/postgres.py).
POSTGRES_ENGINE = "lms_plugin.storage.postgres"
MODELS_MODULE = "lms_plugin.storage.models"
MIGRATIONS_MODULE = "lms_plugin.storage.migrations"

# WAL lets readers run beside the writer; a busy timeout makes a second process wait for the
# write lock instead of failing at once.
SQLITE_PRAGMAS = "journal_mode=WAL&busy_timeout=5000&synchronous=NORMAL&foreign_keys=ON"


def database_url(url: str) -> str:
    """The URL with the plugin's SQLite pragmas added (unless the URL sets them itself)."""
    if not url.startswith("sqlite://") or "?" in url:
        return url
    return f"{url}?{SQLITE_PRAGMAS}"


def tortoise_config(
    url: str, *, max_pool_size: int = 20, statement_cache_size: int | None = None
) -> dict[str, Any]:
    """`statement_cache_size=0` turns asyncpg's prepared-statement cache off (PgBouncer in
    transaction mode); None keeps asyncpg's default."""
    connection: str | dict[str, Any] = database_url(url)
    if url.startswith(POSTGRES_SCHEMES):
        credentials = {**expand_db_url(url)["credentials"], "maxsize": max_pool_size}
        if statement_cache_size is not None:
            credentials["statement_cache_size"] = statement_cache_size
        connection = {"engine": POSTGRES_ENGINE, "credentials": credentials}
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": [MODELS_MODULE],
                "migrations": MIGRATIONS_MODULE,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For the tortoise CLI: `tortoise -c lms_plugin.storage.config.TORTOISE_ORM makemigrations`.
TORTOISE_ORM = tortoise_config(os.environ.get("LMS_DATABASE_URL", DEFAULT_DATABASE_URL))
