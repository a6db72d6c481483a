"""Soak: `lms-plugin serve --workers 4` on one fresh PostgreSQL database with the demo loaded,
mixed traffic at a steady rate for some minutes while the database's backends are terminated
every 30 s, then the invariants checked in the database.

    make soak                  # 10 minutes at 50 requests a second
    make soak MINUTES=1 RPS=30

Traffic goes only to 127.0.0.1. Bounded: the run stops after --minutes, the workers are ended
and the database is dropped. `serve` migrates and loads the demo once and hands its clock
(2012-04-27 10:00, batch 1 open) to its four workers; LMS_REDIS_URL is set.

Reports: 5xx and transport errors (goal 0), INTERNAL_SERVER_ERROR answers, and among them the
writes whose COMMIT got no answer (masked by design, never run twice: storage/postgres.py),
p50/p99 latency, VmRSS of each worker at the start of the traffic, every minute and at the end
(goal: growth under 10 %, after the first minutes of warm-up too), and the invariants: every
workshop's tutor_count equals its tutor-team rows; every enrollment's online seconds equal the
sum of its COUNTED ledger entries capped at the track's online quota (as the heartbeat caps
them); briefing numbers per class are 1..n without gaps or duplicates.
"""

import argparse
import asyncio
import collections
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from lms_plugin.settings import DEV_DATA_HASH_KEY, DEV_DATA_KEY_ID, DEV_DATA_KEYS, Settings
from lms_plugin.tokens import mint_token

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_AT = dt.datetime(2012, 4, 27, 10, 0, tzinfo=SHANGHAI)
SECRET = "soak-secret-for-the-lms-plugin-0123456789abcdef"
BASE_PORT = 8730
WORKERS = 4
KILL_EVERY = 30.0
BEAT_EVERY = 60.0

STUDY_PAGE = """query StudyPage { viewer { person { realName school { name } }
  enrollment { id batch { name window { opensAt closesAt state } }
    workshop { id name topics { id title } } trainingClass { id name } tutor { realName }
    hourProgress { onlineHours offlineHours complete } } } }"""
START = """mutation ($input: StartStudySessionInput!) { startStudySession(input: $input) {
  session { id } userErrors { code } } }"""
BEAT = """mutation ($input: HeartbeatInput!) { heartbeat(input: $input) {
  heartbeat { sequence countedSeconds onlineSeconds } userErrors { code } } }"""
OFFLINE = """mutation ($input: LogOfflineStudyInput!) { logOfflineStudy(input: $input) {
  log { id } userErrors { code } } }"""
ASSIGNMENTS = """query ($w: ID!) { assignments(workshopId: $w, first: 5) { nodes { id } } }"""
SUBMIT = """mutation ($input: SubmitHomeworkInput!) { submitHomework(input: $input) {
  submission { id status } userErrors { code } } }"""
DESK = """query Desk { tutorDesk { classes { trainingClass { id name }
  roster(first: 50) { nodes { enrollment { id } teacher { realName }
    hourProgress { onlineHours offlineHours complete } submissionsWaiting lastActivityAt } } } }
  gradingQueue(first: 5) { nodes { id } } }"""
GRADE = """mutation ($input: GradeSubmissionInput!) { gradeSubmission(input: $input) {
  submission { status } userErrors { code } } }"""
BRIEFING = """mutation ($input: CreateBriefingDraftInput!) { createBriefingDraft(input: $input) {
  briefing { number } userErrors { code } } }"""
ROSTER = """query ($after: String) { teachers(first: 50, after: $after) {
  nodes { realName school { name } } pageInfo { endCursor hasNextPage } } }"""


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def vm_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Learner:
    username: str
    token: str
    topic: str | None = None
    workshop: str | None = None
    session: str | None = None
    sequence: int = 0
    next_beat: float = 0.0


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    by_action: collections.Counter[str] = field(default_factory=collections.Counter)
    server_errors: list[str] = field(default_factory=list)
    user_errors: collections.Counter[str] = field(default_factory=collections.Counter)
    terminated: int = 0
    unsent: int = 0


class Traffic:
    def __init__(self, ports: list[int], stats: Stats, concurrency: int) -> None:
        self.ports = ports
        self.stats = stats
        self.limit = asyncio.Semaphore(concurrency)
        self.client = httpx.AsyncClient(timeout=30.0, limits=httpx.Limits(max_connections=400))
        self.turn = 0
        self.stopped = False

    async def gql(
        self, action: str, token: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        async with self.limit:
            if self.stopped:
                # Past the end while waiting for a turn: the server fell behind the rate.
                self.stats.unsent += 1
                return None
            started = time.perf_counter()
            try:
                response = await self.client.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json={"query": query, "variables": variables or {}},
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.HTTPError as exc:
                self.stats.statuses["transport error"] += 1
                self.stats.server_errors.append(f"{action}: {type(exc).__name__} {exc}")
                return None
            self.stats.latencies.append(time.perf_counter() - started)
        self.stats.by_action[action] += 1
        self.stats.statuses[str(response.status_code)] += 1
        if response.status_code >= 500:
            self.stats.server_errors.append(f"{action}: {response.status_code} {response.text}")
            return None
        body: dict[str, Any] = response.json()
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            self.stats.user_errors[f"{action}: {code}"] += 1
            if code == "INTERNAL_SERVER_ERROR":
                self.stats.server_errors.append(f"{action}: {error}")
        data = body.get("data") or {}
        for payload in data.values():
            if isinstance(payload, dict):
                for error in payload.get("userErrors") or []:
                    self.stats.user_errors[f"{action}: {error['code']}"] += 1
        return data


async def trainee_study_page(t: Traffic, learner: Learner) -> None:
    data = await t.gql("study page", learner.token, STUDY_PAGE)
    enrollment = ((data or {}).get("viewer") or {}).get("enrollment")
    if enrollment and enrollment.get("workshop"):
        learner.workshop = enrollment["workshop"]["id"]
        topics = enrollment["workshop"]["topics"]
        learner.topic = topics[0]["id"] if topics else None


async def trainee_beat(t: Traffic, learner: Learner) -> None:
    if learner.topic is None:
        await trainee_study_page(t, learner)
        if learner.topic is None:
            return
    if learner.session is None:
        data = await t.gql(
            "start session",
            learner.token,
            START,
            {"input": {"topicId": learner.topic, "takeOver": True}},
        )
        session = ((data or {}).get("startStudySession") or {}).get("session")
        if session:
            learner.session, learner.sequence = session["id"], 0
        return
    learner.sequence += 1
    data = await t.gql(
        "heartbeat",
        learner.token,
        BEAT,
        {"input": {"sessionId": learner.session, "sequence": learner.sequence}},
    )
    payload = (data or {}).get("heartbeat") or {}
    if payload.get("userErrors"):
        learner.session = None  # ended or taken over: start again next minute


async def trainee_offline(t: Traffic, learner: Learner, rng: random.Random) -> None:
    day = rng.choice(["2012-04-27"])
    await t.gql(
        "offline log",
        learner.token,
        OFFLINE,
        {"input": {"kind": "LESSON_OBSERVATION", "studiedOn": day, "hours": 0.5,
                   "description": "观课：函数的单调性"}},
    )  # fmt: skip


async def trainee_submit(t: Traffic, learner: Learner) -> None:
    if learner.workshop is None:
        await trainee_study_page(t, learner)
        if learner.workshop is None:
            return
    data = await t.gql("assignments", learner.token, ASSIGNMENTS, {"w": learner.workshop})
    nodes = ((data or {}).get("assignments") or {}).get("nodes") or []
    if nodes:
        await t.gql(
            "submit homework",
            learner.token,
            SUBMIT,
            {
                "input": {
                    "assignmentId": nodes[0]["id"],
                    "text": "我的教学设计",
                    "attachmentIds": [],
                }
            },
        )


async def tutor_desk(t: Traffic, token: str) -> None:
    await t.gql("tutor desk", token, DESK)


async def tutor_grade(t: Traffic, token: str) -> None:
    data = await t.gql("tutor desk", token, DESK)
    queue = ((data or {}).get("gradingQueue") or {}).get("nodes") or []
    if queue:
        await t.gql(
            "grade",
            token,
            GRADE,
            {"input": {"submissionId": queue[0]["id"], "score": 88, "level": "GOOD",
                       "comment": "设计完整"}},
        )  # fmt: skip


async def tutor_briefing(t: Traffic, token: str) -> None:
    data = await t.gql("tutor desk", token, DESK)
    classes = ((data or {}).get("tutorDesk") or {}).get("classes") or []
    if classes:
        class_id = classes[0]["trainingClass"]["id"]
        await t.gql("briefing draft", token, BRIEFING, {"input": {"classId": class_id}})


async def admin_roster(t: Traffic, token: str, rng: random.Random) -> None:
    data = await t.gql("roster", token, ROSTER)
    info = ((data or {}).get("teachers") or {}).get("pageInfo") or {}
    if info.get("hasNextPage") and rng.random() < 0.5:
        await t.gql("roster", token, ROSTER, {"after": info["endCursor"]})


async def terminate_backends(admin_url: str, database: str, stats: Stats, stop: float) -> None:
    """Every 30 s, ends every connection to the soak database but this one."""
    while time.monotonic() + KILL_EVERY < stop:
        await asyncio.sleep(KILL_EVERY)
        connection = await asyncpg.connect(dsn(admin_url))
        try:
            rows = await connection.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = $1 AND pid <> pg_backend_pid()",
                database,
            )
            stats.terminated += len(rows)
        finally:
            await connection.close()


INVARIANTS = {
    "workshops whose tutor_count differs from their tutor-team rows": """
        SELECT w.id FROM workshop w
        LEFT JOIN (SELECT workshop_id, count(*) AS n FROM tutor_team_member GROUP BY 1) m
          ON m.workshop_id = w.id
        WHERE w.tutor_count <> coalesce(m.n, 0)""",
    "enrollments whose online seconds differ from their COUNTED ledger (capped)": """
        SELECT e.id FROM enrollment e
        JOIN hour_policy h ON h.program_id = e.program_id
        LEFT JOIN (SELECT enrollment_id, sum(seconds) AS s FROM study_ledger_entry
                   WHERE kind = 'counted' GROUP BY 1) l ON l.enrollment_id = e.id
        WHERE e.online_seconds <> least(coalesce(l.s, 0), 3600 * CASE e.track
              WHEN 'transitional' THEN h.transitional_online_hours
              ELSE h.network_online_hours END)""",
    "classes whose briefing numbers are not 1..n": """
        SELECT training_class_id FROM briefing GROUP BY training_class_id
        HAVING count(*) <> max(number) OR count(DISTINCT number) <> count(*)
            OR min(number) <> 1""",
}


async def check_invariants(url: str) -> dict[str, int]:
    connection = await asyncpg.connect(dsn(url))
    try:
        return {name: len(await connection.fetch(sql)) for name, sql in INVARIANTS.items()}
    finally:
        await connection.close()


async def actors(url: str, settings: Settings, learners_wanted: int) -> dict[str, list[str]]:
    """Usernames from the loaded demo: trainees of batch 1 in a class, tutors, admins."""
    connection = await asyncpg.connect(dsn(url))
    try:
        trainees = await connection.fetch(
            "SELECT p.username FROM enrollment e JOIN person p ON p.id = e.teacher_id"
            " JOIN batch b ON b.id = e.batch_id"
            " WHERE b.number = 1 AND e.status = 'active' AND e.training_class_id IS NOT NULL"
            " ORDER BY p.username LIMIT $1",
            learners_wanted,
        )
        tutors = await connection.fetch(
            "SELECT DISTINCT p.username FROM training_class c JOIN person p ON p.id = c.tutor_id"
            " ORDER BY 1"
        )
        admins = await connection.fetch(
            "SELECT DISTINCT p.username FROM role_assignment r JOIN person p ON p.id = r.person_id"
            " WHERE r.role IN ('province_admin', 'city_admin', 'county_admin') ORDER BY 1"
        )
    finally:
        await connection.close()
    return {
        "trainees": [r["username"] for r in trainees],
        "tutors": [r["username"] for r in tutors],
        "admins": [r["username"] for r in admins],
    }


def start_server(url: str, redis_url: str, log_dir: Path) -> subprocess.Popen[bytes]:
    """`lms-plugin serve --workers 4 --demo` on the demo clock."""
    env = {
        **os.environ,
        "LMS_DATABASE_URL": url,
        "LMS_REDIS_URL": redis_url,
        "LMS_JWT_SECRET": SECRET,
        "LMS_DEV_MODE": "",
        # Outside development mode the workers need a key ring: the demo's synthetic people.
        "LMS_DATA_KEYS": DEV_DATA_KEYS,
        "LMS_DATA_KEY_ID": DEV_DATA_KEY_ID,
        "LMS_DATA_HASH_KEY": DEV_DATA_HASH_KEY,
    }
    binary = str(Path(sys.executable).with_name("lms-plugin"))
    command = [binary, "serve", "--workers", str(WORKERS), "--port", str(BASE_PORT)]
    command += ["--demo", "--at", DEMO_AT.isoformat()]
    log = (log_dir / "serve.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_until_serving(BASE_PORT, server)
    deadline = time.monotonic() + 300
    while not all_started(log_dir / "serve.log") or len(workers_of(server.pid)) < WORKERS:
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit(f"{WORKERS} workers did not start within 300 s")
        time.sleep(0.5)
    return server


def all_started(log: Path) -> bool:
    """Every worker uvicorn started (a restarted one too) has finished its startup."""
    text = log.read_text(encoding="utf-8", errors="replace")
    started = text.count("Started server process [")
    return started >= WORKERS and text.count("Application startup complete.") == started


def workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn spawned under `pid` (not multiprocessing's tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return sorted(found)


def wait_until_serving(port: int, worker: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"worker on port {port} exited with {worker.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"worker on port {port} did not serve within {seconds} s")


RSS = dict[int, list[int]]  # pid → VmRSS (KiB) at the start, every minute, and at the end


async def run_traffic(
    args: argparse.Namespace,
    url: str,
    admin_url: str,
    database: str,
    workers: list[int],
) -> tuple[Stats, RSS]:
    settings = Settings(jwt_secret=SECRET)
    names = await actors(url, settings, args.learners)
    clock_at = DEMO_AT + dt.timedelta(minutes=1)
    lifetime = dt.timedelta(hours=12)

    def token(username: str) -> str:
        return mint_token(username, settings, clock_at, lifetime)

    learners = [Learner(u, token(u)) for u in names["trainees"]]
    tutors = [token(u) for u in names["tutors"]]
    admins = [token(u) for u in names["admins"]]
    print(
        f"actors: {len(learners)} trainees of batch 1, {len(tutors)} tutors, {len(admins)} admins"
    )
    stats = Stats()
    traffic = Traffic([BASE_PORT], stats, args.concurrency)
    rng = random.Random(20120427)
    rss: RSS = {pid: [vm_rss_kib(pid)] for pid in workers}
    began = time.monotonic()
    stop = began + args.minutes * 60
    # Spread the first heartbeats over the first minute.
    for i, learner in enumerate(learners):
        learner.next_beat = began + BEAT_EVERY * i / max(len(learners), 1)
    killer = asyncio.create_task(terminate_backends(admin_url, database, stats, stop))
    sampler = asyncio.create_task(sample_rss(rss))
    tasks: set[asyncio.Task[None]] = set()
    interval = 1 / args.rps
    tick = began
    due = collections.deque(sorted(learners, key=lambda x: x.next_beat))
    while (now := time.monotonic()) < stop:
        if due and due[0].next_beat <= now:
            learner = due.popleft()
            learner.next_beat += BEAT_EVERY
            due.append(learner)
            job = trainee_beat(traffic, learner)
        else:
            roll = rng.random()
            learner = rng.choice(learners)
            if roll < 0.35:
                job = trainee_study_page(traffic, learner)
            elif roll < 0.45:
                job = trainee_offline(traffic, learner, rng)
            elif roll < 0.55:
                job = trainee_submit(traffic, learner)
            elif roll < 0.75:
                job = tutor_desk(traffic, rng.choice(tutors))
            elif roll < 0.85:
                job = tutor_grade(traffic, rng.choice(tutors))
            elif roll < 0.88:
                job = tutor_briefing(traffic, rng.choice(tutors))
            else:
                job = admin_roster(traffic, rng.choice(admins), rng)
        task = asyncio.create_task(job)
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        tick += interval
        await asyncio.sleep(max(0.0, tick - time.monotonic()))
    # Bounded: what is in flight finishes, what still waits for a turn is not sent.
    traffic.stopped = True
    await asyncio.gather(*tasks)
    killer.cancel()
    sampler.cancel()
    await traffic.client.aclose()
    for pid, samples in rss.items():
        samples.append(vm_rss_kib(pid))
    return stats, rss


async def sample_rss(rss: RSS) -> None:
    while True:
        await asyncio.sleep(60)
        for pid, samples in rss.items():
            samples.append(vm_rss_kib(pid))


def summary(stats: Stats, rss: RSS, invariants: dict[str, int], before: dict[str, int],
            minutes: float, wall: float, unanswered_commits: int) -> str:  # fmt: skip
    latencies = sorted(stats.latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0
    errors_5xx = (
        sum(c for s, c in stats.statuses.items() if s[0] == "5") + stats.statuses["transport error"]
    )
    lines = [
        "",
        f"soak: {minutes:g} min, {len(latencies)} requests in {wall:.0f} s"
        f" ({len(latencies) / max(wall, 1):.1f}/s), {WORKERS} workers, PostgreSQL",
        "| figure | value | goal |",
        "| --- | --- | --- |",
        f"| 5xx + transport errors | {errors_5xx} | 0 |",
        f"| INTERNAL_SERVER_ERROR | {sum(1 for e in stats.server_errors if 'INTERNAL' in e)} | 0 |",
        f"| of which writes whose COMMIT got no answer | {unanswered_commits} | |",
        f"| p50 latency | {p50:.1f} ms | |",
        f"| p99 latency | {p99:.1f} ms | |",
        f"| backends terminated | {stats.terminated} (every {KILL_EVERY:g} s) | |",
        f"| requests not sent: the server fell behind the rate | {stats.unsent} | 0 |",
    ]
    for n, (pid, samples) in enumerate(rss.items()):
        start, end = samples[0], samples[-1]
        growth = (end - start) / start * 100 if start else 0.0
        # After the warm-up: from the sample of minute 2 (or the first, in a short run).
        warm = samples[min(2, len(samples) - 1)]
        after = (end - warm) / warm * 100 if warm else 0.0
        lines.append(
            f"| worker {n} (pid {pid}) VmRSS | {start / 1024:.0f} → {end / 1024:.0f} MiB"
            f" ({growth:+.1f} %; from minute 2: {after:+.1f} %) | < +10 % |"
        )
    for name, count in invariants.items():
        lines.append(f"| {name} | {count} (before: {before[name]}) | 0 |")
    lines.append("")
    lines.append(
        "VmRSS every minute (MiB): "
        + "; ".join(" ".join(f"{k / 1024:.0f}" for k in v) for v in rss.values())
    )
    lines.append("statuses: " + ", ".join(f"{k} ×{v}" for k, v in sorted(stats.statuses.items())))
    lines.append("requests: " + ", ".join(f"{k} ×{v}" for k, v in stats.by_action.most_common()))
    lines.append(
        "refusals: " + ", ".join(f"{k} ×{v}" for k, v in stats.user_errors.most_common(12))
    )
    for error in stats.server_errors[:5]:
        lines.append(f"server error: {error[:400]}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rps", type=float, default=50)
    parser.add_argument("--learners", type=int, default=600, help="trainees sending heartbeats")
    parser.add_argument("--concurrency", type=int, default=100, help="requests in flight at most")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("LMS_SOAK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a server to create the soak database on (on this machine)",
    )  # fmt: skip
    parser.add_argument(
        "--redis", default=os.environ.get("LMS_SOAK_REDIS_URL", "redis://127.0.0.1:6379/9")
    )
    args = parser.parse_args()
    for url in (args.postgres, args.redis):
        host = urlsplit(url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"the soak only talks to this machine, not {host}")
    database = f"lms_soak_{uuid.uuid4().hex[:8]}"
    url = with_database(args.postgres, database)
    log_dir = Path(os.environ.get("TMPDIR", "/tmp")) / database
    log_dir.mkdir(parents=True)

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(dsn(args.postgres))
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"database {database}; server log in {log_dir}")
        server = start_server(url, args.redis, log_dir)
        workers = workers_of(server.pid)
        before = asyncio.run(check_invariants(url))
        began = time.monotonic()
        stats, rss = asyncio.run(run_traffic(args, url, args.postgres, database, workers))
        wall = time.monotonic() - began
        invariants = asyncio.run(check_invariants(url))
        log = (log_dir / "serve.log").read_text(encoding="utf-8", errors="replace")
        unanswered = log.count("lost its database connection after a write was sent")
        print(summary(stats, rss, invariants, before, args.minutes, wall, unanswered))
        failed = (
            bool(stats.server_errors)
            or any(invariants.values())
            or any(v[-1] > v[0] * 1.1 for v in rss.values())
        )
        return 1 if failed else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
