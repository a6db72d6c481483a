"""E-certificates (继续教育证书, R13): public verification by code shows only what a stranger
may see, unknown and guessed codes are not found, lookups are rate-limited; the credit ledger
adds five program years and other county-level training against the cycle."""

import datetime as dt
import re

from lms_plugin.clock import FixedClock
from lms_plugin.reference import create_reference_program
from lms_plugin.resolvers.assessment.results import code_digest, new_code
from lms_plugin.storage.enums import CertificateGrade, GradeLevel, Outcome, Post, Role
from lms_plugin.storage.models import Certificate, ExternalHours, Person, School

from .api import Api, error_codes, refused
from .assessment_world import graded, make_scene, posted
from .conftest import local
from .factories import gid, make_admin, studied
from .test_assessment_scenarios import JIANGXI_2012

VERIFY = """
query ($code: String!) { verifyCertificate(code: $code) {
    holderName year hours credits outcome grade issuer } }"""
PRINT = """
{ myCertificates { id code verificationAddress qrSvg holderName } }"""
LEDGER = """
{ myCreditLedger { firstYear lastYear cycleHours hours missingHours complete
                   lines { year hours source title } } }"""
RECORD_EXTERNAL = """
mutation ($input: RecordExternalHoursInput!) {
  recordExternalHours(input: $input) {
    externalHours { year title hours }
    userErrors { code field message }
  }
}"""


async def _passed_certificate(api: Api, clock: FixedClock) -> tuple[Person, str]:
    scene = await make_scene(api)
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    enrollment = await scene.trainee(workshop, batch, "张三丰")
    await studied(enrollment, online_hours=6, offline_hours=16)
    await graded(enrollment, GradeLevel.PASS, GradeLevel.PASS)
    await posted(enrollment, 2)
    clock.set(local(2012, 5, 20, 10, 0))
    await scene.compute(program)
    teacher = await Person.get(username="张三丰")
    [certificate] = (await api.data(PRINT, as_=teacher))["myCertificates"]
    return teacher, certificate["code"]


async def test_the_public_answer_shows_only_what_a_stranger_may_see(
    api: Api, clock: FixedClock
) -> None:
    teacher, code = await _passed_certificate(api, clock)

    body = await api.gql(VERIFY, {"code": code}, as_=None)

    assert body == {
        "data": {
            "verifyCertificate": {
                "holderName": "张**",
                "year": "2012学年",
                "hours": 22,
                "credits": "1.10",
                "outcome": "PASSED",
                "grade": "PASS",
                "issuer": "江西省中小学教师远程培训中心",
            }
        }
    }
    text = str(body)
    school = await School.get(id=teacher.school_id)
    assert teacher.id_number
    assert teacher.mobile
    for secret in (teacher.id_number, teacher.mobile, school.name, teacher.real_name):
        assert secret not in text


async def test_unknown_and_guessed_codes_are_not_found(api: Api, clock: FixedClock) -> None:
    _, code = await _passed_certificate(api, clock)
    # 128 random bits: the same length as real codes, one character changed, or another shape.
    changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    for guess in (
        new_code(),
        changed,
        "1",
        "0" * 22,
        code.upper() if code != code.upper() else "x" * 22,
    ):
        assert await api.gql(VERIFY, {"code": guess}, as_=None) == {
            "data": {"verifyCertificate": None}
        }
    assert len(code) == 22
    assert (await Certificate.get(code=code)).code_digest == code_digest(code)


async def test_anonymous_lookups_are_rate_limited(api: Api, clock: FixedClock) -> None:
    _, code = await _passed_certificate(api, clock)

    for _ in range(10):
        assert (await api.gql(VERIFY, {"code": new_code()}, as_=None))["data"] == {
            "verifyCertificate": None
        }
    response = await api.post(VERIFY, {"code": code}, as_=None)

    assert response.status_code == 429
    assert error_codes(response.json()) == ["RATE_LIMITED"]


async def test_the_owner_prints_a_certificate_with_a_qr_code_of_its_verification_address(
    api: Api, clock: FixedClock
) -> None:
    teacher, code = await _passed_certificate(api, clock)

    [certificate] = (await api.data(PRINT, as_=teacher))["myCertificates"]
    node = await api.data(
        "query ($id: ID!) { node(id: $id) { ... on Certificate { code } } }",
        {"id": certificate["id"]},
        as_=await make_admin("province2", Role.PROVINCE_ADMIN),
    )

    assert certificate["holderName"] == "张三丰"
    assert certificate["verificationAddress"] == f"http://lms.test/ui/verify.html#code={code}"
    assert re.fullmatch(
        r'<svg xmlns="http://www.w3.org/2000/svg" .*</svg>\n?', certificate["qrSvg"], re.S
    )
    # Nobody else reads a certificate by its id, not even an admin.
    assert node == {"node": None}


async def _certificate(teacher: Person, year: int, hours: int) -> None:
    program = await create_reference_program()
    code = new_code()
    await Certificate.create(
        program_id=program.id,
        teacher_id=teacher.id,
        year=f"{year}学年",
        hours=hours,
        credits=hours / 20,
        outcome=Outcome.PASSED,
        grade=CertificateGrade.PASS,
        issuer="江西省中小学教师远程培训中心",
        code=code,
        code_digest=code_digest(code),
        issued_at=dt.datetime(year, 10, 16, tzinfo=dt.UTC),
    )


async def test_five_program_years_with_external_hours_add_up_to_the_cycle(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    _, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    enrollment = await scene.trainee(workshop, batch, "李老师")
    person = await Person.get(id=enrollment.teacher_id)
    # An earlier cycle's year does not count; four years of 72 hours do.
    await _certificate(person, 2006, 72)
    for year in (2008, 2009, 2010, 2011):
        await _certificate(person, year, 72)
    upload = await api.client.post(
        "/uploads",
        files={"file": ("证明.pdf", b"%PDF-1.4 proof", "application/pdf")},
        headers=api.headers(scene.county),
    )
    evidence = upload.json()["id"]

    recorded = await api.data(
        RECORD_EXTERNAL,
        {
            "input": {
                "teacherId": gid(person),
                "year": "2012学年",
                "title": "县级统筹培训",
                "hours": 72,
                "evidenceId": evidence,
            }
        },
        as_=scene.county,
    )
    ledger = await api.data(LEDGER, as_=person)

    assert recorded["recordExternalHours"] == {
        "externalHours": {"year": "2012学年", "title": "县级统筹培训", "hours": 72},
        "userErrors": [],
    }
    assert ledger["myCreditLedger"] == {
        "firstYear": 2008,
        "lastYear": 2012,
        "cycleHours": 360,
        "hours": 360,
        "missingHours": 0,
        "complete": True,
        "lines": [
            *[
                {"year": f"{y}学年", "hours": 72, "source": "certificate", "title": ""}
                for y in (2008, 2009, 2010, 2011)
            ],
            {"year": "2012学年", "hours": 72, "source": "external", "title": "县级统筹培训"},
        ],
    }

    # A new teacher needs 410: 50 hours still missing.
    await Person.filter(id=person.id).update(post=Post.NEW_TEACHER)
    again = await api.data(LEDGER, as_=person)
    assert (again["myCreditLedger"]["cycleHours"], again["myCreditLedger"]["missingHours"]) == (
        410,
        50,
    )


async def test_only_a_county_admin_of_the_teachers_county_records_external_hours(
    api: Api,
) -> None:
    scene = await make_scene(api)
    _, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    enrollment = await scene.trainee(workshop, batch, "李老师")
    other = await make_admin("other", Role.COUNTY_ADMIN, region=scene.org.other_county)
    upload = await api.client.post(
        "/uploads",
        files={"file": ("证明.pdf", b"%PDF-1.4 proof", "application/pdf")},
        headers=api.headers(other),
    )
    variables = {
        "input": {
            "teacherId": gid(await Person.get(id=enrollment.teacher_id)),
            "year": "2012学年",
            "title": "县级统筹培训",
            "hours": 10,
            "evidenceId": upload.json()["id"],
        }
    }

    outside = await api.data(RECORD_EXTERNAL, variables, as_=other)
    by_city = await api.gql(
        RECORD_EXTERNAL,
        variables,
        as_=await make_admin("city", Role.CITY_ADMIN, region=scene.org.city),
    )
    anonymous = await api.gql(RECORD_EXTERNAL, variables, as_=None)
    not_own_evidence = await api.data(RECORD_EXTERNAL, variables, as_=scene.county)

    assert outside["recordExternalHours"] == refused(
        "externalHours", "NOT_FOUND", "找不到该教师，或不在你的管辖范围内", "teacherId"
    )
    assert error_codes(by_city) == ["FORBIDDEN"]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert not_own_evidence["recordExternalHours"] == refused(
        "externalHours", "NOT_FOUND", "找不到该证明材料（须为本人上传）", "evidenceId"
    )
    assert not await ExternalHours.exists()
