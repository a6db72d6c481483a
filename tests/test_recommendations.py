"""The recommendation ladder (R10) over HTTP: class → workshop → home page, withdrawals, the
showcases, and who may take each step."""

import asyncio
from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.homework import rules as homework_rules
from lms_plugin.storage.enums import GradeLevel, RecommendationLevel, Role, SubmissionStatus
from lms_plugin.storage.models import Recommendation

from .api import Api, error_codes, refused
from .conftest import local
from .factories import gid, make_admin
from .homework_world import (
    IN_WINDOW,
    World,
    first_version,
    grade,
    graded_version,
    make_world,
    recommend,
    shown,
    submit,
    submitted_id,
    vendor_staff,
    withdraw,
)

SHOWCASES = """
query ($classId: ID!, $workshopId: ID!, $programId: ID!) {
  classShowcase(classId: $classId, first: 10) { totalCount nodes { ...item } }
  workshopShowcase(workshopId: $workshopId, first: 10) { totalCount nodes { ...item } }
  homeGallery(programId: $programId, first: 10) { totalCount nodes { ...item } }
}
fragment item on Recommendation {
  level recommendedAt recommendedBy { realName }
  submission { trainee { realName } assignment { title } score level recommendedTo }
}"""

HISTORY = """
query ($id: ID!) {
  node(id: $id) {
    ... on Submission {
      recommendedTo
      recommendations {
        level active recommendedAt recommendedBy { realName }
        withdrawnAt withdrawnBy { realName }
      }
    }
  }
}"""


def _ids(world: World) -> dict[str, str]:
    return {
        "classId": gid(world.training_class),
        "workshopId": gid(world.workshop),
        "programId": gid(world.program),
    }


def _item(level: str, at: Any, by: str, recommended_to: str) -> dict[str, Any]:
    return {
        "level": level,
        "recommendedAt": shown(at),
        "recommendedBy": {"realName": by},
        "submission": {
            "trainee": {"realName": "张学员"},
            "assignment": {"title": "教学设计"},
            "score": 95,
            "level": "EXCELLENT",
            "recommendedTo": recommended_to,
        },
    }


def _showcases(in_class: list[Any], in_workshop: list[Any], on_home: list[Any]) -> dict[str, Any]:
    return {
        "classShowcase": {"totalCount": len(in_class), "nodes": in_class},
        "workshopShowcase": {"totalCount": len(in_workshop), "nodes": in_workshop},
        "homeGallery": {"totalCount": len(on_home), "nodes": on_home},
    }


def _recommended(level: str, at: Any, by: str) -> dict[str, Any]:
    return {
        "recommendSubmission": {
            "recommendation": {
                "level": level,
                "active": True,
                "recommendedAt": shown(at),
                "recommendedBy": {"realName": by},
                "withdrawnAt": None,
                "withdrawnBy": None,
                "submission": {"recommendedTo": level},
            },
            "userErrors": [],
        }
    }


async def _graded(api: Api, clock: FixedClock, world: World, **grading: Any) -> str:
    submission_id = await submitted_id(api, clock, world)
    await grade(api, world.tutor, submission_id, **grading)
    return submission_id


async def test_homework_climbs_the_ladder_to_the_home_page_and_is_withdrawn(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)
    submitted = await submit(api, world.trainee, world)
    submission_id = submitted["data"]["submitHomework"]["submission"]["id"]
    graded = await grade(api, world.tutor, submission_id)
    ids = _ids(world)
    class_at = local(2012, 4, 29, 9, 0)
    workshop_at = local(2012, 5, 2, 9, 0)
    home_at = local(2012, 5, 12, 9, 0)
    home_off_at = local(2012, 5, 20, 9, 0)
    class_off_at = local(2012, 5, 21, 9, 0)

    clock.set(class_at)
    to_class = await recommend(api, world.tutor, submission_id, "CLASS")
    after_class = await api.data(SHOWCASES, ids, as_=world.outsider)
    clock.set(workshop_at)
    to_workshop = await recommend(api, world.leader, submission_id, "WORKSHOP")
    after_workshop = await api.data(SHOWCASES, ids, as_=world.outsider)
    clock.set(home_at)
    to_home = await recommend(api, world.province_admin, submission_id, "HOME")
    after_home = await api.data(SHOWCASES, ids, as_=world.outsider)
    clock.set(home_off_at)
    home_off = await withdraw(api, world.province_admin, submission_id, "HOME")
    after_home_off = await api.data(SHOWCASES, ids, as_=world.outsider)
    clock.set(class_off_at)
    class_off = await withdraw(api, world.tutor, submission_id, "CLASS")
    after_class_off = await api.data(SHOWCASES, ids, as_=world.outsider)
    history = await api.data(HISTORY, {"id": submission_id}, as_=world.trainee)

    assert submitted == {
        "data": {
            "submitHomework": {
                "submission": {"id": submission_id, **first_version()},
                "userErrors": [],
            }
        }
    }
    assert graded == {
        "data": {
            "gradeSubmission": {
                "submission": {**graded_version(), "id": submission_id},
                "userErrors": [],
            }
        }
    }
    class_item = _item("CLASS", class_at, "李辅导", "CLASS")
    assert to_class == {"data": _recommended("CLASS", class_at, "李辅导")}
    assert after_class == _showcases([class_item], [], [])
    assert to_workshop == {"data": _recommended("WORKSHOP", workshop_at, "王名师")}
    assert after_workshop == _showcases(
        [_item("CLASS", class_at, "李辅导", "WORKSHOP")],
        [_item("WORKSHOP", workshop_at, "王名师", "WORKSHOP")],
        [],
    )
    assert to_home == {"data": _recommended("HOME", home_at, "省培训中心")}
    assert after_home == _showcases(
        [_item("CLASS", class_at, "李辅导", "HOME")],
        [_item("WORKSHOP", workshop_at, "王名师", "HOME")],
        [_item("HOME", home_at, "省培训中心", "HOME")],
    )
    assert home_off == {
        "data": {
            "withdrawRecommendation": {
                "submission": {"recommendedTo": "WORKSHOP"},
                "withdrawn": [
                    {
                        "level": "HOME",
                        "active": False,
                        "recommendedBy": {"realName": "省培训中心"},
                        "withdrawnAt": shown(home_off_at),
                        "withdrawnBy": {"realName": "省培训中心"},
                    }
                ],
                "userErrors": [],
            }
        }
    }
    assert after_home_off == after_workshop
    assert class_off == {
        "data": {
            "withdrawRecommendation": {
                "submission": {"recommendedTo": None},
                "withdrawn": [
                    {
                        "level": "CLASS",
                        "active": False,
                        "recommendedBy": {"realName": "李辅导"},
                        "withdrawnAt": shown(class_off_at),
                        "withdrawnBy": {"realName": "李辅导"},
                    },
                    {
                        "level": "WORKSHOP",
                        "active": False,
                        "recommendedBy": {"realName": "王名师"},
                        "withdrawnAt": shown(class_off_at),
                        "withdrawnBy": {"realName": "李辅导"},
                    },
                ],
                "userErrors": [],
            }
        }
    }
    assert after_class_off == _showcases([], [], [])
    assert history == {
        "node": {
            "recommendedTo": None,
            "recommendations": [
                {
                    "level": level,
                    "active": False,
                    "recommendedAt": shown(at),
                    "recommendedBy": {"realName": by},
                    "withdrawnAt": shown(off),
                    "withdrawnBy": {"realName": off_by},
                }
                for level, at, by, off, off_by in [
                    ("CLASS", class_at, "李辅导", class_off_at, "李辅导"),
                    ("WORKSHOP", workshop_at, "王名师", class_off_at, "李辅导"),
                    ("HOME", home_at, "省培训中心", home_off_at, "省培训中心"),
                ]
            ],
        }
    }


async def test_showcases_list_the_newest_first(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    first = await _graded(api, clock, world)
    second = await submitted_id(api, clock, world, world.classmate)
    await grade(api, world.tutor, second, score=80, level="GOOD")
    await recommend(api, world.tutor, first, "CLASS")
    clock.advance(minutes=5)
    await recommend(api, world.tutor, second, "CLASS")

    data = await api.data(
        "query ($c: ID!) { classShowcase(classId: $c, first: 5) { nodes "
        "{ recommendedAt submission { trainee { realName } } } } }",
        {"c": gid(world.training_class)},
        as_=world.other_class_trainee,
    )

    assert data == {
        "classShowcase": {
            "nodes": [
                {
                    "recommendedAt": "2012-04-28T10:05:00+08:00",
                    "submission": {"trainee": {"realName": "陈学员"}},
                },
                {
                    "recommendedAt": shown(IN_WINDOW),
                    "submission": {"trainee": {"realName": "张学员"}},
                },
            ]
        }
    }


@pytest.mark.parametrize("ids", ["malformed", "of_other_types"])
async def test_showcases_of_ids_that_name_nothing_are_empty(
    api: Api, clock: FixedClock, ids: str
) -> None:
    world = await make_world()
    submission_id = await _graded(api, clock, world)
    await recommend(api, world.tutor, submission_id, "CLASS")
    await recommend(api, world.leader, submission_id, "WORKSHOP")
    right = _ids(world)
    swapped = {
        "classId": right["workshopId"],
        "workshopId": right["programId"],
        "programId": right["classId"],
    }
    wrong = dict.fromkeys(right, "not-an-id") if ids == "malformed" else swapped

    named = await api.data(SHOWCASES, right, as_=world.outsider)
    nothing = await api.data(SHOWCASES, wrong, as_=world.outsider)

    assert named == _showcases(
        [_item("CLASS", IN_WINDOW, "李辅导", "WORKSHOP")],
        [_item("WORKSHOP", IN_WINDOW, "王名师", "WORKSHOP")],
        [],
    )
    assert nothing == _showcases([], [], [])


async def test_showcases_need_a_token(api: Api) -> None:
    world = await make_world()

    body = await api.gql(SHOWCASES, _ids(world), as_=None)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


# ---------------------------------------------------------------- the rules of the ladder


async def test_only_graded_work_is_recommended(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    submission_id = await submitted_id(api, clock, world)

    body = await recommend(api, world.tutor, submission_id, "CLASS")

    assert body["data"]["recommendSubmission"] == refused(
        "recommendation", "NOT_GRADED", "作业尚未批改，不能推荐"
    )


async def test_failing_work_is_not_recommended(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    submission_id = await _graded(api, clock, world, score=40, level="FAIL")

    body = await recommend(api, world.tutor, submission_id, "CLASS")

    assert body["data"]["recommendSubmission"] == refused(
        "recommendation", "NOT_PASSING", "不合格的作业不能推荐"
    )


async def test_each_step_needs_the_one_below(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    submission_id = await _graded(api, clock, world)

    workshop = await recommend(api, world.leader, submission_id, "WORKSHOP")
    await recommend(api, world.tutor, submission_id, "CLASS")
    home = await recommend(api, world.province_admin, submission_id, "HOME")

    assert workshop["data"]["recommendSubmission"] == refused(
        "recommendation", "NOT_RECOMMENDED", "须先推荐到班级，才能推荐到工作室"
    )
    assert home["data"]["recommendSubmission"] == refused(
        "recommendation", "NOT_RECOMMENDED", "须先推荐到工作室，才能推荐到首页"
    )


async def test_a_step_is_taken_once_while_active_and_again_after_withdrawal(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    submission_id = await _graded(api, clock, world)
    await recommend(api, world.tutor, submission_id, "CLASS")

    duplicate = await recommend(api, world.tutor, submission_id, "CLASS")
    await withdraw(api, world.tutor, submission_id, "CLASS")
    withdrawn_twice = await withdraw(api, world.tutor, submission_id, "CLASS")
    again = await recommend(api, world.tutor, submission_id, "CLASS")

    assert duplicate["data"]["recommendSubmission"] == refused(
        "recommendation", "ALREADY_RECOMMENDED", "该作业已推荐到班级"
    )
    assert withdrawn_twice["data"]["withdrawRecommendation"] == {
        "submission": None,
        "withdrawn": None,
        "userErrors": [
            {"code": "NOT_RECOMMENDED", "field": None, "message": "该作业没有推荐到班级"}
        ],
    }
    assert again["data"]["recommendSubmission"]["userErrors"] == []
    assert await Recommendation.filter(withdrawn_at__isnull=True).count() == 1
    assert await Recommendation.all().count() == 2


async def test_concurrent_recommendations_take_the_step_once(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    submission_id = await _graded(api, clock, world)

    bodies = await asyncio.gather(
        *(recommend(api, world.tutor, submission_id, "CLASS") for _ in range(8))
    )

    codes = sorted(
        error["code"]
        for body in bodies
        for error in body["data"]["recommendSubmission"]["userErrors"]
    )
    assert codes == ["ALREADY_RECOMMENDED"] * 7
    assert await Recommendation.all().count() == 1


# ---------------------------------------------------------------- who takes each step


async def _on_workshop_showcase(api: Api, clock: FixedClock, world: World) -> str:
    submission_id = await _graded(api, clock, world)
    await recommend(api, world.tutor, submission_id, "CLASS")
    await recommend(api, world.leader, submission_id, "WORKSHOP")
    return submission_id


async def _person(world: World, who: str) -> Any:
    if who == "city_vendor":
        return await vendor_staff(world, "vendor", world.org.city)
    if who == "other_city_vendor":
        return await vendor_staff(world, "vendor2", world.org.other_city)
    if who == "city_admin":
        return await make_admin("city", Role.CITY_ADMIN, region=world.org.city)
    return world.person(who)


@pytest.mark.parametrize(("level", "who"), [("HOME", "province_admin"), ("HOME", "city_vendor")])
async def test_the_home_page_is_for_the_province_or_the_vendor_serving_the_trainees_city(
    api: Api, clock: FixedClock, level: str, who: str
) -> None:
    world = await make_world()
    submission_id = await _on_workshop_showcase(api, clock, world)
    person = await _person(world, who)

    featured = await recommend(api, person, submission_id, level)
    withdrawn = await withdraw(api, person, submission_id, level)

    assert featured["data"]["recommendSubmission"]["userErrors"] == []
    assert withdrawn["data"]["withdrawRecommendation"]["userErrors"] == []


NOT_YOUR_CLASS = "只有学员所在班级的辅导教师可以推荐到班级或撤销班级推荐"


@pytest.mark.parametrize(
    ("level", "who", "code"),
    [
        ("CLASS", "other_tutor", "NOT_YOUR_CLASS"),
        ("CLASS", "leader", "NOT_YOUR_CLASS"),
        ("CLASS", "province_admin", "NOT_YOUR_CLASS"),
        ("CLASS", "outsider", "NOT_FOUND"),
        ("CLASS", "nobody", "UNAUTHENTICATED"),
        ("WORKSHOP", "tutor", "FORBIDDEN"),
        ("WORKSHOP", "province_admin", "FORBIDDEN"),
        ("WORKSHOP", "other_leader", "NOT_FOUND"),
        ("WORKSHOP", "nobody", "UNAUTHENTICATED"),
        ("HOME", "leader", "FORBIDDEN"),
        ("HOME", "city_admin", "FORBIDDEN"),
        ("HOME", "other_city_vendor", "NOT_FOUND"),
        ("HOME", "nobody", "UNAUTHENTICATED"),
    ],
)
@pytest.mark.parametrize("action", ["recommend", "withdraw"])
async def test_each_step_is_taken_and_withdrawn_only_by_its_role(
    api: Api, clock: FixedClock, action: str, level: str, who: str, code: str
) -> None:
    world = await make_world()
    submission_id = await _on_workshop_showcase(api, clock, world)
    if level == "HOME":
        await recommend(api, world.province_admin, submission_id, "HOME")
    person = await _person(world, who)
    before = await Recommendation.all().order_by("id").values("level", "withdrawn_at")

    # The step is active: a role check that let the caller through would answer otherwise.
    if action == "recommend":
        body = await recommend(api, person, submission_id, level)
        payload_name, field = "recommendSubmission", "recommendation"
    else:
        body = await withdraw(api, person, submission_id, level)
        payload_name, field = "withdrawRecommendation", "submission"

    after = await Recommendation.all().order_by("id").values("level", "withdrawn_at")
    assert after == before
    if code in {"FORBIDDEN", "UNAUTHENTICATED"}:
        assert body["data"] is None
        assert error_codes(body) == [code]
        return
    message = NOT_YOUR_CLASS if code == "NOT_YOUR_CLASS" else "找不到该作业提交"
    expected = refused(field, code, message, "submissionId")
    if action == "withdraw":
        expected["withdrawn"] = None
    assert body["data"][payload_name] == expected


# ------------------------------------------------------------ the ladder rule, without a database

CLASS, WORKSHOP, HOME = homework_rules.LADDER


@pytest.mark.parametrize(
    ("level", "status", "grade_level", "active", "code"),
    [
        (CLASS, SubmissionStatus.SUBMITTED, None, set(), "NOT_GRADED"),
        (CLASS, SubmissionStatus.RETURNED, None, set(), "NOT_GRADED"),
        (CLASS, SubmissionStatus.GRADED, GradeLevel.FAIL, set(), "NOT_PASSING"),
        (CLASS, SubmissionStatus.GRADED, GradeLevel.PASS, set(), None),
        (CLASS, SubmissionStatus.GRADED, GradeLevel.PASS, {CLASS}, "ALREADY_RECOMMENDED"),
        (WORKSHOP, SubmissionStatus.GRADED, GradeLevel.GOOD, set(), "NOT_RECOMMENDED"),
        (WORKSHOP, SubmissionStatus.GRADED, GradeLevel.GOOD, {CLASS}, None),
        (HOME, SubmissionStatus.GRADED, GradeLevel.GOOD, {CLASS}, "NOT_RECOMMENDED"),
        (HOME, SubmissionStatus.GRADED, GradeLevel.GOOD, {CLASS, WORKSHOP}, None),
        (
            HOME,
            SubmissionStatus.GRADED,
            GradeLevel.GOOD,
            {CLASS, WORKSHOP, HOME},
            "ALREADY_RECOMMENDED",
        ),
    ],
)
def test_recommend_error(
    level: RecommendationLevel,
    status: SubmissionStatus,
    grade_level: GradeLevel | None,
    active: set[RecommendationLevel],
    code: str | None,
) -> None:
    error = homework_rules.recommend_error(level, status, grade_level, active)

    assert (None if error is None else error.code) == code


def test_withdrawing_a_step_takes_the_active_steps_above_it() -> None:
    assert homework_rules.levels_to_withdraw(CLASS, {CLASS, WORKSHOP, HOME}) == [
        CLASS,
        WORKSHOP,
        HOME,
    ]
    assert homework_rules.levels_to_withdraw(WORKSHOP, {CLASS, WORKSHOP}) == [WORKSHOP]
    assert homework_rules.levels_to_withdraw(HOME, {CLASS}) == DomainError(
        ErrorCode.NOT_RECOMMENDED, "该作业没有推荐到首页"
    )
    assert homework_rules.highest_level({CLASS, WORKSHOP}) is WORKSHOP
    assert homework_rules.highest_level(set()) is None
