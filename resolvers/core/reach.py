"""Who may read the figures of which units (R14, R16), pure: a grant reads its own level of
the region tree and every level below, inside its region, school or vendor's cities."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from lms_plugin.storage.enums import RateLevel, Role
from lms_plugin.storage.reports import Reach


class Grant(Protocol):
    """A role grant as the rules read it (a RoleAssignment row)."""

    @property
    def role(self) -> str: ...
    @property
    def region_id(self) -> int | None: ...
    @property
    def school_id(self) -> int | None: ...
    @property
    def vendor_id(self) -> int | None: ...


# The region tree from the top; a grant reads its own level and every level below it.
DEPTH = {
    RateLevel.PROVINCE: 0,
    RateLevel.CITY: 1,
    RateLevel.COUNTY: 2,
    RateLevel.SCHOOL: 3,
    RateLevel.CLASS: 4,
}
_GRANT_DEPTH = {
    Role.PROVINCE_ADMIN: 0,
    Role.CITY_ADMIN: 1,
    Role.COUNTY_ADMIN: 2,
    Role.SCHOOL_ADMIN: 3,
    Role.VENDOR_STAFF: 1,  # a vendor reads its cities and below, and its own vendor row
}


def reach_of(grants: Iterable[Grant], level: RateLevel) -> Reach:
    """The teachers the grants let a viewer count at `level`: the province admin everywhere, a
    city, county or school admin their region or school at their level and below, vendor staff
    the cities their vendor serves (VendorCity) at city level and below and their vendor's row.
    Empty: the level is not theirs to read."""
    everywhere = False
    cities: set[int] = set()
    counties: set[int] = set()
    schools: set[int] = set()
    vendors: set[int] = set()
    for grant in grants:
        role = Role(grant.role)
        if role not in _GRANT_DEPTH:
            continue
        if level is RateLevel.VENDOR:
            everywhere |= role is Role.PROVINCE_ADMIN
            if role is Role.VENDOR_STAFF and grant.vendor_id is not None:
                vendors.add(grant.vendor_id)
            continue
        if DEPTH[level] < _GRANT_DEPTH[role]:
            continue
        if role is Role.PROVINCE_ADMIN:
            everywhere = True
        elif role is Role.CITY_ADMIN and grant.region_id is not None:
            cities.add(grant.region_id)
        elif role is Role.COUNTY_ADMIN and grant.region_id is not None:
            counties.add(grant.region_id)
        elif role is Role.SCHOOL_ADMIN and grant.school_id is not None:
            schools.add(grant.school_id)
        elif role is Role.VENDOR_STAFF and grant.vendor_id is not None:
            vendors.add(grant.vendor_id)
    if everywhere:
        return Reach(everywhere=True)
    return Reach(
        city_ids=frozenset(cities),
        county_ids=frozenset(counties),
        school_ids=frozenset(schools),
        vendor_ids=frozenset(vendors),
    )


@dataclass(frozen=True)
class Place:
    """Where a unit lies in the region tree (None: coarser than that level, or not a place)."""

    city_id: int | None = None
    county_id: int | None = None
    school_id: int | None = None
    vendor_id: int | None = None


def reach_covers(reach: Reach, place: Place, vendor_city_ids: frozenset[int]) -> bool:
    """Whether a unit lies inside the reach: a county admin covers their county and its schools,
    never another county nor the city above; `vendor_city_ids` are the reach's vendors' cities."""
    if reach.everywhere:
        return True
    if place.vendor_id is not None:
        return place.vendor_id in reach.vendor_ids
    return (
        (place.city_id is not None and place.city_id in reach.city_ids | vendor_city_ids)
        or (place.county_id is not None and place.county_id in reach.county_ids)
        or (place.school_id is not None and place.school_id in reach.school_ids)
    )
