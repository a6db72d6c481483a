"""The hot paths' statements use indexes: each statement the heartbeat, the study page and the
tutor's desk send is explained (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL with
sequential scans priced out, so that any usable index is chosen) and a full scan of a table
that grows with the province's teachers fails the test."""

import re
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from lms_plugin.clock import FixedClock

from .api import Api
from .conftest import local
from .sql_counter import count_sql
from .study_world import beat, make_world, start_id
from .test_fast_path import DOCUMENTS

# Tables with a row per teacher, enrollment, session, beat run, submission or post.
BIG_TABLES = {
    "person",
    "role_assignment",
    "enrollment",
    "study_session",
    "study_ledger_entry",
    "submission",
    "discussion_post",
    "offline_study_log",
    "tutor_team_member",
    "training_class",
    "attachment",
}

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
  tutorDesk { classes { trainingClass { id name } roster(first: 100) { totalCount nodes {
    enrollment { id } teacher { realName } hourProgress { onlineHours offlineHours complete }
    submissionsWaiting postCount lastActivityAt } } } }
}"""


async def full_scans(sql: str, values: list[Any], tables: set[str] = BIG_TABLES) -> list[str]:
    if values and isinstance(values[0], list | tuple):
        return []  # many rows inserted at once (the audit rows): no plan to read
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", values)
        details = [str(row[3]) for row in rows]
        pattern = re.compile(r"^SCAN (\w+)(?! USING (?:INTEGER PRIMARY KEY|.*INDEX .* \())")
    else:
        async with in_transaction() as transaction:
            await transaction.execute_script("SET LOCAL enable_seqscan = off")
            _, rows = await transaction.execute_query(f"EXPLAIN {sql}", values)
        details = [str(row[0]) for row in rows]
        pattern = re.compile(r"Seq Scan on (\w+)")
    return [
        detail
        for detail in details
        if (found := pattern.search(detail.strip())) and found.group(1) in tables
    ]


async def test_hot_statements_use_indexes(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 4, 28, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    clock.advance(seconds=60)
    with count_sql() as sql:
        assert (await beat(api, world.trainee, session_id, 1))["userErrors"] == []
        clock.advance(seconds=60)
        assert (await beat(api, world.trainee, session_id, 2))["userErrors"] == []
        page = await api.data(STUDY_PAGE, as_=world.trainee)
        desk = await api.data(TUTOR_DESK, as_=world.tutor)
    assert page["viewer"]["enrollment"]["trainingClass"]["name"] == "一班"
    assert desk["tutorDesk"]["classes"][0]["roster"]["totalCount"] == 2
    await _no_full_scans(sql.sent)


async def test_the_stub_desk_statements_use_indexes(api: Api) -> None:
    """The stub's desk also reads the grading queue and the forecasts' evidence."""
    world = await make_world()
    with count_sql() as sql:
        desk = await api.data(DOCUMENTS["TutorDesk"], as_=world.tutor)
    assert desk["tutorDesk"]["classes"][0]["roster"]["totalCount"] == 2
    await _no_full_scans(sql.sent)


async def _no_full_scans(sent: list[tuple[str, list[Any]]]) -> None:
    scans = {
        statement: found
        for statement, values in sent
        if (found := await full_scans(statement, values))
    }
    assert scans == {}, "\n".join(f"{s[:160]} -> {v}" for s, v in scans.items())
