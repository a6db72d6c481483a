"""The roster's forecasts (read with the roster, `storage/evidence.py`'s columns) are those the
forecasts' own loader gives (`node(id:)` on each enrollment): every kind of evidence, exams
taken and missed included."""

import datetime as dt

from lms_plugin.storage.enums import (
    AssignmentKind,
    CourseCategory,
    ExamKind,
    GradeLevel,
    SubmissionStatus,
    Track,
    WritingKind,
)
from lms_plugin.storage.models import (
    AssessmentPolicy,
    Course,
    CourseProgress,
    Enrollment,
    ExamResult,
    Person,
    StudyWriting,
    TownshipSession,
)

from .api import Api
from .classroom_world import World, class_topic, make_world
from .conftest import local
from .factories import hand_in, make_attachment, post

PARTS = "outcome explanation components { kind required has score missing }"
DESK = f"""{{ tutorDesk {{ classes {{ roster(first: 10) {{ nodes {{
  teacher {{ realName }} enrollment {{ id assessmentForecast {{ {PARTS} }} }} }} }} }} }} }}"""
ONE = f"""query ($id: ID!) {{ node(id: $id) {{ ... on Enrollment {{
  assessmentForecast {{ {PARTS} }} }} }} }}"""
AT = local(2012, 5, 2)


async def _evidence(world: World) -> None:
    """张三 (on the transitional track, so that township sessions count): every kind of
    evidence; 李四: a writing and a missed exam only. Every component weighs."""
    zhang, li = world.zhang_enrollment, world.li_enrollment
    await AssessmentPolicy.filter(program_id=world.program.id).update(
        study_weight=30,
        homework_weight=20,
        discussion_weight=20,
        outcome_weight=10,
        notes_weight=10,
        reflection_weight=10,
    )
    await Enrollment.filter(id=zhang.id).update(
        online_seconds=5 * 3600, offline_minutes=600, track=Track.TRANSITIONAL
    )
    course = await Course.create(
        program_id=world.program.id, name="公共课", category=CourseCategory.PUBLIC, hours=10
    )
    await CourseProgress.create(enrollment_id=zhang.id, course_id=course.id, seconds=7200)
    for kind, level in (
        (AssignmentKind.HOMEWORK, GradeLevel.EXCELLENT),
        (AssignmentKind.HOMEWORK, GradeLevel.FAIL),
        (AssignmentKind.OUTCOME, GradeLevel.GOOD),
    ):
        await hand_in(
            world, zhang, f"{kind}{level}", kind=kind, status=SubmissionStatus.GRADED, level=level
        )
    topic = await class_topic(world, "研讨", local(2012, 5, 1))
    for _ in range(3):
        await post(topic, "发言", AT, by=zhang)
    for enrollment, kind, characters in (
        (zhang, WritingKind.NOTES, 6000),
        (zhang, WritingKind.REFLECTION, 900),
        (li, WritingKind.REFLECTION, 1500),
    ):
        await StudyWriting.create(
            enrollment_id=enrollment.id,
            kind=kind,
            text="心得",
            characters=characters,
            submitted_at=AT,
        )
    for enrollment, kind, score in (
        (zhang, ExamKind.MOCK, 40),
        (zhang, ExamKind.FORMAL, 78),
        (li, ExamKind.FORMAL, None),
    ):
        await ExamResult.create(
            enrollment_id=enrollment.id,
            kind=kind,
            score=score,
            recorded_by_id=world.leader.id,
            recorded_at=AT,
        )
    proof = await make_attachment(world.tutor, "签到表.pdf", "desk-forecast-proof", at=AT, size=10)
    for day in (3, 4):
        await TownshipSession.create(
            enrollment_id=zhang.id,
            held_on=dt.date(2012, 5, day),
            hours=3,
            evidence_id=proof.id,
            recorded_by_id=world.tutor.id,
            recorded_at=AT,
        )


async def test_the_roster_forecasts_are_the_forecasts_loader_s(api: Api) -> None:
    world = await make_world()
    await _evidence(world)

    desk = await api.data(DESK, as_=world.tutor)

    [klass] = desk["tutorDesk"]["classes"]
    people = {"张三": world.zhang, "李四": world.li}
    assert {node["teacher"]["realName"] for node in klass["roster"]["nodes"]} == set(people)
    for node in klass["roster"]["nodes"]:
        trainee: Person = people[node["teacher"]["realName"]]
        alone = await api.data(ONE, {"id": node["enrollment"]["id"]}, as_=trainee)
        assert node["enrollment"]["assessmentForecast"] == alone["node"]["assessmentForecast"]
