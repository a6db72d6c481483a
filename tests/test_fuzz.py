"""API fuzzing: schemathesis generates queries and mutations for every operation of the live
schema, sent as each role against a seeded scenario. Whatever comes in, the API never answers
5xx, never has a bug (INTERNAL_SERVER_ERROR), gives every error a code, and never shows an
unmasked ID number or mobile.

Bounded for CI: a fixed number of examples per operation and role, each (operation, role) with its
own fixed seed, so every run sends the same requests. `LMS_FUZZ_EXAMPLES` raises the number for a
deeper run on a workstation (e.g. 40: about ten minutes on both backends).
"""

import datetime as dt
import logging
import os
import random
import zlib
from typing import Any

import graphql
import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.schemas import APIOperation

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.settings import Settings

from .api import Api
from .conftest import local
from .test_privacy import global_ids, leaks, personal_data, seed_scenario

EXAMPLES = int(os.environ.get("LMS_FUZZ_EXAMPLES", "6"))
FUZZ_ROLES = ("province_admin", "county_admin", "leader", "tutor", "trainee", "anonymous")
# Examples alternate between a registration day and a day inside batch 1's window (4/27–5/8),
# so that both registration and study rules are reached.
INSTANTS = (local(2012, 4, 20, 10, 0), local(2012, 5, 2, 10, 0))


def _load_operations() -> dict[str, APIOperation]:
    """Every query and mutation, read by introspection from an app in development mode (the
    fuzzed app runs in production mode, where introspection is off)."""
    app = create_app(Settings(dev_mode=True), manage_database=False)
    schema = schemathesis.graphql.from_asgi("/graphql", app)
    return {op.label: op for op in (result.ok() for result in schema.get_all_operations())}


OPERATIONS = _load_operations()


def register_scalars(ids: tuple[str, ...]) -> None:
    """Values that reach the rules: IDs mostly of seeded rows, dates mostly in the 2012 phase;
    sometimes anything at all; text now and then longer than any column."""
    schemathesis.graphql.scalar(
        "String",
        st.one_of(*[st.text(max_size=16)] * 3, st.text(min_size=65, max_size=600)).map(
            nodes.String
        ),
    )
    phase = st.dates(dt.date(2012, 4, 1), dt.date(2012, 7, 31))
    instants = st.datetimes(dt.datetime(2012, 4, 1), dt.datetime(2012, 7, 31))
    schemathesis.graphql.scalar(
        "ID", st.one_of(*[st.sampled_from(ids)] * 3, st.text(max_size=16)).map(nodes.String)
    )
    schemathesis.graphql.scalar(
        "Date", st.one_of(phase, phase, st.dates()).map(str).map(nodes.String)
    )
    schemathesis.graphql.scalar(
        "DateTime",
        st.one_of(instants, instants, st.datetimes())
        .map(lambda at: at.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).isoformat())
        .map(nodes.String),
    )


# ID arguments named after a person rather than a type.
PERSON_WORDS = {"person", "teacher", "trainee", "tutor", "member", "leader"}


def fitting_ids(argument: str, operation: str, ids: dict[str, list[str]]) -> list[str]:
    """Seeded ids of the type an ID argument names: `classId` → TrainingClass, `teacherIds` →
    Person, `id` of `updateBatch` → Batch. Empty when no type fits."""
    if argument == "id":
        named = [t for t in ids if t.lower() in operation.lower()]
        return ids[max(named, key=len)] if named else []
    base = argument.removesuffix("s").removesuffix("Id").lower()
    if base in PERSON_WORDS:
        return ids.get("Person", [])
    return [i for name, group in ids.items() if name.lower().endswith(base) for i in group]


class FitIds(graphql.Visitor):
    """Puts ids of the fitting type into most ID-named arguments and input fields, so that more
    requests get past NOT_FOUND to the rules (schemathesis cannot know which type an ID names)."""

    def __init__(self, operation: str, ids: dict[str, list[str]], rng: random.Random) -> None:
        super().__init__()
        self.operation, self.ids, self.rng = operation, ids, rng

    def _refit(self, value: graphql.ValueNode, fitting: list[str]) -> graphql.ValueNode:
        if isinstance(value, graphql.StringValueNode):
            return graphql.StringValueNode(value=self.rng.choice(fitting))
        if isinstance(value, graphql.ListValueNode):
            return graphql.ListValueNode(
                values=tuple(self._refit(v, fitting) for v in value.values)
            )
        return value

    def _fit(self, node: graphql.ArgumentNode | graphql.ObjectFieldNode) -> Any:
        name = node.name.value
        if name != "id" and not name.endswith(("Id", "Ids")):
            return None
        fitting = fitting_ids(name, self.operation, self.ids)
        if not fitting or self.rng.random() < 0.2:
            return None
        return type(node)(name=node.name, value=self._refit(node.value, fitting))

    def enter_argument(self, node: graphql.ArgumentNode, *_: object) -> Any:
        return self._fit(node)

    def enter_object_field(self, node: graphql.ObjectFieldNode, *_: object) -> Any:
        return self._fit(node)


def with_fitting_ids(document: str, operation: str, ids: dict[str, list[str]]) -> str:
    rng = random.Random(zlib.crc32(document.encode()))
    return graphql.print_ast(graphql.visit(graphql.parse(document), FitIds(operation, ids, rng)))


# Generation costs more than sending (about 20 ms a document): the second backend reuses it.
_generated: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}


def generated_queries(operation: APIOperation, role: str, ids: dict[str, list[str]]) -> list[str]:
    """The documents schemathesis generates for `operation` as `role`, the same on every run."""
    key = (operation.label, role, tuple(i for group in ids.values() for i in group))
    if key not in _generated:
        register_scalars(key[2])
        documents: list[str] = []

        @hypothesis.seed(zlib.crc32(f"{operation.label}/{role}".encode()))
        @hypothesis.settings(
            max_examples=EXAMPLES,
            database=None,
            deadline=None,
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def collect(case: Any) -> None:
            field = operation.label.partition(".")[2]
            documents.append(with_fitting_ids(str(case.body), field, ids))

        collect()
        _generated[key] = documents
    return _generated[key]


def problems_of(response: httpx.Response, people: list[tuple[str, str]]) -> list[str]:
    if response.status_code >= 500:
        return [f"status {response.status_code}"]
    try:
        body = response.json()
    except ValueError:
        return [f"not JSON (status {response.status_code})"]
    found = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None or code == "INTERNAL_SERVER_ERROR":
            found.append(f"error code {code}: {error.get('message')}")
    found += [f"shows {secret}" for secret in leaks(response.text, people)]
    found += [f"shows {trace!r}" for trace in ("Traceback", 'File "') if trace in response.text]
    return found


def bug_reports(records: list[logging.LogRecord]) -> list[str]:
    """The log of the masked errors: where each happened, and the end of its traceback."""
    formatter = logging.Formatter()
    return [
        f"{record.getMessage()}:\n{formatter.formatException(record.exc_info)[-1500:]}"
        for record in records
        if record.name == "lms_plugin.errors" and record.exc_info
    ]


def test_every_operation_is_fuzzed() -> None:
    """The schema is read live: a new operation is fuzzed without touching this file."""
    assert {"Query.node", "Query.programs", "Mutation.createBatch"} <= set(OPERATIONS)
    assert all(label.startswith(("Query.", "Mutation.")) for label in OPERATIONS)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
async def test_fuzzed_operation_never_breaks_or_leaks(
    api: Api, clock: FixedClock, caplog: pytest.LogCaptureFixture, label: str
) -> None:
    scenario = await seed_scenario()
    people = await personal_data()
    ids = await global_ids()
    failures: list[str] = []
    for role in FUZZ_ROLES:
        for n, document in enumerate(generated_queries(OPERATIONS[label], role, ids)):
            clock.set(INSTANTS[n % len(INSTANTS)])
            response = await api.post(document, as_=scenario.people[role])
            failures += [
                f"as {role} at {clock.now().isoformat()}: {problem}\n{document}\n"
                f"→ {response.text[:600]}"
                for problem in problems_of(response, people)
            ]
    assert not failures, "\n\n".join(failures[:10] + bug_reports(caplog.records)[:5])
