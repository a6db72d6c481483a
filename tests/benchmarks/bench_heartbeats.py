"""Heartbeat throughput: 10,000 learners beating through the HTTP app, beside the same write as
one raw SQL statement per beat. Run with `make bench` (SQLite, and PostgreSQL when
LMS_TEST_POSTGRES_URL is set); it prints a table and asserts only that every beat counted.

Every learner has an open session with a running COUNTED ledger entry, as in the middle of a
study hour, so each measured beat takes the steady-state path: one joined read, then extend the
ledger run, advance the session (guarded by its sequence) and add to the enrollment's total.
Knobs: LMS_BENCH_LEARNERS (10000), LMS_BENCH_ROUNDS (1 beat per learner per round),
LMS_BENCH_CONCURRENCY (requests in flight, 32), LMS_BENCH_BUDGET_SECONDS (60: each path stops
starting beats after this long, so a slow machine still finishes in a few minutes; the table
says how many beats ran).
"""

import asyncio
import datetime as dt
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from tortoise import connections

from lms_plugin.clock import FixedClock
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import LedgerKind, Stage, Track
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    StudyLedgerEntry,
    StudySession,
    Topic,
)
from lms_plugin.tokens import mint_token
from tests.conftest import local
from tests.factories import batch_number, make_org, make_person, make_workshop, reference_program

LEARNERS = int(os.environ.get("LMS_BENCH_LEARNERS", "10000"))
ROUNDS = int(os.environ.get("LMS_BENCH_ROUNDS", "1"))
CONCURRENCY = int(os.environ.get("LMS_BENCH_CONCURRENCY", "32"))
BUDGET_SECONDS = float(os.environ.get("LMS_BENCH_BUDGET_SECONDS", "60"))
STARTED_AT = local(2012, 5, 2, 9, 0)
BEAT_EVERY_SECONDS = 60

# What a study page sends once a minute: the smallest useful selection.
BEAT = """
mutation ($input: HeartbeatInput!) {
  heartbeat(input: $input) { heartbeat { countedSeconds } userErrors { code } }
}"""

RAW_BEAT = (
    "UPDATE study_session SET last_sequence = {sequence}, last_beat_at = {now},"
    " counted_seconds = counted_seconds + 60 WHERE id = {id} AND last_sequence < {guard}"
)


@dataclass(frozen=True)
class Learner:
    session_pk: int
    session_id: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Run:
    label: str
    beats: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.beats / self.seconds

    def percentile(self, q: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[q - 1]


async def _seed(settings: Settings) -> list[Learner]:
    """10,000 trainees of batch 1, each with an open session and a running ledger entry."""
    program = await reference_program()
    org = await make_org()
    workshop = await make_workshop(program, await make_person("bench-leader", school=org.school))
    topic = await Topic.get(workshop_id=workshop.id, position=0)
    batch = await batch_number(program, 1)
    names = [f"bench{n:05d}" for n in range(LEARNERS)]
    await Person.bulk_create(
        [
            Person(
                username=name,
                real_name=name,
                school_id=org.school.id,
                stage=Stage.HIGH,
                subject="数学",
                track=Track.NETWORK,
            )
            for name in names
        ],
        batch_size=1000,
    )
    people = dict(await Person.filter(username__in=names).values_list("username", "id"))
    await Enrollment.bulk_create(
        [
            Enrollment(
                program_id=program.id,
                teacher_id=people[name],
                batch_id=batch.id,
                workshop_id=workshop.id,
                track=Track.NETWORK,
                registered_by_id=people[name],
                registered_at=STARTED_AT,
            )
            for name in names
        ],
        batch_size=1000,
    )
    enrollments = dict(
        await Enrollment.filter(teacher_id__in=people.values()).values_list("teacher_id", "id")
    )
    await StudySession.bulk_create(
        [
            StudySession(
                enrollment_id=enrollments[people[name]],
                topic_id=topic.id,
                started_at=STARTED_AT,
                last_beat_at=STARTED_AT,
            )
            for name in names
        ],
        batch_size=1000,
    )
    sessions = dict(await StudySession.all().values_list("enrollment_id", "id"))
    await StudyLedgerEntry.bulk_create(
        [
            StudyLedgerEntry(
                session_id=session_pk,
                enrollment_id=enrollment_pk,
                kind=LedgerKind.COUNTED,
                first_at=STARTED_AT,
                last_at=STARTED_AT,
            )
            for enrollment_pk, session_pk in sessions.items()
        ],
        batch_size=1000,
    )
    connection = connections.get("default")
    await connection.execute_script(
        "UPDATE study_session SET open_entry_kind = 'counted', open_entry_id ="
        " (SELECT e.id FROM study_ledger_entry e WHERE e.session_id = study_session.id);"
        " UPDATE enrollment SET active_session_id ="
        " (SELECT s.id FROM study_session s WHERE s.enrollment_id = enrollment.id);"
    )
    return [
        Learner(
            session_pk=sessions[enrollments[people[name]]],
            session_id=encode_id("StudySession", sessions[enrollments[people[name]]]),
            headers={
                "Authorization": "Bearer "
                + mint_token(name, settings, STARTED_AT, dt.timedelta(hours=12))
            },
        )
        for name in names
    ]


async def _drive(
    label: str,
    learners: list[Learner],
    beat: Callable[[Learner, int], Awaitable[None]],
    clock: FixedClock,
    first_sequence: int,
) -> Run:
    """ROUNDS rounds a minute apart: in each, every learner beats once (the next sequence),
    with CONCURRENCY requests in flight, until the time budget runs out."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(CONCURRENCY)
    began = time.perf_counter()
    deadline = began + BUDGET_SECONDS

    async def one(learner: Learner, sequence: int) -> None:
        async with gate:
            if time.perf_counter() > deadline:
                return
            sent = time.perf_counter()
            await beat(learner, sequence)
            latencies.append((time.perf_counter() - sent) * 1000)

    for sequence in range(first_sequence, first_sequence + ROUNDS):
        clock.advance(seconds=BEAT_EVERY_SECONDS)
        await asyncio.gather(*(one(learner, sequence) for learner in learners))
    return Run(label, len(latencies), time.perf_counter() - began, latencies)


def _table(backend: str, http: Run, raw: Run) -> str:
    lines = [
        f"\nheartbeats on {backend}: {LEARNERS} learners x {ROUNDS} round(s), "
        f"{CONCURRENCY} in flight, {os.cpu_count()} cores",
        f"{'path':<18}{'beats':>8}{'beats/s':>10}{'p50 ms':>9}{'p99 ms':>9}",
    ]
    for run in (http, raw):
        lines.append(
            f"{run.label:<18}{run.beats:>8}{run.per_second:>10.0f}"
            f"{run.percentile(50):>9.2f}{run.percentile(99):>9.2f}"
        )
    lines.append(f"raw SQL / HTTP throughput: {raw.per_second / http.per_second:.1f}x")
    return "\n".join(lines)


def _raw_beat(backend: str) -> Callable[[Learner, int, dt.datetime], Awaitable[object]]:
    """The floor: the session's counters advanced by one guarded UPDATE, nothing else."""
    connection = connections.get("default")
    if backend == "postgres":
        sql = RAW_BEAT.format(sequence="$1", now="$2", id="$3", guard="$1")
        return lambda learner, sequence, now: connection.execute_query(
            sql, [sequence, now, learner.session_pk]
        )
    sql = RAW_BEAT.format(sequence="?", now="?", id="?", guard="?")
    return lambda learner, sequence, now: connection.execute_query(
        sql, [sequence, now.isoformat(), learner.session_pk, sequence]
    )


async def test_heartbeats_per_second(
    backend: str, app: Starlette, settings: Settings, clock: FixedClock
) -> None:
    learners = await _seed(settings)
    clock.set(STARTED_AT)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:

        async def over_http(learner: Learner, sequence: int) -> None:
            variables = {"input": {"sessionId": learner.session_id, "sequence": sequence}}
            response = await client.post(
                "/graphql", json={"query": BEAT, "variables": variables}, headers=learner.headers
            )
            payload = response.json()["data"]["heartbeat"]
            assert payload == {"heartbeat": {"countedSeconds": 60}, "userErrors": []}, payload

        http = await _drive("HTTP heartbeat", learners, over_http, clock, 1)

    raw_beat = _raw_beat(backend)

    async def raw(learner: Learner, sequence: int) -> None:
        await raw_beat(learner, sequence, clock.now())

    raw_run = await _drive("raw SQL UPDATE", learners, raw, clock, ROUNDS + 1)

    print(_table(backend, http, raw_run))
    totals = await Enrollment.all().values_list("online_seconds", flat=True)
    assert sum(totals) == 60 * http.beats  # type: ignore[arg-type]
