"""PostgreSQL backends terminated between and during requests, as a restart, a failover or an
administrator's `pg_terminate_backend` would (storage/postgres.py): reads answer as if nothing
happened, a mutation whose transaction died before its COMMIT runs once, and the only masked
answer left is a write whose outcome the server never told.

The world is the demo (`load_demo`) and the requests are the soak's (tests/benchmarks/soak.py).
A backend dies mid-statement when the test holds a table lock the statement waits for and
terminates the waiting backend; it dies between requests when the test terminates every backend
while this event loop is blocked, so that the pool's sockets hold the server's farewell unread
when the next statement goes out (asyncpg still takes those connections for alive)."""

import asyncio
import logging
import random
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.demo import DEMO_STARTS_AT, load_demo
from lms_plugin.settings import Settings
from lms_plugin.storage.postgres import is_read

from .api import Api
from .benchmarks.soak import BRIEFING, DESK, OFFLINE, ROSTER, STUDY_PAGE, actors
from .databases import PostgresTemplate, asyncpg_dsn, open_database

pytestmark = pytest.mark.uncosted  # the rate limits are not under test here

INTERNAL = "INTERNAL_SERVER_ERROR"


@dataclass
class Demo:
    api: Api
    url: str
    trainees: list[str]
    tutors: list[str]
    admins: list[str]

    @property
    def database(self) -> str:
        return self.url.rsplit("/", 1)[1]

    def reads(self) -> list[tuple[str, str]]:
        """(document, username): study pages, tutor desks and rosters, four of each."""
        return [
            *((STUDY_PAGE, name) for name in self.trainees[:4]),
            *((DESK, name) for name in self.tutors[:4]),
            *((ROSTER, name) for name in self.admins[:4]),
        ]

    async def answer(self, query: str, username: str, variables: Any = None) -> Any:
        response = await self.api.post(query, variables, as_=username)
        return response.status_code, self.api.without_extensions(response.json())

    async def answers(self, reads: list[tuple[str, str]]) -> list[Any]:
        return list(await asyncio.gather(*(self.answer(q, name) for q, name in reads)))

    async def admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(asyncpg_dsn(self.url))


@pytest.fixture
async def demo(
    postgres_template: PostgresTemplate, tmp_path: Path, settings: Settings
) -> AsyncIterator[Demo]:
    async with postgres_template.copy(tmp_path) as url, open_database(url):
        await load_demo()
        names = await actors(url, settings, 40)
        clock = FixedClock(DEMO_STARTS_AT)
        app = create_app(settings, clock=clock, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:
            yield Demo(
                Api(client, settings, clock),
                url,
                names["trainees"],
                names["tutors"],
                names["admins"],
            )


# The demo's tutors have published briefings of their own (lms_plugin/demo.py): count drafts.
DRAFTS = "SELECT count(*) FROM briefing WHERE status = 'draft'"

TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = $1 AND pid <> pg_backend_pid()"
)


async def terminate_all(demo: Demo) -> int:
    connection = await demo.admin()
    try:
        return len(await connection.fetch(TERMINATE, demo.database))
    finally:
        await connection.close()


def terminate_all_blocking(demo: Demo) -> int:
    """`terminate_all` on a thread of its own while this event loop waits, blocked."""
    ended: list[int] = []
    thread = threading.Thread(target=lambda: ended.append(asyncio.run(terminate_all(demo))))
    thread.start()
    thread.join()
    return ended[0]


async def wait_for_lock(admin: asyncpg.Connection, database: str) -> int:
    """The backend of the test database that waits for a lock (the request's statement)."""
    for _ in range(500):
        pid = await admin.fetchval(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid()",
            database,
        )
        if pid is not None:
            return int(pid)
        await asyncio.sleep(0.01)
    raise AssertionError("no statement waited for the lock")


# Blocks every statement on the table, or only those that write to it.
READS_AND_WRITES = "ACCESS EXCLUSIVE"
WRITES = "SHARE"


async def dies_mid_statement(
    demo: Demo, table: str, mode: str, request: Callable[[], Awaitable[Any]]
) -> Any:
    """Runs `request` while `table` is locked in `mode`; the backend of the statement that
    waits for the lock is terminated, then the lock is released. Answers what `request`
    answered."""
    locker = await demo.admin()
    admin = await demo.admin()
    try:
        transaction = locker.transaction()
        await transaction.start()
        await locker.execute(f'LOCK TABLE "{table}" IN {mode} MODE')
        task = asyncio.ensure_future(request())
        pid = await wait_for_lock(admin, demo.database)
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        await transaction.rollback()
        return await task
    finally:
        await locker.close()
        await admin.close()


async def count(demo: Demo, sql: str) -> int:
    connection = await demo.admin()
    try:
        return int(await connection.fetchval(sql))
    finally:
        await connection.close()


def failures(answers: list[Any]) -> list[Any]:
    return [a for a in answers if a[0] >= 500 or INTERNAL in str(a[1])]


async def test_reads_answer_the_same_when_backends_were_terminated_between_requests(
    demo: Demo,
) -> None:
    reads = demo.reads()
    # Concurrent, so that the pool holds several connections when they are terminated.
    reference = await demo.answers(reads)
    assert {status for status, _ in reference} == {200}
    assert failures(reference) == []

    for _ in range(3):
        assert terminate_all_blocking(demo) > 0
        assert await demo.answers(reads) == reference


async def test_a_read_whose_backend_dies_mid_statement_is_answered_in_full(demo: Demo) -> None:
    trainee = demo.trainees[0]
    reference = await demo.answer(STUDY_PAGE, trainee)
    assert reference[1]["data"]["viewer"]["enrollment"] is not None

    answered = await dies_mid_statement(
        demo, "enrollment", READS_AND_WRITES, lambda: demo.answer(STUDY_PAGE, trainee)
    )

    assert answered == reference


async def test_a_mutation_whose_transaction_dies_before_commit_runs_once(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    tutor = demo.tutors[0]
    _, desk = await demo.answer(DESK, tutor)
    class_id = desk["data"]["tutorDesk"]["classes"][0]["trainingClass"]["id"]
    caplog.set_level(logging.WARNING, logger="lms_plugin.errors")

    # The draft's transaction updates the class row, reads the last briefing, then its INSERT
    # waits for the lock.
    answered = await dies_mid_statement(
        demo,
        "briefing",
        WRITES,
        lambda: demo.answer(BRIEFING, tutor, {"input": {"classId": class_id}}),
    )

    assert answered == (
        200,
        {"data": {"createBriefingDraft": {"briefing": {"number": 1}, "userErrors": []}}},
    )
    assert await count(demo, DRAFTS) == 1
    assert "lost its database connection before writing: running it again" in caplog.text


async def test_a_write_killed_mid_statement_is_never_written_twice(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    """Every mutation runs in one transaction (the audit log's): a write killed mid-statement
    rolled back, so the request may run once more and write once. Whether the server classes
    the statement as sent decides between that and a masked answer (it may not run a write
    twice); either way the row is there at most once, and a masked answer is logged as such."""
    trainee = demo.trainees[0]
    variables = {
        "input": {
            "kind": "LESSON_OBSERVATION",
            "studiedOn": "2012-04-27",
            "hours": 0.5,
            "description": "观课：函数的单调性",
        }
    }
    before = await count(demo, "SELECT count(*) FROM offline_study_log")
    caplog.set_level(logging.WARNING, logger="lms_plugin.errors")

    status, body = await dies_mid_statement(
        demo, "offline_study_log", WRITES, lambda: demo.answer(OFFLINE, trainee, variables)
    )

    after = await count(demo, "SELECT count(*) FROM offline_study_log")
    assert status == 200
    if "errors" in body:
        [error] = body["errors"]
        assert (body["data"], error["message"], error["extensions"]["code"]) == (
            None,
            "服务器内部错误",
            INTERNAL,
        )
        request_id = error["extensions"]["requestId"]
        assert (
            f"request {request_id} lost its database connection after a write was sent"
            in caplog.text
        )
        assert after == before
    else:
        assert body["data"]["logOfflineStudy"]["userErrors"] == []
        assert after == before + 1


async def test_concurrent_requests_survive_backends_terminated_while_they_run(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    """Bursts of concurrent reads and briefing drafts, every backend terminated once in each
    burst (now while the loop runs, now while it is blocked)."""
    reads = demo.reads()
    reference = await demo.answers(reads)
    _, desk = await demo.answer(DESK, demo.tutors[0])
    classes = [c["trainingClass"]["id"] for c in desk["data"]["tutorDesk"]["classes"]]
    draft = {"input": {"classId": classes[0]}}
    caplog.set_level(logging.WARNING, logger="lms_plugin.errors")
    rng = random.Random(20120427)
    drafted = 0

    for burst in range(6):
        work = [
            demo.answers(reads),
            *(demo.answer(BRIEFING, demo.tutors[0], draft) for _ in range(3)),
        ]
        running = asyncio.gather(*work)
        await asyncio.sleep(rng.uniform(0.0, 0.05))
        if burst % 2:
            terminate_all_blocking(demo)
        else:
            await terminate_all(demo)
        answered_reads, *drafts = await running

        assert answered_reads == reference
        for answer in drafts:
            if answer[0] == 200 and "errors" not in answer[1]:
                drafted += 1
                assert answer[1]["data"]["createBriefingDraft"]["userErrors"] == []
                continue
            # A COMMIT that went out unanswered: masked, logged, never run again.
            status, body = answer
            [error] = body["errors"]
            assert (status, error["extensions"]["code"]) == (200, INTERNAL)
            request_id = error["extensions"]["requestId"]
            assert f"request {request_id} lost its database connection after a write" in caplog.text

    briefings = await count(demo, DRAFTS)
    unknown = caplog.text.count("after a write was sent")
    assert drafted <= briefings <= drafted + unknown
    # Numbered 1..n: no draft was written twice or skipped a number.
    highest = "SELECT coalesce(max(number), 0) FROM briefing WHERE status = 'draft'"
    assert await count(demo, highest) == briefings


@pytest.mark.parametrize(
    ("sql", "read"),
    [
        ("SELECT id FROM person WHERE username = $1", True),
        ("  select 1", True),
        ("WITH queue AS (SELECT id FROM submission) SELECT count(*) FROM queue", True),
        ("WITH q AS (SELECT updated_at, last_update FROM t) SELECT * FROM q", True),
        ("WITH advanced AS (UPDATE study_session SET x = 1 RETURNING id) SELECT 1", False),
        ("WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone", False),
        ("with n AS (insert into t VALUES (1) RETURNING id) SELECT id FROM n", False),
        ("WITH s AS (SELECT 'UPDATE' AS word) SELECT word FROM s", False),
        ("UPDATE enrollment SET online_seconds = 0", False),
        ("INSERT INTO audit_log VALUES ($1)", False),
        ("COMMIT", False),
    ],
)
def test_a_statement_is_a_read_only_if_it_can_change_nothing(sql: str, read: bool) -> None:
    assert is_read(sql) is read
