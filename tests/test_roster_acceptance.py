"""Issue 9's first acceptance item, in one test through HTTP: a fresh install with no demo is
brought to life, a province admin imports a roster of 1,000 teachers with 10 bad rows, gets each
error with its row and column, fixes the file and imports it again (1,000 teachers, no
duplicate); a school submits a group registration, the county approves, the teachers are
enrolled."""

from pathlib import Path
from typing import Any

from lms_plugin.identity import synthetic_id_number
from lms_plugin.reference import BATCHES_2012, MAY_DAY_2012, PHASES_2012
from lms_plugin.storage.models import Person, Program, Region, School

from .api import Api
from .factories import gid
from .roster_world import imported, job_of, teacher_row, xlsx_of
from .test_fresh_install import run_cli

SCHOOLS = ("3601020001", "3601020002", "3601030001", "3604020001")
TEACHERS = """
query { teachers(first: 1) { totalCount } }
"""


REGIONS_CSV = """code,name,level,parent_code
360000,江西省,PROVINCE,
360100,南昌市,CITY,360000
360400,九江市,CITY,360000
360102,东湖区,COUNTY,360100
360103,西湖区,COUNTY,360100
360402,濂溪区,COUNTY,360400
"""


async def bring_to_life(api: Api, database_url: str, tmp_path: Path) -> dict[str, Any]:
    """A fresh install's first day as an operator and the first admin go through it: the region
    tree and the province admin by the CLI, then over HTTP the schools, a county and a school
    admin, and the 2012 program (its phases, its high-school batch, the maths and Chinese
    workshops and their leader). Nothing is written through storage."""
    regions = tmp_path / "regions.csv"
    regions.write_text(REGIONS_CSV, encoding="utf-8")
    for command in (
        ("load-regions", str(regions)),
        ("create-admin", "province", "--name", "省管理员"),
    ):
        done = run_cli(database_url, *command)
        assert done.returncode == 0, done.stderr
    province = await Person.get(username="province")

    async def call(name: str, input_type: str, result: str, /, **input: Any) -> dict[str, Any]:
        data = await api.data(
            f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{"
            f" {result} userErrors {{ code field message }} }} }}",
            {"input": input},
            as_=province,
        )
        assert data[name]["userErrors"] == [], data
        payload: dict[str, Any] = data[name]
        return payload

    counties = {code: gid(await Region.get(code=code)) for code in ("360102", "360103", "360402")}
    schools = {
        code: (
            await call(
                "createSchool", "CreateSchoolInput", "school { id }",
                name=f"学校{code}", code=code, countyId=counties[code[:6]],
            )
        )["school"]["id"]
        for code in SCHOOLS
    }  # fmt: skip

    async def person(username: str, real_name: str, **more: Any) -> str:
        created = await call(
            "createPerson", "CreatePersonInput", "person { id }",
            username=username, realName=real_name, **more,
        )  # fmt: skip
        person_id: str = created["person"]["id"]
        return person_id

    async def admin(username: str, role: str, **scope: str) -> Person:
        person_id = await person(username, username)
        await call(
            "grantRole", "GrantRoleInput", "roleGrant { role }",
            personId=person_id, role=role, **scope,
        )  # fmt: skip
        return await Person.get(username=username)

    registration = PHASES_2012[0]
    program_id = (
        await call(
            "createProgram", "CreateProgramInput", "program { id }",
            name="江西省2012年高中教师全员远程培训", year="2011学年",
            registrationStartsOn=str(registration[1]), registrationEndsOn=str(registration[2]),
            holidays=[str(day) for day in MAY_DAY_2012],
        )
    )["program"]["id"]  # fmt: skip
    await call(
        "setProgramPhases", "SetProgramPhasesInput", "program { id }",
        programId=program_id,
        phases=[
            {"kind": kind.name, "startsOn": str(first), "endsOn": str(last)}
            for kind, first, last in PHASES_2012
        ],
    )  # fmt: skip
    number, name, track, starts_on, ends_on, pairs = BATCHES_2012[0]
    await call(
        "createBatch", "CreateBatchInput", "batch { id }",
        programId=program_id, number=number, name=name, track=track.name,
        startsOn=str(starts_on), endsOn=str(ends_on),
        subjects=[{"stage": stage.name, "subject": subject} for stage, subject in pairs],
    )  # fmt: skip
    leader = await person("leader", "王名师")
    for subject in ("数学", "语文"):
        await call(
            "createWorkshop", "CreateWorkshopInput", "workshop { id }",
            programId=program_id, name=f"高中{subject}名师网络研修工作室", stage="HIGH",
            subject=subject, leaderId=leader,
        )  # fmt: skip
    return {
        "program": await Program.get(name="江西省2012年高中教师全员远程培训"),
        "school": await School.get(code="3601020001"),
        "province": province,
        "county": await admin("county", "COUNTY_ADMIN", regionId=counties["360102"]),
        "school_admin": await admin("school", "SCHOOL_ADMIN", schoolId=schools["3601020001"]),
    }


def roster_rows() -> list[list[str]]:
    """1,000 teachers over four schools, maths and Chinese."""
    return [
        teacher_row(n, SCHOOLS[n % 4], 学科="数学" if n % 2 else "语文") for n in range(1, 1001)
    ]


def wrong_check_digit(n: int) -> str:
    good = synthetic_id_number("360102", "19850615", n)
    return good[:17] + ("1" if good[17] == "0" else "0")


ID_OF_87 = synthetic_id_number("360102", "19850615", 87)
# Ten bad rows of ten kinds: (teacher, cells, the column and code of its error).
BAD = [
    (11, {"身份证号": wrong_check_digit(11)}, "身份证号", "INVALID_ID_NUMBER"),
    (22, {"身份证号": "360102" + "19850229" + "0222"}, "身份证号", "INVALID_ID_NUMBER"),
    (33, {"手机号码": "2391234567"}, "手机号码", "INVALID_MOBILE"),
    (44, {"学校代码": "9999999999"}, "学校代码", "UNKNOWN_SCHOOL"),
    (55, {"学段": "大学"}, "学段", "UNKNOWN_TERM"),
    (66, {"职称": "特级"}, "职称", "UNKNOWN_TERM"),
    (77, {"姓名": ""}, "姓名", "REQUIRED_VALUE"),
    (88, {"身份证号": ID_OF_87}, "身份证号", "DUPLICATE_IN_FILE"),
    (99, {"岗位": "司机"}, "岗位", "UNKNOWN_TERM"),
    (110, {"研修方式": "自学"}, "研修方式", "UNKNOWN_TERM"),
]  # fmt: skip


async def test_a_fresh_install_imports_its_roster_and_registers_a_school(
    api: Api, db: str, tmp_path: Path
) -> None:
    life = await bring_to_life(api, db, tmp_path)
    province = life["province"]
    rows = roster_rows()
    for n, cells, _, _ in BAD:
        rows[n - 1] = teacher_row(n, SCHOOLS[n % 4], **cells)

    # The file with its errors: nothing is imported; each error names its row and column
    # (the spreadsheet's row: the title and the headings come first, teacher n is on row n + 2).
    job = await imported(api, province, xlsx_of(rows))
    errors = job["rowErrors"]["nodes"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (n + 2, column, code) for n, _, column, code in BAD
    ]
    assert all(e["message"] for e in errors)
    assert job | {"rowErrors": None} == job_of(
        "REFUSED", total=1000, created=990, errors=errors, message="有10行有错误，未导入任何行"
    ) | {"rowErrors": None}
    assert (await api.data(TEACHERS, as_=province))["teachers"]["totalCount"] == 0

    # The good rows first, then the fixed file: the 990 are found again by ID number.
    job = await imported(api, province, xlsx_of(rows), importGoodRows=True)
    assert (job["status"], job["createdCount"], job["errorRows"]) == ("SUCCEEDED", 990, 10)
    fixed = roster_rows()
    job = await imported(api, province, xlsx_of(fixed))
    assert job == job_of("SUCCEEDED", total=1000, created=10, unchanged=990)
    assert (await api.data(TEACHERS, as_=province))["teachers"]["totalCount"] == 1000
    id_numbers = await Person.filter(school_id__isnull=False).values_list("id_number", flat=True)
    assert len(set(id_numbers)) == 1000

    # 集体报名: the school submits all its teachers, the county approves, they are enrolled.
    school: School = life["school"]
    program: Program = life["program"]
    submitted = await api.data(
        """mutation ($input: SubmitGroupRegistrationInput!) {
          submitGroupRegistration(input: $input) { registration { id status } }
        }""",
        {"input": {"programId": gid(program), "schoolId": gid(school)}},
        as_=life["school_admin"],
    )
    registration = submitted["submitGroupRegistration"]["registration"]
    approved = await api.data(
        """mutation ($input: ApproveGroupRegistrationInput!) {
          approveGroupRegistration(input: $input) {
            registration { status enrolledCount refusedCount } userErrors { code }
          }
        }""",
        {"input": {"registrationId": registration["id"]}},
        as_=life["county"],
    )
    assert approved == {
        "approveGroupRegistration": {
            "registration": {"status": "APPROVED", "enrolledCount": 250, "refusedCount": 0},
            "userErrors": [],
        }
    }
    mine = await api.data(
        "query { viewer { enrollment { workshop { subject } } } }",
        as_=await Person.get(username="t000004"),
    )
    assert mine == {"viewer": {"enrollment": {"workshop": {"subject": "语文"}}}}
