"""Awards under quotas (R15, seed 003) over HTTP on the rates province: quotas at their edges,
candidates with why each is eligible or not in a fixed order, nominations within the quota
(QUOTA_EXCEEDED one too many; the dry run writes nothing), review recording 优, class stars."""

import asyncio
from fractions import Fraction
from typing import Any

import pytest

from lms_plugin.resolvers.awards.rules import Candidate, Criterion, quota, ranked, rates_criterion
from lms_plugin.storage.enums import (
    AwardCategory,
    Outcome,
    QuotaRounding,
    RecommendationLevel,
    Role,
    SubmissionStatus,
)
from lms_plugin.storage.models import (
    AwardPolicy,
    ClassStar,
    Enrollment,
    Nomination,
    Person,
    Region,
    ReportPolicy,
    TrainingGrade,
)

from .api import Api, error_codes, refused
from .conftest import local
from .factories import (
    gid,
    make_admin,
    make_assignment,
    make_region,
    make_submission,
    recommend,
    tutor_duties,
)
from .rates_world import RatesWorld, make_rates_world, record_results

QUOTAS = """
query ($program: ID!, $city: ID!) {
  awardQuotas(programId: $program, cityId: $city) {
    category base shareBasisPoints rounding places nominated approved
  }
}"""

CANDIDATES = """
query ($program: ID!, $city: ID!, $category: AwardCategory!) {
  awardCandidates(programId: $program, cityId: $city, category: $category) {
    rank candidateId name eligible participationRate passRate score
    criteria { label met detail }
  }
}"""

NOMINATE = """
mutation ($input: NominateAwardInput!) {
  nominateAward(input: $input) {
    nomination { category status nominatedAt unit { name } person { realName }
                 nominatedBy { username } city { name } }
    dryRun places used
    userErrors { code field message }
  }
}"""

REVIEW = """
mutation ($input: ReviewNominationInput!) {
  reviewNomination(input: $input) {
    nomination { status reviewedAt reviewNote reviewedBy { username } }
    userErrors { code field message }
  }
}"""

STAR = """
mutation ($input: NameClassStarInput!) {
  nameClassStar(input: $input) {
    star { kind namedAt trainee { realName } namedBy { username } }
    userErrors { code field message }
  }
}"""

LIST = """
query ($program: ID!) {
  nominations(programId: $program) { nodes { category city { name } } }
}"""


def test_quotas_at_their_edges() -> None:
    # 20% of 11 management units is 2.2.
    assert [quota(11, 2000, r) for r in QuotaRounding] == [2, 2, 3]
    # 3‰ of 999 passed trainees is 2.997; of 1,000, exactly 3.
    assert [quota(999, 30, r) for r in QuotaRounding] == [2, 3, 3]
    assert [quota(1000, 30, r) for r in QuotaRounding] == [3, 3, 3]
    # 20% of 3 units is 0.6, of 2 admins 0.4: one place half up, none below a half.
    assert quota(3, 2000, QuotaRounding.HALF_UP) == 1
    assert quota(2, 2000, QuotaRounding.HALF_UP) == 0
    assert quota(0, 2000, QuotaRounding.CEILING) == 0


@pytest.mark.parametrize(
    ("expected", "participants", "passed", "met"),
    [
        (100, 96, 96, True),  # 96% and 100%
        (100, 96, 93, True),  # 96% and 96.875%
        (100, 96, 92, False),  # 96% and 95.83%
        (10000, 9600, 9216, True),  # 96% and 96%: at the threshold
        (10000, 9599, 9599, False),  # 95.99%
        (20000, 19199, 19199, False),  # 95.995%, shown as 96.00
        (0, 0, 0, False),  # nobody expected: no rate to judge
    ],
)
def test_the_rates_criterion_at_96_percent(
    expected: int, participants: int, passed: int, met: bool
) -> None:
    assert rates_criterion("率", expected, participants, passed, 9600).met is met


def test_ties_are_broken_the_same_way_in_every_run() -> None:
    def candidate(i: int, code: str, eligible: bool) -> Candidate:
        return Candidate(
            category=AwardCategory.ADVANCED_COLLECTIVE,
            subject_type="Region",
            subject_id=i,
            name=str(i),
            code=code,
            criteria=(Criterion("率", eligible, ""),),
            participation=Fraction(97, 100),
            passing=Fraction(98, 100),
        )

    pool = [
        candidate(3, "b", True),
        candidate(1, "b", True),
        candidate(2, "a", True),
        candidate(4, "a", False),
    ]
    order = [c.subject_id for c in ranked(pool)]
    assert order == [2, 1, 3, 4]
    for shift in range(len(pool)):
        assert [c.subject_id for c in ranked(pool[shift:] + pool[:shift])] == order


def vars_(world: RatesWorld, city: Region | None = None) -> dict[str, str]:
    return {"program": gid(world.program), "city": gid(city or world.classes.org.city)}


async def test_twenty_percent_of_eleven_management_units(api: Api) -> None:
    world = await make_rates_world()
    other = world.classes.org.other_city  # 九江市 and 濂溪区: add nine more counties
    for i in range(9):
        await make_region(f"县{i}", f"36049{i}", other)
    data = await api.data(QUOTAS, vars_(world, other), as_=world.province_admin)
    assert data["awardQuotas"][0] == {
        "category": "ADVANCED_COLLECTIVE",
        "base": 11,
        "shareBasisPoints": 2000,
        "rounding": "HALF_UP",
        "places": 2,
        "nominated": 0,
        "approved": 0,
    }


async def test_the_quotas_of_a_city(api: Api) -> None:
    world = await make_rates_world()
    data = await api.data(QUOTAS, vars_(world), as_=world.city_admin)
    line = {"rounding": "HALF_UP", "nominated": 0, "approved": 0}
    assert data["awardQuotas"] == [
        # 南昌市, 东湖区, 南昌县: 0.6 of a place.
        {
            "category": "ADVANCED_COLLECTIVE",
            "base": 3,
            "shareBasisPoints": 2000,
            "places": 1,
            **line,
        },
        # nanchang (city) and donghu (county): 0.4.
        {"category": "ADVANCED_WORKER", "base": 2, "shareBasisPoints": 2000, "places": 0, **line},
        # 李辅导 and 赵辅导 teach at a school of 南昌市.
        {"category": "EXCELLENT_TUTOR", "base": 2, "shareBasisPoints": 2000, "places": 0, **line},
        # 2 passed (the forecast): 0.006.
        {"category": "EXCELLENT_TRAINEE", "base": 2, "shareBasisPoints": 30, "places": 0, **line},
    ]


async def test_collective_candidates_with_their_reasons(api: Api) -> None:
    world = await make_rates_world()
    data = await api.data(
        CANDIDATES, {**vars_(world), "category": "ADVANCED_COLLECTIVE"}, as_=world.vendor_staff
    )

    def unit(rank: int, region: Region, rates: tuple[str, str]) -> dict[str, Any]:
        return {
            "rank": rank,
            "candidateId": gid(region),
            "name": region.name,
            "eligible": False,
            "participationRate": rates[0],
            "passRate": rates[1],
            "score": None,
            "criteria": [
                {
                    "label": "管辖范围内参训率、合格率 ≥ 96%",
                    "met": False,
                    "detail": f"参训率 {rates[0]}%，合格率 {rates[1]}%",
                }
            ],
        }

    org = world.classes.org
    assert data["awardCandidates"] == [
        unit(1, org.county, ("50.00", "50.00")),
        unit(2, org.city, ("42.86", "66.67")),
        unit(3, world.nanchang_county, ("33.33", "100.00")),
    ]


async def _threshold(world: RatesWorld, basis_points: int) -> None:
    await ReportPolicy.filter(program_id=world.program.id).update(
        threshold_basis_points=basis_points
    )


def nominate_input(
    world: RatesWorld, category: str, candidate: str, *, dry_run: bool = False
) -> dict[str, Any]:
    return {
        "input": {
            "programId": gid(world.program),
            "cityId": gid(world.classes.org.city),
            "category": category,
            "candidateId": candidate,
            "dryRun": dry_run,
        }
    }


async def test_nominations_within_the_quota_and_the_dry_run(api: Api) -> None:
    world = await make_rates_world()
    await _threshold(world, 3333)  # every unit of 南昌市 at 33.33% or more
    org = world.classes.org
    first = nominate_input(world, "ADVANCED_COLLECTIVE", gid(org.county))

    dry = await api.data(
        NOMINATE, {"input": {**first["input"], "dryRun": True}}, as_=world.city_admin
    )
    assert dry["nominateAward"] == {
        "nomination": None,
        "dryRun": True,
        "places": 1,
        "used": 1,
        "userErrors": [],
    }
    assert await Nomination.all().count() == 0

    made = await api.data(NOMINATE, first, as_=world.city_admin)
    assert made["nominateAward"] == {
        "nomination": {
            "category": "ADVANCED_COLLECTIVE",
            "status": "NOMINATED",
            "nominatedAt": "2012-04-20T10:00:00+08:00",
            "unit": {"name": "东湖区"},
            "person": None,
            "nominatedBy": {"username": "nanchang"},
            "city": {"name": "南昌市"},
        },
        "dryRun": False,
        "places": 1,
        "used": 1,
        "userErrors": [],
    }
    again = await api.data(NOMINATE, first, as_=world.vendor_staff)
    assert again["nominateAward"] == {
        "nomination": None,
        "dryRun": None,
        "places": None,
        "used": None,
        "userErrors": [
            {
                "code": "ALREADY_NOMINATED",
                "field": ["input", "candidateId"],
                "message": "该候选已被推荐",
            }
        ],
    }
    one_too_many = nominate_input(world, "ADVANCED_COLLECTIVE", gid(world.nanchang_county))
    for dry_run in (True, False):
        body = await api.data(
            NOMINATE, {"input": {**one_too_many["input"], "dryRun": dry_run}}, as_=world.city_admin
        )
        assert body["nominateAward"]["userErrors"] == [
            {
                "code": "QUOTA_EXCEEDED",
                "field": ["input", "candidateId"],
                "message": "本市该类别名额 1 个已用完",
            }
        ]
    assert await Nomination.all().count() == 1


async def test_an_ineligible_candidate_is_refused_with_the_reasons(api: Api) -> None:
    world = await make_rates_world()
    body = await api.data(
        NOMINATE,
        nominate_input(world, "ADVANCED_COLLECTIVE", gid(world.classes.org.county)),
        as_=world.city_admin,
    )
    assert body["nominateAward"]["userErrors"] == [
        {
            "code": "NOT_ELIGIBLE",
            "field": ["input", "candidateId"],
            "message": "不符合评选条件：管辖范围内参训率、合格率 ≥ 96%"
            "（参训率 50.00%，合格率 50.00%）",
        }
    ]
    not_one = nominate_input(world, "ADVANCED_COLLECTIVE", gid(world.classes.org.other_county))
    body = await api.data(NOMINATE, not_one, as_=world.city_admin)
    assert body["nominateAward"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert await Nomination.all().count() == 0


async def test_approval_records_excellent_on_the_awardee_s_record(api: Api) -> None:
    world = await make_rates_world()
    await _threshold(world, 5000)  # 东湖区 at 50% and 50%
    await AwardPolicy.filter(program_id=world.program.id).update(worker_basis_points=5000)
    body = await api.data(
        NOMINATE,
        nominate_input(world, "ADVANCED_WORKER", gid(world.county_admin)),
        as_=world.city_admin,
    )
    assert body["nominateAward"]["userErrors"] == []
    nomination = await Nomination.get()
    review = {"input": {"nominationId": gid(nomination), "approve": True, "note": "同意"}}
    assert error_codes(await api.gql(REVIEW, review, as_=world.city_admin)) == ["FORBIDDEN"]
    assert error_codes(await api.gql(REVIEW, review, as_=None)) == ["UNAUTHENTICATED"]
    data = await api.data(REVIEW, review, as_=world.province_admin)
    assert data["reviewNomination"] == {
        "nomination": {
            "status": "APPROVED",
            "reviewedAt": "2012-04-20T10:00:00+08:00",
            "reviewNote": "同意",
            "reviewedBy": {"username": "province"},
        },
        "userErrors": [],
    }
    grade = await TrainingGrade.get(person_id=world.county_admin.id)
    assert (grade.grade, grade.nomination_id, grade.recorded_by_id) == (
        "优",
        nomination.id,
        world.province_admin.id,
    )
    data = await api.data(REVIEW, review, as_=world.province_admin)
    assert data["reviewNomination"] == refused(
        "nomination", "NOMINATION_REVIEWED", "该推荐已审核", "nominationId"
    )


async def test_a_tutor_meeting_every_criterion_and_one_who_does_not(api: Api) -> None:
    world = await make_rates_world()
    await _threshold(world, 3333)  # 一班 at 75% and 33.33%
    await tutor_duties(world.classes, local(2012, 5, 1), reply=False)
    data = await api.data(
        CANDIDATES, {**vars_(world), "category": "EXCELLENT_TUTOR"}, as_=world.city_admin
    )
    [li, zhao] = data["awardCandidates"]
    assert (li["name"], li["eligible"], zhao["name"], zhao["eligible"]) == (
        "李辅导",
        True,
        "赵辅导",
        False,
    )
    assert [(k["label"], k["met"], k["detail"]) for k in zhao["criteria"]] == [
        # Grading in full (nothing to grade, 20) and the class's rates (15 + 15).
        ("考核合格", False, "辅导教师成绩 50 分，合格线 60 分"),
        ("辅导班级", True, "1 个班级"),
        ("发布班级学习公告", False, "0 条公告"),
        ("作业评阅完成", True, "待批改 0 份"),
        ("发起、引领班级主题研讨", False, "0 个主题"),
        ("按时撰写并发表班级简报", False, "已发表 0 期，逾期 0 期"),
        ("所辅导班级参训率、合格率 ≥ 33.33%", True, "参训率 100.00%，合格率 100.00%"),
    ]


async def _feature_on_the_home_page(world: RatesWorld) -> None:
    """甲一's homework, recommended to the training's home page."""
    c = world.classes
    at = local(2012, 5, 1)
    enrollment = await Enrollment.get(teacher_id=world.people["甲一"].id)
    assignment = await make_assignment(
        c.workshop, c.leader, "作业", instructions="写", due_at=at, created_at=at
    )
    submission = await make_submission(
        assignment, enrollment, "答", status=SubmissionStatus.GRADED, at=at
    )
    await recommend(submission, c.workshop, RecommendationLevel.HOME, c.leader, at)


async def test_an_excellent_trainee_needs_a_score_which_no_one_has_yet(api: Api) -> None:
    world = await make_rates_world()
    await _feature_on_the_home_page(world)
    data = await api.data(
        CANDIDATES, {**vars_(world), "category": "EXCELLENT_TRAINEE"}, as_=world.province_admin
    )
    assert data["awardCandidates"] == [
        {
            "rank": 1,
            "candidateId": gid(world.people["甲一"]),
            "name": "甲一",
            "eligible": False,
            "participationRate": None,
            "passRate": None,
            "score": None,
            "criteria": [
                {"label": "考核合格", "met": True, "detail": "预测：学时达标，合格"},
                {"label": "学习成绩达到 100 分", "met": False, "detail": "尚无考核成绩"},
                {"label": "作业被推荐到培训首页", "met": True, "detail": "已推荐到首页"},
            ],
        }
    ]


@pytest.mark.parametrize(("score", "eligible"), [(100, True), (99, False)])
async def test_an_excellent_trainee_qualifies_with_a_result_of_100(
    api: Api, score: int, eligible: bool
) -> None:
    world = await make_rates_world()
    await _feature_on_the_home_page(world)
    await record_results(world, {"甲一": (Outcome.PASSED, score)})
    data = await api.data(
        CANDIDATES, {**vars_(world), "category": "EXCELLENT_TRAINEE"}, as_=world.province_admin
    )
    assert data["awardCandidates"] == [
        {
            "rank": 1,
            "candidateId": gid(world.people["甲一"]),
            "name": "甲一",
            "eligible": eligible,
            "participationRate": None,
            "passRate": None,
            "score": score,
            "criteria": [
                {"label": "考核合格", "met": True, "detail": "考核结果，合格"},
                {"label": "学习成绩达到 100 分", "met": eligible, "detail": f"成绩 {score} 分"},
                {"label": "作业被推荐到培训首页", "met": True, "detail": "已推荐到首页"},
            ],
        }
    ]


@pytest.mark.parametrize("who", ["county_admin", "other_city_admin", "trainee", "nobody"])
async def test_the_desk_is_the_city_s_and_the_province_s(api: Api, who: str) -> None:
    world = await make_rates_world()
    people: dict[str, Person | None] = {
        "county_admin": world.county_admin,
        "trainee": world.trainee,
        "nobody": None,
        "other_city_admin": await make_admin(
            "jiujiang", Role.CITY_ADMIN, region=world.classes.org.other_city
        ),
    }
    person = people[who]
    expected = ["UNAUTHENTICATED" if person is None else "FORBIDDEN"]
    assert error_codes(await api.gql(QUOTAS, vars_(world), as_=person)) == expected
    body = await api.gql(CANDIDATES, {**vars_(world), "category": "ADVANCED_WORKER"}, as_=person)
    assert error_codes(body) == expected
    if who == "other_city_admin":
        body = await api.data(
            NOMINATE,
            nominate_input(world, "ADVANCED_COLLECTIVE", gid(world.nanchang_county)),
            as_=person,
        )
        assert body["nominateAward"]["userErrors"][0]["code"] == "NOT_FOUND"
    else:
        body = await api.gql(
            NOMINATE,
            nominate_input(world, "ADVANCED_COLLECTIVE", gid(world.nanchang_county)),
            as_=person,
        )
        assert error_codes(body) == expected
    assert await Nomination.all().count() == 0


async def test_the_province_may_not_nominate_and_each_city_lists_its_own(api: Api) -> None:
    world = await make_rates_world()
    await _threshold(world, 3333)
    body = await api.gql(
        NOMINATE,
        nominate_input(world, "ADVANCED_COLLECTIVE", gid(world.nanchang_county)),
        as_=world.province_admin,
    )
    assert error_codes(body) == ["FORBIDDEN"]
    await api.data(
        NOMINATE,
        nominate_input(world, "ADVANCED_COLLECTIVE", gid(world.nanchang_county)),
        as_=world.city_admin,
    )
    listed = {"program": gid(world.program)}
    expected = [{"category": "ADVANCED_COLLECTIVE", "city": {"name": "南昌市"}}]
    assert (await api.data(LIST, listed, as_=world.province_admin))["nominations"][
        "nodes"
    ] == expected
    assert (await api.data(LIST, listed, as_=world.city_admin))["nominations"]["nodes"] == expected
    jiujiang = await make_admin("jiujiang", Role.CITY_ADMIN, region=world.classes.org.other_city)
    assert (await api.data(LIST, listed, as_=jiujiang))["nominations"]["nodes"] == []


async def test_tutors_name_the_stars_of_their_class(api: Api) -> None:
    world = await make_rates_world()
    c = world.classes
    enrollment = await Enrollment.get(teacher_id=world.people["甲一"].id)
    trainee_star = {
        "input": {
            "classId": gid(c.training_class),
            "kind": "TRAINEE_STAR",
            "enrollmentId": gid(enrollment),
        }
    }
    data = await api.data(STAR, trainee_star, as_=c.tutor)
    assert data["nameClassStar"] == {
        "star": {
            "kind": "TRAINEE_STAR",
            "namedAt": "2012-04-20T10:00:00+08:00",
            "trainee": {"realName": "甲一"},
            "namedBy": {"username": "tutor"},
        },
        "userErrors": [],
    }
    again = await api.data(STAR, trainee_star, as_=c.tutor)
    assert again["nameClassStar"] == refused("star", "ALREADY_NAMED", "已经评出", "enrollmentId")
    class_star = {"input": {"classId": gid(c.training_class), "kind": "CLASS_STAR"}}
    data = await api.data(STAR, class_star, as_=c.tutor)
    assert data["nameClassStar"]["star"]["trainee"] is None
    other = await api.data(STAR, class_star, as_=c.other_tutor)
    assert other["nameClassStar"] == refused(
        "star", "NOT_YOUR_CLASS", "只有学员所在班级的辅导教师可以评选学员之星、班级之星", "classId"
    )
    # 丙二 is in no class; 乙一 is in 二班.
    elsewhere = await Enrollment.get(teacher_id=world.people["乙一"].id)
    wrong = {"input": {**trainee_star["input"], "enrollmentId": gid(elsewhere)}}
    body = await api.data(STAR, wrong, as_=c.tutor)
    assert body["nameClassStar"] == refused(
        "star", "NOT_FOUND", "该班级没有这位学员", "enrollmentId"
    )
    assert error_codes(await api.gql(STAR, class_star, as_=None)) == ["UNAUTHENTICATED"]
    assert await ClassStar.all().count() == 2


async def test_concurrent_nominations_never_exceed_the_quota(api: Api) -> None:
    """Three eligible units, one place: three nominations at once, one accepted (R15)."""
    world = await make_rates_world()
    await _threshold(world, 3333)
    org = world.classes.org
    bodies = await asyncio.gather(
        *(
            api.data(
                NOMINATE,
                nominate_input(world, "ADVANCED_COLLECTIVE", gid(unit)),
                as_=world.city_admin,
            )
            for unit in (org.city, org.county, world.nanchang_county)
        )
    )
    codes = sorted(
        (b["nominateAward"]["userErrors"] or [{"code": "ACCEPTED"}])[0]["code"] for b in bodies
    )
    assert codes == ["ACCEPTED", "QUOTA_EXCEEDED", "QUOTA_EXCEEDED"]
    assert await Nomination.all().count() == 1
