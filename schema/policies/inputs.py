"""A program's policies (项目政策): the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import FeeRule, QuotaRounding
from lms_plugin.schema.core.mutations import id_of

from .types import PROGRAM_ID

OMITTED = "省略则不变（omitted: unchanged）。"


@strawberry.input(description=f"修改批次政策（batch policy, R2）。{OMITTED}")
class UpdateBatchPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    max_study_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"每批最多学习日（max study days），正整数；现有批次都须符合（R2）。{OMITTED}",
    )


@strawberry.input(description=f"修改注册政策（registration policy, R3）。{OMITTED}")
class UpdateRegistrationPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    daily_opens_at: dt.time | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"每日开放时间（daily opens at），当地时间的时:分，不带时区和秒。{OMITTED}",
    )
    daily_closes_at: dt.time | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"每日截止时间（daily closes at），晚于开放时间。{OMITTED}",
    )


@strawberry.input(description=f"修改学时政策（hour policy, R8），整数学时，不能为负。{OMITTED}")
class UpdateHourPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    network_online_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"网络研修的线上学时（network online hours）。{OMITTED}",
    )
    network_offline_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"网络研修的线下学时（network offline hours）。{OMITTED}",
    )
    transitional_online_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"过渡学习的线上学时（transitional online hours）。{OMITTED}",
    )
    transitional_offline_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"过渡学习的线下学时（transitional offline hours）。{OMITTED}",
    )


@strawberry.input(description=f"修改辅导团队政策（tutor team policy, R6）。{OMITTED}")
class UpdateTutorTeamPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    cap: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            f"辅导团队人数上限（cap），正整数；用于此后设立的工作室，已设立的工作室不变。{OMITTED}"
        ),
    )


@strawberry.input(description=f"修改学习计时政策（study timer policy, R9, R8）。{OMITTED}")
class UpdateStudyTimerPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    heartbeat_max_gap_seconds: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"心跳最长间隔秒数（heartbeat max gap seconds），正整数。{OMITTED}",
    )
    offline_step_minutes: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"线下研修登记的步长分钟数（offline step minutes），3 的正整数倍。{OMITTED}",
    )
    offline_day_max_minutes: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "同一天线下研修最多分钟数（offline day max minutes），步长的整数倍，"
            f"不超过 1440。{OMITTED}"
        ),
    )


@strawberry.input(description=f"修改简报政策（briefing policy, R11）。{OMITTED}")
class UpdateBriefingPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    interval_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            f"每期天数（interval days），正整数；显式 null 表示每批一期（one per batch）。{OMITTED}"
        ),
    )


@strawberry.input(description=f"修改考核政策（assessment policy, R12, R13）。{OMITTED}")
class UpdateAssessmentPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    target_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"本学年应完成学时（target hours），正整数。{OMITTED}"
    )
    new_teacher_target_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"新入职教师的应完成学时，正整数。{OMITTED}"
    )
    junior_title_target_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"初级职称的应完成学时，正整数；显式 null 即同 targetHours。{OMITTED}",
    )
    study_weight: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"学习时间的权重，不能为负；六项权重之和须为 100。{OMITTED}",
    )
    homework_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"作业的权重，不能为负。{OMITTED}"
    )
    discussion_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"研讨发帖的权重，不能为负。{OMITTED}"
    )
    outcome_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"研修成果的权重，不能为负。{OMITTED}"
    )
    notes_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"学习笔记的权重，不能为负。{OMITTED}"
    )
    reflection_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"学习心得的权重，不能为负。{OMITTED}"
    )
    homework_min_count: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"至少合格的作业篇数，不能为负。{OMITTED}"
    )
    discussion_min_posts: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"至少发帖数，不能为负。{OMITTED}"
    )
    outcome_min_count: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"至少合格的研修成果篇数，不能为负。{OMITTED}"
    )
    notes_min_characters: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"学习笔记至少字数，不能为负。{OMITTED}"
    )
    reflection_min_characters: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"学习心得至少字数，不能为负。{OMITTED}"
    )
    pass_mark: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"合格分数线，0 至 100。{OMITTED}"
    )
    exam_exempt_when_complete: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"全程网上学习且完成者免考。{OMITTED}"
    )
    exam_pass_mark: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"考试合格分数线，0 至 100。{OMITTED}"
    )
    make_up_allowed: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"允许补修。{OMITTED}"
    )
    hours_per_credit: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"每学分学时数，正整数。{OMITTED}"
    )
    tutor_service_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导团队成员的服务冲抵学时，不能为负。{OMITTED}"
    )
    tutor_service_credit_for_all: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"辅导团队成员一律冲抵学时（不限特级教师、省级学科带头人）。{OMITTED}",
    )
    township_weight: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"过渡学习的乡镇集中研修权重，不能为负。{OMITTED}",
    )
    township_min_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"过渡学习至少的乡镇集中研修学时，不能为负。{OMITTED}",
    )
    transitional_process_weight: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"过渡学习综合成绩中过程性考核所占百分比，0 至 100。{OMITTED}",
    )
    transitional_pass_mark: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"过渡学习综合成绩的合格分数线，0 至 100。{OMITTED}",
    )
    cycle_years: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"学分周期年数，正整数。{OMITTED}"
    )
    cycle_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"周期应完成学时，正整数。{OMITTED}"
    )
    new_teacher_cycle_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"新入职教师的周期应完成学时，正整数。{OMITTED}"
    )
    certificate_issuer: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"证书的发证机构，不能为空。{OMITTED}"
    )


@strawberry.input(description=f"修改收费政策（fee policy, R16），金额为分，不能为负。{OMITTED}")
class UpdateFeePolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    rule: FeeRule | None = strawberry.field(
        default=strawberry.UNSET, description=f"收费办法（rule）。{OMITTED}"
    )
    hourly_fee_fen: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"每人每学时课时费（hourly fee），分。{OMITTED}"
    )
    billed_hours: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="每人计费学时（billed hours），正整数；显式 null 表示按研修方式的学时。"
        f"{OMITTED}",
    )
    certificate_fee_fen: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"电子证书费（certificate fee），分。{OMITTED}"
    )
    middle_senior_yearly_fee_fen: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"中、高级职称每年培训费（middle and senior, yearly），分。{OMITTED}",
    )
    junior_yearly_fee_fen: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"初级职称每年培训费（junior, yearly），分。{OMITTED}"
    )


@strawberry.input(description=f"修改统计政策（report policy, R14, R15）。{OMITTED}")
class UpdateReportPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    threshold_basis_points: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"阈值（threshold），万分之一，0 至 10000（9600 即 96%）。{OMITTED}",
    )


@strawberry.input(
    description=f"修改评优政策（award policy, R15），比例为万分之一，0 至 10000。{OMITTED}"
)
class UpdateAwardPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    collective_basis_points: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"先进集体的比例。{OMITTED}"
    )
    worker_basis_points: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"先进工作者的比例。{OMITTED}"
    )
    tutor_basis_points: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"优秀辅导教师的比例。{OMITTED}"
    )
    trainee_basis_points: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"优秀学员的比例。{OMITTED}"
    )
    rounding: QuotaRounding | None = strawberry.field(
        default=strawberry.UNSET, description=f"名额取整方式（rounding）。{OMITTED}"
    )
    trainee_score: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"优秀学员须达到的成绩，0 至 100。{OMITTED}"
    )


@strawberry.input(
    description="修改人员考核政策（staff assessment policy）：每种身份的权重之和须为 100。"
    f"{OMITTED}"
)
class UpdateStaffAssessmentPolicyInput:
    program_id: strawberry.ID = id_of("Program", description=PROGRAM_ID)
    tutor_briefing_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导教师：简报的权重。{OMITTED}"
    )
    tutor_grading_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导教师：评阅的权重。{OMITTED}"
    )
    tutor_announcement_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导教师：公告的权重。{OMITTED}"
    )
    tutor_discussion_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导教师：研讨的权重。{OMITTED}"
    )
    tutor_participation_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导教师：班级参训率的权重。{OMITTED}"
    )
    tutor_passing_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导教师：班级合格率的权重。{OMITTED}"
    )
    briefings_per_class: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"每班应有简报期数，不为负。{OMITTED}"
    )
    announcements_per_class: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"每班应有公告条数，不为负。{OMITTED}"
    )
    discussions_per_class: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"每班应有研讨次数，不为负。{OMITTED}"
    )
    tutor_pass_mark: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"辅导教师合格线，0 至 100。{OMITTED}"
    )
    admin_participation_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"管理员：参训率的权重。{OMITTED}"
    )
    admin_passing_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"管理员：合格率的权重。{OMITTED}"
    )
    admin_bulletin_weight: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"管理员：学情通报的权重。{OMITTED}"
    )
    bulletins_expected: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"应有学情通报期数，不为负。{OMITTED}"
    )
    admin_pass_mark: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"管理员合格线，0 至 100。{OMITTED}"
    )
