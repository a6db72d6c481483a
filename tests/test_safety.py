"""Safety defaults over HTTP: every limit answers with its own code, bugs are masked, GraphiQL and
introspection only in development mode, and settings refuse what they cannot use."""

import inspect
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from lms_plugin import settings as settings_module
from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.programs import use_cases as program_use_cases
from lms_plugin.settings import DEV_JWT_SECRET, Settings, SettingsError
from lms_plugin.storage.enums import Role

from .api import Api
from .conftest import TEST_DATA_KEYS
from .factories import make_admin, make_person, reference_program

Serve = Callable[[Settings], AbstractAsyncContextManager[httpx.AsyncClient]]

UNAUTHENTICATED_PROGRAMS = {
    "message": "未登录或登录已失效",
    "locations": [{"line": 1, "column": 3}],
    "path": ["programs"],
    "extensions": {"code": "UNAUTHENTICATED"},
}


@pytest.fixture
def serve(clock: FixedClock) -> Serve:
    """A client of an app built with other settings (same clock; the database of `db` if used)."""

    @asynccontextmanager
    async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings, clock=clock, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as c:
            yield c

    return client


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    body.pop("extensions", None)  # the cost (test_cost.py)
    return body


def _nested(levels: int) -> str:
    """`{ programs { nodes { batches { program { batches … { id } } } } } }`, `levels` deep."""
    names = ["programs", "nodes"] + ["batches", "program"] * levels
    selection = "id"
    for name in reversed(names[:levels]):
        selection = f"{name} {{ {selection} }}"
    return f"{{ {selection} }}"


# --- limits ------------------------------------------------------------------------------------


async def test_twelve_levels_pass_the_depth_limit_and_thirteen_are_refused(
    settings: Settings, serve: Serve
) -> None:
    assert settings.max_query_depth == 12
    # Far too costly as well (test_cost.py): lift the budget to see the depth limit alone.
    uncosted = replace(settings, max_query_cost=10**9, rate_limit_points_per_minute=10**9)
    async with serve(uncosted) as client:
        # Twelve levels reach execution (and nobody is signed in); thirteen are never executed.
        assert await _post(client, _nested(12)) == {
            "data": None,
            "errors": [UNAUTHENTICATED_PROGRAMS],
        }
        assert await _post(client, _nested(13)) == {
            "data": None,
            "errors": [
                {
                    "message": "'anonymous' exceeds maximum operation depth of 12",
                    "locations": [{"line": 1, "column": 132}],
                    "extensions": {"code": "QUERY_TOO_DEEP"},
                }
            ],
        }


def _tokens(count: int) -> str:
    """A document of exactly `count` lexical tokens (each spread is two: `...` and `F`)."""
    spreads = (count - 10) // 2
    document = "{ __typename" + " ...F" * spreads + " } fragment F on Query { __typename }"
    return document + (" __typename" if count % 2 else "")


async def test_two_thousand_tokens_pass_and_one_more_is_refused(
    settings: Settings, serve: Serve
) -> None:
    assert settings.max_query_tokens == 2000
    async with serve(settings) as client:
        assert await _post(client, _tokens(2000)) == {"data": {"__typename": "Query"}}
        body = await _post(client, _tokens(2001))
    assert body["data"] is None
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (
            "Syntax Error: Document contains more than 2000 tokens. Parsing aborted.",
            {"code": "TOO_MANY_TOKENS"},
        )
    ]


def _aliases(count: int) -> str:
    return "{ " + " ".join(f"a{n}: __typename" for n in range(count)) + " }"


async def test_twenty_aliases_pass_and_twenty_one_are_refused(
    settings: Settings, serve: Serve
) -> None:
    assert settings.max_aliases == 20
    async with serve(settings) as client:
        assert await _post(client, _aliases(20)) == {"data": {f"a{n}": "Query" for n in range(20)}}
        assert await _post(client, _aliases(21)) == {
            "data": None,
            "errors": [
                {
                    "message": "21 aliases found. Allowed: 20",
                    "extensions": {"code": "TOO_MANY_ALIASES"},
                }
            ],
        }


TOO_LARGE = {"errors": [{"message": "请求体过大", "extensions": {"code": "REQUEST_TOO_LARGE"}}]}


def _body_of(size: int) -> bytes:
    """A valid JSON request of exactly `size` bytes (padded with trailing whitespace)."""
    body = b'{"query": "{ __typename }"}'
    return body + b" " * (size - len(body))


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 100):
        yield body[start : start + 100]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_the_body_cap_is_inclusive_and_one_byte_more_is_413(
    settings: Settings, serve: Serve, chunked: bool
) -> None:
    """The cap holds for a declared Content-Length and for a chunked body that declares none."""
    cap = 1024
    headers = {"content-type": "application/json"}
    async with serve(replace(settings, max_body_bytes=cap)) as client:
        for size, status, expected in (
            (cap, 200, {"data": {"__typename": "Query"}}),
            (cap + 1, 413, TOO_LARGE),
        ):
            content = _chunks(_body_of(size)) if chunked else _body_of(size)
            response = await client.post("/graphql", content=content, headers=headers)
            sent = response.request.headers
            assert ("content-length" not in sent) is chunked
            body = response.json()
            body.pop("extensions", None)  # the cost (test_cost.py)
            assert (response.status_code, body) == (status, expected)


def test_the_default_body_cap_is_256_kib() -> None:
    assert Settings().max_body_bytes == 256 * 1024


PROGRAMS_PAGE = (
    "query ($first: Int!, $after: String) { programs(first: $first, after: $after) { totalCount } }"
)


def _bad_page(message: str) -> dict[str, Any]:
    return {
        "data": None,
        "errors": [
            {
                "message": message,
                "locations": [{"line": 1, "column": 40}],
                "path": ["programs"],
                "extensions": {"code": "BAD_PAGE_REQUEST"},
            }
        ],
    }


@pytest.mark.parametrize("first", [-1, 0, 101])
async def test_page_sizes_outside_one_to_a_hundred_are_refused(api: Api, first: int) -> None:
    teacher = await make_person("t1")
    body = await api.gql(PROGRAMS_PAGE, {"first": first}, as_=teacher)
    assert body == _bad_page("first 必须在 1 到 100 之间")


@pytest.mark.parametrize("first", [1, 100])
async def test_page_sizes_of_one_and_a_hundred_are_accepted(api: Api, first: int) -> None:
    await reference_program()
    teacher = await make_person("t1")
    data = await api.data(PROGRAMS_PAGE, {"first": first}, as_=teacher)
    assert data == {"programs": {"totalCount": 1}}


@pytest.mark.parametrize(
    "after",
    ["not a cursor", "Y3Vyc29yOng=", "UHJvZ3JhbTox", ""],
    ids=["not-base64", "cursor-without-number", "an-object-id", "empty"],
)
async def test_malformed_cursors_are_refused(api: Api, after: str) -> None:
    teacher = await make_person("t1")
    body = await api.gql(PROGRAMS_PAGE, {"first": 5, "after": after}, as_=teacher)
    assert body == _bad_page("after 游标无效")


async def test_a_syntax_error_is_graphql_parse_failed(api: Api) -> None:
    body = await api.gql("{ programs(first: 1) { totalCount }", as_=None)
    assert body == {
        "data": None,
        "errors": [
            {
                "message": "Syntax Error: Expected Name, found <EOF>.",
                "locations": [{"line": 1, "column": 36}],
                "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
            }
        ],
    }


async def test_an_unknown_field_is_graphql_validation_failed(api: Api) -> None:
    body = await api.gql("{ zzzUnknownField }", as_=None)
    assert body == {
        "data": None,
        "errors": [
            {
                "message": "Cannot query field 'zzzUnknownField' on type 'Query'.",
                "locations": [{"line": 1, "column": 3}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ],
    }


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"first": "ten"},
            "Variable '$first' has invalid value: Int cannot represent non-integer value: 'ten'",
        ),
        (
            {},
            "Variable '$first' has invalid value: "
            "Expected a value of non-null type 'Int!' to be provided.",
        ),
        (
            {"first": None},
            "Variable '$first' has invalid value: "
            "Expected value of non-null type 'Int!' not to be None.",
        ),
    ],
    ids=["wrong-type", "missing", "null"],
)
async def test_bad_variables_are_bad_user_input(
    api: Api, variables: dict[str, Any], message: str
) -> None:
    body = await api.gql(PROGRAMS_PAGE, variables, as_=None)
    assert body == {
        "data": None,
        "errors": [
            {
                "message": message,
                "locations": [{"line": 1, "column": 8}],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
    }


async def test_a_misused_variable_is_a_validation_error_not_bad_input(api: Api) -> None:
    body = await api.gql("query ($n: String) { programs(first: $n) { totalCount } }", as_=None)
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (
            "Variable '$n' of type 'String' used in position expecting type 'Int!'.",
            {"code": "GRAPHQL_VALIDATION_FAILED"},
        )
    ]


NUL_REFUSED = {
    "data": None,
    "errors": [{"message": "输入不能包含空字符 U+0000", "extensions": {"code": "BAD_USER_INPUT"}}],
}


@pytest.mark.parametrize("where", ["variable", "literal"])
async def test_text_with_a_nul_character_is_refused_before_execution(api: Api, where: str) -> None:
    """PostgreSQL cannot store U+0000: refused for every input, on both databases alike."""
    await reference_program()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    batch = {
        "programId": "UHJvZ3JhbTox",
        "number": 9,
        "name": "补充\x00批次",
        "startsOn": "2012-06-20",
        "endsOn": "2012-06-25",
    }
    if where == "variable":
        body = await api.gql(CREATE_BATCH, {"input": batch}, as_=admin)
    else:
        literal = (
            'mutation { createBatch(input: { programId: "UHJvZ3JhbTox", number: 9, '
            'name: "补充\\u0000批次", startsOn: "2012-06-20", endsOn: "2012-06-25" }) '
            "{ batch { id } } }"
        )
        body = await api.gql(literal, as_=admin)
    assert body == NUL_REFUSED
    programs = await api.data("{ programs { nodes { batches { number } } } }", as_=admin)
    assert programs == {"programs": {"nodes": [{"batches": [{"number": n} for n in range(1, 6)]}]}}


async def test_text_without_nul_characters_passes(api: Api) -> None:
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    query = "query ($q: String) { teachers(search: $q) { totalCount } }"
    assert await api.data(query, {"q": "张\n三 \\u0000"}, as_=admin) == {
        "teachers": {"totalCount": 0}
    }


# --- development mode -------------------------------------------------------------------------

INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_and_graphiql_are_off_by_default(
    settings: Settings, serve: Serve
) -> None:
    assert settings.dev_mode is False
    async with serve(settings) as client:
        body = await _post(client, INTROSPECTION)
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert body["data"] is None
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (
            "GraphQL introspection has been disabled, but the requested query contained the "
            f"field {name!r}.",
            {"code": "INTROSPECTION_DISABLED"},
        )
        for name in ("__schema", "queryType")
    ]
    assert page.status_code == 404
    assert "graphiql" not in page.text.lower()


async def test_development_mode_serves_introspection_and_graphiql(
    settings: Settings, serve: Serve
) -> None:
    async with serve(replace(settings, dev_mode=True)) as client:
        body = await _post(client, INTROSPECTION)
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()


# --- bugs are masked ----------------------------------------------------------------------------

# What a careless exception could carry: SQL, a file path, an ID number.
SECRET_DETAIL = (
    "SELECT id_number FROM person WHERE id_number = '36010219800101001X' "
    '(File "/srv/lms/storage/organisation.py", line 42)'
)


class Boom(RuntimeError):
    pass


def _explode(*args: object, **kwargs: object) -> Any:
    raise Boom(SECRET_DETAIL)


CREATE_BATCH = """mutation ($input: CreateBatchInput!) {
  createBatch(input: $input) { batch { id } userErrors { code } }
}"""


@pytest.mark.parametrize("operation", ["query", "mutation"])
async def test_an_unexpected_exception_is_masked_and_logged_with_the_request_id(
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    operation: str,
) -> None:
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    if operation == "query":
        monkeypatch.setattr(program_use_cases, "programs_visible", _explode)
        query, variables, column, field = "{ programs { totalCount } }", {}, 3, "programs"
    else:
        # The mutation holds its use case since import: break a step inside it.
        monkeypatch.setattr(program_use_cases, "in_transaction", _explode)
        batch = {
            "programId": "UHJvZ3JhbTox",
            "number": 9,
            "name": "补充批次",
            "startsOn": "2012-06-20",
            "endsOn": "2012-06-25",
        }
        query, variables, column, field = CREATE_BATCH, {"input": batch}, 3, "createBatch"
    caplog.set_level(logging.ERROR, logger="lms_plugin.errors")

    response = await api.post(query, variables, as_=admin)

    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert response.status_code == 200
    assert api.without_extensions(response.json()) == {
        "data": None,
        "errors": [
            {
                "message": "服务器内部错误",
                "locations": [{"line": 1 if operation == "query" else 2, "column": column}],
                "path": [field],
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            }
        ],
    }
    for leak in ("SELECT", "id_number", "36010219800101001X", ".py", "/srv", "Traceback", "Boom"):
        assert leak not in response.text
    [record] = [r for r in caplog.records if r.name == "lms_plugin.errors"]
    assert record.getMessage() == f"unexpected error in {field} (request {request_id})"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], Boom)
    assert "Traceback" in caplog.text
    assert SECRET_DETAIL in caplog.text


async def test_every_response_has_its_own_request_id(api: Api) -> None:
    first = await api.post("{ __typename }", as_=None)
    second = await api.post("{ __typename }", as_=None)
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2


# --- settings ----------------------------------------------------------------------------------


def test_the_secret_is_required_outside_development_mode() -> None:
    with pytest.raises(
        SettingsError, match="LMS_JWT_SECRET or LMS_JWKS_URL is required outside development"
    ):
        Settings().checked()
    with pytest.raises(SettingsError, match="LMS_JWT_SECRET or LMS_JWKS_URL is required"):
        create_app(Settings())


def test_development_mode_falls_back_to_the_built_in_secret() -> None:
    assert Settings(dev_mode=True).checked().jwt_secret == DEV_JWT_SECRET


@pytest.mark.parametrize("dev_mode", [False, True])
def test_the_secret_needs_at_least_32_characters(dev_mode: bool) -> None:
    keys = TEST_DATA_KEYS
    assert Settings(jwt_secret="s" * 32, dev_mode=dev_mode, **keys).checked().jwt_secret == "s" * 32
    with pytest.raises(SettingsError, match="at least 32 characters"):
        Settings(jwt_secret="s" * 31, dev_mode=dev_mode, **keys).checked()


# Every LMS_* variable: a good value, the setting it gives, and a bad value (None: any text goes).
ENV: dict[str, tuple[str, str, object, str | None]] = {
    "LMS_DATABASE_URL": (
        "postgres://lms@db:5432/lms",
        "database_url",
        "postgres://lms@db:5432/lms",
        None,
    ),
    "LMS_DEV_MODE": ("on", "dev_mode", True, "maybe"),
    "LMS_JWT_SECRET": ("k" * 40, "jwt_secret", "k" * 40, None),
    # The key ring is read as text here; `checked()` parses it (test_personal_data.py).
    "LMS_DATA_KEYS": ("k1=" + "A" * 44, "data_keys", "k1=" + "A" * 44, None),
    "LMS_DATA_KEY_ID": ("k1", "data_key_id", "k1", None),
    "LMS_DATA_HASH_KEY": ("B" * 44, "data_hash_key", "B" * 44, None),
    "LMS_JWT_ISSUER": ("teacher-system", "jwt_issuer", "teacher-system", None),
    "LMS_JWT_AUDIENCE": ("workshops", "jwt_audience", "workshops", None),
    "LMS_JWT_MAX_LIFETIME_SECONDS": ("3600", "jwt_max_lifetime_seconds", 3600, "12h"),
    "LMS_JWKS_URL": (
        "https://host.example/.well-known/jwks.json",
        "jwks_url",
        "https://host.example/.well-known/jwks.json",
        "host.example/jwks.json",
    ),
    "LMS_JWKS_MAX_AGE_SECONDS": ("600", "jwks_max_age_seconds", 600, "5m"),
    "LMS_MAX_QUERY_DEPTH": ("8", "max_query_depth", 8, "deep"),
    "LMS_MAX_QUERY_TOKENS": ("5000", "max_query_tokens", 5000, "5k"),
    "LMS_MAX_ALIASES": ("5", "max_aliases", 5, "five"),
    "LMS_MAX_BODY_BYTES": ("65536", "max_body_bytes", 65536, "64KB"),
    "LMS_DB_POOL_SIZE": ("7", "db_pool_size", 7, "7.5"),
    "LMS_VIEWER_CACHE_SECONDS": ("0", "viewer_cache_seconds", 0, "1m"),
    "LMS_DB_STATEMENT_CACHE_SIZE": ("0", "db_statement_cache_size", 0, "-1"),
    "LMS_UPLOAD_DIR": ("/srv/lms/uploads", "upload_dir", Path("/srv/lms/uploads"), None),
    "LMS_UPLOAD_MAX_BYTES": ("1048576", "upload_max_bytes", 1048576, "1MB"),
    "LMS_SHEET_UPLOAD_MAX_BYTES": ("104857600", "sheet_upload_max_bytes", 104857600, "100MB"),
    "LMS_UPLOAD_QUOTA_FILES": ("20", "upload_quota_files", 20, "many"),
    "LMS_UPLOAD_QUOTA_BYTES": ("52428800", "upload_quota_bytes", 52428800, "50MB"),
    "LMS_UPLOAD_UNATTACHED_HOURS": ("48", "upload_unattached_hours", 48, "2d"),
    "LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS": ("0", "upload_cleanup_interval_seconds", 0, "-1"),
    "LMS_RESULTS_INTERVAL_SECONDS": ("0", "results_interval_seconds", 0, "5m"),
    "LMS_TIME_ZONE": ("Asia/Urumqi", "time_zone", "Asia/Urumqi", "Asia"),
    "LMS_PROVISION_ON_SIGN_IN": ("1", "provision_on_sign_in", True, "maybe"),
    "LMS_MAX_QUERY_COST": ("500", "max_query_cost", 500, "cheap"),
    "LMS_RATE_LIMIT_POINTS_PER_MINUTE": ("9000", "rate_limit_points_per_minute", 9000, "9k"),
    "LMS_RATE_LIMIT_HEARTBEATS_PER_MINUTE": ("4", "rate_limit_heartbeats_per_minute", 4, "x"),
    "LMS_RATE_LIMIT_VERIFICATIONS_PER_MINUTE": (
        "3",
        "rate_limit_verifications_per_minute",
        3,
        "x",
    ),
    "LMS_REDIS_URL": (
        "redis://cache:6379/2",
        "redis_url",
        "redis://cache:6379/2",
        "cache:6379",
    ),
}


def test_every_lms_variable_read_by_the_settings_is_tested_here() -> None:
    read = set(re.findall(r"\"(LMS_[A-Z0-9_]+)\"", inspect.getsource(settings_module)))
    assert read == set(ENV), "add new LMS_* variables to ENV in tests/test_safety.py"


@pytest.mark.parametrize("name", sorted(ENV))
def test_each_lms_variable_parses(name: str) -> None:
    value, attribute, expected, bad = ENV[name]
    assert getattr(Settings.from_env({name: value}), attribute) == expected
    # Unset or empty: the default.
    assert Settings.from_env({name: ""}) == Settings.from_env({}) == Settings()
    if bad is not None:
        with pytest.raises(SettingsError, match=f"^{name} must be"):
            Settings.from_env({name: bad})


# Numbers where 0 switches something off.
MAY_BE_ZERO = {
    "LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS",
    "LMS_RESULTS_INTERVAL_SECONDS",
    "LMS_VIEWER_CACHE_SECONDS",
    "LMS_DB_STATEMENT_CACHE_SIZE",
}


@pytest.mark.parametrize(
    "name", sorted(n for n, (_, _, e, _) in ENV.items() if type(e) is int and n not in MAY_BE_ZERO)
)
@pytest.mark.parametrize("number", ["0", "-3"])
def test_numbers_must_be_positive(name: str, number: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name} must be at least 1, got {number}$"):
        Settings.from_env({name: number})


@pytest.mark.parametrize("name", sorted(MAY_BE_ZERO))
def test_numbers_that_switch_off_at_zero_must_not_be_negative(name: str) -> None:
    assert getattr(Settings.from_env({name: "0"}), ENV[name][1]) == 0
    with pytest.raises(SettingsError, match=f"^{name} must be at least 0, got -3$"):
        Settings.from_env({name: "-3"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), ("yes", True), (" on ", True), ("0", False), ("off", False)],
)
def test_the_development_flag_reads_the_usual_words(value: str, expected: bool) -> None:
    assert Settings.from_env({"LMS_DEV_MODE": value}).dev_mode is expected


async def test_expected_errors_log_nothing_and_a_bug_is_logged_once(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    caplog.set_level(logging.ERROR)

    await api.post("{ viewer { person { realName } } }", as_=None)
    await api.post("{ programs(first: 0) { totalCount } }", as_=admin)
    quiet = [r.name for r in caplog.records if r.levelno >= logging.ERROR]
    monkeypatch.setattr(program_use_cases, "programs_visible", _explode)
    await api.post("{ programs { totalCount } }", as_=admin)
    loud = [r.name for r in caplog.records if r.levelno >= logging.ERROR]

    assert (quiet, loud) == ([], ["lms_plugin.errors"])
