"""The recommendation tables of seed 003 (附件1–4) as export jobs over HTTP: a job with its
progress, the download, the headings read back with openpyxl cell by cell against the seed's
tables, ID numbers only for a province or city admin of the scope, each such export a reveal."""

import asyncio
import io
from typing import Any

import openpyxl
import pytest

from lms_plugin.storage.enums import AwardCategory, NominationStatus, Role
from lms_plugin.storage.models import ExportJob, Nomination, Person

from .api import Api, error_codes, refused
from .conftest import local
from .factories import gid, make_admin
from .rates_world import RatesWorld, make_rates_world

# The seed's tables (seed 003, 附件1–4), as the notice prints their columns.
SEED_HEADINGS = {
    "ADVANCED_COLLECTIVE": "序号	设区市	县区	单位名称	负责人	联系电话	学员参训率	学员合格率",  # noqa: E501 (the seed's line)
    "ADVANCED_WORKER": "序号	姓名	设区市	县区	单位名称	联系电话	身份证号	管理员成绩	学员参训率	学员合格率",  # noqa: E501 (the seed's line)
    "EXCELLENT_TUTOR": "序号	姓名	设区市	县区	学段学科	单位名称	联系电话	身份证号	辅导教师成绩	班级参训率	班级合格率",  # noqa: E501 (the seed's line)
    "EXCELLENT_TRAINEE": "序号	姓名	设区市	县区	学段学科	单位名称	联系电话	身份证号",
}  # fmt: skip
TITLES = {
    "ADVANCED_COLLECTIVE": ("附件1：", "先进集体推荐表"),
    "ADVANCED_WORKER": ("附件2：", "先进工作者推荐表"),
    "EXCELLENT_TUTOR": ("附件3：", "优秀辅导教师推荐表"),
    "EXCELLENT_TRAINEE": ("附件4：", "优秀学员推荐表"),
}

EXPORT = """
mutation ($input: ExportAwardTableInput!) {
  exportAwardTable(input: $input) {
    job { id kind status }
    userErrors { code field message }
  }
}"""

JOB = """
query ($id: ID!) {
  exportJob(id: $id) {
    kind status rowsDone rowsTotal filename requestedAt revealsPersonalData peopleRevealed
    downloadPath
  }
}"""


async def nominated(world: RatesWorld) -> None:
    """One nomination of each category in 南昌市, written as the desk would have."""
    c, org = world.classes, world.classes.org
    for category, subject in (
        (AwardCategory.ADVANCED_COLLECTIVE, {"region_id": org.county.id}),
        (AwardCategory.ADVANCED_WORKER, {"person_id": world.county_admin.id}),
        (AwardCategory.EXCELLENT_TUTOR, {"person_id": c.tutor.id}),
        (AwardCategory.EXCELLENT_TRAINEE, {"person_id": world.people["甲一"].id}),
    ):
        await Nomination.create(
            program_id=world.program.id,
            city_id=org.city.id,
            category=category,
            status=NominationStatus.NOMINATED,
            nominated_by_id=world.city_admin.id,
            nominated_at=local(2012, 10, 20),
            **subject,
        )


async def finished(api: Api, job_id: str, as_: Person) -> dict[str, Any]:
    for _ in range(200):
        data = await api.data(JOB, {"id": job_id}, as_=as_)
        if data["exportJob"]["status"] in ("DONE", "FAILED"):
            return data["exportJob"]  # type: ignore[no-any-return]
        await asyncio.sleep(0.02)
    raise AssertionError("the export did not finish")


async def export(
    api: Api, world: RatesWorld, category: str, as_: Person | None, city: bool = True
) -> dict[str, Any]:
    variables = {
        "input": {
            "programId": gid(world.program),
            "category": category,
            "cityId": gid(world.classes.org.city) if city else None,
        }
    }
    return await api.gql(EXPORT, variables, as_=as_)


def sheet_rows(content: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    [sheet] = workbook.worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("category", list(SEED_HEADINGS))
async def test_each_table_has_the_seed_s_headings_cell_by_cell(api: Api, category: str) -> None:
    world = await make_rates_world()
    await nominated(world)
    body = await export(api, world, category, world.city_admin)
    job = body["data"]["exportAwardTable"]["job"]
    assert body["data"]["exportAwardTable"]["userErrors"] == []
    done = await finished(api, job["id"], world.city_admin)
    reveals = category != "ADVANCED_COLLECTIVE"
    number, title = TITLES[category]
    assert done == {
        "kind": job["kind"],
        "status": "DONE",
        "rowsDone": 1,
        "rowsTotal": 1,
        "filename": f"{number[:-1]}-{title}-南昌市.xlsx",
        "requestedAt": "2012-04-20T10:00:00+08:00",
        "revealsPersonalData": reveals,
        "peopleRevealed": 1 if reveals else 0,
        "downloadPath": f"/exports/{job['id']}",
    }
    response = await api.client.get(done["downloadPath"], headers=api.headers(world.city_admin))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = sheet_rows(response.content)
    assert rows[0][0] == number
    assert rows[1][0] == f"“{world.program.name}”{title}"
    assert rows[2][0] == "推荐单位：南昌市"
    headings = SEED_HEADINGS[category].split("\t")
    assert len(rows[3]) == len(headings)
    for cell, heading in zip(rows[3], headings, strict=True):
        assert cell == heading
    assert len(rows) == 5


async def test_the_rows_carry_the_figures_and_the_personal_data(api: Api) -> None:
    world = await make_rates_world()
    await nominated(world)
    jia = world.people["甲一"]
    contents = {}
    for category in (
        "ADVANCED_COLLECTIVE",
        "ADVANCED_WORKER",
        "EXCELLENT_TUTOR",
        "EXCELLENT_TRAINEE",
    ):
        job = (await export(api, world, category, world.province_admin))["data"][
            "exportAwardTable"
        ]["job"]
        done = await finished(api, job["id"], world.province_admin)
        response = await api.client.get(
            done["downloadPath"], headers=api.headers(world.province_admin)
        )
        contents[category] = sheet_rows(response.content)[4]
    head = world.county_admin
    assert contents["ADVANCED_COLLECTIVE"] == [
        1, "南昌市", "东湖区", "东湖区", head.real_name,
        f"{head.mobile[:3]}****{head.mobile[-4:]}", "50.00%", "50.00%",
    ]  # fmt: skip
    # 管理员成绩: 40 × 50% + 40 × 50% + no bulletin of 东湖区 (0 of 20) = 40.
    assert contents["ADVANCED_WORKER"] == [
        1, head.real_name, "南昌市", "东湖区", "东湖区", head.mobile, head.id_number, 40,
        "50.00%", "50.00%",
    ]  # fmt: skip
    tutor = world.classes.tutor
    # 辅导教师成绩: nothing to grade (20) + 15 × 75% + 15 × 33% (rounded down per component),
    # no briefing, announcement or discussion: 20 + 11.25 + 4.95 = 36.2 → 36.
    assert contents["EXCELLENT_TUTOR"] == [
        1, tutor.real_name, "南昌市", "东湖区", "高中数学", "南昌市第一实验学校", tutor.mobile,
        tutor.id_number, 36, "75.00%", "33.33%",
    ]  # fmt: skip
    assert contents["EXCELLENT_TRAINEE"] == [
        1, "甲一", "南昌市", "东湖区", "高中数学", "南昌市第一实验学校", jia.mobile, jia.id_number,
    ]  # fmt: skip
    jobs = await ExportJob.filter(reveals_personal_data=True).order_by("id")
    assert [(j.kind, j.requested_by_id, j.people_revealed) for j in jobs] == [
        ("worker_table", world.province_admin.id, 1),
        ("tutor_table", world.province_admin.id, 1),
        ("trainee_table", world.province_admin.id, 1),
    ]


async def test_the_province_exports_every_city_at_once(api: Api) -> None:
    world = await make_rates_world()
    await nominated(world)
    body = await export(api, world, "EXCELLENT_TRAINEE", world.province_admin, city=False)
    job = body["data"]["exportAwardTable"]["job"]
    done = await finished(api, job["id"], world.province_admin)
    response = await api.client.get(done["downloadPath"], headers=api.headers(world.province_admin))
    assert sheet_rows(response.content)[2] == ["推荐单位：江西省"]


@pytest.mark.parametrize("who", ["county_admin", "vendor_staff", "trainee", "nobody"])
async def test_only_province_and_city_admins_export_the_tables(api: Api, who: str) -> None:
    world = await make_rates_world()
    person = None if who == "nobody" else getattr(world, who)
    body = await export(api, world, "EXCELLENT_TRAINEE", person)
    assert error_codes(body) == ["UNAUTHENTICATED" if person is None else "FORBIDDEN"]
    assert await ExportJob.all().count() == 0


async def test_a_city_admin_exports_their_own_city_only(api: Api) -> None:
    world = await make_rates_world()
    jiujiang = await make_admin("jiujiang", Role.CITY_ADMIN, region=world.classes.org.other_city)
    for city in (True, False):
        body = await export(api, world, "EXCELLENT_TRAINEE", jiujiang, city=city)
        assert body["data"]["exportAwardTable"] == refused(
            "job", "NOT_FOUND", "找不到该设区市", "cityId"
        )
    assert await ExportJob.all().count() == 0


async def test_a_job_and_its_file_are_the_requester_s(api: Api) -> None:
    world = await make_rates_world()
    await nominated(world)
    job = (await export(api, world, "EXCELLENT_TRAINEE", world.city_admin))["data"][
        "exportAwardTable"
    ]["job"]
    done = await finished(api, job["id"], world.city_admin)
    assert (await api.data(JOB, {"id": job["id"]}, as_=world.province_admin)) == {"exportJob": None}
    other = await api.client.get(done["downloadPath"], headers=api.headers(world.province_admin))
    assert other.status_code == 404
    nobody = await api.client.get(done["downloadPath"])
    assert nobody.status_code == 401
    assert error_codes(await api.gql(JOB, {"id": job["id"]}, as_=None)) == ["UNAUTHENTICATED"]


OTHER_EXPORTS = """
mutation ($rates: ExportRatesInput!, $fees: ExportSettlementInput!) {
  exportRates(input: $rates) { job { id } userErrors { code field message } }
  exportSettlement(input: $fees) { job { id } userErrors { code field message } }
}"""

BULLETIN_EXPORT = """
mutation ($input: ExportBulletinInput!) {
  exportBulletin(input: $input) { job { id } userErrors { code field message } }
}"""


async def downloaded(api: Api, job_id: str, as_: Person) -> openpyxl.Workbook:
    done = await finished(api, job_id, as_)
    assert done["status"] == "DONE"
    response = await api.client.get(done["downloadPath"], headers=api.headers(as_))
    return openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)


def values(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_rates_and_the_settlement_with_its_roll(api: Api) -> None:
    world = await make_rates_world()
    variables = {
        "rates": {"programId": gid(world.program), "level": "SCHOOL"},
        "fees": {"programId": gid(world.program), "vendorId": gid(world.vendor)},
    }
    data = await api.data(OTHER_EXPORTS, variables, as_=world.vendor_staff)
    rates = await downloaded(api, data["exportRates"]["job"]["id"], world.vendor_staff)
    assert values(rates.worksheets[0]) == [
        ["参训率、合格率统计表"],
        ["合格人数为预测（学时达标）"],
        ["序号", "单位", "应参训人数", "免予选学人数", "参训人数", "未参训人数", "学时达标人数",
         "合格人数", "参训率", "合格率"],
        [1, "南昌市第一实验学校", 4, 2, 2, 2, 1, 1, "50.00", "50.00"],
        [2, "南昌县莲塘一中", 3, 0, 1, 2, 1, 1, "33.33", "100.00"],
    ]  # fmt: skip
    settlement = await downloaded(api, data["exportSettlement"]["job"]["id"], world.vendor_staff)
    totals, roll = (values(sheet) for sheet in settlement.worksheets)
    assert totals == [
        ["甲机构 收费结算"],
        ["设区市", "计费人数", "计费学时", "金额（元）"],
        ["南昌市", 3, 66, "72.00"],
        ["合计", 3, 66, "72.00"],
    ]
    assert roll == [
        ["甲机构 收费花名册"],
        ["序号", "姓名", "学校", "研修方式", "职称", "计费学时", "金额（元）"],
        [1, "甲一", "南昌市第一实验学校", "网络研修", "未登记", 22, "24.00"],
        [2, "甲二", "南昌市第一实验学校", "网络研修", "未登记", 22, "24.00"],
        [3, "乙一", "南昌县莲塘一中", "过渡学习", "未登记", 22, "24.00"],
    ]
    assert sum(int(float(row[6]) * 100) for row in roll[2:]) == 7200


async def test_the_bulletin_sheet(api: Api) -> None:
    world = await make_rates_world()
    publish = """
    mutation ($input: PublishBulletinInput!) { publishBulletin(input: $input) { bulletin { id } } }
    """
    made = await api.data(
        publish,
        {"input": {"programId": gid(world.program), "regionId": gid(world.classes.org.city),
                   "asOf": "2012-05-01"}},
        as_=world.city_admin,
    )  # fmt: skip
    bulletin = {"input": {"bulletinId": made["publishBulletin"]["bulletin"]["id"]}}
    data = await api.data(BULLETIN_EXPORT, bulletin, as_=world.county_admin)
    book = await downloaded(api, data["exportBulletin"]["job"]["id"], world.county_admin)
    assert values(book.worksheets[0]) == [
        ["南昌市学情通报（第 1 期，2012-05-01）"],
        ["阈值 96.00%"],
        ["名次", "单位", "应参训人数", "参训人数", "合格人数", "参训率", "合格率", "参训率变化",
         "合格率变化", "上期名次", "低于阈值"],
        [1, "东湖区", 4, 2, 1, "50.00", "50.00", None, None, None, "是"],
        [2, "南昌县", 3, 1, 1, "33.33", "100.00", None, None, None, "是"],
    ]  # fmt: skip
    jiujiang = await make_admin("jiujiang", Role.CITY_ADMIN, region=world.classes.org.other_city)
    body = await api.data(BULLETIN_EXPORT, bulletin, as_=jiujiang)
    assert body["exportBulletin"] == refused("job", "NOT_FOUND", "找不到该通报", "bulletinId")
    assert error_codes(await api.gql(BULLETIN_EXPORT, bulletin, as_=world.trainee)) == ["FORBIDDEN"]
    assert error_codes(await api.gql(BULLETIN_EXPORT, bulletin, as_=None)) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    ("who", "level", "codes"),
    [
        ("trainee", "SCHOOL", ["FORBIDDEN"]),
        ("county_admin", "CITY", ["FORBIDDEN"]),  # a level above theirs
        ("nobody", "SCHOOL", ["UNAUTHENTICATED"]),
    ],
)
async def test_rates_and_settlement_exports_outside_one_s_scope(
    api: Api, who: str, level: str, codes: list[str]
) -> None:
    world = await make_rates_world()
    person = None if who == "nobody" else getattr(world, who)
    rates = """
    mutation ($input: ExportRatesInput!) { exportRates(input: $input) { job { id } } }"""
    fees = """
    mutation ($input: ExportSettlementInput!) { exportSettlement(input: $input) { job { id } } }"""
    body = await api.gql(
        rates, {"input": {"programId": gid(world.program), "level": level}}, as_=person
    )
    assert error_codes(body) == codes
    body = await api.gql(
        fees,
        {"input": {"programId": gid(world.program), "vendorId": gid(world.vendor)}},
        as_=person,
    )
    assert error_codes(body) == codes
    assert await ExportJob.all().count() == 0


AUDIT_LOG = """
query ($actor: ID) {
  auditLog(actor: $actor, first: 10) {
    nodes {
      operation action objectType object reason person { username }
      changes { field old new }
    }
  }
}"""


@pytest.mark.parametrize("category", list(SEED_HEADINGS))
async def test_an_export_of_tables_2_to_4_is_logged_as_a_reveal_of_each_person(
    api: Api, category: str
) -> None:
    world = await make_rates_world()
    await nominated(world)
    body = await export(api, world, category, world.city_admin)
    job = body["data"]["exportAwardTable"]["job"]
    await finished(api, job["id"], world.city_admin)
    log = await api.data(AUDIT_LOG, {"actor": gid(world.city_admin)}, as_=world.province_admin)
    nodes = log["auditLog"]["nodes"]
    assert [(n["operation"], n["action"], n["objectType"]) for n in nodes][-1] == (
        "exportAwardTable",
        "CREATE",
        "ExportJob",
    )
    shown = {
        "ADVANCED_COLLECTIVE": None,  # 负责人's mobile masked: no one shown in clear
        "ADVANCED_WORKER": world.county_admin,
        "EXCELLENT_TUTOR": world.classes.tutor,
        "EXCELLENT_TRAINEE": world.people["甲一"],
    }[category]
    number, title = TITLES[category]
    assert nodes[:-1] == (
        []
        if shown is None
        else [
            {
                "operation": "exportAwardTable",
                "action": "REVEAL",
                "objectType": "Person",
                "object": gid(shown),
                "reason": f"导出（export）{number[:-1]}-{title}-南昌市.xlsx",
                "person": {"username": shown.username},
                "changes": [
                    {"field": "id_number", "old": "null", "new": "null"},
                    {"field": "mobile", "old": "null", "new": "null"},
                ],
            }
        ]
    )
