"""Settings from the environment (`LMS_*`), with safe defaults for production."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lms_plugin.resolvers.core.calendar import is_time_zone
from lms_plugin.storage.config import DEFAULT_DATABASE_URL, tortoise_config

DEV_JWT_SECRET = "lms-plugin-development-secret-do-not-use-in-production"


class SettingsError(ValueError):
    """A setting is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in _TRUE | _FALSE:
        raise SettingsError(f"{name} must be 1/true/yes/on or 0/false/no/off, got {value!r}")
    return value in _TRUE


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _time_zone(name: str) -> str:
    if not is_time_zone(name):
        raise SettingsError(f"LMS_TIME_ZONE must be a time zone name, got {name!r}")
    return name


def _redis_url(url: str) -> str:
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(
            f"LMS_REDIS_URL must be a redis://, rediss:// or unix:// URL, got {url!r}"
        )
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Development mode: GraphiQL, introspection and the built-in token secret.
    dev_mode: bool = False
    jwt_secret: str = ""
    jwt_issuer: str = "lms-host"
    jwt_audience: str = "lms-plugin"
    jwt_algorithm: str = "HS256"
    # A token whose lifetime (exp - iat) is longer is refused; the demo's tokens last 12 hours.
    jwt_max_lifetime_seconds: int = 12 * 3600
    max_query_depth: int = 12
    max_query_tokens: int = 2000
    max_aliases: int = 20
    max_body_bytes: int = 256 * 1024
    # Cost points (lms_plugin/cost.py): most a request may cost, and a person's points a minute.
    max_query_cost: int = 1000
    rate_limit_points_per_minute: int = 6000
    # Heartbeats have their own bucket, so a page's reads never hold up the study timer.
    rate_limit_heartbeats_per_minute: int = 10
    # Shared rate-limit buckets for several workers; empty: each process keeps its own.
    redis_url: str = ""
    # PostgreSQL connections per process: with N workers the database serves N × this (README,
    # "Several workers").
    db_pool_size: int = 20
    # asyncpg's cache of prepared statements per connection (its default); 0 behind PgBouncer in
    # transaction mode, where a statement prepared on one server connection is gone on the next.
    db_statement_cache_size: int = 100
    upload_dir: Path = field(default_factory=lambda: Path("uploads"))
    upload_max_bytes: int = 20 * 1024 * 1024
    # Per person, over the last 24 hours of the app's clock, counted from the stored attachments.
    upload_quota_files: int = 50
    upload_quota_bytes: int = 200 * 1024 * 1024
    # An upload not attached to a submission this long after it came is removed (file and row).
    upload_unattached_hours: int = 24
    # How often the app's clean-up of unattached uploads runs; 0: never (run `clean-uploads`).
    upload_cleanup_interval_seconds: int = 3600
    # The zone every DateTime of the API is shown in (programs judge rules in their own).
    time_zone: str = "Asia/Shanghai"
    upload_content_types: tuple[str, ...] = (
        "application/pdf",
        "image/png",
        "image/jpeg",
        "text/plain",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        default = cls()
        return cls(
            database_url=env.get("LMS_DATABASE_URL") or default.database_url,
            dev_mode=_flag(env, "LMS_DEV_MODE"),
            jwt_secret=env.get("LMS_JWT_SECRET", ""),
            jwt_issuer=env.get("LMS_JWT_ISSUER") or default.jwt_issuer,
            jwt_audience=env.get("LMS_JWT_AUDIENCE") or default.jwt_audience,
            jwt_max_lifetime_seconds=_int(
                env, "LMS_JWT_MAX_LIFETIME_SECONDS", default.jwt_max_lifetime_seconds
            ),
            max_query_depth=_int(env, "LMS_MAX_QUERY_DEPTH", default.max_query_depth),
            max_query_tokens=_int(env, "LMS_MAX_QUERY_TOKENS", default.max_query_tokens),
            max_aliases=_int(env, "LMS_MAX_ALIASES", default.max_aliases),
            max_body_bytes=_int(env, "LMS_MAX_BODY_BYTES", default.max_body_bytes),
            max_query_cost=_int(env, "LMS_MAX_QUERY_COST", default.max_query_cost),
            rate_limit_points_per_minute=_int(
                env, "LMS_RATE_LIMIT_POINTS_PER_MINUTE", default.rate_limit_points_per_minute
            ),
            rate_limit_heartbeats_per_minute=_int(
                env,
                "LMS_RATE_LIMIT_HEARTBEATS_PER_MINUTE",
                default.rate_limit_heartbeats_per_minute,
            ),
            redis_url=_redis_url(env.get("LMS_REDIS_URL", "")),
            db_pool_size=_int(env, "LMS_DB_POOL_SIZE", default.db_pool_size),
            db_statement_cache_size=_int(
                env,
                "LMS_DB_STATEMENT_CACHE_SIZE",
                default.db_statement_cache_size,
                minimum=0,
            ),
            upload_dir=Path(env.get("LMS_UPLOAD_DIR") or default.upload_dir),
            upload_max_bytes=_int(env, "LMS_UPLOAD_MAX_BYTES", default.upload_max_bytes),
            upload_quota_files=_int(env, "LMS_UPLOAD_QUOTA_FILES", default.upload_quota_files),
            upload_quota_bytes=_int(env, "LMS_UPLOAD_QUOTA_BYTES", default.upload_quota_bytes),
            upload_unattached_hours=_int(
                env, "LMS_UPLOAD_UNATTACHED_HOURS", default.upload_unattached_hours
            ),
            upload_cleanup_interval_seconds=_int(
                env,
                "LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS",
                default.upload_cleanup_interval_seconds,
                minimum=0,
            ),
            time_zone=_time_zone(env.get("LMS_TIME_ZONE") or default.time_zone),
        )

    def database_config(self) -> dict[str, Any]:
        """tortoise's configuration of `database_url` with these pool settings."""
        return tortoise_config(
            self.database_url,
            max_pool_size=self.db_pool_size,
            statement_cache_size=self.db_statement_cache_size,
        )

    def checked(self) -> "Settings":
        """Settings ready to serve: development mode may fall back to the built-in secret."""
        if self.rate_limit_points_per_minute < self.max_query_cost:
            # Else a request within the budget could never be admitted.
            raise SettingsError(
                "LMS_RATE_LIMIT_POINTS_PER_MINUTE must be at least LMS_MAX_QUERY_COST"
            )
        if self.jwt_secret:
            if len(self.jwt_secret) < 32:
                raise SettingsError("LMS_JWT_SECRET must be at least 32 characters")
            return self
        if self.dev_mode:
            return replace(self, jwt_secret=DEV_JWT_SECRET)
        raise SettingsError("LMS_JWT_SECRET is required outside development mode (LMS_DEV_MODE=1)")
