"""A high-school maths workshop of batch 1 (4/27–5/8, 2012) for the homework tests (R1, R10)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import Role, Stage
from lms_plugin.storage.models import Assignment, Person

from .api import Api
from .conftest import local
from .factories import (
    Classes,
    batch_number,
    enroll,
    gid,
    make_admin,
    make_assignment,
    make_classes,
    make_person,
    make_vendor,
    make_workshop,
)

OPENS = local(2012, 4, 27, 0, 0)
LAST_SECOND = local(2012, 5, 8, 23, 59, 59)
CLOSED = local(2012, 5, 9, 0, 0)
IN_WINDOW = local(2012, 4, 28, 10, 0)
DUE = local(2012, 5, 8, 23, 59, 59)


@dataclass
class World(Classes):
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


async def make_world() -> World:
    """Trainees in both classes, and a teacher of the junior-high maths workshop (batch 2) as an
    outsider."""
    classes = await make_classes()
    org, program, workshop, batch = classes.org, classes.program, classes.workshop, classes.batch
    trainee = await make_person("trainee", school=org.school, real_name="张学员")
    classmate = await make_person("classmate", school=org.school, real_name="陈学员")
    other_class_trainee = await make_person("trainee2", school=org.other_school, real_name="刘学员")
    await enroll(trainee, workshop, batch, training_class=classes.training_class)
    await enroll(classmate, workshop, batch, training_class=classes.training_class)
    await enroll(other_class_trainee, workshop, batch, training_class=classes.other_class)
    other_leader = await make_person(
        "leader2", school=org.school, stage=Stage.JUNIOR, real_name="孙名师"
    )
    junior = await make_workshop(program, other_leader, stage=Stage.JUNIOR)
    outsider = await make_person("outsider", school=org.school, stage=Stage.JUNIOR)
    await enroll(outsider, junior, await batch_number(program, 2))
    province_admin = await make_admin("province", Role.PROVINCE_ADMIN, region=org.province)
    province_admin.real_name = "省培训中心"
    await province_admin.save()
    assignment = await make_assignment(
        workshop,
        classes.leader,
        "教学设计",
        instructions="提交一份函数单元的教学设计",
        due_at=DUE,
        created_at=local(2012, 4, 20, 9, 0),
    )
    return World(
        **vars(classes),
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
        "submittedAt": shown(IN_WINDOW),
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


def graded_version() -> dict[str, Any]:
    """The first version as its tutor grades it with `grade`'s defaults, the clock at IN_WINDOW."""
    return {
        **first_version(),
        "status": "GRADED",
        "score": 95,
        "level": "EXCELLENT",
        "comment": "设计完整，目标清晰",
        "gradedAt": shown(IN_WINDOW),
        "gradedBy": {"realName": "李辅导"},
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


SHANGHAI = ZoneInfo("Asia/Shanghai")


def shown(at: dt.datetime) -> str:
    """How the API shows an instant: with the display time zone's offset (Asia/Shanghai)."""
    return at.astimezone(SHANGHAI).isoformat()
