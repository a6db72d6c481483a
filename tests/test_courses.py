"""Courses beside the workshops over HTTP (issue 7): a province admin opens them, trainees study
them through the same timer and ledger as workshop topics, each course counting once up to its
hours, electives only after the required courses (seed 004); the year's hours against the
target the assessment policy sets by post and title rank."""

from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import CourseCategory, Post, Role, TitleRank
from lms_plugin.storage.models import AssessmentPolicy, Course, CourseProgress, Person, Program

from .api import Api, error_codes, refused
from .conftest import local
from .factories import gid, make_admin
from .study_world import END, LEDGER, beat, make_world

CREATE_COURSE = """
mutation ($input: CreateCourseInput!) {
  createCourse(input: $input) {
    course { name category hours required position }
    userErrors { code field message }
  }
}"""

START_COURSE = """
mutation ($input: StartStudySessionInput!) {
  startStudySession(input: $input) {
    session { id topic { title } course { name } }
    userErrors { code field message }
  }
}"""

COURSES = """
{ viewer { enrollment {
    courses { course { name } seconds hours complete open }
    yearHours { targetHours courseMinutes workshopMinutes countedHours missingHours }
    hourProgress { onlineSeconds }
} } }"""

UPDATE_ASSESSMENT = """
mutation ($input: UpdateAssessmentPolicyInput!) {
  updateAssessmentPolicy(input: $input) {
    policy { programId targetHours newTeacherTargetHours juniorTitleTargetHours
             studyWeight homeworkWeight discussionWeight outcomeWeight notesWeight
             reflectionWeight homeworkMinCount discussionMinPosts outcomeMinCount
             notesMinCharacters reflectionMinCharacters passMark examExemptWhenComplete
             examPassMark makeUpAllowed hoursPerCredit }
    userErrors { code field message }
  }
}"""


async def _create(
    api: Api, who: Person | None, program: Program, name: str, *, required: bool, hours: int = 1
) -> dict[str, Any]:
    return await api.gql(
        CREATE_COURSE,
        {
            "input": {
                "programId": gid(program),
                "name": name,
                "category": "PUBLIC" if required else "PROFESSIONAL",
                "hours": hours,
                "required": required,
                "position": 0 if required else 1,
            }
        },
        as_=who,
    )


async def _start(api: Api, who: Person, course: Course) -> dict[str, Any]:
    data = await api.data(START_COURSE, {"input": {"courseId": gid(course)}}, as_=who)
    payload: dict[str, Any] = data["startStudySession"]
    return payload


async def test_electives_open_after_the_required_course_which_counts_up_to_its_hours(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    created = await _create(api, admin, world.program, "班主任工作", required=True)
    assert created["data"]["createCourse"] == {
        "course": {
            "name": "班主任工作",
            "category": "PUBLIC",
            "hours": 1,
            "required": True,
            "position": 0,
        },
        "userErrors": [],
    }
    await _create(api, admin, world.program, "新课程改革", required=False)
    required = await Course.get(name="班主任工作")
    elective = await Course.get(name="新课程改革")
    clock.set(local(2012, 4, 27, 10, 0))

    # Seed 004: the elective is refused before the required course is complete.
    assert await _start(api, world.trainee, elective) == refused(
        "session",
        "COURSE_LOCKED",
        "须先修完必修课程《班主任工作》（已学0学时，需1学时），才能学习选修课程",
        "courseId",
    )

    started = await _start(api, world.trainee, required)
    assert started["session"]["topic"] is None
    assert started["session"]["course"] == {"name": "班主任工作"}
    session_id = started["session"]["id"]
    # 31 beats of two minutes: 60 counted minutes, then two over the course's hour.
    for sequence in range(1, 32):
        clock.advance(seconds=120)
        payload = await beat(api, world.trainee, session_id, sequence)
        assert payload["userErrors"] == []
    assert payload["heartbeat"]["onlineSeconds"] == 3600
    assert payload["heartbeat"]["pieces"] == [
        {
            "kind": "OVER_QUOTA",
            "seconds": 120,
            "startsAt": "2012-04-27T11:00:00+08:00",
            "endsAt": "2012-04-27T11:02:00+08:00",
        }
    ]
    ledger = await api.data(LEDGER, {"first": 10}, as_=world.trainee)
    # Newest first, as the ledger lists.
    assert [(n["kind"], n["seconds"]) for n in ledger["studyLedger"]["nodes"]] == [
        ("OVER_QUOTA", 120),
        ("COUNTED", 3600),
    ]
    ended = await api.data(END, {"input": {"sessionId": session_id}}, as_=world.trainee)
    assert ended["endStudySession"]["userErrors"] == []

    again = await _start(api, world.trainee, elective)
    assert again["userErrors"] == []
    assert again["session"]["course"] == {"name": "新课程改革"}

    data = await api.data(COURSES, as_=world.trainee)
    assert data["viewer"]["enrollment"] == {
        "courses": [
            {
                "course": {"name": "班主任工作"},
                "seconds": 3600,
                "hours": 1.0,
                "complete": True,
                "open": True,
            },
            {
                "course": {"name": "新课程改革"},
                "seconds": 0,
                "hours": 0.0,
                "complete": False,
                "open": True,
            },
        ],
        # The 2011 plan's 72 hours; the course's hour counts, the workshop's time is apart.
        "yearHours": {
            "targetHours": 72,
            "courseMinutes": 60,
            "workshopMinutes": 0,
            "countedHours": 1.0,
            "missingHours": 71.0,
        },
        "hourProgress": {"onlineSeconds": 0},
    }


async def test_a_course_of_another_program_or_with_a_topic_is_refused(api: Api) -> None:
    world = await make_world()
    course = await Course.create(
        program_id=world.program.id, name="课程", category=CourseCategory.LOCAL, hours=2
    )

    both = await api.data(
        START_COURSE,
        {"input": {"courseId": gid(course), "topicId": gid(world.topic)}},
        as_=world.trainee,
    )
    not_enrolled = await api.data(
        START_COURSE, {"input": {"courseId": gid(course)}}, as_=world.outsider
    )

    assert both["startStudySession"] == refused(
        "session", "INVALID_INPUT", "课程与专题、资源只能选择一项", "courseId"
    )
    assert not_enrolled["startStudySession"] == refused(
        "session", "NOT_ENROLLED", "你尚未报名参加研修"
    )


@pytest.mark.parametrize(
    ("post", "title_rank", "target"),
    [
        (Post.TEACHER, TitleRank.SENIOR, 48),
        (Post.TEACHER, TitleRank.INTERMEDIATE, 48),
        (Post.TEACHER, TitleRank.JUNIOR, 36),
        (Post.NEW_TEACHER, TitleRank.JUNIOR, 60),
    ],
)
async def test_the_yearly_target_follows_post_and_title_rank(
    api: Api, post: Post, title_rank: TitleRank, target: int
) -> None:
    world = await make_world()
    await Person.filter(id=world.trainee.id).update(post=post, title_rank=title_rank)
    await AssessmentPolicy.filter(program_id=world.program.id).update(
        target_hours=48, junior_title_target_hours=36, new_teacher_target_hours=60
    )

    data = await api.data(COURSES, as_=world.trainee)

    assert data["viewer"]["enrollment"]["yearHours"]["targetHours"] == target


async def test_a_province_admin_sets_fujian_2009_assessment_policy(api: Api) -> None:
    world = await make_world()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    fujian = {
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

    data = await api.data(
        UPDATE_ASSESSMENT, {"input": {"programId": gid(world.program), **fujian}}, as_=admin
    )

    assert data["updateAssessmentPolicy"] == {
        "policy": {
            "programId": gid(world.program),
            "newTeacherTargetHours": 122,
            "homeworkMinCount": 2,
            "discussionMinPosts": 2,
            "outcomeMinCount": 1,
            "notesMinCharacters": 5000,
            "reflectionMinCharacters": 1000,
            "passMark": 60,
            "examPassMark": 60,
            "makeUpAllowed": True,
            "hoursPerCredit": 20,
            **fujian,
        },
        "userErrors": [],
    }


async def test_weights_must_add_up_to_100_and_marks_stay_out_of_100(api: Api) -> None:
    world = await make_world()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)

    weights = await api.data(
        UPDATE_ASSESSMENT,
        {"input": {"programId": gid(world.program), "studyWeight": 60}},
        as_=admin,
    )
    mark = await api.data(
        UPDATE_ASSESSMENT,
        {"input": {"programId": gid(world.program), "passMark": 101, "hoursPerCredit": 0}},
        as_=admin,
    )

    assert weights["updateAssessmentPolicy"] == refused(
        "policy", "INVALID_INPUT", "六项权重之和须为100", "studyWeight"
    )
    assert mark["updateAssessmentPolicy"] == {
        "policy": None,
        "userErrors": [
            {
                "code": "INVALID_INPUT",
                "field": ["input", "hoursPerCredit"],
                "message": "须为正整数",
            },
            {"code": "INVALID_INPUT", "field": ["input", "passMark"], "message": "须在0至100之间"},
        ],
    }
    policy = await AssessmentPolicy.get(program_id=world.program.id)
    assert (policy.study_weight, policy.pass_mark, policy.hours_per_credit) == (50, 60, 20)


@pytest.mark.parametrize("caller", [None, "trainee", "county"])
async def test_only_a_province_admin_creates_courses_and_sets_the_assessment_policy(
    api: Api, caller: str | None
) -> None:
    world = await make_world()
    who: Person | None = None
    if caller == "trainee":
        who = world.trainee
    elif caller == "county":
        who = await make_admin("county", Role.COUNTY_ADMIN, region=world.org.county)

    course = await _create(api, who, world.program, "班主任工作", required=True)
    policy = await api.gql(
        UPDATE_ASSESSMENT, {"input": {"programId": gid(world.program), "passMark": 70}}, as_=who
    )

    expected = ["UNAUTHENTICATED" if who is None else "FORBIDDEN"]
    assert (error_codes(course), error_codes(policy)) == (expected, expected)
    assert not await Course.exists()
    assert (await AssessmentPolicy.get(program_id=world.program.id)).pass_mark == 60


FORECAST = """
query ($id: ID!) { node(id: $id) { ... on Enrollment { assessmentForecast {
    outcome score explanation components { kind weight required has score missing } } } } }"""


async def test_the_forecast_explains_what_is_missing_to_the_trainee_and_the_tutor(
    api: Api,
) -> None:
    world = await make_world()
    # Study time alone, against a yearly target of one hour (all course time here).
    await AssessmentPolicy.filter(program_id=world.program.id).update(
        target_hours=1, study_weight=100, homework_weight=0, discussion_weight=0, outcome_weight=0
    )
    course = await Course.create(
        program_id=world.program.id, name="课程", category=CourseCategory.PUBLIC, hours=1
    )
    progress = await CourseProgress.create(
        enrollment_id=world.enrollment.id, course_id=course.id, seconds=59 * 60
    )
    variables = {"id": gid(world.enrollment)}

    short = await api.data(FORECAST, variables, as_=world.trainee)
    await CourseProgress.filter(id=progress.id).update(seconds=3600)
    complete = await api.data(FORECAST, variables, as_=world.tutor)
    outsider = await api.data(FORECAST, variables, as_=world.outsider)

    assert short["node"]["assessmentForecast"] == {
        "outcome": "FAILED",
        "score": 98,
        "explanation": "学时未达要求：已学59分钟，需60分钟（差1分钟）",
        "components": [
            {
                "kind": "STUDY",
                "weight": 100,
                "required": 60,
                "has": 59,
                "score": 98,
                "missing": "学时未达要求：已学59分钟，需60分钟（差1分钟）",
            }
        ],
    }
    assert complete["node"]["assessmentForecast"] == {
        "outcome": "PASSED",
        "score": 100,
        "explanation": "合格：得100分，合格线60分",
        "components": [
            {
                "kind": "STUDY",
                "weight": 100,
                "required": 60,
                "has": 60,
                "score": 100,
                "missing": None,
            }
        ],
    }
    assert outsider == {"node": None}
