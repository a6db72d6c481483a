"""A program's policies (项目政策): the types."""

import datetime as dt
from dataclasses import asdict
from typing import TypeVar

import strawberry

from lms_plugin.resolvers.core.pagination import Row
from lms_plugin.resolvers.core.programs import policy_of, registration_hours
from lms_plugin.resolvers.core.staff_scores import StaffWeights
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import FeeRule, QuotaRounding
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage import models as db

M = TypeVar("M", bound=Row)


PROGRAM_ID = "所属项目的全局 ID（program id）。"


def _program_id(row: Row) -> strawberry.ID:
    program_id: int = getattr(row, "program_id")  # noqa: B009 (every policy has one)
    return encode_id("Program", program_id)


@strawberry.type(
    description="批次政策（batch policy, R2）：每批研修窗口最多的学习日数（日历天数减去节假日）。"
)
class BatchPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    max_study_days: int = strawberry.field(
        description="每批最多学习日（max study days），默认 10（R2）。"
    )

    @classmethod
    def of(cls, row: db.BatchPolicy) -> "BatchPolicy":
        return cls(program_id=_program_id(row), max_study_days=row.max_study_days)


@strawberry.type(
    description=(
        "注册政策（registration policy, R3）：自主报名每天开放的时段，项目时区的当地时间；"
        "报名日期在项目上（Program.registration）。"
    )
)
class RegistrationPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    daily_opens_at: dt.time = strawberry.field(
        description="每日开放时间（daily opens at），当地时间，默认 09:00，含。"
    )
    daily_closes_at: dt.time = strawberry.field(
        description="每日截止时间（daily closes at），当地时间，默认 22:00，不含。"
    )

    @classmethod
    def of(cls, row: db.RegistrationPolicy) -> "RegistrationPolicy":
        opens_at, closes_at = registration_hours(row)
        return cls(program_id=_program_id(row), daily_opens_at=opens_at, daily_closes_at=closes_at)


@strawberry.type(
    description=(
        "学时政策（hour policy, R8）：各学习方式的线上、线下学时；线上学时只来自学习计时，"
        "线下学时只来自确认的线下研修，两部分互不填补。"
    )
)
class HourPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    network_online_hours: int = strawberry.field(
        description="网络研修的线上学时（network track, online hours），默认 6。"
    )
    network_offline_hours: int = strawberry.field(
        description="网络研修的线下学时（network track, offline hours），默认 16。"
    )
    transitional_online_hours: int = strawberry.field(
        description="过渡学习的线上学时（transitional track, online hours），默认 4。"
    )
    transitional_offline_hours: int = strawberry.field(
        description="过渡学习的线下学时（transitional track, offline hours），默认 18。"
    )

    @classmethod
    def of(cls, row: db.HourPolicy) -> "HourPolicy":
        return cls(
            program_id=_program_id(row),
            network_online_hours=row.network_online_hours,
            network_offline_hours=row.network_offline_hours,
            transitional_online_hours=row.transitional_online_hours,
            transitional_offline_hours=row.transitional_offline_hours,
        )


@strawberry.type(
    description=(
        "辅导团队政策（tutor team policy, R6）：每个工作室辅导团队的人数上限。工作室设立时取用"
        "此上限（Workshop.tutorCap）；已设立的工作室保留各自的上限。"
    )
)
class TutorTeamPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    cap: int = strawberry.field(description="辅导团队人数上限（cap），默认 8（R6）。")

    @classmethod
    def of(cls, row: db.TutorTeamPolicy) -> "TutorTeamPolicy":
        return cls(program_id=_program_id(row), cap=row.cap)


@strawberry.type(
    description=(
        "学习计时政策（study timer policy, R9, R8）：心跳之间计入的最长间隔，以及线下研修登记的"
        "步长和每日上限。"
    )
)
class StudyTimerPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    heartbeat_max_gap_seconds: int = strawberry.field(
        description=(
            "心跳最长间隔秒数（heartbeat max gap）：一次心跳最多计入距上次心跳的这么多秒，"
            "更长的间隔不计（IDLE_GAP），默认 120（R9）。"
        )
    )
    offline_step_minutes: int = strawberry.field(
        description="线下研修登记的步长分钟数（offline step），默认 30，即半小时（R8）。"
    )
    offline_day_max_minutes: int = strawberry.field(
        description="同一天登记的线下研修最多分钟数（offline daily maximum），默认 480，即 8 小时。"
    )

    @classmethod
    def of(cls, row: db.StudyTimerPolicy) -> "StudyTimerPolicy":
        return cls(
            program_id=_program_id(row),
            heartbeat_max_gap_seconds=row.heartbeat_max_gap_seconds,
            offline_step_minutes=row.offline_step_minutes,
            offline_day_max_minutes=row.offline_day_max_minutes,
        )


@strawberry.type(
    description="简报政策（briefing policy, R11）：班级简报的周期，每期须在截止时间前发布。"
)
class BriefingPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    interval_days: int | None = strawberry.field(
        description="每期天数（interval days）；null 表示每批一期（one per batch），默认 null。"
    )

    @classmethod
    def of(cls, row: db.BriefingPolicy) -> "BriefingPolicy":
        return cls(program_id=_program_id(row), interval_days=row.interval_days)


@strawberry.type(
    description=(
        "考核政策（assessment policy, R12, R13）：本学年应完成的学时、过程性考核各部分的权重和"
        "最低要求、合格分数线、考试方式、补修和学分换算。默认值取自 2011 年规划和 2012 年江西"
        "通知（seed 002、001）。"
    )
)
class AssessmentPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    target_hours: int = strawberry.field(description="本学年应完成学时（target hours），默认 72。")
    new_teacher_target_hours: int = strawberry.field(
        description="新入职教师的应完成学时（new teacher target hours），默认 122。"
    )
    junior_title_target_hours: int | None = strawberry.field(
        description="初级职称的应完成学时（junior title target hours）；null 即同 targetHours。"
    )
    study_weight: int = strawberry.field(description="学习时间的权重（study weight），默认 50。")
    homework_weight: int = strawberry.field(description="作业的权重（homework weight），默认 30。")
    discussion_weight: int = strawberry.field(
        description="研讨发帖的权重（discussion weight），默认 20。"
    )
    outcome_weight: int = strawberry.field(
        description="研修成果的权重（research outcome weight），默认 0，即不考核；研修成果为"
        "类别 OUTCOME 的作业，提交和批改同作业。"
    )
    notes_weight: int = strawberry.field(
        description="学习笔记的权重（notes weight），默认 0，即不考核。"
    )
    reflection_weight: int = strawberry.field(
        description="学习心得的权重（reflection weight），默认 0，即不考核。"
    )
    homework_min_count: int = strawberry.field(
        description="至少合格的作业篇数（homework minimum），默认 2。"
    )
    discussion_min_posts: int = strawberry.field(
        description="至少发帖数（discussion minimum posts），默认 2（seed 004）。"
    )
    outcome_min_count: int = strawberry.field(
        description="至少合格的研修成果篇数（research outcome minimum），默认 1。"
    )
    notes_min_characters: int = strawberry.field(
        description="学习笔记至少字数（notes minimum characters），不计空白和标点，默认 5000。"
    )
    reflection_min_characters: int = strawberry.field(
        description="学习心得至少字数（reflection minimum characters），不计空白和标点，默认 1000。"
    )
    pass_mark: int = strawberry.field(description="合格分数线（pass mark），满分 100，默认 60。")
    exam_exempt_when_complete: bool = strawberry.field(
        description="全程网上学习且完成者免考（exempt from exam when complete），默认 true；"
        "false 为所有学员参加考试（如福建 2009）。"
    )
    exam_pass_mark: int = strawberry.field(
        description="考试合格分数线（exam pass mark），默认 60。"
    )
    make_up_allowed: bool = strawberry.field(
        description="允许补修（make-up allowed）：不合格和缺考者可在以后的项目补修，默认 true；"
        "2022 年为 false。"
    )
    hours_per_credit: int = strawberry.field(
        description="每学分学时数（hours per credit），默认 20（R13）。"
    )
    tutor_service_hours: int = strawberry.field(
        description="辅导团队成员的服务冲抵学时（tutor service hours，seed 002 §二(二)），默认 72；"
        "只计特级教师和省级学科带头人，除非 tutorServiceCreditForAll。"
    )
    tutor_service_credit_for_all: bool = strawberry.field(
        description="辅导团队成员一律冲抵学时（tutor service credit for all），默认 false："
        "只有特级教师、省级学科带头人冲抵（seed 002 §二(二)），其他成员免考核而不冲抵。"
    )
    township_weight: int = strawberry.field(
        description="过渡学习的乡镇集中研修权重（township weight，seed 002 §四(四)②），默认 20；"
        "只对过渡学习的学员计，与六项权重合计。"
    )
    township_min_hours: int = strawberry.field(
        description="过渡学习至少的乡镇集中研修学时（township minimum hours），默认 4"
        "（seed 000 §三：到乡镇中心学校上网学习半天）。"
    )
    transitional_process_weight: int = strawberry.field(
        description="过渡学习综合成绩中过程性考核所占百分比（transitional process weight），"
        "默认 50；其余为省加试。"
    )
    transitional_pass_mark: int = strawberry.field(
        description="过渡学习综合成绩的合格分数线（transitional pass mark），默认 60。"
    )
    cycle_years: int = strawberry.field(description="学分周期年数（cycle years），默认 5。")
    cycle_hours: int = strawberry.field(description="周期应完成学时（cycle hours），默认 360。")
    new_teacher_cycle_hours: int = strawberry.field(
        description="新入职教师的周期应完成学时（new teacher cycle hours），默认 410。"
    )
    certificate_issuer: str = strawberry.field(
        description="证书的发证机构（certificate issuer），默认 江西省中小学教师远程培训中心。"
    )

    @classmethod
    def of(cls, row: db.AssessmentPolicy) -> "AssessmentPolicy":
        return cls(
            program_id=_program_id(row),
            **{name: getattr(row, name) for name in ASSESSMENT_POLICY_FIELDS},
        )


# Every setting of the assessment policy, stored as it is shown.
ASSESSMENT_POLICY_FIELDS = (
    "target_hours",
    "new_teacher_target_hours",
    "junior_title_target_hours",
    "study_weight",
    "homework_weight",
    "discussion_weight",
    "outcome_weight",
    "notes_weight",
    "reflection_weight",
    "homework_min_count",
    "discussion_min_posts",
    "outcome_min_count",
    "notes_min_characters",
    "reflection_min_characters",
    "pass_mark",
    "exam_exempt_when_complete",
    "exam_pass_mark",
    "make_up_allowed",
    "hours_per_credit",
    "tutor_service_hours",
    "tutor_service_credit_for_all",
    "township_weight",
    "township_min_hours",
    "transitional_process_weight",
    "transitional_pass_mark",
    "cycle_years",
    "cycle_hours",
    "new_teacher_cycle_hours",
    "certificate_issuer",
)


@strawberry.type(
    description="收费政策（fee policy, R16）：金额以分（fen）为单位的整数，不用小数；默认为"
    "赣 2011 实施办法的标准（每学时 1.00 元，电子证书每证 2 元）。"
)
class FeePolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    rule: FeeRule = strawberry.field(description="收费办法（rule），默认按学时（HOURLY）。")
    hourly_fee_fen: int = strawberry.field(
        description="每人每学时课时费（hourly fee），分，默认 100（1.00 元）；2022 为 150。"
    )
    billed_hours: int | None = strawberry.field(
        description="每人计费学时（billed hours）；null（默认）表示按其研修方式的学时"
        "（学时政策的线上 + 线下）。"
    )
    certificate_fee_fen: int = strawberry.field(
        description="每人电子继续教育证书费（certificate fee），分，默认 200（2 元）；"
        "按学时收费时计。"
    )
    middle_senior_yearly_fee_fen: int = strawberry.field(
        description="中、高级职称教师每年培训费（middle and senior titles, yearly），分，"
        "默认 18000。"
    )
    junior_yearly_fee_fen: int = strawberry.field(
        description="初级职称（及未登记职称）教师每年培训费（junior, yearly），分，默认 12000。"
    )

    @classmethod
    def of(cls, row: db.FeePolicy) -> "FeePolicy":
        return cls(
            program_id=_program_id(row),
            rule=row.rule,
            hourly_fee_fen=row.hourly_fee_fen,
            billed_hours=row.billed_hours,
            certificate_fee_fen=row.certificate_fee_fen,
            middle_senior_yearly_fee_fen=row.middle_senior_yearly_fee_fen,
            junior_yearly_fee_fen=row.junior_yearly_fee_fen,
        )


@strawberry.type(
    description="统计政策（report policy, R14, R15）：各单位参训率、合格率应达到的阈值。"
)
class ReportPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    threshold_basis_points: int = strawberry.field(
        description="阈值（threshold），以万分之一计：默认 9600 即 96%（seed 003）；"
        "按精确比值判断。"
    )

    @classmethod
    def of(cls, row: db.ReportPolicy) -> "ReportPolicy":
        return cls(program_id=_program_id(row), threshold_basis_points=row.threshold_basis_points)


@strawberry.type(
    description="评优政策（award policy, R15）：各类别名额占基数的比例（万分之一）、取整方式、"
    "优秀学员的成绩要求；默认为 seed 003 的标准。"
)
class AwardPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    collective_basis_points: int = strawberry.field(
        description="先进集体：管理单位总数的比例，默认 2000（20%）。"
    )
    worker_basis_points: int = strawberry.field(
        description="先进工作者：管理员总数的比例，默认 2000（20%）。"
    )
    tutor_basis_points: int = strawberry.field(
        description="优秀辅导教师：辅导教师总数的比例，默认 2000（20%）。"
    )
    trainee_basis_points: int = strawberry.field(
        description="优秀学员：合格学员总数的比例，默认 30（3‰）。"
    )
    rounding: QuotaRounding = strawberry.field(
        description="名额取整方式（rounding），默认四舍五入。"
    )
    trainee_score: int = strawberry.field(description="优秀学员须达到的成绩（score），默认 100。")

    @classmethod
    def of(cls, row: db.AwardPolicy) -> "AwardPolicy":
        return cls(
            program_id=_program_id(row),
            collective_basis_points=row.collective_basis_points,
            worker_basis_points=row.worker_basis_points,
            tutor_basis_points=row.tutor_basis_points,
            trainee_basis_points=row.trainee_basis_points,
            rounding=row.rounding,
            trainee_score=row.trainee_score,
        )


@strawberry.type(
    description="人员考核政策（staff assessment policy）：辅导教师、管理员学年工作考核的权重、"
    "应有次数与合格线（seed 002 §五(一)“经工作考核合格后”，seed 003 §一(二)(三) 的条件）。"
    "种子文件未给出数值，默认值如下：辅导教师 简报 20、评阅 20、公告 15、研讨 15、参训率 15、"
    "合格率 15，每班应有简报、公告、研讨各 1 次，合格线 60；管理员 参训率 40、合格率 40、"
    "学情通报 20（应有 1 期），合格线 60。"
)
class StaffAssessmentPolicy:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    tutor_briefing_weight: int = strawberry.field(
        description="辅导教师：按时发表班级简报的权重（R11），默认 20。"
    )
    tutor_grading_weight: int = strawberry.field(
        description="辅导教师：作业评阅完成的权重，默认 20。"
    )
    tutor_announcement_weight: int = strawberry.field(
        description="辅导教师：发布班级学习公告的权重，默认 15。"
    )
    tutor_discussion_weight: int = strawberry.field(
        description="辅导教师：发起、引领并回复研讨的权重，默认 15。"
    )
    tutor_participation_weight: int = strawberry.field(
        description="辅导教师：所辅导班级参训率的权重，默认 15。"
    )
    tutor_passing_weight: int = strawberry.field(
        description="辅导教师：所辅导班级合格率的权重，默认 15。"
    )
    briefings_per_class: int = strawberry.field(
        description="每个班级应按时发表的简报期数（得满分），默认 1。"
    )
    announcements_per_class: int = strawberry.field(
        description="每个班级应发布的公告条数（得满分），默认 1。"
    )
    discussions_per_class: int = strawberry.field(
        description="每个班级应有的研讨次数（发起的主题与回复合计，得满分），默认 1。"
    )
    tutor_pass_mark: int = strawberry.field(
        description="辅导教师考核合格线（pass mark），默认 60。"
    )
    admin_participation_weight: int = strawberry.field(
        description="管理员：管辖范围参训率的权重，默认 40。"
    )
    admin_passing_weight: int = strawberry.field(
        description="管理员：管辖范围合格率的权重，默认 40。"
    )
    admin_bulletin_weight: int = strawberry.field(
        description="管理员：本地区学情通报的权重，默认 20。"
    )
    bulletins_expected: int = strawberry.field(
        description="本地区应有的学情通报期数（得满分），默认 1。"
    )
    admin_pass_mark: int = strawberry.field(description="管理员考核合格线（pass mark），默认 60。")

    @classmethod
    def of(cls, row: db.StaffAssessmentPolicy) -> "StaffAssessmentPolicy":
        return cls(
            program_id=_program_id(row),
            **asdict(StaffWeights.of(row)),
        )


@strawberry.type(
    description="项目政策（program policies）：项目各业务领域的规则设置，每个领域一个对象。"
)
class ProgramPolicies:
    program_id: strawberry.Private[int]

    async def _row(self, info: Info, model: type[M]) -> M:
        return await policy_of(info.context.loaders, model, self.program_id)

    @strawberry.field(description="批次政策（batch policy, R2）。")
    async def batch(self, info: Info) -> BatchPolicy:
        return BatchPolicy.of(await self._row(info, db.BatchPolicy))

    @strawberry.field(description="注册政策（registration policy, R3）。")
    async def registration(self, info: Info) -> RegistrationPolicy:
        return RegistrationPolicy.of(await self._row(info, db.RegistrationPolicy))

    @strawberry.field(description="学时政策（hour policy, R8）。")
    async def hours(self, info: Info) -> HourPolicy:
        return HourPolicy.of(await self._row(info, db.HourPolicy))

    @strawberry.field(description="辅导团队政策（tutor team policy, R6）。")
    async def tutor_team(self, info: Info) -> TutorTeamPolicy:
        return TutorTeamPolicy.of(await self._row(info, db.TutorTeamPolicy))

    @strawberry.field(description="学习计时政策（study timer policy, R9, R8）。")
    async def study_timer(self, info: Info) -> StudyTimerPolicy:
        return StudyTimerPolicy.of(await self._row(info, db.StudyTimerPolicy))

    @strawberry.field(description="简报政策（briefing policy, R11）。")
    async def briefing(self, info: Info) -> BriefingPolicy:
        return BriefingPolicy.of(await self._row(info, db.BriefingPolicy))

    @strawberry.field(description="考核政策（assessment policy, R12, R13）。")
    async def assessment(self, info: Info) -> AssessmentPolicy:
        return AssessmentPolicy.of(await self._row(info, db.AssessmentPolicy))

    @strawberry.field(description="收费政策（fee policy, R16）。")
    async def fee(self, info: Info) -> FeePolicy:
        return FeePolicy.of(await self._row(info, db.FeePolicy))

    @strawberry.field(description="统计政策（report policy, R14, R15）。")
    async def report(self, info: Info) -> ReportPolicy:
        return ReportPolicy.of(await self._row(info, db.ReportPolicy))

    @strawberry.field(description="评优政策（award policy, R15）。")
    async def awards(self, info: Info) -> AwardPolicy:
        return AwardPolicy.of(await self._row(info, db.AwardPolicy))

    @strawberry.field(description="人员考核政策（staff assessment policy）：辅导教师、管理员。")
    async def staff_assessment(self, info: Info) -> StaffAssessmentPolicy:
        return StaffAssessmentPolicy.of(await self._row(info, db.StaffAssessmentPolicy))
