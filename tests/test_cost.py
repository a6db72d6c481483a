"""The cost budget: every operation is costed before execution, refused over the budget with
QUERY_TOO_COSTLY, and every response says what it cost. The stub's and README's documents are
well under the budget."""

import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse, validate

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.cost import LIST_SIZES, operation_cost
from lms_plugin.resolvers.workshops import use_cases as workshop_use_cases
from lms_plugin.schema.build import build_schema
from lms_plugin.settings import Settings

from .api import Api
from .factories import enroll, make_person, make_workshop, reference_program
from .test_stub import _documents

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = build_schema()._schema
BUDGET = Settings().max_query_cost

HOSTILE = (
    "{ workshops(first:100){ nodes { program { batches { program { batches { program { batches "
    "{ program { batches { program { id }}}}}}}}}}}}"
)


def cost(document: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    parsed = parse(document)
    assert validate(SCHEMA, parsed) == []
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [operation] = [
        d
        for d in parsed.definitions
        if isinstance(d, OperationDefinitionNode) and (name is None or d.name.value == name)
    ]
    return operation_cost(SCHEMA, operation, fragments, variables)


# --- the rule -----------------------------------------------------------------------------------


def test_scalars_are_free_and_an_object_field_costs_a_point() -> None:
    assert cost("{ serverTime }") == 0
    assert cost("{ __typename serverTime }") == 0
    assert cost("{ viewer { person { realName } } }") == 2


def test_a_connection_counts_its_first_and_nested_lists_multiply() -> None:
    # workshops 1, nodes 1 + 100, program 1, batches 1 + 100 × 10 (README).
    assert cost("{ workshops(first: 100) { nodes { program { batches { id } } } } }") == 1104
    # The argument's default (20), and edges like nodes.
    assert cost("{ workshops { nodes { id } } }") == 1 + 1 + 20
    assert cost("{ workshops { edges { node { id } } } }") == 1 + 1 + 20 + 1
    assert cost("{ workshops(first: 5) { totalCount pageInfo { hasNextPage } } }") == 2


def test_first_from_a_variable_its_default_and_the_arguments_default() -> None:
    query = "query ($n: Int) { workshops(first: $n) { nodes { id } } }"
    assert cost(query, {"n": 7}) == 2 + 7
    assert cost(query, {}) == 2 + 20
    assert cost(query, {"n": None}) == 2 + 20
    assert cost("query ($n: Int = 3) { workshops(first: $n) { nodes { id } } }", {}) == 2 + 3
    # Out of range is refused at execution (BAD_PAGE_REQUEST); the cost stays bounded.
    assert cost(query, {"n": 10**12}) == 2 + 100


def test_fragments_and_inline_fragments_count_as_written_out_and_aliases_separately() -> None:
    plain = "{ workshops(first: 4) { nodes { program { batches { id } } } } }"
    fragment = (
        "{ workshops(first: 4) { nodes { ...W } } } "
        "fragment W on Workshop { program { ... on Program { batches { id } } } }"
    )
    aliased = (
        "{ a: workshops(first: 4) { nodes { program { batches { id } } } } "
        "b: workshops(first: 4) { nodes { program { batches { id } } } } }"
    )
    assert cost(fragment) == cost(plain) == 1 + 1 + 4 + 1 + 1 + 40
    assert cost(aliased) == 2 * cost(plain)


def test_a_fragment_spread_many_times_is_costed_without_walking_it_each_time() -> None:
    # Ten levels of fragments, each spreading the next ten times: 10**10 paths to walk.
    levels = 10
    body = " ".join(
        f"fragment F{n} on Query {{ viewer {{ person {{ id }} }} {spreads} }}"
        for n in range(levels)
        for spreads in [" ".join([f"...F{n + 1}"] * 10)]
    )
    document = f"{{ ...F0 }} {body} fragment F{levels} on Query {{ serverTime }}"
    started = time.perf_counter()
    total = cost(document)
    assert time.perf_counter() - started < 0.5
    assert total == sum(2 * 10**n for n in range(levels))


def test_a_mutation_costs_ten_more_per_root_field() -> None:
    beat = (
        "mutation ($input: HeartbeatInput!) { heartbeat(input: $input) { "
        "heartbeat { sequence } userErrors { code } } }"
    )
    # heartbeat 10 + 1, its heartbeat 1, userErrors 1 + 10.
    assert cost(beat, {"input": {}}) == 23


def test_every_list_size_names_a_list_field_of_the_schema() -> None:
    for name in LIST_SIZES:
        type_name, field_name = name.split(".")
        field = SCHEMA.get_type(type_name).fields[field_name]  # type: ignore[union-attr]
        assert "[" in str(field.type), name


def test_the_hostile_request_costs_over_a_thousand_times_the_budget() -> None:
    assert cost(HOSTILE) > 1000 * BUDGET


# --- the stub and the README --------------------------------------------------------------------


def _readme_operations() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [("README.md", m) for m in re.findall(r"```graphql\n(.*?)```", readme, re.DOTALL)]


def test_every_operation_of_the_stub_and_the_readme_is_well_under_the_budget() -> None:
    costs: dict[str, int] = {}
    for source, document in [*_documents(), *_readme_operations()]:
        for definition in parse(document).definitions:
            if isinstance(definition, OperationDefinitionNode):
                assert definition.name is not None
                name = definition.name.value
                costs[f"{source}: {name}"] = cost(document, {}, name)
    assert len(costs) >= 25
    assert {name: c for name, c in costs.items() if c >= BUDGET // 2} == {}
    # The tutor's desk is the dearest page: a roster of 100 in each of the tutor's classes.
    assert max(costs.values()) == costs["tutor.js: TutorDesk"]


# --- over HTTP ----------------------------------------------------------------------------------


def _explode(*args: object, **kwargs: object) -> Any:
    raise AssertionError("a resolver ran")


async def test_the_hostile_request_is_refused_before_any_resolver_runs(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = await reference_program()
    workshop = await make_workshop(program, await make_person("leader"))
    trainee = await make_person("trainee")
    batch = await program.batches.all().order_by("number").first()
    assert batch is not None
    await enroll(trainee, workshop, batch)
    monkeypatch.setattr(workshop_use_cases, "workshops_visible", _explode)
    requested = cost(HOSTILE)

    started = time.perf_counter()
    body = await api.gql(HOSTILE, as_=trainee)
    elapsed = time.perf_counter() - started

    assert body == {
        "data": None,
        "errors": [
            {
                "message": f"查询开销 {requested} 超过每次请求的上限 1000：请减少嵌套或每页条数"
                "（first）",
                "extensions": {"code": "QUERY_TOO_COSTLY", "cost": requested, "budget": 1000},
            }
        ],
    }
    assert api.last_extensions == {"cost": {"requested": requested, "budget": 1000}}
    assert elapsed < 0.5


async def test_every_response_carries_its_cost_and_the_bucket_left(api: Api) -> None:
    person = await make_person("t1")
    query = "{ viewer { person { realName } } }"

    await api.gql(query, as_=person)
    first = api.last_extensions
    await api.gql(query, as_=person)
    second = api.last_extensions

    assert first == {
        "cost": {"requested": 2, "budget": 1000},
        "rateLimit": {"points": {"limit": 6000, "remaining": 5998}},
    }
    assert second is not None
    assert second["rateLimit"] == {"points": {"limit": 6000, "remaining": 5996}}


async def test_a_budget_of_its_own_is_honoured(
    db: str, settings: Settings, clock: FixedClock
) -> None:
    app = create_app(replace(settings, max_query_cost=2), clock=clock, manage_database=False)
    person = await make_person("t1")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://lms.test"
    ) as client:
        api = Api(client, settings, clock)
        ok = await api.gql("{ viewer { person { realName } } }", as_=person)
        refused = await api.gql("{ viewer { person { school { name } } } }", as_=person)
    assert "errors" not in ok
    assert [e["extensions"] for e in refused["errors"]] == [
        {"code": "QUERY_TOO_COSTLY", "cost": 3, "budget": 2}
    ]


# --- no WebSocket -------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
async def test_a_websocket_to_graphql_is_refused(settings: Settings, protocol: str) -> None:
    """The handshake is answered with a close, never an accept (the server's 403)."""
    app = create_app(replace(settings, dev_mode=True), manage_database=False)
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"lms.test"), (b"sec-websocket-protocol", protocol.encode())],
        "subprotocols": [protocol],
        "client": ("127.0.0.1", 50000),
        "server": ("lms.test", 80),
    }
    sent: list[dict[str, Any]] = []
    incoming = [{"type": "websocket.connect"}]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)

    assert [m["type"] for m in sent] == ["websocket.close"]
