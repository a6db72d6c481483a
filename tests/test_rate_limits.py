"""Rate limits: a leaky bucket of cost points a minute per person, another for heartbeats, in the
process or shared through Redis; over the limit, HTTP 429 with Retry-After."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.rate_limits import (
    Charge,
    InProcessRateLimiter,
    RateLimiter,
    RedisRateLimiter,
)
from lms_plugin.settings import Settings, SettingsError

from .api import Api
from .factories import make_person

T0 = 1_334_887_200.0  # 2012-04-20 10:00 Shanghai


@pytest.fixture(params=["in-process", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "in-process":
        yield InProcessRateLimiter()
        return
    url = request.getfixturevalue("redis_url")
    shared = RedisRateLimiter(url, request.getfixturevalue("redis_prefix"))
    yield shared
    await shared.close()


def points(amount: int, capacity: int = 60) -> Charge:
    return Charge("points", amount, capacity)


# --- the bucket ---------------------------------------------------------------------------------


async def test_exactly_the_capacity_is_admitted_and_one_point_more_is_refused(
    limiter: RateLimiter,
) -> None:
    full = await limiter.charge("person:1", [points(60)], T0)
    over = await limiter.charge("person:1", [points(1)], T0)

    assert (full.retry_after, full.remaining) == (0, {"points": 0})
    # 60 points a minute drain one a second: one second until one point fits.
    assert (over.retry_after, over.remaining) == (1, {"points": 0})


async def test_a_refused_request_is_not_charged(limiter: RateLimiter) -> None:
    await limiter.charge("person:1", [points(50)], T0)

    refused = await limiter.charge("person:1", [points(20)], T0)
    admitted = await limiter.charge("person:1", [points(10)], T0)

    assert refused.retry_after == 10
    assert (admitted.retry_after, admitted.remaining) == (0, {"points": 0})


async def test_the_bucket_drains_over_time(limiter: RateLimiter) -> None:
    await limiter.charge("person:1", [points(60)], T0)

    assert (await limiter.charge("person:1", [points(2)], T0 + 1)).retry_after == 1
    assert (await limiter.charge("person:1", [points(2)], T0 + 2)).remaining == {"points": 0}
    # A minute later it is empty again (and not below empty).
    assert (await limiter.charge("person:1", [points(60)], T0 + 62.5)).admitted
    assert not (await limiter.charge("person:1", [points(1)], T0 + 62.5)).admitted
    assert (await limiter.charge("person:1", [points(1)], T0 + 63.5)).admitted


async def test_fractions_of_a_point_drain_exactly(limiter: RateLimiter) -> None:
    beats = Charge("heartbeats", 1, 10)  # one heartbeat drains in 6 s
    for _ in range(10):
        assert (await limiter.charge("person:1", [beats], T0)).admitted
    refused = await limiter.charge("person:1", [beats], T0 + 5.999)
    admitted = await limiter.charge("person:1", [beats], T0 + 6)

    assert (refused.retry_after, admitted.admitted) == (1, True)


async def test_people_and_buckets_are_apart_and_a_request_charges_all_or_none(
    limiter: RateLimiter,
) -> None:
    beats = Charge("heartbeats", 1, 10)
    await limiter.charge("person:1", [points(60)], T0)

    assert (await limiter.charge("person:2", [points(60)], T0)).admitted
    assert (await limiter.charge("person:1", [beats], T0)).remaining == {"heartbeats": 9}
    both = await limiter.charge("person:1", [points(1), beats], T0)
    assert (both.retry_after, both.remaining) == (1, {"points": 0, "heartbeats": 9})
    assert (await limiter.charge("person:1", [beats], T0)).remaining == {"heartbeats": 8}


async def test_a_redis_that_does_not_answer_lets_requests_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = RedisRateLimiter("redis://127.0.0.1:1/0", "lms-test:down:")
    try:
        verdict = await down.charge("person:1", [points(1000)], T0)
    finally:
        await down.close()
    assert (verdict.admitted, verdict.remaining) == (True, {})
    assert "rate limits unavailable" in caplog.text


def test_the_points_a_minute_must_cover_one_request_of_the_budget() -> None:
    with pytest.raises(SettingsError, match="LMS_RATE_LIMIT_POINTS_PER_MINUTE must be at least"):
        Settings(
            jwt_secret="s" * 32, max_query_cost=1000, rate_limit_points_per_minute=999
        ).checked()


# --- over HTTP ----------------------------------------------------------------------------------

# 10 points: five lookups of the viewer and five of its person.
READ = "{ " + " ".join(f"v{n}: viewer {{ person {{ realName }} }}" for n in range(5)) + " }"
BEAT = """mutation ($input: HeartbeatInput!) {
  heartbeat(input: $input) { heartbeat { sequence } userErrors { code } }
}"""
BEAT_INPUT = {"input": {"sessionId": "U3R1ZHlTZXNzaW9uOjk5OQ==", "sequence": 1}}

Serve = Callable[..., AbstractAsyncContextManager[Api]]


@pytest.fixture
def serve(db: str, settings: Settings, clock: FixedClock) -> Serve:
    """An app with small buckets (30 points, 3 heartbeats a minute) over HTTP."""

    @asynccontextmanager
    async def client(limiter: RateLimiter | None = None) -> AsyncIterator[Api]:
        small = replace(
            settings,
            max_query_cost=30,
            rate_limit_points_per_minute=30,
            rate_limit_heartbeats_per_minute=3,
        )
        app = create_app(small, clock=clock, manage_database=False, limiter=limiter)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as c:
            yield Api(c, settings, clock)

    return client


def _refused(retry_after: int) -> dict[str, Any]:
    message = f"请求过于频繁，请 {retry_after} 秒后再试"
    extensions = {"code": "RATE_LIMITED", "retryAfter": retry_after}
    return {"errors": [{"message": message, "extensions": extensions}]}


async def test_over_the_limit_is_429_with_retry_after_until_the_bucket_drains(
    serve: Serve, clock: FixedClock
) -> None:
    person = await make_person("t1")
    async with serve() as api:
        statuses = [(await api.post(READ, as_=person)).status_code for _ in range(3)]
        refused = await api.post(READ, as_=person)
        clock.advance(seconds=19)
        still = await api.post(READ, as_=person)
        clock.advance(seconds=1)
        again = await api.post(READ, as_=person)

    # Exactly the 30 points: admitted. Ten more: at 30 points a minute, 20 s.
    assert statuses == [200, 200, 200]
    assert (refused.status_code, refused.headers["retry-after"], refused.json()) == (
        429,
        "20",
        _refused(20),
    )
    assert refused.headers["content-type"] == "application/json"
    assert len(refused.headers["x-request-id"]) == 32
    assert (still.status_code, still.headers["retry-after"]) == (429, "1")
    assert again.status_code == 200
    assert again.json()["extensions"]["rateLimit"] == {"points": {"limit": 30, "remaining": 0}}


async def test_heartbeats_have_a_bucket_of_their_own(serve: Serve) -> None:
    person = await make_person("t1")
    async with serve() as api:
        for _ in range(3):
            await api.post(READ, as_=person)
        reads_spent = await api.post(READ, as_=person)
        beats = [await api.post(BEAT, BEAT_INPUT, as_=person) for _ in range(4)]

    assert reads_spent.status_code == 429
    assert [b.status_code for b in beats] == [200, 200, 200, 429]
    assert beats[0].json()["extensions"]["rateLimit"] == {
        "heartbeats": {"limit": 3, "remaining": 2}
    }
    assert beats[3].headers["retry-after"] == "20"


async def test_reads_go_on_when_the_heartbeats_are_spent(serve: Serve) -> None:
    person = await make_person("t1")
    async with serve() as api:
        beats = [(await api.post(BEAT, BEAT_INPUT, as_=person)).status_code for _ in range(4)]
        read = await api.post(READ, as_=person)

    assert beats == [200, 200, 200, 429]
    assert read.status_code == 200


async def test_without_a_token_the_client_address_has_a_bucket(serve: Serve) -> None:
    person = await make_person("t1")
    async with serve() as api:
        # UNAUTHENTICATED, but costed and charged.
        statuses = [(await api.post(READ, as_=None)).status_code for _ in range(4)]
        signed_in = await api.post(READ, as_=person)

    assert statuses == [200, 200, 200, 429]
    assert signed_in.status_code == 200


async def test_two_apps_sharing_one_redis_share_the_bucket(
    serve: Serve, redis_url: str, redis_prefix: str
) -> None:
    person = await make_person("t1")
    first_limiter = RedisRateLimiter(redis_url, redis_prefix)
    second_limiter = RedisRateLimiter(redis_url, redis_prefix)
    try:
        async with serve(first_limiter) as first, serve(second_limiter) as second:
            statuses = [
                (await app.post(READ, as_=person)).status_code
                for app in (first, second, first, second)
            ]
    finally:
        await first_limiter.close()
        await second_limiter.close()

    assert statuses == [200, 200, 200, 429]


async def test_apps_in_separate_processes_without_redis_keep_their_own_buckets(
    serve: Serve,
) -> None:
    person = await make_person("t1")
    async with serve() as first, serve() as second:
        statuses = [
            (await app.post(READ, as_=person)).status_code
            for app in (first, second, first, second, first, second)
        ]

    assert statuses == [200] * 6
