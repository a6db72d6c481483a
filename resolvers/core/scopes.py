"""The scopes of the figures (R14, R16) read from the database: the unit an id names and where
it lies, the program's hour quotas, and the viewer's reach at a level, refused when the level
or the unit is not theirs. The pure rules are in `reach`."""

from dataclasses import dataclass

from tortoise.models import Model

from lms_plugin.storage.batch import id_set
from lms_plugin.storage.enums import RateLevel, RegionLevel, Role
from lms_plugin.storage.models import HourPolicy, Region, School, TrainingClass, Vendor, VendorCity
from lms_plugin.storage.reports import HourQuotas, Reach, Unit

from .access import Requirement, Viewer
from .errors import Forbidden
from .reach import Place, reach_covers, reach_of

REPORT_READER = Requirement(
    "省、市、县级或学校管理员，或承训机构人员，限其管辖范围"
    "（an admin or vendor staff, within their scope）",
    lambda viewer: viewer.is_admin or viewer.has_role(Role.VENDOR_STAFF),
)

# How an id names a unit: the type of its row.
UNIT_MODELS: dict[str, type[Model]] = {
    "Region": Region,
    "School": School,
    "TrainingClass": TrainingClass,
    "Vendor": Vendor,
}
_REGION_LEVELS = {
    RegionLevel.PROVINCE: RateLevel.PROVINCE,
    RegionLevel.CITY: RateLevel.CITY,
    RegionLevel.COUNTY: RateLevel.COUNTY,
}
LEVEL_MODELS: dict[RateLevel, type[Model]] = {
    RateLevel.PROVINCE: Region,
    RateLevel.CITY: Region,
    RateLevel.COUNTY: Region,
    RateLevel.SCHOOL: School,
    RateLevel.CLASS: TrainingClass,
    RateLevel.VENDOR: Vendor,
}


@dataclass(frozen=True)
class Located:
    unit: Unit
    place: Place


async def hour_quotas(program_id: int) -> HourQuotas | None:
    """R8's quotas of the program; None when there is no such program."""
    policy = await HourPolicy.get_or_none(program_id=program_id)
    if policy is None:
        return None
    return HourQuotas(
        network_online_seconds=policy.network_online_hours * 3600,
        network_offline_minutes=policy.network_offline_hours * 60,
        transitional_online_seconds=policy.transitional_online_hours * 3600,
        transitional_offline_minutes=policy.transitional_offline_hours * 60,
    )


async def locate(type_name: str, pk: int) -> Located | None:
    """The unit an id names, and where it lies; None when it names nothing."""
    if type_name == "Region":
        region = await Region.get_or_none(id=pk)
        if region is None:
            return None
        level = _REGION_LEVELS[RegionLevel(region.level)]
        place = {
            RateLevel.PROVINCE: Place(),
            RateLevel.CITY: Place(city_id=region.id),
            RateLevel.COUNTY: Place(city_id=region.parent_id, county_id=region.id),
        }[level]
        return Located(Unit(level, region.id), place)
    if type_name == "School":
        school = await School.get_or_none(id=pk)
        if school is None:
            return None
        place = Place(city_id=school.city_id, county_id=school.county_id, school_id=school.id)
        return Located(Unit(RateLevel.SCHOOL, school.id), place)
    if type_name == "TrainingClass":
        found = await TrainingClass.exists(id=pk)
        # A class is not a place: a reader counts its trainees inside their own reach.
        return Located(Unit(RateLevel.CLASS, pk), Place()) if found else None
    if type_name == "Vendor":
        found = await Vendor.exists(id=pk)
        return Located(Unit(RateLevel.VENDOR, pk), Place(vendor_id=pk)) if found else None
    return None


async def vendor_city_ids(program_id: int, reach: Reach) -> frozenset[int]:
    if not reach.vendor_ids:
        return frozenset()
    cities = VendorCity.filter(program_id=program_id, vendor_id__in=reach.vendor_ids)
    return frozenset(await id_set(cities, "city_id"))


async def reach_at(
    viewer: Viewer, program_id: int, level: RateLevel, within: Located | None
) -> Reach:
    """The viewer's reach at a level; FORBIDDEN when the level or the unit is not theirs."""
    reach = reach_of(viewer.grants, level)
    if reach.empty:
        raise Forbidden
    if within is not None and within.unit.level is not RateLevel.CLASS:
        own_level = (
            reach if within.unit.level is level else reach_of(viewer.grants, within.unit.level)
        )
        cities = await vendor_city_ids(program_id, own_level)
        if not reach_covers(own_level, within.place, cities):
            raise Forbidden
    return reach
