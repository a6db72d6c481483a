"""The compiled plans (lms_plugin/fast_path.py) answer byte for byte what the general path
answers: the same scenario, refusals included, runs twice on two identical fresh databases,
once sending each stub document's text (the general path) and once only its hash (a plan where
it has one), and the statuses and bodies are compared."""

import asyncio
import itertools
from pathlib import Path
from typing import Any

import httpx
import pytest

from lms_plugin.app import create_app, stub_directory
from lms_plugin.clock import FixedClock
from lms_plugin.fast_path import FastPath, _calling, _Calls, _Field, compile_plan
from lms_plugin.http import GraphQLEndpoint
from lms_plugin.persisted import STUB_DOCUMENT, sha256_of
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import EnrollmentStatus
from lms_plugin.storage.models import Enrollment

from . import factories
from .api import Api
from .conftest import local
from .databases import PostgresTemplate, SqliteTemplate, open_database
from .study_world import World, make_world, start_id

AT = local(2012, 4, 28, 9, 0)


def stub_documents() -> dict[str, str]:
    """The stub's documents by operation name."""
    found = {}
    for script in sorted(stub_directory().glob("*.js")):
        for document in STUB_DOCUMENT.findall(script.read_text(encoding="utf-8")):
            name = document.split("(")[0].split("{")[0].split()[1]
            found[name] = document
    return found


DOCUMENTS = stub_documents()
HOT = ("StudyPage", "Heartbeat", "TutorDesk")


def test_the_hot_stub_documents_have_plans_and_no_other_has(settings: Settings) -> None:
    app = create_app(settings, manage_database=False)
    schema = app.state.fast_path.schema
    planned = {
        name
        for name, document in DOCUMENTS.items()
        if compile_plan(schema, document, settings, [], lambda _q, _d: None) is not None
    }
    assert planned == set(HOT)


def test_the_heartbeat_plan_calls_the_mutation_itself(settings: Settings) -> None:
    app = create_app(settings, manage_database=False)
    schema = app.state.fast_path.schema
    plan = compile_plan(schema, DOCUMENTS["Heartbeat"], settings, [], lambda _q, _d: None)
    assert plan is not None
    [field] = plan.fields
    assert isinstance(field, _Field)
    # The resolver schema/core/mutations.py built, not strawberry's wrapper around it.
    assert schema.mutation_type is not None
    assert field.resolve is not schema.mutation_type.fields["heartbeat"].resolve
    assert field.resolve.__qualname__ == "_direct.<locals>.resolve"


def test_the_plans_call_a_fields_own_resolver_where_strawberrys_wrapper_adds_nothing(
    settings: Settings,
) -> None:
    """Without field extensions or exception handlers, a resolver taking `self` and at most
    `info` (and with `info`, plain scalar arguments) is called itself (strawberry's Info built
    only for the ones taking it)."""
    app = create_app(settings, manage_database=False)
    types = app.state.fast_path.schema.type_map
    fields = {
        ("Enrollment", "batch"),  # (self, info)
        ("HourSplit", "totalHours"),  # (self)
        ("Workshop", "placesLeft"),  # (self)
        ("Query", "viewer"),  # (self, info), at the root
        ("Viewer", "enrollment"),  # (self, info, program_id): a plain argument
        ("Query", "node"),  # a global id: strawberry converts it
        ("Enrollment", "track"),  # an attribute
        ("Mutation", "heartbeat"),  # schema/core/mutations.py's, with its input
    }
    calls = {(kind, name): _calling(types[kind].fields[name])[1] for kind, name in fields}
    assert calls == {
        ("Enrollment", "batch"): _Calls.OWN_WITH_INFO,
        ("HourSplit", "totalHours"): _Calls.OWN,
        ("Workshop", "placesLeft"): _Calls.OWN,
        ("Query", "viewer"): _Calls.OWN_WITH_INFO,
        ("Viewer", "enrollment"): _Calls.OWN_WITH_INFO,
        ("Query", "node"): _Calls.WRAPPED,
        ("Enrollment", "track"): _Calls.ATTRIBUTE,
        ("Mutation", "heartbeat"): _Calls.MUTATION,
    }


Call = tuple[str, str | None, dict[str, Any] | None]  # operation, who, variables


def _scenario(world: World, session_id: str, other_session_id: str) -> list[Call]:
    beat = DOCUMENTS["Heartbeat"]
    assert beat
    inputs: list[dict[str, Any] | None] = [
        {"input": {"sessionId": session_id, "sequence": 1}},  # counted
        {"input": {"sessionId": session_id, "sequence": 1}},  # a retry: DUPLICATE
        {"input": {"sessionId": session_id, "sequence": 0}},  # INVALID_INPUT (userErrors)
        {"input": {"sessionId": other_session_id, "sequence": 1}},  # another's: NOT_FOUND
        {"input": {"sessionId": "U3R1ZHlTZXNzaW9uOjk5OTk=", "sequence": 1}},  # unknown id
        {"input": {"sessionId": "not an id", "sequence": 2}},
        {"input": {"sessionId": session_id, "sequence": "two"}},  # a malformed variable
        {"input": {"sessionId": session_id}},  # a missing one
        {"input": {"sessionId": "x\u0000", "sequence": 2}},  # NUL
        None,
        {"input": {"sessionId": session_id, "sequence": 2}, "extra": 1},
    ]
    calls: list[Call] = [
        ("StudyPage", None, None),
        ("StudyPage", "trainee", None),
        ("StudyPage", "outsider", None),  # no enrollment
        ("StudyPage", "tutor", None),
        ("StudyPage", "withdrawn", None),
        ("StudyPage", "nobody-here", None),  # a valid token, no such person
        ("TutorDesk", "tutor", None),
        ("TutorDesk", "leader", None),
        ("TutorDesk", "trainee", None),  # wrong role
        ("TutorDesk", None, None),
    ]
    calls += [("Heartbeat", "trainee", variables) for variables in inputs]
    calls += [
        ("Heartbeat", None, {"input": {"sessionId": session_id, "sequence": 3}}),
        ("Heartbeat", "tutor", {"input": {"sessionId": session_id, "sequence": 3}}),
        ("Heartbeat", "transitional", {"input": {"sessionId": other_session_id, "sequence": 1}}),
        ("StudyPage", "trainee", None),  # after the beats
        # The trainee's eleventh beat of the minute: over the rate limit (429).
        ("Heartbeat", "trainee", {"input": {"sessionId": session_id, "sequence": 4}}),
    ]
    return calls


async def _run(
    template: SqliteTemplate | PostgresTemplate,
    directory: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    by_hash: bool,
) -> list[tuple[int, bytes]]:
    await asyncio.to_thread(directory.mkdir)
    clock = FixedClock(AT)
    # The factories number their people: both worlds are numbered alike.
    monkeypatch.setattr(factories, "_sequence", itertools.count(1))
    async with template.copy(directory) as url, open_database(url):
        world = await make_world()
        withdrawn = await Enrollment.get(id=world.transitional_enrollment.id)
        app = create_app(settings, clock=clock, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:
            api = Api(client, settings, clock)
            session_id = await start_id(api, world.trainee, world)
            other = await start_id(api, world.transitional, world)
            withdrawn.status = EnrollmentStatus.WITHDRAWN
            await withdrawn.save()
            clock.advance(seconds=60)
            people = {
                "trainee": world.trainee,
                "outsider": world.outsider,
                "tutor": world.tutor,
                "leader": world.leader,
                "transitional": world.transitional,
                "withdrawn": world.transitional,
                "nobody-here": "nobody-here",
            }
            answers = []
            for operation, who, variables in _scenario(world, session_id, other):
                document = DOCUMENTS[operation]
                body: dict[str, Any] = {"operationName": operation, "variables": variables}
                if by_hash:
                    body["extensions"] = {
                        "persistedQuery": {"version": 1, "sha256Hash": sha256_of(document)}
                    }
                else:
                    body["query"] = document
                response = await client.post(
                    "/graphql", json=body, headers=api.headers(people[who] if who else None)
                )
                assert response.headers["content-type"] == "application/json"
                answers.append((response.status_code, response.content))
            return answers


async def test_every_hot_operation_answers_alike_both_ways(
    template: SqliteTemplate | PostgresTemplate,
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    general = await _run(template, tmp_path / "general", settings, monkeypatch, by_hash=False)
    fast = await _run(template, tmp_path / "fast", settings, monkeypatch, by_hash=True)
    for number, (one, other) in enumerate(zip(general, fast, strict=True)):
        assert one == other, number
    assert [status for status, _ in general] == [200] * 25 + [429]
    assert b'"countedSeconds":60' in general[10][1]
    assert b'"NOT_ENROLLED"' in general[23][1]


async def test_the_plans_answer_all_but_the_refusals_they_leave_to_the_general_path(
    template: SqliteTemplate | PostgresTemplate,
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    general: list[int] = []
    answered = GraphQLEndpoint.run

    async def run(self: GraphQLEndpoint, request: Any, *args: Any, **kwargs: Any) -> Any:
        general.append(len(general))
        return await answered(self, request, *args, **kwargs)

    monkeypatch.setattr(GraphQLEndpoint, "run", run)
    by_text = await _run(template, tmp_path / "general", settings, monkeypatch, by_hash=False)
    runs_by_text = len(general)
    general.clear()
    calls: list[int] = []
    serve = FastPath.serve

    async def counted(self: FastPath, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(calls))
        return await serve(self, *args, **kwargs)

    monkeypatch.setattr(FastPath, "serve", counted)
    await _run(template, tmp_path / "fast", settings, monkeypatch, by_hash=True)
    # Started by the hash: every call of the scenario; the general path: the two starts of
    # sessions, then no token, an unknown user, four malformed or unstorable variables and
    # the rate limit's refusal.
    assert (runs_by_text, len(calls), len(general)) == (len(by_text) + 2, len(by_text), 2 + 9)


ENROLLMENT_BY_PROGRAM = """query EnrollmentByProgram($program: ID) {
  viewer { enrollment(programId: $program) { id track batch { name } } }
}"""


async def test_a_plan_passes_a_fields_plain_arguments_as_strawberry_does(api: Api) -> None:
    """`enrollment(programId:)` is called by the plan itself (`_Calls.OWN_WITH_INFO`): the
    same answers as the general path's (but the rate limit's count, which each request
    lowers) for the program, another object's id, null and no variable at all."""
    world = await make_world()
    headers = api.headers(world.trainee)
    hashed = {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(ENROLLMENT_BY_PROGRAM)}}
    register = {"query": ENROLLMENT_BY_PROGRAM, "extensions": hashed}
    assert (await api.client.post("/graphql", json=register, headers=headers)).status_code == 200

    async def both_ways(variables: dict[str, Any] | None) -> dict[str, Any]:
        general, fast = [
            api.without_extensions(
                (await api.client.post("/graphql", json=body, headers=headers)).json()
            )
            for body in (
                {"query": ENROLLMENT_BY_PROGRAM, "variables": variables},
                {"extensions": hashed, "variables": variables},
            )
        ]
        assert general == fast
        return general

    program = encode_id("Program", world.program.id)
    found = await both_ways({"program": program})
    assert found["data"]["viewer"]["enrollment"]["track"] == "NETWORK"
    assert await both_ways({"program": encode_id("Batch", 1)}) == {
        "data": {"viewer": {"enrollment": None}}
    }
    assert await both_ways({"program": None}) == await both_ways(None) == found
