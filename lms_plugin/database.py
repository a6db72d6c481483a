"""Applying the migrations and opening the database for the app's lifetime."""

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from lms_plugin.storage.config import tortoise_config


async def migrate_database(url: str, *, statement_cache_size: int | None = None) -> None:
    """Bring the database to the newest migration (safe to run on every start)."""
    await migrate(config=tortoise_config(url, statement_cache_size=statement_cache_size))
    await Tortoise.close_connections()
