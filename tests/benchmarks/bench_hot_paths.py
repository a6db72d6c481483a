"""The hot paths beside hand-written routes, in one run on each backend (`make bench`).

A server process (`hot_server.py`, uvicorn) serves the plugin at /graphql and hand-written
Starlette routes doing the same work at /raw/…; this process seeds a fresh database, checks that
both answer the same JSON, then drives each workload against each side in turn and reads the
server's own CPU time from /proc around each measured round (this client's CPU is not counted).
The server runs on a core of its own and this client on the others (when there are two or more),
and each workload runs in three alternating rounds a side (ours, raw, ours, raw, ours, raw): a
drift in the machine's load falls on both sides alike, and the medians of the rounds are
reported.

- study_page: the README's `StudyPage` for trainees of a class (rotating, so no one is limited);

- tutor_desk: the tutor's desk for a class of 100 trainees (and its latency alone, one request
  at a time: a tutor opening the desk);
- heartbeat: 10,000 learners, one beat each on the steady "extend" path (each answer checked to
  count 60 s, the totals checked in the database afterwards), a sixth of them in each round.

Our side is driven as a front end drives it: each document goes by its hash (automatic persisted
queries, lms_plugin/persisted.py), with the document only when a worker answers
PERSISTED_QUERY_NOT_FOUND, so the registered documents take the compiled plans
(lms_plugin/fast_path.py). It prints requests/s, p50/p99 and server CPU ms per request for both
sides (CPU: the median of the rounds, each round's figure beside it), the heartbeats per second of
one worker (and on PostgreSQL of 1, 2 and 4 workers, not pinned), and last one line per
workload: `RATIO <workload> <backend> <ours_cpu_ms> <raw_cpu_ms> <ratio>`, the ratio of the
medians.
Nothing here is a timed assertion.

Knobs: LMS_BENCH_LEARNERS (10000), LMS_BENCH_PAGES (2000 study pages a side, over its rounds),
LMS_BENCH_DESKS (200), LMS_BENCH_SCALE_BEATS (3000 beats per worker count),
LMS_BENCH_CONCURRENCY (16), LMS_BENCH_BUDGET_SECONDS (600: a round stops starting requests
after this long; the heartbeat rounds must then all finish, or the next round finds gaps of two
minutes),
LMS_BENCH_DOCUMENTS (`hash`; `text` sends every document's text: the general path, to compare).
"""

import asyncio
import datetime as dt
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tortoise import connections

from lms_plugin.persisted import sha256_of
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import LedgerKind, Stage, Track
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    StudyLedgerEntry,
    StudySession,
    Topic,
    TrainingClass,
)
from lms_plugin.tokens import mint_token
from tests.conftest import TEST_DATA_KEYS, TEST_SECRET, local
from tests.factories import (
    add_tutor,
    batch_number,
    make_org,
    make_person,
    make_workshop,
    reference_program,
)
from tests.servers import answers, free_port, running

LEARNERS = int(os.environ.get("LMS_BENCH_LEARNERS", "10000"))
PAGES = int(os.environ.get("LMS_BENCH_PAGES", "2000"))
DESKS = int(os.environ.get("LMS_BENCH_DESKS", "200"))
SCALE_BEATS = int(os.environ.get("LMS_BENCH_SCALE_BEATS", "3000"))
CONCURRENCY = int(os.environ.get("LMS_BENCH_CONCURRENCY", "16"))
BUDGET_SECONDS = float(os.environ.get("LMS_BENCH_BUDGET_SECONDS", "600"))
BY_HASH = os.environ.get("LMS_BENCH_DOCUMENTS", "hash") == "hash"
CLASS_SIZE = 100
ROUNDS = 3  # alternating rounds a side
ROUND_BEATS = LEARNERS // (2 * ROUNDS)  # learners beating in each heartbeat round
STARTED_AT = local(2012, 5, 2, 9, 0)
REPO = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")

STUDY_PAGE = """query StudyPage {
  viewer {
    person { realName school { name } }
    enrollment {
      batch { name studyDays window { opensAt closesAt state } }
      workshop { name leader { realName } tutorTeam { person { realName } } topics { id title } }
      trainingClass { id name }
      tutor { realName }
      hourProgress { required { onlineHours offlineHours } onlineHours offlineHours complete }
    }
  }
}"""
TUTOR_DESK = """query TutorDesk {
  tutorDesk {
    classes {
      trainingClass { id name }
      roster(first: 100) {
        nodes {
          enrollment { id }
          teacher { realName }
          hourProgress { onlineHours offlineHours complete }
          submissionsWaiting postCount lastActivityAt
        }
      }
    }
  }
}"""
HEARTBEAT = """mutation Heartbeat($input: HeartbeatInput!) {
  heartbeat(input: $input) { heartbeat { countedSeconds } userErrors { code } }
}"""
COUNTED_BEAT = {"heartbeat": {"heartbeat": {"countedSeconds": 60}, "userErrors": []}}
PATHS = {"ours": "/graphql", "raw": "/raw/"}
RAW_ROUTES = {"study_page": "study-page", "tutor_desk": "tutor-desk", "heartbeat": "heartbeat"}


@dataclass(frozen=True)
class World:
    tutor_token: str
    tokens: list[str]  # one per learner; the first CLASS_SIZE are the class's trainees
    session_ids: list[str]


@dataclass(frozen=True)
class Phase:
    workload: str
    side: str
    requests: int
    seconds: float
    cpu_ms: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_ms / self.requests

    def percentile(self, q: int) -> float:
        return _percentile(self.latencies_ms, q)


def _percentile(latencies_ms: list[float], q: int) -> float:
    return statistics.quantiles(latencies_ms, n=100, method="inclusive")[q - 1]


@dataclass(frozen=True)
class Side:
    """One side of a workload over its rounds: CPU per request is the rounds' median."""

    workload: str
    side: str
    rounds: list[Phase]

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.rounds)

    @property
    def per_second(self) -> float:
        return self.requests / sum(r.seconds for r in self.rounds)

    @property
    def cpu_ms_per_request(self) -> float:
        return statistics.median(r.cpu_ms_per_request for r in self.rounds)

    def percentile(self, q: int) -> float:
        return _percentile([ms for r in self.rounds for ms in r.latencies_ms], q)


def _token(username: str) -> str:
    from lms_plugin.settings import Settings

    settings = Settings(jwt_secret=TEST_SECRET)
    return mint_token(username, settings, STARTED_AT, dt.timedelta(hours=12))


async def _seed() -> World:
    """LEARNERS trainees of batch 1, each with an open session and a running ledger entry; the
    first CLASS_SIZE in one class of a workshop with a leader, a tutor team and four topics."""
    program = await reference_program()
    org = await make_org()
    leader = await make_person("bench-leader", school=org.school)
    tutor = await make_person("bench-tutor", school=org.school)
    workshop = await make_workshop(program, leader, topics=4)
    for name in ("bench-team-1", "bench-team-2", "bench-team-3"):
        await add_tutor(workshop, await make_person(name, school=org.school))
    training_class = await TrainingClass.create(
        workshop_id=workshop.id, name="一班", tutor_id=tutor.id
    )
    topic = await Topic.get(workshop_id=workshop.id, position=0)
    batch = await batch_number(program, 1)
    names = [f"bench{n:05d}" for n in range(LEARNERS)]
    await Person.bulk_create(
        [
            Person(
                username=name,
                real_name=f"学员{n:05d}",
                school_id=org.school.id,
                stage=Stage.HIGH,
                subject="数学",
                track=Track.NETWORK,
            )
            for n, name in enumerate(names)
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
                topic_id=topic.id,
                training_class_id=training_class.id if n < CLASS_SIZE else None,
                track=Track.NETWORK,
                registered_by_id=people[name],
                registered_at=STARTED_AT,
                online_seconds=n % 7 * 900,
                offline_minutes=n % 5 * 120,
                last_activity_at=STARTED_AT if n % 2 else None,
            )
            for n, name in enumerate(names)
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
    await connections.get("default").execute_script(
        "UPDATE study_session SET open_entry_kind = 'counted', open_entry_id ="
        " (SELECT e.id FROM study_ledger_entry e WHERE e.session_id = study_session.id);"
        " UPDATE enrollment SET active_session_id ="
        " (SELECT s.id FROM study_session s WHERE s.enrollment_id = enrollment.id);"
    )
    return World(
        tutor_token=_token("bench-tutor"),
        tokens=[_token(name) for name in names],
        session_ids=[
            encode_id("StudySession", sessions[enrollments[people[name]]]) for name in names
        ],
    )


def _process_tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").iterdir():
            children = (task / "children").read_text().split()
            pending.extend(int(child) for child in children)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the server: the process and its workers."""
    total = 0
    for process in _process_tree(pid):
        fields = Path(f"/proc/{process}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def rss_mib(pid: int) -> float:
    total = 0
    for process in _process_tree(pid):
        for line in Path(f"/proc/{process}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


@dataclass
class Server:
    pid: int
    url: str


def _cores() -> tuple[set[int], set[int]] | None:
    """The server's core and this client's others, when there are two or more to share."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2 or shutil.which("taskset") is None:
        return None
    return {cores[0]}, set(cores[1:])


@contextmanager
def pinned_client() -> Iterator[set[int] | None]:
    """This process (the load) on the cores the server does not get; the server's core, or None
    when nothing is pinned."""
    cores = _cores()
    if cores is None:
        yield None
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cores[1])
    try:
        yield cores[0]
    finally:
        os.sched_setaffinity(0, before)


@contextmanager
def serving(
    database_url: str,
    at: dt.datetime,
    workers: int,
    log: Path,
    cores: set[int] | None = None,
) -> Iterator[Server]:
    """The bench app under uvicorn with the clock standing at `at`, on `cores` if given (every
    thread of it: taskset pins it before it starts); ended on leaving."""
    port = free_port()
    env = os.environ | {
        "LMS_DATABASE_URL": database_url,
        "LMS_JWT_SECRET": TEST_SECRET,
        **{f"LMS_{name.upper()}": value for name, value in TEST_DATA_KEYS.items()},
        "LMS_BENCH_AT": at.isoformat(),
        # The limiter runs on every request, but the benchmark's few people never run dry.
        "LMS_RATE_LIMIT_POINTS_PER_MINUTE": str(10**9),
        "LMS_RATE_LIMIT_HEARTBEATS_PER_MINUTE": str(10**6),
        "LMS_UPLOAD_DIR": str(log.parent / "uploads"),
        "LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS": "0",
        "PYTHONPATH": str(REPO),
    }
    env.pop("LMS_REDIS_URL", None)
    command = [
        *(sys.executable, "-m", "uvicorn", "tests.benchmarks.hot_server:create", "--factory"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        *("--log-level", "warning", "--no-access-log"),
    ]
    if cores is not None:
        command = ["taskset", "--cpu-list", ",".join(map(str, sorted(cores))), *command]
    url = f"http://127.0.0.1:{port}"
    with running(
        command, env=env, log=log, cwd=REPO, ready=lambda: answers(f"{url}/health")
    ) as process:
        yield Server(process.pid, url)


Request = tuple[str, dict[str, Any]]  # token, JSON body


def _body(workload: str, world: World, n: int) -> Request:
    if workload == "study_page":
        return world.tokens[n % CLASS_SIZE], {"query": STUDY_PAGE, "operationName": "StudyPage"}
    if workload == "tutor_desk":
        return world.tutor_token, {"query": TUTOR_DESK, "operationName": "TutorDesk"}
    raise ValueError(workload)


def _beat(world: World, learner: int, sequence: int) -> Request:
    variables = {"input": {"sessionId": world.session_ids[learner], "sequence": sequence}}
    body = {"query": HEARTBEAT, "operationName": "Heartbeat", "variables": variables}
    return world.tokens[learner], body


def _path(workload: str, side: str) -> str:
    return PATHS[side] + (RAW_ROUTES[workload] if side == "raw" else "")


class Client:
    """A bare keep-alive HTTP/1.1 client on one connection: httpx would spend more CPU than a
    hand-written route, and the load generator shares the machine with the server."""

    def __init__(self, server: Server) -> None:
        self.host, _, port = server.url.removeprefix("http://").partition(":")
        self.port = int(port)
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, request: Request) -> Any:
        token, body = request
        query = body.get("query")
        if path == PATHS["ours"] and query is not None and BY_HASH:
            # By hash; the document once more only for a worker that has not learned it.
            hashed = {k: v for k, v in body.items() if k != "query"}
            hashed["extensions"] = {
                "persistedQuery": {"version": 1, "sha256Hash": sha256_of(query)}
            }
            answer = await self._send(path, token, hashed)
            if not _not_found(answer):
                return _data(path, answer)
            body = body | hashed
        return _data(path, await self._send(path, token, body))

    async def _send(self, path: str, token: str, body: dict[str, Any]) -> Any:
        payload = orjson.dumps(body)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
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
        return orjson.loads(answer)

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            await self.streams[1].wait_closed()


def _not_found(answer: Any) -> bool:
    errors = answer.get("errors") or []
    return any(e["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND" for e in errors)


def _data(path: str, body: Any) -> Any:
    assert "errors" not in body, (path, body["errors"])
    return body["data"]


async def _phase(
    server: Server,
    workload: str,
    side: str,
    requests: Sequence[Request],
    check: Callable[[Any], None],
    concurrency: int = CONCURRENCY,
) -> Phase:
    path = _path(workload, side)
    latencies: list[float] = []
    clients = [Client(server) for _ in range(concurrency)]
    for client, request in zip(clients, requests, strict=False):  # connect before timing
        if workload != "heartbeat":
            check(await client.post(path, request))
    pending = iter(requests)
    began = time.perf_counter()
    deadline = began + BUDGET_SECONDS
    cpu_before = cpu_seconds(server.pid)

    async def drive(client: Client) -> None:
        for request in pending:
            if time.perf_counter() > deadline:
                return
            sent = time.perf_counter()
            data = await client.post(path, request)
            latencies.append((time.perf_counter() - sent) * 1000)
            check(data)

    await asyncio.gather(*(drive(client) for client in clients))
    cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000
    seconds = time.perf_counter() - began
    for client in clients:
        await client.close()
    return Phase(workload, side, len(latencies), seconds, cpu_ms, latencies)


def _equal_to(expected: object) -> Callable[[Any], None]:
    def check(data: Any) -> None:
        assert data == expected, data

    return check


async def _same_answers(server: Server, world: World) -> dict[str, Any]:
    """Both sides answer the same data; returns what each read workload answers."""
    expected: dict[str, Any] = {}
    client = Client(server)
    for workload in ("study_page", "tutor_desk"):
        for n in (0, CLASS_SIZE - 1):
            request = _body(workload, world, n)
            ours = await client.post(_path(workload, "ours"), request)
            raw = await client.post(_path(workload, "raw"), request)
            assert ours == raw, (workload, ours, raw)
        expected[workload] = ours
    outside = world.tokens[CLASS_SIZE], {"query": STUDY_PAGE, "operationName": "StudyPage"}
    ours = await client.post(_path("study_page", "ours"), outside)
    assert ours == await client.post(_path("study_page", "raw"), outside)
    assert ours["viewer"]["enrollment"]["trainingClass"] is None
    await client.close()
    desk = expected["tutor_desk"]["tutorDesk"]["classes"]
    assert len(desk) == 1
    assert len(desk[0]["roster"]["nodes"]) == CLASS_SIZE
    return expected


def _report(backend: str, sides: list[Side], server_core: set[int] | None) -> list[str]:
    where = "not pinned" if server_core is None else f"the server pinned to core {server_core}"
    lines = [
        f"\nhot paths on {backend}: {LEARNERS} learners, {CONCURRENCY} in flight, "
        f"{os.cpu_count()} cores, {where}, {ROUNDS} alternating rounds a side (server CPU from"
        " /proc, the median of the rounds; this client not counted; '1 core/s': what one worker"
        " carries on a core of its own, 1000 / CPU ms)",
        f"{'workload':<12}{'side':<6}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms/req':>12}{'1 core/s':>10}  rounds' CPU ms/req",
    ]
    for side in sides:
        rounds = " ".join(f"{r.cpu_ms_per_request:.3f}" for r in side.rounds)
        lines.append(
            f"{side.workload:<12}{side.side:<6}{side.requests:>9}{side.per_second:>9.0f}"
            f"{side.percentile(50):>9.2f}{side.percentile(99):>9.2f}"
            f"{side.cpu_ms_per_request:>12.3f}{1000 / side.cpu_ms_per_request:>10.0f}  {rounds}"
        )
    return lines


async def _beats_counted() -> int:
    totals = await StudyLedgerEntry.filter(kind=LedgerKind.COUNTED).values_list(
        "seconds", flat=True
    )
    return sum(totals) // 60  # type: ignore[arg-type]


async def _alternating(
    server: Server,
    workload: str,
    rounds: Sequence[Sequence[Request]],
    check: Callable[[Any], None],
) -> list[Side]:
    """The rounds (2 * ROUNDS), ours and raw in turn."""
    phases: dict[str, list[Phase]] = {"ours": [], "raw": []}
    for n, requests in enumerate(rounds):
        side = ("ours", "raw")[n % 2]
        phases[side].append(await _phase(server, workload, side, requests, check))
    return [Side(workload, side, measured) for side, measured in phases.items()]


async def test_hot_paths(backend: str, db: str, tmp_path: Path) -> None:
    world = await _seed()
    log = tmp_path / "server.log"
    sides: list[Side] = []
    extra: list[str] = []
    # Each learner beats once, in one round.
    beats = [
        [_beat(world, learner, 1) for learner in range(n * ROUND_BEATS, (n + 1) * ROUND_BEATS)]
        for n in range(2 * ROUNDS)
    ]

    with (
        pinned_client() as server_core,
        serving(db, STARTED_AT + dt.timedelta(seconds=60), 1, log, server_core) as server,
    ):
        expected = await _same_answers(server, world)
        rss_at_start = rss_mib(server.pid)
        for workload, count in (("study_page", PAGES), ("tutor_desk", DESKS)):
            requests = [_body(workload, world, n) for n in range(count // ROUNDS)]
            check = _equal_to(expected[workload]) if workload == "tutor_desk" else _no_check
            sides += await _alternating(server, workload, [requests] * 2 * ROUNDS, check)
        # A tutor opening the desk on a worker nobody else is using: its latency alone.
        desk = [_body("tutor_desk", world, n) for n in range(DESKS // 4)]
        alone = await _phase(
            server, "tutor_desk", "ours", desk, _equal_to(expected["tutor_desk"]), 1
        )
        extra.append(
            f"tutor_desk alone (one request at a time): p50 {alone.percentile(50):.1f} ms,"
            f" p99 {alone.percentile(99):.1f} ms, server CPU {alone.cpu_ms_per_request:.2f} ms"
        )
        sides += await _alternating(server, "heartbeat", beats, _equal_to(COUNTED_BEAT))
        ours_beats = sides[-2]
        extra.append(
            f"heartbeats with 1 worker on {backend}: {ours_beats.per_second:.0f}/s, "
            f"p50 {ours_beats.percentile(50):.1f} ms, "
            f"server CPU {ours_beats.cpu_ms_per_request:.2f} ms/beat"
        )
        served = sum(side.requests for side in sides) + len(desk)
        extra.append(
            f"server RSS: {rss_at_start:.0f} MiB after the answers were compared, "
            f"{rss_mib(server.pid):.0f} MiB after {served} more mixed requests"
        )
    counted = sum(side.requests for side in sides if side.workload == "heartbeat")
    assert await _beats_counted() == counted, "every measured beat counts 60 s"
    if backend == "postgres":
        scaling, scaled = await _worker_scaling(db, world, log)
        extra += scaling
        assert await _beats_counted() == counted + scaled
    lines = _report(backend, sides, server_core) + extra
    for workload in ("study_page", "heartbeat", "tutor_desk"):
        ours, raw = (
            next(s for s in sides if s.workload == workload and s.side == side)
            for side in ("ours", "raw")
        )
        lines.append(
            f"RATIO {workload} {backend} {ours.cpu_ms_per_request:.3f} "
            f"{raw.cpu_ms_per_request:.3f} {ours.cpu_ms_per_request / raw.cpu_ms_per_request:.2f}"
        )
    print("\n".join(lines))


def _no_check(data: Any) -> None:
    assert data["viewer"]["enrollment"] is not None


async def _worker_scaling(db: str, world: World, log: Path) -> tuple[list[str], int]:
    """Heartbeats per second from 1, 2 and 4 workers (not pinned: they share the cores): a
    third of the rounds' learners each, beating once more a minute after them."""
    lines, beats = [], 0
    share = min(SCALE_BEATS, 2 * ROUNDS * ROUND_BEATS // 3)
    for slot, workers in enumerate((1, 2, 4)):
        learners = range(slot * share, (slot + 1) * share)
        requests = [_beat(world, n, 2) for n in learners]
        at = STARTED_AT + dt.timedelta(seconds=120)
        with serving(db, at, workers, log) as server:
            phase = await _phase(server, "heartbeat", "ours", requests, _equal_to(COUNTED_BEAT))
        beats += phase.requests
        lines.append(
            f"heartbeats with {workers} worker(s): {phase.per_second:.0f}/s, "
            f"p50 {phase.percentile(50):.1f} ms, p99 {phase.percentile(99):.1f} ms, "
            f"server CPU {phase.cpu_ms_per_request:.2f} ms/beat ({phase.requests} beats)"
        )
    return lines, beats
