"""Tortoise configuration for a database URL (SQLite by default, PostgreSQL at scale)."""

import os
from typing import Any

DEFAULT_DATABASE_URL = "sqlite://lms.sqlite3"
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


def tortoise_config(url: str, *, max_pool_size: int = 20) -> dict[str, Any]:
    connection: str | dict[str, Any] = database_url(url)
    if url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        connection = f"{url}{'&' if '?' in url else '?'}maxsize={max_pool_size}"
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
