"""A workshop of the 2012 calendar with two classes and their trainees, and the study-timer
operations over HTTP, shared by the online and offline study tests."""

from dataclasses import dataclass
from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.schema.ids import encode_id
from lms_plugin.storage.enums import Stage, Track
from lms_plugin.storage.models import Enrollment, Person, Program, Resource, Topic

from .api import Api
from .factories import (
    add_tutor,
    batch_number,
    enroll,
    make_class,
    make_org,
    make_person,
    make_workshop,
    reference_program,
)


@dataclass
class World:
    program: Program
    topic: Topic
    resource: Resource
    other_topic: Topic
    leader: Person
    tutor: Person
    other_tutor: Person
    trainee: Person
    enrollment: Enrollment
    transitional: Person
    transitional_enrollment: Enrollment
    outsider: Person

    def topic_id(self) -> str:
        return encode_id("Topic", self.topic.id)


async def make_world() -> World:
    """High-school maths (batch 1, 4/27–5/8): 一班 tutored by `tutor` with a network trainee
    and a transitional one (batch 5, 5/10–5/19); 二班 tutored by `other_tutor`."""
    program = await reference_program()
    org = await make_org()
    leader = await make_person("leader", school=org.school)
    workshop = await make_workshop(program, leader)
    other_workshop = await make_workshop(program, leader, subject="物理")
    tutor = await make_person("tutor", school=org.school)
    other_tutor = await make_person("other_tutor", school=org.school)
    for member in (tutor, other_tutor):
        await add_tutor(workshop, member)
    first_class = await make_class(workshop, tutor, "一班")
    await make_class(workshop, other_tutor, "二班")
    topic = await Topic.get(workshop_id=workshop.id, position=0)
    resource = await Resource.create(topic_id=topic.id, title="课例视频", minutes=40)
    trainee = await make_person("trainee", school=org.school)
    transitional = await make_person("rural", school=org.other_school, track=Track.TRANSITIONAL)
    return World(
        program=program,
        topic=topic,
        resource=resource,
        other_topic=await Topic.get(workshop_id=other_workshop.id, position=0),
        leader=leader,
        tutor=tutor,
        other_tutor=other_tutor,
        trainee=trainee,
        enrollment=await enroll(
            trainee, workshop, await batch_number(program, 1), training_class=first_class
        ),
        transitional=transitional,
        transitional_enrollment=await enroll(
            transitional,
            workshop,
            await batch_number(program, 5),
            training_class=first_class,
            track=Track.TRANSITIONAL,
        ),
        outsider=await make_person("outsider", school=org.school, stage=Stage.JUNIOR),
    )


USER_ERRORS = "userErrors { code field message }"

START = f"""
mutation ($input: StartStudySessionInput!) {{
  startStudySession(input: $input) {{
    session {{ id active startedAt endedAt endReason lastSequence countedSeconds
              topic {{ title }} resource {{ title }} }}
    {USER_ERRORS}
  }}
}}"""

BEAT = f"""
mutation ($input: HeartbeatInput!) {{
  heartbeat(input: $input) {{
    heartbeat {{ sequence countedSeconds onlineSeconds
                pieces {{ kind seconds startsAt endsAt }}
                session {{ active lastSequence countedSeconds }} }}
    {USER_ERRORS}
  }}
}}"""

END = f"""
mutation ($input: EndStudySessionInput!) {{
  endStudySession(input: $input) {{
    session {{ active endedAt endReason lastSequence countedSeconds }}
    {USER_ERRORS}
  }}
}}"""

PROGRESS = """
{ viewer { enrollment { hourProgress {
    onlineSeconds offlineMinutes onlineHours offlineHours onlineComplete offlineComplete complete
    required { onlineHours offlineHours } } } } }"""

LEDGER = """
query ($enrollmentId: ID, $first: Int) {
  studyLedger(enrollmentId: $enrollmentId, first: $first) {
    nodes { kind seconds heartbeats firstAt lastAt }
  }
}"""


async def start(
    api: Api, who: Person | None, world: World, *, take_over: bool = False
) -> dict[str, Any]:
    data = await api.data(
        START, {"input": {"topicId": world.topic_id(), "takeOver": take_over}}, as_=who
    )
    payload: dict[str, Any] = data["startStudySession"]
    return payload


async def start_id(api: Api, who: Person, world: World, *, take_over: bool = False) -> str:
    payload = await start(api, who, world, take_over=take_over)
    assert payload["userErrors"] == [], payload
    session_id: str = payload["session"]["id"]
    return session_id


async def beat(api: Api, who: Person | None, session_id: str, sequence: int) -> dict[str, Any]:
    data = await api.data(BEAT, {"input": {"sessionId": session_id, "sequence": sequence}}, as_=who)
    payload: dict[str, Any] = data["heartbeat"]
    return payload


async def study(
    api: Api, clock: FixedClock, who: Person, session_id: str, first_sequence: int, beats: int
) -> int:
    """`beats` heartbeats two minutes apart (the 2012 limit); the next sequence number."""
    for sequence in range(first_sequence, first_sequence + beats):
        clock.advance(seconds=120)
        payload = await beat(api, who, session_id, sequence)
        assert payload["userErrors"] == [], payload
    return first_sequence + beats


async def progress(api: Api, who: Person) -> dict[str, Any]:
    data = await api.data(PROGRESS, as_=who)
    hours: dict[str, Any] = data["viewer"]["enrollment"]["hourProgress"]
    return hours


async def ledger(api: Api, who: Person, enrollment_id: str | None = None) -> list[dict[str, Any]]:
    data = await api.data(LEDGER, {"enrollmentId": enrollment_id, "first": 100}, as_=who)
    nodes: list[dict[str, Any]] = data["studyLedger"]["nodes"]
    return nodes


def enrollment_id(enrollment: Enrollment) -> str:
    return encode_id("Enrollment", enrollment.id)
