"""A high-school maths workshop of batch 1 (4/27–5/8, 2012) for the homework tests (R1, R10)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.schema.ids import encode_id
from lms_plugin.storage.enums import Role, Stage
from lms_plugin.storage.models import Assignment, Batch, Person, Program, TrainingClass, Workshop

from .api import Api
from .conftest import local
from .factories import (
    Org,
    add_tutor,
    batch_number,
    enroll,
    make_admin,
    make_class,
    make_org,
    make_person,
    make_vendor,
    make_workshop,
    reference_program,
)

OPENS = local(2012, 4, 27, 0, 0)
LAST_SECOND = local(2012, 5, 8, 23, 59, 59)
CLOSED = local(2012, 5, 9, 0, 0)
IN_WINDOW = local(2012, 4, 28, 10, 0)
DUE = local(2012, 5, 8, 23, 59, 59)


@dataclass
class World:
    org: Org
    program: Program
    batch: Batch
    workshop: Workshop
    leader: Person
    tutor: Person
    other_tutor: Person
    training_class: TrainingClass
    other_class: TrainingClass
    trainee: Person
    classmate: Person
    other_class_trainee: Person
    outsider: Person
    other_leader: Person
    province_admin: Person
    assignment: Assignment

    @property
    def assignment_id(self) -> str:
        return gid(self.assignment)

    def person(self, name: str) -> Person | None:
        """A role of the tests by name; "nobody" is a request without a token."""
        return None if name == "nobody" else getattr(self, name)  # type: ignore[no-any-return]


def gid(row: Any) -> str:
    return str(encode_id(type(row).__name__, row.pk))


async def make_world() -> World:
    """Leader 王名师, tutors 李辅导 (一班) and 赵辅导 (二班), trainees in both classes, and a
    teacher of the junior-high maths workshop (batch 2) as an outsider."""
    org = await make_org()
    program = await reference_program()
    batch = await batch_number(program, 1)
    leader = await make_person("leader", school=org.school, real_name="王名师")
    tutor = await make_person("tutor", school=org.school, real_name="李辅导")
    other_tutor = await make_person("tutor2", school=org.school, real_name="赵辅导")
    workshop = await make_workshop(program, leader)
    await add_tutor(workshop, tutor)
    await add_tutor(workshop, other_tutor)
    training_class = await make_class(workshop, tutor, "一班")
    other_class = await make_class(workshop, other_tutor, "二班")
    trainee = await make_person("trainee", school=org.school, real_name="张学员")
    classmate = await make_person("classmate", school=org.school, real_name="陈学员")
    other_class_trainee = await make_person("trainee2", school=org.other_school, real_name="刘学员")
    await enroll(trainee, workshop, batch, training_class=training_class)
    await enroll(classmate, workshop, batch, training_class=training_class)
    await enroll(other_class_trainee, workshop, batch, training_class=other_class)
    other_leader = await make_person(
        "leader2", school=org.school, stage=Stage.JUNIOR, real_name="孙名师"
    )
    junior = await make_workshop(program, other_leader, stage=Stage.JUNIOR)
    outsider = await make_person("outsider", school=org.school, stage=Stage.JUNIOR)
    await enroll(outsider, junior, await batch_number(program, 2))
    province_admin = await make_admin("province", Role.PROVINCE_ADMIN, region=org.province)
    province_admin.real_name = "省培训中心"
    await province_admin.save()
    assignment = await Assignment.create(
        workshop_id=workshop.id,
        title="教学设计",
        instructions="提交一份函数单元的教学设计",
        due_at=DUE,
        created_by_id=leader.id,
        created_at=local(2012, 4, 20, 9, 0),
    )
    return World(
        org=org,
        program=program,
        batch=batch,
        workshop=workshop,
        leader=leader,
        tutor=tutor,
        other_tutor=other_tutor,
        training_class=training_class,
        other_class=other_class,
        trainee=trainee,
        classmate=classmate,
        other_class_trainee=other_class_trainee,
        outsider=outsider,
        other_leader=other_leader,
        province_admin=province_admin,
        assignment=assignment,
    )


async def vendor_staff(world: World, username: str, *cities: Any) -> Person:
    vendor = await make_vendor(world.program, f"{username}公司", *cities)
    return await make_admin(username, Role.VENDOR_STAFF, vendor=vendor)


SUBMISSION = """
  id version status text submittedAt score level comment gradedAt
  attachments { filename }
  gradedBy { realName }
  trainee { realName }
  trainingClass { name }
  assignment { title }
  revisions { version text submittedAt returnComment attachments { filename } }
  recommendedTo
"""

SUBMIT = f"""
mutation ($input: SubmitHomeworkInput!) {{
  submitHomework(input: $input) {{
    submission {{ {SUBMISSION} }}
    userErrors {{ code field message }}
  }}
}}"""

RETURN = f"""
mutation ($input: ReturnSubmissionInput!) {{
  returnSubmission(input: $input) {{
    submission {{ {SUBMISSION} }}
    userErrors {{ code field message }}
  }}
}}"""

GRADE = f"""
mutation ($input: GradeSubmissionInput!) {{
  gradeSubmission(input: $input) {{
    submission {{ {SUBMISSION} }}
    userErrors {{ code field message }}
  }}
}}"""

RECOMMEND = """
mutation ($input: RecommendSubmissionInput!) {
  recommendSubmission(input: $input) {
    recommendation { level active recommendedAt recommendedBy { realName }
                     withdrawnAt withdrawnBy { realName } submission { recommendedTo } }
    userErrors { code field message }
  }
}"""

WITHDRAW = """
mutation ($input: WithdrawRecommendationInput!) {
  withdrawRecommendation(input: $input) {
    submission { recommendedTo }
    withdrawn { level active recommendedBy { realName } withdrawnAt withdrawnBy { realName } }
    userErrors { code field message }
  }
}"""


def first_version(text: str = "函数单元教学设计（第一稿）") -> dict[str, Any]:
    """A whole submission as the API shows it: the first version, submitted at IN_WINDOW."""
    return {
        "version": 1,
        "status": "SUBMITTED",
        "text": text,
        "submittedAt": utc(IN_WINDOW),
        "score": None,
        "level": None,
        "comment": "",
        "gradedAt": None,
        "attachments": [],
        "gradedBy": None,
        "trainee": {"realName": "张学员"},
        "trainingClass": {"name": "一班"},
        "assignment": {"title": "教学设计"},
        "revisions": [],
        "recommendedTo": None,
    }


async def submit(
    api: Api,
    as_: Person | None,
    world: World,
    text: str = "函数单元教学设计（第一稿）",
    attachment_ids: tuple[str, ...] = (),
) -> dict[str, Any]:
    variables = {
        "input": {
            "assignmentId": world.assignment_id,
            "text": text,
            "attachmentIds": list(attachment_ids),
        }
    }
    return await api.gql(SUBMIT, variables, as_=as_)


async def submitted_id(api: Api, clock: FixedClock, world: World, as_: Person | None = None) -> str:
    """A submission by the trainee (or `as_`) inside the window; the clock stays at IN_WINDOW."""
    clock.set(IN_WINDOW)
    body = await submit(api, as_ or world.trainee, world)
    submission_id: str = body["data"]["submitHomework"]["submission"]["id"]
    return submission_id


async def grade(
    api: Api,
    as_: Person | None,
    submission_id: str,
    score: int = 95,
    level: str = "EXCELLENT",
    comment: str = "设计完整，目标清晰",
) -> dict[str, Any]:
    variables = {
        "input": {
            "submissionId": submission_id,
            "score": score,
            "level": level,
            "comment": comment,
        }
    }
    return await api.gql(GRADE, variables, as_=as_)


async def recommend(api: Api, as_: Person | None, submission_id: str, level: str) -> dict[str, Any]:
    variables = {"input": {"submissionId": submission_id, "level": level}}
    return await api.gql(RECOMMEND, variables, as_=as_)


async def withdraw(api: Api, as_: Person | None, submission_id: str, level: str) -> dict[str, Any]:
    variables = {"input": {"submissionId": submission_id, "level": level}}
    return await api.gql(WITHDRAW, variables, as_=as_)


def utc(at: dt.datetime) -> str:
    """How the API shows a stored instant: UTC with its offset."""
    return at.astimezone(dt.UTC).isoformat()


def refused(field: str, code: str, message: str, *path: str) -> dict[str, Any]:
    """A payload `field` refused with one user error."""
    return {
        field: None,
        "userErrors": [
            {"code": code, "field": ["input", *path] if path else None, "message": message}
        ],
    }


def top_level_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]
