"""The year's assessment of tutors and admins (seed 002 §五(一), seed 003 §一(二)(三)): the
pure rules at their edges, the score over HTTP component by component for those who may read
it, the policy that weighs it, the excellent tutor's 考核合格 criterion at the pass mark and one
under, and `node(id:)` for bulletins, nominations and export jobs."""

from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from lms_plugin.resolvers.core.staff_scores import (
    AdminEvidence,
    StaffComponentKind,
    StaffWeights,
    TutorEvidence,
    admin_score,
    count_score,
    rate_score,
    tutor_score,
)
from lms_plugin.resolvers.programs.rules import staff_policy_errors
from lms_plugin.schema.core.ids import decode_id, encode_id
from lms_plugin.storage.enums import AwardCategory, Role
from lms_plugin.storage.models import (
    Nomination,
    ReportPolicy,
    StaffAssessmentPolicy,
)

from .api import Api, error_codes
from .conftest import local
from .factories import gid, make_admin, tutor_duties
from .rates_world import RatesWorld, make_rates_world

DEFAULTS = StaffWeights(
    tutor_briefing_weight=20,
    tutor_grading_weight=20,
    tutor_announcement_weight=15,
    tutor_discussion_weight=15,
    tutor_participation_weight=15,
    tutor_passing_weight=15,
    briefings_per_class=1,
    announcements_per_class=1,
    discussions_per_class=1,
    tutor_pass_mark=60,
    admin_participation_weight=40,
    admin_passing_weight=40,
    admin_bulletin_weight=20,
    bulletins_expected=1,
    admin_pass_mark=60,
)
NOTHING_DONE = TutorEvidence(
    classes=2,
    briefings_on_time=0,
    briefings_late=0,
    submissions=0,
    to_grade=0,
    announcements=0,
    topics=0,
    replies=0,
    expected=0,
    participants=0,
    passed=0,
)


def test_counts_and_rates_score_out_of_100_rounded_down() -> None:
    assert [count_score(n, 3) for n in (0, 1, 2, 3, 4)] == [0, 33, 66, 100, 100]
    assert count_score(0, 0) == 100  # nothing asked: full
    assert [rate_score(2, 3), rate_score(3, 4), rate_score(0, 0)] == [66, 75, 0]


def test_a_tutor_s_score_component_by_component() -> None:
    evidence = replace(
        NOTHING_DONE,
        briefings_on_time=1,
        briefings_late=1,
        submissions=4,
        to_grade=1,
        announcements=5,
        topics=1,
        replies=0,
        expected=8,
        participants=6,
        passed=5,
    )
    found = tutor_score(7, evidence, DEFAULTS)
    assert [(c.kind, c.weight, c.score, c.points) for c in found.components] == [
        (StaffComponentKind.BRIEFINGS, 20, 50, Fraction(10)),  # 1 on time of 2 (two classes)
        (StaffComponentKind.GRADING, 20, 75, Fraction(15)),  # 3 of 4 graded
        (StaffComponentKind.ANNOUNCEMENTS, 15, 100, Fraction(15)),  # 5 of 2: capped
        (StaffComponentKind.DISCUSSIONS, 15, 50, Fraction("7.5")),  # 1 of 2
        (StaffComponentKind.PARTICIPATION, 15, 75, Fraction("11.25")),  # 6 / 8
        (StaffComponentKind.PASSING, 15, 83, Fraction("12.45")),  # 5 / 6
    ]
    assert (found.score, found.passed) == (71, True)  # 71.2 rounded down
    assert found.components[0].detail == "按时发表 1 期，逾期 1 期，应发表 2 期"
    assert found.components[5].detail == "班级合格率 83.33%（5/6）"


@pytest.mark.parametrize(("pass_mark", "passed"), [(50, True), (51, False)])
def test_a_tutor_passes_at_the_pass_mark_not_one_under(pass_mark: int, passed: bool) -> None:
    # Grading in full (nothing to grade, 20) and the class's rates at 100% (15 + 15): 50.
    evidence = replace(NOTHING_DONE, expected=2, participants=2, passed=2)
    found = tutor_score(7, evidence, replace(DEFAULTS, tutor_pass_mark=pass_mark))
    assert (found.score, found.passed) == (50, passed)


def test_a_weight_of_zero_is_not_assessed() -> None:
    weights = replace(DEFAULTS, admin_bulletin_weight=0, admin_participation_weight=60)
    found = admin_score(
        3, AdminEvidence(expected=4, participants=3, passed=3, bulletins=0), weights
    )
    assert [c.kind for c in found.components] == [
        StaffComponentKind.PARTICIPATION,
        StaffComponentKind.PASSING,
    ]
    assert found.score == 85  # 60 × 75% + 40 × 100%


def test_the_policy_is_checked_whole() -> None:
    values = {name: getattr(DEFAULTS, name) for name in DEFAULTS.__dataclass_fields__}
    assert staff_policy_errors(values) == []
    [error] = staff_policy_errors(values | {"tutor_grading_weight": 21})
    assert (error.message, error.field) == ("辅导教师各项权重之和须为100", ("tutorBriefingWeight",))
    [error] = staff_policy_errors(values | {"admin_bulletin_weight": 19})
    assert (error.message, error.field) == (
        "管理员各项权重之和须为100",
        ("adminParticipationWeight",),
    )
    [error] = staff_policy_errors(values | {"briefings_per_class": -1})
    assert (error.message, error.field) == ("不能为负数", ("briefingsPerClass",))
    assert [e.message for e in staff_policy_errors(values | {"admin_pass_mark": 100})] == []
    [error] = staff_policy_errors(values | {"admin_pass_mark": 101})
    assert (error.message, error.field) == ("须在 0 到 100 之间", ("adminPassMark",))


ASSESSMENT = """
query ($program: ID!, $person: ID!, $role: StaffRole!) {
  staffAssessment(programId: $program, personId: $person, role: $role) {
    role score passMark passed person { realName }
    components { kind weight score points detail }
  }
}"""

UPDATE = """
mutation ($input: UpdateStaffAssessmentPolicyInput!) {
  updateStaffAssessmentPolicy(input: $input) {
    policy { programId tutorPassMark tutorBriefingWeight tutorGradingWeight adminPassMark }
    userErrors { code field message }
  }
}"""

POLICY = """
query ($id: ID!) {
  node(id: $id) { ... on Program { policies { staffAssessment {
    tutorBriefingWeight tutorGradingWeight tutorAnnouncementWeight tutorDiscussionWeight
    tutorParticipationWeight tutorPassingWeight briefingsPerClass announcementsPerClass
    discussionsPerClass tutorPassMark adminParticipationWeight adminPassingWeight
    adminBulletinWeight bulletinsExpected adminPassMark
  } } } }
}"""

CANDIDATES = """
query ($program: ID!, $city: ID!) {
  awardCandidates(programId: $program, cityId: $city, category: EXCELLENT_TUTOR) {
    name eligible score criteria { label met detail }
  }
}"""

NOMINATE = """
mutation ($input: NominateAwardInput!) {
  nominateAward(input: $input) { dryRun userErrors { code field message } }
}"""


async def _li_does_everything(world: RatesWorld) -> None:
    """李辅导 (一班) posts an announcement, starts a topic, replies, and briefs on time."""
    await tutor_duties(world.classes, local(2012, 5, 1))


def _vars(world: RatesWorld, person: Any, role: str) -> dict[str, str]:
    return {"program": gid(world.program), "person": gid(person), "role": role}


LI = {
    "role": "TUTOR",
    "score": 86,  # 20 + 20 + 15 + 15 + 11.25 + 4.95 = 86.2
    "passMark": 60,
    "passed": True,
    "person": {"realName": "李辅导"},
    "components": [
        {"kind": "BRIEFINGS", "weight": 20, "score": 100, "points": "20.00",
         "detail": "按时发表 1 期，逾期 0 期，应发表 1 期"},
        {"kind": "GRADING", "weight": 20, "score": 100, "points": "20.00",
         "detail": "已批改 0 份，共 0 份，待批改 0 份"},
        {"kind": "ANNOUNCEMENTS", "weight": 15, "score": 100, "points": "15.00",
         "detail": "发布公告 1 条，应发布 1 条"},
        {"kind": "DISCUSSIONS", "weight": 15, "score": 100, "points": "15.00",
         "detail": "发起主题 1 个，回复 1 条，应有 1 次"},
        {"kind": "PARTICIPATION", "weight": 15, "score": 75, "points": "11.25",
         "detail": "班级参训率 75.00%（3/4）"},
        {"kind": "PASSING", "weight": 15, "score": 33, "points": "4.95",
         "detail": "班级合格率 33.33%（1/3）"},
    ],
}  # fmt: skip


async def test_a_tutor_s_assessment_for_those_who_may_read_it(api: Api) -> None:
    world = await make_rates_world()
    await _li_does_everything(world)
    c = world.classes
    other_county_admin = await make_admin("lianxi", Role.COUNTY_ADMIN, region=c.org.other_county)
    query = _vars(world, c.tutor, "TUTOR")
    for reader in (c.tutor, world.city_admin, world.county_admin, world.province_admin):
        assert await api.data(ASSESSMENT, query, as_=reader) == {"staffAssessment": LI}
    for outsider in (other_county_admin, c.other_tutor, world.trainee, world.vendor_staff):
        assert await api.data(ASSESSMENT, query, as_=outsider) == {"staffAssessment": None}
    assert error_codes(await api.gql(ASSESSMENT, query, as_=None)) == ["UNAUTHENTICATED"]
    # Not an admin; a wrong-typed id names nothing.
    admin_role = _vars(world, c.tutor, "ADMIN")
    assert await api.data(ASSESSMENT, admin_role, as_=world.province_admin) == {
        "staffAssessment": None
    }
    wrong = {**query, "person": gid(c.training_class)}
    assert await api.data(ASSESSMENT, wrong, as_=world.province_admin) == {"staffAssessment": None}


@pytest.mark.parametrize(("pass_mark", "passed"), [(60, True), (61, False)])
async def test_an_admin_s_assessment_at_the_pass_mark(
    api: Api, pass_mark: int, passed: bool
) -> None:
    world = await make_rates_world()
    await StaffAssessmentPolicy.filter(program_id=world.program.id).update(
        admin_pass_mark=pass_mark
    )
    publish = """
    mutation ($input: PublishBulletinInput!) {
      publishBulletin(input: $input) { userErrors { code } }
    }"""
    county = world.classes.org.county
    variables = {"input": {"programId": gid(world.program), "regionId": gid(county),
                           "asOf": "2012-05-01"}}  # fmt: skip
    assert await api.data(publish, variables, as_=world.city_admin) == {
        "publishBulletin": {"userErrors": []}
    }
    query = _vars(world, world.county_admin, "ADMIN")
    expected = {
        "role": "ADMIN",
        "score": 60,  # 40 × 50% + 40 × 50% + 20 for 东湖区's bulletin
        "passMark": pass_mark,
        "passed": passed,
        "person": {"realName": world.county_admin.real_name},
        "components": [
            {"kind": "PARTICIPATION", "weight": 40, "score": 50, "points": "20.00",
             "detail": "管辖范围参训率 50.00%（2/4）"},
            {"kind": "PASSING", "weight": 40, "score": 50, "points": "20.00",
             "detail": "管辖范围合格率 50.00%（1/2）"},
            {"kind": "BULLETINS", "weight": 20, "score": 100, "points": "20.00",
             "detail": "学情通报 1 期，应有 1 期"},
        ],
    }  # fmt: skip
    for reader in (world.county_admin, world.city_admin, world.province_admin):
        assert await api.data(ASSESSMENT, query, as_=reader) == {"staffAssessment": expected}
    other = await make_admin("lianxi", Role.COUNTY_ADMIN, region=world.classes.org.other_county)
    for outsider in (other, world.vendor_staff, world.classes.tutor):
        assert await api.data(ASSESSMENT, query, as_=outsider) == {"staffAssessment": None}
    assert error_codes(await api.gql(ASSESSMENT, query, as_=None)) == ["UNAUTHENTICATED"]


async def test_the_policy_with_its_defaults_and_its_update(api: Api) -> None:
    world = await make_rates_world()
    read = await api.data(POLICY, {"id": gid(world.program)}, as_=world.province_admin)
    assert read["node"]["policies"]["staffAssessment"] == {
        "tutorBriefingWeight": 20,
        "tutorGradingWeight": 20,
        "tutorAnnouncementWeight": 15,
        "tutorDiscussionWeight": 15,
        "tutorParticipationWeight": 15,
        "tutorPassingWeight": 15,
        "briefingsPerClass": 1,
        "announcementsPerClass": 1,
        "discussionsPerClass": 1,
        "tutorPassMark": 60,
        "adminParticipationWeight": 40,
        "adminPassingWeight": 40,
        "adminBulletinWeight": 20,
        "bulletinsExpected": 1,
        "adminPassMark": 60,
    }
    change = {"input": {"programId": gid(world.program), "tutorPassMark": 70,
                        "tutorBriefingWeight": 30, "tutorGradingWeight": 10}}  # fmt: skip
    assert error_codes(await api.gql(UPDATE, change, as_=world.city_admin)) == ["FORBIDDEN"]
    assert error_codes(await api.gql(UPDATE, change, as_=None)) == ["UNAUTHENTICATED"]
    assert await api.data(UPDATE, change, as_=world.province_admin) == {
        "updateStaffAssessmentPolicy": {
            "policy": {
                "programId": gid(world.program),
                "tutorPassMark": 70,
                "tutorBriefingWeight": 30,
                "tutorGradingWeight": 10,
                "adminPassMark": 60,
            },
            "userErrors": [],
        }
    }
    unbalanced = {"input": {"programId": gid(world.program), "tutorGradingWeight": 11}}
    assert await api.data(UPDATE, unbalanced, as_=world.province_admin) == {
        "updateStaffAssessmentPolicy": {
            "policy": None,
            "userErrors": [
                {
                    "code": "INVALID_INPUT",
                    "field": ["input", "tutorBriefingWeight"],
                    "message": "辅导教师各项权重之和须为100",
                }
            ],
        }
    }
    policy = await StaffAssessmentPolicy.get(program_id=world.program.id)
    assert (policy.tutor_grading_weight, policy.tutor_pass_mark) == (10, 70)


@pytest.mark.parametrize(("pass_mark", "eligible"), [(86, True), (87, False)])
async def test_the_excellent_tutor_is_assessed_as_passing(
    api: Api, pass_mark: int, eligible: bool
) -> None:
    world = await make_rates_world()
    await _li_does_everything(world)
    # 一班 at 75% and 33.33%: every other criterion of 李辅导 met.
    await ReportPolicy.filter(program_id=world.program.id).update(threshold_basis_points=3333)
    await StaffAssessmentPolicy.filter(program_id=world.program.id).update(
        tutor_pass_mark=pass_mark
    )
    city = {"program": gid(world.program), "city": gid(world.classes.org.city)}
    data = await api.data(CANDIDATES, city, as_=world.city_admin)
    li = data["awardCandidates"][0]
    assert (li["name"], li["eligible"], li["score"]) == ("李辅导", eligible, 86)
    assert li["criteria"][0] == {
        "label": "考核合格",
        "met": eligible,
        "detail": f"辅导教师成绩 86 分，合格线 {pass_mark} 分",
    }
    assert all(k["met"] for k in li["criteria"][1:])
    nominate = {"input": {"programId": gid(world.program), "cityId": gid(world.classes.org.city),
                          "category": "EXCELLENT_TUTOR", "candidateId": gid(world.classes.tutor),
                          "dryRun": True}}  # fmt: skip
    body = await api.data(NOMINATE, nominate, as_=world.city_admin)
    # Eligible, the city's places (20% of 2 tutors) are none: QUOTA_EXCEEDED, unchanged.
    [error] = body["nominateAward"]["userErrors"]
    if eligible:
        assert (error["code"], error["message"]) == ("QUOTA_EXCEEDED", "本市该类别名额 0 个已用完")
    else:
        assert (error["code"], error["message"]) == (
            "NOT_ELIGIBLE",
            f"不符合评选条件：考核合格（辅导教师成绩 86 分，合格线 {pass_mark} 分）",
        )
    assert await Nomination.all().count() == 0


# --- node(id:) -----------------------------------------------------------------------------

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Bulletin { number region { name } }
    ... on Nomination { category status }
    ... on ExportJob { kind }
  }
}"""


async def test_node_loads_a_bulletin_in_the_reader_s_scope(api: Api) -> None:
    world = await make_rates_world()
    org = world.classes.org
    publish = """
    mutation ($input: PublishBulletinInput!) {
      publishBulletin(input: $input) { bulletin { id } }
    }"""
    variables = {"input": {"programId": gid(world.program), "regionId": gid(org.county),
                           "asOf": "2012-05-01"}}  # fmt: skip
    made = await api.data(publish, variables, as_=world.city_admin)
    bulletin_id = made["publishBulletin"]["bulletin"]["id"]
    found = {"__typename": "Bulletin", "id": bulletin_id, "number": 1, "region": {"name": "东湖区"}}
    for reader in (world.county_admin, world.city_admin, world.province_admin):
        assert await api.data(NODE, {"id": bulletin_id}, as_=reader) == {"node": found}
    other = await make_admin("lianxi", Role.COUNTY_ADMIN, region=org.other_county)
    for outsider in (other, world.trainee, world.vendor_staff):
        assert await api.data(NODE, {"id": bulletin_id}, as_=outsider) == {"node": None}
    assert error_codes(await api.gql(NODE, {"id": bulletin_id}, as_=None)) == ["UNAUTHENTICATED"]
    wrong = as_type(bulletin_id, "Nomination")
    assert await api.data(NODE, {"id": wrong}, as_=world.province_admin) == {"node": None}


def as_type(global_id: str, type_name: str) -> str:
    """The same primary key under another type's global id."""
    return encode_id(type_name, decode_id(global_id)[1])


async def test_node_loads_a_nomination_for_the_desk_of_its_city(api: Api) -> None:
    world = await make_rates_world()
    org = world.classes.org
    nomination = await Nomination.create(
        program_id=world.program.id,
        city_id=org.city.id,
        category=AwardCategory.ADVANCED_COLLECTIVE,
        region_id=org.county.id,
        nominated_by_id=world.city_admin.id,
        nominated_at=local(2012, 5, 1),
    )
    found = {"__typename": "Nomination", "id": gid(nomination),
             "category": "ADVANCED_COLLECTIVE", "status": "NOMINATED"}  # fmt: skip
    for reader in (world.city_admin, world.vendor_staff, world.province_admin):
        assert await api.data(NODE, {"id": gid(nomination)}, as_=reader) == {"node": found}
    other_city = await make_admin("jiujiang", Role.CITY_ADMIN, region=org.other_city)
    other_vendor = await make_admin("vendor2", Role.VENDOR_STAFF, vendor=world.other_vendor)
    for outsider in (other_city, other_vendor, world.county_admin, world.trainee):
        assert await api.data(NODE, {"id": gid(nomination)}, as_=outsider) == {"node": None}
    assert error_codes(await api.gql(NODE, {"id": gid(nomination)}, as_=None)) == [
        "UNAUTHENTICATED"
    ]
    wrong = as_type(gid(nomination), "ExportJob")
    assert await api.data(NODE, {"id": wrong}, as_=world.province_admin) == {"node": None}


async def test_node_loads_an_export_job_for_the_one_who_asked(api: Api) -> None:
    world = await make_rates_world()
    export = """
    mutation ($input: ExportAwardTableInput!) {
      exportAwardTable(input: $input) { job { id } }
    }"""
    variables = {"input": {"programId": gid(world.program), "category": "ADVANCED_COLLECTIVE",
                           "cityId": gid(world.classes.org.city)}}  # fmt: skip
    made = await api.data(export, variables, as_=world.city_admin)
    job_id = made["exportAwardTable"]["job"]["id"]
    found = {"__typename": "ExportJob", "id": job_id, "kind": "COLLECTIVE_TABLE"}
    assert await api.data(NODE, {"id": job_id}, as_=world.city_admin) == {"node": found}
    for other in (world.province_admin, world.county_admin):
        assert await api.data(NODE, {"id": job_id}, as_=other) == {"node": None}
    assert error_codes(await api.gql(NODE, {"id": job_id}, as_=None)) == ["UNAUTHENTICATED"]
    wrong = as_type(job_id, "Bulletin")
    assert await api.data(NODE, {"id": wrong}, as_=world.city_admin) == {"node": None}


def test_a_tutor_without_a_class_earns_nothing() -> None:
    found = tutor_score(7, replace(NOTHING_DONE, classes=0), DEFAULTS)
    assert [c.score for c in found.components] == [0, 0, 0, 0, 0, 0]
    assert (found.score, found.passed) == (0, False)
