"""Programs set up through the API for the assessment scenarios (issue 7): the program, its
batch, its policies and courses by mutations; workshops and enrollments with the factories
(their own tests go through the API); a trainee's records as the timer, tutors and forums
leave them."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lms_plugin.storage.enums import GradeLevel, Role, SubmissionStatus, Track
from lms_plugin.storage.models import (
    Assignment,
    Batch,
    DiscussionPost,
    DiscussionTopic,
    Enrollment,
    Person,
    Program,
    Submission,
    Workshop,
)

from .api import Api
from .factories import Org, add_tutor, enroll, gid, make_admin, make_org, make_person, make_workshop

UPDATE_ASSESSMENT = """
mutation ($input: UpdateAssessmentPolicyInput!) {
  updateAssessmentPolicy(input: $input) { userErrors { code field message } }
}"""
UPDATE_HOURS = """
mutation ($input: UpdateHourPolicyInput!) {
  updateHourPolicy(input: $input) { userErrors { code field message } }
}"""
CREATE_PROGRAM = """
mutation ($input: CreateProgramInput!) {
  createProgram(input: $input) { program { id } userErrors { code field message } }
}"""
CREATE_BATCH = """
mutation ($input: CreateBatchInput!) {
  createBatch(input: $input) { batch { id } userErrors { code field message } }
}"""
SET_PHASES = """
mutation ($input: SetProgramPhasesInput!) {
  setProgramPhases(input: $input) { userErrors { code field message } }
}"""
CREATE_COURSE = """
mutation ($input: CreateCourseInput!) {
  createCourse(input: $input) { course { name } userErrors { code field message } }
}"""
COMPUTE = """
mutation ($input: ComputeAssessmentResultsInput!) {
  computeAssessmentResults(input: $input) {
    summary { counts { outcome count } changed }
    userErrors { code field message }
  }
}"""
RECORD_EXAM = """
mutation ($input: RecordExamResultInput!) {
  recordExamResult(input: $input) {
    examResult { kind score }
    userErrors { code field message }
  }
}"""
MAKE_UP = """
mutation ($input: EnrollMakeUpInput!) {
  enrollMakeUp(input: $input) { enrollment { makeUp } userErrors { code field message } }
}"""
RESULT = """
query ($id: ID!) { node(id: $id) { ... on Enrollment {
  result { outcome score explanation makeUp
           components { kind required has score missing }
           history { outcomeBefore outcome score } } } } }"""
MY_CERTIFICATES = """
{ myCertificates { year hours credits outcome grade makeUp issuer holderName code } }"""


def ok(data: dict[str, Any]) -> dict[str, Any]:
    """The one payload of a mutation's data, which must have no user errors."""
    [payload] = data.values()
    assert payload["userErrors"] == [], payload
    result: dict[str, Any] = payload
    return result


@dataclass
class Scene:
    api: Api
    org: Org
    admin: Person
    county: Person
    leader: Person

    async def program(
        self,
        name: str,
        year: str,
        starts_on: dt.date,
        *,
        assessment: dict[str, Any],
        hours: dict[str, int] | None = None,
    ) -> tuple[Program, Batch, Workshop]:
        """A program with one network batch of 10 days from `starts_on` (high-school maths),
        its ASSESSMENT phase from 20 to 30 days after it (set by setProgramPhases), and a
        workshop."""
        created = ok(
            await self.api.data(
                CREATE_PROGRAM,
                {
                    "input": {
                        "name": name,
                        "year": year,
                        "registrationStartsOn": str(starts_on - dt.timedelta(days=7)),
                        "registrationEndsOn": str(starts_on - dt.timedelta(days=1)),
                    }
                },
                as_=self.admin,
            )
        )
        program_id = created["program"]["id"]
        ok(
            await self.api.data(
                CREATE_BATCH,
                {
                    "input": {
                        "programId": program_id,
                        "number": 1,
                        "name": "第一批",
                        "startsOn": str(starts_on),
                        "endsOn": str(starts_on + dt.timedelta(days=9)),
                        "subjects": [{"stage": "HIGH", "subject": "数学"}],
                    }
                },
                as_=self.admin,
            )
        )
        phases = [
            ("REGISTRATION", starts_on - dt.timedelta(days=7), starts_on - dt.timedelta(days=1)),
            ("ASSESSMENT", starts_on + dt.timedelta(days=20), starts_on + dt.timedelta(days=30)),
        ]
        ok(
            await self.api.data(
                SET_PHASES,
                {
                    "input": {
                        "programId": program_id,
                        "phases": [
                            {"kind": kind, "startsOn": str(first), "endsOn": str(last)}
                            for kind, first, last in phases
                        ],
                    }
                },
                as_=self.admin,
            )
        )
        ok(
            await self.api.data(
                UPDATE_ASSESSMENT,
                {"input": {"programId": program_id, **assessment}},
                as_=self.admin,
            )
        )
        if hours:
            ok(
                await self.api.data(
                    UPDATE_HOURS, {"input": {"programId": program_id, **hours}}, as_=self.admin
                )
            )
        program = await Program.get(name=name)
        workshop = await make_workshop(program, self.leader)
        return program, await Batch.get(program_id=program.id), workshop

    async def course(self, program: Program, name: str, hours: int, *, required: bool) -> None:
        ok(
            await self.api.data(
                CREATE_COURSE,
                {
                    "input": {
                        "programId": gid(program),
                        "name": name,
                        "category": "PUBLIC" if required else "PROFESSIONAL",
                        "hours": hours,
                        "required": required,
                    }
                },
                as_=self.admin,
            )
        )

    async def trainee(
        self, workshop: Workshop, batch: Batch, name: str, **profile: Any
    ) -> Enrollment:
        person = await Person.get_or_none(username=name) or await make_person(
            name, school=self.org.school, real_name=name, **profile
        )
        return await enroll(person, workshop, batch, track=profile.get("track", Track.NETWORK))

    async def tutor(self, workshop: Workshop, name: str) -> Person:
        person = await make_person(name, school=self.org.school, real_name=name)
        await add_tutor(workshop, person)
        return person

    async def exam(self, enrollment: Enrollment, kind: str, score: int | None) -> None:
        ok(
            await self.api.data(
                RECORD_EXAM,
                {"input": {"enrollmentId": gid(enrollment), "kind": kind, "score": score}},
                as_=self.county,
            )
        )

    async def compute(self, program: Program) -> dict[str, Any]:
        return ok(
            await self.api.data(COMPUTE, {"input": {"programId": gid(program)}}, as_=self.admin)
        )["summary"]

    async def result(self, enrollment: Enrollment) -> dict[str, Any]:
        data = await self.api.data(RESULT, {"id": gid(enrollment)}, as_=self.admin)
        found: dict[str, Any] = data["node"]["result"]
        return found

    async def certificates(self, enrollment: Enrollment) -> list[dict[str, Any]]:
        teacher = await Person.get(id=enrollment.teacher_id)
        data = await self.api.data(MY_CERTIFICATES, as_=teacher)
        found: list[dict[str, Any]] = data["myCertificates"]
        return found


async def make_scene(api: Api) -> Scene:
    org = await make_org()
    return Scene(
        api=api,
        org=org,
        admin=await make_admin("province", Role.PROVINCE_ADMIN),
        county=await make_admin("county", Role.COUNTY_ADMIN, region=org.county),
        leader=await make_person("leader", school=org.school, real_name="王名师"),
    )


async def studied(enrollment: Enrollment, *, online_hours: float, offline_hours: float) -> None:
    """The counted time the study timer and the confirmed offline logs leave."""
    await Enrollment.filter(id=enrollment.id).update(
        online_seconds=int(online_hours * 3600), offline_minutes=int(offline_hours * 60)
    )


async def graded(enrollment: Enrollment, *levels: GradeLevel) -> None:
    """Homework graded by the class tutor, one assignment each."""
    teacher = await Person.get(id=enrollment.teacher_id)
    for n, level in enumerate(levels):
        assignment = await Assignment.create(
            workshop_id=enrollment.workshop_id,
            title=f"作业{n + 1}-{teacher.username}",
            instructions="",
            due_at=dt.datetime(2012, 5, 8, tzinfo=dt.UTC),
            created_by_id=teacher.id,
            created_at=dt.datetime(2012, 4, 27, tzinfo=dt.UTC),
        )
        await Submission.create(
            assignment_id=assignment.id,
            enrollment_id=enrollment.id,
            text="作业",
            status=SubmissionStatus.GRADED,
            submitted_at=dt.datetime(2012, 5, 1, tzinfo=dt.UTC),
            score=80,
            level=level,
        )


async def posted(enrollment: Enrollment, posts: int) -> None:
    """Posts in the workshop's forum (研讨)."""
    topic = await DiscussionTopic.create(
        workshop_id=enrollment.workshop_id,
        author_id=enrollment.teacher_id,
        title="研讨",
        body="研讨",
        created_at=dt.datetime(2012, 5, 1, tzinfo=dt.UTC),
    )
    for _ in range(posts):
        await DiscussionPost.create(
            topic_id=topic.id,
            author_id=enrollment.teacher_id,
            enrollment_id=enrollment.id,
            body="发言",
            created_at=dt.datetime(2012, 5, 1, tzinfo=dt.UTC),
        )
