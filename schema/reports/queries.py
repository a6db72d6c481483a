"""Rates of participation and passing (R14): the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.core import scopes
from lms_plugin.resolvers.reports import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import RateLevel, Standing
from lms_plugin.schema.core.ids import InvalidId, decode_id, found_pk
from lms_plugin.schema.core.pagination import After, Connection, First, keyset_connection
from lms_plugin.schema.people.types import Person

from .types import UnitRates

PROGRAM = Annotated[strawberry.ID, strawberry.argument(description="项目的全局 ID（program id）。")]


def _unit(global_id: str) -> tuple[str, int] | None:
    """A unit's (type, key) from its id; None when it names no unit type."""
    try:
        type_name, pk = decode_id(global_id)
    except InvalidId:
        return None
    return (type_name, pk) if type_name in scopes.UNIT_MODELS else None


@strawberry.type
class Query:
    @strawberry.field(
        description="参训率与合格率（rates，R14）：某一层级每个单位的人数与比率，限登录者的管辖范围"
        "（县级管理员：本县及其学校、班级；承训机构：对接的设区市及以下）。层级高于自己、"
        "或 withinId 在范围外时报 FORBIDDEN。按代码（或 id）排序。"
    )
    async def rates(
        self,
        info: Info,
        program_id: PROGRAM,
        level: Annotated[RateLevel, strawberry.argument(description="统计层级（level）。")],
        within_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="只统计这个单位之内（within）：地区、学校、班级或承训机构的全局 ID，"
                "如某县之内的各学校。"
            ),
        ] = None,
    ) -> list[UnitRates]:
        viewer = info.context.viewer
        program_pk = found_pk(program_id, "Program")
        within = None if within_id is None else _unit(within_id)
        if program_pk is None or (within_id is not None and within is None):
            scopes.REPORT_READER.check(viewer)
            return []
        found = await use_cases.unit_rates(viewer, program_pk, level, within)
        return [UnitRates.of(unit) for unit in found]

    @strawberry.field(
        description="统计数字背后的教师（rate trainees）：某单位某一状态的教师名单，如某县"
        "未参训的教师，按 id 排序分页，供督学跟进；个人信息已脱敏。单位在管辖范围外时报 "
        "FORBIDDEN；项目或单位不存在时为 null。"
    )
    async def rate_trainees(
        self,
        info: Info,
        program_id: PROGRAM,
        unit_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="单位的全局 ID（unit id），同 UnitRates.unitId。"),
        ],
        standing: Annotated[
            Standing, strawberry.argument(description="哪一个数字背后的教师（standing）。")
        ],
        first: First = 20,
        after: After = None,
    ) -> Connection[Person] | None:
        viewer = info.context.viewer
        program_pk = found_pk(program_id, "Program")
        unit = _unit(unit_id)
        if program_pk is None or unit is None:
            scopes.REPORT_READER.check(viewer)
            return None
        trainees = await use_cases.rate_trainees(viewer, program_pk, unit, standing)
        if trainees is None:
            return None
        return await keyset_connection(
            trainees.fetch, Person.of, trainees.count, first=first, after=after
        )
