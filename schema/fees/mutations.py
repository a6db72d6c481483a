"""Fees (R16): the mutations."""

import strawberry

from lms_plugin.resolvers.fees import use_cases
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.schema.exports.types import ExportJob

from .inputs import ExportSettlementInput


@strawberry.type(description="exportSettlement 的结果（payload）。")
class ExportSettlementPayload:
    job: ExportJob | None = strawberry.field(description="导出任务；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class Mutation:
    export_settlement = mutation(
        use_cases.export_settlement,
        input=ExportSettlementInput,
        payload=ExportSettlementPayload,
        arguments=lambda call: (
            call.ids["program_id"],
            call.ids["vendor_id"],
            call.now,
            call.info.context.later(),
        ),
        present=lambda row, info: ExportJob.of(row),
        description="导出收费结算及收费花名册（export settlement，R16）：范围同 feeSettlement。",
    )
