"""Learning-status bulletins (学情通报): the mutations."""

import strawberry

from lms_plugin.resolvers.bulletins import use_cases
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.schema.exports.types import ExportJob

from .inputs import ExportBulletinInput, PublishBulletinInput
from .types import Bulletin


@strawberry.type(description="publishBulletin 的结果（payload）。")
class PublishBulletinPayload:
    bulletin: Bulletin | None = strawberry.field(description="发布的通报；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="exportBulletin 的结果（payload）。")
class ExportBulletinPayload:
    job: ExportJob | None = strawberry.field(description="导出任务；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class Mutation:
    publish_bulletin = mutation(
        use_cases.publish_bulletin,
        input=PublishBulletinInput,
        payload=PublishBulletinPayload,
        arguments=lambda call: (
            call.ids["program_id"],
            call.ids["region_id"],
            call.input.as_of,
            call.now,
        ),
        present=lambda row, info: Bulletin.of(row),
        description="发布学情通报（publish bulletin，seed 001 §六）：冻结该地区下一级各单位此刻的"
        "参训率、合格率，排名，标出低于项目阈值的单位，并与上一期比较。",
    )
    export_bulletin = mutation(
        use_cases.export_bulletin,
        input=ExportBulletinInput,
        payload=ExportBulletinPayload,
        arguments=lambda call: (call.ids["bulletin_id"], call.now, call.info.context.later()),
        present=lambda row, info: ExportJob.of(row),
        description="导出学情通报（export bulletin）：后台生成表格，返回导出任务。",
    )
