"""The transitional track (seed 002 §四(四)②): a county admin records a trainee's township
sessions (乡镇集中: date, hours, evidence), a province admin records the additional test (加试),
and the result combines the process score, township sessions included, with the test by the
policy's weight against its own pass mark — explained component by component."""

import datetime as dt
from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.assessment.rules import (
    Assessment,
    Evidence,
    ExamMethod,
    Weights,
    combined_score,
    final_assessment,
    process_assessment,
    township_session_errors,
)
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.storage.enums import ExamKind, GradeLevel, Outcome, Role, Track
from lms_plugin.storage.models import Attachment, Enrollment, Person, TownshipSession

from .api import Api, error_codes, refused
from .assessment_world import RECORD_EXAM, Scene, graded, make_scene, ok, posted
from .conftest import local
from .factories import gid, make_admin, make_attachment, studied
from .test_assessment_scenarios import JIANGXI_2012

TODAY = dt.date(2012, 5, 20)


def test_township_sessions_are_for_the_transitional_track_on_a_day_that_has_come() -> None:
    assert township_session_errors(Track.TRANSITIONAL, TODAY, 1, TODAY) == []
    assert township_session_errors(Track.TRANSITIONAL, TODAY, 24, TODAY) == []
    assert township_session_errors(Track.NETWORK, TODAY, 4, TODAY) == [
        DomainError(
            ErrorCode.NOT_TRANSITIONAL, "只有过渡学习的学员参加乡镇集中研修", ("enrollmentId",)
        )
    ]
    tomorrow = TODAY + dt.timedelta(days=1)
    assert township_session_errors(Track.TRANSITIONAL, tomorrow, 4, TODAY) == [
        DomainError(ErrorCode.INVALID_INPUT, "研修日期不能晚于今天", ("heldOn",))
    ]
    for hours in (0, 25):
        assert township_session_errors(Track.TRANSITIONAL, TODAY, hours, TODAY) == [
            DomainError(ErrorCode.INVALID_INPUT, "学时须为1至24的整数", ("hours",))
        ]


# Study and township sessions, equally weighted; four township hours needed.
WEIGHTS = Weights(
    study=50,
    homework=0,
    discussion=0,
    outcome=0,
    notes=0,
    reflection=0,
    homework_min_count=0,
    discussion_min_posts=0,
    outcome_min_count=0,
    notes_min_characters=0,
    reflection_min_characters=0,
    pass_mark=60,
    township=50,
    township_min_hours=4,
)
METHOD = ExamMethod(
    exempt_when_complete=True,
    pass_mark=60,
    transitional=True,
    process_weight=50,
    combined_pass_mark=60,
)


def _process(township_hours: int) -> Assessment:
    return process_assessment(
        Evidence(
            study_minutes=60,
            required_minutes=60,
            homework_grades=(),
            posts=0,
            outcome_grades=(),
            notes_characters=0,
            reflection_characters=0,
            township_hours=township_hours,
        ),
        WEIGHTS,
    )


def _final(township_hours: int, **exams: int | None) -> tuple[Outcome, int, str]:
    found = final_assessment(
        _process(township_hours), {ExamKind[k.upper()]: s for k, s in exams.items()}, METHOD
    )
    return found.outcome, found.score, found.explanation


def test_the_combined_score_weighs_process_and_additional_test() -> None:
    assert combined_score(100, 20, 50) == 60
    assert combined_score(100, 19, 50) == 59  # rounded down
    assert combined_score(80, 0, 100) == 80
    assert combined_score(80, 90, 0) == 90


def test_the_transitional_track_passes_at_the_combined_pass_mark_and_not_a_point_under() -> None:
    assert _final(4, additional=20) == (
        Outcome.PASSED,
        60,
        "合格：过程性考核100分，省加试20分，综合60分",
    )
    assert _final(4, additional=19) == (
        Outcome.FAILED,
        59,
        "综合成绩未达合格：过程性考核100分，省加试19分，综合59分，需60分（差1分）",
    )
    # A complete process does not exempt the transitional track from the additional test.
    assert _final(4) == (Outcome.ABSENT, 100, "缺考：未参加省加试和补考")
    assert _final(4, formal=90) == (Outcome.ABSENT, 100, "缺考：未参加省加试和补考")
    # The make-up stands in for a failed additional test.
    assert _final(4, additional=10, make_up=30) == (
        Outcome.PASSED,
        65,
        "合格：过程性考核100分，补考30分，综合65分",
    )


def test_township_hours_under_the_minimum_fail_the_transitional_result() -> None:
    assert _final(3, additional=100) == (
        Outcome.FAILED,
        93,
        "乡镇集中研修未达要求：已有3学时，需4学时",
    )
    assert _final(4, additional=100)[0] is Outcome.PASSED


# --- through HTTP ----------------------------------------------------------------------------

RECORD_TOWNSHIP = """
mutation ($input: RecordTownshipSessionInput!) {
  recordTownshipSession(input: $input) {
    townshipSession { heldOn hours }
    userErrors { code field message }
  }
}"""
RESULT = """
query ($id: ID!) { node(id: $id) { ... on Enrollment {
  result { outcome score explanation components { kind weight required has score missing } }
} } }"""


async def _evidence(owner: Person, key: str) -> Attachment:
    return await make_attachment(
        owner, "乡镇集中研修签到表.pdf", key, at=dt.datetime(2012, 5, 10, tzinfo=dt.UTC)
    )


def _session(enrollment: Enrollment, evidence: Attachment, **more: Any) -> dict[str, Any]:
    return {
        "input": {
            "enrollmentId": gid(enrollment),
            "heldOn": "2012-05-10",
            "hours": 4,
            "evidenceId": gid(evidence),
            **more,
        }
    }


async def _transitional(scene: Scene, name: str) -> tuple[Any, Enrollment]:
    """A program with a transitional batch beside its network one, and a trainee in it."""
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    await scene.call(
        "createBatch",
        "batch { id }",
        {
            "programId": gid(program),
            "number": 2,
            "name": "过渡学习",
            "startsOn": "2012-05-07",
            "endsOn": "2012-05-16",
            "track": "TRANSITIONAL",
        },
        scene.admin,
    )
    return (program, batch, workshop), await scene.trainee(
        workshop, batch, name, track=Track.TRANSITIONAL
    )


async def test_a_county_admin_of_the_trainees_county_records_township_sessions(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    (_, batch, workshop), trainee = await _transitional(scene, "过渡学员")
    networked = await scene.trainee(workshop, batch, "网络学员")
    evidence = await _evidence(scene.county, "township-1")
    clock.set(local(2012, 5, 20, 10, 0))

    recorded = await api.data(RECORD_TOWNSHIP, _session(trainee, evidence), as_=scene.county)
    assert recorded["recordTownshipSession"] == {
        "townshipSession": {"heldOn": "2012-05-10", "hours": 4},
        "userErrors": [],
    }
    [row] = await TownshipSession.filter(enrollment_id=trainee.id)
    assert (row.held_on, row.hours, row.evidence_id, row.recorded_by_id) == (
        dt.date(2012, 5, 10),
        4,
        evidence.id,
        scene.county.id,
    )

    # The same day again; a network-track trainee; a day to come; someone else's evidence.
    again = await api.data(RECORD_TOWNSHIP, _session(trainee, evidence), as_=scene.county)
    assert again["recordTownshipSession"] == refused(
        "townshipSession", "INVALID_INPUT", "该学员当日的乡镇集中研修已登记", "heldOn"
    )
    network = await api.data(RECORD_TOWNSHIP, _session(networked, evidence), as_=scene.county)
    assert network["recordTownshipSession"] == refused(
        "townshipSession", "NOT_TRANSITIONAL", "只有过渡学习的学员参加乡镇集中研修", "enrollmentId"
    )
    future = await api.data(
        RECORD_TOWNSHIP, _session(trainee, evidence, heldOn="2012-05-21"), as_=scene.county
    )
    assert future["recordTownshipSession"] == refused(
        "townshipSession", "INVALID_INPUT", "研修日期不能晚于今天", "heldOn"
    )
    foreign = await _evidence(scene.admin, "township-2")
    theirs = await api.data(
        RECORD_TOWNSHIP, _session(trainee, foreign, heldOn="2012-05-11"), as_=scene.county
    )
    assert theirs["recordTownshipSession"] == refused(
        "townshipSession", "NOT_FOUND", "找不到该证明材料（须为本人上传）", "evidenceId"
    )

    # Another county's admin (outside its scope), a province admin (not a county admin), a
    # trainee, and no token.
    other = await make_admin("county2", Role.COUNTY_ADMIN, region=scene.org.other_county)
    outside = await api.data(
        RECORD_TOWNSHIP, _session(trainee, await _evidence(other, "township-3")), as_=other
    )
    assert outside["recordTownshipSession"] == refused(
        "townshipSession", "NOT_FOUND", "找不到该教师，或不在你的管辖范围内", "enrollmentId"
    )
    teacher = await Person.get(id=trainee.teacher_id)
    for who, code in (
        (scene.admin, "FORBIDDEN"),
        (teacher, "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ):
        body = await api.gql(RECORD_TOWNSHIP, _session(trainee, evidence), as_=who)
        assert error_codes(body) == [code]
    assert await TownshipSession.filter(enrollment_id=trainee.id).count() == 1


TOWNSHIP_SESSIONS = """
query ($id: ID!) { node(id: $id) { ... on Enrollment { townshipSessions { heldOn hours } } } }"""
TOWNSHIP_SESSION = """
query ($id: ID!) { node(id: $id) { ... on TownshipSession { id heldOn hours recordedAt } } }"""


async def test_whoever_sees_the_enrollment_lists_and_loads_its_township_sessions(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    (_, batch, workshop), trainee = await _transitional(scene, "过渡学员")
    classmate = await Person.get(id=(await scene.trainee(workshop, batch, "同班学员")).teacher_id)
    clock.set(local(2012, 5, 20, 10, 0))
    for day in ("2012-05-12", "2012-05-09"):
        evidence = await _evidence(scene.county, f"township-{day}")
        recorded = await api.data(
            RECORD_TOWNSHIP, _session(trainee, evidence, heldOn=day), as_=scene.county
        )
        assert recorded["recordTownshipSession"]["userErrors"] == []
    [first, _] = await TownshipSession.filter(enrollment_id=trainee.id).order_by("held_on")
    teacher = await Person.get(id=trainee.teacher_id)

    listed = await api.data(TOWNSHIP_SESSIONS, {"id": gid(trainee)}, as_=teacher)
    assert listed == {
        "node": {
            "townshipSessions": [
                {"heldOn": "2012-05-09", "hours": 4},
                {"heldOn": "2012-05-12", "hours": 4},
            ]
        }
    }
    session = {
        "id": gid(first),
        "heldOn": "2012-05-09",
        "hours": 4,
        "recordedAt": "2012-05-20T10:00:00+08:00",
    }
    for who in (teacher, scene.county, scene.admin):
        assert await api.data(TOWNSHIP_SESSION, {"id": gid(first)}, as_=who) == {"node": session}
    # A classmate and another county's admin do not see it; no token is refused.
    other = await make_admin("county2", Role.COUNTY_ADMIN, region=scene.org.other_county)
    for who in (classmate, other):
        assert await api.data(TOWNSHIP_SESSION, {"id": gid(first)}, as_=who) == {"node": None}
        assert await api.data(TOWNSHIP_SESSIONS, {"id": gid(trainee)}, as_=who) == {"node": None}
    body = await api.gql(TOWNSHIP_SESSION, {"id": gid(first)}, as_=None)
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_only_a_province_admin_records_the_additional_test(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    _, trainee = await _transitional(scene, "过渡学员")
    clock.set(local(2012, 5, 20, 10, 0))
    exam = {"input": {"enrollmentId": gid(trainee), "kind": "ADDITIONAL", "score": 70}}

    assert error_codes(await api.gql(RECORD_EXAM, exam, as_=scene.county)) == ["FORBIDDEN"]
    assert error_codes(await api.gql(RECORD_EXAM, exam, as_=None)) == ["UNAUTHENTICATED"]
    recorded = await api.data(RECORD_EXAM, exam, as_=scene.admin)
    assert recorded["recordExamResult"] == {
        "examResult": {"kind": "ADDITIONAL", "score": 70},
        "userErrors": [],
    }
    # The county admin still records the formal exam.
    formal = {"input": {"enrollmentId": gid(trainee), "kind": "FORMAL", "score": 70}}
    assert ok(await api.data(RECORD_EXAM, formal, as_=scene.county))["examResult"] == {
        "kind": "FORMAL",
        "score": 70,
    }


async def test_transitional_results_combine_process_township_and_additional_test(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    (program, batch, workshop), passer = await _transitional(scene, "综合合格")
    short = await scene.trainee(workshop, batch, "差一分", track=Track.TRANSITIONAL)
    township_short = await scene.trainee(workshop, batch, "集中不足", track=Track.TRANSITIONAL)
    absentee = await scene.trainee(workshop, batch, "未加试", track=Track.TRANSITIONAL)
    evidence = await _evidence(scene.county, "township-1")
    clock.set(local(2012, 5, 20, 10, 0))
    for enrollment, hours in ((passer, 4), (short, 4), (township_short, 3), (absentee, 4)):
        await studied(enrollment, online_hours=4, offline_hours=18)
        await graded(enrollment, GradeLevel.PASS, GradeLevel.GOOD)
        await posted(enrollment, 2)
        ok(
            await api.data(
                RECORD_TOWNSHIP, _session(enrollment, evidence, hours=hours), as_=scene.county
            )
        )
    for enrollment, score in ((passer, 26), (short, 24), (township_short, 100)):
        ok(
            await api.data(
                RECORD_EXAM,
                {"input": {"enrollmentId": gid(enrollment), "kind": "ADDITIONAL", "score": score}},
                as_=scene.admin,
            )
        )

    await scene.compute(program)

    async def result(enrollment: Enrollment) -> dict[str, Any]:
        found: dict[str, Any] = (await api.data(RESULT, {"id": gid(enrollment)}, as_=scene.admin))[
            "node"
        ]["result"]
        return found

    township = {"kind": "TOWNSHIP", "weight": 20, "required": 4, "has": 4, "score": 100}
    passed = await result(passer)
    # Process: (100·50 + 77·30 + 100·20 + 100·20) / 120 = 94; with the test, (94 + 26) / 2 = 60.
    assert (passed["outcome"], passed["score"], passed["explanation"]) == (
        "PASSED",
        60,
        "合格：过程性考核94分，省加试26分，综合60分",
    )
    assert passed["components"][-1] == {**township, "missing": None}
    assert [c["kind"] for c in passed["components"]] == [
        "STUDY",
        "HOMEWORK",
        "DISCUSSION",
        "TOWNSHIP",
    ]
    assert await result(short) == {
        **passed,
        "outcome": "FAILED",
        "score": 59,
        "explanation": "综合成绩未达合格：过程性考核94分，省加试24分，综合59分，需60分（差1分）",
    }
    few = await result(township_short)
    assert (few["outcome"], few["explanation"]) == (
        "FAILED",
        "乡镇集中研修未达要求：已有3学时，需4学时",
    )
    assert few["components"][-1] == {
        **township,
        "has": 3,
        "score": 75,
        "missing": "乡镇集中研修未达要求：已有3学时，需4学时",
    }
    missed = await result(absentee)
    assert (missed["outcome"], missed["explanation"]) == ("ABSENT", "缺考：未参加省加试和补考")
