"""Rates (R14) at province scale: a synthetic province of 400,000 teachers on PostgreSQL, the
county and city rates through the HTTP app beside the same GROUP BY written by hand as raw SQL,
the statements the app issues, and a province-wide 附件4 export. Run with `make bench-rates`
(needs LMS_TEST_POSTGRES_URL); it prints a table and asserts only that both paths agree.

The province: 11 cities × 10 counties × 40 schools × LMS_BENCH_TEACHERS / 4,400 teachers a
school (400,000 in all); 90% enrolled, of whom most have studied and some are complete; 800
tutor-team members (exempt); 1,200 excellent-trainee nominations (3‰) for the export.
Rows go in with COPY (asyncpg's copy_records_to_table).
"""

import asyncio
import datetime as dt
import io
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import openpyxl
import pytest
from starlette.applications import Starlette

from lms_plugin.clock import FixedClock
from lms_plugin.identity import synthetic_id_number, synthetic_mobile
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import RegionLevel, Role
from lms_plugin.storage.models import Person, Program, Region, School
from lms_plugin.tokens import mint_token
from tests.conftest import local
from tests.databases import asyncpg_dsn
from tests.factories import (
    batch_number,
    grant,
    make_person,
    make_workshop,
    reference_program,
)
from tests.sql_counter import count_sql

TEACHERS = int(os.environ.get("LMS_BENCH_TEACHERS", "400000"))
CITIES, COUNTIES, SCHOOLS = 11, 10, 40
REPEATS = int(os.environ.get("LMS_BENCH_REPEATS", "5"))
AT = local(2012, 5, 2, 9, 0)

RATES = """
query ($program: ID!, $level: RateLevel!) {
  rates(programId: $program, level: $level) {
    unitId expected exempt participants complete passed participationRate passRate
  }
}"""

# The same figures by hand: one GROUP BY with FILTER clauses, the quotas written in.
RAW = """
SELECT {key} AS unit_id,
  COUNT(*) FILTER (WHERE t.person_id IS NULL) AS expected,
  COUNT(*) FILTER (WHERE t.person_id IS NOT NULL) AS exempt,
  COUNT(*) FILTER (WHERE t.person_id IS NULL AND (e.online_seconds > 0 OR e.offline_minutes > 0))
    AS participants,
  COUNT(*) FILTER (WHERE t.person_id IS NULL AND (e.online_seconds > 0 OR e.offline_minutes > 0)
    AND e.online_seconds >= CASE e.track WHEN 'network' THEN 21600 ELSE 14400 END
    AND e.offline_minutes >= CASE e.track WHEN 'network' THEN 960 ELSE 1080 END) AS complete
FROM person p
JOIN school s ON s.id = p.school_id
LEFT JOIN enrollment e ON e.teacher_id = p.id AND e.program_id = $1 AND e.status = 'active'
LEFT JOIN (SELECT DISTINCT person_id FROM tutor_team_member WHERE program_id = $1) t
  ON t.person_id = p.id
GROUP BY {key}
"""

EXPORT = """
mutation ($program: ID!) {
  exportAwardTable(input: {programId: $program, category: EXCELLENT_TRAINEE}) {
    job { id } userErrors { code }
  }
}"""
JOB = "query ($id: ID!) { exportJob(id: $id) { status rowsTotal downloadPath } }"


async def _province(dsn: str) -> tuple[Program, Person, list[int]]:
    """The regions and schools by the ORM, the teachers and their enrollments by COPY."""
    province = await Region.create(name="江西省", code="360000", level=RegionLevel.PROVINCE)
    program = await reference_program()
    admin = await make_person("bench.province", stage=None, subject=None, track=None, post=None)
    await grant(admin, Role.PROVINCE_ADMIN, region=province)
    leader = await make_person("bench.leader")
    workshop = await make_workshop(program, leader, topics=1)
    batch = await batch_number(program, 1)
    schools: list[tuple[int, str, int]] = []  # school, county code, city
    for c in range(CITIES):
        city = await Region.create(
            name=f"市{c}", code=f"36{c + 1:02d}00", level=RegionLevel.CITY, parent_id=province.id
        )
        for k in range(COUNTIES):
            county = await Region.create(
                name=f"县{c}-{k}", code=f"36{c + 1:02d}{k + 1:02d}", level=RegionLevel.COUNTY,
                parent_id=city.id,
            )  # fmt: skip
            rows = [
                School(name=f"学校{c}-{k}-{s}", code=f"{county.code}{s:04d}",
                       county_id=county.id, city_id=city.id)
                for s in range(SCHOOLS)
            ]  # fmt: skip
            await School.bulk_create(rows)
            created = await School.filter(county_id=county.id).order_by("id")
            schools += [(school.id, county.code, city.id) for school in created]
    connection = await asyncpg.connect(dsn)
    try:
        first = int(await connection.fetchval("SELECT COALESCE(MAX(id), 0) + 1 FROM person"))
        people = []
        for i in range(TEACHERS):
            school_id, county_code, _ = schools[i % len(schools)]
            birth = (dt.date(1970, 1, 1) + dt.timedelta(days=i // 1000)).strftime("%Y%m%d")
            people.append((
                first + i, f"bench{i:06d}", f"教师{i:06d}",
                synthetic_id_number(county_code, birth, i), synthetic_mobile(i), school_id,
                "high", "数学", ("junior", "intermediate", "senior")[i % 3], "teacher",
                "network" if i % 10 else "transitional",
            ))  # fmt: skip
        await connection.copy_records_to_table(
            "person",
            records=people,
            columns=["id", "username", "real_name", "id_number", "mobile", "school_id",
                     "stage", "subject", "title_rank", "post", "track"],
        )  # fmt: skip
        await connection.execute(
            "SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT MAX(id) FROM person))"
        )
        ids = [first + i for i in range(TEACHERS)]
        tutors = ids[:800]
        await connection.copy_records_to_table(
            "tutor_team_member",
            records=[(workshop.id, p, program.id, AT) for p in tutors],
            columns=["workshop_id", "person_id", "program_id", "added_at"],
        )
        await connection.copy_records_to_table(
            "training_class",
            records=[(workshop.id, f"班{n}", tutors[n % len(tutors)]) for n in range(4000)],
            columns=["workshop_id", "name", "tutor_id"],
        )
        class_ids = [
            r["id"] for r in await connection.fetch("SELECT id FROM training_class ORDER BY id")
        ]
        enrollments = []
        for n, person in enumerate(ids[800:]):
            if n % 10 == 9:
                continue  # not enrolled: expected, not started
            network = (person - first) % 10 != 0
            online = (0, 3600, 6 * 3600, 5 * 3600)[n % 4]
            offline = (0, 600, 16 * 60, 18 * 60)[(n // 4) % 4]
            enrollments.append((
                program.id, person, batch.id, workshop.id, class_ids[n % len(class_ids)],
                "network" if network else "transitional", "active", person, AT, online, offline,
            ))  # fmt: skip
        await connection.copy_records_to_table(
            "enrollment",
            records=enrollments,
            columns=["program_id", "teacher_id", "batch_id", "workshop_id",
                     "training_class_id", "track", "status", "registered_by_id",
                     "registered_at", "online_seconds", "offline_minutes"],
        )  # fmt: skip
        await connection.copy_records_to_table(
            "nomination",
            records=[
                (program.id, schools[(p - first) % len(schools)][2], "excellent_trainee", p,
                 "nominated", admin.id, AT, "")
                for p in ids[800:2000]
            ],
            columns=["program_id", "city_id", "category", "person_id", "status",
                     "nominated_by_id", "nominated_at", "review_note"],
        )  # fmt: skip
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return program, admin, ids


async def _timed(run: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = await run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


async def test_rates_of_a_province_of_400_000_teachers(
    backend: str, db: str, app: Starlette, settings: Settings, clock: FixedClock
) -> None:
    if backend != "postgres":
        pytest.skip("the province-scale benchmark runs on PostgreSQL")
    loading = time.perf_counter()
    program, admin, _ = await _province(asyncpg_dsn(db))
    loaded = time.perf_counter() - loading
    token = mint_token(admin.username, settings, clock.now(), dt.timedelta(hours=2))
    headers = {"Authorization": f"Bearer {token}"}
    program_id = str(encode_id("Program", program.id))
    lines = [f"\nrates on postgres: {TEACHERS} teachers, loaded in {loaded:.1f} s"]
    transport = httpx.ASGITransport(app=app)
    raw_connection = await asyncpg.connect(asyncpg_dsn(db))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for level, key in (("COUNTY", "s.county_id"), ("CITY", "s.city_id")):

                async def ours(level: str = level) -> dict[str, Any]:
                    response = await client.post(
                        "/graphql",
                        json={"query": RATES, "variables": {"program": program_id, "level": level}},
                        headers=headers,
                    )
                    body: dict[str, Any] = response.json()
                    return body

                async def raw(key: str = key) -> list[asyncpg.Record]:
                    return await raw_connection.fetch(RAW.format(key=key), program.id)

                await ours()  # warm: the viewer, the plans
                with count_sql() as statements:
                    await ours()
                ours_seconds, body = await _timed(ours)
                raw_seconds, rows = await _timed(raw)
                assert body.get("data"), body
                units = body["data"]["rates"]
                by_hand = sorted(r["expected"] for r in rows)
                assert sorted(u["expected"] for u in units) == by_hand
                assert sum(u["participants"] for u in units) == sum(r["participants"] for r in rows)
                lines.append(
                    f"  {level:<7} {len(units):>4} units  app {ours_seconds * 1000:8.1f} ms"
                    f"  raw SQL {raw_seconds * 1000:8.1f} ms"
                    f"  ratio {ours_seconds / raw_seconds:5.2f}x"
                    f"  statements {statements.count}"
                )
            started = time.perf_counter()
            answer = (
                await client.post(
                    "/graphql", json={"query": EXPORT, "variables": {"program": program_id}},
                    headers=headers,
                )
            ).json()  # fmt: skip
            job_id = answer["data"]["exportAwardTable"]["job"]["id"]
            while True:
                job = (
                    await client.post(
                        "/graphql", json={"query": JOB, "variables": {"id": job_id}},
                        headers=headers,
                    )
                ).json()["data"]["exportJob"]  # fmt: skip
                if job["status"] in ("DONE", "FAILED"):
                    break
                await asyncio.sleep(0.05)
            assert job["status"] == "DONE", job
            content = (await client.get(job["downloadPath"], headers=headers)).content
            export_seconds = time.perf_counter() - started
            sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
            assert sum(1 for _ in sheet.iter_rows()) == 4 + job["rowsTotal"]
            lines.append(
                f"  附件4 province-wide: {job['rowsTotal']} rows, {len(content)} bytes,"
                f" {export_seconds:.2f} s from request to download"
            )
    finally:
        await raw_connection.close()
    print("\n".join(lines))
