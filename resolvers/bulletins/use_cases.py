"""Publishing and reading learning-status bulletins (学情通报, seed 001 §六, 003 §一(二)(5)).

A province or city admin publishes a bulletin of a region they administer as of a date: the
rates of every unit one level below, counted now (one GROUP BY), ranked, the units under the
program's threshold marked, and each unit's figures in the previous bulletin of the region kept
beside its own. Admins read the bulletins of their region, of the regions above it and of those
inside it.
"""

import datetime as dt
from collections.abc import Callable

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import Requirement, Viewer, require_viewer, requires
from lms_plugin.resolvers.core.audit import Action, record_change
from lms_plugin.resolvers.core.errors import ErrorCode, refuse
from lms_plugin.resolvers.core.exports import Plan, start_export
from lms_plugin.resolvers.core.rates import percent_shown, rate
from lms_plugin.resolvers.core.scopes import hour_quotas
from lms_plugin.resolvers.core.workbooks import Cell, Sheet
from lms_plugin.storage.batch import id_set, lock_rows
from lms_plugin.storage.enums import ExportKind, RateLevel, RegionLevel, Role
from lms_plugin.storage.models import (
    Bulletin,
    BulletinEntry,
    ExportJob,
    Region,
    ReportPolicy,
    School,
)
from lms_plugin.storage.reports import (
    Reach,
    Unit,
    UnitCounts,
    passed_is_forecast,
    unit_counts,
)

from .rules import UNITS_BELOW, UnitFigures, is_lagging, points_change, ranked

BULLETIN_PUBLISHER = Requirement(
    "省级管理员，或设区市管理员（本市及其县区）（province admin, or a city admin for their city）",
    lambda viewer: viewer.has_role(Role.PROVINCE_ADMIN) or viewer.has_role(Role.CITY_ADMIN),
)
BULLETIN_READER = Requirement(
    "省、市、县级或学校管理员（an admin）：本地区、上级与下级地区的通报",
    lambda viewer: viewer.is_admin,
)
_REGION_UNIT = {
    RegionLevel.PROVINCE: RateLevel.PROVINCE,
    RegionLevel.CITY: RateLevel.CITY,
    RegionLevel.COUNTY: RateLevel.COUNTY,
}


def _publishes_for(viewer: Viewer, region: Region) -> bool:
    if viewer.is_province_admin:
        return True
    cities = viewer.region_ids(Role.CITY_ADMIN)
    return region.id in cities or (
        RegionLevel(region.level) is RegionLevel.COUNTY and region.parent_id in cities
    )


async def _figures(
    program_id: int, region: Region
) -> tuple[list[UnitFigures], dict[int, UnitCounts]]:
    """The units below the region, counted now, with their names and codes."""
    level = UNITS_BELOW[RegionLevel(region.level)]
    quotas = await hour_quotas(program_id)
    if quotas is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    within = Unit(_REGION_UNIT[RegionLevel(region.level)], region.id)
    counts = await unit_counts(program_id, level, quotas, Reach(everywhere=True), within)
    model = School if level is RateLevel.SCHOOL else Region
    rows = {row.id: row for row in await model.filter(id__in=[c.unit_id for c in counts])}
    return [
        UnitFigures(
            unit_id=c.unit_id,
            name=rows[c.unit_id].name,
            code=rows[c.unit_id].code or "",
            expected=c.expected,
            participants=c.participants,
            passed=c.passed,
        )
        for c in counts
    ], {c.unit_id: c for c in counts}


@requires(BULLETIN_PUBLISHER)
async def publish_bulletin(
    viewer: Viewer, program_id: int, region_id: int, as_of: dt.date, now: dt.datetime
) -> Bulletin:
    """Freezes the rates below the region as of `as_of`, numbered after the region's previous
    bulletin of the program. Bulk-inserts the entries."""
    region = await Region.get_or_none(id=region_id)
    if region is None or not _publishes_for(viewer, region):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该地区", "regionId")
    policy = await ReportPolicy.get_or_none(program_id=program_id)
    if policy is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    figures, counts = await _figures(program_id, region)
    basis_points = policy.threshold_basis_points
    async with in_transaction():
        # One publisher of a region at a time: the numbers follow each other.
        await lock_rows(Region, [region.id])
        previous = (
            await Bulletin.filter(program_id=program_id, region_id=region.id)
            .order_by("-number")
            .first()
        )
        before = {}
        if previous is not None:
            before = {e.unit_id: e for e in await BulletinEntry.filter(bulletin_id=previous.id)}
        totals = {
            name: sum(getattr(c, name) for c in counts.values())
            for name in ("expected", "exempt", "participants", "complete", "passed")
        }
        bulletin = await Bulletin.create(
            program_id=program_id,
            region_id=region.id,
            number=1 if previous is None else previous.number + 1,
            unit_level=UNITS_BELOW[RegionLevel(region.level)],
            as_of=as_of,
            threshold_basis_points=basis_points,
            passed_is_forecast=await passed_is_forecast(program_id),
            published_by_id=viewer.id,
            published_at=now,
            **totals,
        )
        entries = []
        for rank, unit in enumerate(ranked(figures), start=1):
            count, old = counts[unit.unit_id], before.get(unit.unit_id)
            entries.append(
                BulletinEntry(
                    bulletin_id=bulletin.id,
                    unit_id=unit.unit_id,
                    name=unit.name,
                    rank=rank,
                    expected=count.expected,
                    exempt=count.exempt,
                    participants=count.participants,
                    complete=count.complete,
                    passed=count.passed,
                    lagging=is_lagging(unit, basis_points),
                    previous_rank=None if old is None else old.rank,
                    previous_expected=None if old is None else old.expected,
                    previous_participants=None if old is None else old.participants,
                    previous_passed=None if old is None else old.passed,
                )
            )
        await BulletinEntry.bulk_create(entries)
        # The entries are the bulletin's frozen table: logged as its count, on the bulletin's
        # own row, rather than a row each.
        record_change(
            Bulletin, bulletin.id, {"entries": (None, len(entries))}, action=Action.CREATE
        )
    return bulletin


async def visible_region_ids(viewer: Viewer) -> set[int] | None:
    """The regions whose bulletins the viewer reads (None: every region, the province admin):
    their own regions, those above them and those inside them."""
    if viewer.is_province_admin:
        return None
    own = {
        g.region_id
        for g in viewer.grants
        if g.role in (Role.CITY_ADMIN, Role.COUNTY_ADMIN) and g.region_id is not None
    }
    school_ids = {g.school_id for g in viewer.grants if g.role == Role.SCHOOL_ADMIN}
    if school_ids:
        own |= await id_set(School.filter(id__in=school_ids), "county_id")
    regions = await Region.all().values("id", "parent_id")
    parent = {r["id"]: r["parent_id"] for r in regions}
    visible = set(own)
    for region_id in own:
        above = parent.get(region_id)
        while above is not None:
            visible.add(above)
            above = parent.get(above)
    visible |= {r for r, p in parent.items() if p in own}
    return visible


async def bulletins(
    viewer: Viewer | None, program_id: int, region_id: int | None
) -> QuerySet[Bulletin]:
    """The bulletins the viewer reads, optionally of one region (newest first by the caller)."""
    signed_in = BULLETIN_READER.check(viewer)
    found = Bulletin.filter(program_id=program_id)
    visible = await visible_region_ids(signed_in)
    if visible is not None:
        found = found.filter(region_id__in=visible)
    if region_id is not None:
        found = found.filter(region_id=region_id)
    return found


async def visible_bulletin(viewer: Viewer | None, bulletin_id: int) -> Bulletin | None:
    """One bulletin by id under the rules of `bulletins` (None: not there, or not the viewer's
    to read, an admin outside the region or not an admin at all)."""
    signed_in = require_viewer(viewer)
    if not BULLETIN_READER.admits(signed_in):
        return None
    found = Bulletin.filter(id=bulletin_id)
    visible = await visible_region_ids(signed_in)
    if visible is not None:
        found = found.filter(region_id__in=visible)
    return await found.first()


def entries(bulletin_id: int) -> QuerySet[BulletinEntry]:
    """A bulletin's entries, in rank order (their key order)."""
    return BulletinEntry.filter(bulletin_id=bulletin_id)


BULLETIN_HEADINGS = (
    "名次", "单位", "应参训人数", "参训人数", "合格人数", "参训率", "合格率", "参训率变化",
    "合格率变化", "上期名次", "低于阈值",
)  # fmt: skip


@requires(BULLETIN_READER)
async def export_bulletin(
    viewer: Viewer, bulletin_id: int, now: dt.datetime, clock: Callable[[], dt.datetime]
) -> ExportJob:
    """A bulletin the viewer reads, as a sheet (a job like every export)."""
    bulletin = await Bulletin.get_or_none(id=bulletin_id)
    visible = await visible_region_ids(viewer)
    if bulletin is None or (visible is not None and bulletin.region_id not in visible):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该通报", "bulletinId")
    region = await Region.get(id=bulletin.region_id)

    async def sheets() -> list[Sheet]:
        rows: list[list[Cell]] = [
            [
                e.rank, e.name, e.expected, e.participants, e.passed,
                percent_shown(rate(e.participants, e.expected)),
                percent_shown(rate(e.passed, e.participants)),
                points_change((e.participants, e.expected),
                              (e.previous_participants, e.previous_expected)),
                points_change((e.passed, e.participants),
                              (e.previous_passed, e.previous_participants)),
                e.previous_rank, "是" if e.lagging else "",
            ]
            for e in await entries(bulletin.id).order_by("id")
        ]  # fmt: skip
        threshold = bulletin.threshold_basis_points
        title = f"{region.name}学情通报（第 {bulletin.number} 期，{bulletin.as_of.isoformat()}）"
        note = f"阈值 {threshold // 100}.{threshold % 100:02d}%"
        return [Sheet("学情通报", BULLETIN_HEADINGS, rows, (title, note))]

    plan = Plan(filename=f"学情通报-{region.name}-{bulletin.number}.xlsx", sheets=sheets)
    return await start_export(
        viewer, bulletin.program_id, ExportKind.BULLETIN, {"bulletin_id": bulletin.id}, plan,
        now, clock,
    )  # fmt: skip
