"""The upload endpoint beside /graphql: token, size and type limits, storage, downloads in scope."""

import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from lms_plugin.settings import Settings
from lms_plugin.storage.models import Attachment

from .api import Api
from .conftest import TEST_DATA_KEYS, TEST_SECRET
from .factories import gid
from .homework_world import World, make_world

LIMIT = 1024
# Spreadsheets (rosters, exam results) have a cap of their own.
SHEET_LIMIT = 16 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        jwt_secret=TEST_SECRET,
        upload_dir=tmp_path / "uploads",
        upload_max_bytes=LIMIT,
        sheet_upload_max_bytes=SHEET_LIMIT,
        **TEST_DATA_KEYS,
    )


async def _upload(
    api: Api,
    as_: Any,
    content: bytes = b"%PDF-1.4 lesson plan",
    filename: str = "教学设计.pdf",
    content_type: str = "application/pdf",
) -> httpx.Response:
    return await api.client.post(
        "/uploads",
        files={"file": (filename, content, content_type)},
        headers=api.headers(as_),
    )


def _error(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _stored_files(settings: Settings) -> list[Path]:
    root = settings.upload_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_a_signed_in_person_uploads_a_file_stored_under_a_random_key(
    api: Api, settings: Settings
) -> None:
    world = await make_world()
    content = b"%PDF-1.4 lesson plan"

    response = await _upload(api, world.trainee, content, filename="../../etc/教学设计.pdf")

    row = await Attachment.get()
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": gid(row),
            "filename": "教学设计.pdf",
            "size": len(content),
            "contentType": "application/pdf",
        },
    )
    assert (row.owner_id, row.sha256) == (world.trainee.id, hashlib.sha256(content).hexdigest())
    stored = _stored_files(settings)
    assert stored == [settings.upload_dir / row.storage_key[:2] / row.storage_key]
    assert stored[0].read_bytes() == content
    assert len(row.storage_key) == 32
    assert "教学设计" not in row.storage_key


async def test_the_media_type_parameters_are_dropped(api: Api) -> None:
    world = await make_world()

    response = await _upload(api, world.trainee, b"notes", "笔记.txt", "text/plain; charset=utf-8")

    assert (response.status_code, response.json()["contentType"]) == (201, "text/plain")


@pytest.mark.parametrize(("size", "status"), [(LIMIT, 201), (LIMIT + 1, 413)])
async def test_a_file_up_to_the_limit_is_accepted(
    api: Api, settings: Settings, size: int, status: int
) -> None:
    world = await make_world()

    response = await _upload(api, world.trainee, b"%PDF-" + b"x" * (size - 5))

    assert response.status_code == status
    if status == 413:
        assert response.json() == _error("FILE_TOO_LARGE", f"文件不能超过{LIMIT}字节")
        assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


def _xlsx_of_size(size: int) -> bytes:
    """A valid XLSX (a roster's heading) of exactly `size` bytes: padded by a ZIP comment."""
    book = Workbook()
    book.active.append(["用户名"])
    saved = io.BytesIO()
    book.save(saved)
    padded = io.BytesIO(saved.getvalue())
    with zipfile.ZipFile(padded, "a") as archive:
        archive.comment = b"x" * (size - len(saved.getvalue()))
    return padded.getvalue()


@pytest.mark.parametrize(("size", "status"), [(SHEET_LIMIT, 201), (SHEET_LIMIT + 1, 413)])
async def test_a_spreadsheet_up_to_its_own_limit_is_accepted(
    api: Api, settings: Settings, size: int, status: int
) -> None:
    world = await make_world()
    content = _xlsx_of_size(size)
    assert len(content) == size

    response = await _upload(api, world.trainee, content, "报名汇总表.xlsx", XLSX)

    if status == 201:
        assert (response.status_code, response.json()["size"]) == (201, SHEET_LIMIT)
    else:
        assert (response.status_code, response.json()) == (
            413,
            _error("FILE_TOO_LARGE", f"文件不能超过{SHEET_LIMIT}字节"),
        )
        assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


async def test_other_files_keep_their_limit_beside_the_spreadsheets(
    api: Api, settings: Settings
) -> None:
    world = await make_world()

    response = await _upload(api, world.trainee, b"%PDF-" + b"x" * (SHEET_LIMIT - 5))

    assert (response.status_code, response.json()) == (
        413,
        _error("FILE_TOO_LARGE", f"文件不能超过{LIMIT}字节"),
    )
    assert (await Attachment.all().count(), _stored_files(settings)) == (0, [])


async def test_a_huge_streamed_body_is_refused_without_reading_it_all(
    api: Api, settings: Settings
) -> None:
    world = await make_world()
    chunks_sent = 0
    boundary = "lms-test-boundary"

    async def body() -> AsyncIterator[bytes]:
        nonlocal chunks_sent
        chunks_sent += 1
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"'
            "\r\nContent-Type: application/pdf\r\n\r\n"
        ).encode()
        for _ in range(1000):  # 64 MB if it were all read
            chunks_sent += 1
            yield b"x" * 65536

    response = await api.client.post(
        "/uploads",
        content=body(),
        headers={
            **api.headers(world.trainee),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )

    assert (response.status_code, response.json()) == (
        413,
        _error("FILE_TOO_LARGE", f"文件不能超过{SHEET_LIMIT}字节"),
    )
    assert chunks_sent < 10
    assert _stored_files(settings) == []


async def test_a_declared_length_over_the_limit_is_refused_at_once(api: Api) -> None:
    world = await make_world()

    response = await api.client.post(
        "/uploads",
        content=b"",
        headers={
            **api.headers(world.trainee),
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(10 * 1024 * 1024),
        },
    )

    assert response.status_code == 413


async def test_a_file_type_outside_the_allow_list_is_refused(api: Api, settings: Settings) -> None:
    world = await make_world()

    response = await _upload(api, world.trainee, b"MZ", "setup.exe", "application/x-msdownload")

    assert (response.status_code, response.json()) == (
        415,
        _error("UNSUPPORTED_FILE_TYPE", "不支持该文件类型"),
    )
    assert _stored_files(settings) == []


async def test_an_upload_needs_a_file_and_content(api: Api) -> None:
    world = await make_world()

    no_file = await api.client.post(
        "/uploads", data={"note": "no file"}, headers=api.headers(world.trainee)
    )
    empty = await _upload(api, world.trainee, b"")

    assert (no_file.status_code, no_file.json()) == (
        400,
        _error("INVALID_INPUT", "请在表单字段 file 中上传一个文件"),
    )
    assert (empty.status_code, empty.json()) == (400, _error("INVALID_INPUT", "文件为空"))


@pytest.mark.parametrize("token", [None, "not-a-token"])
async def test_an_upload_needs_a_valid_token(
    api: Api, settings: Settings, token: str | None
) -> None:
    await make_world()
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}

    response = await api.client.post(
        "/uploads", files={"file": ("a.pdf", b"%PDF", "application/pdf")}, headers=headers
    )

    assert (response.status_code, response.json()) == (
        401,
        _error("UNAUTHENTICATED", "未登录或登录已失效"),
    )
    assert _stored_files(settings) == []


# ---------------------------------------------------------------- downloads


async def _uploaded(api: Api, world: World) -> str:
    response = await _upload(api, world.trainee)
    attachment_id: str = response.json()["id"]
    return attachment_id


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("trainee", 200),
        ("tutor", 200),
        ("leader", 200),
        ("other_tutor", 404),
        ("classmate", 404),
        ("outsider", 404),
        ("nobody", 401),
    ],
)
async def test_the_owner_their_class_tutor_and_workshop_leader_download(
    api: Api, who: str, status: int
) -> None:
    world = await make_world()
    attachment_id = await _uploaded(api, world)

    response = await api.client.get(
        f"/uploads/{attachment_id}", headers=api.headers(world.person(who))
    )

    assert response.status_code == status
    if status == 200:
        assert response.content == b"%PDF-1.4 lesson plan"
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == (
            "attachment; filename*=utf-8''%E6%95%99%E5%AD%A6%E8%AE%BE%E8%AE%A1.pdf"
        )
        assert response.headers["x-content-type-options"] == "nosniff"
    elif status == 404:
        assert response.json() == _error("NOT_FOUND", "找不到该附件")


@pytest.mark.parametrize("attachment_id", ["nonsense", "V29ya3Nob3A6MQ=="])
async def test_a_malformed_or_foreign_id_is_not_found(api: Api, attachment_id: str) -> None:
    world = await make_world()
    await _uploaded(api, world)

    response = await api.client.get(f"/uploads/{attachment_id}", headers=api.headers(world.trainee))

    assert response.status_code == 404


async def test_an_attachment_reads_as_a_node_with_its_download_path(api: Api) -> None:
    world = await make_world()
    attachment_id = await _uploaded(api, world)
    query = """
    query ($id: ID!) {
      node(id: $id) { ... on Attachment { filename contentType size sha256 downloadPath } }
    }"""

    mine = await api.data(query, {"id": attachment_id}, as_=world.trainee)
    theirs = await api.data(query, {"id": attachment_id}, as_=world.classmate)

    assert mine == {
        "node": {
            "filename": "教学设计.pdf",
            "contentType": "application/pdf",
            "size": 20,
            "sha256": hashlib.sha256(b"%PDF-1.4 lesson plan").hexdigest(),
            "downloadPath": f"/uploads/{attachment_id}",
        }
    }
    assert theirs == {"node": None}
