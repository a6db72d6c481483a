"""A fresh install brought to life without the demo: `lms-plugin load-regions` and
`create-admin` (run as commands on a new SQLite file), then the admin's first mutations."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import RegionLevel, Role
from lms_plugin.storage.models import Person, Region, RoleAssignment

from .api import Api
from .conftest import TEST_DATA_KEYS, TEST_SECRET, local
from .databases import open_database

# The test process's sealing keys: a command shares its databases.
CLI_DATA_KEYS = {f"LMS_{name.upper()}": value for name, value in TEST_DATA_KEYS.items()}


def lms(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(f"sqlite://{database}", *args)


def run_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`lms-plugin ARGS` in a process of its own against the database, as an operator runs it
    (with the sealing keys every command needs outside development mode)."""
    env = {**os.environ, **CLI_DATA_KEYS, "LMS_DATABASE_URL": database_url}
    env.pop("LMS_JWT_SECRET", None)
    return subprocess.run(
        [sys.executable, "-m", "lms_plugin.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_load_regions_loads_the_jiangxi_tree_once_however_often_it_runs(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"

    first = lms(database, "load-regions", "--jiangxi")
    again = lms(database, "load-regions", "--jiangxi")

    assert (first.returncode, first.stdout) == (0, "regions: 41 created, 0 updated, 0 unchanged\n")
    assert (again.returncode, again.stdout) == (0, "regions: 0 created, 0 updated, 41 unchanged\n")


def test_load_regions_updates_by_code_and_reports_every_bad_row(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    good = tmp_path / "good.csv"
    # UTF-8 with the BOM Excel writes.
    good.write_bytes(
        "code,name,level,parent_code\n360000,江西省,PROVINCE,\n360100,南昌,CITY,360000\n".encode(
            "utf-8-sig"
        )
    )
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(
        "code,name,level,parent_code\n360100,南昌市,CITY,360000\n361200,赣江新区,CITY,360000\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,level,parent_code\n"
        "360102,东湖区,COUNTY,369999\n"
        "36-01,,TOWN,\n"
        "360103,西湖区,COUNTY,360000\n"
        "361200,重复,CITY,360000\n"
        "361200,重复,CITY,360000\n",
        encoding="utf-8",
    )

    assert lms(database, "load-regions", str(good)).stdout == (
        "regions: 2 created, 0 updated, 0 unchanged\n"
    )
    assert lms(database, "load-regions", str(renamed)).stdout == (
        "regions: 1 created, 1 updated, 0 unchanged\n"
    )
    refused = lms(database, "load-regions", str(bad))
    missing = bad.with_name("missing.csv")
    missing.write_text("code,name\n1,x\n", encoding="utf-8")
    no_column = lms(database, "load-regions", str(missing))

    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "row 2, column parent_code: NOT_FOUND: 上级地区代码在文件和库中都没有",
        "row 3, column code: INVALID_INPUT: 代码须为1至16位字母或数字",
        "row 3, column name: INVALID_INPUT: 地区名称不能为空",
        "row 3, column level: INVALID_INPUT: 层级须为 PROVINCE、CITY 或 COUNTY",
        "row 4, column parent_code: INVALID_INPUT: 上级地区须为设区市",
        "row 6, column code: DUPLICATE_CODE: 代码与第5行重复",
        "lms-plugin: 6 errors, no region loaded",
    ]
    assert (no_column.returncode, no_column.stderr) == (
        1,
        "lms-plugin: MISSING_COLUMN: 表格缺少“level”列（表头须与模板一致）\n"
        "lms-plugin: MISSING_COLUMN: 表格缺少“parent_code”列（表头须与模板一致）\n",
    )


def test_create_admin_needs_the_regions_and_then_is_idempotent(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"

    too_early = lms(database, "create-admin", "zhang.san", "--name", "张三")
    lms(database, "load-regions", "--jiangxi")
    created = lms(database, "create-admin", "zhang.san", "--name", "张三")
    again = lms(database, "create-admin", "zhang.san", "--name", "张三", "--region", "360000")
    not_a_province = lms(database, "create-admin", "li.si", "--name", "李四", "--region", "360100")

    assert (too_early.returncode, too_early.stderr) == (
        1,
        "lms-plugin: NOT_FOUND: 库中没有唯一的省级地区：先 load-regions，或用 --region 指定\n",
    )
    assert (created.returncode, created.stdout) == (0, "province admin zhang.san: created\n")
    assert (again.returncode, again.stdout) == (0, "province admin zhang.san: already exists\n")
    assert (not_a_province.returncode, not_a_province.stderr) == (
        1,
        "lms-plugin: NOT_FOUND: 找不到代码为360100的省级地区\n",
    )


async def test_the_first_admin_creates_a_school_and_grants_a_county_admin(
    tmp_path: Path,
) -> None:
    database = tmp_path / "fresh.sqlite3"
    assert lms(database, "load-regions", "--jiangxi").returncode == 0
    assert lms(database, "create-admin", "zhang.san", "--name", "张三").returncode == 0
    settings = Settings(jwt_secret=TEST_SECRET, upload_dir=tmp_path / "uploads", **TEST_DATA_KEYS)
    clock = FixedClock(local(2026, 9, 1, 9, 0))

    async with open_database(f"sqlite://{database}"):
        app = create_app(settings, clock=clock, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:
            api = Api(client, settings, clock)
            county = await Region.get(code="360102", level=RegionLevel.COUNTY)
            school = await api.data(
                """mutation ($county: ID!) {
                  createSchool(input: {name: "新建小学", code: "3601029001", countyId: $county}) {
                    school { id } userErrors { code }
                  }
                }""",
                {"county": _gid("Region", county.id)},
                as_="zhang.san",
            )
            person = await api.data(
                """mutation ($school: ID!) {
                  createPerson(input: {username: "wang.wu", realName: "王五", schoolId: $school}) {
                    person { id } userErrors { code }
                  }
                }""",
                {"school": school["createSchool"]["school"]["id"]},
                as_="zhang.san",
            )
            granted = await api.data(
                """mutation ($person: ID!, $county: ID!) {
                  grantRole(input: {personId: $person, role: COUNTY_ADMIN, regionId: $county}) {
                    roleGrant { role region { name } } userErrors { code }
                  }
                }""",
                {
                    "person": person["createPerson"]["person"]["id"],
                    "county": _gid("Region", county.id),
                },
                as_="zhang.san",
            )
            unknown = await api.gql("{ viewer { person { username } } }", as_="nobody")

        assert granted == {
            "grantRole": {
                "roleGrant": {"role": "COUNTY_ADMIN", "region": {"name": "东湖区"}},
                "userErrors": [],
            }
        }
        wang = await Person.get(username="wang.wu")
        assert await RoleAssignment.filter(person_id=wang.id).values_list("role", flat=True) == [
            Role.COUNTY_ADMIN
        ]
        assert unknown["errors"][0]["extensions"]["code"] == "UNKNOWN_USER"


def _gid(type_name: str, pk: int) -> str:
    return str(encode_id(type_name, pk))
