"""Group registration (集体报名, seed 001 §七(二)) over HTTP: the school submits, the county
returns with a reason or approves (enrolling through R3–R7, each refusal kept per teacher), the
city sees the counts; each step keeps who and when."""

from typing import Any

import pytest

from lms_plugin.storage.enums import PhaseKind, Role
from lms_plugin.storage.models import Enrollment, GroupRegistration, Person, Program, ProgramPhase

from .api import Api, error_codes, refused
from .factories import (
    Org,
    add_tutor,
    gid,
    make_admin,
    make_org,
    make_person,
    make_workshop,
    reference_program,
)

FIELDS = """
  status returnReason enrolledCount refusedCount
  school { code }
  entries(first: 100) { nodes { teacher { username } enrolled refusalCode refusalMessage } }
  steps { status by { username } at reason }
"""
SUBMIT = f"""
mutation ($input: SubmitGroupRegistrationInput!) {{
  submitGroupRegistration(input: $input) {{
    registration {{ id {FIELDS} }} userErrors {{ code field message }}
  }}
}}"""
RETURN = f"""
mutation ($input: ReturnGroupRegistrationInput!) {{
  returnGroupRegistration(input: $input) {{
    registration {{ {FIELDS} }} userErrors {{ code field message }}
  }}
}}"""
APPROVE = f"""
mutation ($input: ApproveGroupRegistrationInput!) {{
  approveGroupRegistration(input: $input) {{
    registration {{ {FIELDS} }} userErrors {{ code field message }}
  }}
}}"""
COUNTS = """
query ($program: ID!) {
  groupRegistrationCounts(programId: $program) {
    county { code } status schools teachers enrolled
  }
  groupRegistrations(programId: $program) { nodes { school { code } status } }
}"""
AT = "2012-04-20T10:00:00+08:00"


class World:
    org: Org
    program: Program
    school_admin: Person
    other_school_admin: Person
    county: Person
    other_county: Person
    city: Person
    teachers: list[Person]


@pytest.fixture
async def world(db: str) -> World:
    w = World()
    w.org = await make_org()
    w.program = await reference_program()
    leader = await make_person("leader", school=w.org.other_school)
    workshop = await make_workshop(w.program, leader)
    w.school_admin = await make_admin("school", Role.SCHOOL_ADMIN, school=w.org.school)
    w.other_school_admin = await make_admin("school2", Role.SCHOOL_ADMIN, school=w.org.other_school)
    w.county = await make_admin("county", Role.COUNTY_ADMIN, region=w.org.county)
    w.other_county = await make_admin("county2", Role.COUNTY_ADMIN, region=w.org.other_county)
    w.city = await make_admin("city", Role.CITY_ADMIN, region=w.org.city)
    w.teachers = [
        await make_person("maths1", school=w.org.school),
        await make_person("maths2", school=w.org.school),
        await make_person("physics", school=w.org.school, subject="物理"),
        await make_person("tutor", school=w.org.school),
    ]
    await add_tutor(workshop, w.teachers[3])
    return w


def step(status: str, by: str, reason: str | None = None) -> dict[str, Any]:
    return {"status": status, "by": {"username": by}, "at": AT, "reason": reason}


def entry(
    username: str, enrolled: bool = False, code: str | None = None, message: str | None = None
) -> dict[str, Any]:
    return {
        "teacher": {"username": username},
        "enrolled": enrolled,
        "refusalCode": code,
        "refusalMessage": message,
    }


NO_WORKSHOP = "本项目没有该教师学段学科的工作室"
EXEMPT = "工作室辅导团队成员免予选学研修，不能作为学员报名"


async def submit(api: Api, world: World, who: Person | None, **extra: Any) -> Any:
    variables = {"programId": gid(world.program), "schoolId": gid(world.org.school)} | extra
    return await api.gql(SUBMIT, {"input": variables}, as_=who)


async def test_submitted_returned_resubmitted_approved(api: Api, world: World) -> None:
    maths1, maths2, *_ = world.teachers
    body = await submit(api, world, world.school_admin, teacherIds=[gid(maths1)])
    registration = body["data"]["submitGroupRegistration"]["registration"]
    registration_id = registration.pop("id")
    assert registration == {
        "status": "PENDING", "returnReason": None, "enrolledCount": 0, "refusedCount": 0,
        "school": {"code": "3601020001"}, "entries": {"nodes": [entry("maths1")]},
        "steps": [step("PENDING", "school")],
    }  # fmt: skip
    body = await api.gql(
        RETURN,
        {"input": {"registrationId": registration_id, "reason": "名单不全，请报全校教师"}},
        as_=world.county,
    )
    assert body["data"]["returnGroupRegistration"]["registration"]["steps"] == [
        step("PENDING", "school"),
        step("RETURNED", "county", "名单不全，请报全校教师"),
    ]
    # Resubmitted with every teacher the school has (none named).
    body = await submit(api, world, world.school_admin)
    assert body["data"]["submitGroupRegistration"]["registration"]["status"] == "PENDING"
    body = await api.gql(APPROVE, {"input": {"registrationId": registration_id}}, as_=world.county)
    assert body == {
        "data": {
            "approveGroupRegistration": {
                "registration": {
                    "status": "APPROVED", "returnReason": None, "enrolledCount": 2,
                    "refusedCount": 2, "school": {"code": "3601020001"},
                    "entries": {"nodes": [
                        entry("maths1", enrolled=True),
                        entry("maths2", enrolled=True),
                        entry("physics", code="NO_BATCH_FOR_SUBJECT", message=NO_WORKSHOP),
                        entry("tutor", code="TUTOR_EXEMPT", message=EXEMPT),
                    ]},
                    "steps": [
                        step("PENDING", "school"),
                        step("RETURNED", "county", "名单不全，请报全校教师"),
                        step("PENDING", "school"),
                        step("APPROVED", "county"),
                    ],
                },
                "userErrors": [],
            }
        }
    }  # fmt: skip
    enrolled = await Enrollment.filter(program_id=world.program.id).values_list(
        "teacher_id", "registered_by_id"
    )
    assert sorted(enrolled) == [(maths1.id, world.county.id), (maths2.id, world.county.id)]
    # Approved once: neither approved again nor resubmitted.
    assert await api.gql(
        APPROVE, {"input": {"registrationId": registration_id}}, as_=world.county
    ) == {"data": {"approveGroupRegistration": refused(
        "registration", "NOT_PENDING", "该集体报名不在待审核状态", "registrationId"
    )}}  # fmt: skip
    body = await submit(api, world, world.school_admin)
    assert body["data"]["submitGroupRegistration"] == refused(
        "registration", "NOT_PENDING", "本校的集体报名已审核通过，不能再提交", "schoolId"
    )
    # The city sees its counties' counts; another county sees nothing of it.
    counts = {"program": gid(world.program)}
    assert await api.gql(COUNTS, counts, as_=world.city) == {
        "data": {
            "groupRegistrationCounts": [
                {"county": {"code": "360102"}, "status": "APPROVED", "schools": 1, "teachers": 4,
                 "enrolled": 2}
            ],
            "groupRegistrations": {
                "nodes": [{"school": {"code": "3601020001"}, "status": "APPROVED"}]
            },
        }
    }  # fmt: skip
    assert await api.gql(COUNTS, counts, as_=world.other_county) == {
        "data": {"groupRegistrationCounts": [], "groupRegistrations": {"nodes": []}}
    }


async def test_submitting_is_for_the_schools_own_admin(api: Api, world: World) -> None:
    assert error_codes(await submit(api, world, None)) == ["UNAUTHENTICATED"]
    assert error_codes(await submit(api, world, world.county)) == ["FORBIDDEN"]
    body = await submit(api, world, world.other_school_admin)
    assert body["data"]["submitGroupRegistration"] == refused(
        "registration", "NOT_FOUND", "找不到该学校，或不是你管理的学校", "schoolId"
    )
    leader = await Person.get(username="leader")  # a teacher of the other school
    body = await submit(api, world, world.school_admin, teacherIds=[gid(leader)])
    assert body["data"]["submitGroupRegistration"] == refused(
        "registration", "NOT_FOUND", "找不到该教师，或不是本校教师", "teacherIds", "0"
    )
    assert await GroupRegistration.all().count() == 0


async def test_reviewing_is_for_the_schools_county(api: Api, world: World) -> None:
    body = await submit(api, world, world.school_admin)
    registration_id = body["data"]["submitGroupRegistration"]["registration"]["id"]
    approve = {"input": {"registrationId": registration_id}}
    back = {"input": {"registrationId": registration_id, "reason": "请改正"}}
    assert error_codes(await api.gql(APPROVE, approve, as_=None)) == ["UNAUTHENTICATED"]
    assert error_codes(await api.gql(APPROVE, approve, as_=world.school_admin)) == ["FORBIDDEN"]
    assert error_codes(await api.gql(RETURN, back, as_=world.city)) == ["FORBIDDEN"]
    not_found = refused("registration", "NOT_FOUND", "找不到该集体报名", "registrationId")
    assert await api.gql(APPROVE, approve, as_=world.other_county) == {
        "data": {"approveGroupRegistration": not_found}
    }
    assert await api.gql(RETURN, back, as_=world.other_county) == {
        "data": {"returnGroupRegistration": not_found}
    }
    blank = {"input": {"registrationId": registration_id, "reason": "  "}}
    body = await api.gql(RETURN, blank, as_=world.county)
    assert body["data"]["returnGroupRegistration"] == refused(
        "registration", "INVALID_INPUT", "退回原因须为1至500个字", "reason"
    )
    assert await Enrollment.all().count() == 0
    assert (await GroupRegistration.get()).status == "pending"


async def test_approval_outside_the_registration_dates_enrolls_no_one(
    api: Api, world: World
) -> None:
    body = await submit(api, world, world.school_admin)
    registration_id = body["data"]["submitGroupRegistration"]["registration"]["id"]
    await ProgramPhase.filter(program_id=world.program.id, kind=PhaseKind.REGISTRATION).update(
        ends_on="2012-04-19"
    )
    body = await api.gql(APPROVE, {"input": {"registrationId": registration_id}}, as_=world.county)
    assert [e["code"] for e in body["data"]["approveGroupRegistration"]["userErrors"]] == [
        "REGISTRATION_CLOSED"
    ]
    assert await Enrollment.all().count() == 0
