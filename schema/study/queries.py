"""The study timer (学习计时) and offline study (线下研修): the queries."""

import strawberry

from lms_plugin.resolvers.study import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import ReviewStatus
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection
from lms_plugin.storage import models as db

from .types import OfflineStudyLog, StudyLedgerEntry, StudySession


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
        first: First = 20,
        after: After = None,
    ) -> Connection[StudyLedgerEntry]:
        enrollment, program = await _readable(info, enrollment_id)
        return await connection(
            use_cases.ledger_of(enrollment),
            lambda row: StudyLedgerEntry.of(row, _time_zone(program)),
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
        first: First = 20,
        after: After = None,
    ) -> Connection[StudySession]:
        enrollment, program = await _readable(info, enrollment_id)
        now = info.context.now()

        def present(row: db.StudySession) -> StudySession:
            assert program is not None
            return StudySession.in_program(row, program, now)

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
        first: First = 20,
        after: After = None,
    ) -> Connection[OfflineStudyLog]:
        enrollment, program = await _readable(info, enrollment_id)
        return await connection(
            use_cases.offline_logs_of(enrollment, status),
            lambda row: OfflineStudyLog.of(row, _time_zone(program)),
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


def _time_zone(program: db.Program | None) -> str:
    assert program is not None, "rows are only listed for a readable enrollment"
    return program.time_zone
