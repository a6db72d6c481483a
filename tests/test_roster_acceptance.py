"""Issue 9's first acceptance item, in one test through HTTP: a fresh install with no demo is
brought to life, a province admin imports a roster of 1,000 teachers with 10 bad rows, gets each
error with its row and column, fixes the file and imports it again (1,000 teachers, no
duplicate); a school submits a group registration, the county approves, the teachers are
enrolled."""

from typing import Any

from lms_plugin.identity import synthetic_id_number
from lms_plugin.reference import create_reference_program
from lms_plugin.storage.enums import RegionLevel, Role, Stage
from lms_plugin.storage.models import Person, Program, Region, RoleAssignment, School, Workshop

from .api import Api
from .factories import gid
from .roster_world import imported, job_of, teacher_row, xlsx_of

SCHOOLS = ("3601020001", "3601020002", "3601030001", "3604020001")
TEACHERS = """
query { teachers(first: 1) { totalCount } }
"""


async def bring_to_life() -> dict[str, Any]:
    """A fresh install's first day: the region tree, its schools, the province admin, one
    admin per level, and the 2012 program with its high-school maths and Chinese workshops.

    The lead switches this to the CLI (`lms-plugin load-regions`, `create-admin`) and the
    organisation API at the merge; until then it writes the same rows through storage."""
    province = await Region.create(name="江西省", code="360000", level=RegionLevel.PROVINCE)
    cities = {
        code: await Region.create(name=name, code=code, level=RegionLevel.CITY, parent=province)
        for code, name in (("360100", "南昌市"), ("360400", "九江市"))
    }
    counties = {
        code: await Region.create(
            name=name, code=code, level=RegionLevel.COUNTY, parent=cities[code[:4] + "00"]
        )
        for code, name in (("360102", "东湖区"), ("360103", "西湖区"), ("360402", "濂溪区"))
    }
    schools = {
        code: await School.create(
            name=f"学校{code}",
            code=code,
            county=counties[code[:6]],
            city_id=counties[code[:6]].parent_id,
        )
        for code in SCHOOLS
    }

    async def admin(username: str, role: Role, **scope: Any) -> Person:
        person = await Person.create(username=username, real_name=username)
        await RoleAssignment.create(person=person, role=role, **scope)
        return person

    program = await create_reference_program()
    leader = await Person.create(username="leader", real_name="王名师")
    for subject in ("数学", "语文"):
        await Workshop.create(
            program=program,
            name=f"高中{subject}名师网络研修工作室",
            stage=Stage.HIGH,
            subject=subject,
            leader=leader,
            tutor_cap=8,
        )
    return {
        "program": program,
        "school": schools["3601020001"],
        "province": await admin("province", Role.PROVINCE_ADMIN, region=province),
        "county": await admin("county", Role.COUNTY_ADMIN, region=counties["360102"]),
        "school_admin": await admin("school", Role.SCHOOL_ADMIN, school=schools["3601020001"]),
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


async def test_a_fresh_install_imports_its_roster_and_registers_a_school(api: Api, db: str) -> None:
    life = await bring_to_life()
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
