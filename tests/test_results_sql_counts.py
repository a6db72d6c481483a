"""Results of a program are computed in SQL-batched work (issue 7): the statements of a
computation are the same for 3 enrollments and for 30, whatever their records."""

import datetime as dt

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import GradeLevel

from .api import Api, error_codes
from .assessment_world import COMPUTE, Scene, graded, make_scene, posted
from .conftest import local
from .factories import gid, studied
from .sql_counter import count_sql
from .test_assessment_scenarios import JIANGXI_2012


async def _statements(api: Api, clock: FixedClock, scene: Scene, trainees: int) -> int:
    clock.set(local(2012, 4, 20, 10, 0))
    program, batch, workshop = await scene.program(
        f"江西{trainees}", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    for n in range(trainees):
        enrollment = await scene.trainee(workshop, batch, f"学员{trainees}-{n}")
        await studied(enrollment, online_hours=6, offline_hours=16 if n % 2 else 3)
        await graded(enrollment, GradeLevel.PASS, GradeLevel.GOOD)
        await posted(enrollment, 2)
        if n % 3 == 0:
            await scene.exam(enrollment, "FORMAL", 70)
    await scene.tutor(workshop, f"辅导{trainees}")
    clock.set(local(2012, 5, 20, 10, 0))
    with count_sql() as counter:
        data = await api.data(COMPUTE, {"input": {"programId": gid(program)}}, as_=scene.admin)
    assert data["computeAssessmentResults"]["userErrors"] == []
    return counter.count


async def test_the_statements_do_not_grow_with_the_enrollments(api: Api, clock: FixedClock) -> None:
    scene = await make_scene(api)
    few = await _statements(api, clock, scene, 3)
    many = await _statements(api, clock, scene, 30)

    assert few == many


async def test_nobody_signed_out_computes_results_or_writes_notes(api: Api) -> None:
    scene = await make_scene(api)
    program, _, _ = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    write = """mutation ($input: SubmitStudyWritingInput!) { submitStudyWriting(input: $input) {
        writing { kind } userErrors { code field message } } }"""

    compute = await api.gql(COMPUTE, {"input": {"programId": gid(program)}}, as_=None)
    anonymous = await api.gql(write, {"input": {"kind": "NOTES", "text": "笔记"}}, as_=None)
    not_enrolled = await api.data(
        write, {"input": {"kind": "NOTES", "text": "笔记"}}, as_=scene.admin
    )

    assert error_codes(compute) == ["UNAUTHENTICATED"]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert not_enrolled["submitStudyWriting"] == {
        "writing": None,
        "userErrors": [{"code": "NOT_ENROLLED", "field": None, "message": "你尚未报名参加研修"}],
    }
