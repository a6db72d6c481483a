"""A program's policies (项目政策): the mutations."""

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from lms_plugin.resolvers.programs import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import UserError
from lms_plugin.schema.core.mutations import Call, changes_of, mutation

from .inputs import (
    UpdateAssessmentPolicyInput,
    UpdateAwardPolicyInput,
    UpdateBatchPolicyInput,
    UpdateBriefingPolicyInput,
    UpdateFeePolicyInput,
    UpdateHourPolicyInput,
    UpdateRegistrationPolicyInput,
    UpdateReportPolicyInput,
    UpdateStaffAssessmentPolicyInput,
    UpdateStudyTimerPolicyInput,
    UpdateTutorTeamPolicyInput,
)
from .types import (
    AssessmentPolicy,
    AwardPolicy,
    BatchPolicy,
    BriefingPolicy,
    FeePolicy,
    HourPolicy,
    M,
    RegistrationPolicy,
    ReportPolicy,
    StaffAssessmentPolicy,
    StudyTimerPolicy,
    TutorTeamPolicy,
)

R = TypeVar("R")


USER_ERRORS = "拒绝的原因（refusals）；为空表示已保存。"


@strawberry.type(description="updateBatchPolicy 的结果（payload）。")
class BatchPolicyPayload:
    policy: BatchPolicy | None = strawberry.field(description="保存后的政策；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateRegistrationPolicy 的结果（payload）。")
class RegistrationPolicyPayload:
    policy: RegistrationPolicy | None = strawberry.field(
        description="保存后的政策；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateHourPolicy 的结果（payload）。")
class HourPolicyPayload:
    policy: HourPolicy | None = strawberry.field(description="保存后的政策；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateTutorTeamPolicy 的结果（payload）。")
class TutorTeamPolicyPayload:
    policy: TutorTeamPolicy | None = strawberry.field(description="保存后的政策；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateStudyTimerPolicy 的结果（payload）。")
class StudyTimerPolicyPayload:
    policy: StudyTimerPolicy | None = strawberry.field(
        description="保存后的政策；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateBriefingPolicy 的结果（payload）。")
class BriefingPolicyPayload:
    policy: BriefingPolicy | None = strawberry.field(description="保存后的政策；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateAssessmentPolicy 的结果（payload）。")
class AssessmentPolicyPayload:
    policy: AssessmentPolicy | None = strawberry.field(
        description="保存后的政策；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateFeePolicy 的结果（payload）。")
class FeePolicyPayload:
    policy: FeePolicy | None = strawberry.field(description="保存后的政策；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateReportPolicy 的结果（payload）。")
class ReportPolicyPayload:
    policy: ReportPolicy | None = strawberry.field(description="保存后的政策；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateAwardPolicy 的结果（payload）。")
class AwardPolicyPayload:
    policy: AwardPolicy | None = strawberry.field(description="保存后的政策；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="updateStaffAssessmentPolicy 的结果（payload）。")
class StaffAssessmentPolicyPayload:
    policy: StaffAssessmentPolicy | None = strawberry.field(
        description="保存后的政策；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _remembered(present: Callable[[M], R]) -> Callable[[M, Info], R]:
    """Presents a saved policy, and keeps it as the one the rest of the request reads."""

    def remember(row: M, info: Info) -> R:
        program_id: int = getattr(row, "program_id")  # noqa: B009 (every policy has one)
        info.context.loaders.by_key(type(row), "program_id").prime(program_id, row, force=True)
        return present(row)

    return remember


def _registration_hours(call: Call[UpdateRegistrationPolicyInput]) -> tuple[object, ...]:
    changes = changes_of(call, skip=frozenset({"program_id"}))
    return (
        call.ids["program_id"],
        changes.get("daily_opens_at"),
        changes.get("daily_closes_at"),
    )


def _changes(call: Call[Any], nullable: frozenset[str] = frozenset()) -> tuple[object, ...]:
    return (
        call.ids["program_id"],
        changes_of(call, skip=frozenset({"program_id"}), nullable=nullable),
    )


@strawberry.type
class Mutation:
    update_batch_policy = mutation(
        use_cases.update_batch_policy,
        input=UpdateBatchPolicyInput,
        payload=BatchPolicyPayload,
        arguments=_changes,
        present=_remembered(BatchPolicy.of),
        description="修改批次政策（update batch policy, R2）；缩短每批学习日时重新检查已有批次。",
    )
    update_registration_policy = mutation(
        use_cases.update_registration_policy,
        input=UpdateRegistrationPolicyInput,
        payload=RegistrationPolicyPayload,
        arguments=_registration_hours,
        present=_remembered(RegistrationPolicy.of),
        description="修改注册政策（update registration policy, R3）：每日自主报名的开放时段。",
    )
    update_hour_policy = mutation(
        use_cases.update_hour_policy,
        input=UpdateHourPolicyInput,
        payload=HourPolicyPayload,
        arguments=_changes,
        present=_remembered(HourPolicy.of),
        description="修改学时政策（update hour policy, R8）。",
    )
    update_tutor_team_policy = mutation(
        use_cases.update_tutor_team_policy,
        input=UpdateTutorTeamPolicyInput,
        payload=TutorTeamPolicyPayload,
        arguments=_changes,
        present=_remembered(TutorTeamPolicy.of),
        description="修改辅导团队政策（update tutor team policy, R6）；只影响之后设立的工作室。",
    )
    update_study_timer_policy = mutation(
        use_cases.update_study_timer_policy,
        input=UpdateStudyTimerPolicyInput,
        payload=StudyTimerPolicyPayload,
        arguments=_changes,
        present=_remembered(StudyTimerPolicy.of),
        description="修改学习计时政策（update study timer policy, R8, R9）："
        "心跳间隔，线下研修的登记步长与每日上限。",
    )
    update_briefing_policy = mutation(
        use_cases.update_briefing_policy,
        input=UpdateBriefingPolicyInput,
        payload=BriefingPolicyPayload,
        arguments=lambda call: _changes(call, frozenset({"interval_days"})),
        present=_remembered(BriefingPolicy.of),
        description="修改班级简报政策（update briefing policy, R11）：每期天数，null 为每批一期。",
    )
    update_assessment_policy = mutation(
        use_cases.update_assessment_policy,
        input=UpdateAssessmentPolicyInput,
        payload=AssessmentPolicyPayload,
        arguments=lambda call: _changes(call, frozenset({"junior_title_target_hours"})),
        present=_remembered(AssessmentPolicy.of),
        description="修改考核政策（update assessment policy, R12, R13）：应完成学时、过程性考核的"
        "权重和最低要求、合格线、考试方式、补修与学分换算。",
    )
    update_fee_policy = mutation(
        use_cases.update_fee_policy,
        input=UpdateFeePolicyInput,
        payload=FeePolicyPayload,
        arguments=lambda call: _changes(call, frozenset({"billed_hours"})),
        present=_remembered(FeePolicy.of),
        description="修改收费政策（update fee policy, R16）：收费办法与各项标准（分）。",
    )
    update_report_policy = mutation(
        use_cases.update_report_policy,
        input=UpdateReportPolicyInput,
        payload=ReportPolicyPayload,
        arguments=_changes,
        present=_remembered(ReportPolicy.of),
        description="修改统计政策（update report policy, R14, R15）：参训率、合格率的阈值。",
    )
    update_award_policy = mutation(
        use_cases.update_award_policy,
        input=UpdateAwardPolicyInput,
        payload=AwardPolicyPayload,
        arguments=_changes,
        present=_remembered(AwardPolicy.of),
        description="修改评优政策（update award policy, R15）：各类别名额比例、取整方式、"
        "成绩要求。",
    )
    update_staff_assessment_policy = mutation(
        use_cases.update_staff_assessment_policy,
        input=UpdateStaffAssessmentPolicyInput,
        payload=StaffAssessmentPolicyPayload,
        arguments=_changes,
        present=_remembered(StaffAssessmentPolicy.of),
        description="修改人员考核政策（update staff assessment policy）：辅导教师、管理员学年"
        "工作考核的权重、应有次数与合格线。",
    )
