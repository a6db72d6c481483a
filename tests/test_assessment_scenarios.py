"""Three programs walked to results and certificates (issue 7), each set up by its settings
only and through the API only (tests/assessment_world.py: mutations with tokens, the fixed
clock advanced for the heartbeats): Jiangxi 2012 (workshop phase, make-up next year), Jiangxi
2022 (60 hours, no make-up, other county-level training), Fujian Hanjiang 2009 (a required
course before electives, notes, posts, a reflection, mock / formal exams). Each has a PASSED,
a FAILED with its explanation, an EXEMPT (the class tutor, R7) and an ABSENT."""

import datetime as dt

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import GradeLevel, Post, Role, TitleRank
from lms_plugin.storage.models import Course, Person

from .api import Api, error_codes, refused
from .assessment_world import COMPUTE, MAKE_UP, RECORD_EXAM, make_scene, ok
from .conftest import local
from .factories import gid, make_admin

# Jiangxi 2012's workshop phase: 6 + 16 hours; study, homework and discussion weighed.
JIANGXI_2012 = {
    "targetHours": 22,
    "newTeacherTargetHours": 22,
    "studyWeight": 50,
    "homeworkWeight": 30,
    "discussionWeight": 20,
    "outcomeWeight": 0,
}


async def test_jiangxi_2012_passed_failed_exempt_absent_and_make_up_the_next_year(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    passer = await scene.trainee(workshop, batch, "合格者")
    await scene.study(passer, online_hours=6, offline_hours=16)
    await scene.homework(passer, GradeLevel.PASS, GradeLevel.GOOD)
    await scene.discuss(passer, 2)
    failer = await scene.trainee(workshop, batch, "不合格者")
    await scene.study(failer, online_hours=6, offline_hours=16)
    await scene.homework(failer, GradeLevel.PASS)
    await scene.discuss(failer, 2)
    absentee = await scene.trainee(workshop, batch, "缺考者")

    # Before the window opens (5/17) nothing is computed.
    clock.set(local(2012, 5, 16, 10, 0))
    early = await api.data(COMPUTE, {"input": {"programId": gid(program)}}, as_=scene.admin)
    assert early["computeAssessmentResults"] == refused(
        "summary", "ASSESSMENT_NOT_OPEN", "考核尚未开始（考核自2012年05月17日开始）", "programId"
    )

    clock.set(local(2012, 5, 20, 10, 0))
    await scene.exam(failer, "FORMAL", 50)
    assert await scene.compute(program) == {
        "counts": [
            {"outcome": "PASSED", "count": 1},
            {"outcome": "FAILED", "count": 1},
            {"outcome": "EXEMPT", "count": 1},
            {"outcome": "ABSENT", "count": 1},
        ],
        "changed": 4,
    }
    assert await scene.result(passer) == {
        "outcome": "PASSED",
        "score": 93,
        "explanation": "合格：得93分，合格线60分（过程性考核合格，免考）",
        "makeUp": False,
        "components": [
            {"kind": "STUDY", "required": 1320, "has": 1320, "score": 100, "missing": None},
            {"kind": "HOMEWORK", "required": 2, "has": 2, "score": 77, "missing": None},
            {"kind": "DISCUSSION", "required": 2, "has": 2, "score": 100, "missing": None},
        ],
        "history": [{"outcomeBefore": None, "outcome": "PASSED", "score": 93}],
    }
    failed = await scene.result(failer)
    assert (failed["outcome"], failed["explanation"]) == (
        "FAILED",
        "考试未达合格：正考得50分，需60分",
    )
    # Component by component, the one short: a homework.
    assert failed["components"][1] == {
        "kind": "HOMEWORK",
        "required": 2,
        "has": 1,
        "score": 35,
        "missing": "作业未达合格：已交合格1篇，需2篇",
    }
    assert (await scene.result(absentee))["explanation"] == "未参加研修：没有任何学习记录"

    # A recomputation that changes nothing keeps no change.
    assert (await scene.compute(program))["changed"] == 0

    assert await scene.certificates(passer) == [
        {
            "year": "2012学年",
            "hours": 22,
            "credits": "1.10",
            "outcome": "PASSED",
            "grade": "PASS",
            "makeUp": False,
            "issuer": "江西省中小学教师远程培训中心",
            "holderName": "合格者",
            "code": (await scene.certificates(passer))[0]["code"],
        }
    ]
    # The class tutor is on the tutor team: exempt (R7).
    tutor = await Person.get(username="辅导2012学年")
    tutor_certificates = await api.data("{ myCertificates { hours credits outcome } }", as_=tutor)
    # Neither a special-grade teacher nor a subject leader: exempt, no hours (seed 002 §二(二)).
    assert tutor_certificates == {
        "myCertificates": [{"hours": 0, "credits": "0.00", "outcome": "EXEMPT"}]
    }

    # 2013: the failure and the absentee make up (补修) — one passes, one fails again.
    later, later_batch, later_workshop = await scene.program(
        "江西2013", "2013学年", dt.date(2013, 4, 27), assessment=JIANGXI_2012
    )
    made_up = await scene.trainee(later_workshop, later_batch, "不合格者")
    failed_again = await scene.trainee(later_workshop, later_batch, "缺考者")
    for enrollment, earlier in ((made_up, failer), (failed_again, absentee)):
        data = await api.data(
            MAKE_UP,
            {"input": {"enrollmentId": gid(enrollment), "makeUpOfId": gid(earlier)}},
            as_=scene.county,
        )
        assert ok(data)["enrollment"] == {"makeUp": True}
    await scene.study(made_up, online_hours=6, offline_hours=16)
    await scene.homework(made_up, GradeLevel.GOOD, GradeLevel.GOOD)
    await scene.discuss(made_up, 2)
    await scene.study(failed_again, online_hours=1, offline_hours=0)
    await scene.exam(failed_again, "FORMAL", 40)
    clock.set(local(2013, 5, 20, 10, 0))
    await scene.compute(later)

    assert [
        (c["year"], c["outcome"], c["hours"], c["makeUp"])
        for c in await scene.certificates(made_up)
    ] == [
        ("2012学年", "FAILED", 0, False),
        ("2013学年", "PASSED", 22, True),
    ]
    # A failed make-up is never on the certificate (seed 000 §五.6).
    assert (await scene.result(failed_again))["makeUp"] is True
    assert [(c["year"], c["outcome"]) for c in await scene.certificates(failed_again)] == [
        ("2012学年", "ABSENT")
    ]


async def test_a_recomputation_keeps_every_change_with_who_and_when(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    late = await scene.trainee(workshop, batch, "迟到者")
    clock.set(local(2012, 5, 20, 10, 0))
    await scene.compute(program)
    await scene.study(late, online_hours=6, offline_hours=16)
    await scene.homework(late, GradeLevel.PASS, GradeLevel.PASS)
    await scene.discuss(late, 2)
    clock.set(local(2012, 5, 21, 9, 0))
    await scene.compute(program)

    data = await api.data(
        """query ($id: ID!) { node(id: $id) { ... on Enrollment { result {
             history { outcomeBefore scoreBefore outcome score changedById changedAt } } } } }""",
        {"id": gid(late)},
        as_=scene.admin,
    )
    assert data["node"]["result"]["history"] == [
        {
            "outcomeBefore": None,
            "scoreBefore": None,
            "outcome": "ABSENT",
            "score": 0,
            "changedById": gid(scene.admin),
            "changedAt": "2012-05-20T10:00:00+08:00",
        },
        {
            "outcomeBefore": "ABSENT",
            "scoreBefore": 0,
            "outcome": "PASSED",
            "score": 91,
            "changedById": gid(scene.admin),
            "changedAt": "2012-05-21T09:00:00+08:00",
        },
    ]


async def test_jiangxi_2022_sixty_hours_no_make_up_and_credits_of_twenty_hours(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    policy = {
        "targetHours": 60,
        "newTeacherTargetHours": 60,
        "studyWeight": 100,
        "homeworkWeight": 0,
        "discussionWeight": 0,
        "outcomeWeight": 0,
        "makeUpAllowed": False,
    }
    program, batch, workshop = await scene.program(
        "江西2022", "2022学年", dt.date(2022, 7, 23), assessment=policy
    )
    await scene.course(program, "师德修养", 38, required=True)
    passer = await scene.trainee(workshop, batch, "合格者")
    await scene.study(passer, online_hours=6, offline_hours=16)
    await scene.study(passer, online_hours=38, course="师德修养")
    failer = await scene.trainee(workshop, batch, "不合格者")
    await scene.study(failer, online_hours=6, offline_hours=16)
    await scene.exam(failer, "FORMAL", 59)
    await scene.trainee(workshop, batch, "缺考者")
    clock.set(local(2022, 8, 13, 10, 0))
    # The class tutor is on the tutor team: EXEMPT (R7).
    assert (await scene.compute(program))["counts"] == [
        {"outcome": "PASSED", "count": 1},
        {"outcome": "FAILED", "count": 1},
        {"outcome": "EXEMPT", "count": 1},
        {"outcome": "ABSENT", "count": 1},
    ]

    assert [(c["hours"], c["credits"], c["outcome"]) for c in await scene.certificates(passer)] == [
        (60, "3.00", "PASSED")
    ]
    assert (await scene.result(failer))["explanation"] == "考试未达合格：正考得59分，需60分"
    _later, later_batch, later_workshop = await scene.program(
        "江西2023", "2023学年", dt.date(2023, 7, 23), assessment=policy
    )
    again = await scene.trainee(later_workshop, later_batch, "不合格者")
    data = await api.data(
        MAKE_UP,
        {"input": {"enrollmentId": gid(again), "makeUpOfId": gid(failer)}},
        as_=scene.county,
    )
    assert data["enrollMakeUp"] == refused(
        "enrollment", "MAKE_UP_NOT_ALLOWED", "原项目不安排补修", "makeUpOfId"
    )


async def test_fujian_2009_required_course_notes_posts_and_exams(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    policy = {
        "targetHours": 48,
        "juniorTitleTargetHours": 36,
        "studyWeight": 40,
        "homeworkWeight": 0,
        "discussionWeight": 20,
        "outcomeWeight": 0,
        "notesWeight": 25,
        "reflectionWeight": 15,
        "examExemptWhenComplete": False,
    }
    no_workshop_hours = {
        "networkOnlineHours": 0,
        "networkOfflineHours": 0,
        "transitionalOnlineHours": 0,
        "transitionalOfflineHours": 0,
    }
    program, batch, workshop = await scene.program(
        "福建涵江2009", "2009学年", dt.date(2009, 7, 1), assessment=policy, hours=no_workshop_hours
    )
    await scene.course(program, "班主任工作", 30, required=True)
    await scene.course(program, "新课程改革", 18, required=False)
    elective = await Course.get(name="新课程改革")
    senior = await scene.trainee(
        workshop, batch, "高级教师", post=Post.TEACHER, titleRank=TitleRank.SENIOR
    )
    junior = await scene.trainee(workshop, batch, "初级教师", titleRank=TitleRank.JUNIOR)
    retaker = await scene.trainee(workshop, batch, "补考者", titleRank=TitleRank.JUNIOR)
    clock.set(local(2009, 7, 2, 10, 0))

    # The elective is refused before the required course is complete.
    teacher = await Person.get(username="高级教师")
    start = """mutation ($input: StartStudySessionInput!) { startStudySession(input: $input) {
        session { course { name } } userErrors { code field message } } }"""
    refused_elective = await api.data(start, {"input": {"courseId": gid(elective)}}, as_=teacher)
    assert refused_elective["startStudySession"] == refused(
        "session",
        "COURSE_LOCKED",
        "须先修完必修课程《班主任工作》（已学0学时，需30学时），才能学习选修课程",
        "courseId",
    )
    # Once the required course is complete the elective opens (study() starts it).
    await scene.study(senior, online_hours=30, course="班主任工作")
    await scene.study(senior, online_hours=18, course="新课程改革")
    # The junior title owes 36 hours: the required course and 6 of the elective.
    await scene.study(junior, online_hours=30, course="班主任工作")
    await scene.study(junior, online_hours=6, course="新课程改革")
    await scene.study(retaker, online_hours=30, course="班主任工作")
    await scene.study(retaker, online_hours=6, course="新课程改革")

    # Notes of 4,999 counted characters are refused; 5,000 are accepted.
    write = """mutation ($input: SubmitStudyWritingInput!) { submitStudyWriting(input: $input) {
        writing { kind characters } userErrors { code field message } } }"""
    short = await api.data(
        write, {"input": {"kind": "NOTES", "text": "笔" * 4999 + "。\n"}}, as_=teacher
    )
    assert short["submitStudyWriting"] == refused(
        "writing", "TOO_SHORT", "学习笔记不少于5000字，现有4999字", "text"
    )
    for who in (
        teacher,
        await Person.get(username="初级教师"),
        await Person.get(username="补考者"),
    ):
        for kind, length in (("NOTES", 5000), ("REFLECTION", 1000)):
            written = await api.data(
                write, {"input": {"kind": kind, "text": "字" * length}}, as_=who
            )
            assert ok(written)["writing"] == {"kind": kind, "characters": length}
    await scene.discuss(senior, 2)
    await scene.discuss(junior, 1)  # one post short of two
    await scene.discuss(retaker, 2)

    # A mock exam changes nothing: the formal decides.
    await scene.exam(senior, "MOCK", 0)
    await scene.exam(senior, "FORMAL", 88)
    await scene.exam(junior, "MOCK", 100)
    await scene.exam(junior, "FORMAL", 90)
    # A failed formal exam is made up by the make-up exam (补考).
    await scene.exam(retaker, "FORMAL", 50)
    await scene.exam(retaker, "MAKE_UP", 75)
    absentee = await scene.trainee(workshop, batch, "缺考者")
    clock.set(local(2009, 7, 25, 10, 0))
    assert (await scene.compute(program))["counts"] == [
        {"outcome": "PASSED", "count": 2},
        {"outcome": "FAILED", "count": 1},
        {"outcome": "EXEMPT", "count": 1},
        {"outcome": "ABSENT", "count": 1},
    ]
    assert (await scene.result(absentee))["explanation"] == "未参加研修：没有任何学习记录"
    made_up = await scene.result(retaker)
    assert (made_up["outcome"], made_up["explanation"]) == (
        "PASSED",
        "合格：补考得75分，过程性考核得100分",
    )
    assert [(c["hours"], c["outcome"]) for c in await scene.certificates(retaker)] == [
        (36, "PASSED")
    ]

    assert await scene.result(senior) | {"components": None, "history": None} == {
        "outcome": "PASSED",
        "score": 100,
        "explanation": "合格：正考得88分，过程性考核得100分",
        "makeUp": False,
        "components": None,
        "history": None,
    }
    failed = await scene.result(junior)
    assert (failed["outcome"], failed["explanation"]) == (
        "FAILED",
        "研讨发帖未达要求：已有1帖，需2帖",
    )
    assert [c["kind"] for c in failed["components"]] == [
        "STUDY",
        "DISCUSSION",
        "NOTES",
        "REFLECTION",
    ]
    assert failed["components"][0] == {
        "kind": "STUDY",
        "required": 36 * 60,
        "has": 36 * 60,
        "score": 100,
        "missing": None,
    }
    assert [(c["hours"], c["outcome"]) for c in await scene.certificates(senior)] == [
        (48, "PASSED")
    ]


async def test_only_admins_of_the_trainees_scope_record_exams_and_make_ups(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    trainee = await scene.trainee(workshop, batch, "学员")
    other_county = await make_admin("other", Role.COUNTY_ADMIN, region=scene.org.other_county)
    variables = {"input": {"enrollmentId": gid(trainee), "kind": "FORMAL", "score": 70}}
    make_up = {"input": {"enrollmentId": gid(trainee), "makeUpOfId": gid(trainee)}}

    outside = await api.data(RECORD_EXAM, variables, as_=other_county)
    trainee_person = await Person.get(username="学员")
    as_trainee = await api.gql(RECORD_EXAM, variables, as_=trainee_person)
    anonymous = await api.gql(RECORD_EXAM, variables, as_=None)
    compute_by_county = await api.gql(
        COMPUTE, {"input": {"programId": gid(program)}}, as_=scene.county
    )
    make_up_outside = await api.data(MAKE_UP, make_up, as_=other_county)
    make_up_anonymous = await api.gql(MAKE_UP, make_up, as_=None)
    bad_score = await api.data(
        RECORD_EXAM, {"input": {**variables["input"], "score": 101}}, as_=scene.county
    )

    not_found = refused(
        "examResult", "NOT_FOUND", "找不到该教师，或不在你的管辖范围内", "enrollmentId"
    )
    assert outside["recordExamResult"] == not_found
    assert error_codes(as_trainee) == ["FORBIDDEN"]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(compute_by_county) == ["FORBIDDEN"]
    assert make_up_outside["enrollMakeUp"] == refused(
        "enrollment", "NOT_FOUND", "找不到该教师，或不在你的管辖范围内", "enrollmentId"
    )
    assert error_codes(make_up_anonymous) == ["UNAUTHENTICATED"]
    assert bad_score["recordExamResult"] == refused(
        "examResult", "INVALID_INPUT", "成绩须在0至100之间", "score"
    )
