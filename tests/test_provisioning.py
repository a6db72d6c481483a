"""First sign-in provisioning (issue 9, `LMS_PROVISION_ON_SIGN_IN`): a valid token for an unknown
user creates the person from its claims, checked like a roster row; bad claims are refused with
codes and create nothing; with the setting off nothing is created."""

import dataclasses
import datetime as dt
from typing import Any

import jwt
import pytest

from lms_plugin.identity import synthetic_id_number
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import Post, Stage, TitleRank, Track
from lms_plugin.storage.models import Person

from .api import Api
from .factories import make_org, make_person

VIEWER = "{ viewer { person { username realName stage subject titleRank school { code } } } }"
ID_NUMBER = synthetic_id_number("360102", "19850615", 901)
CLAIMS = {
    "name": "新 教师",
    "id_number": ID_NUMBER,
    "mobile": "13912345678",
    "school_code": "3601020001",
    "stage": "初中",
    "subject": "语文",
    "title_rank": "中学一级",
}


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """Provisioning on, unless a test parametrizes `settings` (indirectly) with False."""
    return dataclasses.replace(settings, provision_on_sign_in=getattr(request, "param", True))


def token(api: Api, subject: str, claims: dict[str, Any]) -> dict[str, str]:
    now = api.clock.now()
    signed = jwt.encode(
        {
            "sub": subject,
            "iss": api.settings.jwt_issuer,
            "aud": api.settings.jwt_audience,
            "iat": int(now.timestamp()),
            "exp": int((now + dt.timedelta(hours=1)).timestamp()),
            **claims,
        },
        api.settings.jwt_secret,
        algorithm="HS256",
    )
    return {"Authorization": f"Bearer {signed}"}


async def ask(api: Api, subject: str, claims: dict[str, Any]) -> Any:
    response = await api.client.post(
        "/graphql", json={"query": VIEWER}, headers=token(api, subject, claims)
    )
    return response.status_code, api.without_extensions(response.json())


SCHOOL_UNKNOWN = "学校代码“0000”不存在，或不在你的管理范围内"
STAGE_UNKNOWN = "学段须为：高中、初中、小学、幼儿园或职业中学"


def claim(name: str, code: str, message: str) -> dict[str, str]:
    return {"claim": name, "code": code, "message": message}


async def test_an_unknown_user_is_created_from_the_claims(api: Api, db: str) -> None:
    await make_org()
    assert await ask(api, "newcomer", CLAIMS) == (
        200,
        {
            "data": {
                "viewer": {
                    "person": {
                        "username": "newcomer",
                        "realName": "新教师",
                        "stage": "JUNIOR",
                        "subject": "语文",
                        "titleRank": "INTERMEDIATE",
                        "school": {"code": "3601020001"},
                    }
                }
            }
        },
    )
    person = await Person.get(username="newcomer")
    assert (person.id_number, person.mobile, person.post, person.track) == (
        ID_NUMBER, "13912345678", Post.TEACHER, Track.NETWORK
    )  # fmt: skip
    assert (person.stage, person.title_rank) == (Stage.JUNIOR, TitleRank.INTERMEDIATE)
    # The second request finds them.
    status, _ = await ask(api, "newcomer", CLAIMS)
    assert status == 200
    assert await Person.filter(username="newcomer").count() == 1


async def test_bad_claims_are_refused_with_codes_and_create_nothing(api: Api, db: str) -> None:
    await make_org()
    bad = CLAIMS | {"id_number": ID_NUMBER[:17] + "0" if ID_NUMBER[17] != "0" else "1"}
    bad |= {"stage": "大学", "school_code": "0000"}
    del bad["mobile"]
    assert await ask(api, "newcomer", bad) == (
        401,
        {
            "errors": [
                {
                    "message": "首次登录无法建档：令牌中的个人信息不符合要求",
                    "extensions": {
                        "code": "INVALID_CLAIMS",
                        "claims": [
                            claim("mobile", "REQUIRED_VALUE", "“手机号码”不能为空"),
                            claim("id_number", "INVALID_ID_NUMBER", "身份证号校验码不正确，请核对"),
                            claim("school_code", "UNKNOWN_SCHOOL", SCHOOL_UNKNOWN),
                            claim("stage", "UNKNOWN_TERM", STAGE_UNKNOWN),
                        ],
                    },
                }
            ]
        },
    )  # fmt: skip
    assert not await Person.exists(username="newcomer")


async def test_an_id_number_of_another_user_is_refused(api: Api, db: str) -> None:
    org = await make_org()
    someone = await make_person("someone", school=org.school)
    claims = CLAIMS | {"id_number": someone.id_number}
    status, body = await ask(api, "newcomer", claims)
    assert (status, body["errors"][0]["extensions"]["claims"]) == (
        401,
        [claim("id_number", "ID_NUMBER_TAKEN", "该身份证号已登记为另一位用户")],
    )


@pytest.mark.parametrize("settings", [False], indirect=True)
async def test_with_the_setting_off_an_unknown_user_is_not_created(api: Api, db: str) -> None:
    assert not api.settings.provision_on_sign_in
    await make_org()
    status, body = await ask(api, "newcomer", CLAIMS)
    assert (status, [e["extensions"]["code"] for e in body["errors"]]) == (
        200,
        ["UNKNOWN_USER"],
    )
    assert not await Person.exists(username="newcomer")
