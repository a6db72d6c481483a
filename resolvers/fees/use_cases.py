"""Fees (R16): a vendor's settlement for a program, city by city, and the roll (收费花名册) of
the teachers it charges for.

The database counts the charged teachers by city, track and title rank (one GROUP BY); the fee
rule prices each group; a city's fee is the sum of its groups and the total the sum of the
cities, in integer fen, so the rows add up to the total exactly — and to the roll's fees.
"""

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from lms_plugin.resolvers.core.access import Requirement, Viewer, requires
from lms_plugin.resolvers.core.errors import ErrorCode, Forbidden, refuse
from lms_plugin.resolvers.core.exports import Plan, start_export
from lms_plugin.resolvers.core.reach import Place, reach_covers, reach_of
from lms_plugin.resolvers.core.scopes import hour_quotas, vendor_city_ids
from lms_plugin.resolvers.core.workbooks import Cell, Sheet
from lms_plugin.storage.batch import id_set
from lms_plugin.storage.enums import ExportKind, FeeRule, RateLevel, Role, TitleRank, Track
from lms_plugin.storage.models import (
    Enrollment,
    ExportJob,
    FeePolicy,
    HourPolicy,
    Person,
    Region,
    School,
    Vendor,
    VendorCity,
)
from lms_plugin.storage.reports import (
    HourQuotas,
    Reach,
    Unit,
    city_track_title_counts,
    standing_count,
    standing_ids,
)

from .rules import PersonFee, counted_standing, person_fee, yuan

FEE_READER = Requirement(
    "省级管理员、设区市管理员（本市）或该承训机构人员"
    "（province admin, the city's admin, or the vendor's staff）",
    lambda viewer: (
        viewer.has_role(Role.PROVINCE_ADMIN)
        or viewer.has_role(Role.CITY_ADMIN)
        or viewer.has_role(Role.VENDOR_STAFF)
    ),
)


@dataclass(frozen=True)
class CitySettlement:
    city: Region
    counted: int
    billed_hours: int
    fee_fen: int


@dataclass(frozen=True)
class Settlement:
    vendor: Vendor
    policy: FeePolicy
    cities: list[CitySettlement]

    @property
    def counted(self) -> int:
        return sum(city.counted for city in self.cities)

    @property
    def billed_hours(self) -> int:
        return sum(city.billed_hours for city in self.cities)

    @property
    def fee_fen(self) -> int:
        return sum(city.fee_fen for city in self.cities)


@dataclass(frozen=True)
class Scope:
    """What a settlement reads: the program's policies and the vendor's cities in reach."""

    vendor: Vendor
    policy: FeePolicy
    hours: HourPolicy
    quotas: HourQuotas
    reach: Reach


async def _scope(viewer: Viewer, program_id: int, vendor_id: int) -> Scope | None:
    vendor = await Vendor.get_or_none(id=vendor_id)
    policy = await FeePolicy.get_or_none(program_id=program_id)
    hours = await HourPolicy.get_or_none(program_id=program_id)
    quotas = await hour_quotas(program_id)
    if vendor is None or policy is None or hours is None or quotas is None:
        return None
    cities = VendorCity.filter(program_id=program_id, vendor_id=vendor_id)
    served = await id_set(cities, "city_id")
    reach = reach_of(viewer.grants, RateLevel.CITY)
    reach_cities = await vendor_city_ids(program_id, reach)
    covered = frozenset(c for c in served if reach_covers(reach, Place(city_id=c), reach_cities))
    if not (covered or reach.everywhere or vendor_id in reach.vendor_ids):
        raise Forbidden
    return Scope(vendor, policy, hours, quotas, Reach(city_ids=covered) if covered else Reach())


def _fee(scope: Scope, track: str, title_rank: str | None) -> PersonFee:
    title = None if title_rank is None else TitleRank(title_rank)
    return person_fee(scope.policy, scope.hours, Track(track), title)


async def vendor_settlement(
    viewer: Viewer | None, program_id: int, vendor_id: int
) -> Settlement | None:
    """The vendor's settlement, one row per city it serves in the program that the viewer
    reaches (a city admin: their own city's row); None when program or vendor names nothing."""
    signed_in = FEE_READER.check(viewer)
    scope = await _scope(signed_in, program_id, vendor_id)
    if scope is None:
        return None
    standing = counted_standing(FeeRule(scope.policy.rule))
    groups = await city_track_title_counts(
        program_id, scope.quotas, scope.reach, Unit(RateLevel.VENDOR, vendor_id), standing
    )
    totals: dict[int, tuple[int, int, int]] = {}
    for group in groups:
        fee = _fee(scope, group.track, group.title_rank)
        counted, hours, fen = totals.get(group.city_id, (0, 0, 0))
        totals[group.city_id] = (
            counted + group.count,
            hours + (fee.billed_hours or 0) * group.count,
            fen + fee.fee_fen * group.count,
        )
    regions = {r.id: r for r in await Region.filter(id__in=list(totals))}
    cities = [
        CitySettlement(regions[city_id], *totals[city_id])
        for city_id in sorted(totals, key=lambda c: (regions[c].code, c))
    ]
    return Settlement(scope.vendor, scope.policy, cities)


@dataclass(frozen=True)
class RollEntry:
    """A teacher on the fee roll (收费花名册) with their fee."""

    teacher: Person
    school_id: int | None
    track: Track
    fee: PersonFee


@dataclass(frozen=True)
class Roll:
    """A page of the roll read by key (`after`, limit), its count, and each entry's fee."""

    fetch: Callable[[int | None, int], Awaitable[list[Person]]]
    count: Callable[[], Awaitable[int]]
    entries: dict[int, RollEntry]


async def fee_roll(
    viewer: Viewer | None, program_id: int, vendor_id: int, city_id: int | None
) -> Roll | None:
    """The teachers the vendor's settlement charges for (optionally in one of its cities), in
    id order, each with the fee the settlement counts for them."""
    signed_in = FEE_READER.check(viewer)
    scope = await _scope(signed_in, program_id, vendor_id)
    if scope is None:
        return None
    standing = counted_standing(FeeRule(scope.policy.rule))
    reach = scope.reach
    if city_id is not None:
        reach = Reach(city_ids=reach.city_ids & {city_id})
    unit = Unit(RateLevel.VENDOR, vendor_id)
    entries: dict[int, RollEntry] = {}

    async def fetch(after: int | None, limit: int) -> list[Person]:
        ids = await standing_ids(
            program_id, scope.quotas, reach, unit, standing, after=after, limit=limit
        )
        people = {p.id: p for p in await Person.filter(id__in=ids)}
        enrollments = Enrollment.filter(program_id=program_id, teacher_id__in=ids)
        tracks = dict(await enrollments.values_list("teacher_id", "track"))
        for i in ids:
            person = people[i]
            track = Track(tracks[i])
            entries[i] = RollEntry(
                person, person.school_id, track, _fee(scope, track, person.title_rank)
            )
        return [people[i] for i in ids]

    async def count() -> int:
        return await standing_count(program_id, scope.quotas, reach, unit, standing)

    return Roll(fetch=fetch, count=count, entries=entries)


SETTLEMENT_HEADINGS = ("设区市", "计费人数", "计费学时", "金额（元）")
ROLL_HEADINGS = ("序号", "姓名", "学校", "研修方式", "职称", "计费学时", "金额（元）")
_TRACKS = {Track.NETWORK: "网络研修", Track.TRANSITIONAL: "过渡学习"}
_TITLES = {TitleRank.JUNIOR: "初级", TitleRank.INTERMEDIATE: "中级", TitleRank.SENIOR: "高级"}
_PAGE = 5000


@requires(FEE_READER)
async def export_settlement(
    viewer: Viewer,
    program_id: int,
    vendor_id: int,
    now: dt.datetime,
    clock: Callable[[], dt.datetime],
) -> ExportJob:
    """The vendor's settlement and its roll (收费花名册), as the viewer reads them, as a job."""
    settlement = await vendor_settlement(viewer, program_id, vendor_id)
    roll = await fee_roll(viewer, program_id, vendor_id, None)
    if settlement is None or roll is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目或承训机构", "vendorId")

    async def sheets() -> list[Sheet]:
        cities: list[list[Cell]] = [
            [c.city.name, c.counted, c.billed_hours, yuan(c.fee_fen)] for c in settlement.cities
        ]
        cities.append(
            ["合计", settlement.counted, settlement.billed_hours, yuan(settlement.fee_fen)]
        )
        people: list[Person] = []
        after = None
        while page := await roll.fetch(after, _PAGE):
            people += page
            after = page[-1].id
            if len(page) < _PAGE:
                break
        schools = {s.id: s.name for s in await School.filter(id__in={p.school_id for p in people})}
        listed: list[list[Cell]] = []
        for n, person in enumerate(people, start=1):
            entry = roll.entries[person.id]
            title = None if person.title_rank is None else _TITLES[TitleRank(person.title_rank)]
            listed.append([
                n, person.real_name, schools.get(entry.school_id or 0, ""), _TRACKS[entry.track],
                title or "未登记", entry.fee.billed_hours, yuan(entry.fee.fee_fen),
            ])  # fmt: skip
        name = settlement.vendor.name
        return [
            Sheet("结算", SETTLEMENT_HEADINGS, cities, (f"{name} 收费结算",)),
            Sheet("收费花名册", ROLL_HEADINGS, listed, (f"{name} 收费花名册",)),
        ]

    plan = Plan(filename=f"收费结算-{settlement.vendor.name}.xlsx", sheets=sheets)
    parameters = {"vendor_id": vendor_id}
    return await start_export(
        viewer, program_id, ExportKind.SETTLEMENT, parameters, plan, now, clock
    )
