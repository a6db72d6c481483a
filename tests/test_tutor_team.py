"""Tutor teams over HTTP: R6 (the cap, also under concurrency) and R7 (trainees cannot join)."""

import asyncio
import collections
import re
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.workshops import use_cases as workshop_use_cases
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import EnrollmentStatus, Role, Stage
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    Program,
    TrainingClass,
    TutorTeamMember,
    TutorTeamPolicy,
    Workshop,
)

from .api import Api
from .conftest import local
from .databases import asyncpg_dsn
from .factories import (
    add_tutor,
    batch_number,
    enroll,
    make_admin,
    make_class,
    make_org,
    make_person,
    make_workshop,
    reference_program,
)
from .sql_counter import SqlCounter, count_sql

ADD = """
mutation ($input: TutorTeamMemberInput!) {
  addTutorTeamMember(input: $input) {
    workshop { tutorCap placesLeft tutorTeam { person { username } } }
    userErrors { code field message }
  }
}"""

REMOVE = """
mutation ($input: TutorTeamMemberInput!) {
  removeTutorTeamMember(input: $input) {
    workshop { tutorCap placesLeft tutorTeam { person { username } } }
    userErrors { code field message }
  }
}"""


@dataclass
class Team:
    program: Program
    admin: Person
    leader: Person
    workshop: Workshop


async def _team(*, cap: int = 8, members: int = 0) -> Team:
    """A workshop of a program whose tutor-team cap is `cap`, with `members` tutors."""
    program = await reference_program()
    await TutorTeamPolicy.filter(program_id=program.id).update(cap=cap)
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    leader = await make_person("leader", stage=Stage.HIGH, subject="数学")
    tutors = [await make_person(f"member{n + 1}") for n in range(members)]
    workshop = await make_workshop(program, leader, tutors=tutors)
    return Team(program, admin, leader, workshop)


def _input(workshop: Workshop, person: Person) -> dict[str, Any]:
    return {
        "input": {
            "workshopId": encode_id("Workshop", workshop.id),
            "personId": encode_id("Person", person.id),
        }
    }


def _members(*usernames: str) -> list[dict[str, Any]]:
    return [{"person": {"username": name}} for name in usernames]


def _refused(mutation: str, code: str, field: str, message: str) -> dict[str, Any]:
    return {
        mutation: {
            "workshop": None,
            "userErrors": [{"code": code, "field": ["input", field], "message": message}],
        }
    }


async def _stored_team(workshop: Workshop) -> tuple[int, list[str]]:
    """The stored place counter and the members' user names."""
    row = await Workshop.get(id=workshop.id)
    members = await TutorTeamMember.filter(workshop_id=workshop.id).order_by("id")
    people = {p.id: p.username for p in await Person.filter(id__in=[m.person_id for m in members])}
    return row.tutor_count, [people[m.person_id] for m in members]


async def test_the_leader_adds_a_member(api: Api) -> None:
    team = await _team()
    tutor = await make_person("tutor")

    data = await api.data(ADD, _input(team.workshop, tutor), as_=team.leader)

    assert data == {
        "addTutorTeamMember": {
            "workshop": {"tutorCap": 8, "placesLeft": 7, "tutorTeam": _members("tutor")},
            "userErrors": [],
        }
    }


async def test_r6_the_last_place_is_taken_and_the_next_refused(api: Api) -> None:
    # The cap is the program's setting (3 here), copied to the workshop.
    team = await _team(cap=3, members=2)
    third, fourth = await make_person("third"), await make_person("fourth")

    taken = await api.data(ADD, _input(team.workshop, third), as_=team.admin)
    refused = await api.data(ADD, _input(team.workshop, fourth), as_=team.admin)

    assert taken == {
        "addTutorTeamMember": {
            "workshop": {
                "tutorCap": 3,
                "placesLeft": 0,
                "tutorTeam": _members("member1", "member2", "third"),
            },
            "userErrors": [],
        }
    }
    assert refused == _refused(
        "addTutorTeamMember",
        "TUTOR_TEAM_FULL",
        "workshopId",
        "辅导团队已满：每个工作室不超过3人",
    )
    assert await _stored_team(team.workshop) == (3, ["member1", "member2", "third"])


async def test_r6_fifty_concurrent_requests_leave_exactly_eight_members(api: Api) -> None:
    team = await _team()
    people = [await make_person(f"candidate{n:02d}") for n in range(50)]

    answers = await asyncio.gather(
        *(api.data(ADD, _input(team.workshop, person), as_=team.leader) for person in people)
    )

    outcomes = collections.Counter(
        tuple(e["code"] for e in answer["addTutorTeamMember"]["userErrors"]) for answer in answers
    )
    assert outcomes == {(): 8, ("TUTOR_TEAM_FULL",): 42}
    full = _refused(
        "addTutorTeamMember", "TUTOR_TEAM_FULL", "workshopId", "辅导团队已满：每个工作室不超过8人"
    )
    assert [a for a in answers if a["addTutorTeamMember"]["userErrors"]] == [full] * 42
    count, members = await _stored_team(team.workshop)
    added = [
        p.username
        for p, a in zip(people, answers, strict=True)
        if a["addTutorTeamMember"]["workshop"]
    ]
    assert (count, sorted(members)) == (8, sorted(added))


@pytest.fixture
def sql_with_transactions(monkeypatch: pytest.MonkeyPatch) -> Iterator[SqlCounter]:
    """The use cases' SQL, with BEGIN and END where their transactions start and end."""
    real = workshop_use_cases.in_transaction

    with count_sql() as sql:

        @asynccontextmanager
        async def marked(connection_name: str | None = None) -> AsyncIterator[Any]:
            async with real(connection_name) as connection:
                sql.statements.append("BEGIN")
                try:
                    yield connection
                finally:
                    sql.statements.append("END")

        monkeypatch.setattr(workshop_use_cases, "in_transaction", marked)
        yield sql


def _transactions(statements: list[str]) -> list[list[str]]:
    """The statements of each transaction, written the same on both backends (`?`, no RETURNING)."""
    found: list[list[str]] = []
    current: list[str] | None = None
    for statement in statements:
        if statement == "BEGIN":
            current = []
        elif statement == "END" and current is not None:
            found.append(current)
            current = None
        elif current is not None:
            current.append(re.sub(r"\$\d+", "?", statement.removesuffix(' RETURNING "id"')))
    return found


CLAIM = (
    'UPDATE "workshop" SET "tutor_count"="tutor_count"+? WHERE "id"=? AND "tutor_count"<"tutor_cap"'
)
INSERT_MEMBER = (
    'INSERT INTO "tutor_team_member" ("added_at","person_id","program_id","workshop_id") '
    "VALUES (?,?,?,?)"
)


async def test_r6_a_place_is_claimed_by_the_first_statement_of_the_transaction(
    api: Api, sql_with_transactions: SqlCounter
) -> None:
    # Timing-independent guard against counting members before inserting: SQLite serialises
    # transactions, so the race test alone would pass there with a count-then-insert.
    team = await _team(members=7)
    eighth, ninth = await make_person("eighth"), await make_person("ninth")
    sql_with_transactions.statements.clear()

    await api.data(ADD, _input(team.workshop, eighth), as_=team.leader)
    await api.data(ADD, _input(team.workshop, ninth), as_=team.leader)

    # Between the claim and the insert: the person is locked and R7 re-checked (see below).
    first, second = _transactions(sql_with_transactions.statements)
    assert (first[0], first[-1], len(first), second) == (CLAIM, INSERT_MEMBER, 4, [CLAIM])


async def _answer_while_in_flight(
    db: str, statements: list[tuple[Any, ...]], request: Coroutine[Any, Any, dict[str, Any]]
) -> dict[str, Any]:
    """Runs `statements` in a transaction on another connection, sends `request`, commits once
    the request waits for that transaction's row locks (or has answered without waiting), and
    returns the answer. Deterministic: it waits for the lock, not for a while."""
    other = await asyncpg.connect(asyncpg_dsn(db))
    try:
        transaction = other.transaction()
        await transaction.start()
        for statement in statements:
            await other.execute(*statement)
        sent = asyncio.create_task(request)
        for _ in range(1000):
            if sent.done() or await other.fetchval(
                "SELECT count(*) FROM pg_locks WHERE NOT granted"
            ):
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the request neither waited for the lock nor answered")
        await transaction.commit()
        return await sent
    finally:
        await other.close()


def _postgres_only(backend: str) -> None:
    if backend != "postgres":
        pytest.skip("interleaves two transactions with row locks: PostgreSQL only")


async def test_r6_a_claim_in_flight_holds_the_last_place_on_postgres(
    api: Api, backend: str, db: str
) -> None:
    # Another request has claimed the 8th place and not committed yet: a counter that reads
    # committed members would see 7 and overfill; the conditional UPDATE waits and refuses.
    _postgres_only(backend)
    team = await _team(members=7)
    in_flight, late = await make_person("in_flight"), await make_person("late")
    claim = (
        "UPDATE workshop SET tutor_count = tutor_count + 1 "
        "WHERE id = $1 AND tutor_count < tutor_cap",
        team.workshop.id,
    )
    insert = (
        "INSERT INTO tutor_team_member (workshop_id, person_id, program_id, added_at) "
        "VALUES ($1, $2, $3, now())",
        team.workshop.id,
        in_flight.id,
        team.program.id,
    )

    answer = await _answer_while_in_flight(
        db, [claim, insert], api.data(ADD, _input(team.workshop, late), as_=team.leader)
    )

    assert answer == _refused(
        "addTutorTeamMember", "TUTOR_TEAM_FULL", "workshopId", "辅导团队已满：每个工作室不超过8人"
    )
    count, members = await _stored_team(team.workshop)
    assert (count, members) == (8, [f"member{n}" for n in range(1, 8)] + ["in_flight"])


ENROLL = """
mutation ($input: EnrollInput!) {
  enroll(input: $input) { enrollment { track } userErrors { code field message } }
}"""


async def test_r7_an_enrollment_in_flight_keeps_the_person_out_of_the_team_on_postgres(
    api: Api, backend: str, db: str
) -> None:
    # The enrollment has locked the person and inserted, not committed: the add waits for the
    # lock, then sees the trainee. Without the shared lock both would pass (write skew).
    _postgres_only(backend)
    team = await _team()
    teacher = await make_person("teacher")
    batch = await batch_number(team.program, 1)
    lock = ("SELECT id FROM person WHERE id = $1 FOR UPDATE", teacher.id)
    insert = (
        "INSERT INTO enrollment (program_id, teacher_id, batch_id, workshop_id, track, status, "
        "registered_by_id, registered_at, online_seconds, offline_minutes) "
        "VALUES ($1, $2, $3, $4, 'network', 'active', $2, now(), 0, 0)",
        team.program.id,
        teacher.id,
        batch.id,
        team.workshop.id,
    )

    answer = await _answer_while_in_flight(
        db, [lock, insert], api.data(ADD, _input(team.workshop, teacher), as_=team.leader)
    )

    assert answer == _refused(
        "addTutorTeamMember",
        "ALREADY_ENROLLED",
        "personId",
        "该教师已报名参加本项目研修，不能再加入辅导团队（辅导团队成员免予选学研修）",
    )
    assert await _stored_team(team.workshop) == (0, [])


async def test_r7_a_team_add_in_flight_keeps_the_person_from_enrolling_on_postgres(
    api: Api, clock: FixedClock, backend: str, db: str
) -> None:
    _postgres_only(backend)
    team = await _team()
    teacher = await make_person("teacher")
    lock = ("SELECT id FROM person WHERE id = $1 FOR UPDATE", teacher.id)
    insert = (
        "INSERT INTO tutor_team_member (workshop_id, person_id, program_id, added_at) "
        "VALUES ($1, $2, $3, now())",
        team.workshop.id,
        teacher.id,
        team.program.id,
    )
    clock.set(local(2012, 4, 20, 10, 0))
    variables = {
        "input": {
            "programId": encode_id("Program", team.program.id),
            "workshopId": encode_id("Workshop", team.workshop.id),
        }
    }

    answer = await _answer_while_in_flight(
        db, [lock, insert], api.data(ENROLL, variables, as_=teacher)
    )

    assert answer == {
        "enroll": {
            "enrollment": None,
            "userErrors": [
                {
                    "code": "TUTOR_EXEMPT",
                    "field": None,
                    "message": "工作室辅导团队成员免予选学研修，不能作为学员报名",
                }
            ],
        }
    }
    assert await Enrollment.filter(teacher_id=teacher.id).count() == 0


CREATE_CLASS = """
mutation ($input: CreateClassInput!) {
  createClass(input: $input) {
    trainingClass { name }
    userErrors { code field message }
  }
}"""


async def test_a_class_does_not_go_to_a_member_being_removed_on_postgres(
    api: Api, backend: str, db: str
) -> None:
    # A removal in flight has deleted the member: the new class's locked membership check
    # waits for it and refuses, so no class is left with a tutor outside the team.
    _postgres_only(backend)
    team = await _team(members=1)
    member1 = await Person.get(username="member1")
    release = ("UPDATE workshop SET tutor_count = tutor_count - 1 WHERE id = $1", team.workshop.id)
    delete = (
        "DELETE FROM tutor_team_member WHERE workshop_id = $1 AND person_id = $2",
        team.workshop.id,
        member1.id,
    )
    variables = {
        "input": {
            "workshopId": encode_id("Workshop", team.workshop.id),
            "name": "一班",
            "tutorId": encode_id("Person", member1.id),
        }
    }

    answer = await _answer_while_in_flight(
        db, [release, delete], api.data(CREATE_CLASS, variables, as_=team.leader)
    )

    assert answer == {
        "createClass": {
            "trainingClass": None,
            "userErrors": [
                {
                    "code": "NOT_A_MEMBER",
                    "field": ["input", "tutorId"],
                    "message": "班级辅导教师须为本工作室辅导团队成员",
                }
            ],
        }
    }
    assert await TrainingClass.filter(workshop_id=team.workshop.id).count() == 0
    assert await _stored_team(team.workshop) == (0, [])


async def test_a_member_is_not_added_twice(api: Api) -> None:
    team = await _team(members=1)
    member = await Person.get(username="member1")

    data = await api.data(ADD, _input(team.workshop, member), as_=team.leader)

    assert data == _refused(
        "addTutorTeamMember", "ALREADY_MEMBER", "personId", "该教师已是本工作室辅导团队成员"
    )
    assert await _stored_team(team.workshop) == (1, ["member1"])


async def test_r7_a_trainee_of_the_program_cannot_join_a_tutor_team(api: Api) -> None:
    team = await _team()
    trainee = await make_person("trainee")
    await enroll(trainee, team.workshop, await batch_number(team.program, 1))

    data = await api.data(ADD, _input(team.workshop, trainee), as_=team.leader)

    assert data == _refused(
        "addTutorTeamMember",
        "ALREADY_ENROLLED",
        "personId",
        "该教师已报名参加本项目研修，不能再加入辅导团队（辅导团队成员免予选学研修）",
    )
    assert await _stored_team(team.workshop) == (0, [])


@pytest.mark.parametrize("enrollment", ["another_program", "withdrawn"])
async def test_r7_a_trainee_elsewhere_or_withdrawn_may_join(api: Api, enrollment: str) -> None:
    team = await _team()
    teacher = await make_person("teacher")
    if enrollment == "another_program":
        other_program = await reference_program()
        other = await make_workshop(other_program, team.leader)
        await enroll(teacher, other, await batch_number(other_program, 1))
    else:
        enrolled = await enroll(teacher, team.workshop, await batch_number(team.program, 1))
        await Enrollment.filter(id=enrolled.id).update(status=EnrollmentStatus.WITHDRAWN)

    data = await api.data(ADD, _input(team.workshop, teacher), as_=team.leader)

    assert data == {
        "addTutorTeamMember": {
            "workshop": {"tutorCap": 8, "placesLeft": 7, "tutorTeam": _members("teacher")},
            "userErrors": [],
        }
    }


async def test_an_unknown_person_or_workshop_is_not_found(api: Api) -> None:
    team = await _team()
    tutor = await make_person("tutor")
    unknown_person = {
        "input": {**_input(team.workshop, tutor)["input"], "personId": encode_id("Person", 999)}
    }
    unknown_workshop = {
        "input": {**_input(team.workshop, tutor)["input"], "workshopId": encode_id("Workshop", 999)}
    }

    person = await api.data(ADD, unknown_person, as_=team.leader)
    workshop = await api.data(ADD, unknown_workshop, as_=team.leader)

    assert person == _refused("addTutorTeamMember", "NOT_FOUND", "personId", "找不到该教师")
    assert workshop == _refused("addTutorTeamMember", "NOT_FOUND", "workshopId", "找不到该工作室")


async def test_removing_a_member_frees_the_place_for_another(api: Api) -> None:
    team = await _team(cap=2, members=2)
    member1 = await Person.get(username="member1")
    newcomer = await make_person("newcomer")

    removed = await api.data(REMOVE, _input(team.workshop, member1), as_=team.leader)
    added = await api.data(ADD, _input(team.workshop, newcomer), as_=team.leader)

    assert removed == {
        "removeTutorTeamMember": {
            "workshop": {"tutorCap": 2, "placesLeft": 1, "tutorTeam": _members("member2")},
            "userErrors": [],
        }
    }
    assert added["addTutorTeamMember"]["workshop"] == {
        "tutorCap": 2,
        "placesLeft": 0,
        "tutorTeam": _members("member2", "newcomer"),
    }


@pytest.mark.parametrize("members", [0, 1])
async def test_removing_a_non_member_is_refused(api: Api, members: int) -> None:
    team = await _team(members=members)
    stranger = await make_person("stranger")

    data = await api.data(REMOVE, _input(team.workshop, stranger), as_=team.admin)

    assert data == _refused(
        "removeTutorTeamMember", "NOT_A_MEMBER", "personId", "该教师不是本工作室辅导团队成员"
    )
    assert await _stored_team(team.workshop) == (
        members,
        [f"member{n + 1}" for n in range(members)],
    )


async def test_a_member_who_runs_a_class_stays(api: Api) -> None:
    team = await _team(members=1)
    member1 = await Person.get(username="member1")
    await make_class(team.workshop, member1)

    data = await api.data(REMOVE, _input(team.workshop, member1), as_=team.leader)

    assert data == _refused(
        "removeTutorTeamMember",
        "TUTOR_HAS_CLASSES",
        "personId",
        "该辅导教师仍负责本工作室的班级，请先将班级交给其他辅导教师",
    )
    assert await _stored_team(team.workshop) == (1, ["member1"])


async def test_a_class_in_another_workshop_does_not_hold_a_member(api: Api) -> None:
    team = await _team(members=1)
    member1 = await Person.get(username="member1")
    other = await make_workshop(team.program, await make_person("leader2"), subject="语文")
    await add_tutor(other, member1)
    await make_class(other, member1)

    data = await api.data(REMOVE, _input(team.workshop, member1), as_=team.leader)

    assert data == {
        "removeTutorTeamMember": {
            "workshop": {"tutorCap": 8, "placesLeft": 8, "tutorTeam": []},
            "userErrors": [],
        }
    }


@pytest.mark.parametrize("mutation", [ADD, REMOVE])
@pytest.mark.parametrize("who", ["other_leader", "team_member", "county_admin", "nobody"])
async def test_only_a_province_admin_or_the_leader_changes_a_team(
    api: Api, mutation: str, who: str
) -> None:
    team = await _team(members=1)
    member1 = await Person.get(username="member1")
    org = await make_org()
    other_leader = await make_person("leader2")
    await make_workshop(team.program, other_leader, subject="语文")
    caller = {
        "other_leader": other_leader,
        "team_member": member1,
        "county_admin": await make_admin("county", Role.COUNTY_ADMIN, region=org.county),
        "nobody": None,
    }[who]
    person = member1 if mutation == REMOVE else await make_person("candidate")

    body = await api.gql(mutation, _input(team.workshop, person), as_=caller)

    expected = "UNAUTHENTICATED" if caller is None else "FORBIDDEN"
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [expected]
    assert await _stored_team(team.workshop) == (1, ["member1"])
