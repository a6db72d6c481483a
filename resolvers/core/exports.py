"""Exports run as jobs, so that a province-wide sheet does not hold a request open: a use case
checks who asks and reads the rows (`Plan`), this module records the job, writes the workbook
in a task (openpyxl off the event loop), keeps its progress, and stores the file for download.

An export that carries ID numbers or mobiles is a reveal of personal data: the job says so,
and `record_reveal` is the one call site that reports it to the audit log (a REVEAL row per
person shown, under the mutation that asked for the export).
"""

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lms_plugin.storage.enums import ExportKind, ExportStatus
from lms_plugin.storage.models import ExportJob, Person

from .access import Viewer
from .audit import current_operation, keep_running, log_reveals, start_after_commit
from .workbooks import Sheet, rows_of, write_xlsx

log = logging.getLogger("lms_plugin.exports")

# Running export tasks, kept so that the loop does not drop them before they finish.
_RUNNING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class Plan:
    """What an export writes: the file name, how to read its sheets, and whether it reveals
    personal data (and whose: `people`, known once the sheets are read)."""

    filename: str
    sheets: Callable[[], Awaitable[list[Sheet]]]
    reveals_personal_data: bool = False
    people: Callable[[], Sequence[Person]] = tuple


# What an export shows in clear of each person it names.
REVEALED_FIELDS = ("id_number", "mobile")


async def record_reveal(
    viewer: Viewer,
    job: ExportJob,
    people: Sequence[Person],
    operation: str,
    now: dt.datetime,
) -> None:
    """An export of ID numbers or mobiles: recorded on the job (who, when, how many) and in
    the audit log, one REVEAL row per person, with the job as the reason."""
    job.reveals_personal_data = True
    job.people_revealed = len(people)
    await job.save(update_fields=["reveals_personal_data", "people_revealed"])
    await log_reveals(
        viewer.id, operation, now, people, REVEALED_FIELDS, f"导出（export）{job.filename}"
    )


async def start_export(
    viewer: Viewer,
    program_id: int,
    kind: ExportKind,
    parameters: dict[str, Any],
    plan: Plan,
    now: dt.datetime,
    clock: Callable[[], dt.datetime],
) -> ExportJob:
    """Records the job and starts it; the caller answers at once with the job to poll."""
    job = await ExportJob.create(
        program_id=program_id,
        kind=kind,
        parameters=parameters,
        requested_by_id=viewer.id,
        requested_at=now,
        filename=plan.filename,
    )
    # The task starts once the job is committed, on a connection of its own, and logs its
    # reveals under the name of the mutation that asked.
    operation = current_operation() or job.kind.value
    start_after_commit(lambda: _run(viewer, job, plan, operation, clock), _RUNNING)
    return job


async def _progress(job_id: int, rows: int) -> None:
    # Only while running: a late report never undoes the finished count.
    await ExportJob.filter(id=job_id, status=ExportStatus.RUNNING).update(rows_done=rows)


async def _run(
    viewer: Viewer,
    job: ExportJob,
    plan: Plan,
    operation: str,
    clock: Callable[[], dt.datetime],
) -> None:
    try:
        await ExportJob.filter(id=job.id).update(status=ExportStatus.RUNNING)
        sheets = await plan.sheets()
        total = rows_of(sheets)
        await ExportJob.filter(id=job.id).update(rows_total=total)
        if plan.reveals_personal_data:
            await record_reveal(viewer, job, plan.people(), operation, clock())
        loop = asyncio.get_running_loop()

        def progress(rows: int) -> None:  # called from the writing thread
            loop.call_soon_threadsafe(keep_running, _progress(job.id, rows), _RUNNING)

        content = await asyncio.to_thread(write_xlsx, sheets, progress)
        await ExportJob.filter(id=job.id).update(
            status=ExportStatus.DONE,
            rows_done=total,
            content=content,
            finished_at=clock(),
        )
    except Exception:
        log.exception("export %s failed", job.id)
        await ExportJob.filter(id=job.id).update(status=ExportStatus.FAILED, finished_at=clock())


async def export_job(viewer: Viewer, job_id: int) -> ExportJob | None:
    """A job of the viewer's own (an export is for the one who asked for it)."""
    return await ExportJob.get_or_none(id=job_id, requested_by_id=viewer.id).only(
        "id",
        "program_id",
        "kind",
        "parameters",
        "status",
        "rows_done",
        "rows_total",
        "requested_by_id",
        "requested_at",
        "finished_at",
        "reveals_personal_data",
        "people_revealed",
        "filename",
    )


async def export_file(viewer: Viewer, job_id: int) -> tuple[str, bytes] | None:
    """The finished file of a job of the viewer's own."""
    job = await ExportJob.get_or_none(
        id=job_id, requested_by_id=viewer.id, status=ExportStatus.DONE
    )
    if job is None or job.content is None:
        return None
    return job.filename, bytes(job.content)
