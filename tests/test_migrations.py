"""Migrations 0002 (issue 6, policies beside the program) and 0006 (issue 9, program phases)
on a database that has data.

A database with only 0001 applied gets programs with settings of their own and rows in other
tables (written in SQL: the models are the new ones); the rest of the migrations then run.
Every program's policies must hold its old column values, the program keeps its other columns,
and no other table's rows change (SQLite drops the columns in place: no table rebuild whose
DROP could cascade to the batches and workshops).
"""

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from lms_plugin.resolvers.core.programs import phase_window, read_policy
from lms_plugin.storage.config import tortoise_config
from lms_plugin.storage.enums import PhaseKind, Role
from lms_plugin.storage.models import (
    BatchPolicy,
    BriefingPolicy,
    HourPolicy,
    ProgramPhase,
    RegistrationPolicy,
    RoleAssignment,
    StudyTimerPolicy,
    TutorTeamPolicy,
)
from lms_plugin.storage.policies import POLICY_MODELS

from .databases import IN_CI, POSTGRES_URL, _with_database, asyncpg_dsn, open_database

# The columns 0002 moves, and where each goes (table, column).
MOVED = {
    "batch_length_days": ("batch_policy", "max_study_days"),
    "tutor_team_cap": ("tutor_team_policy", "cap"),
    "registration_opens_minute": ("registration_policy", "daily_opens_minute"),
    "registration_closes_minute": ("registration_policy", "daily_closes_minute"),
    "network_online_hours": ("hour_policy", "network_online_hours"),
    "network_offline_hours": ("hour_policy", "network_offline_hours"),
    "transitional_online_hours": ("hour_policy", "transitional_online_hours"),
    "transitional_offline_hours": ("hour_policy", "transitional_offline_hours"),
    "heartbeat_max_gap_seconds": ("study_timer_policy", "heartbeat_max_gap_seconds"),
    "briefing_interval_days": ("briefing_policy", "interval_days"),
}
# Tables of later migrations that are not policies: created empty.
LATER_TABLES = {
    "bulletin",
    "bulletin_entry",
    "class_star",
    "export_job",
    "nomination",
    "training_grade",
}
KEPT = (
    "id",
    "name",
    "year",
    "time_zone",
    "holidays",
    "registration_starts_on",
    "registration_ends_on",
    "assessment_ends_on",
)

# Three programs as 0001 stored them: the 2012 defaults, and two with settings of their own.
PROGRAMS: tuple[dict[str, Any], ...] = (
    {
        "name": "江西2012第二阶段",
        "year": "2011学年",
        "time_zone": "Asia/Shanghai",
        "holidays": '["2012-04-29","2012-04-30","2012-05-01"]',
        "batch_length_days": 10,
        "tutor_team_cap": 8,
        "registration_starts_on": "2012-04-20",
        "registration_ends_on": "2012-04-25",
        "registration_opens_minute": 540,
        "registration_closes_minute": 1320,
        "network_online_hours": 6,
        "network_offline_hours": 16,
        "transitional_online_hours": 4,
        "transitional_offline_hours": 18,
        "heartbeat_max_gap_seconds": 120,
        "briefing_interval_days": None,
        "assessment_ends_on": "2012-06-30",
    },
    {
        "name": "江西2022全员培训",
        "year": "2021—2022学年度",
        "time_zone": "Asia/Shanghai",
        "holidays": "[]",
        "batch_length_days": 14,
        "tutor_team_cap": 6,
        "registration_starts_on": "2022-07-11",
        "registration_ends_on": "2022-07-22",
        "registration_opens_minute": 8 * 60 + 30,
        "registration_closes_minute": 23 * 60,
        "network_online_hours": 40,
        "network_offline_hours": 20,
        "transitional_online_hours": 30,
        "transitional_offline_hours": 30,
        "heartbeat_max_gap_seconds": 300,
        "briefing_interval_days": 7,
        "assessment_ends_on": None,
    },
    {
        "name": "福建2009远程培训",
        "year": "2009",
        "time_zone": "Asia/Shanghai",
        "holidays": '["2009-10-01"]',
        "batch_length_days": 30,
        "tutor_team_cap": 12,
        "registration_starts_on": "2009-09-01",
        "registration_ends_on": "2009-09-15",
        "registration_opens_minute": 0,
        "registration_closes_minute": 24 * 60 - 1,
        "network_online_hours": 48,
        "network_offline_hours": 0,
        "transitional_online_hours": 36,
        "transitional_offline_hours": 0,
        "heartbeat_max_gap_seconds": 60,
        "briefing_interval_days": 1,
        "assessment_ends_on": "2009-12-31",
    },
)


def _sql(client: BaseDBAsyncClient, sql: str) -> str:
    """`?` placeholders in PostgreSQL's `$n` style when the client needs them."""
    if client.capabilities.dialect != "postgres":
        return sql
    parts = sql.split("?")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))


async def _insert(client: BaseDBAsyncClient, table: str, row: dict[str, Any]) -> int:
    columns = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) RETURNING "id"'
    values = list(row.values())
    if client.capabilities.dialect == "postgres":
        # asyncpg wants dates as dates (JSON goes as text); the values here are ISO strings.
        values = [
            dt.date.fromisoformat(v) if isinstance(v, str) and _is_date(v) else v for v in values
        ]
    rows = await client.execute_query_dict(_sql(client, sql), values)
    return int(rows[0]["id"])


def _is_date(value: str) -> bool:
    return len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit()


async def _tables(client: BaseDBAsyncClient) -> list[str]:
    if client.capabilities.dialect == "postgres":
        sql = "SELECT table_name AS name FROM information_schema.tables WHERE table_schema='public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    _, rows = await client.execute_query(sql)
    return sorted(str(dict(r)["name"]) for r in rows if dict(r)["name"] != "tortoise_migrations")


async def _rows(client: BaseDBAsyncClient, table: str) -> list[dict[str, Any]]:
    _, rows = await client.execute_query(f'SELECT * FROM "{table}" ORDER BY "id"')
    return [dict(r) for r in rows]


async def _snapshot(client: BaseDBAsyncClient) -> dict[str, list[dict[str, Any]]]:
    return {table: await _rows(client, table) for table in await _tables(client)}


@asynccontextmanager
async def _empty_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite://{tmp_path / 'migrated.sqlite3'}"
        return
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI must run the PostgreSQL tests: set LMS_TEST_POSTGRES_URL")
        pytest.skip("PostgreSQL tests need LMS_TEST_POSTGRES_URL")
    name = f"lms_test_migration_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(asyncpg_dsn(POSTGRES_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _with_database(POSTGRES_URL, name)
    finally:
        admin = await asyncpg.connect(asyncpg_dsn(POSTGRES_URL))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def _migrate(url: str, target: str | None = None) -> None:
    await migrate(config=tortoise_config(url), target=target)
    await Tortoise.close_connections()


async def _fill_0001(client: BaseDBAsyncClient) -> list[int]:
    """Programs with their own settings, and rows that hang off them, as 0001 stored them."""
    program_ids = [await _insert(client, "program", dict(p)) for p in PROGRAMS]
    province = await _insert(
        client, "region", {"name": "江西省", "code": "360000", "level": "province"}
    )
    leader = await _insert(
        client,
        "person",
        {"username": "leader", "real_name": "王名师", "stage": "high", "subject": "数学"},
    )
    for n, program_id in enumerate(program_ids, start=1):
        await _insert(
            client,
            "batch",
            {
                "program_id": program_id,
                "number": 1,
                "name": f"第{n}批",
                "track": "network",
                "starts_on": "2012-04-27",
                "ends_on": "2012-05-06",
                "subjects": '[{"stage": "high", "subject": "数学"}]',
            },
        )
        workshop = await _insert(
            client,
            "workshop",
            {
                "program_id": program_id,
                "name": f"工作室{n}",
                "stage": "high",
                "subject": "数学",
                "leader_id": leader,
                "description": "",
                "research_plan": "",
                "tutor_cap": PROGRAMS[n - 1]["tutor_team_cap"],
                "tutor_count": 0,
            },
        )
        await _insert(
            client,
            "topic",
            {"workshop_id": workshop, "title": "专题", "summary": "", "position": 0},
        )
    assert province
    return program_ids


async def _filled_up_to(url: str, target: str) -> list[int]:
    """A database filled as 0001 stored it (`_fill_0001`), then migrated up to `target`."""
    await _migrate(url, "models.0001_initial")
    async with open_database(url) as context:
        program_ids = await _fill_0001(context.connections.get("default"))
    await _migrate(url, target)
    return program_ids


async def test_0002_moves_every_programs_settings_into_its_policies_and_keeps_other_rows(
    backend: str, tmp_path: Path
) -> None:
    async with _empty_database(backend, tmp_path) as url:
        await _migrate(url, "models.0001_initial")
        async with open_database(url) as context:
            client = context.connections.get("default")
            program_ids = await _fill_0001(client)
            before = await _snapshot(client)

        # Up to 0003: the later migrations have their own tests (0004: test_personal_data.py).
        await _migrate(url, "models.0003_school_code")

        async with open_database(url) as context:
            client = context.connections.get("default")
            after = await _snapshot(client)
            # The policies 0002 creates (later ones come with their own migrations).
            policy_tables = {model._meta.db_table for model in POLICY_MODELS[:6]}
            assert set(after) == set(before) | policy_tables

            # Other tables: every row as it was.
            for table, rows in before.items():
                if table != "program":
                    assert after[table] == rows, table

            # The program keeps its other columns, and only those.
            assert [set(row) for row in after["program"]] == [set(KEPT)] * len(PROGRAMS)
            assert after["program"] == [
                {column: row[column] for column in KEPT} for row in before["program"]
            ]

            # Each policy holds the program's old values; one row per program.
            for old, (table, column) in MOVED.items():
                moved = {row["program_id"]: row[column] for row in after[table]}
                assert moved == {row["id"]: row[old] for row in before["program"]}, old
            for table in policy_tables:
                assert sorted(row["program_id"] for row in after[table]) == program_ids
            # The offline limits were constants: every program gets them.
            assert {
                (row["offline_step_minutes"], row["offline_day_max_minutes"])
                for row in after["study_timer_policy"]
            } == {(30, 8 * 60)}

            # The policies read the migrated rows.
            fujian_id = program_ids[2]
            assert (await read_policy(BatchPolicy, fujian_id)).max_study_days == 30
            assert (await read_policy(TutorTeamPolicy, fujian_id)).cap == 12
            registration = await read_policy(RegistrationPolicy, fujian_id)
            assert (registration.daily_opens_minute, registration.daily_closes_minute) == (
                0,
                1439,
            )
            hours = await read_policy(HourPolicy, fujian_id)
            assert (hours.network_online_hours, hours.transitional_online_hours) == (48, 36)
            assert (await read_policy(StudyTimerPolicy, fujian_id)).heartbeat_max_gap_seconds == 60
            assert (await read_policy(BriefingPolicy, program_ids[0])).interval_days is None

            # One-to-one: a second policy of a program is refused by the database.
            with pytest.raises(IntegrityError):
                await HourPolicy.create(program_id=program_ids[0])

        await _migrate(url)
        async with open_database(url) as context:
            after = await _snapshot(context.connections.get("default"))
            # 0008 gives every program the assessment policy's seed defaults.
            assert {
                (row["target_hours"], row["pass_mark"], row["hours_per_credit"])
                for row in after["assessment_policy"]
            } == {(72, 60, 20)}


async def test_0006_moves_every_programs_dates_into_its_phases_and_keeps_other_rows(
    backend: str, tmp_path: Path
) -> None:
    async with _empty_database(backend, tmp_path) as url:
        program_ids = await _filled_up_to(url, "models.0005_perf")
        async with open_database(url) as context:
            before = await _snapshot(context.connections.get("default"))

        await _migrate(url, "models.0006_org")

        async with open_database(url) as context:
            client = context.connections.get("default")
            after = await _snapshot(client)
            assert set(after) == set(before) | {"program_phase"}
            for table, rows in before.items():
                if table != "program":
                    assert after[table] == rows, table
            dates = ("registration_starts_on", "registration_ends_on", "assessment_ends_on")
            kept = [c for c in KEPT if c not in dates]
            assert after["program"] == [
                {column: row[column] for column in kept} for row in before["program"]
            ]

            # Registration dates → REGISTRATION; an assessment end → a one-day ASSESSMENT.
            phases = await ProgramPhase.all().order_by("program_id", "kind")
            d = dt.date
            first, second, third = program_ids
            assert [(p.program_id, p.kind, p.starts_on, p.ends_on) for p in phases] == [
                (first, PhaseKind.ASSESSMENT, d(2012, 6, 30), d(2012, 6, 30)),
                (first, PhaseKind.REGISTRATION, d(2012, 4, 20), d(2012, 4, 25)),
                (second, PhaseKind.REGISTRATION, d(2022, 7, 11), d(2022, 7, 22)),
                (third, PhaseKind.ASSESSMENT, d(2009, 12, 31), d(2009, 12, 31)),
                (third, PhaseKind.REGISTRATION, d(2009, 9, 1), d(2009, 9, 15)),
            ]

            # The rules read them through phase_window.
            window = await phase_window(program_ids[2], PhaseKind.REGISTRATION)
            assert window is not None
            assert (window.starts_on, window.ends_on) == (dt.date(2009, 9, 1), dt.date(2009, 9, 15))
            assert await phase_window(program_ids[1], PhaseKind.ASSESSMENT) is None

            # One phase of a kind per program.
            with pytest.raises(IntegrityError):
                await ProgramPhase.create(
                    program_id=program_ids[1],
                    kind=PhaseKind.REGISTRATION,
                    starts_on=dt.date(2022, 7, 1),
                    ends_on=dt.date(2022, 7, 2),
                )


async def test_0010_removes_duplicate_grants_then_refuses_new_ones(
    backend: str, tmp_path: Path
) -> None:
    async with _empty_database(backend, tmp_path) as url:
        await _filled_up_to(url, "models.0009_reports")
        async with open_database(url) as context:
            client = context.connections.get("default")
            [person] = [r["id"] for r in await _rows(client, "person")]
            [region] = [r["id"] for r in await _rows(client, "region")]
            grants = [
                {"role": "province_admin", "region_id": region},
                {"role": "province_admin", "region_id": region},  # a duplicate
                {"role": "vendor_staff"},  # scope columns all null
                {"role": "vendor_staff"},  # a duplicate, null columns alike
                {"role": "city_admin", "region_id": region},  # another role: kept
            ]
            ids = [
                await _insert(client, "role_assignment", {"person_id": person, **grant})
                for grant in grants
            ]

        await _migrate(url, "models.0010_cleanup")

        async with open_database(url) as context:
            kept = await RoleAssignment.all().order_by("id").values_list("id", "role", "region_id")
            assert kept == [
                (ids[0], Role.PROVINCE_ADMIN, region),
                (ids[2], Role.VENDOR_STAFF, None),
                (ids[4], Role.CITY_ADMIN, region),
            ]
            with pytest.raises(IntegrityError):
                await RoleAssignment.create(person_id=person, role=Role.VENDOR_STAFF)
            with pytest.raises(IntegrityError):
                await RoleAssignment.create(
                    person_id=person, role=Role.PROVINCE_ADMIN, region_id=region
                )
            # Another scope of the same role is a grant of its own.
            await RoleAssignment.create(person_id=person, role=Role.PROVINCE_ADMIN)


async def test_0011_gives_existing_rows_the_seed_defaults_and_keeps_them(
    backend: str, tmp_path: Path
) -> None:
    """0011 adds columns with database defaults: an assignment made before it is homework,
    every program's assessment policy takes the transitional track's and tutor service's seed
    defaults, nobody has a distinction, and no other value changes."""
    async with _empty_database(backend, tmp_path) as url:
        await _migrate(url, "models.0001_initial")
        async with open_database(url) as context:
            program_ids = await _fill_0001(context.connections.get("default"))
        await _migrate(url, "models.0010_cleanup")
        async with open_database(url) as context:
            client = context.connections.get("default")
            at: Any = dt.datetime(2012, 4, 28, 12, tzinfo=dt.UTC)
            if client.capabilities.dialect != "postgres":
                at = at.isoformat()
            _, workshops = await client.execute_query('SELECT "id" FROM "workshop"')
            _, people = await client.execute_query('SELECT "id" FROM "person"')
            await _insert(
                client,
                "assignment",
                {
                    "workshop_id": dict(workshops[0])["id"],
                    "title": "教学设计",
                    "instructions": "",
                    "due_at": at,
                    "created_by_id": dict(people[0])["id"],
                    "created_at": at,
                },
            )
            before = await _snapshot(client)

        await _migrate(url, "models.0011_outcomes")

        async with open_database(url) as context:
            after = await _snapshot(context.connections.get("default"))
            assert set(after) == set(before) | {"township_session"}
            assert after["township_session"] == []
            added = {
                "assessment_policy": {
                    "tutor_service_credit_for_all": False,
                    "township_weight": 20,
                    "township_min_hours": 4,
                    "transitional_process_weight": 50,
                    "transitional_pass_mark": 60,
                },
                "assignment": {"kind": "homework"},
                "person": {"distinction": None},
            }
            for table, rows in before.items():
                new = added.get(table, {})
                assert [
                    {k: (bool(v) if isinstance(new.get(k), bool) else v) for k, v in row.items()}
                    for row in after[table]
                ] == [row | new for row in rows], table
            assert sorted(r["program_id"] for r in after["assessment_policy"]) == program_ids


async def _index_definitions(client: BaseDBAsyncClient, table: str) -> list[str]:
    if client.capabilities.dialect == "postgres":
        sql = f"SELECT indexdef AS d FROM pg_indexes WHERE tablename = '{table}'"
    else:
        sql = f"SELECT sql AS d FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'"
    return [str(row["d"]) for row in await client.execute_query_dict(sql)]


async def test_0014_indexes_a_workshops_topics_and_changes_no_row(
    backend: str, tmp_path: Path
) -> None:
    """0014 (issue 11): the study page reads a workshop's topics through an index."""
    async with _empty_database(backend, tmp_path) as url:
        await _filled_up_to(url, "models.0013_staff")
        async with open_database(url) as context:
            client = context.connections.get("default")
            assert not any("workshop_id" in d for d in await _index_definitions(client, "topic"))
            before = await _snapshot(client)

        await _migrate(url, "models.0014_study_page_indexes")

        async with open_database(url) as context:
            client = context.connections.get("default")
            assert await _snapshot(client) == before
            assert any("workshop_id" in d for d in await _index_definitions(client, "topic"))
