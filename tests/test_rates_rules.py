"""The rules of the rates (R14) without a database: the display of a rate at its rounding
edges, and which grants read which levels and units."""

from dataclasses import dataclass
from fractions import Fraction

import pytest

from lms_plugin.resolvers.core.rates import percent_shown, rate
from lms_plugin.resolvers.core.reach import Place, reach_covers, reach_of
from lms_plugin.storage.enums import RateLevel, Role
from lms_plugin.storage.reports import Reach


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [
        (0, 0, None),
        (0, 5, "0.00"),
        (5, 5, "100.00"),
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (1, 8, "12.50"),
        (19199, 20000, "96.00"),  # 95.995%: shown as 96.00, still under 96% exactly
        (19198, 20000, "95.99"),
        (1, 20000, "0.01"),  # 0.005%: halves round up
        (1, 20001, "0.00"),
    ],
)
def test_a_rate_is_shown_with_two_decimals_halves_up(
    numerator: int, denominator: int, shown: str | None
) -> None:
    assert percent_shown(rate(numerator, denominator)) == shown


def test_a_rate_is_exact() -> None:
    assert rate(19199, 20000) == Fraction(19199, 20000)
    assert rate(19199, 20000) < Fraction(96, 100) <= rate(96, 100)  # type: ignore[operator]
    assert rate(3, 0) is None


@dataclass(frozen=True)
class Grant:
    role: Role
    region_id: int | None
    school_id: int | None
    vendor_id: int | None


def grant(
    role: Role, region: int | None = None, school: int | None = None, vendor: int | None = None
) -> Grant:
    return Grant(role, region, school, vendor)


@pytest.mark.parametrize(
    ("grants", "level", "reach"),
    [
        ([grant(Role.PROVINCE_ADMIN, 1)], RateLevel.PROVINCE, Reach(everywhere=True)),
        ([grant(Role.PROVINCE_ADMIN, 1)], RateLevel.VENDOR, Reach(everywhere=True)),
        ([grant(Role.CITY_ADMIN, 2)], RateLevel.PROVINCE, Reach()),
        ([grant(Role.CITY_ADMIN, 2)], RateLevel.CITY, Reach(city_ids=frozenset({2}))),
        ([grant(Role.CITY_ADMIN, 2)], RateLevel.CLASS, Reach(city_ids=frozenset({2}))),
        ([grant(Role.CITY_ADMIN, 2)], RateLevel.VENDOR, Reach()),
        ([grant(Role.COUNTY_ADMIN, 3)], RateLevel.CITY, Reach()),
        ([grant(Role.COUNTY_ADMIN, 3)], RateLevel.COUNTY, Reach(county_ids=frozenset({3}))),
        ([grant(Role.SCHOOL_ADMIN, school=4)], RateLevel.COUNTY, Reach()),
        ([grant(Role.SCHOOL_ADMIN, school=4)], RateLevel.SCHOOL, Reach(school_ids=frozenset({4}))),
        ([grant(Role.VENDOR_STAFF, vendor=5)], RateLevel.VENDOR, Reach(vendor_ids=frozenset({5}))),
        ([grant(Role.VENDOR_STAFF, vendor=5)], RateLevel.CITY, Reach(vendor_ids=frozenset({5}))),
        ([grant(Role.VENDOR_STAFF, vendor=5)], RateLevel.PROVINCE, Reach()),
        # Two grants: each reads at its own level; the union below.
        (
            [grant(Role.CITY_ADMIN, 2), grant(Role.COUNTY_ADMIN, 9)],
            RateLevel.CITY,
            Reach(city_ids=frozenset({2})),
        ),
        (
            [grant(Role.CITY_ADMIN, 2), grant(Role.COUNTY_ADMIN, 9)],
            RateLevel.SCHOOL,
            Reach(city_ids=frozenset({2}), county_ids=frozenset({9})),
        ),
    ],
)
def test_which_grants_read_which_level(grants: list[Grant], level: RateLevel, reach: Reach) -> None:
    assert reach_of(grants, level) == reach


@pytest.mark.parametrize(
    ("reach", "place", "covered"),
    [
        (Reach(county_ids=frozenset({3})), Place(city_id=2, county_id=3), True),
        (Reach(county_ids=frozenset({3})), Place(city_id=2, county_id=7), False),
        (Reach(county_ids=frozenset({3})), Place(city_id=2), False),  # the city above
        (Reach(county_ids=frozenset({3})), Place(city_id=2, county_id=3, school_id=4), True),
        (Reach(city_ids=frozenset({2})), Place(city_id=2, county_id=7), True),
        (Reach(city_ids=frozenset({2})), Place(), False),  # the province
        (Reach(vendor_ids=frozenset({5})), Place(city_id=8), True),  # a city of the vendor
        (Reach(vendor_ids=frozenset({5})), Place(city_id=2), False),
        (Reach(vendor_ids=frozenset({5})), Place(vendor_id=5), True),
        (Reach(vendor_ids=frozenset({5})), Place(vendor_id=6), False),
        (Reach(everywhere=True), Place(), True),
    ],
)
def test_which_units_a_reach_covers(reach: Reach, place: Place, covered: bool) -> None:
    assert reach_covers(reach, place, frozenset({8})) is covered
