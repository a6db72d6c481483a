"""Learning-status bulletins (学情通报) over HTTP on the rates province: a frozen, ranked
snapshot with the units under the threshold named and the change since the previous one;
who publishes which, and who reads which."""

from typing import Any

import pytest

from lms_plugin.resolvers.bulletins.rules import UnitFigures, is_lagging, points_change, ranked
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import Bulletin, BulletinEntry, Enrollment, Person, Region

from .api import Api, error_codes, refused
from .factories import gid, make_admin, studied
from .rates_world import RatesWorld, make_rates_world

PUBLISH = """
mutation ($input: PublishBulletinInput!) {
  publishBulletin(input: $input) {
    bulletin {
      number unitLevel asOf publishedAt threshold expected exempt participants complete passed
      passedIsForecast participationRate passRate
      region { name } publishedBy { realName }
      laggingUnits
      entries { nodes { name rank previousRank expected participants passed lagging
                        participationRate passRate participationRateChange passRateChange } }
    }
    userErrors { code field message }
  }
}"""

LIST = """
query ($program: ID!, $region: ID) {
  bulletins(programId: $program, regionId: $region) { nodes { number region { name } } }
}"""


async def publish(
    api: Api, world: RatesWorld, region: Region, as_: Person | None, as_of: str = "2012-05-01"
) -> dict[str, Any]:
    variables = {"input": {"programId": gid(world.program), "regionId": gid(region), "asOf": as_of}}
    return await api.gql(PUBLISH, variables, as_=as_)


def entry(
    name: str,
    rank: int,
    figures: tuple[int, int, int],
    rates: tuple[str | None, str | None],
    *,
    lagging: bool = True,
    previous_rank: int | None = None,
    changes: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    expected, participants, passed = figures
    return {
        "name": name,
        "rank": rank,
        "previousRank": previous_rank,
        "expected": expected,
        "participants": participants,
        "passed": passed,
        "lagging": lagging,
        "participationRate": rates[0],
        "passRate": rates[1],
        "participationRateChange": changes[0],
        "passRateChange": changes[1],
    }


async def test_the_province_publishes_a_ranked_snapshot_of_its_cities(api: Api) -> None:
    world = await make_rates_world()
    org = world.classes.org
    body = await publish(api, world, org.province, world.province_admin)
    assert body == {
        "data": {
            "publishBulletin": {
                "bulletin": {
                    "number": 1,
                    "unitLevel": "CITY",
                    "asOf": "2012-05-01",
                    "publishedAt": "2012-04-20T10:00:00+08:00",
                    "threshold": "96.00",
                    "expected": 9,
                    "exempt": 2,
                    "participants": 5,
                    "complete": 2,
                    "passed": 2,
                    "passedIsForecast": True,
                    "participationRate": "55.56",
                    "passRate": "40.00",
                    "region": {"name": "江西省"},
                    "publishedBy": {"realName": world.province_admin.real_name},
                    "laggingUnits": ["九江市", "南昌市"],
                    "entries": {
                        "nodes": [
                            entry("九江市", 1, (2, 2, 0), ("100.00", "0.00")),
                            entry("南昌市", 2, (7, 3, 2), ("42.86", "66.67")),
                        ]
                    },
                },
                "userErrors": [],
            }
        }
    }


async def test_the_next_bulletin_shows_the_change_and_the_first_stays_frozen(api: Api) -> None:
    world = await make_rates_world()
    org = world.classes.org
    await publish(api, world, org.city, world.city_admin)
    # 甲三 starts: 东湖区 goes from 2 of 4 participating to 3 of 4.
    await studied(await Enrollment.get(teacher_id=world.people["甲三"].id), online_hours=1 / 6)
    body = await publish(api, world, org.city, world.city_admin, "2012-05-05")
    bulletin = body["data"]["publishBulletin"]["bulletin"]
    assert bulletin["number"] == 2
    assert bulletin["unitLevel"] == "COUNTY"
    assert bulletin["entries"]["nodes"] == [
        entry(
            "东湖区",
            1,
            (4, 3, 1),
            ("75.00", "33.33"),
            previous_rank=1,
            changes=("+25.00", "-16.67"),
        ),
        entry(
            "南昌县",
            2,
            (3, 1, 1),
            ("33.33", "100.00"),
            previous_rank=2,
            changes=("+0.00", "+0.00"),
        ),
    ]
    first = await Bulletin.get(number=1, region_id=org.city.id)
    frozen = await BulletinEntry.filter(bulletin_id=first.id).order_by("id")
    assert [(e.name, e.participants) for e in frozen] == [("东湖区", 2), ("南昌县", 1)]


async def test_a_city_admin_publishes_only_for_their_city(api: Api) -> None:
    world = await make_rates_world()
    body = await publish(api, world, world.classes.org.other_city, world.city_admin)
    assert body["data"]["publishBulletin"] == refused(
        "bulletin", "NOT_FOUND", "找不到该地区", "regionId"
    )
    assert await Bulletin.all().count() == 0
    # A county of their own city: its schools.
    body = await publish(api, world, world.nanchang_county, world.city_admin)
    assert body["data"]["publishBulletin"]["bulletin"]["unitLevel"] == "SCHOOL"


@pytest.mark.parametrize("who", ["county_admin", "vendor_staff", "trainee", "nobody"])
async def test_others_cannot_publish(api: Api, who: str) -> None:
    world = await make_rates_world()
    person = None if who == "nobody" else getattr(world, who)
    body = await publish(api, world, world.classes.org.county, person)
    assert error_codes(body) == ["UNAUTHENTICATED" if person is None else "FORBIDDEN"]
    assert await Bulletin.all().count() == 0


async def test_each_admin_reads_the_bulletins_of_their_region_above_and_below(api: Api) -> None:
    world = await make_rates_world()
    org = world.classes.org
    await publish(api, world, org.province, world.province_admin)
    await publish(api, world, org.city, world.province_admin)
    await publish(api, world, org.other_city, world.province_admin)
    await publish(api, world, world.nanchang_county, world.province_admin)

    async def seen(person: Person | None, region: Region | None = None) -> Any:
        variables = {
            "program": gid(world.program),
            "region": None if region is None else gid(region),
        }
        body = await api.gql(LIST, variables, as_=person)
        if "errors" in body:
            return error_codes(body)
        return [node["region"]["name"] for node in body["data"]["bulletins"]["nodes"]]

    assert await seen(world.province_admin) == ["南昌县", "九江市", "南昌市", "江西省"]
    assert await seen(world.city_admin) == ["南昌县", "南昌市", "江西省"]
    assert await seen(world.county_admin) == ["南昌市", "江西省"]
    assert await seen(world.county_admin, org.other_city) == []
    school_admin = await make_admin("school", Role.SCHOOL_ADMIN, school=world.school_b)
    assert await seen(school_admin) == ["南昌县", "南昌市", "江西省"]
    assert await seen(world.trainee) == ["FORBIDDEN"]
    assert await seen(None) == ["UNAUTHENTICATED"]


def figures(unit_id: int, code: str, expected: int, participants: int, passed: int) -> UnitFigures:
    return UnitFigures(unit_id, f"单位{unit_id}", code, expected, participants, passed)


@pytest.mark.parametrize(
    ("participants", "passed", "lagging"),
    [
        (96, 96, False),  # 96% and 100% of participants: at the threshold, not under it
        (100, 96, False),
        (95, 95, True),
        (100, 95, True),
    ],
)
def test_the_threshold_at_96_percent(participants: int, passed: int, lagging: bool) -> None:
    assert is_lagging(figures(1, "1", 100, participants, passed), 9600) is lagging


def test_95_99_percent_lags_though_it_shows_as_96() -> None:
    assert is_lagging(figures(1, "1", 10000, 9599, 9599), 9600) is True
    assert is_lagging(figures(1, "1", 20000, 19199, 19199), 9600) is True  # 95.995%
    assert is_lagging(figures(1, "1", 10000, 9600, 9216), 9600) is False  # 96% of 96%
    assert is_lagging(figures(1, "1", 0, 0, 0), 9600) is False  # nobody expected


def test_ties_fall_the_same_way_every_time() -> None:
    units = [
        figures(3, "360103", 10, 9, 9),
        figures(1, "360101", 10, 9, 9),
        figures(2, "360102", 20, 18, 18),
        figures(4, "360104", 0, 0, 0),
        figures(5, "360105", 10, 10, 0),
    ]
    order = [u.unit_id for u in ranked(units)]
    assert order == [5, 1, 2, 3, 4]
    assert all([u.unit_id for u in ranked(list(reversed(units)))] == order for _ in range(20))


def test_the_change_in_points() -> None:
    assert points_change((96, 100), (90, 100)) == "+6.00"
    assert points_change((1, 3), (2, 3)) == "-33.33"
    assert points_change((1, 3), (1, 3)) == "+0.00"
    assert points_change((1, 3), (None, None)) is None
    assert points_change((0, 0), (1, 3)) is None
