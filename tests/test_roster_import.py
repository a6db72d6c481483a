"""importRoster over HTTP (issue 9): validation with rows and columns, all or nothing unless the
good rows are asked for, dry runs, re-imports that update, scope, jobs in the background."""

import asyncio
import datetime as dt
from typing import Any

import pytest

from lms_plugin.identity import synthetic_id_number
from lms_plugin.resolvers.people import imports
from lms_plugin.storage.enums import ImportStatus, Post, Role, Stage, TitleRank, Track
from lms_plugin.storage.models import AuditEntry, ImportJob, Person
from lms_plugin.storage.organisation import by_id_number

from .api import Api, error_codes
from .factories import Org, gid, make_admin, make_org, make_person
from .roster_world import (
    JOB,
    csv_of,
    import_roster,
    imported,
    job_of,
    row_error,
    teacher_row,
    upload,
    xlsx_of,
)

SCHOOL = "3601020001"
OTHER_SCHOOL = "3604020001"


class World:
    org: Org
    province: Person
    county: Person
    school: Person
    other_county: Person
    teacher: Person


@pytest.fixture
async def world(db: str) -> World:
    w = World()
    w.org = await make_org()
    w.province = await make_admin("province", Role.PROVINCE_ADMIN, region=w.org.province)
    w.county = await make_admin("county", Role.COUNTY_ADMIN, region=w.org.county)
    w.school = await make_admin("school", Role.SCHOOL_ADMIN, school=w.org.school)
    w.other_county = await make_admin("county2", Role.COUNTY_ADMIN, region=w.org.other_county)
    w.teacher = await make_person("plain", school=w.org.school)
    return w


async def teachers_of(*numbers: int) -> list[dict[str, Any]]:
    found = []
    for n in numbers:
        person = await Person.get_or_none(
            **by_id_number(synthetic_id_number("360102", "19850615", n))
        )
        found.append(
            None
            if person is None
            else {
                "username": person.username,
                "real_name": person.real_name,
                "school_id": person.school_id,
                "stage": person.stage,
                "title_rank": person.title_rank,
                "post": person.post,
                "track": person.track,
            }
        )
    return found


async def test_a_province_admin_imports_then_reimports_without_duplicates(
    api: Api, world: World
) -> None:
    rows = [
        teacher_row(1, SCHOOL),
        teacher_row(2, OTHER_SCHOOL, 学段="初中", 职称="中学高级", 岗位="新任班主任"),
        teacher_row(3, SCHOOL, 学段="小学", 职称="二级", 研修方式="过渡学习"),
    ]
    assert await imported(api, world.province, xlsx_of(rows)) == job_of(
        "SUCCEEDED", total=3, created=3
    )
    assert await teachers_of(1, 2, 3) == [
        {"username": "t000001", "real_name": "教师000001", "school_id": world.org.school.id,
         "stage": Stage.HIGH, "title_rank": TitleRank.INTERMEDIATE, "post": Post.TEACHER,
         "track": Track.NETWORK},
        {"username": "t000002", "real_name": "教师000002", "school_id": world.org.other_school.id,
         "stage": Stage.JUNIOR, "title_rank": TitleRank.SENIOR, "post": Post.NEW_HEAD_TEACHER,
         "track": Track.NETWORK},
        {"username": "t000003", "real_name": "教师000003", "school_id": world.org.school.id,
         "stage": Stage.PRIMARY, "title_rank": TitleRank.JUNIOR, "post": Post.TEACHER,
         "track": Track.TRANSITIONAL},
    ]  # fmt: skip
    assert await imported(api, world.province, xlsx_of(rows)) == job_of(
        "SUCCEEDED", total=3, unchanged=3
    )
    rows[0] = teacher_row(1, SCHOOL, 姓名="张　三", 职称="高级")
    assert await imported(api, world.province, xlsx_of(rows)) == job_of(
        "SUCCEEDED", total=3, updated=1, unchanged=2
    )
    [first] = await teachers_of(1)
    assert (first["real_name"], first["title_rank"]) == ("张三", TitleRank.SENIOR)
    assert await Person.filter(username__startswith="t0000").count() == 3


async def test_a_file_with_errors_imports_nothing_unless_the_good_rows_are_asked_for(
    api: Api, world: World
) -> None:
    rows = [
        teacher_row(1, SCHOOL),
        teacher_row(2, OTHER_SCHOOL),  # another county's school
        teacher_row(3, SCHOOL, 手机号码="1234"),
        teacher_row(1, SCHOOL, 用户名="again"),  # the ID number of row 3 again
    ]
    errors = [
        row_error(
            4, "学校代码", "UNKNOWN_SCHOOL", f"学校代码“{OTHER_SCHOOL}”不存在，或不在你的管理范围内"
        ),
        row_error(5, "手机号码", "INVALID_MOBILE", "手机号码须为以1开头的11位数字"),
        row_error(6, "身份证号", "DUPLICATE_IN_FILE", "身份证号与第3行重复"),
    ]  # fmt: skip
    data = xlsx_of(rows)
    assert await imported(api, world.county, data) == job_of(
        "REFUSED", total=4, created=1, errors=errors, message="有3行有错误，未导入任何行"
    )
    assert await teachers_of(1) == [None]
    assert await imported(api, world.county, data, importGoodRows=True) == job_of(
        "SUCCEEDED", total=4, created=1, errors=errors, good_rows=True
    )
    assert [t and t["school_id"] for t in await teachers_of(1, 2, 3)] == [
        world.org.school.id,
        None,
        None,
    ]


async def test_a_dry_run_reports_and_writes_nothing(api: Api, world: World) -> None:
    await imported(api, world.school, xlsx_of([teacher_row(1, SCHOOL)]))
    rows = [teacher_row(1, SCHOOL, 学科="语文"), teacher_row(2, SCHOOL), teacher_row(3, SCHOOL)]
    assert await imported(api, world.school, xlsx_of(rows), dryRun=True) == job_of(
        "SUCCEEDED", total=3, created=2, updated=1, dry_run=True
    )
    assert await Person.filter(username__startswith="t0000").count() == 1


async def test_a_teacher_of_a_school_out_of_scope_is_not_moved(api: Api, world: World) -> None:
    await imported(api, world.other_county, xlsx_of([teacher_row(7, OTHER_SCHOOL)]))
    rows = [teacher_row(7, SCHOOL), teacher_row(8, SCHOOL, 用户名=world.teacher.username)]
    message = "该身份证号已登记为你管理范围之外学校的教师，不能在此导入；请联系其所在地区的管理员"
    assert await imported(api, world.county, xlsx_of(rows)) == job_of(
        "REFUSED",
        total=2,
        errors=[
            row_error(3, "身份证号", "TEACHER_OF_OTHER_SCHOOL", message),
            row_error(4, "用户名", "USERNAME_TAKEN", "该用户名已被另一位教师使用"),
        ],
        message="有2行有错误，未导入任何行",
    )
    [seven] = await teachers_of(7)
    assert seven["school_id"] == world.org.other_school.id


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("gbk", "text/csv"), ("utf-8-sig", "text/csv"), ("gbk", "application/vnd.ms-excel")],
)
async def test_the_csv_excel_writes(api: Api, world: World, encoding: str, declared: str) -> None:
    data = csv_of([teacher_row(1, SCHOOL), teacher_row(2, SCHOOL)], encoding)
    upload_id = await upload(api, world.county, data, "报名汇总表.csv", declared)
    body = await import_roster(api, world.county, upload_id)
    assert body["data"]["importRoster"]["job"] == job_of("SUCCEEDED", total=2, created=2)


async def test_a_missing_column_is_refused(api: Api, world: World) -> None:
    headings = [
        "用户名",
        "姓名",
        "身份证号",
        "手机",
        "学校代码",
        "学段",
        "学科",
        "职称",
        "岗位",
        "研修方式",
    ]
    upload_id = await upload(api, world.county, xlsx_of([], headings))
    assert await import_roster(api, world.county, upload_id) == {
        "data": {
            "importRoster": {
                "job": None,
                "userErrors": [
                    {"code": "MISSING_COLUMN", "field": ["input", "upload"],
                     "message": "表格缺少“手机号码”列（表头须与模板一致）"}
                ],
            }
        }
    }  # fmt: skip


async def test_who_may_import(api: Api, world: World) -> None:
    upload_id = await upload(api, world.teacher, xlsx_of([teacher_row(1, SCHOOL)]))
    assert error_codes(await import_roster(api, None, upload_id)) == ["UNAUTHENTICATED"]
    assert error_codes(await import_roster(api, world.teacher, upload_id)) == ["FORBIDDEN"]
    # Another person's upload is not found.
    assert await import_roster(api, world.county, upload_id) == {
        "data": {
            "importRoster": {
                "job": None,
                "userErrors": [
                    {
                        "code": "NOT_FOUND",
                        "field": ["input", "upload"],
                        "message": "找不到该上传文件",
                    }
                ],
            }
        }
    }
    assert await Person.filter(username="t000001").count() == 0


async def test_a_large_file_runs_in_the_background_and_is_polled(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "INLINE_BYTES", 0)
    monkeypatch.setattr(imports, "CHUNK", 2)
    rows = [teacher_row(n, SCHOOL) for n in range(1, 6)]
    upload_id = await upload(api, world.county, xlsx_of(rows))
    body = await api.gql(
        "mutation ($input: ImportRosterInput!)"
        " { importRoster(input: $input) { job { id status } } }",
        {"input": {"upload": upload_id}},
        as_=world.county,
    )
    job = body["data"]["importRoster"]["job"]
    assert job["status"] == "RUNNING"
    await imports.wait_for_imports()
    finished = await api.gql(JOB, {"id": job["id"]}, as_=world.county)
    assert finished == {
        "data": {
            "importJob": {
                "status": "SUCCEEDED", "progress": 100, "totalRows": 5, "errorRows": 0,
                "createdCount": 5, "updatedCount": 0, "unchangedCount": 0, "message": None,
            }
        }
    }  # fmt: skip
    # The teachers are written in bulk: the log keeps the job's counts, the background part's
    # as a row of its own (the mutation's was written when it answered).
    logged = await AuditEntry.filter(object_type="ImportJob").order_by("id")
    assert [(r.actor_id, r.operation, r.action.value) for r in logged] == [
        (world.county.id, "importRoster", "CREATE"),
        (world.county.id, "importRoster", "UPDATE"),
    ]
    counts = {k: v for k, v in logged[1].changes.items() if k.endswith(("_count", "_rows"))}
    assert counts == {"created_count": [0, 5], "total_rows": [0, 5]}
    assert logged[1].changes["status"] == ["running", "succeeded"]
    assert await AuditEntry.filter(object_type="Person").count() == 0
    # Only the admin who started it (and province admins) see the job.
    assert await api.gql(JOB, {"id": job["id"]}, as_=world.other_county) == {
        "data": {"importJob": None}
    }
    assert error_codes(await api.gql(JOB, {"id": job["id"]}, as_=None)) == ["UNAUTHENTICATED"]


async def test_a_job_whose_worker_stopped_reads_as_interrupted(api: Api, world: World) -> None:
    started = api.clock.now() - dt.timedelta(minutes=3)
    job = await ImportJob.create(
        layout="roster",
        uploaded_by_id=world.county.id,
        filename="a.xlsx",
        dry_run=False,
        import_good_rows=False,
        status=ImportStatus.RUNNING,
        started_at=started,
        heartbeat_at=started,
    )
    body = await api.gql(JOB, {"id": gid(job)}, as_=world.county)
    assert body["data"]["importJob"]["status"] == "INTERRUPTED"
    assert body["data"]["importJob"]["message"] == "导入被中断（服务重启），请重新导入"


async def test_a_cancelled_import_ends_interrupted(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "INLINE_BYTES", 0)
    reached, never = asyncio.Event(), asyncio.Event()

    async def stalled(entries: Any) -> None:
        reached.set()
        await never.wait()

    monkeypatch.setattr(imports, "_write_chunk", stalled)
    job = await imported(api, world.county, xlsx_of([teacher_row(1, SCHOOL)]))
    assert job["status"] == "RUNNING"
    await asyncio.wait_for(reached.wait(), timeout=30)
    await imports.stop_imports()
    stored = await ImportJob.get()
    assert (stored.status, stored.message) == (ImportStatus.INTERRUPTED, imports.INTERRUPTED)


async def test_an_old_xls_is_refused_at_the_upload(api: Api, world: World) -> None:
    old_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    response = await api.client.post(
        "/uploads",
        files={"file": ("报名汇总表.xls", old_xls, "application/vnd.ms-excel")},
        headers=api.headers(world.county),
    )
    assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (
        415,
        "CONTENT_TYPE_MISMATCH",
    )
