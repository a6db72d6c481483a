"""Programs and batches over HTTP: R2 at the edges, and who may change them."""

from typing import Any

import pytest

from lms_plugin.storage.enums import Role

from .api import Api
from .factories import make_admin, make_org, make_person, reference_program

CREATE_BATCH = """
mutation ($input: CreateBatchInput!) {
  createBatch(input: $input) {
    batch { number name studyDays subjects { stage subject }
            window { startsOn endsOn opensAt closesAt state } }
    userErrors { code field message }
  }
}"""


async def _program_id(api: Api, admin: Any) -> str:
    data = await api.data("{ programs(first: 5) { nodes { id } } }", as_=admin)
    program_id: str = data["programs"]["nodes"][0]["id"]
    return program_id


def _batch_input(program_id: str, starts_on: str, ends_on: str) -> dict[str, Any]:
    return {
        "input": {
            "programId": program_id,
            "number": 9,
            "name": "补充批次",
            "startsOn": starts_on,
            "endsOn": ends_on,
            "subjects": [{"stage": "VOCATIONAL", "subject": "机械"}],
        }
    }


async def test_batch_of_ten_study_days_across_may_day_is_accepted(api: Api) -> None:
    await reference_program()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    program_id = await _program_id(api, admin)

    # 4/27–5/9 is 13 calendar days; May Day 4/29–5/1 leaves 10 study days (R2).
    data = await api.data(
        CREATE_BATCH, _batch_input(program_id, "2012-04-27", "2012-05-09"), as_=admin
    )

    assert data == {
        "createBatch": {
            "batch": {
                "number": 9,
                "name": "补充批次",
                "studyDays": 10,
                "subjects": [{"stage": "VOCATIONAL", "subject": "机械"}],
                "window": {
                    "startsOn": "2012-04-27",
                    "endsOn": "2012-05-09",
                    "opensAt": "2012-04-27T00:00:00+08:00",
                    "closesAt": "2012-05-10T00:00:00+08:00",
                    "state": "NOT_OPEN",
                },
            },
            "userErrors": [],
        }
    }


async def test_batch_of_eleven_study_days_is_refused_and_nothing_is_written(api: Api) -> None:
    await reference_program()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    program_id = await _program_id(api, admin)

    data = await api.data(
        CREATE_BATCH, _batch_input(program_id, "2012-04-27", "2012-05-10"), as_=admin
    )

    assert data == {
        "createBatch": {
            "batch": None,
            "userErrors": [
                {
                    "code": "BATCH_TOO_LONG",
                    "field": ["input", "endsOn"],
                    "message": "每批研修时间不超过10个学习日（扣除节假日），此批为11天",
                }
            ],
        }
    }
    programs = await api.data("{ programs(first: 1) { nodes { batches { number } } } }", as_=admin)
    assert programs["programs"]["nodes"][0]["batches"] == [{"number": n} for n in range(1, 6)]


@pytest.mark.parametrize("who", ["county_admin", "teacher", "nobody"])
async def test_only_a_province_admin_creates_batches(api: Api, who: str) -> None:
    await reference_program()
    org = await make_org()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    program_id = await _program_id(api, admin)
    caller = {
        "county_admin": await make_admin("county", Role.COUNTY_ADMIN, region=org.county),
        "teacher": await make_person("t1", school=org.school),
        "nobody": None,
    }[who]

    body = await api.gql(
        CREATE_BATCH, _batch_input(program_id, "2012-06-20", "2012-06-25"), as_=caller
    )

    expected = "UNAUTHENTICATED" if caller is None else "FORBIDDEN"
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [expected]


CREATE_PROGRAM = """
mutation ($input: CreateProgramInput!) {
  createProgram(input: $input) { program { name } userErrors { code field message } }
}"""


@pytest.mark.parametrize("opens_at", ["09:00:00+08:00", "09:00:30"])
async def test_daily_registration_hours_are_plain_minutes(api: Api, opens_at: str) -> None:
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    program = {
        "name": "2013学年",
        "year": "2013",
        "registrationStartsOn": "2013-04-20",
        "registrationEndsOn": "2013-04-25",
    }

    refused = await api.data(
        CREATE_PROGRAM, {"input": {**program, "registrationOpensAt": opens_at}}, as_=admin
    )
    accepted = await api.data(
        CREATE_PROGRAM, {"input": {**program, "registrationOpensAt": "08:30"}}, as_=admin
    )

    assert refused == {
        "createProgram": {
            "program": None,
            "userErrors": [
                {
                    "code": "INVALID_INPUT",
                    "field": ["input", "registrationOpensAt"],
                    "message": "请填写当地时间（时:分），不带时区和秒",
                }
            ],
        }
    }
    assert accepted == {"createProgram": {"program": {"name": "2013学年"}, "userErrors": []}}


@pytest.mark.parametrize("length", [128, 129])
async def test_a_name_longer_than_its_column_is_refused_with_its_field(
    api: Api, length: int
) -> None:
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    name = "项" * length
    program = {
        "name": name,
        "year": "2013",
        "registrationStartsOn": "2013-04-20",
        "registrationEndsOn": "2013-04-25",
    }

    data = await api.data(CREATE_PROGRAM, {"input": program}, as_=admin)

    if length == 128:
        assert data == {"createProgram": {"program": {"name": name}, "userErrors": []}}
    else:
        assert data == {
            "createProgram": {
                "program": None,
                "userErrors": [
                    {
                        "code": "INVALID_INPUT",
                        "field": ["input", "name"],
                        "message": "内容过长：不超过128个字",
                    }
                ],
            }
        }
        assert await api.data("{ programs(first: 5) { nodes { name } } }", as_=admin) == {
            "programs": {"nodes": []}
        }


@pytest.mark.parametrize("time_zone", ["Asia", "Asia/Nowhere", "A" * 300, "Asia/Shanghai"])
async def test_a_time_zone_must_name_a_zone(api: Api, time_zone: str) -> None:
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    program = {
        "name": "2013学年",
        "year": "2013",
        "timeZone": time_zone,
        "registrationStartsOn": "2013-04-20",
        "registrationEndsOn": "2013-04-25",
    }

    data = await api.data(CREATE_PROGRAM, {"input": program}, as_=admin)

    if time_zone == "Asia/Shanghai":
        assert data == {"createProgram": {"program": {"name": "2013学年"}, "userErrors": []}}
    else:
        assert data == {
            "createProgram": {
                "program": None,
                "userErrors": [
                    {
                        "code": "INVALID_INPUT",
                        "field": ["input", "timeZone"],
                        "message": "无效的时区",
                    }
                ],
            }
        }
