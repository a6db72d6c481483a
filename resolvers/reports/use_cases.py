"""The rates of a program (R14) as a viewer may read them, and the trainees behind a figure.

A request reads a fixed handful of statements, whatever the size of the province: the hour
policy, the unit asked about (if any), the vendor's cities (vendor staff), one GROUP BY for the
figures, and one for the names of the units.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.models import Model

from lms_plugin.resolvers.core.access import Requirement, Viewer
from lms_plugin.resolvers.core.errors import Forbidden
from lms_plugin.storage.batch import id_set
from lms_plugin.storage.enums import RateLevel, RegionLevel, Role, Standing
from lms_plugin.storage.models import (
    HourPolicy,
    Person,
    Region,
    School,
    TrainingClass,
    Vendor,
    VendorCity,
)
from lms_plugin.storage.reports import (
    HourQuotas,
    Reach,
    Unit,
    UnitCounts,
    standing_count,
    standing_ids,
    unit_counts,
)

from .rules import Place, reach_covers, reach_of

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
_LEVEL_MODELS: dict[RateLevel, type[Model]] = {
    RateLevel.PROVINCE: Region,
    RateLevel.CITY: Region,
    RateLevel.COUNTY: Region,
    RateLevel.SCHOOL: School,
    RateLevel.CLASS: TrainingClass,
    RateLevel.VENDOR: Vendor,
}


@dataclass(frozen=True)
class UnitRates:
    """A unit's figures with its name; `row` is the region, school, class or vendor."""

    level: RateLevel
    row: Model
    counts: UnitCounts

    @property
    def name(self) -> str:
        name: str = getattr(self.row, "name")  # noqa: B009 (every unit model has one)
        return name


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


async def _vendor_city_ids(program_id: int, reach: Reach) -> frozenset[int]:
    if not reach.vendor_ids:
        return frozenset()
    cities = VendorCity.filter(program_id=program_id, vendor_id__in=reach.vendor_ids)
    return frozenset(await id_set(cities, "city_id"))


async def _reach(
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
        cities = await _vendor_city_ids(program_id, own_level)
        if not reach_covers(own_level, within.place, cities):
            raise Forbidden
    return reach


async def unit_rates(
    viewer: Viewer | None,
    program_id: int,
    level: RateLevel,
    within: tuple[str, int] | None,
) -> list[UnitRates]:
    """The figures of every unit of `level` in the viewer's reach (optionally inside one unit),
    ordered by code (regions, schools) or id. A unit outside the viewer's reach, or a level
    above theirs, is FORBIDDEN: a county admin reads their county and its schools and classes."""
    signed_in = REPORT_READER.check(viewer)
    located = None if within is None else await locate(*within)
    quotas = await hour_quotas(program_id)
    if quotas is None or (within is not None and located is None):
        return []
    reach = await _reach(signed_in, program_id, level, located)
    counts = await unit_counts(
        program_id, level, quotas, reach, None if located is None else located.unit
    )
    model = _LEVEL_MODELS[level]
    rows = {row.pk: row for row in await model.filter(id__in=[c.unit_id for c in counts])}
    found = [UnitRates(level, rows[c.unit_id], c) for c in counts if c.unit_id in rows]
    return sorted(found, key=lambda unit: (str(getattr(unit.row, "code", "") or ""), unit.row.pk))


@dataclass(frozen=True)
class Trainees:
    """A page of the teachers behind a figure, read by key (`after`, limit), and their count."""

    fetch: Callable[[int | None, int], Awaitable[list[Person]]]
    count: Callable[[], Awaitable[int]]


async def rate_trainees(
    viewer: Viewer | None, program_id: int, unit: tuple[str, int], standing: Standing
) -> Trainees | None:
    """The teachers behind one figure of a unit (e.g. not started in 南昌县), inside the
    viewer's reach; None when the program or unit names nothing, FORBIDDEN outside the reach."""
    signed_in = REPORT_READER.check(viewer)
    located = await locate(*unit)
    quotas = await hour_quotas(program_id)
    if quotas is None or located is None:
        return None
    reach = await _reach(signed_in, program_id, located.unit.level, located)
    where = located.unit

    async def fetch(after: int | None, limit: int) -> list[Person]:
        ids = await standing_ids(
            program_id, quotas, reach, where, standing, after=after, limit=limit
        )
        people = {person.id: person for person in await Person.filter(id__in=ids)}
        return [people[i] for i in ids if i in people]

    async def count() -> int:
        return await standing_count(program_id, quotas, reach, where, standing)

    return Trainees(fetch=fetch, count=count)
