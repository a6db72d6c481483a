"""Fees (R16) over HTTP on the rates province: the three fee rules of the seeds, totals equal
to the rows and to the roll to the fen, updateFeePolicy, and who reads which settlement."""

from typing import Any

import pytest

from lms_plugin.resolvers.fees.rules import person_fee, yuan
from lms_plugin.storage.enums import FeeRule, Role, TitleRank, Track
from lms_plugin.storage.models import (
    FeePolicy,
    HourPolicy,
    Person,
    Region,
    VendorCity,
)

from .api import Api, error_codes, refused
from .factories import enroll, gid, make_admin, make_person, make_region, make_school, studied
from .rates_world import RatesWorld, make_rates_world

SETTLEMENT = """
query ($program: ID!, $vendor: ID!) {
  feeSettlement(programId: $program, vendorId: $vendor) {
    vendorName rule counted billedHours feeFen feeYuan
    cities { city { name } counted billedHours feeFen feeYuan }
  }
}"""

ROLL = """
query ($program: ID!, $vendor: ID!, $city: ID, $after: String) {
  feeRoll(programId: $program, vendorId: $vendor, cityId: $city, first: 2, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { teacher { realName } school { name } track billedHours feeFen feeYuan }
  }
}"""

UPDATE = """
mutation ($input: UpdateFeePolicyInput!) {
  updateFeePolicy(input: $input) {
    policy { rule hourlyFeeFen billedHours certificateFeeFen middleSeniorYearlyFeeFen
             juniorYearlyFeeFen }
    userErrors { code field message }
  }
}"""


async def fee_world() -> RatesWorld:
    """The rates province, and 甲机构 serving 上饶市 too, where 丁一 studied one hour on the
    transitional track: 甲机构 charges for 甲一, 甲二, 乙一 in 南昌市 and 丁一 in 上饶市."""
    world = await make_rates_world()
    c = world.classes
    city = await make_region("上饶市", "361100", c.org.province)
    county = await make_region("信州区", "361102", city)
    school = await make_school("上饶市第一中学", "3611020001", county)
    ding = await make_person(school=school, real_name="丁一")
    enrollment = await enroll(ding, c.workshop, c.batch, track=Track.TRANSITIONAL)
    await studied(enrollment, online_hours=1)
    await VendorCity.create(vendor_id=world.vendor.id, program_id=c.program.id, city_id=city.id)
    world.people["丁一"] = ding
    return world


def city(name: str, counted: int, hours: int, fen: int) -> dict[str, Any]:
    return {
        "city": {"name": name},
        "counted": counted,
        "billedHours": hours,
        "feeFen": fen,
        "feeYuan": yuan(fen),
    }


async def settlement(api: Api, world: RatesWorld, as_: Person | None) -> dict[str, Any]:
    variables = {
        "program": gid(world.program),
        "vendor": gid(world.vendor),
    }
    return await api.gql(SETTLEMENT, variables, as_=as_)


async def roll(
    api: Api, world: RatesWorld, as_: Person, in_city: Region | None = None
) -> list[dict[str, Any]]:
    variables: dict[str, Any] = {
        "program": gid(world.program),
        "vendor": gid(world.vendor),
        "city": None if in_city is None else gid(in_city),
    }
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        body = await api.data(ROLL, {**variables, "after": after}, as_=as_)
        nodes += body["feeRoll"]["nodes"]
        if not body["feeRoll"]["pageInfo"]["hasNextPage"]:
            assert body["feeRoll"]["totalCount"] == len(nodes)
            return nodes
        after = body["feeRoll"]["pageInfo"]["endCursor"]


async def test_by_the_hour_with_certificates_seed_002(api: Api) -> None:
    """The defaults: 1.00 yuan × 22 hours (6 + 16, or 4 + 18) + 2 yuan = 24.00 yuan a
    participant; 乙二 never enrolled and 乙三 withdrew, 甲三 never studied: not charged."""
    world = await fee_world()
    body = await settlement(api, world, world.province_admin)
    assert body == {
        "data": {
            "feeSettlement": {
                "vendorName": "甲机构",
                "rule": "HOURLY",
                "counted": 4,
                "billedHours": 88,
                "feeFen": 9600,
                "feeYuan": "96.00",
                "cities": [city("南昌市", 3, 66, 7200), city("上饶市", 1, 22, 2400)],
            }
        }
    }
    nodes = await roll(api, world, world.province_admin)
    assert [
        (n["teacher"]["realName"], n["track"], n["billedHours"], n["feeFen"]) for n in nodes
    ] == [
        ("甲一", "NETWORK", 22, 2400),
        ("甲二", "NETWORK", 22, 2400),
        ("乙一", "TRANSITIONAL", 22, 2400),
        ("丁一", "TRANSITIONAL", 22, 2400),
    ]
    assert sum(n["feeFen"] for n in nodes) == 9600
    assert nodes[3]["school"] == {"name": "上饶市第一中学"}


async def test_by_the_hour_at_the_2022_price_seed_001(api: Api) -> None:
    """1.50 yuan an hour for the year's 60 hours, no certificate fee: 90.00 yuan a participant;
    a transitional track of other hours does not matter once the billed hours are set."""
    world = await fee_world()
    await HourPolicy.filter(program_id=world.program.id).update(transitional_offline_hours=20)
    data = await api.data(
        UPDATE,
        {
            "input": {
                "programId": gid(world.program),
                "hourlyFeeFen": 150,
                "certificateFeeFen": 0,
                "billedHours": 60,
            }
        },
        as_=world.province_admin,
    )
    assert data["updateFeePolicy"] == {
        "policy": {
            "rule": "HOURLY",
            "hourlyFeeFen": 150,
            "billedHours": 60,
            "certificateFeeFen": 0,
            "middleSeniorYearlyFeeFen": 18000,
            "juniorYearlyFeeFen": 12000,
        },
        "userErrors": [],
    }
    body = await settlement(api, world, world.vendor_staff)
    assert body["data"]["feeSettlement"]["cities"] == [
        city("南昌市", 3, 180, 27000),
        city("上饶市", 1, 60, 9000),
    ]
    assert body["data"]["feeSettlement"]["feeFen"] == 36000
    assert sum(n["feeFen"] for n in await roll(api, world, world.vendor_staff)) == 36000


async def test_a_yearly_fee_by_title_rank_seed_004(api: Api) -> None:
    """180 yuan for middle and senior titles, 120 for junior (and no title), for every
    registered teacher whether or not they studied: 甲三 pays, 乙三 (withdrawn) does not."""
    world = await fee_world()
    titles = {"甲一": TitleRank.SENIOR, "甲二": TitleRank.INTERMEDIATE, "甲三": TitleRank.JUNIOR}
    for name, title in titles.items():
        await Person.filter(id=world.people[name].id).update(title_rank=title)
    await api.data(
        UPDATE,
        {"input": {"programId": gid(world.program), "rule": "YEARLY_BY_TITLE"}},
        as_=world.province_admin,
    )
    body = await settlement(api, world, world.province_admin)
    assert body["data"]["feeSettlement"] == {
        "vendorName": "甲机构",
        "rule": "YEARLY_BY_TITLE",
        "counted": 5,
        "billedHours": 0,
        "feeFen": 72000,
        "feeYuan": "720.00",
        "cities": [city("南昌市", 4, 0, 60000), city("上饶市", 1, 0, 12000)],
    }
    nodes = await roll(api, world, world.province_admin)
    assert [(n["teacher"]["realName"], n["billedHours"], n["feeFen"]) for n in nodes] == [
        ("甲一", None, 18000),
        ("甲二", None, 18000),
        ("甲三", None, 12000),
        ("乙一", None, 12000),
        ("丁一", None, 12000),
    ]
    assert sum(n["feeFen"] for n in nodes) == 72000


async def test_a_city_admin_reads_their_city_s_row_and_roll_only(api: Api) -> None:
    world = await fee_world()
    body = await settlement(api, world, world.city_admin)
    assert body["data"]["feeSettlement"]["cities"] == [city("南昌市", 3, 66, 7200)]
    assert body["data"]["feeSettlement"]["feeFen"] == 7200
    names = [n["teacher"]["realName"] for n in await roll(api, world, world.city_admin)]
    assert names == ["甲一", "甲二", "乙一"]
    in_city = await roll(api, world, world.province_admin, world.classes.org.city)
    assert [n["teacher"]["realName"] for n in in_city] == ["甲一", "甲二", "乙一"]


@pytest.mark.parametrize("who", ["county_admin", "other_vendor_staff", "trainee", "nobody"])
async def test_others_are_refused_the_settlement(api: Api, who: str) -> None:
    world = await fee_world()
    people = {
        "county_admin": world.county_admin,
        "trainee": world.trainee,
        "nobody": None,
        "other_vendor_staff": await make_admin(
            "vendor2", Role.VENDOR_STAFF, vendor=world.other_vendor
        ),
    }
    person = people[who]
    expected = ["UNAUTHENTICATED" if person is None else "FORBIDDEN"]
    assert error_codes(await settlement(api, world, person)) == expected
    variables = {
        "program": gid(world.program),
        "vendor": gid(world.vendor),
    }
    assert error_codes(await api.gql(ROLL, variables, as_=person)) == expected


@pytest.mark.parametrize("who", ["city_admin", "vendor_staff", "nobody"])
async def test_only_the_province_changes_the_fee_policy(api: Api, who: str) -> None:
    world = await fee_world()
    person = None if who == "nobody" else getattr(world, who)
    body = await api.gql(
        UPDATE,
        {"input": {"programId": gid(world.program), "hourlyFeeFen": 1}},
        as_=person,
    )
    assert error_codes(body) == ["UNAUTHENTICATED" if person is None else "FORBIDDEN"]
    assert (await FeePolicy.get(program_id=world.program.id)).hourly_fee_fen == 100


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hourlyFeeFen": -1}, "hourlyFeeFen", "不能为负数"),
        ({"juniorYearlyFeeFen": -100}, "juniorYearlyFeeFen", "不能为负数"),
        ({"billedHours": 0}, "billedHours", "须为正整数"),
    ],
)
async def test_bad_fee_settings_are_refused_and_change_nothing(
    api: Api, changes: dict[str, int], field: str, message: str
) -> None:
    world = await fee_world()
    data = await api.data(
        UPDATE,
        {"input": {"programId": gid(world.program), **changes}},
        as_=world.province_admin,
    )
    assert data["updateFeePolicy"] == refused("policy", "INVALID_INPUT", message, field)
    policy = await FeePolicy.get(program_id=world.program.id)
    assert (policy.hourly_fee_fen, policy.billed_hours, policy.junior_yearly_fee_fen) == (
        100,
        None,
        12000,
    )


def test_a_person_s_fee_at_each_rule() -> None:
    hours = HourPolicy(
        network_online_hours=6,
        network_offline_hours=16,
        transitional_online_hours=4,
        transitional_offline_hours=20,
    )
    hourly = FeePolicy(
        rule=FeeRule.HOURLY,
        hourly_fee_fen=150,
        billed_hours=None,
        certificate_fee_fen=200,
        middle_senior_yearly_fee_fen=18000,
        junior_yearly_fee_fen=12000,
    )
    assert person_fee(hourly, hours, Track.NETWORK, None).fee_fen == 150 * 22 + 200
    assert person_fee(hourly, hours, Track.TRANSITIONAL, None).fee_fen == 150 * 24 + 200
    yearly = FeePolicy(
        rule=FeeRule.YEARLY_BY_TITLE,
        hourly_fee_fen=150,
        billed_hours=None,
        certificate_fee_fen=200,
        middle_senior_yearly_fee_fen=18000,
        junior_yearly_fee_fen=12000,
    )
    assert [
        person_fee(yearly, hours, Track.NETWORK, title).fee_fen
        for title in (TitleRank.SENIOR, TitleRank.INTERMEDIATE, TitleRank.JUNIOR, None)
    ] == [18000, 18000, 12000, 12000]
    assert [yuan(fen) for fen in (0, 5, 12345, -5)] == ["0.00", "0.05", "123.45", "-0.05"]
