"""The study timer (学习计时) and offline study (线下研修): the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.study import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import ReviewStatus
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection
from lms_plugin.storage import models as db

from .types import OfflineStudyLog, StudyLedgerEntry, StudySession, timer_of

# The enrollment argument of the study lists.
EnrollmentArgument = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="报名记录（enrollment）；省略：登录者当前的报名。"),
]


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "一条报名的学习计时明细（study ledger），新的在前：心跳之间的每一秒为何计入或不计入"
            "（R1、R8、R9）。默认为登录者当前的报名；学员的班级辅导教师也可以查看（其他人：空）。"
        )
    )
    async def study_ledger(
        self,
        info: Info,
        enrollment_id: EnrollmentArgument = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[StudyLedgerEntry]:
        enrollment, _ = await _readable(info, enrollment_id)
        return await connection(
            use_cases.ledger_of(enrollment),
            StudyLedgerEntry.of,
            first=first,
            after=after,
            newest_first=True,
        )

    @strawberry.field(
        description="一条报名的学习会话（study sessions），新的在前；谁可以查看：同学习计时明细。"
    )
    async def study_sessions(
        self,
        info: Info,
        enrollment_id: EnrollmentArgument = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[StudySession]:
        enrollment, program = await _readable(info, enrollment_id)
        now = info.context.now()
        timer = None if program is None else await timer_of(info, program.id)

        def present(row: db.StudySession) -> StudySession:
            assert timer is not None, "sessions are only listed for a readable enrollment"
            return StudySession.under(row, timer, now)

        return await connection(
            use_cases.sessions_of(enrollment), present, first=first, after=after, newest_first=True
        )

    @strawberry.field(
        description=(
            "一条报名的线下研修记录（offline study logs），新的在前，可只看一种审核状态；"
            "谁可以查看：同学习计时明细。"
        )
    )
    async def offline_study_logs(
        self,
        info: Info,
        enrollment_id: EnrollmentArgument = None,
        status: Annotated[
            ReviewStatus | None, strawberry.argument(description="只列这种审核状态的记录。")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[OfflineStudyLog]:
        enrollment, _ = await _readable(info, enrollment_id)
        return await connection(
            use_cases.offline_logs_of(enrollment, status),
            OfflineStudyLog.of,
            first=first,
            after=after,
            newest_first=True,
        )


async def _readable(
    info: Info, enrollment_id: strawberry.ID | None
) -> tuple[db.Enrollment | None, db.Program | None]:
    """The enrollment a list reads with its program, or (None, None): an empty list."""
    viewer = info.context.signed_in()
    if names_nothing(enrollment_id, "Enrollment"):
        return None, None
    enrollment = await use_cases.readable_enrollment(viewer, found_pk(enrollment_id, "Enrollment"))
    if enrollment is None:
        return None, None
    info.context.loaders.prime(enrollment)
    return enrollment, await info.context.loaders.by_id(db.Program).load(enrollment.program_id)
