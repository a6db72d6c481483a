"""Fixtures: a fixed clock in Asia/Shanghai, a fresh migrated database per test on each
backend, and the app over HTTP."""

import base64
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from starlette.applications import Starlette

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.settings import Settings
from lms_plugin.storage.personal_data import use_key_ring

from .api import Api
from .databases import (
    BACKENDS,
    IN_CI,
    POSTGRES_URL,
    REDIS_URL,
    PostgresTemplate,
    SqliteTemplate,
    open_database,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEST_SECRET = "test-secret-for-the-lms-plugin-suite-0123456789"
# The suite's personal-data key ring (fixed bytes: tests only); `TEST_KEYS` is the settings'.
TEST_DATA_KEYS = {
    "data_keys": "test1=" + base64.b64encode(b"t" * 32).decode(),
    "data_key_id": "test1",
    "data_hash_key": base64.b64encode(b"h" * 32).decode(),
}
TEST_KEYS = Settings(**TEST_DATA_KEYS).key_ring()
# Factories seal personal data outside any app: the ring is the process's from the start.
use_key_ring(TEST_KEYS)


def local(*args: int) -> dt.datetime:
    """An instant given in Asia/Shanghai wall-clock time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def _test_key_ring() -> None:
    """Every test starts with the suite's ring (an app built with other settings sets its own)."""
    use_key_ring(TEST_KEYS)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate]:
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI must run the PostgreSQL tests: set LMS_TEST_POSTGRES_URL")
        pytest.skip(
            "PostgreSQL tests need LMS_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)"
        )
    template = PostgresTemplate(POSTGRES_URL)
    yield template
    template.drop()


@pytest.fixture
def redis_url() -> str:
    """The test Redis; each test keys its buckets under a prefix of its own (`redis_prefix`)."""
    if not REDIS_URL:
        if IN_CI:
            pytest.fail("CI must run the Redis tests: set LMS_TEST_REDIS_URL")
        pytest.skip("Redis tests need LMS_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    return REDIS_URL


@pytest.fixture
def redis_prefix() -> str:
    return f"lms-test:{uuid.uuid4().hex}:"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def template(backend: str, request: pytest.FixtureRequest) -> SqliteTemplate | PostgresTemplate:
    # Resolved outside the event loop: building a template runs its own loop.
    name = "sqlite_template" if backend == "sqlite" else "postgres_template"
    found: SqliteTemplate | PostgresTemplate = request.getfixturevalue(name)
    return found


@pytest.fixture
async def db(template: SqliteTemplate | PostgresTemplate, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database with every migration applied; yields its URL."""
    async with template.copy(tmp_path) as url, open_database(url):
        yield url


@pytest.fixture
def clock() -> FixedClock:
    """Registration day one of the 2012 reference calendar, 10:00 in Shanghai."""
    return FixedClock(local(2012, 4, 20, 10, 0))


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    settings = Settings(jwt_secret=TEST_SECRET, upload_dir=tmp_path / "uploads", **TEST_DATA_KEYS)
    if request.node.get_closest_marker("uncosted"):
        return replace(settings, max_query_cost=10**9, rate_limit_points_per_minute=10**10)
    return settings


@pytest.fixture
def app(db: str, settings: Settings, clock: FixedClock) -> Starlette:
    return create_app(settings, clock=clock, manage_database=False)


@pytest.fixture
async def api(app: Starlette, settings: Settings, clock: FixedClock) -> AsyncIterator[Api]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:
        yield Api(client, settings, clock)
