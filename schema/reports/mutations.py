"""Rates of participation and passing (R14): the mutations."""

import strawberry

from lms_plugin.resolvers.reports import use_cases
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.ids import InvalidId, decode_id
from lms_plugin.schema.core.mutations import Call, mutation
from lms_plugin.schema.exports.types import ExportJob

from .inputs import ExportRatesInput


@strawberry.type(description="exportRates 的结果（payload）。")
class ExportRatesPayload:
    job: ExportJob | None = strawberry.field(description="导出任务；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _within(global_id: str | None) -> tuple[str, int] | None:
    if global_id is None:
        return None
    try:
        return decode_id(global_id)
    except InvalidId:
        return ("", 0)  # names no unit: the table is empty, as rates answers


def _arguments(call: Call[ExportRatesInput]) -> tuple[object, ...]:
    return (
        call.ids["program_id"],
        call.input.level,
        _within(call.input.within_id),
        call.now,
        call.info.context.later(),
    )


@strawberry.type
class Mutation:
    export_rates = mutation(
        use_cases.export_rates,
        input=ExportRatesInput,
        payload=ExportRatesPayload,
        arguments=_arguments,
        present=lambda row, info: ExportJob.of(row),
        description="导出参训率、合格率统计表（export rates，R14）：范围同 rates，后台生成。",
    )
