"""A program's policies (项目政策): each area's settings, one object per area, read through
`Program.policies` and changed by a province admin with one mutation per policy.

Every program has all of them, created with the seed's defaults when the program is created.
`Program.batchLengthDays`, `tutorTeamCap`, `heartbeatMaxGapSeconds`, `briefingIntervalDays`,
`hourSplit` and `registration` read the same rows, and `updateProgram` writes them.
"""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from tortoise.models import Model

from lms_plugin.resolvers.core.programs import policy_of, registration_hours
from lms_plugin.resolvers.programs import use_cases
from lms_plugin.storage import models as db

from .context import Info
from .errors import UserError, attempt
from .ids import encode_id, pk_of

M = TypeVar("M", bound=Model)
R = TypeVar("R")

PROGRAM_ID = "所属项目的全局 ID（program id）。"
PROVINCE_ADMIN = "仅省级管理员（province admin）。"
OMITTED = "省略则不变（omitted: unchanged）。"


def _program_id(row: Model) -> strawberry.ID:
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


# --- inputs ------------------------------------------------------------------------------


@strawberry.input(description=f"修改批次政策（batch policy, R2）。{OMITTED}")
class UpdateBatchPolicyInput:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    max_study_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"每批最多学习日（max study days），正整数；现有批次都须符合（R2）。{OMITTED}",
    )


@strawberry.input(description=f"修改注册政策（registration policy, R3）。{OMITTED}")
class UpdateRegistrationPolicyInput:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
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
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
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
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    cap: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            f"辅导团队人数上限（cap），正整数；用于此后设立的工作室，已设立的工作室不变。{OMITTED}"
        ),
    )


@strawberry.input(description=f"修改学习计时政策（study timer policy, R9, R8）。{OMITTED}")
class UpdateStudyTimerPolicyInput:
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
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
    program_id: strawberry.ID = strawberry.field(description=PROGRAM_ID)
    interval_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            f"每期天数（interval days），正整数；显式 null 表示每批一期（one per batch）。{OMITTED}"
        ),
    )


def _changes(data: object, *, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The policy columns an input sets: UNSET keeps a value, and so does null unless the
    setting may be cleared."""
    return {
        name: value
        for name, value in vars(data).items()
        if name != "program_id"
        and value is not strawberry.UNSET
        and (value is not None or name in nullable)
    }


# --- payloads ----------------------------------------------------------------------------

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


async def _saved(
    info: Info, run: Callable[[], Awaitable[M]], present: Callable[[M], R]
) -> tuple[R | None, list[UserError]]:
    """Run a policy update; the request's loaders then hold the saved row, so the rest of
    the request reads it, not the one before."""

    def remember(row: M) -> R:
        program_id: int = getattr(row, "program_id")  # noqa: B009
        info.context.loaders.by_key(type(row), "program_id").prime(program_id, row, force=True)
        return present(row)

    return await attempt(run, remember)


def _program_pk(input: object) -> int:
    return pk_of(getattr(input, "program_id"), "Program", "programId")  # noqa: B009


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "修改批次政策（update batch policy, R2），现有批次在同一事务中重新检查。"
            f"{PROVINCE_ADMIN}"
        )
    )
    async def update_batch_policy(
        self, info: Info, input: UpdateBatchPolicyInput
    ) -> BatchPolicyPayload:
        policy, errors = await _saved(
            info,
            lambda: use_cases.update_batch_policy(
                info.context.viewer,
                _program_pk(input),
                _changes(input),
            ),
            BatchPolicy.of,
        )
        return BatchPolicyPayload(policy=policy, user_errors=errors)

    @strawberry.mutation(
        description=f"修改注册政策（update registration policy, R3）。{PROVINCE_ADMIN}"
    )
    async def update_registration_policy(
        self, info: Info, input: UpdateRegistrationPolicyInput
    ) -> RegistrationPolicyPayload:
        changes = _changes(input)
        policy, errors = await _saved(
            info,
            lambda: use_cases.update_registration_policy(
                info.context.viewer,
                _program_pk(input),
                daily_opens_at=changes.get("daily_opens_at"),
                daily_closes_at=changes.get("daily_closes_at"),
            ),
            RegistrationPolicy.of,
        )
        return RegistrationPolicyPayload(policy=policy, user_errors=errors)

    @strawberry.mutation(description=f"修改学时政策（update hour policy, R8）。{PROVINCE_ADMIN}")
    async def update_hour_policy(
        self, info: Info, input: UpdateHourPolicyInput
    ) -> HourPolicyPayload:
        policy, errors = await _saved(
            info,
            lambda: use_cases.update_hour_policy(
                info.context.viewer,
                _program_pk(input),
                _changes(input),
            ),
            HourPolicy.of,
        )
        return HourPolicyPayload(policy=policy, user_errors=errors)

    @strawberry.mutation(
        description=f"修改辅导团队政策（update tutor team policy, R6）。{PROVINCE_ADMIN}"
    )
    async def update_tutor_team_policy(
        self, info: Info, input: UpdateTutorTeamPolicyInput
    ) -> TutorTeamPolicyPayload:
        policy, errors = await _saved(
            info,
            lambda: use_cases.update_tutor_team_policy(
                info.context.viewer,
                _program_pk(input),
                _changes(input),
            ),
            TutorTeamPolicy.of,
        )
        return TutorTeamPolicyPayload(policy=policy, user_errors=errors)

    @strawberry.mutation(
        description=f"修改学习计时政策（update study timer policy, R9, R8）。{PROVINCE_ADMIN}"
    )
    async def update_study_timer_policy(
        self, info: Info, input: UpdateStudyTimerPolicyInput
    ) -> StudyTimerPolicyPayload:
        policy, errors = await _saved(
            info,
            lambda: use_cases.update_study_timer_policy(
                info.context.viewer,
                _program_pk(input),
                _changes(input),
            ),
            StudyTimerPolicy.of,
        )
        return StudyTimerPolicyPayload(policy=policy, user_errors=errors)

    @strawberry.mutation(
        description=f"修改简报政策（update briefing policy, R11）。{PROVINCE_ADMIN}"
    )
    async def update_briefing_policy(
        self, info: Info, input: UpdateBriefingPolicyInput
    ) -> BriefingPolicyPayload:
        policy, errors = await _saved(
            info,
            lambda: use_cases.update_briefing_policy(
                info.context.viewer,
                _program_pk(input),
                _changes(input, nullable=frozenset({"interval_days"})),
            ),
            BriefingPolicy.of,
        )
        return BriefingPolicyPayload(policy=policy, user_errors=errors)
