"""Heartbeats per second from `lms-plugin serve --workers 1, 2, 4` on PostgreSQL
(`make bench-workers`): the command as an operator runs it (migrations, its access log, the
uvicorn workers), on a fresh database seeded like `make bench` (bench_hot_paths.py), one beat per
learner, a third of the learners per worker count.

Printed with the figures: the machine's cores (the database, the server and this client share
them), PostgreSQL's version and max_connections, LMS_DB_POOL_SIZE per worker, whether Redis is
shared between the workers (LMS_TEST_REDIS_URL) and the concurrency. Nothing here is a timed
assertion; every beat must be accepted.

Knobs: LMS_BENCH_WORKER_BEATS (1500 per worker count), LMS_BENCH_POOL_SIZE (5),
LMS_BENCH_CONCURRENCY (16), LMS_BENCH_LEARNERS (10000).
"""

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tortoise import connections

from tests.conftest import TEST_SECRET
from tests.servers import answers, free_port, running

from .bench_hot_paths import (
    CONCURRENCY,
    REPO,
    STARTED_AT,
    Server,
    _beat,
    _phase,
    _seed,
)
from .bench_memory import SEALING_KEYS

BEATS = int(os.environ.get("LMS_BENCH_WORKER_BEATS", "1500"))
POOL_SIZE = int(os.environ.get("LMS_BENCH_POOL_SIZE", "5"))
WORKER_COUNTS = (1, 2, 4)
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "")


@contextmanager
def served(database_url: str, workers: int, log: Path) -> Iterator[Server]:
    """`lms-plugin serve --workers N` with its clock starting just after the seeded sessions'
    last beat (it runs on from there: each beat counts the seconds since)."""
    port = free_port()
    env = os.environ | SEALING_KEYS
    env |= {
        "LMS_DATABASE_URL": database_url,
        "LMS_JWT_SECRET": TEST_SECRET,
        "LMS_DB_POOL_SIZE": str(POOL_SIZE),
        "LMS_RATE_LIMIT_POINTS_PER_MINUTE": str(10**9),
        "LMS_RATE_LIMIT_HEARTBEATS_PER_MINUTE": str(10**6),
        "LMS_UPLOAD_DIR": str(log.parent / "uploads"),
        "LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS": "0",
        "PYTHONPATH": str(REPO),
    }
    env.pop("LMS_REDIS_URL", None)
    if REDIS_URL:
        env["LMS_REDIS_URL"] = REDIS_URL
    at = (STARTED_AT + dt.timedelta(seconds=5)).isoformat()
    command = [sys.executable, "-c", "from lms_plugin.cli import main; main()", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    url = f"http://127.0.0.1:{port}"
    with running(
        [*command, "--at", at],
        env=env,
        log=log,
        cwd=REPO,
        ready=lambda: answers(f"{url}/health", times=2 * workers),
    ) as process:
        yield Server(process.pid, url)


def _accepting(counted: list[int]) -> Callable[[Any], None]:
    """Every beat accepted; `counted` collects what each counted (0: it came after the
    policy's longest gap, which a phase slower than about 100 s reaches on a loaded machine)."""

    def check(data: Any) -> None:
        assert data["heartbeat"]["userErrors"] == [], data
        counted.append(data["heartbeat"]["heartbeat"]["countedSeconds"])

    return check


async def _database() -> str:
    client = connections.get("default")
    _, [version] = await client.execute_query("SHOW server_version")
    _, [limit] = await client.execute_query("SHOW max_connections")
    return f"PostgreSQL {version['server_version']}, max_connections {limit['max_connections']}"


async def test_beats_per_second_by_workers(backend: str, db: str, tmp_path: Path) -> None:
    if backend != "postgres":
        pytest.skip("workers share one database: measured on PostgreSQL")
    world = await _seed()
    share = min(BEATS, len(world.tokens) // len(WORKER_COUNTS))
    lines = [
        f"\n`lms-plugin serve --workers N` on {await _database()}, on the same machine as the"
        f" server and this client: {os.cpu_count()} cores; LMS_DB_POOL_SIZE={POOL_SIZE} per"
        f" worker; {'Redis shared (LMS_REDIS_URL)' if REDIS_URL else 'no Redis'};"
        f" {CONCURRENCY} requests in flight; the access log on, as `serve` writes it"
    ]
    for slot, workers in enumerate(WORKER_COUNTS):
        learners = range(slot * share, (slot + 1) * share)
        requests = [_beat(world, n, 1) for n in learners]
        counted: list[int] = []
        with served(db, workers, tmp_path / "serve.log") as server:
            phase = await _phase(server, "heartbeat", "ours", requests, _accepting(counted))
        lines.append(
            f"WORKERS {workers} beats/s {phase.per_second:.0f} p50 {phase.percentile(50):.1f} ms"
            f" p99 {phase.percentile(99):.1f} ms server CPU {phase.cpu_ms_per_request:.2f} ms/beat"
            f" ({phase.requests} beats, {sum(1 for c in counted if c > 0)} counting time;"
            f" load average {os.getloadavg()[0]:.1f})"
        )
    print("\n".join(lines))
