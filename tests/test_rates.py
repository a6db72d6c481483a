"""Rates (R14) over HTTP on the hand-counted province of rates_world: every level, the sums,
who reads which level, the trainees behind a figure, and a fixed number of statements."""

from typing import Any

import pytest

from lms_plugin.storage.enums import Outcome
from lms_plugin.storage.models import Person

from .api import Api, error_codes
from .factories import gid, make_person, make_region, make_school
from .rates_world import RatesWorld, make_rates_world, record_results
from .sql_counter import count_sql

RATES = """
query ($program: ID!, $level: RateLevel!, $within: ID) {
  rates(programId: $program, level: $level, withinId: $within) {
    level name expected exempt participants notStarted complete passed passedIsForecast
    participationRate passRate
  }
}"""

TRAINEES = """
query ($program: ID!, $unit: ID!, $standing: Standing!, $first: Int, $after: String) {
  rateTrainees(programId: $program, unitId: $unit, standing: $standing, first: $first,
               after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { realName }
  }
}"""


def row(
    level: str,
    name: str,
    expected: int,
    exempt: int,
    participants: int,
    complete: int,
    rates: tuple[str | None, str | None],
) -> dict[str, Any]:
    return {
        "level": level,
        "name": name,
        "expected": expected,
        "exempt": exempt,
        "participants": participants,
        "notStarted": expected - participants,
        "complete": complete,
        "passed": complete,  # the forecast until assessment results exist
        "passedIsForecast": True,
        "participationRate": rates[0],
        "passRate": rates[1],
    }


# Hand-counted from the table in rates_world's docstring.
PROVINCE = [row("PROVINCE", "江西省", 9, 2, 5, 2, ("55.56", "40.00"))]
CITIES = [
    row("CITY", "南昌市", 7, 2, 3, 2, ("42.86", "66.67")),
    row("CITY", "九江市", 2, 0, 2, 0, ("100.00", "0.00")),
]
COUNTIES = [
    row("COUNTY", "东湖区", 4, 2, 2, 1, ("50.00", "50.00")),
    row("COUNTY", "南昌县", 3, 0, 1, 1, ("33.33", "100.00")),
    row("COUNTY", "濂溪区", 2, 0, 2, 0, ("100.00", "0.00")),
]
SCHOOLS = [
    row("SCHOOL", "南昌市第一实验学校", 4, 2, 2, 1, ("50.00", "50.00")),
    row("SCHOOL", "南昌县莲塘一中", 3, 0, 1, 1, ("33.33", "100.00")),
    row("SCHOOL", "九江市实验中学", 2, 0, 2, 0, ("100.00", "0.00")),
]
CLASSES = [
    row("CLASS", "一班", 4, 0, 3, 1, ("75.00", "33.33")),
    row("CLASS", "二班", 1, 0, 1, 1, ("100.00", "100.00")),
]
VENDORS = [
    row("VENDOR", "甲机构", 7, 2, 3, 2, ("42.86", "66.67")),
    row("VENDOR", "乙机构", 2, 0, 2, 0, ("100.00", "0.00")),
]


async def rates(
    api: Api, world: RatesWorld, level: str, as_: Person | None, within: Any = None
) -> dict[str, Any]:
    variables = {"program": gid(world.program), "level": level}
    if within is not None:
        variables["within"] = within if isinstance(within, str) else gid(within)
    return await api.gql(RATES, variables, as_=as_)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("PROVINCE", PROVINCE),
        ("CITY", CITIES),
        ("COUNTY", COUNTIES),
        ("SCHOOL", SCHOOLS),
        ("CLASS", CLASSES),
        ("VENDOR", VENDORS),
    ],
)
async def test_the_province_reads_every_level_hand_counted(
    api: Api, level: str, expected: list[dict[str, Any]]
) -> None:
    world = await make_rates_world()
    assert await rates(api, world, level, world.province_admin) == {"data": {"rates": expected}}


async def test_once_the_program_has_results_passed_is_the_results_passed(api: Api) -> None:
    world = await make_rates_world()
    # 甲一 complete and passed; 乙一 complete but failed (the exam); 丙一 studied 30 minutes
    # and passed (a make-up is recorded as passed too); 李辅导 exempt is not expected, and a
    # result for an exempt tutor-team member is not passed.
    await record_results(
        world,
        {
            "甲一": (Outcome.PASSED, 86),
            "乙一": (Outcome.FAILED, 52),
            "丙一": (Outcome.PASSED, 61),
            "李辅导": (Outcome.EXEMPT, 0),
        },
    )

    def with_results(unit: dict[str, Any], passed: int, pass_rate: str) -> dict[str, Any]:
        return {**unit, "passed": passed, "passedIsForecast": False, "passRate": pass_rate}

    assert await rates(api, world, "CITY", world.province_admin) == {
        "data": {
            "rates": [
                with_results(CITIES[0], 1, "33.33"),  # 甲一 of 甲一 甲二 乙一
                with_results(CITIES[1], 1, "50.00"),  # 丙一 of 丙一 丙二
            ]
        }
    }
    passed = await api.data(
        TRAINEES,
        {
            "program": gid(world.program),
            "unit": gid(world.classes.org.province),
            "standing": "PASSED",
        },
        as_=world.province_admin,
    )
    assert passed["rateTrainees"]["nodes"] == [{"realName": "甲一"}, {"realName": "丙一"}]


def test_each_level_is_the_sum_of_the_level_below() -> None:
    figures = ("expected", "exempt", "participants", "complete", "passed")
    by_parent = {
        "南昌市": ["东湖区", "南昌县"],
        "九江市": ["濂溪区"],
        "东湖区": ["南昌市第一实验学校"],
        "南昌县": ["南昌县莲塘一中"],
        "濂溪区": ["九江市实验中学"],
    }
    named = {r["name"]: r for r in [*CITIES, *COUNTIES, *SCHOOLS]}
    for figure in figures:
        assert PROVINCE[0][figure] == sum(r[figure] for r in CITIES)
        for parent, children in by_parent.items():
            assert named[parent][figure] == sum(named[child][figure] for child in children)


async def test_the_figures_the_database_gives_add_up_level_by_level(api: Api) -> None:
    world = await make_rates_world()
    figures = ("expected", "exempt", "participants", "complete", "passed")
    levels = {}
    for level in ("PROVINCE", "CITY", "COUNTY", "SCHOOL"):
        levels[level] = (await rates(api, world, level, world.province_admin))["data"]["rates"]
    for upper, lower in (("PROVINCE", "CITY"), ("CITY", "COUNTY"), ("COUNTY", "SCHOOL")):
        for figure in figures:
            assert sum(r[figure] for r in levels[upper]) == sum(r[figure] for r in levels[lower])


async def test_schools_within_a_county(api: Api) -> None:
    world = await make_rates_world()
    body = await rates(api, world, "SCHOOL", world.city_admin, world.nanchang_county)
    assert body == {"data": {"rates": [SCHOOLS[1]]}}


@pytest.mark.parametrize(
    ("who", "level", "expected"),
    [
        ("county_admin", "COUNTY", [COUNTIES[0]]),
        ("county_admin", "SCHOOL", [SCHOOLS[0]]),
        # 一班 has trainees in 东湖区 and 濂溪区: the county admin counts their own only.
        ("county_admin", "CLASS", [row("CLASS", "一班", 3, 0, 2, 1, ("66.67", "50.00"))]),
        ("city_admin", "CITY", [CITIES[0]]),
        ("city_admin", "COUNTY", COUNTIES[:2]),
        ("vendor_staff", "VENDOR", [VENDORS[0]]),
        ("vendor_staff", "CITY", [CITIES[0]]),
        ("vendor_staff", "SCHOOL", SCHOOLS[:2]),
    ],
)
async def test_each_viewer_reads_the_levels_of_their_scope(
    api: Api, who: str, level: str, expected: list[dict[str, Any]]
) -> None:
    world = await make_rates_world()
    body = await rates(api, world, level, getattr(world, who))
    assert body == {"data": {"rates": expected}}


@pytest.mark.parametrize(
    ("who", "level", "within"),
    [
        ("county_admin", "COUNTY", "nanchang_county"),  # another county's figures
        ("county_admin", "SCHOOL", "school_b"),
        ("county_admin", "CITY", None),  # the level above theirs
        ("county_admin", "VENDOR", None),
        ("city_admin", "PROVINCE", None),
        ("city_admin", "COUNTY", "other_county"),
        ("vendor_staff", "COUNTY", "other_county"),
        ("vendor_staff", "VENDOR", "other_vendor"),
        ("trainee", "SCHOOL", None),
    ],
)
async def test_figures_outside_one_s_scope_are_refused(
    api: Api, who: str, level: str, within: str | None
) -> None:
    world = await make_rates_world()
    places = {
        "nanchang_county": world.nanchang_county,
        "school_b": world.school_b,
        "other_county": world.classes.org.other_county,
        "other_vendor": world.other_vendor,
    }
    body = await rates(api, world, level, getattr(world, who), places.get(within or ""))
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_without_a_token_nothing_is_counted(api: Api) -> None:
    world = await make_rates_world()
    body = await rates(api, world, "CITY", None)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    body = await api.gql(
        TRAINEES,
        {"program": gid(world.program), "unit": gid(world.school_b), "standing": "EXPECTED"},
        as_=None,
    )
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_ids_that_name_nothing_read_as_nothing(api: Api) -> None:
    world = await make_rates_world()
    admin = world.province_admin
    assert await rates(api, world, "SCHOOL", admin, gid(world.classes.leader)) == {
        "data": {"rates": []}
    }
    body = await api.gql(
        TRAINEES,
        {"program": gid(world.classes.batch), "unit": gid(world.school_b), "standing": "EXPECTED"},
        as_=admin,
    )
    assert body == {"data": {"rateTrainees": None}}


def names(body: dict[str, Any]) -> list[str]:
    return [node["realName"] for node in body["data"]["rateTrainees"]["nodes"]]


@pytest.mark.parametrize(
    ("unit", "standing", "expected"),
    [
        ("nanchang_county", "NOT_STARTED", ["乙二", "乙三"]),
        ("county", "EXEMPT", ["李辅导", "赵辅导"]),
        ("county", "NOT_STARTED", ["王名师", "甲三"]),
        ("county", "NOT_COMPLETE", ["甲二"]),
        ("city", "PASSED", ["甲一", "乙一"]),
        ("other_city", "NOT_PASSED", ["丙一", "丙二"]),
        ("one", "PARTICIPATING", ["甲一", "甲二", "丙一"]),
        ("vendor", "COMPLETE", ["甲一", "乙一"]),
        (
            "province",
            "EXPECTED",
            ["王名师", "甲一", "甲二", "甲三", "乙一", "乙二", "乙三", "丙一", "丙二"],
        ),
    ],
)
async def test_the_trainees_behind_a_figure(
    api: Api, unit: str, standing: str, expected: list[str]
) -> None:
    world = await make_rates_world()
    org = world.classes.org
    units = {
        "nanchang_county": world.nanchang_county,
        "county": org.county,
        "city": org.city,
        "other_city": org.other_city,
        "province": org.province,
        "one": world.classes.training_class,
        "vendor": world.vendor,
    }
    variables = {"program": gid(world.program), "unit": gid(units[unit]), "standing": standing}
    body = await api.gql(TRAINEES, {**variables, "first": 100}, as_=world.province_admin)
    assert names(body) == expected
    assert body["data"]["rateTrainees"]["totalCount"] == len(expected)


async def test_the_trainees_page_by_page(api: Api) -> None:
    world = await make_rates_world()
    variables = {
        "program": gid(world.program),
        "unit": gid(world.classes.org.province),
        "standing": "NOT_STARTED",
        "first": 2,
    }
    seen: list[str] = []
    after = None
    while True:
        body = await api.gql(TRAINEES, {**variables, "after": after}, as_=world.province_admin)
        seen += names(body)
        page = body["data"]["rateTrainees"]["pageInfo"]
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert seen == ["王名师", "甲三", "乙二", "乙三"]
    body = await api.gql(TRAINEES, {**variables, "first": 101}, as_=world.province_admin)
    assert error_codes(body) == ["BAD_PAGE_REQUEST"]


async def test_a_county_admin_is_refused_another_county_s_trainees(api: Api) -> None:
    world = await make_rates_world()
    variables = {
        "program": gid(world.program),
        "unit": gid(world.nanchang_county),
        "standing": "NOT_STARTED",
    }
    body = await api.gql(TRAINEES, variables, as_=world.county_admin)
    assert error_codes(body) == ["FORBIDDEN"]
    own = {**variables, "unit": gid(world.classes.org.county)}
    assert names(await api.gql(TRAINEES, own, as_=world.county_admin)) == ["王名师", "甲三"]
    # A class is counted inside the reader's reach: 一班's trainees of 东湖区 only.
    in_class = {**variables, "unit": gid(world.classes.training_class), "standing": "EXPECTED"}
    assert names(await api.gql(TRAINEES, in_class, as_=world.county_admin)) == [
        "甲一",
        "甲二",
        "甲三",
    ]


async def _grow(world: RatesWorld, n: int) -> None:
    """More counties, schools and teachers: the statements must stay as many."""
    org = world.classes.org
    for i in range(n):
        county = await make_region(f"新县{i}", f"3601{50 + i}", org.city)
        school = await make_school(f"新校{i}", f"36015{i}0001", county)
        for _ in range(3):
            await make_person(school=school)


@pytest.mark.parametrize("level", ["PROVINCE", "COUNTY", "SCHOOL", "CLASS", "VENDOR"])
async def test_a_fixed_number_of_statements_whatever_the_province(api: Api, level: str) -> None:
    world = await make_rates_world()
    with count_sql() as small:
        await rates(api, world, level, world.province_admin)
    await _grow(world, 4)
    with count_sql() as large:
        body = await rates(api, world, level, world.province_admin)
    assert "errors" not in body
    # The figures, the names, the policy, the viewer and whether the program has results yet.
    assert large.count == small.count <= 6
