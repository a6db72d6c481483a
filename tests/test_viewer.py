"""`viewer`, the teacher roster and people by id over HTTP: full results, scopes, masking."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import Role, Stage, TitleRank
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    Program,
    Topic,
    TrainingClass,
    Workshop,
)

from .api import Api, error_codes
from .conftest import local
from .factories import (
    Org,
    batch_number,
    enroll,
    gid,
    make_admin,
    make_class,
    make_org,
    make_person,
    make_vendor,
    make_workshop,
    reference_program,
)
from .sql_counter import count_sql

VIEWER = """
query ($programId: ID) {
  viewer {
    person {
      username realName idNumberMasked mobileMasked stage subject titleRank post track
      school { name county { name } city { name } }
    }
    roles { role region { name } school { name } }
    ledWorkshops { name }
    tutorTeamWorkshops { name }
    tutoredClasses { name }
    enrollment(programId: $programId) {
      track status
      workshop { name } topic { title } trainingClass { name } tutor { realName }
      batch { number window { startsOn endsOn opensAt closesAt state } }
      hourProgress {
        required { onlineHours offlineHours totalHours }
        onlineHours offlineHours onlineSeconds offlineMinutes
        onlineComplete offlineComplete complete
      }
    }
    enrollments(first: 5) { totalCount nodes { status program { year } } }
  }
}"""

HIGH_MATH = "high-数学名师网络研修工作室"
ID_NUMBER = "36010219850315042X"


@dataclass
class World:
    program: Program
    org: Org
    leader: Person
    tutor: Person
    high_math: Workshop
    training_class: TrainingClass
    trainee: Person
    enrollment: Enrollment


@pytest.fixture
async def world(db: str) -> World:
    program = await reference_program()
    org = await make_org()
    leader = await make_person("leader", school=org.other_school, real_name="王名师")
    tutor = await make_person("tutor", school=org.other_school, real_name="张辅导")
    high_math = await make_workshop(
        program, leader, stage=Stage.HIGH, subject="数学", tutors=[tutor]
    )
    training_class = await make_class(high_math, tutor)
    trainee = await make_person(
        "li_hua",
        school=org.school,
        real_name="李华",
        title_rank=TitleRank.INTERMEDIATE,
        id_number=ID_NUMBER,
        mobile="13907911234",
    )
    enrollment = await enroll(
        trainee, high_math, await batch_number(program, 1), training_class=training_class
    )
    # R8: 7 online hours (one more than the quota) and 10.5 confirmed offline hours.
    enrollment.topic_id = (await Topic.get(workshop_id=high_math.id, position=0)).id
    enrollment.online_seconds = 7 * 3600
    enrollment.offline_minutes = 630
    await enrollment.save()
    return World(program, org, leader, tutor, high_math, training_class, trainee, enrollment)


def _window(state: str) -> dict[str, Any]:
    return {
        "startsOn": "2012-04-27",
        "endsOn": "2012-05-08",
        "opensAt": "2012-04-27T00:00:00+08:00",
        "closesAt": "2012-05-09T00:00:00+08:00",
        "state": state,
    }


NOTHING_ELSE = {
    "roles": [],
    "ledWorkshops": [],
    "tutorTeamWorkshops": [],
    "tutoredClasses": [],
}


async def test_a_trainee_sees_their_enrollment_in_full_with_masked_personal_data(
    api: Api, world: World, clock: FixedClock
) -> None:
    clock.set(local(2012, 4, 27, 0, 0, 0))

    data = await api.data(VIEWER, as_=world.trainee)

    assert data == {
        "viewer": {
            "person": {
                "username": "li_hua",
                "realName": "李华",
                "idNumberMasked": "360***********042X",
                "mobileMasked": "139****1234",
                "stage": "HIGH",
                "subject": "数学",
                "titleRank": "INTERMEDIATE",
                "post": "TEACHER",
                "track": "NETWORK",
                "school": {
                    "name": "南昌市第一实验学校",
                    "county": {"name": "东湖区"},
                    "city": {"name": "南昌市"},
                },
            },
            **NOTHING_ELSE,
            "enrollment": {
                "track": "NETWORK",
                "status": "ACTIVE",
                "workshop": {"name": HIGH_MATH},
                "topic": {"title": "专题1"},
                "trainingClass": {"name": "一班"},
                "tutor": {"realName": "张辅导"},
                "batch": {"number": 1, "window": _window("OPEN")},
                "hourProgress": {
                    "required": {"onlineHours": 6, "offlineHours": 16, "totalHours": 22},
                    "onlineHours": 6.0,
                    "offlineHours": 10.5,
                    "onlineSeconds": 21600,
                    "offlineMinutes": 630,
                    "onlineComplete": True,
                    "offlineComplete": False,
                    "complete": False,
                },
            },
            "enrollments": {
                "totalCount": 1,
                "nodes": [{"status": "ACTIVE", "program": {"year": "2011学年"}}],
            },
        }
    }


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (local(2012, 4, 26, 23, 59, 59), "NOT_OPEN"),
        (local(2012, 4, 27, 0, 0, 0), "OPEN"),
        (local(2012, 5, 8, 23, 59, 59), "OPEN"),
        (local(2012, 5, 9, 0, 0, 0), "CLOSED"),
    ],
    ids=["just-before", "opening-instant", "end-date-23:59:59", "next-midnight"],
)
async def test_the_batch_window_state_at_its_edges(
    api: Api, world: World, clock: FixedClock, now: dt.datetime, state: str
) -> None:
    clock.set(now)

    data = await api.data(
        "{ viewer { enrollment { batch { window { startsOn endsOn opensAt closesAt state } } } } }",
        as_=world.trainee,
    )

    assert data == {"viewer": {"enrollment": {"batch": {"window": _window(state)}}}}


async def test_the_enrollment_of_a_named_program_and_the_newest_by_default(
    api: Api, world: World
) -> None:
    newer = await reference_program()
    newer.year = "2012学年"
    await newer.save()
    newer_math = await make_workshop(newer, world.leader, stage=Stage.HIGH, subject="数学")
    await enroll(world.trainee, newer_math, await batch_number(newer, 1))
    query = "query ($p: ID) { viewer { enrollment(programId: $p) { program { year } } } }"

    default = await api.data(query, as_=world.trainee)
    named = await api.data(query, {"p": gid(world.program)}, as_=world.trainee)
    unknown = await api.data(query, {"p": encode_id("Program", 999)}, as_=world.trainee)
    malformed = await api.data(query, {"p": "not-an-id"}, as_=world.trainee)
    listed = await api.data(
        "{ viewer { enrollments(first: 5) { nodes { program { year } } } } }", as_=world.trainee
    )

    assert default == {"viewer": {"enrollment": {"program": {"year": "2012学年"}}}}
    assert named == {"viewer": {"enrollment": {"program": {"year": "2011学年"}}}}
    assert unknown == malformed == {"viewer": {"enrollment": None}}
    assert listed == {
        "viewer": {
            "enrollments": {
                "nodes": [{"program": {"year": "2012学年"}}, {"program": {"year": "2011学年"}}]
            }
        }
    }


async def test_a_tutor_sees_their_team_and_class_and_no_enrollment(api: Api, world: World) -> None:
    data = await api.data(VIEWER, as_=world.tutor)

    viewer = data["viewer"]
    del viewer["person"]
    assert viewer == {
        **NOTHING_ELSE,
        "tutorTeamWorkshops": [{"name": HIGH_MATH}],
        "tutoredClasses": [{"name": "一班"}],
        "enrollment": None,
        "enrollments": {"totalCount": 0, "nodes": []},
    }


async def test_a_leader_sees_the_workshops_they_lead(api: Api, world: World) -> None:
    data = await api.data(
        "{ viewer { ledWorkshops { name } tutorTeamWorkshops { name } } }", as_=world.leader
    )

    assert data == {"viewer": {"ledWorkshops": [{"name": HIGH_MATH}], "tutorTeamWorkshops": []}}


async def test_an_admin_sees_their_roles(api: Api, world: World) -> None:
    admin = await make_admin("county", Role.COUNTY_ADMIN, region=world.org.county)

    data = await api.data(
        "{ viewer { person { username school { name } } "
        "roles { role region { name } school { name } } } }",
        as_=admin,
    )

    assert data == {
        "viewer": {
            "person": {"username": "county", "school": None},
            "roles": [{"role": "COUNTY_ADMIN", "region": {"name": "东湖区"}, "school": None}],
        }
    }


async def test_viewer_needs_a_token(api: Api, world: World) -> None:
    body = await api.gql(VIEWER, as_=None)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


# The teacher roster.

TEACHERS = """
query ($schoolId: ID, $search: String) {
  teachers(first: 10, schoolId: $schoolId, search: $search) {
    totalCount
    nodes { username idNumberMasked mobileMasked school { name city { name } } }
  }
}"""

NANCHANG = {"name": "南昌市第一实验学校", "city": {"name": "南昌市"}}
JIUJIANG = {"name": "九江市实验中学", "city": {"name": "九江市"}}


def _usernames(data: dict[str, Any]) -> list[str]:
    return [node["username"] for node in data["teachers"]["nodes"]]


async def _roster_caller(world: World, who: str) -> Person:
    org = world.org
    if who == "vendor_staff":
        vendor = await make_vendor(world.program, "承训机构", org.other_city)
        return await make_admin(who, Role.VENDOR_STAFF, vendor=vendor)
    scopes: dict[str, tuple[Role, dict[str, Any]]] = {
        "province_admin": (Role.PROVINCE_ADMIN, {}),
        "city_admin": (Role.CITY_ADMIN, {"region": org.city}),
        "county_admin": (Role.COUNTY_ADMIN, {"region": org.county}),
        "school_admin": (Role.SCHOOL_ADMIN, {"school": org.school}),
        "other_county_admin": (Role.COUNTY_ADMIN, {"region": org.other_county}),
    }
    role, scope = scopes[who]
    return await make_admin(who, role, **scope)


@pytest.mark.parametrize(
    ("who", "usernames"),
    [
        ("province_admin", ["leader", "tutor", "li_hua"]),
        ("city_admin", ["li_hua"]),
        ("county_admin", ["li_hua"]),
        ("school_admin", ["li_hua"]),
        ("other_county_admin", ["leader", "tutor"]),
        ("vendor_staff", ["leader", "tutor"]),
    ],
)
async def test_the_roster_holds_the_teachers_of_one_s_scope(
    api: Api, world: World, who: str, usernames: list[str]
) -> None:
    caller = await _roster_caller(world, who)

    data = await api.data(TEACHERS, as_=caller)

    assert _usernames(data) == usernames
    assert data["teachers"]["totalCount"] == len(usernames)


async def test_the_roster_masks_personal_data_and_filters(api: Api, world: World) -> None:
    admin = await _roster_caller(world, "county_admin")

    by_name = await api.data(TEACHERS, {"search": "李"}, as_=admin)
    by_school = await api.data(TEACHERS, {"schoolId": gid(world.org.school)}, as_=admin)
    other_school = await api.data(TEACHERS, {"schoolId": gid(world.org.other_school)}, as_=admin)
    no_match = await api.data(TEACHERS, {"search": "张"}, as_=admin)
    malformed = await api.data(TEACHERS, {"schoolId": "not-an-id"}, as_=admin)
    not_a_school = await api.data(TEACHERS, {"schoolId": gid(world.org.county)}, as_=admin)

    expected = {
        "teachers": {
            "totalCount": 1,
            "nodes": [
                {
                    "username": "li_hua",
                    "idNumberMasked": "360***********042X",
                    "mobileMasked": "139****1234",
                    "school": NANCHANG,
                }
            ],
        }
    }
    assert by_name == by_school == expected
    empty = {"teachers": {"totalCount": 0, "nodes": []}}
    assert [other_school, no_match, malformed, not_a_school] == [empty] * 4


@pytest.mark.parametrize("who", ["teacher", "nobody"])
async def test_the_roster_is_for_admins_and_vendor_staff(api: Api, world: World, who: str) -> None:
    body = await api.gql(TEACHERS, as_=world.trainee if who == "teacher" else None)

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN" if who == "teacher" else "UNAUTHENTICATED"]


async def _roster_statements(api: Api, admin: Person) -> int:
    with count_sql() as sql:
        data = await api.data(TEACHERS.replace("first: 10", "first: 100"), as_=admin)
    assert len(data["teachers"]["nodes"]) == data["teachers"]["totalCount"]
    return sql.count


async def test_the_roster_s_statements_do_not_grow_with_its_size(api: Api, world: World) -> None:
    admin = await _roster_caller(world, "province_admin")
    for _ in range(5):
        await make_person(school=world.org.school)
    small = await _roster_statements(api, admin)
    for index in range(45):
        await make_person(school=world.org.school if index % 2 else world.org.other_school)

    assert await _roster_statements(api, admin) == small


# People, schools, regions and enrollments by id.

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename
    ... on Person { username idNumberMasked }
    ... on Enrollment { status teacher { username } }
    ... on School { name }
    ... on Region { name }
  }
}"""


async def _node(api: Api, row: Any, caller: Person) -> dict[str, Any] | None:
    data = await api.data(NODE, {"id": gid(row)}, as_=caller)
    node: dict[str, Any] | None = data["node"]
    return node


async def _caller(world: World, who: str) -> Person:
    match who:
        case "self":
            return world.trainee
        case "class_tutor":
            return world.tutor
        case "leader":
            return world.leader
        case "county_admin" | "other_county_admin" | "vendor_staff":
            return await _roster_caller(world, who)
        case _:
            return await make_person("peer", school=world.org.school)


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("self", True),
        ("class_tutor", True),
        ("leader", True),
        ("county_admin", True),
        ("other_county_admin", False),
        ("vendor_staff", False),
        ("peer", False),
    ],
)
async def test_a_trainee_and_their_enrollment_by_id(
    api: Api, world: World, who: str, visible: bool
) -> None:
    caller = await _caller(world, who)

    person = await _node(api, world.trainee, caller)
    enrollment = await _node(api, world.enrollment, caller)

    assert person == (
        {"__typename": "Person", "username": "li_hua", "idNumberMasked": "360***********042X"}
        if visible
        else None
    )
    assert enrollment == (
        {"__typename": "Enrollment", "status": "ACTIVE", "teacher": {"username": "li_hua"}}
        if visible
        else None
    )


async def test_leaders_tutors_schools_and_regions_are_visible_to_every_signed_in_person(
    api: Api, world: World
) -> None:
    peer = await make_person("peer", school=world.org.school)

    found = [await _node(api, row, peer) for row in (world.leader, world.tutor)]

    assert [(n["__typename"], n["username"]) for n in found if n] == [
        ("Person", "leader"),
        ("Person", "tutor"),
    ]
    assert await _node(api, world.org.other_school, peer) == {
        "__typename": "School",
        "name": "九江市实验中学",
    }
    assert await _node(api, world.org.county, peer) == {"__typename": "Region", "name": "东湖区"}


async def test_node_needs_a_token(api: Api, world: World) -> None:
    body = await api.gql(NODE, {"id": gid(world.trainee)}, as_=None)

    assert body["data"] == {"node": None}
    assert error_codes(body) == ["UNAUTHENTICATED"]
