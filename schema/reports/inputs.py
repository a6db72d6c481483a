"""Rates of participation and passing (R14): the inputs."""

import strawberry

from lms_plugin.schema.core.enums import RateLevel
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="导出参训率、合格率统计表（export rates）。")
class ExportRatesInput:
    program_id: strawberry.ID = id_of("Program", description="项目的全局 ID（program id）。")
    level: RateLevel = strawberry.field(description="统计层级（level），同 rates。")
    within_id: strawberry.ID | None = strawberry.field(
        default=None, description="只统计这个单位之内（within），同 rates 的 withinId。"
    )
