"""The roster import (报名汇总表, issue 9): an admin's uploaded sheet becomes teachers' records.

Every row is checked first (the pure rules of `rules.py`, then against the stored teachers,
1,000 rows a statement); a file with errors writes nothing unless the admin asks for the good
rows; a dry run writes no teacher. Then the rows are written 1,000 at a time (`bulk_create`,
`bulk_update`), each chunk in its own transaction: a job stopped half-way has written whole
chunks, and importing the file again completes it (the ID number identifies a teacher, so a
second import updates rather than duplicates).

Each import is an `ImportJob` row with its counts, progress and row errors. Small files run in
the request; larger ones in a task of the worker that received them, which beats the job's
heartbeat at every chunk. A job whose heartbeat stops (the worker was stopped or crashed) is
marked interrupted when the app starts or when the job is read: never left running for ever.
"""

import asyncio
import datetime as dt
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import REGION_ADMIN, Viewer, require_viewer, requires
from lms_plugin.resolvers.core.audit import UNKNOWN, logged, record_change, start_after_commit
from lms_plugin.resolvers.core.errors import ErrorCode, refuse
from lms_plugin.resolvers.core.sheets import RowError, SheetRow, open_sheet
from lms_plugin.storage.enums import ImportStatus, Role, RosterLayout
from lms_plugin.storage.models import Attachment, ImportJob, ImportRowError, Person, School
from lms_plugin.storage.organisation import by_id_numbers

from .rules import (
    RECORD_FIELDS,
    ROSTER_HEADINGS,
    FileDuplicates,
    RosterEntry,
    changed_fields,
    roster_row,
    teacher_of_other_school,
    username_taken,
)

logger = logging.getLogger("lms_plugin.imports")

CHUNK = 1000
# Files of at most this many bytes (some 2,000 rows) are imported within the request; larger
# ones as a task.
INLINE_BYTES = 128 * 1024
# A running job whose heartbeat is older than this has lost its worker.
STALE_AFTER = dt.timedelta(minutes=2)
HEADINGS = {RosterLayout.ROSTER: ROSTER_HEADINGS}
INTERRUPTED = "导入被中断（服务重启），请重新导入"
# The mutation the audit log names for the writes of an import's background part.
OPERATION = "importRoster"

# The bytes of an upload by its storage key (the HTTP layer keeps the files).
UploadReader = Callable[[str], bytes]
Clock = Callable[[], dt.datetime]

# Background imports, kept referenced until they finish (asyncio holds tasks weakly).
_running: set["asyncio.Task[None]"] = set()


@dataclass
class _Report:
    """What a job found: the valid rows to write, the row errors and the counts."""

    entries: list[RosterEntry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Stored:
    """A stored teacher as the import compares them: their record and their school."""

    id: int
    record: dict[str, Any]


async def schools_in_scope(viewer: Viewer) -> dict[str, int]:
    """Codes of the schools the admin administers, to their ids."""
    schools: QuerySet[School] = School.filter(code__isnull=False)
    if not viewer.is_province_admin:
        cities = viewer.region_ids(Role.CITY_ADMIN)
        counties = viewer.region_ids(Role.COUNTY_ADMIN)
        own = {g.school_id for g in viewer.grants if g.role == Role.SCHOOL_ADMIN and g.school_id}
        schools = schools.filter(Q(city_id__in=cities) | Q(county_id__in=counties) | Q(id__in=own))
    rows = await schools.values_list("code", "id")
    return {str(code): int(pk) for code, pk in rows}


async def _stored_by_id_number(id_numbers: Sequence[str]) -> dict[str, _Stored]:
    column, keys, lookup = by_id_numbers(id_numbers)
    rows = await Person.filter(**lookup).values("id", column, *RECORD_FIELDS)
    number_of = {key: number for number, key in keys.items()}
    return {
        number_of[row[column]]: _Stored(row["id"], {f: row[f] for f in RECORD_FIELDS})
        for row in rows
    }


async def _owners_of_usernames(usernames: Sequence[str]) -> dict[str, int]:
    rows = await Person.filter(username__in=usernames).values_list("username", "id")
    return {str(name): int(pk) for name, pk in rows}


async def _check_chunk(
    entries: list[RosterEntry], schools: set[int], report: _Report, viewer: Viewer
) -> None:
    """Judges valid rows against the stored teachers: created, updated, unchanged, or an error
    (the ID number is a teacher's of a school out of scope; the user name is someone else's)."""
    stored = await _stored_by_id_number([e.id_number for e in entries])
    owners = await _owners_of_usernames([e.username for e in entries])
    for entry in entries:
        found = stored.get(entry.id_number)
        owner = owners.get(entry.username)
        if found is not None and not _reachable(found, schools, viewer):
            report.errors.append(teacher_of_other_school(entry.row))
        elif owner is not None and (found is None or owner != found.id):
            report.errors.append(username_taken(entry.row))
        else:
            report.entries.append(entry)
            if found is None:
                report.created += 1
            elif changed_fields(found.record, entry):
                report.updated += 1
            else:
                report.unchanged += 1
            continue
        report.error_rows.add(entry.row)


def _reachable(found: _Stored, schools: set[int], viewer: Viewer) -> bool:
    """A stored teacher the admin may rewrite: of a school in scope (province: anyone)."""
    return viewer.is_province_admin or found.record["school_id"] in schools


async def _write_chunk(entries: Sequence[RosterEntry]) -> None:
    """Creates and updates one chunk's teachers in one transaction (looked up again inside it,
    so that a teacher created meanwhile is updated, not duplicated)."""
    async with in_transaction():
        stored = await _stored_by_id_number([e.id_number for e in entries])
        new = [
            Person(id_number=e.id_number, **{f: getattr(e, f) for f in RECORD_FIELDS})
            for e in entries
            if e.id_number not in stored
        ]
        changed: list[Person] = []
        for entry in entries:
            found = stored.get(entry.id_number)
            if found is not None and changed_fields(found.record, entry):
                changed.append(Person(id=found.id, **{f: getattr(entry, f) for f in RECORD_FIELDS}))
        if new:
            await Person.bulk_create(new)
        if changed:
            await Person.bulk_update(changed, fields=list(RECORD_FIELDS))


def _chunks(rows: Iterator[SheetRow]) -> Callable[[], list[SheetRow]]:
    def next_chunk() -> list[SheetRow]:
        return list(itertools.islice(rows, CHUNK))

    return next_chunk


@dataclass(frozen=True)
class _Progress:
    """Writes the job's progress (0–100) and heartbeat after each chunk."""

    job: ImportJob
    clock: Clock

    async def beat(self, done: int, total: int | None, start: int, span: int) -> None:
        share = 1.0 if not total else min(done / total, 1.0)
        await ImportJob.filter(id=self.job.id).update(
            progress=start + int(span * share), heartbeat_at=self.clock()
        )


async def _validate(
    rows: Iterator[SheetRow],
    size: int | None,
    viewer: Viewer,
    today: dt.date,
    progress: _Progress,
    span: int,
) -> _Report:
    schools = await schools_in_scope(viewer)
    school_ids = set(schools.values())
    duplicates = FileDuplicates()
    report = _Report()
    next_chunk = _chunks(rows)
    while chunk := await asyncio.to_thread(next_chunk):
        valid: list[RosterEntry] = []
        for row in chunk:
            checked = roster_row(row, today, schools)
            errors = checked if isinstance(checked, list) else duplicates.errors(checked)
            if errors:
                report.errors.extend(errors)
                report.error_rows.add(row.number)
            else:
                assert isinstance(checked, RosterEntry)
                valid.append(checked)
        report.total += len(chunk)
        if valid:
            await _check_chunk(valid, school_ids, report, viewer)
        await progress.beat(report.total, size, 0, span)
    return report


async def _save_errors(job_id: int, errors: Sequence[RowError]) -> None:
    ordered = sorted(errors, key=lambda e: e.row)
    for start in range(0, len(ordered), CHUNK):
        await ImportRowError.bulk_create(
            [
                ImportRowError(
                    job_id=job_id, row=e.row, column=e.column, code=e.code, message=e.message
                )
                for e in ordered[start : start + CHUNK]
            ]
        )


async def _run(
    job: ImportJob,
    rows: Iterator[SheetRow],
    size: int | None,
    viewer: Viewer,
    clock: Clock,
    time_zone: str,
) -> None:
    progress = _Progress(job, clock)
    writes = not job.dry_run
    report = await _validate(
        rows,
        size,
        viewer,
        clock().astimezone(ZoneInfo(time_zone)).date(),
        progress,
        50 if writes else 100,
    )
    await _save_errors(job.id, report.errors)
    refused = bool(report.errors) and not job.import_good_rows
    if writes and not refused:
        for start in range(0, len(report.entries), CHUNK):
            await _write_chunk(report.entries[start : start + CHUNK])
            await progress.beat(start + CHUNK, len(report.entries), 50, 50)
    job.status = ImportStatus.REFUSED if refused else ImportStatus.SUCCEEDED
    if refused:
        job.message = f"有{len(report.error_rows)}行有错误，未导入任何行"
    job.total_rows = report.total
    job.error_rows = len(report.error_rows)
    job.created_count = report.created
    job.updated_count = report.updated
    job.unchanged_count = report.unchanged
    job.progress = 100
    job.finished_at = job.heartbeat_at = clock()
    # The teachers are written in bulk: the log keeps one row per import, the job's counts.
    async with logged(job.uploaded_by_id, OPERATION, job.finished_at):
        await job.save()


async def _guarded(job: ImportJob, run: Awaitable[None], clock: Clock) -> None:
    """Runs an import; a bug or a lost database fails the job (logged), a cancelled task (the
    worker stopping) interrupts it: the job always ends with a status that says so."""
    try:
        await run
    except asyncio.CancelledError:
        await _end(job, ImportStatus.INTERRUPTED, INTERRUPTED, clock)
        raise
    except Exception:
        logger.exception("import job %s failed", job.id)
        await _end(job, ImportStatus.FAILED, f"导入失败：服务器内部错误（任务 {job.id}）", clock)


async def _end(job: ImportJob, status: ImportStatus, message: str, clock: Clock) -> None:
    now = clock()
    async with logged(job.uploaded_by_id, OPERATION, now):
        ended = await ImportJob.filter(id=job.id, status=ImportStatus.RUNNING).update(
            status=status, message=message, finished_at=now, heartbeat_at=now
        )
        if ended:
            fields = {"status": (ImportStatus.RUNNING, status), "message": (UNKNOWN, message)}
            record_change(ImportJob, job.id, fields)


@requires(REGION_ADMIN)
async def import_roster(
    viewer: Viewer,
    clock: Clock,
    time_zone: str,
    read_upload: UploadReader,
    upload_id: int,
    layout: RosterLayout,
    dry_run: bool,
    import_good_rows: bool,
) -> ImportJob:
    """Imports the admin's uploaded roster into the teachers of their scope (issue 9)."""
    upload = await Attachment.get_or_none(id=upload_id, owner_id=viewer.id)
    if upload is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该上传文件", "upload")
    try:
        data = await asyncio.to_thread(read_upload, upload.storage_key)
    except OSError as error:
        logger.error("the file of upload %s cannot be read: %s", upload.id, error)
        raise refuse(ErrorCode.NOT_FOUND, "找不到该上传文件", "upload") from error
    sheet = await asyncio.to_thread(open_sheet, data, upload.filename, HEADINGS[layout])
    now = clock()
    job = await ImportJob.create(
        layout=layout,
        uploaded_by_id=viewer.id,
        upload_id=upload.id,
        filename=upload.filename,
        dry_run=dry_run,
        import_good_rows=import_good_rows,
        status=ImportStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
    )

    def run() -> Awaitable[None]:
        work = _run(job, iter(sheet), sheet.size_hint, viewer, clock, time_zone)
        return _guarded(job, work, clock)

    if len(data) <= INLINE_BYTES:
        await run()
        await job.refresh_from_db()
    else:
        # The task starts once the job is committed, on connections of its own.
        start_after_commit(run, _running)
    return job


async def interrupt_stale_jobs(now: dt.datetime) -> int:
    """Marks the running jobs whose worker stopped beating as interrupted; answers how many."""
    return await ImportJob.filter(
        status=ImportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    ).update(status=ImportStatus.INTERRUPTED, message=INTERRUPTED, finished_at=now)


def _can_read_job(viewer: Viewer, job: ImportJob) -> bool:
    return job.uploaded_by_id == viewer.id or viewer.is_province_admin


async def import_job(viewer: Viewer | None, now: dt.datetime, job_id: int) -> ImportJob | None:
    """The job, for the admin who started it (and province admins); a lost worker's job reads
    as interrupted."""
    signed_in = require_viewer(viewer)
    job = await ImportJob.get_or_none(id=job_id)
    if job is None or not _can_read_job(signed_in, job):
        return None
    if job.status == ImportStatus.RUNNING and job.heartbeat_at < now - STALE_AFTER:
        await interrupt_stale_jobs(now)
        await job.refresh_from_db()
    return job


def row_errors(job: ImportJob) -> QuerySet[ImportRowError]:
    return ImportRowError.filter(job_id=job.id)


async def stop_imports() -> None:
    """Cancels this worker's background imports (shutdown): each ends as interrupted."""
    for task in list(_running):
        task.cancel()
    await wait_for_imports()


async def wait_for_imports() -> None:
    """Until every background import of this worker has ended (tests, shutdown)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)
