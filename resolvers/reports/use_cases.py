"""The rates of a program (R14) as a viewer may read them, and the trainees behind a figure.

A request reads a fixed handful of statements, whatever the size of the province: the hour
policy, the unit asked about (if any), the vendor's cities (vendor staff), one GROUP BY for the
figures, and one for the names of the units.
"""

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.models import Model

from lms_plugin.resolvers.core.access import Viewer, requires
from lms_plugin.resolvers.core.errors import ErrorCode, refuse
from lms_plugin.resolvers.core.exports import Plan, start_export
from lms_plugin.resolvers.core.rates import percent_shown, rate
from lms_plugin.resolvers.core.scopes import (
    LEVEL_MODELS,
    REPORT_READER,
    hour_quotas,
    locate,
    reach_at,
)
from lms_plugin.resolvers.core.workbooks import Sheet
from lms_plugin.storage.enums import ExportKind, RateLevel, Standing
from lms_plugin.storage.models import ExportJob, Person, Program
from lms_plugin.storage.reports import (
    UnitCounts,
    passed_is_forecast,
    standing_count,
    standing_ids,
    unit_counts,
)


@dataclass(frozen=True)
class UnitRates:
    """A unit's figures with its name; `row` is the region, school, class or vendor."""

    level: RateLevel
    row: Model
    counts: UnitCounts
    # The program has no assessment results yet: "passed" is hours complete.
    passed_is_forecast: bool

    @property
    def name(self) -> str:
        name: str = getattr(self.row, "name")  # noqa: B009 (every unit model has one)
        return name


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
    reach = await reach_at(signed_in, program_id, level, located)
    counts = await unit_counts(
        program_id, level, quotas, reach, None if located is None else located.unit
    )
    model = LEVEL_MODELS[level]
    rows = {row.pk: row for row in await model.filter(id__in=[c.unit_id for c in counts])}
    forecast = await passed_is_forecast(program_id)
    found = [UnitRates(level, rows[c.unit_id], c, forecast) for c in counts if c.unit_id in rows]
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
    reach = await reach_at(signed_in, program_id, located.unit.level, located)
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


RATES_HEADINGS = (
    "序号", "单位", "应参训人数", "免予选学人数", "参训人数", "未参训人数", "学时达标人数",
    "合格人数", "参训率", "合格率",
)  # fmt: skip


@requires(REPORT_READER)
async def export_rates(
    viewer: Viewer,
    program_id: int,
    level: RateLevel,
    within: tuple[str, int] | None,
    now: dt.datetime,
    clock: Callable[[], dt.datetime],
) -> ExportJob:
    """The rates table of a level in the viewer's reach (as `unit_rates` reads it), as a job."""
    found = await unit_rates(viewer, program_id, level, within)
    if not await Program.exists(id=program_id):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")

    async def sheets() -> list[Sheet]:
        rows = [
            [
                n, unit.name, unit.counts.expected, unit.counts.exempt, unit.counts.participants,
                unit.counts.expected - unit.counts.participants, unit.counts.complete,
                unit.counts.passed,
                percent_shown(rate(unit.counts.participants, unit.counts.expected)),
                percent_shown(rate(unit.counts.passed, unit.counts.participants)),
            ]
            for n, unit in enumerate(found, start=1)
        ]  # fmt: skip
        forecast = await passed_is_forecast(program_id)
        note = "合格人数为预测（学时达标）" if forecast else "合格人数为考核结果"
        return [Sheet("参训率合格率", RATES_HEADINGS, rows, ("参训率、合格率统计表", note))]

    plan = Plan(filename=f"参训率合格率-{level.value}.xlsx", sheets=sheets)
    parameters = {"level": level.value, "within": None if within is None else list(within)}
    return await start_export(viewer, program_id, ExportKind.RATES, parameters, plan, now, clock)
