"""Settings from the environment (`LMS_*`), with safe defaults for production.

Personal data at rest (storage/personal_data.py) needs three settings, required outside
development mode (like the JWT secret):

- `LMS_DATA_KEYS`: the sealing key ring, `id=key[,id=key…]`, each key 32 random bytes in
  base64 (`python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"`),
  each id 1–32 of A-Z a-z 0-9 _ -; keep an old key in the ring until `lms-plugin rotate-keys`
  has re-sealed its values under the current one;
- `LMS_DATA_KEY_ID`: the id of the key new values are sealed with (one of the ring's);
- `LMS_DATA_HASH_KEY`: 32 random bytes in base64, the key of the lookup hashes. It does not
  rotate: changing it loses every lookup by ID number.

Development mode without them derives a development ring from fixed text (never for real data).
"""

import base64
import binascii
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lms_plugin.resolvers.core.calendar import is_time_zone
from lms_plugin.storage.config import DEFAULT_DATABASE_URL, tortoise_config
from lms_plugin.storage.personal_data import KeyRing

DEV_JWT_SECRET = "lms-plugin-development-secret-do-not-use-in-production"
DEV_DATA_KEY_ID = "development"


def _development_key(purpose: str) -> str:
    digest = hashlib.sha256(f"lms-plugin-development-{purpose}-do-not-use".encode()).digest()
    return base64.b64encode(digest).decode()


DEV_DATA_KEYS = f"{DEV_DATA_KEY_ID}={_development_key('data-key')}"
DEV_DATA_HASH_KEY = _development_key("hash-key")


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


def _jwks_url(url: str) -> str:
    if url and not url.startswith(("https://", "http://")):
        raise SettingsError(f"LMS_JWKS_URL must be an https:// (or http://) URL, got {url!r}")
    return url


def _key_bytes(name: str, text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SettingsError(f"{name}: a key must be base64") from exc
    if len(key) != 32:
        raise SettingsError(f"{name}: a key must be 32 bytes (44 base64 characters)")
    return key


def key_ring_of(keys: str, current: str, hash_key: str) -> KeyRing:
    """The ring the three LMS_DATA_* settings describe (format: see the module's docstring)."""
    ring: dict[str, bytes] = {}
    for item in keys.split(","):
        key_id, sep, text = item.strip().partition("=")
        if not sep:
            raise SettingsError("LMS_DATA_KEYS must be id=base64key[,id=base64key…]")
        if key_id.strip() in ring:
            raise SettingsError(f"LMS_DATA_KEYS names the key id {key_id.strip()!r} twice")
        ring[key_id.strip()] = _key_bytes("LMS_DATA_KEYS", text)
    try:
        return KeyRing(
            keys=ring,
            current=current.strip(),
            hash_key=_key_bytes("LMS_DATA_HASH_KEY", hash_key),
        )
    except ValueError as exc:
        raise SettingsError(f"LMS_DATA_KEYS / LMS_DATA_KEY_ID: {exc}") from exc


# Rosters (issue 9) and exam results: XLSX, and the CSV Excel writes (declared either way by
# browsers).
SHEET_CONTENT_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/csv",
    "application/vnd.ms-excel",
)


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Development mode: GraphiQL, introspection and the built-in token secret.
    dev_mode: bool = False
    jwt_secret: str = ""
    # Personal data at rest: see the module's docstring.
    data_keys: str = ""
    data_key_id: str = ""
    data_hash_key: str = ""
    jwt_issuer: str = "lms-host"
    jwt_audience: str = "lms-plugin"
    jwt_algorithm: str = "HS256"
    # The host's signing keys for RS256 / ES256 tokens (empty: only the shared secret); the set
    # is fetched again when this old, or on an unknown key id at most once a minute.
    jwks_url: str = ""
    jwks_max_age_seconds: int = 300
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
    # Certificate lookups by code (anonymous ones by address): a few a minute, so that codes
    # cannot be tried in bulk.
    rate_limit_verifications_per_minute: int = 10
    # Shared rate-limit buckets for several workers; empty: each process keeps its own.
    redis_url: str = ""
    # PostgreSQL connections per process: with N workers the database serves N × this (README,
    # "Several workers").
    db_pool_size: int = 20
    # How long a signed-in person and their grants are reused between requests (seconds of the
    # app's clock; 0: loaded on every request). A change of grants reloads them at once.
    viewer_cache_seconds: int = 60
    # asyncpg's cache of prepared statements per connection (its default); 0 behind PgBouncer in
    # transaction mode, where a statement prepared on one server connection is gone on the next.
    db_statement_cache_size: int = 100
    upload_dir: Path = field(default_factory=lambda: Path("uploads"))
    upload_max_bytes: int = 20 * 1024 * 1024
    # Spreadsheets (the roster 报名汇总表, exam results: `SHEET_CONTENT_TYPES`) have a cap of
    # their own: a province's roster of 400,000 teachers is 20.8 MiB of XLSX, over the 20 MiB
    # of other uploads; 64 MiB leaves room for longer cells and more teachers.
    sheet_upload_max_bytes: int = 64 * 1024 * 1024
    # Per person, over the last 24 hours of the app's clock, counted from the stored attachments.
    upload_quota_files: int = 50
    upload_quota_bytes: int = 200 * 1024 * 1024
    # An upload not attached to a submission this long after it came is removed (file and row).
    upload_unattached_hours: int = 24
    # How often the app's clean-up of unattached uploads runs; 0: never (run `clean-uploads`).
    upload_cleanup_interval_seconds: int = 3600
    # How often the app looks for programs whose assessment window has opened without results,
    # and computes them (R12); 0: never (run `compute-results`, e.g. by cron).
    results_interval_seconds: int = 300
    # The zone every DateTime of the API is shown in (programs judge rules in their own).
    time_zone: str = "Asia/Shanghai"
    # A valid token for an unknown user creates the person from its claims (issue 9).
    provision_on_sign_in: bool = False
    upload_content_types: tuple[str, ...] = (
        "application/pdf",
        "image/png",
        "image/jpeg",
        "text/plain",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        *SHEET_CONTENT_TYPES,
    )

    def upload_cap(self, content_type: str) -> int:
        """The largest upload of this (declared) type, in bytes."""
        if content_type in SHEET_CONTENT_TYPES:
            return self.sheet_upload_max_bytes
        return self.upload_max_bytes

    @property
    def largest_upload(self) -> int:
        """The largest upload of any type: the cap of a body before its type is known."""
        return max(self.upload_max_bytes, self.sheet_upload_max_bytes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        default = cls()
        return cls(
            database_url=env.get("LMS_DATABASE_URL") or default.database_url,
            dev_mode=_flag(env, "LMS_DEV_MODE"),
            jwt_secret=env.get("LMS_JWT_SECRET", ""),
            data_keys=env.get("LMS_DATA_KEYS", ""),
            data_key_id=env.get("LMS_DATA_KEY_ID", ""),
            data_hash_key=env.get("LMS_DATA_HASH_KEY", ""),
            jwt_issuer=env.get("LMS_JWT_ISSUER") or default.jwt_issuer,
            jwt_audience=env.get("LMS_JWT_AUDIENCE") or default.jwt_audience,
            jwks_url=_jwks_url(env.get("LMS_JWKS_URL", "")),
            jwks_max_age_seconds=_int(
                env, "LMS_JWKS_MAX_AGE_SECONDS", default.jwks_max_age_seconds
            ),
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
            rate_limit_verifications_per_minute=_int(
                env,
                "LMS_RATE_LIMIT_VERIFICATIONS_PER_MINUTE",
                default.rate_limit_verifications_per_minute,
            ),
            redis_url=_redis_url(env.get("LMS_REDIS_URL", "")),
            db_pool_size=_int(env, "LMS_DB_POOL_SIZE", default.db_pool_size),
            viewer_cache_seconds=_int(
                env,
                "LMS_VIEWER_CACHE_SECONDS",
                default.viewer_cache_seconds,
                minimum=0,
            ),
            db_statement_cache_size=_int(
                env,
                "LMS_DB_STATEMENT_CACHE_SIZE",
                default.db_statement_cache_size,
                minimum=0,
            ),
            upload_dir=Path(env.get("LMS_UPLOAD_DIR") or default.upload_dir),
            upload_max_bytes=_int(env, "LMS_UPLOAD_MAX_BYTES", default.upload_max_bytes),
            sheet_upload_max_bytes=_int(
                env, "LMS_SHEET_UPLOAD_MAX_BYTES", default.sheet_upload_max_bytes
            ),
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
            results_interval_seconds=_int(
                env,
                "LMS_RESULTS_INTERVAL_SECONDS",
                default.results_interval_seconds,
                minimum=0,
            ),
            time_zone=_time_zone(env.get("LMS_TIME_ZONE") or default.time_zone),
            provision_on_sign_in=_flag(env, "LMS_PROVISION_ON_SIGN_IN"),
        )

    def database_config(self) -> dict[str, Any]:
        """tortoise's configuration of `database_url` with these pool settings."""
        return tortoise_config(
            self.database_url,
            max_pool_size=self.db_pool_size,
            statement_cache_size=self.db_statement_cache_size,
        )

    def key_ring(self) -> KeyRing:
        return key_ring_of(self.data_keys, self.data_key_id, self.data_hash_key)

    def checked(self, *, personal_data: bool = True, tokens: bool = True) -> "Settings":
        """Settings ready to serve: development mode may fall back to the built-in secret and
        the development key ring. Commands that touch no personal data (minting a token) ask
        for no keys (`personal_data=False`); commands that verify no token (loading regions)
        for no secret (`tokens=False`)."""
        if self.rate_limit_points_per_minute < self.max_query_cost:
            # Else a request within the budget could never be admitted.
            raise SettingsError(
                "LMS_RATE_LIMIT_POINTS_PER_MINUTE must be at least LMS_MAX_QUERY_COST"
            )
        checked = self._with_jwt_secret() if tokens else self
        return checked._with_data_keys() if personal_data else checked

    def _with_jwt_secret(self) -> "Settings":
        if self.jwt_secret:
            if len(self.jwt_secret) < 32:
                raise SettingsError("LMS_JWT_SECRET must be at least 32 characters")
            return self
        if self.dev_mode:
            return replace(self, jwt_secret=DEV_JWT_SECRET)
        if self.jwks_url:
            # The host signs with its keys only: HS256 tokens are refused.
            return self
        raise SettingsError(
            "LMS_JWT_SECRET or LMS_JWKS_URL is required outside development mode (LMS_DEV_MODE=1)"
        )

    def _with_data_keys(self) -> "Settings":
        if self.data_keys or self.data_key_id or self.data_hash_key:
            self.key_ring()  # refuses a malformed or incomplete ring
            return self
        if self.dev_mode:
            return replace(
                self,
                data_keys=DEV_DATA_KEYS,
                data_key_id=DEV_DATA_KEY_ID,
                data_hash_key=DEV_DATA_HASH_KEY,
            )
        raise SettingsError(
            "LMS_DATA_KEYS, LMS_DATA_KEY_ID and LMS_DATA_HASH_KEY are required outside"
            " development mode (LMS_DEV_MODE=1): they seal ID numbers and mobiles at rest"
        )
