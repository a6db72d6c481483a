"""Tutor service credited by distinction (seed 002 §二(二)): a province admin marks a teacher a
special-grade teacher (特级教师) or provincial subject leader (省级学科带头人), audited; such a
teacher who served on a program's tutor team (R7, exempt) has the policy's tutor-service hours
on the credit ledger; any other member is exempt with no credit, unless the policy credits all."""

import datetime as dt
from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.assessment.rules import tutor_service_credit, tutor_service_explanation
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import Distinction, GradeLevel, Role
from lms_plugin.storage.models import AssessmentResult, AuditEntry, Person

from .api import Api, error_codes, refused
from .assessment_world import UPDATE_ASSESSMENT, make_scene, ok, posted
from .assessment_world import graded as graded_homework
from .conftest import local
from .factories import gid, make_admin, studied
from .test_assessment_scenarios import JIANGXI_2012


def test_only_a_distinguished_tutor_is_credited_unless_the_policy_credits_all() -> None:
    assert tutor_service_credit(True, hours=72, credit_for_all=False) == 72
    assert tutor_service_credit(False, hours=72, credit_for_all=False) == 0
    assert tutor_service_credit(False, hours=72, credit_for_all=True) == 72
    assert tutor_service_credit(True, hours=0, credit_for_all=True) == 0
    assert (
        tutor_service_explanation(72)
        == "工作室辅导团队成员，免予选学研修（R7）；辅导服务冲抵72学时"
    )
    assert (
        tutor_service_explanation(0) == "工作室辅导团队成员，免予选学研修（R7）；辅导服务不冲抵学时"
    )


SET_DISTINCTION = """
mutation ($input: SetTeacherDistinctionInput!) {
  setTeacherDistinction(input: $input) {
    person { realName distinction }
    userErrors { code field message }
  }
}"""
LEDGER = """
{ myCreditLedger { cycleHours hours missingHours lines { year hours source } } }"""


def _distinction(person: Person | str, distinction: str | None) -> dict[str, Any]:
    person_id = person if isinstance(person, str) else gid(person)
    return {"input": {"personId": person_id, "distinction": distinction}}


async def test_a_province_admin_sets_a_distinction_and_the_change_is_audited(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    teacher = await scene.tutor(
        (await scene.program("江西2012", "2012学年", dt.date(2012, 4, 27), assessment={}))[2],
        "特级教师甲",
    )
    clock.set(local(2012, 5, 1, 10, 0))

    data = await api.data(SET_DISTINCTION, _distinction(teacher, "SPECIAL_GRADE"), as_=scene.admin)
    assert data["setTeacherDistinction"] == {
        "person": {"realName": "特级教师甲", "distinction": "SPECIAL_GRADE"},
        "userErrors": [],
    }
    assert (await Person.get(id=teacher.id)).distinction is Distinction.SPECIAL_GRADE
    [entry] = await AuditEntry.filter(object_type="Person", object_id=teacher.id, action="UPDATE")
    assert (entry.actor_id, entry.operation, entry.changes) == (
        scene.admin.id,
        "setTeacherDistinction",
        {"distinction": [None, "special_grade"]},
    )

    # Withdrawn with null; a county admin may not; nor anyone without a token; no such person.
    cleared = await api.data(SET_DISTINCTION, _distinction(teacher, None), as_=scene.admin)
    assert cleared["setTeacherDistinction"]["person"]["distinction"] is None
    for who, code in ((scene.county, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        body = await api.gql(SET_DISTINCTION, _distinction(teacher, "SPECIAL_GRADE"), as_=who)
        assert error_codes(body) == [code]
    assert (await Person.get(id=teacher.id)).distinction is None
    nobody = await api.data(
        SET_DISTINCTION, _distinction(encode_id("Person", 999999), None), as_=scene.admin
    )
    assert nobody["setTeacherDistinction"] == refused(
        "person", "NOT_FOUND", "找不到该人员", "personId"
    )


async def test_the_ledger_credits_distinguished_tutors_only_unless_the_policy_says_all(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    special = await scene.tutor(workshop, "特级教师")
    leader = await scene.tutor(workshop, "学科带头人")
    ordinary = await scene.tutor(workshop, "普通辅导教师")
    # A distinguished teacher who studied as a trainee earns the year's hours, not the credit.
    trainee = await scene.trainee(workshop, batch, "特级学员")
    await studied(trainee, online_hours=6, offline_hours=16)
    await graded_homework(trainee, GradeLevel.PASS, GradeLevel.PASS)
    await posted(trainee, 2)
    clock.set(local(2012, 5, 20, 10, 0))
    for person, distinction in (
        (special, "SPECIAL_GRADE"),
        (leader, "PROVINCIAL_SUBJECT_LEADER"),
        (await Person.get(id=trainee.teacher_id), "SPECIAL_GRADE"),
    ):
        ok(await api.data(SET_DISTINCTION, _distinction(person, distinction), as_=scene.admin))

    await scene.compute(program)

    def ledger(hours: int) -> dict[str, Any]:
        return {
            "myCreditLedger": {
                "cycleHours": 360,
                "hours": hours,
                "missingHours": 360 - hours,
                "lines": [{"year": "2012学年", "hours": hours, "source": "certificate"}],
            }
        }

    assert await api.data(LEDGER, as_=special) == ledger(72)
    assert await api.data(LEDGER, as_=leader) == ledger(72)
    assert await api.data(LEDGER, as_=ordinary) == ledger(0)
    assert await api.data(LEDGER, as_=await Person.get(id=trainee.teacher_id)) == ledger(22)
    explanations = {
        r.teacher_id: (r.outcome.value, r.explanation)
        for r in await AssessmentResult.filter(program_id=program.id)
    }
    assert explanations[special.id] == (
        "exempt",
        "工作室辅导团队成员，免予选学研修（R7）；辅导服务冲抵72学时",
    )
    assert explanations[ordinary.id] == (
        "exempt",
        "工作室辅导团队成员，免予选学研修（R7）；辅导服务不冲抵学时",
    )

    # The policy credits every member, with its own hours: recomputed, the ledger follows.
    ok(
        await api.data(
            UPDATE_ASSESSMENT,
            {
                "input": {
                    "programId": gid(program),
                    "tutorServiceCreditForAll": True,
                    "tutorServiceHours": 22,
                }
            },
            as_=scene.admin,
        )
    )
    await scene.compute(program)
    assert await api.data(LEDGER, as_=ordinary) == ledger(22)
    assert await api.data(LEDGER, as_=special) == ledger(22)


async def test_the_policy_refuses_transitional_settings_out_of_range(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    program, _, _ = await scene.program("江西2012", "2012学年", dt.date(2012, 4, 27), assessment={})
    admin = await make_admin("province2", Role.PROVINCE_ADMIN)
    for field, value, message in (
        ("transitionalProcessWeight", 101, "须在0至100之间"),
        ("transitionalPassMark", -1, "须在0至100之间"),
        ("townshipWeight", -1, "不能为负数"),
        ("townshipMinHours", -1, "不能为负数"),
    ):
        data = await api.data(
            UPDATE_ASSESSMENT, {"input": {"programId": gid(program), field: value}}, as_=admin
        )
        assert data["updateAssessmentPolicy"] == {
            "userErrors": [{"code": "INVALID_INPUT", "field": ["input", field], "message": message}]
        }
