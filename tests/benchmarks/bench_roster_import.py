"""The roster import at a province's scale (issue 9): 400,000 teachers from one XLSX on
PostgreSQL, timed, with the process's peak memory; beside a hand-written path doing the least
the same job needs (openpyxl's read-only rows straight into PostgreSQL's COPY: no checks, no
updates), in the same run. Not part of `make test`: `make bench-import` (ROWS=400000).

The XLSX is written by a child process first (its memory is not the import's), and kept in the
temporary directory for the next run. The database is created and dropped. Prints a table;
fails only when the import does not end with every teacher stored once.
"""

import argparse
import asyncio
import datetime as dt
import io
import os
import resource
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]
from openpyxl import Workbook, load_workbook

from lms_plugin.database import migrate_database
from lms_plugin.identity import synthetic_id_number, synthetic_mobile
from lms_plugin.resolvers.core.access import load_viewer
from lms_plugin.resolvers.people import imports
from lms_plugin.resolvers.people.rules import ROSTER_HEADINGS
from lms_plugin.storage.enums import ImportStatus, RegionLevel, Role, RosterLayout
from lms_plugin.storage.models import Attachment, ImportJob, Person, Region, RoleAssignment, School
from tests.databases import open_database

SCHOOLS = 2000
COUNTIES = 100
NOW = dt.datetime(2012, 4, 20, 2, 0, tzinfo=dt.UTC)
STAGES = ("高中", "初中", "小学", "幼儿园")
TITLES = ("初级", "中级", "高级", "中学高级", "一级")
SUBJECTS = ("语文", "数学", "英语", "物理", "化学")


def school_code(n: int) -> str:
    return f"36{n % SCHOOLS:08d}"


def write_roster(path: Path, rows: int) -> None:
    """The 报名汇总表 of `rows` synthetic teachers (valid check digits), write-only mode."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("报名汇总表")
    sheet.append(list(ROSTER_HEADINGS))
    for n in range(1, rows + 1):
        born = f"19{60 + n % 35:02d}{1 + n % 12:02d}{1 + n % 28:02d}"
        sheet.append(
            [
                f"t{n:07d}",
                f"教师{n:07d}",
                synthetic_id_number(f"36{n % 9000 + 1000:04d}", born, n // 9000),
                synthetic_mobile(n),
                school_code(n),
                STAGES[n % 4],
                SUBJECTS[n % 5],
                TITLES[n % 5],
                "",
                "",
            ]
        )
    partial = path.with_suffix(".part")
    book.save(partial)
    partial.replace(path)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


class PeakRss:
    """The process's resident memory, sampled every 50 ms (ru_maxrss covers the whole life)."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.peak_kib = max(self.peak_kib, int(line.split()[1]))

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def set_up() -> Person:
    """2,000 schools in 100 counties of 10 cities, and the province admin."""
    province = await Region.create(name="江西省", code="360000", level=RegionLevel.PROVINCE)
    cities = [
        await Region.create(
            name=f"市{c}", code=f"36{c:02d}00", level=RegionLevel.CITY, parent=province
        )
        for c in range(1, 11)
    ]
    counties = [
        await Region.create(
            name=f"县{c}", code=f"C{c:04d}", level=RegionLevel.COUNTY, parent=cities[c % 10]
        )
        for c in range(COUNTIES)
    ]
    await School.bulk_create(
        [
            School(
                name=f"学校{n}",
                code=school_code(n),
                county_id=counties[n % COUNTIES].id,
                city_id=counties[n % COUNTIES].parent_id,
            )
            for n in range(SCHOOLS)
        ]
    )
    admin = await Person.create(username="province", real_name="省管理员")
    await RoleAssignment.create(person=admin, role=Role.PROVINCE_ADMIN, region=province)
    return admin


async def ours(data: bytes, admin: Person) -> tuple[float, ImportJob]:
    attachment = await Attachment.create(
        owner_id=admin.id,
        filename="报名汇总表.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        size=len(data),
        sha256="-",
        storage_key=uuid.uuid4().hex,
        uploaded_at=NOW,
    )
    viewer = await load_viewer(admin.username)
    began = time.perf_counter()
    job = await imports.import_roster(
        viewer,
        lambda: dt.datetime.now(dt.UTC),
        "Asia/Shanghai",
        lambda key: data,
        attachment.id,
        RosterLayout.ROSTER,
        False,
        False,
    )
    await imports.wait_for_imports()
    elapsed = time.perf_counter() - began
    await job.refresh_from_db()
    return elapsed, job


async def hand_written(data: bytes, url: str) -> float:
    """openpyxl's rows straight into a scratch table by COPY: the floor of the job."""
    began = time.perf_counter()
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = book.worksheets[0].iter_rows(min_row=2, values_only=True)
    connection = await asyncpg.connect(dsn(url))
    try:
        await connection.execute(
            "CREATE TABLE raw_roster (username text, real_name text, id_number text,"
            " mobile text, school_code text, stage text, subject text, title text,"
            " post text, track text)"
        )
        batch: list[tuple[str, ...]] = []
        for row in rows:
            batch.append(tuple("" if v is None else str(v) for v in row))
            if len(batch) == 1000:
                await connection.copy_records_to_table("raw_roster", records=batch)
                batch = []
        if batch:
            await connection.copy_records_to_table("raw_roster", records=batch)
    finally:
        await connection.close()
        book.close()
    return time.perf_counter() - began


async def run(url: str, data: bytes, rows: int, again: bool) -> int:
    await migrate_database(url)
    async with open_database(url):
        admin = await set_up()
        with PeakRss() as rss:
            elapsed, job = await ours(data, admin)
        stored = await Person.filter(school_id__isnull=False).count()
        print(
            f"import of {rows:,} rows: {job.status}, created {job.created_count:,},"
            f" errors {job.error_rows:,}, {stored:,} teachers stored"
        )
        print(f"  ours:         {elapsed:8.1f} s   peak RSS {rss.peak_kib / 1024:7.0f} MiB")
        if again:
            with PeakRss() as rss_again:
                elapsed_again, job_again = await ours(data, admin)
            print(
                f"  again (all unchanged {job_again.unchanged_count:,}):"
                f" {elapsed_again:8.1f} s   peak RSS {rss_again.peak_kib / 1024:7.0f} MiB"
            )
    raw = await hand_written(data, url)
    print(f"  hand-written: {raw:8.1f} s   (openpyxl + COPY, no checks)")
    print(f"  ratio ours / hand-written: {elapsed / raw:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  ru_maxrss of the process: {peak:.0f} MiB")
    ok = job.status == ImportStatus.SUCCEEDED and stored == rows
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--again", action="store_true", help="import the same file a second time")
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("LMS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    if args.write:
        write_roster(args.write, args.rows)
        return 0
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"lms_bench_roster_{args.rows}.xlsx"
    if not path.exists():
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", __spec__.name, "--rows", str(args.rows), "--write", str(path)],
            check=True,
        )
        print(f"wrote {path} in {time.perf_counter() - began:.0f} s")
    data = path.read_bytes()
    print(f"{path.name}: {len(data) / 1024 / 1024:.1f} MiB")
    database = f"lms_bench_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        # The server is shared: when its connections are all taken, wait for one.
        for attempt in range(20):
            try:
                connection = await asyncpg.connect(dsn(args.postgres))
                break
            except asyncpg.TooManyConnectionsError:
                if attempt == 19:
                    raise
                await asyncio.sleep(3)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    try:
        return asyncio.run(run(with_database(args.postgres, database), data, args.rows, args.again))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
