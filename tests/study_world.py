"""A workshop of the 2012 calendar with two classes and their trainees, and the study-timer
operations over HTTP, shared by the online and offline study tests."""

from dataclasses import dataclass
from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import Stage, Track
from lms_plugin.storage.models import Enrollment, Person, Resource, Topic

from .api import Api
from .factories import Classes, batch_number, enroll, gid, make_classes, make_person, make_workshop


@dataclass
class World(Classes):
    topic: Topic
    resource: Resource
    other_topic: Topic
    trainee: Person
    enrollment: Enrollment
    transitional: Person
    transitional_enrollment: Enrollment
    outsider: Person


async def make_world() -> World:
    """一班 (`tutor`) has a network trainee and a transitional one (batch 5, 5/10–5/19); the
    leader also leads a high-school physics workshop; `outsider` teaches junior-high maths."""
    classes = await make_classes()
    org, program, workshop = classes.org, classes.program, classes.workshop
    other_workshop = await make_workshop(program, classes.leader, subject="物理")
    topic = await Topic.get(workshop_id=workshop.id, position=0)
    resource = await Resource.create(topic_id=topic.id, title="课例视频", minutes=40)
    trainee = await make_person("trainee", school=org.school)
    transitional = await make_person("rural", school=org.other_school, track=Track.TRANSITIONAL)
    return World(
        **vars(classes),
        topic=topic,
        resource=resource,
        other_topic=await Topic.get(workshop_id=other_workshop.id, position=0),
        trainee=trainee,
        enrollment=await enroll(
            trainee, workshop, classes.batch, training_class=classes.training_class
        ),
        transitional=transitional,
        transitional_enrollment=await enroll(
            transitional,
            workshop,
            await batch_number(program, 5),
            training_class=classes.training_class,
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
        START, {"input": {"topicId": gid(world.topic), "takeOver": take_over}}, as_=who
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
