"""Identity: only a token the host signed for this plugin, unexpired by the plugin's clock, naming
a person the plugin knows, signs a request in; anything else is UNAUTHENTICATED."""

import base64
import datetime as dt
import json
import warnings
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning

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
    "unknown-user": lambda s, now: f"Bearer {signed(s, now, sub='nobody-here')}",
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
