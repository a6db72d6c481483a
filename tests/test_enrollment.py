"""Enrollment over HTTP: self-registration (R3 edges), R4, R5, R7, admin registration by scope,
withdrawal, and who may do each."""

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import EnrollmentStatus, Post, Role, Stage, Track
from lms_plugin.storage.models import Enrollment, Person, Program, Topic, Workshop

from .api import Api, error_codes, refused
from .conftest import local
from .factories import (
    Org,
    add_tutor,
    batch_number,
    enroll,
    gid,
    make_admin,
    make_org,
    make_person,
    make_vendor,
    make_workshop,
    reference_program,
)

ENROLL = """
mutation ($input: EnrollInput!) {
  enroll(input: $input) {
    enrollment {
      track status registeredAt
      teacher { username } registeredBy { username }
      workshop { name } topic { title } batch { number }
    }
    userErrors { code field message }
  }
}"""

ENROLL_TEACHERS = """
mutation ($input: EnrollTeachersInput!) {
  enrollTeachers(input: $input) {
    enrollments { track status teacher { username } registeredBy { username } batch { number } }
    userErrors { code field message }
  }
}"""

WITHDRAW = """
mutation ($input: WithdrawEnrollmentInput!) {
  withdrawEnrollment(input: $input) {
    enrollment { status teacher { username } }
    userErrors { code field message }
  }
}"""

HIGH_MATH = "high-数学名师网络研修工作室"


@dataclass
class World:
    program: Program
    org: Org
    leader: Person
    high_math: Workshop
    junior_math: Workshop
    teacher: Person


@pytest.fixture
async def world(db: str) -> World:
    program = await reference_program()
    org = await make_org()
    leader = await make_person("leader", school=org.other_school, subject="数学")
    return World(
        program=program,
        org=org,
        leader=leader,
        high_math=await make_workshop(program, leader, stage=Stage.HIGH, subject="数学"),
        junior_math=await make_workshop(program, leader, stage=Stage.JUNIOR, subject="数学"),
        teacher=await make_person("t_high_math", school=org.school),
    )


def _enroll(world: World, workshop: Workshop, topic: Topic | None = None) -> dict[str, Any]:
    return {
        "input": {
            "programId": gid(world.program),
            "workshopId": gid(workshop),
            "topicId": None if topic is None else gid(topic),
        }
    }


def _refused(code: str, message: str, *field: str) -> dict[str, Any]:
    return {"enroll": refused("enrollment", code, message, *field)}


async def _enrollments() -> list[tuple[str, str]]:
    rows = await Enrollment.all().order_by("id").values_list("teacher__username", "status")
    return [(str(username), str(status)) for username, status in rows]


# Self-registration.


async def test_a_teacher_enrolls_in_a_topic_of_their_own_workshop(api: Api, world: World) -> None:
    topic = await Topic.get(workshop_id=world.high_math.id, position=1)

    data = await api.data(ENROLL, _enroll(world, world.high_math, topic), as_=world.teacher)

    assert data == {
        "enroll": {
            "enrollment": {
                "track": "NETWORK",
                "status": "ACTIVE",
                "registeredAt": "2012-04-20T10:00:00+08:00",
                "teacher": {"username": "t_high_math"},
                "registeredBy": {"username": "t_high_math"},
                "workshop": {"name": HIGH_MATH},
                "topic": {"title": "专题2"},
                "batch": {"number": 1},
            },
            "userErrors": [],
        }
    }


async def test_r4_a_high_school_maths_teacher_is_refused_by_a_junior_high_workshop(
    api: Api, world: World
) -> None:
    data = await api.data(ENROLL, _enroll(world, world.junior_math), as_=world.teacher)

    assert data == _refused("WORKSHOP_MISMATCH", "只能选学本人学段学科（高中数学）的工作室")
    assert await _enrollments() == []


@pytest.mark.parametrize(
    ("stage", "subject", "post", "batch"),
    [
        (Stage.VOCATIONAL, "数学", Post.TEACHER, 1),
        (Stage.HIGH, "数学", Post.PRINCIPAL, 1),
        (Stage.JUNIOR, "语文", Post.NEW_HEAD_TEACHER, 3),
        (Stage.KINDERGARTEN, "幼儿教育", Post.KINDERGARTEN_DIRECTOR, 4),
        (Stage.PRIMARY, "数学", Post.TRAINING_MANAGER, 4),
    ],
    ids=["vocational", "principal", "head-teacher", "director", "manager"],
)
async def test_r4_every_post_chooses_by_stage_and_subject_and_the_batch_follows(
    api: Api, world: World, stage: Stage, subject: str, post: Post, batch: int
) -> None:
    workshop_stage = Stage.HIGH if stage is Stage.VOCATIONAL else stage
    workshop = await Workshop.get_or_none(
        program_id=world.program.id, stage=workshop_stage, subject=subject
    ) or await make_workshop(world.program, world.leader, stage=workshop_stage, subject=subject)
    person = await make_person(
        "someone", school=world.org.school, stage=stage, subject=subject, post=post
    )

    data = await api.data(ENROLL, _enroll(world, workshop), as_=person)

    assert data["enroll"]["userErrors"] == []
    assert data["enroll"]["enrollment"]["batch"] == {"number": batch}


async def test_r4_a_transitional_teacher_studies_in_the_transitional_batch(
    api: Api, world: World
) -> None:
    rural = await make_person("rural", school=world.org.school, track=Track.TRANSITIONAL)

    data = await api.data(ENROLL, _enroll(world, world.high_math), as_=rural)

    enrollment = data["enroll"]["enrollment"]
    assert (enrollment["track"], enrollment["batch"]) == ("TRANSITIONAL", {"number": 5})


async def test_r4_no_batch_serves_the_subject(api: Api, world: World) -> None:
    technology = await make_workshop(
        world.program, world.leader, stage=Stage.HIGH, subject="通用技术"
    )
    teacher = await make_person("tech", school=world.org.school, subject="通用技术")

    data = await api.data(ENROLL, _enroll(world, technology), as_=teacher)

    assert data == _refused("NO_BATCH_FOR_SUBJECT", "本项目没有安排高中通用技术的研修批次")


async def test_r5_a_second_enrollment_is_refused(api: Api, world: World) -> None:
    await api.data(ENROLL, _enroll(world, world.high_math), as_=world.teacher)

    data = await api.data(ENROLL, _enroll(world, world.high_math), as_=world.teacher)

    assert data == _refused("ALREADY_ENROLLED", "本阶段已报名，每人只能报名一次")
    assert await _enrollments() == [("t_high_math", "active")]


async def test_r5_concurrent_duplicates_leave_one_enrollment(api: Api, world: World) -> None:
    # On PostgreSQL the requests pass the check together; the unique key refuses all but one.
    results = await asyncio.gather(
        *(api.data(ENROLL, _enroll(world, world.high_math), as_=world.teacher) for _ in range(10))
    )

    codes = sorted(e["code"] for r in results for e in r["enroll"]["userErrors"])
    assert codes == ["ALREADY_ENROLLED"] * 9
    assert await _enrollments() == [("t_high_math", "active")]


async def test_r7_a_tutor_team_member_is_refused_as_a_trainee(api: Api, world: World) -> None:
    # A member of any team of the program is exempt, also from a workshop they do not tutor.
    await add_tutor(world.junior_math, world.teacher)

    data = await api.data(ENROLL, _enroll(world, world.high_math), as_=world.teacher)

    assert data == _refused("TUTOR_EXEMPT", "工作室辅导团队成员免予选学研修，不能作为学员报名")
    assert await _enrollments() == []


async def test_a_person_without_stage_and_subject_is_refused(api: Api, world: World) -> None:
    admin = await make_admin("county", Role.COUNTY_ADMIN, region=world.org.county)

    data = await api.data(ENROLL, _enroll(world, world.high_math), as_=admin)

    assert data == _refused("NOT_A_TEACHER", "未登记学段和学科，不能作为学员报名")


async def test_a_topic_of_another_workshop_is_refused(api: Api, world: World) -> None:
    topic = await Topic.get(workshop_id=world.junior_math.id, position=0)

    data = await api.data(ENROLL, _enroll(world, world.high_math, topic), as_=world.teacher)

    assert data == _refused("NOT_FOUND", "所选工作室没有这个专题", "topicId")


async def test_a_workshop_of_another_program_is_not_found(api: Api, world: World) -> None:
    other = await reference_program()
    other_math = await make_workshop(other, world.leader, stage=Stage.HIGH, subject="数学")

    data = await api.data(ENROLL, _enroll(world, other_math), as_=world.teacher)

    assert data == _refused("NOT_FOUND", "找不到该工作室", "workshopId")


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (local(2012, 4, 20, 8, 59, 59), "每日注册时间为09:00至22:00"),
        (local(2012, 4, 20, 9, 0, 0), None),
        (local(2012, 4, 25, 21, 59, 59), None),
        (local(2012, 4, 25, 22, 0, 0), "每日注册时间为09:00至22:00"),
        (local(2012, 4, 19, 21, 0, 0), "注册时间为2012年04月20日至2012年04月25日"),
        (local(2012, 4, 26, 9, 0, 0), "注册时间为2012年04月20日至2012年04月25日"),
    ],
    ids=["4/20 8:59:59", "4/20 9:00:00", "4/25 21:59:59", "4/25 22:00:00", "4/19", "4/26"],
)
async def test_r3_self_registration_at_the_edges(
    api: Api, world: World, clock: FixedClock, now: dt.datetime, message: str | None
) -> None:
    clock.set(now)

    data = await api.data(ENROLL, _enroll(world, world.high_math), as_=world.teacher)

    if message is None:
        assert data["enroll"]["userErrors"] == []
        assert await _enrollments() == [("t_high_math", "active")]
    else:
        assert data == _refused("REGISTRATION_CLOSED", message)
        assert await _enrollments() == []


async def test_enroll_needs_a_token(api: Api, world: World) -> None:
    body = await api.gql(ENROLL, _enroll(world, world.high_math), as_=None)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


# Admin registration.


def _enroll_teachers(
    world: World, *teachers: Person, workshop: Workshop | None = None
) -> dict[str, Any]:
    return {
        "input": {
            "programId": gid(world.program),
            "teacherIds": [gid(t) for t in teachers],
            "workshopId": gid(workshop or world.high_math),
        }
    }


def _admin_refused(*errors: tuple[str, str, int | None]) -> dict[str, Any]:
    return {
        "enrollTeachers": {
            "enrollments": None,
            "userErrors": [
                {
                    "code": code,
                    "field": ["input", "teacherIds", str(index)] if index is not None else None,
                    "message": message,
                }
                for code, message, index in errors
            ],
        }
    }


async def _admin(world: World, role: Role) -> Person:
    org = world.org
    scope: dict[Role, dict[str, Any]] = {
        Role.PROVINCE_ADMIN: {},
        Role.CITY_ADMIN: {"region": org.city},
        Role.COUNTY_ADMIN: {"region": org.county},
        Role.SCHOOL_ADMIN: {"school": org.school},
    }
    return await make_admin(f"admin_{role.value}", role, **scope[role])


@pytest.mark.parametrize(
    "role", [Role.PROVINCE_ADMIN, Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN]
)
async def test_an_admin_registers_teachers_of_their_scope_outside_daily_hours(
    api: Api, world: World, clock: FixedClock, role: Role
) -> None:
    # Seed 000 §二: counties register transitional learners in bulk; the dates bind, not 9–22.
    clock.set(local(2012, 4, 25, 23, 59, 59))
    admin = await _admin(world, role)
    rural = await make_person("rural", school=world.org.school, track=Track.TRANSITIONAL)

    data = await api.data(ENROLL_TEACHERS, _enroll_teachers(world, rural, world.teacher), as_=admin)

    by = {"username": admin.username}
    assert data == {
        "enrollTeachers": {
            "enrollments": [
                {"track": "TRANSITIONAL", "status": "ACTIVE", "teacher": {"username": "rural"},
                 "registeredBy": by, "batch": {"number": 5}},
                {"track": "NETWORK", "status": "ACTIVE", "teacher": {"username": "t_high_math"},
                 "registeredBy": by, "batch": {"number": 1}},
            ],
            "userErrors": [],
        }
    }  # fmt: skip


async def test_admin_registration_is_closed_outside_the_dates(
    api: Api, world: World, clock: FixedClock
) -> None:
    clock.set(local(2012, 4, 26, 0, 0, 0))
    admin = await _admin(world, Role.COUNTY_ADMIN)

    data = await api.data(ENROLL_TEACHERS, _enroll_teachers(world, world.teacher), as_=admin)

    assert data == _admin_refused(
        ("REGISTRATION_CLOSED", "注册时间为2012年04月20日至2012年04月25日", None)
    )


async def test_admin_registration_is_all_or_nothing(api: Api, world: World) -> None:
    admin = await _admin(world, Role.COUNTY_ADMIN)
    enrolled = await make_person("enrolled", school=world.org.school)
    await enroll(enrolled, world.high_math, await batch_number(world.program, 1))
    tutor = await make_person("tutor", school=world.org.school)
    await add_tutor(world.high_math, tutor)
    junior = await make_person("junior", school=world.org.school, stage=Stage.JUNIOR)
    outsider = await make_person("outsider", school=world.org.other_school)

    data = await api.data(
        ENROLL_TEACHERS,
        _enroll_teachers(world, world.teacher, enrolled, tutor, junior, outsider, world.teacher),
        as_=admin,
    )

    assert data == _admin_refused(
        ("NOT_FOUND", "找不到该教师，或不在您的管理范围内", 4),
        ("INVALID_INPUT", "教师重复", 5),
    )
    data = await api.data(
        ENROLL_TEACHERS, _enroll_teachers(world, world.teacher, enrolled, tutor, junior), as_=admin
    )
    assert data == _admin_refused(
        ("ALREADY_ENROLLED", "本阶段已报名，每人只能报名一次", 1),
        ("TUTOR_EXEMPT", "工作室辅导团队成员免予选学研修，不能作为学员报名", 2),
        ("WORKSHOP_MISMATCH", "只能选学本人学段学科（初中数学）的工作室", 3),
    )
    assert await _enrollments() == [("enrolled", "active")]


@pytest.mark.parametrize("role", [Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN])
async def test_an_admin_of_another_region_cannot_register_the_teacher(
    api: Api, world: World, role: Role
) -> None:
    org = world.org
    scope = (
        {"school": org.other_school}
        if role is Role.SCHOOL_ADMIN
        else {"region": org.other_city if role is Role.CITY_ADMIN else org.other_county}
    )
    admin = await make_admin("elsewhere", role, **scope)

    data = await api.data(ENROLL_TEACHERS, _enroll_teachers(world, world.teacher), as_=admin)

    assert data == _admin_refused(("NOT_FOUND", "找不到该教师，或不在您的管理范围内", 0))
    assert await _enrollments() == []


@pytest.mark.parametrize("who", ["teacher", "vendor_staff", "nobody"])
async def test_only_admins_register_teachers(api: Api, world: World, who: str) -> None:
    vendor = await make_vendor(world.program, "承训机构", world.org.city)
    caller = {
        "teacher": world.teacher,
        "vendor_staff": await make_admin("vendor", Role.VENDOR_STAFF, vendor=vendor),
        "nobody": None,
    }[who]

    body = await api.gql(ENROLL_TEACHERS, _enroll_teachers(world, world.teacher), as_=caller)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED" if caller is None else "FORBIDDEN"]
    assert await _enrollments() == []


# Withdrawal.


async def _withdraw(api: Api, world: World, caller: Person | None) -> dict[str, Any]:
    enrollment = await enroll(world.teacher, world.high_math, await batch_number(world.program, 1))
    return await api.gql(WITHDRAW, {"input": {"enrollmentId": gid(enrollment)}}, as_=caller)


async def test_an_admin_withdraws_and_the_enrollment_still_counts(api: Api, world: World) -> None:
    admin = await _admin(world, Role.COUNTY_ADMIN)

    body = await _withdraw(api, world, admin)

    assert body == {
        "data": {
            "withdrawEnrollment": {
                "enrollment": {"status": "WITHDRAWN", "teacher": {"username": "t_high_math"}},
                "userErrors": [],
            }
        }
    }
    data = await api.data(ENROLL, _enroll(world, world.high_math), as_=world.teacher)
    assert data == _refused("ALREADY_ENROLLED", "本阶段已报名，每人只能报名一次")
    assert await _enrollments() == [("t_high_math", EnrollmentStatus.WITHDRAWN.value)]


async def test_an_admin_of_another_city_cannot_withdraw(api: Api, world: World) -> None:
    admin = await make_admin("elsewhere", Role.CITY_ADMIN, region=world.org.other_city)

    body = await _withdraw(api, world, admin)

    assert body == {
        "data": {
            "withdrawEnrollment": {
                "enrollment": None,
                "userErrors": [
                    {"code": "NOT_FOUND", "field": ["input", "enrollmentId"],
                     "message": "找不到该报名记录"}
                ],
            }
        }
    }  # fmt: skip
    assert await _enrollments() == [("t_high_math", "active")]


@pytest.mark.parametrize("who", ["trainee", "nobody"])
async def test_only_admins_withdraw(api: Api, world: World, who: str) -> None:
    body = await _withdraw(api, world, world.teacher if who == "trainee" else None)

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN" if who == "trainee" else "UNAUTHENTICATED"]
    assert await _enrollments() == [("t_high_math", "active")]
