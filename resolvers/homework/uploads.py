"""Uploads (issue 10): recording one within the owner's quota, and removing unattached ones.

The bytes are written and removed by the HTTP layer (`lms_plugin.uploads`); these use cases keep
the `attachment` rows. Both limits are judged from the stored rows, so they hold across workers.

- **Quota**: per person, over the last `window` (24 hours) of the app's clock, at most `files`
  uploads and `bytes` bytes. The person's row is locked (`SELECT … FOR UPDATE` on PostgreSQL;
  SQLite runs one transaction at a time per process) while the usage is counted and the row
  inserted, so that concurrent uploads cannot all pass one count.
- **Clean-up**: an upload made at or before the cut-off that no submission nor earlier revision
  names is removed. Attachment ids live in the submissions' `attachment_ids` lists, and R10 lets a
  trainee attach only their own uploads, so the lists read are those of the candidates' owners.
  The candidates are locked as `submit_homework` locks what it attaches: one of the two waits
  for the other, and an upload is never removed while it is being attached.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import Viewer, require_viewer
from lms_plugin.resolvers.core.audit import audited
from lms_plugin.storage.models import (
    Attachment,
    ExternalHours,
    Person,
    Submission,
    SubmissionRevision,
)

CLEANUP_BATCH = 500


@dataclass(frozen=True)
class StoredFile:
    """Bytes already written under the upload directory by the HTTP layer."""

    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str


@dataclass(frozen=True)
class UploadQuota:
    files: int
    bytes: int
    window: dt.timedelta = dt.timedelta(hours=24)


class UploadQuotaExceeded(Exception):
    """The person has uploaded their quota's files or bytes within its window."""

    def __init__(self, quota: UploadQuota) -> None:
        super().__init__(f"{quota.files} files or {quota.bytes} bytes within {quota.window}")
        self.quota = quota


async def _usage(owner_id: int, since: dt.datetime) -> tuple[int, int]:
    """How many uploads, and how many bytes, the owner made after `since`."""
    sizes = await Attachment.filter(owner_id=owner_id, uploaded_at__gt=since).values_list(
        "size", flat=True
    )
    return len(sizes), sum(cast(list[int], sizes))


async def check_upload_quota(viewer: Viewer | None, now: dt.datetime, quota: UploadQuota) -> None:
    """Before any byte is read: refuses a person with no file and no byte of quota left."""
    signed_in = require_viewer(viewer)
    files, used = await _usage(signed_in.id, now - quota.window)
    if files >= quota.files or used >= quota.bytes:
        raise UploadQuotaExceeded(quota)


async def record_upload(
    viewer: Viewer | None, stored: StoredFile, now: dt.datetime, quota: UploadQuota
) -> Attachment:
    """The row of a written file, if it fits the owner's quota (else `UploadQuotaExceeded`)."""
    signed_in = require_viewer(viewer)
    # An upload is a write of the person's like a mutation: audited the same way (`upload`).
    async with audited(signed_in.id, "upload", now):
        # Serialises one person's uploads: the count below sees every earlier one. A model query:
        # tortoise drops FOR UPDATE from a `values_list` one.
        await Person.filter(id=signed_in.id).select_for_update().only("id").first()
        files, used = await _usage(signed_in.id, now - quota.window)
        if files + 1 > quota.files or used + stored.size > quota.bytes:
            raise UploadQuotaExceeded(quota)
        return await Attachment.create(
            owner_id=signed_in.id,
            filename=stored.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.storage_key,
            uploaded_at=now,
        )


async def _attached_ids(owner_ids: Iterable[int]) -> set[int]:
    """Every attachment id that a submission or revision of these owners names, or that an
    external-hours record (统筹培训, its evidence) they made keeps."""
    owners = list(owner_ids)
    evidence = {e.evidence_id for e in await ExternalHours.filter(recorded_by_id__in=owners)}
    current = await Submission.filter(enrollment__teacher_id__in=owners).values_list(
        "attachment_ids", flat=True
    )
    earlier = await SubmissionRevision.filter(
        submission__enrollment__teacher_id__in=owners
    ).values_list("attachment_ids", flat=True)
    return {int(i) for ids in [*current, *earlier] for i in (ids or [])} | evidence


async def remove_unattached_uploads(cutoff: dt.datetime, batch: int = CLEANUP_BATCH) -> list[str]:
    """Removes the rows of uploads made at or before `cutoff` that nothing attaches.

    Answers their storage keys: the caller removes the files once the rows are gone.
    """
    removed: list[str] = []
    after = 0
    while True:
        async with in_transaction():
            candidates = (
                await Attachment.filter(uploaded_at__lte=cutoff, id__gt=after)
                .order_by("id")
                .limit(batch)
                .select_for_update()
                .only("id", "owner_id", "storage_key")
            )
            if not candidates:
                return removed
            attached = await _attached_ids({row.owner_id for row in candidates})
            doomed = [row for row in candidates if row.id not in attached]
            if doomed:
                await Attachment.filter(id__in=[row.id for row in doomed]).delete()
        removed.extend(row.storage_key for row in doomed)
        if len(candidates) < batch:
            return removed
        after = candidates[-1].id
