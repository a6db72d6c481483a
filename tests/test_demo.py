"""The demo data: complete, consistent with the rules, synthetic, and its accounts sign in."""

import datetime as dt
from collections import Counter
from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.demo import DEMO_ACCOUNTS, DEMO_STARTS_AT, FINISHED_PROGRAM, load_demo
from lms_plugin.identity import id_check_digit
from lms_plugin.reference import JIANGXI_CITIES, all_subject_pairs
from lms_plugin.resolvers.core.stages import workshop_stage_for
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.serving import banner
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import Outcome, Post, RegionLevel, Role, Stage, TitleRank, Track
from lms_plugin.storage.models import (
    AssessmentResult,
    Batch,
    Certificate,
    Enrollment,
    Person,
    Program,
    Region,
    Resource,
    RoleAssignment,
    School,
    Topic,
    TrainingClass,
    TutorTeamMember,
    VendorCity,
    Workshop,
)

from .api import Api
from .conftest import SHANGHAI

ALL_ACCOUNTS = [a.username for a in DEMO_ACCOUNTS]


async def test_a_workshop_for_every_subject_pair_with_leader_topics_team_and_classes(
    db: str,
) -> None:
    await load_demo()

    # The 2012 phase; the finished first phase has its own test below.
    workshops = await Workshop.exclude(program__name=FINISHED_PROGRAM)
    assert sorted((w.stage, w.subject) for w in workshops) == sorted(all_subject_pairs())
    topics = Counter(await Topic.all().values_list("workshop_id", flat=True))
    resources = Counter(await Resource.all().values_list("topic_id", flat=True))
    members = await TutorTeamMember.exclude(program__name=FINISHED_PROGRAM)
    team: dict[int, set[int]] = {w.id: set() for w in workshops}
    for member in members:
        team[member.workshop_id].add(member.person_id)
    leaders = {p.id: p for p in await Person.filter(id__in=[w.leader_id for w in workshops])}
    for workshop in workshops:
        assert 2 <= topics[workshop.id] <= 3
        assert 3 <= len(team[workshop.id]) <= 5 <= workshop.tutor_cap == 8  # R6
        assert workshop.tutor_count == len(team[workshop.id])
        leader = leaders[workshop.leader_id]
        assert (leader.stage, leader.subject) == (workshop.stage, workshop.subject)
    assert set(resources) == set(await Topic.all().values_list("id", flat=True))
    classes = await TrainingClass.exclude(workshop__program__name=FINISHED_PROGRAM)
    per_workshop = Counter(c.workshop_id for c in classes)
    assert set(per_workshop) == {w.id for w in workshops}
    assert set(per_workshop.values()) <= {1, 2}
    assert all(c.tutor_id in team[c.workshop_id] for c in classes)


async def test_every_person_has_a_valid_synthetic_id_number_and_mobile(db: str) -> None:
    await load_demo()

    people = await Person.all().values_list("id_number", "mobile")
    assert len(people) > 300
    id_numbers = [id_number for id_number, _ in people]
    assert len(set(id_numbers)) == len(id_numbers)
    bad = [n for n in id_numbers if len(n) != 18 or id_check_digit(n[:17]) != n[17]]
    assert bad == []
    assert all(len(m) == 11 and m.startswith("199") for _, m in people)


async def test_teachers_of_every_stage_track_post_and_title_rank(db: str) -> None:
    await load_demo()

    teachers = await Person.filter(stage__isnull=False).values_list(
        "stage", "track", "post", "title_rank"
    )
    assert {(stage, track) for stage, track, _, _ in teachers} == {
        (stage, track) for stage in Stage for track in Track
    }
    assert {post for _, _, post, _ in teachers} == set(Post)
    assert {rank for _, _, _, rank in teachers} == set(TitleRank)


async def test_province_cities_counties_schools_and_vendors_of_seed_001(db: str) -> None:
    await load_demo()

    regions = await Region.all()
    cities = [r for r in regions if r.level is RegionLevel.CITY]
    assert [r.name for r in regions if r.level is RegionLevel.PROVINCE] == ["江西省"]
    assert sorted((c.code, c.name) for c in cities) == sorted(JIANGXI_CITIES)
    counties = Counter(r.parent_id for r in regions if r.level is RegionLevel.COUNTY)
    assert set(counties) == {c.id for c in cities}
    assert set(counties.values()) <= {2, 3}
    schools = Counter(await School.all().values_list("county_id", flat=True))
    assert set(schools) == {r.id for r in regions if r.level is RegionLevel.COUNTY}
    assert min(schools.values()) >= 4
    served = await VendorCity.all().values_list("vendor__name", "city__name")
    assert sorted(served) == sorted(
        [
            ("北京教培师训网络科技股份有限公司", "赣州市"),
            ("高等教育出版社", "九江市"),
            ("高等教育出版社", "南昌市"),
            ("北京尚睿通教育科技有限公司", "上饶市"),
            ("北京尚睿通教育科技有限公司", "鹰潭市"),
            ("北京尚睿通教育科技有限公司", "新余市"),
            ("北京继教网教育科技有限公司", "吉安市"),
            ("北京继教网教育科技有限公司", "抚州市"),
            ("北京奥鹏远程教育中心有限公司", "宜春市"),
            ("北京奥鹏远程教育中心有限公司", "萍乡市"),
            ("北京奥鹏远程教育中心有限公司", "景德镇市"),
        ]
    )


async def test_enrollments_follow_the_registration_rules(db: str) -> None:
    await load_demo()

    enrollments = await Enrollment.exclude(program__name=FINISHED_PROGRAM)
    teachers = {p.id: p for p in await Person.filter(stage__isnull=False)}
    batches = {b.id: b for b in await Batch.all()}
    workshops = {w.id: w for w in await Workshop.all()}
    schools = {s.id: s for s in await School.all()}
    exempt = set(await TutorTeamMember.all().values_list("person_id", flat=True))
    county_admins = {
        a.person_id: a.region_id for a in await RoleAssignment.filter(role=Role.COUNTY_ADMIN)
    }
    assert 250 < len(enrollments) < len(teachers)
    assert {e.track for e in enrollments} == set(Track)
    for e in enrollments:
        teacher, batch, workshop = (
            teachers[e.teacher_id],
            batches[e.batch_id],
            workshops[e.workshop_id],
        )
        assert teacher.id not in exempt  # R7
        assert teacher.stage is not None
        assert (workshop.stage, workshop.subject) == (
            workshop_stage_for(teacher.stage),
            teacher.subject,
        )  # R4
        assert e.track == teacher.track == batch.track
        local = e.registered_at.astimezone(SHANGHAI)
        assert dt.date(2012, 4, 20) <= local.date() <= dt.date(2012, 4, 25)  # R3
        assert dt.time(9) <= local.time() < dt.time(22)
        assert e.training_class_id is not None
        assert e.topic_id is not None
        if teacher.track is Track.TRANSITIONAL:
            assert teacher.school_id is not None
            assert county_admins[e.registered_by_id] == schools[teacher.school_id].county_id
        else:
            assert {"stage": workshop.stage.value, "subject": workshop.subject} in batch.subjects
            assert e.registered_by_id == teacher.id


async def test_loading_again_changes_nothing(db: str) -> None:
    assert [a.username for a in await load_demo()] == ALL_ACCOUNTS
    people = await Person.all().count()

    assert [a.username for a in await load_demo()] == ALL_ACCOUNTS
    assert await Person.all().count() == people


async def test_a_database_with_other_data_is_left_alone(db: str) -> None:
    await Person.create(username="host.user", real_name="主机用户")

    assert await load_demo() == []
    assert await Person.all().count() == 1


VIEWER = "{ viewer { person { username } roles { role region { name } vendorName } } }"

TRAINEE_PAGE = """
{ viewer {
    person { username realName idNumberMasked stage subject track school { name } }
    enrollment {
      track
      batch { number window { opensAt closesAt state } }
      workshop { name leader { realName } tutorTeam { person { username } } }
      topic { title }
      trainingClass { name }
      tutor { username }
      hourProgress { required { onlineHours offlineHours } onlineHours offlineHours complete }
    }
} }"""


async def _banner_tokens(api: Api) -> dict[str, str]:
    """The tokens `serve --demo` prints, by user name."""
    text = banner(list(DEMO_ACCOUNTS), api.settings, api.clock, "http://lms.test")
    lines = text.splitlines()
    return {
        line.split(" · ")[0]: lines[i + 1]
        for i, line in enumerate(lines)
        if line.split(" · ")[0] in ALL_ACCOUNTS
    }


async def test_each_printed_demo_token_signs_its_account_in(
    api: Api, clock: FixedClock, settings: Settings
) -> None:
    await load_demo()
    clock.set(DEMO_STARTS_AT)
    tokens = await _banner_tokens(api)
    assert list(tokens) == ALL_ACCOUNTS

    seen = {}
    for username, token in tokens.items():
        response = await api.client.post(
            "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"}
        )
        viewer = response.json()["data"]["viewer"]
        seen[username] = (
            viewer["person"]["username"],
            [
                (r["role"], (r["region"] or {}).get("name"), r["vendorName"])
                for r in viewer["roles"]
            ],
        )

    assert seen == {
        "demo.province": ("demo.province", [("PROVINCE_ADMIN", "江西省", None)]),
        "demo.city": ("demo.city", [("CITY_ADMIN", "南昌市", None)]),
        "demo.county": ("demo.county", [("COUNTY_ADMIN", "南昌县", None)]),
        "demo.vendor": ("demo.vendor", [("VENDOR_STAFF", None, "高等教育出版社")]),
        "demo.leader": ("demo.leader", []),
        "demo.tutor": ("demo.tutor", []),
        "demo.trainee": ("demo.trainee", []),
        "demo.transitional": ("demo.transitional", []),
        "demo.newcomer": ("demo.newcomer", []),
    }


async def test_the_demo_trainee_sees_the_study_page_when_batch_one_opens(
    api: Api, clock: FixedClock
) -> None:
    await load_demo()
    clock.set(DEMO_STARTS_AT)
    token = (await _banner_tokens(api))["demo.trainee"]

    response = await api.client.post(
        "/graphql", json={"query": TRAINEE_PAGE}, headers={"Authorization": f"Bearer {token}"}
    )

    assert api.without_extensions(response.json()) == {
        "data": {
            "viewer": {
                "person": {
                    "username": "demo.trainee",
                    "realName": "徐海",
                    "idNumberMasked": "360***********2235",
                    "stage": "HIGH",
                    "subject": "数学",
                    "track": "NETWORK",
                    "school": {"name": "南昌市东湖区第一中学"},
                },
                "enrollment": {
                    "track": "NETWORK",
                    "batch": {
                        "number": 1,
                        "window": {
                            "opensAt": "2012-04-27T00:00:00+08:00",
                            "closesAt": "2012-05-09T00:00:00+08:00",
                            "state": "OPEN",
                        },
                    },
                    "workshop": {
                        "name": "郭芳高中数学名师网络研修工作室",
                        "leader": {"realName": "郭芳"},
                        "tutorTeam": [
                            {"person": {"username": "demo.tutor"}},
                            {"person": {"username": "tutor03.2"}},
                            {"person": {"username": "tutor03.3"}},
                            {"person": {"username": "tutor03.4"}},
                            {"person": {"username": "tutor03.5"}},
                        ],
                    },
                    "topic": {"title": "高中数学课堂教学设计与实施"},
                    "trainingClass": {"name": "一班"},
                    "tutor": {"username": "demo.tutor"},
                    "hourProgress": {
                        "required": {"onlineHours": 6, "offlineHours": 16},
                        "onlineHours": 0.0,
                        "offlineHours": 0.0,
                        "complete": False,
                    },
                },
            }
        }
    }


async def test_the_finished_first_phase_has_results_and_certificates(db: str) -> None:
    await load_demo()

    results = await AssessmentResult.filter(program__name=FINISHED_PROGRAM).order_by("id")
    trainee = await Person.get(username="demo.trainee")
    certificate = await Certificate.get(teacher_id=trainee.id)

    assert [r.outcome.value for r in results] == [
        "passed", "passed", "passed", "failed", "absent", "exempt"
    ]  # fmt: skip
    assert (certificate.year, certificate.hours, f"{certificate.credits}", certificate.outcome) == (
        "2011学年",
        72,
        "3.60",
        Outcome.PASSED,
    )
    # The tutor, a provincial subject leader, has the tutor-service hours (seed 002 §二(二)).
    tutor = await Person.get(username="demo.tutor")
    service = await Certificate.get(teacher_id=tutor.id)
    assert (service.hours, f"{service.credits}", service.outcome) == (72, "3.60", Outcome.EXEMPT)


DASHBOARD = """
query ($program: ID!) {
  cities: rates(programId: $program, level: CITY) {
    name expected participants passed participationRate passRate
  }
  counties: rates(programId: $program, level: COUNTY) { name participationRate passRate }
  bulletins(programId: $program, first: 5) {
    nodes { number asOf region { name } participationRate passRate laggingUnits }
  }
}"""

DESK = """
query ($program: ID!, $city: ID!, $category: AwardCategory!) {
  awardCandidates(programId: $program, cityId: $city, category: $category) {
    name eligible score
  }
}"""


def _city(name: str, counts: tuple[int, int, int], rates: tuple[str, str]) -> dict[str, Any]:
    return {
        "name": name,
        "expected": counts[0],
        "participants": counts[1],
        "passed": counts[2],
        "participationRate": rates[0],
        "passRate": rates[1],
    }


LAGGING_CITIES = [
    "萍乡市", "新余市", "抚州市", "宜春市", "吉安市", "鹰潭市", "上饶市", "景德镇市", "赣州市",
    "九江市", "南昌市",
]  # fmt: skip


async def test_the_dashboard_has_figures_for_the_demo_province(api: Api, clock: FixedClock) -> None:
    """Beyond the demo workshop the province has studied (synthetic): rates above 0 in every
    city and county, two province bulletins with the change between them, lagging units, and
    candidates with their scores on the 南昌市 desk."""
    await load_demo()
    clock.set(DEMO_STARTS_AT)
    token = (await _banner_tokens(api))["demo.province"]
    headers = {"Authorization": f"Bearer {token}"}
    program = await Program.exclude(name=FINISHED_PROGRAM).get()
    variables = {"program": encode_id("Program", program.id)}
    response = await api.client.post(
        "/graphql", json={"query": DASHBOARD, "variables": variables}, headers=headers
    )
    data = response.json()["data"]
    assert data["cities"] == [
        _city("南昌市", (53, 29, 29), ("54.72", "100.00")),
        _city("景德镇市", (45, 29, 29), ("64.44", "100.00")),
        _city("萍乡市", (21, 15, 15), ("71.43", "100.00")),
        _city("九江市", (43, 25, 22), ("58.14", "88.00")),
        _city("新余市", (35, 25, 25), ("71.43", "100.00")),
        _city("鹰潭市", (35, 24, 24), ("68.57", "100.00")),
        _city("赣州市", (42, 25, 23), ("59.52", "92.00")),
        _city("吉安市", (46, 32, 31), ("69.57", "96.88")),
        _city("宜春市", (43, 30, 30), ("69.77", "100.00")),
        _city("抚州市", (35, 25, 25), ("71.43", "100.00")),
        _city("上饶市", (43, 29, 29), ("67.44", "100.00")),
    ]
    counties = data["counties"]
    assert len(counties) == 29
    assert all(float(c["participationRate"]) > 0 for c in counties)
    assert all(float(c["passRate"]) > 0 for c in counties)
    assert data["bulletins"]["nodes"] == [
        {
            "number": 2,
            "asOf": "2012-06-12",
            "region": {"name": "江西省"},
            "participationRate": "65.31",
            "passRate": "97.92",
            "laggingUnits": LAGGING_CITIES,
        },
        {
            "number": 1,
            "asOf": "2012-05-20",
            "region": {"name": "江西省"},
            "participationRate": "49.89",
            "passRate": "28.18",
            "laggingUnits": [
                "宜春市", "萍乡市", "鹰潭市", "抚州市", "景德镇市", "赣州市", "吉安市", "上饶市",
                "新余市", "九江市", "南昌市",
            ],
        },
    ]  # fmt: skip
    nanchang = encode_id("Region", (await Region.get(name="南昌市")).id)
    desk = {}
    for category in ("ADVANCED_COLLECTIVE", "ADVANCED_WORKER", "EXCELLENT_TUTOR"):
        response = await api.client.post(
            "/graphql",
            json={
                "query": DESK,
                "variables": {**variables, "city": nanchang, "category": category},
            },
            headers=headers,
        )
        desk[category] = response.json()["data"]["awardCandidates"]
    assert [c["name"] for c in desk["ADVANCED_COLLECTIVE"]] == [
        "南昌县",
        "南昌市",
        "东湖区",
        "西湖区",
    ]
    assert [c["score"] for c in desk["ADVANCED_WORKER"]] == [67, 61, 60, 57]
    # The city's tutor-team members; those without a class earn nothing (score 0).
    tutors = desk["EXCELLENT_TUTOR"]
    assert len(tutors) == 17
    assert tutors[:3] == [
        {"name": "孙国梅", "eligible": True, "score": 100},
        {"name": "董波波", "eligible": False, "score": 98},
        {"name": "罗刚英", "eligible": False, "score": 50},
    ]
