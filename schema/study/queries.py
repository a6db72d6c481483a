"""The study timer (学习计时) and offline study (线下研修): the queries."""

import strawberry

from lms_plugin.resolvers.study import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import ReviewStatus
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import Connection, connection
from lms_plugin.storage import models as db

from .types import OfflineStudyLog, StudyLedgerEntry, StudySession, timer_of


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "The study-time ledger of an enrollment, newest first: why every second between "
            "heartbeats was counted or not. Default: the viewer's current enrollment; the "
            "trainee's class tutor may read it too (others: empty)."
        )
    )
    async def study_ledger(
        self,
        info: Info,
        enrollment_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
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
        description="Study sessions of an enrollment, newest first (who may read: as the ledger)."
    )
    async def study_sessions(
        self,
        info: Info,
        enrollment_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
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
            "Offline study logs of an enrollment, newest first, optionally of one status "
            "(who may read: as the ledger)."
        )
    )
    async def offline_study_logs(
        self,
        info: Info,
        enrollment_id: strawberry.ID | None = None,
        status: ReviewStatus | None = None,
        first: int = 20,
        after: str | None = None,
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
