"""Programs set up through the API for the assessment scenarios (issue 7): the program, its
batch, phases, policies, courses, workshop, topic, class and tutors, the teachers, their
registration, study (heartbeats with the fixed clock advanced, offline hours confirmed),
homework submitted and graded, posts, exams and results, all by mutations with tokens."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import GradeLevel, PhaseKind, Role, SubmissionStatus
from lms_plugin.storage.models import (
    Batch,
    Course,
    Enrollment,
    Person,
    Program,
    ProgramPhase,
    Workshop,
)

from .api import Api
from .conftest import SHANGHAI
from .factories import (
    Org,
    gid,
    make_admin,
    make_assignment,
    make_org,
    make_submission,
    next_number,
    open_topic,
    post,
    synthetic_identity,
)

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


# The mutations whose input type is not named after them.
_INPUT_TYPES = {"addTutorTeamMember": "TutorTeamMemberInput"}


def _mutation(name: str, selection: str) -> str:
    input_type = _INPUT_TYPES.get(name, name[0].upper() + name[1:] + "Input")
    return (
        f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ {selection} "
        "userErrors { code field message } } }"
    )


UPDATE_ASSESSMENT = _mutation("updateAssessmentPolicy", "")


async def call(api: Api, name: str, selection: str, values: dict[str, Any], as_: Person) -> Any:
    """The mutation's payload, which must have no user errors."""
    return ok(await api.data(_mutation(name, selection), {"input": values}, as_=as_))


# The heartbeat gap a scenario's admin allows (an hour): the timer counts it beat by beat, and
# a scenario walks tens of hours without thousands of requests.
BEAT_SECONDS = 3600
EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass
class Classroom:
    """What a scenario's workshop has beside it: its topic, its class and the class tutor."""

    topic_id: str
    class_id: str
    tutor: Person
    discussion_id: str | None = None


@dataclass
class Scene:
    """A province (regions, a school, the province and county admins and a workshop leader, as
    `load-regions` and `create-admin` bootstrap them); everything else goes through the API
    with tokens, at the instants the fixed clock is set to."""

    api: Api
    org: Org
    admin: Person
    county: Person
    leader: Person
    rooms: dict[int, Classroom] = field(default_factory=dict)
    # Where each enrollment's last study session ended: the next one starts after it.
    studied_until: dict[int, dt.datetime] = field(default_factory=dict)

    async def call(self, name: str, selection: str, values: dict[str, Any], as_: Person) -> Any:
        return await call(self.api, name, selection, values, as_)

    @contextmanager
    def at(self, instant: dt.datetime) -> Iterator[None]:
        """The clock at `instant` for the block, then back where the scenario had it."""
        clock = self.api.clock
        assert isinstance(clock, FixedClock)
        before = clock.now()
        clock.set(instant)
        try:
            yield
        finally:
            clock.set(before)

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
        its REGISTRATION phase the week before, its ASSESSMENT phase from 20 to 30 days after
        it, a workshop with a topic, and a class whose tutor is on the tutor team."""
        created = await self.call(
            "createProgram",
            "program { id }",
            {
                "name": name,
                "year": year,
                "registrationStartsOn": str(starts_on - dt.timedelta(days=7)),
                "registrationEndsOn": str(starts_on - dt.timedelta(days=1)),
            },
            self.admin,
        )
        program_id = created["program"]["id"]
        await self.call(
            "createBatch",
            "batch { id }",
            {
                "programId": program_id,
                "number": 1,
                "name": "第一批",
                "startsOn": str(starts_on),
                "endsOn": str(starts_on + dt.timedelta(days=9)),
                "subjects": [{"stage": "HIGH", "subject": "数学"}],
            },
            self.admin,
        )
        phases = [
            ("REGISTRATION", starts_on - dt.timedelta(days=7), starts_on - dt.timedelta(days=1)),
            ("ASSESSMENT", starts_on + dt.timedelta(days=20), starts_on + dt.timedelta(days=30)),
        ]
        await self.call(
            "setProgramPhases",
            "",
            {
                "programId": program_id,
                "phases": [
                    {"kind": kind, "startsOn": str(first), "endsOn": str(last)}
                    for kind, first, last in phases
                ],
            },
            self.admin,
        )
        await self.call(
            "updateAssessmentPolicy",
            "",
            {"programId": program_id, **assessment},
            self.admin,
        )
        await self.call(
            "updateStudyTimerPolicy",
            "",
            {"programId": program_id, "heartbeatMaxGapSeconds": BEAT_SECONDS},
            self.admin,
        )
        if hours:
            await self.call("updateHourPolicy", "", {"programId": program_id, **hours}, self.admin)
        made = await self.call(
            "createWorkshop",
            "workshop { id }",
            {
                "programId": program_id,
                "name": f"{name}高中数学工作室",
                "stage": "HIGH",
                "subject": "数学",
                "leaderId": gid(self.leader),
            },
            self.admin,
        )
        workshop_id = made["workshop"]["id"]
        topic = await self.call(
            "createTopic",
            "topic { id }",
            {"workshopId": workshop_id, "title": "函数教学"},
            self.leader,
        )
        tutor = await self.tutor_of(workshop_id, f"辅导{year}")
        room = await self.call(
            "createClass",
            "trainingClass { id }",
            {"workshopId": workshop_id, "name": "一班", "tutorId": gid(tutor)},
            self.leader,
        )
        program = await Program.get(name=name)
        workshop = await Workshop.get(program_id=program.id)
        self.rooms[workshop.id] = Classroom(
            topic["topic"]["id"], room["trainingClass"]["id"], tutor
        )
        return program, await Batch.get(program_id=program.id), workshop

    async def course(self, program: Program, name: str, hours: int, *, required: bool) -> None:
        await self.call(
            "createCourse",
            "course { name }",
            {
                "programId": gid(program),
                "name": name,
                "category": "PUBLIC" if required else "PROFESSIONAL",
                "hours": hours,
                "required": required,
            },
            self.admin,
        )

    async def person(self, name: str, **profile: Any) -> Person:
        """A teacher of the school, created by the county admin (or the one of that name)."""
        found = await Person.get_or_none(username=name)
        if found is not None:
            return found
        id_number, mobile = synthetic_identity(next_number())
        values = {
            "username": name,
            "realName": name,
            "idNumber": id_number,
            "mobile": mobile,
            "schoolId": gid(self.org.school),
            "stage": "HIGH",
            "subject": "数学",
            **{key: getattr(value, "name", value) for key, value in profile.items()},
        }
        await self.call("createPerson", "person { id }", values, self.county)
        return await Person.get(username=name)

    async def tutor_of(self, workshop_id: str, name: str) -> Person:
        person = await self.person(name)
        await self.call(
            "addTutorTeamMember",
            "workshop { id }",
            {"workshopId": workshop_id, "personId": gid(person)},
            self.leader,
        )
        return person

    async def tutor(self, workshop: Workshop, name: str) -> Person:
        """One more member of the workshop's tutor team (EXEMPT, R7)."""
        return await self.tutor_of(gid(workshop), name)

    async def trainee(
        self, workshop: Workshop, batch: Batch, name: str, **profile: Any
    ) -> Enrollment:
        """The teacher, registered by the county admin while registration is open and put in
        the workshop's class by its leader."""
        person = await self.person(name, **profile)
        registration = await ProgramPhase.get(
            program_id=batch.program_id, kind=PhaseKind.REGISTRATION
        )
        with self.at(local_time(registration.starts_on, 10)):
            enrolled = await self.call(
                "enrollTeachers",
                "enrollments { id }",
                {
                    "programId": gid(await Program.get(id=batch.program_id)),
                    "teacherIds": [gid(person)],
                    "workshopId": gid(workshop),
                },
                self.county,
            )
        [enrollment] = enrolled["enrollments"]
        await self.call(
            "assignTrainees",
            "trainingClass { id }",
            {"classId": self.rooms[workshop.id].class_id, "enrollmentIds": [enrollment["id"]]},
            self.leader,
        )
        return await Enrollment.get(teacher_id=person.id, program_id=batch.program_id)

    async def study(
        self,
        enrollment: Enrollment,
        *,
        online_hours: int = 0,
        offline_hours: int = 0,
        course: str | None = None,
    ) -> None:
        """Online study through the timer, a heartbeat every BEAT_SECONDS of the clock (in a
        course, or in the workshop's topic), from the batch's third day at 08:00 or where the
        trainee's last session ended; offline study
        logged for its first days (8 hours a day at most) and confirmed by the class tutor."""
        teacher = await Person.get(id=enrollment.teacher_id)
        batch = await Batch.get(id=enrollment.batch_id)
        room = self.rooms[enrollment.workshop_id]
        day = batch.starts_on + dt.timedelta(days=2)
        if online_hours:
            where = (
                {"courseId": gid(await Course.get(program_id=enrollment.program_id, name=course))}
                if course
                else {"topicId": room.topic_id}
            )
            starts_at = max(
                local_time(day, 8),
                self.studied_until.get(enrollment.id, dt.datetime.min.replace(tzinfo=SHANGHAI)),
            )
            with self.at(starts_at):
                started = await self.call("startStudySession", "session { id }", where, teacher)
                session_id = started["session"]["id"]
                clock = self.api.clock
                assert isinstance(clock, FixedClock)
                for sequence in range(1, online_hours + 1):
                    clock.advance(seconds=BEAT_SECONDS)
                    await self.call(
                        "heartbeat",
                        "heartbeat { sequence }",
                        {"sessionId": session_id, "sequence": sequence},
                        teacher,
                    )
                await self.call(
                    "endStudySession", "session { id }", {"sessionId": session_id}, teacher
                )
                self.studied_until[enrollment.id] = clock.now()
        studied_on = batch.starts_on
        left = offline_hours
        while left:
            hours = min(left, 8)
            with self.at(local_time(day, 20)):
                logged = await self.call(
                    "logOfflineStudy",
                    "log { id }",
                    {
                        "kind": "SCHOOL_BASED",
                        "studiedOn": str(studied_on),
                        "hours": hours,
                        "description": "校本研修",
                    },
                    teacher,
                )
                await self.call(
                    "reviewOfflineStudy",
                    "log { id }",
                    {"logId": logged["log"]["id"], "confirm": True},
                    room.tutor,
                )
            left -= hours
            studied_on += dt.timedelta(days=1)

    async def homework(self, enrollment: Enrollment, *levels: GradeLevel) -> None:
        """An assignment each, set by the leader, submitted in the window and graded by the
        class tutor at the given level."""
        teacher = await Person.get(id=enrollment.teacher_id)
        batch = await Batch.get(id=enrollment.batch_id)
        room = self.rooms[enrollment.workshop_id]
        with self.at(local_time(batch.starts_on + dt.timedelta(days=3), 9)):
            for n, level in enumerate(levels):
                assignment = await self.call(
                    "createAssignment",
                    "assignment { id }",
                    {
                        "workshopId": gid(await Workshop.get(id=enrollment.workshop_id)),
                        "title": f"作业{n + 1}-{teacher.username}",
                        "dueAt": local_time(batch.ends_on, 20).isoformat(),
                    },
                    self.leader,
                )
                submitted = await self.call(
                    "submitHomework",
                    "submission { id }",
                    {"assignmentId": assignment["assignment"]["id"], "text": "教学设计"},
                    teacher,
                )
                await self.call(
                    "gradeSubmission",
                    "submission { id }",
                    {
                        "submissionId": submitted["submission"]["id"],
                        "score": 80,
                        "level": level.name,
                    },
                    room.tutor,
                )

    async def discuss(self, enrollment: Enrollment, posts: int) -> None:
        """Posts in the class's discussion (研讨), which the class tutor opens once."""
        teacher = await Person.get(id=enrollment.teacher_id)
        batch = await Batch.get(id=enrollment.batch_id)
        room = self.rooms[enrollment.workshop_id]
        with self.at(local_time(batch.starts_on + dt.timedelta(days=3), 10)):
            if room.discussion_id is None:
                opened = await self.call(
                    "openDiscussion",
                    "topic { id }",
                    {"title": "研讨", "body": "谈谈你的做法。", "classId": room.class_id},
                    room.tutor,
                )
                room.discussion_id = opened["topic"]["id"]
            for n in range(posts):
                await self.call(
                    "postToDiscussion",
                    "post { body }",
                    {"topicId": room.discussion_id, "body": f"发言{n + 1}"},
                    teacher,
                )

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


def local_time(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


async def make_scene(api: Api) -> Scene:
    """The regions and schools and the province admin as `load-regions` and `create-admin`
    leave them; the county admin and the workshop leader created through the API."""
    org = await make_org()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    await call(
        api,
        "createPerson",
        "person { id }",
        {"username": "county", "realName": "东湖区管理员"},
        admin,
    )
    county = await Person.get(username="county")
    await call(
        api,
        "grantRole",
        "roleGrant { role }",
        {"personId": gid(county), "role": "COUNTY_ADMIN", "regionId": gid(org.county)},
        admin,
    )
    scene = Scene(api=api, org=org, admin=admin, county=county, leader=county)
    scene.leader = await scene.person("leader", realName="王名师")
    return scene


# The evidence as tutors and forums leave it, written directly (the time studied, as the timer
# leaves it, is factories.studied): for tests of something else than the scenarios (SQL counts,
# certificates), where many trainees need it.
async def graded(enrollment: Enrollment, *levels: GradeLevel) -> None:
    """Homework graded by the class tutor, one assignment each."""
    teacher = await Person.get(id=enrollment.teacher_id)
    workshop = await Workshop.get(id=enrollment.workshop_id)
    for n, level in enumerate(levels):
        assignment = await make_assignment(
            workshop,
            teacher,
            f"作业{n + 1}-{teacher.username}",
            instructions="",
            due_at=dt.datetime(2012, 5, 8, tzinfo=dt.UTC),
            created_at=dt.datetime(2012, 4, 27, tzinfo=dt.UTC),
        )
        await make_submission(
            assignment,
            enrollment,
            "作业",
            status=SubmissionStatus.GRADED,
            at=dt.datetime(2012, 5, 1, tzinfo=dt.UTC),
            score=80,
            level=level,
        )


async def posted(enrollment: Enrollment, posts: int) -> None:
    """Posts in the workshop's forum (研讨)."""
    at = dt.datetime(2012, 5, 1, tzinfo=dt.UTC)
    workshop = await Workshop.get(id=enrollment.workshop_id)
    teacher = await Person.get(id=enrollment.teacher_id)
    topic = await open_topic(workshop, teacher, "研讨", body="研讨", at=at)
    for _ in range(posts):
        await post(topic, "发言", at, by=enrollment)
