"""Awards under quotas (R15): the mutations."""

import strawberry

from lms_plugin.resolvers.awards import tables, use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.ids import InvalidId, decode_id
from lms_plugin.schema.core.mutations import Call, mutation
from lms_plugin.schema.exports.types import ExportJob

from .inputs import (
    ExportAwardTableInput,
    NameClassStarInput,
    NominateAwardInput,
    ReviewNominationInput,
)
from .types import ClassStar, Nomination


@strawberry.type(description="nominateAward 的结果（payload）：推荐，或试算的结果。")
class NominateAwardPayload:
    nomination: Nomination | None = strawberry.field(
        description="新的推荐；试算或被拒绝时为 null。"
    )
    dry_run: bool | None = strawberry.field(description="是否为试算（dry run）；被拒绝时为 null。")
    places: int | None = strawberry.field(description="本市该类别名额（places）。")
    used: int | None = strawberry.field(description="推荐后已用名额（used after）。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="reviewNomination 的结果（payload）。")
class ReviewNominationPayload:
    nomination: Nomination | None = strawberry.field(description="审核后的推荐；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="nameClassStar 的结果（payload）。")
class NameClassStarPayload:
    star: ClassStar | None = strawberry.field(description="评出的之星；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="exportAwardTable 的结果（payload）。")
class ExportAwardTablePayload:
    job: ExportJob | None = strawberry.field(description="导出任务；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _candidate(global_id: str) -> tuple[str, int]:
    try:
        return decode_id(global_id)
    except InvalidId:
        return ("", 0)  # names no candidate: refused as NOT_FOUND


def _nominate(call: Call[NominateAwardInput]) -> tuple[object, ...]:
    return (
        call.ids["program_id"],
        call.ids["city_id"],
        call.input.category,
        _candidate(call.input.candidate_id),
        call.input.dry_run,
        call.now,
    )


def _outcome(outcome: use_cases.NominationOutcome, info: Info) -> NominateAwardPayload:
    return NominateAwardPayload(
        nomination=None if outcome.nomination is None else Nomination.of(outcome.nomination),
        dry_run=outcome.dry_run,
        places=outcome.places,
        used=outcome.used,
        user_errors=[],
    )


@strawberry.type
class Mutation:
    nominate_award = mutation(
        use_cases.nominate,
        input=NominateAwardInput,
        payload=NominateAwardPayload,
        arguments=_nominate,
        present=_outcome,
        description="推荐评优（nominate award，R15）：候选须符合条件、在本市名额之内"
        "（超出报 QUOTA_EXCEEDED）；dryRun 只试算，不写入。",
    )
    review_nomination = mutation(
        use_cases.review_nomination,
        input=ReviewNominationInput,
        payload=ReviewNominationPayload,
        arguments=lambda call: (
            call.ids["nomination_id"],
            call.input.approve,
            call.input.note,
            call.now,
        ),
        present=lambda row, info: Nomination.of(row),
        description="审核评优推荐（review nomination，R15）：通过时个人的全员培训考核档次"
        "记为“优”。",
    )
    name_class_star = mutation(
        use_cases.name_star,
        input=NameClassStarInput,
        payload=NameClassStarPayload,
        arguments=lambda call: (
            call.ids["class_id"],
            call.input.kind,
            call.ids["enrollment_id"],
            call.now,
        ),
        present=lambda row, info: ClassStar.of(row),
        description="评选学员之星、班级之星（name class star，seed 002 §四(三)）。",
    )
    export_award_table = mutation(
        tables.export_award_table,
        input=ExportAwardTableInput,
        payload=ExportAwardTablePayload,
        arguments=lambda call: (
            call.ids["program_id"],
            call.input.category,
            call.ids["city_id"],
            call.now,
            call.info.context.later(),
        ),
        present=lambda row, info: ExportJob.of(row),
        description="导出推荐表（export award table，seed 003 附件1–4）：后台生成，返回导出任务；"
        "附件2–4 含身份证号、手机号，记为个人信息查看。",
    )
