"""Identity: only a token the host signed for this plugin, unexpired by the plugin's clock, naming
a person the plugin knows, signs a request in; a valid token for a user name the plugin does not
know is UNKNOWN_USER, anything else UNAUTHENTICATED."""

import base64
import datetime as dt
import json
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning

from lms_plugin import http as http_module
from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import Role

from .api import Api
from .factories import make_admin, make_person

PROTECTED = "{ programs(first: 1) { totalCount } }"
SIGNED_IN = {"data": {"programs": {"totalCount": 0}}}
REFUSED = {
    "data": None,
    "errors": [
        {
            "message": "未登录或登录已失效",
            "locations": [{"line": 1, "column": 3}],
            "path": ["programs"],
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ],
}
OTHER_SECRET = "another-host-secret-that-is-long-enough-0123"
DROP = object()  # a claim left out of the token


def claims(settings: Settings, now: dt.datetime, **changes: object) -> dict[str, Any]:
    """The claims of a valid token for the user `teacher`, with `changes` (DROP removes one)."""
    at = int(now.timestamp())
    values: dict[str, Any] = {
        "sub": "teacher",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": at,
        "exp": at + 3600,
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not DROP}


def signed(settings: Settings, now: dt.datetime, **changes: object) -> str:
    return jwt.encode(claims(settings, now, **changes), settings.jwt_secret, algorithm="HS256")


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(settings: Settings, now: dt.datetime) -> str:
    """`alg: none`: claims that would be valid, and no signature at all."""
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims(settings, now))}."


def hs512(settings: Settings, now: dt.datetime) -> str:
    """Signed with the plugin's own secret, but not with the one algorithm it accepts."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)  # short for SHA-512
        return jwt.encode(claims(settings, now), settings.jwt_secret, algorithm="HS512")


Header = Callable[[Settings, dt.datetime], str]

BAD_HEADERS: dict[str, Header] = {
    "basic-scheme": lambda s, now: "Basic dGVhY2hlcjpzZWNyZXQ=",
    "bearer-without-token": lambda s, now: "Bearer ",
    "token-without-scheme": lambda s, now: signed(s, now),
    "other-scheme": lambda s, now: f"Token {signed(s, now)}",
    "not-a-jwt": lambda s, now: "Bearer not-a-jwt",
    "garbled-signature": lambda s, now: f"Bearer {signed(s, now)[:-4]}AAAA",
    "other-secret": lambda s, now: (
        "Bearer " + jwt.encode(claims(s, now), OTHER_SECRET, algorithm="HS256")
    ),
    "alg-none": lambda s, now: f"Bearer {unsigned(s, now)}",
    "hs512-instead-of-hs256": lambda s, now: f"Bearer {hs512(s, now)}",
    "wrong-issuer": lambda s, now: f"Bearer {signed(s, now, iss='another-host')}",
    "wrong-audience": lambda s, now: f"Bearer {signed(s, now, aud='another-plugin')}",
    "no-subject": lambda s, now: f"Bearer {signed(s, now, sub=DROP)}",
    "empty-subject": lambda s, now: f"Bearer {signed(s, now, sub='')}",
    "subject-not-a-string": lambda s, now: f"Bearer {signed(s, now, sub=42)}",
    "no-expiry": lambda s, now: f"Bearer {signed(s, now, exp=DROP)}",
    "expiry-not-a-number": lambda s, now: f"Bearer {signed(s, now, exp='tomorrow')}",
    "no-issued-at": lambda s, now: f"Bearer {signed(s, now, iat=DROP)}",
    "not-before-in-the-future": lambda s, now: (
        "Bearer " + signed(s, now, nbf=int(now.timestamp()) + 60)
    ),
    # A host's clock may run a minute ahead, not more.
    "issued-in-the-future": lambda s, now: (
        "Bearer " + signed(s, now, iat=int(now.timestamp()) + 61, exp=int(now.timestamp()) + 3600)
    ),
    # 12 hours and a second (LMS_JWT_MAX_LIFETIME_SECONDS is 12 hours by default).
    "lifetime-over-the-maximum": lambda s, now: (
        "Bearer " + signed(s, now, exp=int(now.timestamp()) + 12 * 3600 + 1)
    ),
    "lifetime-over-the-maximum-issued-long-ago": lambda s, now: (
        "Bearer "
        + signed(s, now, iat=int(now.timestamp()) - 30 * 86400, exp=int(now.timestamp()) + 60)
    ),
}


async def test_no_token_is_unauthenticated(api: Api) -> None:
    await make_person("teacher")
    assert await api.gql(PROTECTED, as_=None) == REFUSED


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
async def test_a_bad_token_is_unauthenticated(api: Api, settings: Settings, case: str) -> None:
    await make_person("teacher")
    header = BAD_HEADERS[case](settings, api.clock.now())

    response = await api.client.post(
        "/graphql", json={"query": PROTECTED}, headers={"Authorization": header}
    )

    assert (response.status_code, api.without_extensions(response.json())) == (200, REFUSED)


async def test_a_valid_token_for_an_unknown_user_says_so_with_its_own_code(
    api: Api, settings: Settings
) -> None:
    await make_person("teacher")
    header = f"Bearer {signed(settings, api.clock.now(), sub='nobody-here')}"

    response = await api.client.post(
        "/graphql", json={"query": PROTECTED}, headers={"Authorization": header}
    )
    upload = await api.client.post(
        "/uploads", files={"file": ("a.txt", b"x")}, headers={"Authorization": header}
    )

    assert (response.status_code, api.without_extensions(response.json())) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "登录有效，但本平台没有该用户：请管理员先登记此用户名",
                    "locations": [{"line": 1, "column": 3}],
                    "path": ["programs"],
                    "extensions": {"code": "UNKNOWN_USER"},
                }
            ],
        },
    )
    assert (upload.status_code, upload.json()["errors"][0]["extensions"]["code"]) == (
        401,
        "UNKNOWN_USER",
    )


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
async def test_a_valid_token_signs_in(api: Api, settings: Settings, scheme: str) -> None:
    await make_person("teacher")
    token = signed(settings, api.clock.now())

    response = await api.client.post(
        "/graphql", json={"query": PROTECTED}, headers={"Authorization": f"{scheme} {token}"}
    )

    assert (response.status_code, api.without_extensions(response.json())) == (200, SIGNED_IN)


@pytest.mark.parametrize(
    ("seconds_after_expiry", "expected"),
    [(-1, SIGNED_IN), (0, REFUSED), (1, REFUSED)],
    ids=["a-second-before", "at-expiry", "a-second-after"],
)
async def test_expiry_is_judged_by_the_plugin_clock(
    api: Api, settings: Settings, clock: FixedClock, seconds_after_expiry: int, expected: Any
) -> None:
    """The fixed clock is in 2012: PyJWT's own clock (now) would call every such token expired."""
    await make_person("teacher")
    issued = clock.now()
    expires = issued + dt.timedelta(hours=2)
    token = signed(settings, issued, exp=int(expires.timestamp()))
    clock.set(expires + dt.timedelta(seconds=seconds_after_expiry))

    response = await api.client.post(
        "/graphql", json={"query": PROTECTED}, headers={"Authorization": f"Bearer {token}"}
    )

    assert api.without_extensions(response.json()) == expected


async def test_not_before_is_judged_by_the_plugin_clock(
    api: Api, settings: Settings, clock: FixedClock
) -> None:
    await make_person("teacher")
    starts = int(clock.now().timestamp()) + 60
    token = signed(settings, clock.now(), nbf=starts)
    headers = {"Authorization": f"Bearer {token}"}

    clock.advance(seconds=59)
    early = await api.client.post("/graphql", json={"query": PROTECTED}, headers=headers)
    clock.advance(seconds=1)
    on_time = await api.client.post("/graphql", json={"query": PROTECTED}, headers=headers)

    bodies = [api.without_extensions(response.json()) for response in (early, on_time)]
    assert bodies == [REFUSED, SIGNED_IN]


CREATE_BATCH = """
mutation ($input: CreateBatchInput!) {
  createBatch(input: $input) { batch { id } userErrors { code } }
}"""


@pytest.mark.parametrize(
    ("who", "code", "message"),
    [
        ("teacher", "FORBIDDEN", "没有权限执行此操作"),
        ("county_admin", "FORBIDDEN", "没有权限执行此操作"),
        ("nobody", "UNAUTHENTICATED", "未登录或登录已失效"),
    ],
    ids=["teacher", "county-admin", "nobody"],
)
async def test_an_action_outside_ones_role_is_forbidden(
    api: Api, who: str, code: str, message: str
) -> None:
    caller = {
        "teacher": await make_person("teacher"),
        "county_admin": await make_admin("county", Role.COUNTY_ADMIN),
        "nobody": None,
    }[who]
    batch = {
        "programId": "UHJvZ3JhbTox",
        "number": 9,
        "name": "补充批次",
        "startsOn": "2012-06-20",
        "endsOn": "2012-06-25",
    }

    body = await api.gql(CREATE_BATCH, {"input": batch}, as_=caller)

    assert body == {
        "data": None,
        "errors": [
            {
                "message": message,
                "locations": [{"line": 3, "column": 3}],
                "path": ["createBatch"],
                "extensions": {"code": code},
            }
        ],
    }


@pytest.mark.parametrize(
    ("iat", "exp"),
    [(60, 3600), (0, 12 * 3600), (-3600, 11 * 3600)],
    ids=["issued-a-minute-ahead", "twelve-hours", "twelve-hours-issued-an-hour-ago"],
)
async def test_a_token_within_the_leeway_and_the_maximum_lifetime_signs_in(
    api: Api, settings: Settings, iat: int, exp: int
) -> None:
    await make_person("teacher")
    at = int(api.clock.now().timestamp())
    token = signed(settings, api.clock.now(), iat=at + iat, exp=at + exp)

    response = await api.client.post(
        "/graphql", json={"query": PROTECTED}, headers={"Authorization": f"Bearer {token}"}
    )

    assert (response.status_code, api.without_extensions(response.json())) == (200, SIGNED_IN)


async def test_the_maximum_lifetime_is_a_setting(
    db: str, settings: Settings, clock: FixedClock
) -> None:
    await make_person("teacher")
    shorter = replace(settings, jwt_max_lifetime_seconds=3600)
    app = create_app(shorter, clock=clock, manage_database=False)
    now = clock.now()
    at = int(now.timestamp())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://lms.test"
    ) as client:
        answers = [
            (
                await client.post(
                    "/graphql",
                    json={"query": PROTECTED},
                    headers={"Authorization": f"Bearer {signed(settings, now, exp=at + life)}"},
                )
            ).json()
            for life in (3600, 3601)
        ]
    bodies = [{k: v for k, v in answer.items() if k != "extensions"} for answer in answers]
    assert bodies == [SIGNED_IN, REFUSED]


HEADER_TOO_LARGE = {
    "errors": [
        {
            "message": "请求头 Authorization 过大（不超过 8 KiB）",
            "extensions": {"code": "REQUEST_HEADER_TOO_LARGE"},
        }
    ]
}


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/graphql"), ("POST", "/uploads"), ("GET", "/uploads/QXR0YWNobWVudDox")],
)
async def test_an_authorization_header_over_8_kib_is_431_before_any_decoding(
    api: Api, monkeypatch: pytest.MonkeyPatch, method: str, path: str
) -> None:
    async def never(*args: object) -> str:
        raise AssertionError("the token must not be decoded")

    monkeypatch.setattr(http_module.TokenVerifier, "claims", never)
    header = "Bearer " + "a" * (8 * 1024 - len("Bearer ") + 1)
    assert len(header) == 8 * 1024 + 1

    response = await api.client.request(
        method, path, json={"query": PROTECTED}, headers={"Authorization": header}
    )

    assert (response.status_code, response.json()) == (431, HEADER_TOO_LARGE)


async def test_an_authorization_header_of_8_kib_is_read(api: Api) -> None:
    header = "Bearer " + "a" * (8 * 1024 - len("Bearer "))
    response = await api.client.post(
        "/graphql", json={"query": PROTECTED}, headers={"Authorization": header}
    )
    assert (response.status_code, api.without_extensions(response.json())) == (200, REFUSED)
