"""Memory stays flat (`make bench-memory`): 40,000 mixed requests against one server process
(`hot_server.py` under uvicorn, one worker, the clock standing a minute after the sessions
began), its RSS read from /proc before the traffic and after every 2,500 requests. It prints
RSS at the start, after the warm-up and at the end, and the growth per 10,000 requests after
the warm-up.

The mix, per 100 requests: 50 heartbeats (each learner beating on; after its first beat the
rest count nothing, which is still the whole write path), 25 study pages, 5 tutor's desks, 5
refused heartbeats (another learner's session), 5 refused desks (a malformed token:
UNAUTHENTICATED),
and 10 documents never seen before: 5 sent with their hash (they fill the persisted-query
registry), 5 as plain text (they fill the parser's and the NUL check's caches). Every cache keyed
by what a client sends is bounded, so after the warm-up (the first 10,000 requests, when those
caches fill) RSS may move by MAX_GROWTH_MIB at most; the test fails otherwise.

Knobs: LMS_BENCH_MEMORY_REQUESTS (40000), LMS_BENCH_LEARNERS (10000: set 2000 for a quicker
seed; the make target does), LMS_BENCH_CONCURRENCY (16).
"""

import asyncio
import datetime as dt
import hashlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import TEST_DATA_KEYS

from .bench_hot_paths import (
    CLASS_SIZE,
    CONCURRENCY,
    HEARTBEAT,
    STARTED_AT,
    STUDY_PAGE,
    TUTOR_DESK,
    Client,
    Server,
    World,
    _seed,
    rss_mib,
    serving,
)

REQUESTS = int(os.environ.get("LMS_BENCH_MEMORY_REQUESTS", "40000"))
WARM_UP = REQUESTS // 4  # 10,000 of the 40,000
SAMPLE = REQUESTS // 16  # RSS read every 2,500 requests
# After the warm-up the bounded caches are full; what grows beyond this is a leak.
MAX_GROWTH_MIB = 8.0

# The server opens what the seed sealed (and refuses to start without keys): the suite's ring.
SEALING_KEYS = {f"LMS_{name.upper()}": value for name, value in TEST_DATA_KEYS.items()}

Sent = tuple[str, dict[str, Any], str]  # token, body, what the answer must show


def _mix(world: World) -> Iterator[Sent]:
    learners = len(world.tokens)
    sequences = [1] * learners
    for n in itertools.count():
        slot = n % 100
        learner = (n // 2) % learners
        if slot < 50:
            body = _beat(world, learner, sequences[learner])
            sequences[learner] += 1
            yield world.tokens[learner], body, "heartbeat"
        elif slot < 75:
            yield world.tokens[n % CLASS_SIZE], {"query": STUDY_PAGE}, "viewer"
        elif slot < 80:
            yield world.tutor_token, {"query": TUTOR_DESK}, "tutorDesk"
        elif slot < 85:  # another learner's session: refused in userErrors
            body = _beat(world, (learner + 1) % learners, 1)
            yield world.tokens[learner], body, "userErrors"
        elif slot < 90:  # a token that is none: refused with an error
            yield f"not-a-token-{n}", {"query": TUTOR_DESK}, "errors"
        else:
            query = f"query Fresh{n} {{ viewer {{ person {{ realName }} }} }}"
            body: dict[str, Any] = {"query": query}
            if slot < 95:
                digest = hashlib.sha256(query.encode()).hexdigest()
                body["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
            yield world.tokens[learner], body, "viewer"


def _beat(world: World, learner: int, sequence: int) -> dict[str, Any]:
    variables = {"input": {"sessionId": world.session_ids[learner], "sequence": sequence}}
    return {"query": HEARTBEAT, "variables": variables}


class AnyAnswer(Client):
    """The keep-alive client, taking refusals too (it checks each answer itself)."""

    async def answer(self, token: str, body: dict[str, Any]) -> dict[str, Any]:
        payload = orjson.dumps(body)
        head = (
            f"POST /graphql HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(head.encode() + payload)
        status_line, *headers = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
        length = next(
            int(line.partition(b":")[2])
            for line in headers
            if line.lower().startswith(b"content-length:")
        )
        answer = await reader.readexactly(length)
        assert status_line.split()[1] == b"200", answer
        result: dict[str, Any] = orjson.loads(answer)
        return result


def _check(answer: dict[str, Any], shows: str) -> None:
    if shows == "errors":
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["UNAUTHENTICATED"], answer
        return
    assert "errors" not in answer, answer
    if shows == "userErrors":
        assert answer["data"]["heartbeat"]["userErrors"], answer
    elif shows == "heartbeat":
        assert answer["data"]["heartbeat"]["userErrors"] == [], answer
    else:
        assert answer["data"][shows] is not None, answer


async def _drive(server: Server, sent: Iterator[Sent], count: int) -> None:
    clients = [AnyAnswer(server) for _ in range(CONCURRENCY)]
    pending = itertools.islice(sent, count)

    async def drive(client: AnyAnswer) -> None:
        for token, body, shows in pending:
            _check(await client.answer(token, body), shows)

    await asyncio.gather(*(drive(client) for client in clients))
    for client in clients:
        await client.close()


async def test_memory_stays_flat(
    backend: str, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SEALING_KEYS.items():
        monkeypatch.setenv(name, value)
    world = await _seed()
    sent = _mix(world)
    figures: list[tuple[int, float]] = []
    with serving(db, STARTED_AT + dt.timedelta(seconds=60), 1, tmp_path / "server.log") as server:
        figures.append((0, rss_mib(server.pid)))
        for done in range(SAMPLE, REQUESTS + 1, SAMPLE):
            await _drive(server, sent, SAMPLE)
            figures.append((done, rss_mib(server.pid)))
    rss = dict(figures)
    growth = max(mib for done, mib in figures if done >= WARM_UP) - rss[WARM_UP]
    per_10k = (rss[REQUESTS] - rss[WARM_UP]) * 10_000 / (REQUESTS - WARM_UP)
    print(
        f"\nserver RSS on {backend}, one worker, {len(world.tokens)} learners, {REQUESTS} mixed"
        f" requests: {rss[0]:.1f} MiB at the start, {rss[WARM_UP]:.1f} MiB after the warm-up"
        f" ({WARM_UP}), {rss[REQUESTS]:.1f} MiB after {REQUESTS}; growth after the warm-up"
        f" {per_10k:+.2f} MiB per 10,000 requests, at most {growth:.1f} MiB"
        f" (bound {MAX_GROWTH_MIB} MiB)\n  over the run: "
        + ", ".join(f"{mib:.1f}@{done}" for done, mib in figures)
    )
    assert growth <= MAX_GROWTH_MIB, figures
