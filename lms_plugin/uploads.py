"""Attachments beside `/graphql`: `POST /uploads` stores one file, `GET /uploads/{id}` returns it.

GraphQL multipart stays off; a submission refers to an upload by the id answered here. Bytes are
stored under `settings.upload_dir` by a random key (never the client's file name); the row is
written by the homework use case. Both routes take the same bearer token as `/graphql`.

Refusals (issue 10), each a JSON body with a code, and nothing kept on disk:

| status | code | when |
| --- | --- | --- |
| 413 | `FILE_TOO_LARGE` | over `LMS_UPLOAD_MAX_BYTES` (sheets: `LMS_SHEET_UPLOAD_MAX_BYTES`) |
| 415 | `UNSUPPORTED_FILE_TYPE` | a declared type outside the allow-list |
| 415 | `CONTENT_TYPE_MISMATCH` | bytes that are not the declared type (`sniffing.py`) |
| 429 | `UPLOAD_QUOTA_EXCEEDED` | the person's files or bytes of the last 24 hours are used up |
| 507 | `STORAGE_FULL` | the disk is full (ENOSPC, or the user's disk quota: EDQUOT) |

Downloads are attachments with `nosniff` and `Content-Security-Policy: sandbox`: a browser that
opens one anyway runs no script of it, in no origin. Uploads that no submission attaches within
`LMS_UPLOAD_UNATTACHED_HOURS` are removed by `clean_uploads` (hourly in the app, and
`lms-plugin clean-uploads`).
"""

import asyncio
import datetime as dt
import errno
import hashlib
import logging
import os
import secrets
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.types import Message, Receive

from lms_plugin.resolvers.core.access import Viewer
from lms_plugin.resolvers.homework.uploads import (
    StoredFile,
    UploadQuota,
    UploadQuotaExceeded,
    check_upload_quota,
    record_upload,
    remove_unattached_uploads,
)
from lms_plugin.resolvers.homework.use_cases import visible_attachment
from lms_plugin.schema.core.ids import InvalidId, decode_id, encode_id

from .clock import Clock
from .http import route_viewer
from .settings import Settings
from .sniffing import ContentCheck, ContentMismatch
from .tokens import TokenVerifier
from .viewers import ViewerCache

logger = logging.getLogger("lms_plugin.uploads")

# Room for the multipart boundaries and part headers around the one file.
MULTIPART_OVERHEAD = 64 * 1024
CHUNK = 64 * 1024
FILENAME_MAX = 255
# A full disk, or the upload directory's owner over their disk quota.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private",
}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )


def _too_large(cap: int) -> JSONResponse:
    return _error(413, "FILE_TOO_LARGE", f"文件不能超过{cap}字节")


def _quota_exceeded(quota: UploadQuota) -> JSONResponse:
    hours = int(quota.window.total_seconds() // 3600)
    return _error(
        429,
        "UPLOAD_QUOTA_EXCEEDED",
        f"上传太多：每人{hours}小时内最多上传{quota.files}个文件、共{quota.bytes}字节，请稍后再试",
    )


def _storage_full(exc: OSError, where: str) -> JSONResponse:
    logger.error("no room in %s for an upload: %s", where, exc.strerror)
    return _error(507, "STORAGE_FULL", "服务器存储空间已满，暂时无法上传，请稍后再试")


def _open_for_writing(path: Path) -> BinaryIO:
    """The partial file an upload is written to (a test makes its writes fail)."""
    return path.open("wb")


class _BodyTooLarge(Exception):
    pass


class _EmptyFile(Exception):
    pass


def _capped(receive: Receive, max_bytes: int) -> Receive:
    """Stops reading a body once it passes `max_bytes`, declared length or not."""
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > max_bytes:
            raise _BodyTooLarge
        return message

    return counted


def clean_filename(name: str | None) -> str:
    """The client's file name as metadata: its last path part, printable, at most 255 chars."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if base in {"", ".", ".."}:
        return "file"
    if len(base) <= FILENAME_MAX:
        return base
    suffix = PurePosixPath(base).suffix[:16]
    return base[: FILENAME_MAX - len(suffix)] + suffix


def _media_type(upload: UploadFile) -> str:
    return (upload.content_type or "").split(";")[0].strip().lower()


class Uploads:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        viewers: ViewerCache | None = None,
        verifier: TokenVerifier | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.viewers = viewers
        # The app shares its verifier (one JWKS cache); the clean-up command verifies nothing.
        self.verifier = verifier or TokenVerifier.of(settings, clock)

    @property
    def quota(self) -> UploadQuota:
        return UploadQuota(
            files=self.settings.upload_quota_files, bytes=self.settings.upload_quota_bytes
        )

    def path_of(self, storage_key: str) -> Path:
        return self.settings.upload_dir / storage_key[:2] / storage_key

    def read(self, storage_key: str) -> bytes:
        """An upload's bytes (a roster to import)."""
        return self.path_of(storage_key).read_bytes()

    async def _viewer(self, request: Request, now: dt.datetime) -> Viewer | Response:
        return await route_viewer(request, self.verifier, now, self.viewers)

    async def upload(self, request: Request) -> Response:
        now = self.clock.now()
        viewer = await self._viewer(request, now)
        if isinstance(viewer, Response):
            return viewer
        try:
            await check_upload_quota(viewer, now, self.quota)
        except UploadQuotaExceeded as exc:
            return _quota_exceeded(exc.quota)
        # The file's type is known once its part is read: until then the largest cap holds.
        largest = self.settings.largest_upload
        cap = largest + MULTIPART_OVERHEAD
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            return _too_large(largest)
        limited = Request(request.scope, _capped(request.receive, cap))
        try:
            async with limited.form(max_files=1, max_fields=10) as form:
                upload = form.get("file")
                if not isinstance(upload, UploadFile):
                    return _error(400, "INVALID_INPUT", "请在表单字段 file 中上传一个文件")
                return await self._store(viewer, upload, now)
        except _BodyTooLarge:
            return _too_large(largest)
        except HTTPException:
            return _error(400, "INVALID_INPUT", "上传的表单格式无效")
        except OSError as exc:
            # The form parser spools a large file to the temporary directory first.
            if exc.errno not in _DISK_FULL:
                raise
            return _storage_full(exc, "the temporary directory")

    async def _store(self, viewer: Viewer, upload: UploadFile, now: dt.datetime) -> Response:
        content_type = _media_type(upload)
        if content_type not in self.settings.upload_content_types:
            return _error(415, "UNSUPPORTED_FILE_TYPE", "不支持该文件类型")
        storage_key = secrets.token_hex(16)
        path = self.path_of(storage_key)
        check = ContentCheck(content_type)
        cap = self.settings.upload_cap(content_type)
        try:
            size, sha256 = await run_in_threadpool(self._write, upload.file, path, check, cap)
        except _BodyTooLarge:
            return _too_large(cap)
        except _EmptyFile:
            return _error(400, "INVALID_INPUT", "文件为空")
        except ContentMismatch as exc:
            return _error(415, "CONTENT_TYPE_MISMATCH", str(exc))
        except OSError as exc:
            if exc.errno not in _DISK_FULL:
                raise
            return _storage_full(exc, "the upload directory")
        stored = StoredFile(
            filename=clean_filename(upload.filename),
            content_type=content_type,
            size=size,
            sha256=sha256,
            storage_key=storage_key,
        )
        try:
            attachment = await record_upload(viewer, stored, now, self.quota)
        except UploadQuotaExceeded as exc:
            path.unlink(missing_ok=True)
            return _quota_exceeded(exc.quota)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return JSONResponse(
            {
                "id": encode_id("Attachment", attachment.id),
                "filename": attachment.filename,
                "size": attachment.size,
                "contentType": attachment.content_type,
            },
            status_code=201,
        )

    def _write(
        self, source: BinaryIO, path: Path, check: ContentCheck, cap: int
    ) -> tuple[int, str]:
        """Copies the spooled upload to `path` (via a temporary name), counting (up to `cap`
        bytes), hashing and checking its content chunk by chunk: the first chunk is sniffed
        before a byte is written. Whatever goes wrong, no partial file is left."""
        partial = path.with_suffix(".part")
        digest = hashlib.sha256()
        size = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with _open_for_writing(partial) as target:
                source.seek(0)
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > cap:
                        raise _BodyTooLarge
                    check.feed(chunk)
                    digest.update(chunk)
                    target.write(chunk)
            if size == 0:
                raise _EmptyFile
            check.finish(partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        return size, digest.hexdigest()

    async def download(self, request: Request) -> Response:
        viewer = await self._viewer(request, self.clock.now())
        if isinstance(viewer, Response):
            return viewer
        not_found = _error(404, "NOT_FOUND", "找不到该附件")
        try:
            type_name, pk = decode_id(request.path_params["attachment_id"])
        except InvalidId:
            return not_found
        attachment = await visible_attachment(viewer, pk) if type_name == "Attachment" else None
        if attachment is None:
            return not_found
        path = self.path_of(attachment.storage_key)
        if not path.is_file():
            logger.error("attachment %s has no file under the upload directory", attachment.id)
            return not_found
        return FileResponse(
            path,
            media_type=attachment.content_type,
            filename=attachment.filename,
            headers=DOWNLOAD_HEADERS,
        )

    # ------------------------------------------------------------ clean-up

    async def clean(self) -> int:
        """Removes the uploads no submission attached within the set age; answers how many."""
        age = dt.timedelta(hours=self.settings.upload_unattached_hours)
        keys = await remove_unattached_uploads(self.clock.now() - age)
        for key in keys:
            try:
                self.path_of(key).unlink(missing_ok=True)
            except OSError as exc:
                logger.error("could not remove the file of a removed upload: %s", exc.strerror)
        return len(keys)

    async def clean_periodically(self) -> None:
        """`clean` every `LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS` until cancelled (the lifespan)."""
        interval = self.settings.upload_cleanup_interval_seconds
        while True:
            try:
                removed = await self.clean()
            except Exception:
                logger.exception("the clean-up of unattached uploads failed")
            else:
                if removed:
                    logger.info("removed %d unattached uploads", removed)
            await asyncio.sleep(interval)
