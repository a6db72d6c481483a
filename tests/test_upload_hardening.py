"""Issue 10: uploads are checked by their bytes, counted against a per-person quota, refused
cleanly on a full disk, served sandboxed, and removed when no submission attaches them."""

import asyncio
import datetime as dt
import errno
import io
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import httpx
import pytest
import starlette.formparsers

from lms_plugin import uploads as uploads_module
from lms_plugin.app import create_app
from lms_plugin.cli import main
from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.homework.uploads import remove_unattached_uploads
from lms_plugin.settings import Settings
from lms_plugin.sniffing import DOCX, PPTX, TEXT, ContentCheck, ContentMismatch
from lms_plugin.storage.models import Attachment

from .api import Api
from .conftest import TEST_DATA_KEYS, TEST_SECRET
from .homework_world import IN_WINDOW, make_world, submit

LIMIT = 4096
QUOTA_FILES = 3
QUOTA_BYTES = 3 * 1000

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + b"\0" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<?xml version='1.0'?><x/>")
    return buffer.getvalue()


DOCX_BYTES = _zip("[Content_Types].xml", "_rels/.rels", "word/document.xml")
PPTX_BYTES = _zip("[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        jwt_secret=TEST_SECRET,
        upload_dir=tmp_path / "uploads",
        upload_max_bytes=LIMIT,
        upload_quota_files=QUOTA_FILES,
        upload_quota_bytes=QUOTA_BYTES,
        **TEST_DATA_KEYS,
    )


async def _upload(
    api: Api, as_: Any, content: bytes, filename: str, declared: str
) -> httpx.Response:
    return await api.client.post(
        "/uploads", files={"file": (filename, content, declared)}, headers=api.headers(as_)
    )


def _error(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _stored_files(settings: Settings) -> list[Path]:
    root = settings.upload_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# ---------------------------------------------------------------- the type from the bytes


@pytest.mark.parametrize(
    ("content", "filename", "declared"),
    [
        (PDF, "教案.pdf", "application/pdf"),
        (PNG, "板书.png", "image/png"),
        (JPEG, "照片.jpg", "image/jpeg"),
        (OLE2, "教案.doc", "application/msword"),
        (OLE2, "课件.ppt", "application/vnd.ms-powerpoint"),
        (DOCX_BYTES, "教案.docx", DOCX),
        (PPTX_BYTES, "课件.pptx", PPTX),
        ("函数单元教学反思\n第一课时：x < y 时…\n".encode(), "反思.txt", TEXT),
        ("\ufeff带 BOM 的反思".encode(), "反思.txt", TEXT),
        ("函数单元教学反思，GB18030 编码".encode("gb18030"), "反思.txt", TEXT),
    ],
)
async def test_files_whose_bytes_are_their_declared_type_are_accepted(
    api: Api, content: bytes, filename: str, declared: str
) -> None:
    world = await make_world()

    response = await _upload(api, world.trainee, content, filename, declared)

    assert (response.status_code, response.json()["contentType"]) == (201, declared)


MISMATCHES = [
    (HTML, "教案.pdf", "application/pdf"),
    (HTML, "板书.png", "image/png"),
    (HTML, "教案.docx", DOCX),
    (PNG, "照片.jpg", "image/jpeg"),
    (PDF, "板书.png", "image/png"),
    (OLE2, "教案.pdf", "application/pdf"),
    (PDF, "教案.doc", "application/msword"),
    (_zip("readme.txt"), "教案.docx", DOCX),
    (PPTX_BYTES, "教案.docx", DOCX),
    (DOCX_BYTES, "课件.pptx", PPTX),
    (b"PK\x03\x04 not really a zip", "课件.pptx", PPTX),
]


@pytest.mark.parametrize(("content", "filename", "declared"), MISMATCHES)
async def test_bytes_of_another_type_are_refused_and_nothing_is_kept(
    api: Api, settings: Settings, content: bytes, filename: str, declared: str
) -> None:
    world = await make_world()

    response = await _upload(api, world.trainee, content, filename, declared)

    assert (response.status_code, response.json()) == (
        415,
        _error("CONTENT_TYPE_MISMATCH", f"文件内容与声明的类型（{declared}）不符"),
    )
    assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HTML, "纯文本文件不能是网页或脚本（HTML、XML、SVG）"),
        (b"  \n<svg onload=alert(1)>", "纯文本文件不能是网页或脚本（HTML、XML、SVG）"),
        (b"notes\n<script>alert(1)</script>", "纯文本文件不能是网页或脚本（HTML、XML、SVG）"),
        (b"<?xml version='1.0'?><a/>", "纯文本文件不能是网页或脚本（HTML、XML、SVG）"),
        (b"notes\x00more", "纯文本文件不能含空字符或控制字符"),
        ("笔记".encode("utf-16"), "纯文本文件不能含空字符或控制字符"),
        (b"\x1b[31m" + b"\x07", "纯文本文件不能含空字符或控制字符"),
        (b"notes \xff\xfe\xff", "纯文本文件须为 UTF-8 或 GB18030 编码"),
        (PNG, "纯文本文件不能含空字符或控制字符"),
    ],
)
async def test_plain_text_must_be_text_and_not_markup(
    api: Api, settings: Settings, content: bytes, message: str
) -> None:
    world = await make_world()

    response = await _upload(api, world.trainee, content, "笔记.txt", "text/plain")

    assert (response.status_code, response.json()) == (
        415,
        _error("CONTENT_TYPE_MISMATCH", message),
    )
    assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


def test_the_first_chunk_is_judged_before_the_rest_arrives() -> None:
    check = ContentCheck("application/pdf")

    with pytest.raises(ContentMismatch):
        check.feed(HTML)


def test_text_cut_inside_a_character_is_judged_at_the_end(tmp_path: Path) -> None:
    check = ContentCheck(TEXT)
    text = "反思".encode()

    check.feed(text[:4])  # 反 and the first byte of 思
    check.feed(text[4:])
    check.finish(tmp_path / "unused")

    cut = ContentCheck(TEXT)
    cut.feed(b"notes " + text[:1])  # the first byte of 反, complete in neither encoding
    with pytest.raises(ContentMismatch):
        cut.finish(tmp_path / "unused")


# ---------------------------------------------------------------- downloads


async def test_a_download_is_a_sandboxed_attachment(api: Api) -> None:
    world = await make_world()
    uploaded = await _upload(api, world.trainee, PDF, "教案.pdf", "application/pdf")

    response = await api.client.get(
        f"/uploads/{uploaded.json()['id']}", headers=api.headers(world.trainee)
    )

    assert response.status_code == 200
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment;")


# ---------------------------------------------------------------- quota

QUOTA_MESSAGE = (
    f"上传太多：每人24小时内最多上传{QUOTA_FILES}个文件、共{QUOTA_BYTES}字节，请稍后再试"
)


def _pdf(size: int) -> bytes:
    return PDF + b"x" * (size - len(PDF))


async def test_a_person_uploads_their_quota_of_files_a_day_and_no_more(
    api: Api, settings: Settings, clock: FixedClock
) -> None:
    world = await make_world()
    first_at = clock.now()

    accepted = [
        (await _upload(api, world.trainee, PDF, "教案.pdf", "application/pdf")).status_code
        for _ in range(QUOTA_FILES)
    ]
    clock.advance(hours=23, minutes=59)
    refused = await _upload(api, world.trainee, PDF, "教案.pdf", "application/pdf")
    classmate = await _upload(api, world.classmate, PDF, "教案.pdf", "application/pdf")
    clock.set(first_at + dt.timedelta(hours=24))
    next_day = await _upload(api, world.trainee, PDF, "教案.pdf", "application/pdf")

    assert accepted == [201] * QUOTA_FILES
    assert (refused.status_code, refused.json()) == (
        429,
        _error("UPLOAD_QUOTA_EXCEEDED", QUOTA_MESSAGE),
    )
    assert (classmate.status_code, next_day.status_code) == (201, 201)
    assert len(_stored_files(settings)) == await Attachment.all().count() == QUOTA_FILES + 2


async def test_a_file_that_would_pass_the_byte_quota_is_refused_and_not_kept(
    api: Api, settings: Settings
) -> None:
    world = await make_world()

    first = await _upload(api, world.trainee, _pdf(1000), "a.pdf", "application/pdf")
    second = await _upload(api, world.trainee, _pdf(1000), "b.pdf", "application/pdf")
    over = await _upload(api, world.trainee, _pdf(1001), "c.pdf", "application/pdf")
    exact = await _upload(api, world.trainee, _pdf(1000), "d.pdf", "application/pdf")

    assert [r.status_code for r in (first, second, over, exact)] == [201, 201, 429, 201]
    assert over.json()["errors"][0]["extensions"]["code"] == "UPLOAD_QUOTA_EXCEEDED"
    rows = await Attachment.all().order_by("id").values_list("filename", flat=True)
    assert rows == ["a.pdf", "b.pdf", "d.pdf"]
    assert len(_stored_files(settings)) == 3


async def test_a_burst_of_concurrent_uploads_stops_at_the_quota(
    api: Api, settings: Settings
) -> None:
    world = await make_world()

    responses = await asyncio.gather(
        *(_upload(api, world.trainee, PDF, f"{n}.pdf", "application/pdf") for n in range(10))
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * QUOTA_FILES + [429] * (10 - QUOTA_FILES)
    assert await Attachment.filter(owner_id=world.trainee.id).count() == QUOTA_FILES
    assert len(_stored_files(settings)) == QUOTA_FILES


# ---------------------------------------------------------------- a full disk


class _FullDisk(io.RawIOBase):
    """A partial file on which the disk fills up after the first few bytes are written."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("wb")

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.file.write(bytes(data)[:10])
        self.file.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        self.file.close()
        super().close()


async def test_a_full_disk_answers_507_and_leaves_no_partial_file(
    api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    partials: list[Path] = []

    def full_disk(path: Path) -> BinaryIO:
        partials.append(path)
        return _FullDisk(path)  # type: ignore[return-value]

    monkeypatch.setattr(uploads_module, "_open_for_writing", full_disk)

    response = await _upload(api, world.trainee, _pdf(2000), "教案.pdf", "application/pdf")

    assert (response.status_code, response.json()) == (
        507,
        _error("STORAGE_FULL", "服务器存储空间已满，暂时无法上传，请稍后再试"),
    )
    assert len(partials) == 1
    assert not partials[0].exists()
    assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


async def test_a_full_temporary_directory_while_the_form_is_read_answers_507(
    api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()

    class FullSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", FullSpool)

    response = await _upload(api, world.trainee, _pdf(2000), "教案.pdf", "application/pdf")

    assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (
        507,
        "STORAGE_FULL",
    )
    assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


# ---------------------------------------------------------------- clean-up


async def _uploaded_id(api: Api, as_: Any, name: str) -> str:
    response = await _upload(api, as_, PDF, name, "application/pdf")
    assert response.status_code == 201, response.text
    attachment_id: str = response.json()["id"]
    return attachment_id


async def test_an_upload_no_submission_attaches_within_a_day_is_removed(
    api: Api, app: Any, settings: Settings, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)
    await _uploaded_id(api, world.trainee, "unattached.pdf")
    earlier = await _uploaded_id(api, world.trainee, "first-draft.pdf")
    current = await _uploaded_id(api, world.trainee, "second-draft.pdf")
    # The first submission's attachment is kept in its revision when the second replaces it.
    for attachment_id in (earlier, current):
        body = await submit(api, world.trainee, world, attachment_ids=(attachment_id,))
        assert body["data"]["submitHomework"]["userErrors"] == [], body
    cleaner = uploads_module.Uploads(settings, clock)

    clock.set(IN_WINDOW + dt.timedelta(hours=23, minutes=59))
    kept = await cleaner.clean()
    clock.set(IN_WINDOW + dt.timedelta(hours=24))
    removed = await cleaner.clean()
    clock.set(IN_WINDOW + dt.timedelta(days=400))
    much_later = await cleaner.clean()

    assert (kept, removed, much_later) == (0, 1, 0)
    rows = await Attachment.all().order_by("id")
    assert [row.filename for row in rows] == ["first-draft.pdf", "second-draft.pdf"]
    assert _stored_files(settings) == sorted(cleaner.path_of(row.storage_key) for row in rows)


async def test_clean_ups_side_by_side_remove_each_upload_once(api: Api, clock: FixedClock) -> None:
    """Every worker of `serve --workers N` runs the clean-up: running together, in batches,
    they remove each unattached upload once (PostgreSQL: they lock the rows they remove)."""
    world = await make_world()
    names = [f"{n}.pdf" for n in range(QUOTA_FILES)]
    for name in names:
        await _uploaded_id(api, world.trainee, name)
    cutoff = clock.now()

    removed = await asyncio.gather(*(remove_unattached_uploads(cutoff, batch=2) for _ in range(3)))

    keys = [key for worker in removed for key in worker]
    assert (len(keys), len(set(keys)), await Attachment.all().count()) == (3, 3, 0)


async def test_clean_uploads_command_reports_how_many_it_removed(
    api: Api,
    db: str,
    settings: Settings,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = await make_world()
    for name in ("a.pdf", "b.pdf"):
        await _uploaded_id(api, world.trainee, name)
    monkeypatch.setenv("LMS_DATABASE_URL", db)
    monkeypatch.setenv("LMS_UPLOAD_DIR", str(settings.upload_dir))
    monkeypatch.setenv("LMS_UPLOAD_UNATTACHED_HOURS", "24")
    at = (clock.now() + dt.timedelta(hours=24)).isoformat()

    # The command runs its own event loop, as it does from cron.
    await asyncio.to_thread(main, ["clean-uploads", "--at", at])

    assert capsys.readouterr().out == "removed 2 uploads not attached to a submission within 24 h\n"
    assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


async def test_the_app_cleans_up_in_its_lifespan_and_stops_at_shutdown(
    db: str, settings: Settings, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes: list[dt.datetime] = []

    async def clean(self: uploads_module.Uploads) -> int:
        passes.append(self.clock.now())
        return 0

    monkeypatch.setattr(uploads_module.Uploads, "clean", clean)
    app = create_app(replace(settings, database_url=db), clock=clock)

    async with app.router.lifespan_context(app):
        for _ in range(20):
            await asyncio.sleep(0)
            if passes:
                break
        assert passes == [clock.now()]
        running = asyncio.all_tasks() - {asyncio.current_task()}
        assert running

    assert asyncio.all_tasks() - {asyncio.current_task()} == set()
    assert passes == [clock.now()]
