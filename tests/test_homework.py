"""Homework over HTTP (R1, R10): assignments, submissions in the window, return, grading, the
grading queue, and who may do and see what."""

import asyncio
import datetime as dt
from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.core.calendar import day_window
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.homework import rules as homework_rules
from lms_plugin.storage.enums import EnrollmentStatus, Role, SubmissionStatus
from lms_plugin.storage.models import (
    Attachment,
    Enrollment,
    Program,
    Submission,
    SubmissionRevision,
)

from .api import Api, error_codes, refused
from .conftest import local
from .factories import enroll, gid, make_admin, make_attachment
from .homework_world import (
    CLOSED,
    IN_WINDOW,
    LAST_SECOND,
    OPENS,
    RETURN,
    World,
    first_version,
    grade,
    graded_version,
    make_world,
    shown,
    submit,
    submitted_id,
)

ASSIGNMENT = """
  title instructions dueAt createdAt createdBy { realName } workshop { name }
"""

CREATE_ASSIGNMENT = f"""
mutation ($input: CreateAssignmentInput!) {{
  createAssignment(input: $input) {{
    assignment {{ {ASSIGNMENT} }}
    userErrors {{ code field message }}
  }}
}}"""

UPDATE_ASSIGNMENT = f"""
mutation ($input: UpdateAssignmentInput!) {{
  updateAssignment(input: $input) {{
    assignment {{ {ASSIGNMENT} }}
    userErrors {{ code field message }}
  }}
}}"""

WINDOW_MESSAGE = "截止时间须在研修时间2012年04月27日至2012年05月08日之内"


def _create_input(world: World, due_at: str, title: str = "课例研究") -> dict[str, Any]:
    return {
        "input": {
            "workshopId": gid(world.workshop),
            "title": title,
            "instructions": "观摩一节课并写出评课报告",
            "dueAt": due_at,
        }
    }


def _assignment(title: str, due_at: str, created_by: str) -> dict[str, Any]:
    return {
        "title": title,
        "instructions": "观摩一节课并写出评课报告",
        "dueAt": due_at,
        "createdAt": "2012-04-20T10:00:00+08:00",
        "createdBy": {"realName": created_by},
        "workshop": {"name": "high-数学名师网络研修工作室"},
    }


# ---------------------------------------------------------------- assignments


@pytest.mark.parametrize(("who", "name"), [("leader", "王名师"), ("tutor", "李辅导")])
async def test_the_leader_or_a_team_member_sets_an_assignment_due_on_the_last_second(
    api: Api, who: str, name: str
) -> None:
    world = await make_world()

    data = await api.data(
        CREATE_ASSIGNMENT,
        _create_input(world, "2012-05-08T23:59:59+08:00"),
        as_=world.person(who),
    )

    assert data == {
        "createAssignment": {
            "assignment": _assignment("课例研究", "2012-05-08T23:59:59+08:00", name),
            "userErrors": [],
        }
    }


async def test_a_due_time_without_offset_is_read_in_the_program_time_zone(api: Api) -> None:
    world = await make_world()

    data = await api.data(
        CREATE_ASSIGNMENT, _create_input(world, "2012-04-27T00:00:00"), as_=world.leader
    )

    assert data["createAssignment"]["assignment"]["dueAt"] == "2012-04-27T00:00:00+08:00"


@pytest.mark.parametrize(
    "due_at", ["2012-04-26T23:59:59+08:00", "2012-05-09T00:00:00+08:00", "2012-06-05T12:00:00"]
)
async def test_a_due_time_outside_the_batch_window_is_refused(api: Api, due_at: str) -> None:
    world = await make_world()

    data = await api.data(CREATE_ASSIGNMENT, _create_input(world, due_at), as_=world.leader)

    assert data == {
        "createAssignment": refused("assignment", "INVALID_INPUT", WINDOW_MESSAGE, "dueAt")
    }


async def test_a_due_time_must_lie_after_now(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 4, 28, 10, 0))

    at_now = await api.data(
        CREATE_ASSIGNMENT, _create_input(world, "2012-04-28T10:00:00+08:00"), as_=world.leader
    )
    a_second_later = await api.data(
        CREATE_ASSIGNMENT, _create_input(world, "2012-04-28T10:00:01+08:00"), as_=world.leader
    )

    assert at_now == {
        "createAssignment": refused(
            "assignment", "INVALID_INPUT", "截止时间须晚于当前时间", "dueAt"
        )
    }
    assert a_second_later["createAssignment"]["userErrors"] == []


async def test_an_empty_title_is_refused(api: Api) -> None:
    world = await make_world()

    data = await api.data(
        CREATE_ASSIGNMENT,
        _create_input(world, "2012-05-01T12:00:00+08:00", title="  "),
        as_=world.leader,
    )

    assert data == {
        "createAssignment": refused("assignment", "INVALID_INPUT", "标题须为1到128个字", "title")
    }


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("other_leader", "FORBIDDEN"),
        ("trainee", "FORBIDDEN"),
        ("province_admin", "FORBIDDEN"),
        ("nobody", "UNAUTHENTICATED"),
    ],
)
async def test_only_the_workshop_team_sets_assignments(api: Api, who: str, code: str) -> None:
    world = await make_world()

    body = await api.gql(
        CREATE_ASSIGNMENT, _create_input(world, "2012-05-01T12:00:00+08:00"), as_=world.person(who)
    )

    assert body["data"] is None
    assert error_codes(body) == [code]


async def test_the_team_changes_an_assignment_and_the_due_time_is_checked_again(
    api: Api,
) -> None:
    world = await make_world()

    changed = await api.data(
        UPDATE_ASSIGNMENT,
        {"input": {"id": world.assignment_id, "title": "教学设计（修订）", "dueAt": None}},
        as_=world.other_tutor,
    )
    late = await api.data(
        UPDATE_ASSIGNMENT,
        {"input": {"id": world.assignment_id, "dueAt": "2012-05-09T00:00:00+08:00"}},
        as_=world.other_tutor,
    )

    assert changed == {
        "updateAssignment": {
            "assignment": {
                "title": "教学设计（修订）",
                "instructions": "提交一份函数单元的教学设计",
                "dueAt": shown(LAST_SECOND),
                "createdAt": "2012-04-20T09:00:00+08:00",
                "createdBy": {"realName": "王名师"},
                "workshop": {"name": "high-数学名师网络研修工作室"},
            },
            "userErrors": [],
        }
    }
    assert late == {
        "updateAssignment": refused("assignment", "INVALID_INPUT", WINDOW_MESSAGE, "dueAt")
    }


@pytest.mark.parametrize(
    ("who", "code"), [("other_leader", "FORBIDDEN"), ("nobody", "UNAUTHENTICATED")]
)
async def test_only_the_workshop_team_changes_assignments(api: Api, who: str, code: str) -> None:
    world = await make_world()

    body = await api.gql(
        UPDATE_ASSIGNMENT,
        {"input": {"id": world.assignment_id, "title": "改"}},
        as_=world.person(who),
    )

    assert body["data"] is None
    assert error_codes(body) == [code]


async def test_changing_an_unknown_assignment_is_not_found(api: Api) -> None:
    world = await make_world()

    data = await api.data(
        UPDATE_ASSIGNMENT, {"input": {"id": gid(world.workshop), "title": "改"}}, as_=world.leader
    )

    assert data == {"updateAssignment": refused("assignment", "NOT_FOUND", "找不到该作业", "id")}


ASSIGNMENTS = """
query ($workshopId: ID!) {
  assignments(workshopId: $workshopId, first: 10) {
    totalCount
    nodes { title mySubmission { version status } }
  }
}"""


async def test_trainees_list_their_workshop_assignments_with_their_own_submission(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    await submitted_id(api, clock, world)
    variables = {"workshopId": gid(world.workshop)}

    mine = await api.data(ASSIGNMENTS, variables, as_=world.trainee)
    classmate = await api.data(ASSIGNMENTS, variables, as_=world.classmate)
    outsider = await api.data(ASSIGNMENTS, variables, as_=world.outsider)
    nobody = await api.gql(ASSIGNMENTS, variables, as_=None)

    assert mine == {
        "assignments": {
            "totalCount": 1,
            "nodes": [{"title": "教学设计", "mySubmission": {"version": 1, "status": "SUBMITTED"}}],
        }
    }
    assert classmate == {
        "assignments": {"totalCount": 1, "nodes": [{"title": "教学设计", "mySubmission": None}]}
    }
    assert outsider == {"assignments": {"totalCount": 0, "nodes": []}}
    assert error_codes(nobody) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("workshop_id", ["not-an-id", "program"])
async def test_a_workshop_id_that_names_no_workshop_lists_no_assignments(
    api: Api, workshop_id: str
) -> None:
    world = await make_world()
    wrong = gid(world.program) if workshop_id == "program" else workshop_id

    data = await api.data(ASSIGNMENTS, {"workshopId": wrong}, as_=world.leader)
    nobody = await api.gql(ASSIGNMENTS, {"workshopId": wrong}, as_=None)

    assert data == {"assignments": {"totalCount": 0, "nodes": []}}
    assert error_codes(nobody) == ["UNAUTHENTICATED"]


# ---------------------------------------------------------------- submitting (R1)


async def test_a_trainee_submits_homework_inside_the_window(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)

    body = await submit(api, world.trainee, world)

    submission = body["data"]["submitHomework"]["submission"]
    assert body == {
        "data": {
            "submitHomework": {
                "submission": {"id": submission["id"], **first_version()},
                "userErrors": [],
            }
        }
    }


async def test_a_trainee_enrolled_in_the_workshop_twice_submits_to_the_active_enrollment(
    api: Api, clock: FixedClock
) -> None:
    # An earlier, finished year in the same workshop (as a make-up leaves behind) is not the
    # enrollment the homework goes to, and is not an error.
    world = await make_world()
    earlier = await Program.create(name="上一年度", year="2010学年")
    await enroll(
        world.trainee,
        world.workshop,
        world.batch,
        program=earlier,
        at=IN_WINDOW,
        status=EnrollmentStatus.WITHDRAWN,
    )
    clock.set(IN_WINDOW)

    body = await submit(api, world.trainee, world)

    assert body["data"]["submitHomework"]["userErrors"] == []
    active = await Enrollment.get(teacher_id=world.trainee.id, program_id=world.workshop.program_id)
    assert await Submission.filter(enrollment_id=active.id).count() == 1


@pytest.mark.parametrize(
    ("at", "code", "message"),
    [
        (local(2012, 4, 26, 23, 59, 59), "WINDOW_NOT_OPEN", "研修时间尚未开始"),
        (OPENS, None, None),
        (LAST_SECOND, None, None),
        (CLOSED, "WINDOW_CLOSED", "研修时间已结束"),
    ],
)
async def test_submissions_are_accepted_only_inside_the_batch_window(
    api: Api, clock: FixedClock, at: Any, code: str | None, message: str | None
) -> None:
    world = await make_world()
    clock.set(at)

    body = await submit(api, world.trainee, world)

    payload = body["data"]["submitHomework"]
    if code is None:
        assert payload["userErrors"] == []
        assert payload["submission"]["submittedAt"] == shown(at)
    else:
        assert payload == refused("submission", code, message or "")
        assert await Submission.all().count() == 0


async def test_a_submission_one_second_after_the_window_closes_is_refused(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    await submitted_id(api, clock, world)
    clock.set(LAST_SECOND)
    clock.advance(seconds=1)

    body = await submit(api, world.trainee, world, "迟交的第二稿")

    assert body == {
        "data": {"submitHomework": refused("submission", "WINDOW_CLOSED", "研修时间已结束")}
    }
    assert await Submission.get().values("version", "text") == {
        "version": 1,
        "text": "函数单元教学设计（第一稿）",
    }


async def test_resubmitting_replaces_the_submission_and_keeps_the_old_version(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)
    clock.advance(hours=2)

    body = await submit(api, world.trainee, world, "第二稿")

    assert body["data"]["submitHomework"] == {
        "submission": {
            **first_version("第二稿"),
            "id": submission_id,
            "version": 2,
            "submittedAt": "2012-04-28T12:00:00+08:00",
            "revisions": [
                {
                    "version": 1,
                    "text": "函数单元教学设计（第一稿）",
                    "submittedAt": shown(IN_WINDOW),
                    "returnComment": "",
                    "attachments": [],
                }
            ],
        },
        "userErrors": [],
    }
    assert await Submission.all().count() == 1


async def test_concurrent_submissions_keep_one_current_version_and_every_earlier_one(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)

    bodies = await asyncio.gather(*(submit(api, world.trainee, world, f"稿{n}") for n in range(6)))

    assert [b["data"]["submitHomework"]["userErrors"] for b in bodies] == [[]] * 6
    current = await Submission.get()
    revisions = await SubmissionRevision.filter(submission_id=current.id).order_by("version")
    assert current.version == 6
    assert [r.version for r in revisions] == [1, 2, 3, 4, 5]
    assert sorted([current.text, *(r.text for r in revisions)]) == [f"稿{n}" for n in range(6)]


async def test_an_empty_submission_is_refused(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)

    body = await submit(api, world.trainee, world, " ")

    assert body["data"]["submitHomework"] == refused(
        "submission", "INVALID_INPUT", "请填写作业内容或添加附件", "text"
    )


async def _attachment(owner: Any, name: str) -> Attachment:
    return await make_attachment(owner, name, f"key-{name}", at=IN_WINDOW)


async def test_a_trainee_attaches_only_their_own_uploads(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    own = await _attachment(world.trainee, "设计.pdf")
    foreign = await _attachment(world.classmate, "别人的.pdf")
    clock.set(IN_WINDOW)

    refused_body = await submit(api, world.trainee, world, "", (gid(own), gid(foreign)))
    accepted = await submit(api, world.trainee, world, "", (gid(own), gid(own)))

    assert refused_body["data"]["submitHomework"] == refused(
        "submission", "NOT_FOUND", "找不到附件，或附件不是你上传的", "attachmentIds"
    )
    assert accepted["data"]["submitHomework"]["submission"]["attachments"] == [
        {"filename": "设计.pdf"}
    ]


@pytest.mark.parametrize(
    ("who", "code", "message"),
    [
        ("leader", "NOT_ENROLLED", "你不是该工作室的学员"),
        ("outsider", "NOT_FOUND", "找不到该作业"),
    ],
)
async def test_only_trainees_of_the_workshop_submit(
    api: Api, clock: FixedClock, who: str, code: str, message: str
) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)

    body = await submit(api, world.person(who), world)

    assert body["data"]["submitHomework"] == refused("submission", code, message, "assignmentId")


async def test_submitting_needs_a_token(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)

    body = await submit(api, None, world)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


# ---------------------------------------------------------------- returning for revision


async def _return(api: Api, as_: Any, submission_id: str, comment: str) -> dict[str, Any]:
    variables = {"input": {"submissionId": submission_id, "comment": comment}}
    return await api.gql(RETURN, variables, as_=as_)


async def test_the_class_tutor_returns_a_submission_and_the_comment_is_kept(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    returned = await _return(api, world.tutor, submission_id, "请补充教学目标")
    clock.advance(hours=1)
    resubmitted = await submit(api, world.trainee, world, "第二稿（补充了目标）")

    assert returned["data"]["returnSubmission"] == {
        "submission": {
            **first_version(),
            "id": submission_id,
            "status": "RETURNED",
            "comment": "请补充教学目标",
        },
        "userErrors": [],
    }
    assert resubmitted["data"]["submitHomework"]["submission"]["revisions"] == [
        {
            "version": 1,
            "text": "函数单元教学设计（第一稿）",
            "submittedAt": shown(IN_WINDOW),
            "returnComment": "请补充教学目标",
            "attachments": [],
        }
    ]
    assert resubmitted["data"]["submitHomework"]["submission"]["status"] == "SUBMITTED"
    assert resubmitted["data"]["submitHomework"]["submission"]["comment"] == ""


async def test_returning_is_refused_when_returned_already_or_without_a_comment(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)
    await _return(api, world.tutor, submission_id, "请补充教学目标")

    again = await _return(api, world.tutor, submission_id, " ")

    assert again["data"]["returnSubmission"] == {
        "submission": None,
        "userErrors": [
            {
                "code": "INVALID_INPUT",
                "field": ["input", "submissionId"],
                "message": "作业已退回，等待学员修改",
            },
            {"code": "INVALID_INPUT", "field": ["input", "comment"], "message": "请填写退回意见"},
        ],
    }


async def test_returning_after_the_window_is_refused_as_the_trainee_cannot_resubmit(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    mine = await submitted_id(api, clock, world)
    classmates = await submitted_id(api, clock, world, world.classmate)
    clock.set(LAST_SECOND)
    last_second = await _return(api, world.tutor, mine, "请补充")
    clock.set(CLOSED)

    closed = await _return(api, world.tutor, classmates, "请补充")

    assert last_second["data"]["returnSubmission"]["userErrors"] == []
    assert closed["data"]["returnSubmission"] == refused(
        "submission", "WINDOW_CLOSED", "学员的研修时间已结束，不能再退回修改"
    )


@pytest.mark.parametrize(
    ("who", "code", "message"),
    [
        ("other_tutor", "NOT_YOUR_CLASS", "只有学员所在班级的辅导教师可以退回作业"),
        ("outsider", "NOT_FOUND", "找不到该作业提交"),
    ],
)
async def test_only_the_class_tutor_returns_submissions(
    api: Api, clock: FixedClock, who: str, code: str, message: str
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    body = await _return(api, world.person(who), submission_id, "请补充")

    assert body["data"]["returnSubmission"] == refused("submission", code, message, "submissionId")


async def test_returning_needs_a_token(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    body = await _return(api, None, submission_id, "请补充")

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


# ---------------------------------------------------------------- grading (R10)


async def test_the_class_tutor_grades_and_the_submission_is_final(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    graded = await grade(api, world.tutor, submission_id)
    resubmitted = await submit(api, world.trainee, world, "批改后再改")
    regraded = await grade(api, world.tutor, submission_id, score=60, level="PASS")
    returned = await _return(api, world.tutor, submission_id, "再改改")

    assert graded["data"]["gradeSubmission"] == {
        "submission": {**graded_version(), "id": submission_id},
        "userErrors": [],
    }
    assert resubmitted["data"]["submitHomework"] == refused(
        "submission", "ALREADY_GRADED", "作业已批改，不能再修改"
    )
    assert regraded["data"]["gradeSubmission"] == refused(
        "submission", "ALREADY_GRADED", "作业已批改"
    )
    assert returned["data"]["returnSubmission"] == refused(
        "submission", "ALREADY_GRADED", "作业已批改，不能退回"
    )
    assert await SubmissionRevision.all().count() == 0


@pytest.mark.parametrize(("score", "accepted"), [(-1, False), (0, True), (100, True), (101, False)])
async def test_a_score_is_out_of_100(
    api: Api, clock: FixedClock, score: int, accepted: bool
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    body = await grade(api, world.tutor, submission_id, score=score, level="PASS")

    payload = body["data"]["gradeSubmission"]
    if accepted:
        assert (payload["submission"]["score"], payload["userErrors"]) == (score, [])
    else:
        assert payload == refused("submission", "INVALID_INPUT", "分数须在0到100之间", "score")


async def test_a_returned_submission_may_be_graded_as_it_stands(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)
    await _return(api, world.tutor, submission_id, "请补充教学目标")
    clock.set(local(2012, 5, 20, 9, 0))

    body = await grade(api, world.tutor, submission_id, score=70, level="PASS", comment="")

    assert body["data"]["gradeSubmission"]["submission"]["status"] == "GRADED"


@pytest.mark.parametrize(
    ("at", "closed"),
    [(local(2012, 6, 30, 23, 59, 59), False), (local(2012, 7, 1, 0, 0), True)],
)
async def test_grading_stays_open_after_the_window_until_the_assessment_end_date(
    api: Api, clock: FixedClock, at: Any, closed: bool
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)
    clock.set(at)

    body = await grade(api, world.tutor, submission_id)

    payload = body["data"]["gradeSubmission"]
    if closed:
        assert payload == refused("submission", "GRADING_CLOSED", "作业批改已于2012年06月30日截止")
    else:
        assert (payload["submission"]["gradedAt"], payload["userErrors"]) == (shown(at), [])


@pytest.mark.parametrize(
    ("who", "code", "message"),
    [
        ("other_tutor", "NOT_YOUR_CLASS", "只有学员所在班级的辅导教师可以批改作业"),
        ("leader", "NOT_YOUR_CLASS", "只有学员所在班级的辅导教师可以批改作业"),
        ("province_admin", "NOT_YOUR_CLASS", "只有学员所在班级的辅导教师可以批改作业"),
        ("trainee", "NOT_YOUR_CLASS", "只有学员所在班级的辅导教师可以批改作业"),
        ("outsider", "NOT_FOUND", "找不到该作业提交"),
        ("other_leader", "NOT_FOUND", "找不到该作业提交"),
    ],
)
async def test_only_the_class_tutor_grades(
    api: Api, clock: FixedClock, who: str, code: str, message: str
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    body = await grade(api, world.person(who), submission_id)

    assert body["data"]["gradeSubmission"] == refused("submission", code, message, "submissionId")
    assert (await Submission.get()).status == "submitted"


async def test_grading_needs_a_token(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    body = await grade(api, None, submission_id)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


# ---------------------------------------------------------------- the grading queue, my work

QUEUE = """
query ($after: String) {
  gradingQueue(first: 1, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { trainee { realName } submittedAt version }
  }
}"""


def _queue(total: int, more: bool, cursor: str | None, *nodes: Any) -> dict[str, Any]:
    return {
        "gradingQueue": {
            "totalCount": total,
            "pageInfo": {"hasNextPage": more, "endCursor": cursor},
            "nodes": list(nodes),
        }
    }


async def test_the_grading_queue_lists_waiting_work_of_the_tutors_classes_oldest_first(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)
    first = (await submit(api, world.trainee, world))["data"]["submitHomework"]["submission"]
    clock.advance(hours=1)
    await submit(api, world.classmate, world)
    clock.advance(hours=1)
    await submit(api, world.other_class_trainee, world)
    clock.advance(hours=1)
    # Resubmitted last, the first trainee's work now has waited the shortest time.
    await submit(api, world.trainee, world, "第二稿")

    page_one = await api.data(QUEUE, as_=world.tutor)
    cursor = page_one["gradingQueue"]["pageInfo"]["endCursor"]
    page_two = await api.data(QUEUE, {"after": cursor}, as_=world.tutor)
    await grade(api, world.tutor, first["id"])
    after_grading = await api.data(QUEUE, as_=world.tutor)

    chen = {
        "trainee": {"realName": "陈学员"},
        "submittedAt": "2012-04-28T11:00:00+08:00",
        "version": 1,
    }
    zhang = {
        "trainee": {"realName": "张学员"},
        "submittedAt": "2012-04-28T13:00:00+08:00",
        "version": 2,
    }
    assert page_one == _queue(2, True, cursor, chen)
    assert page_two == _queue(2, False, page_two["gradingQueue"]["pageInfo"]["endCursor"], zhang)
    assert after_grading == _queue(1, False, cursor, chen)


async def test_the_grading_queue_is_empty_for_others_and_needs_a_token(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    await submitted_id(api, clock, world)

    leader = await api.data(QUEUE, as_=world.leader)
    nobody = await api.gql(QUEUE, as_=None)

    assert leader == _queue(0, False, None)
    assert error_codes(nobody) == ["UNAUTHENTICATED"]


MINE = "{ mySubmissions(first: 5) { nodes { assignment { title } version status } } }"


async def test_my_submissions_lists_only_my_own_work(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    await submitted_id(api, clock, world)

    mine = await api.data(MINE, as_=world.trainee)
    classmate = await api.data(MINE, as_=world.classmate)

    assert mine == {
        "mySubmissions": {
            "nodes": [{"assignment": {"title": "教学设计"}, "version": 1, "status": "SUBMITTED"}]
        }
    }
    assert classmate == {"mySubmissions": {"nodes": []}}


# ---------------------------------------------------------------- node(id:) in scope

NODE = """
query ($id: ID!) {
  node(id: $id) { __typename ... on Submission { version } ... on Assignment { title } }
}"""


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("trainee", True),
        ("tutor", True),
        ("other_tutor", True),
        ("leader", True),
        ("county_admin", True),
        ("province_admin", True),
        ("classmate", False),
        ("outsider", False),
        ("other_leader", False),
        ("other_county_admin", False),
    ],
)
async def test_a_submission_is_seen_by_the_trainee_tutors_leader_and_school_admins(
    api: Api, clock: FixedClock, who: str, sees: bool
) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)
    viewers = {
        "county_admin": await make_admin("county", Role.COUNTY_ADMIN, region=world.org.county),
        "other_county_admin": await make_admin(
            "county2", Role.COUNTY_ADMIN, region=world.org.other_county
        ),
    }
    viewer = viewers.get(who) or world.person(who)

    data = await api.data(NODE, {"id": submission_id}, as_=viewer)

    assert data == {"node": {"__typename": "Submission", "version": 1} if sees else None}


@pytest.mark.parametrize(
    ("who", "sees"),
    [("trainee", True), ("tutor", True), ("province_admin", True), ("outsider", False)],
)
async def test_an_assignment_is_seen_by_its_workshop(api: Api, who: str, sees: bool) -> None:
    world = await make_world()

    data = await api.data(NODE, {"id": world.assignment_id}, as_=world.person(who))

    assert data == {"node": {"__typename": "Assignment", "title": "教学设计"} if sees else None}


# ---------------------------------------------------------------- the rules, without a database

BATCH_ONE = day_window(dt.date(2012, 4, 27), dt.date(2012, 5, 8), "Asia/Shanghai")


@pytest.mark.parametrize(
    ("due_at", "codes"),
    [
        (local(2012, 4, 26, 23, 59, 59), ["INVALID_INPUT"]),
        (OPENS, []),
        (LAST_SECOND, []),
        (CLOSED, ["INVALID_INPUT"]),
    ],
)
def test_due_at_errors(due_at: dt.datetime, codes: list[str]) -> None:
    errors = homework_rules.due_at_errors(BATCH_ONE, due_at, local(2012, 4, 20, 10, 0))

    assert [e.code for e in errors] == codes


def test_a_time_without_offset_is_local() -> None:
    naive = dt.datetime(2012, 5, 8, 23, 59, 59)

    assert homework_rules.in_time_zone(naive, "Asia/Shanghai") == LAST_SECOND
    assert homework_rules.in_time_zone(LAST_SECOND, "UTC") is LAST_SECOND


@pytest.mark.parametrize(
    ("now", "ends_on", "codes"),
    [
        (local(2012, 6, 30, 23, 59, 59), dt.date(2012, 6, 30), []),
        (local(2012, 7, 1, 0, 0), dt.date(2012, 6, 30), ["GRADING_CLOSED"]),
        (local(2013, 1, 1, 0, 0), None, []),
    ],
)
def test_grading_closes_after_the_assessment_end_date(
    now: dt.datetime, ends_on: dt.date | None, codes: list[str]
) -> None:
    errors = homework_rules.grading_errors(
        SubmissionStatus.SUBMITTED,
        80,
        now,
        assessment_ends_on=ends_on,
        time_zone="Asia/Shanghai",
    )

    assert [e.code for e in errors] == codes


def test_a_graded_submission_is_neither_replaced_nor_returned() -> None:
    assert homework_rules.resubmit_error(None) is None
    assert homework_rules.resubmit_error(SubmissionStatus.RETURNED) is None
    assert homework_rules.resubmit_error(SubmissionStatus.GRADED) == DomainError(
        ErrorCode.ALREADY_GRADED, "作业已批改，不能再修改"
    )
    assert [
        e.code for e in homework_rules.return_errors(SubmissionStatus.GRADED, BATCH_ONE, CLOSED)
    ] == ["ALREADY_GRADED", "WINDOW_CLOSED"]
