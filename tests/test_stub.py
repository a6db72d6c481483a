"""frontend_stub/: served under /ui/, and its JS only sends documents the live schema accepts."""

import re
from pathlib import Path

import pytest
from graphql import FieldNode, OperationDefinitionNode, parse, validate

from lms_plugin.app import stub_directory
from lms_plugin.clock import FixedClock
from lms_plugin.schema.build import build_schema

from .api import Api
from .conftest import local
from .factories import make_person

STUB = stub_directory()
# `gql` marks every GraphQL document in the stub (frontend_stub/api.js).
DOCUMENT = re.compile(r"gql`([^`]*)`")
MODULE_IMPORT = re.compile(r'from "\./([\w.-]+)"')
PAGE_ASSET = re.compile(r'(?:src|href)="([\w.-]+\.(?:js|css|html))"')


def _scripts() -> list[Path]:
    return sorted(STUB.glob("*.js"))


def _documents() -> list[tuple[str, str]]:
    return [
        (path.name, match.group(1))
        for path in _scripts()
        for match in DOCUMENT.finditer(path.read_text(encoding="utf-8"))
    ]


def _root_fields(document: str) -> set[str]:
    return {
        selection.name.value
        for definition in parse(document).definitions
        if isinstance(definition, OperationDefinitionNode)
        for selection in definition.selection_set.selections
        if isinstance(selection, FieldNode)
    }


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/ui/", "text/html"),
        ("/ui/index.html", "text/html"),
        ("/ui/tutor.html", "text/html"),
        ("/ui/import.html", "text/html"),
        ("/ui/style.css", "text/css"),
        *[(f"/ui/{p.name}", "text/javascript") for p in sorted(STUB.glob("*.js"))],
    ],
)
async def test_the_stub_is_served_under_ui(api: Api, path: str, content_type: str) -> None:
    response = await api.client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)


def test_every_asset_a_page_or_module_refers_to_exists() -> None:
    referred = {
        name
        for page in [*STUB.glob("*.html"), *_scripts()]
        for pattern in (PAGE_ASSET, MODULE_IMPORT)
        for name in pattern.findall(page.read_text(encoding="utf-8"))
    }
    assert referred
    assert sorted(name for name in referred if not (STUB / name).is_file()) == []


def test_every_graphql_document_of_the_stub_validates_against_the_live_schema() -> None:
    schema = build_schema()._schema
    documents = _documents()
    assert len(documents) >= 8

    problems = {
        f"{script}: {document.split('(')[0].split('{')[0].strip()}": [
            error.message for error in validate(schema, parse(document))
        ]
        for script, document in documents
    }
    assert {name: errors for name, errors in problems.items() if errors} == {}
    # Documents are constants: no interpolation, so what the test validates is what is sent.
    assert [script for script, document in documents if "${" in document] == []


def test_a_link_signs_in_through_the_fragment_and_the_token_stays_in_the_tab() -> None:
    api = (STUB / "api.js").read_text(encoding="utf-8")
    sign_in = api[api.index("export function takeTokenFromAddress") :]
    sign_in = sign_in[: sign_in.index("\n}\n")]
    scripts = {path.name: path.read_text(encoding="utf-8") for path in _scripts()}

    # The fragment is never sent to the server (nor to its access log); the query string is.
    assert "location.hash" in sign_in
    assert 'get("token")' in sign_in
    assert "history.replaceState" in sign_in
    assert "sessionStorage.setItem(TOKEN_KEY" in api
    assert [name for name, text in scripts.items() if "searchParams" in text] == []
    # localStorage would keep a bearer token on the device after the tab is closed.
    assert [name for name, text in scripts.items() if "localStorage" in text] == []
    assert "takeTokenFromAddress()" in scripts["ui.js"]


ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_links_carry_tokens_in_the_fragment() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "?token=" not in readme
    assert "/ui/#token=" in readme
    assert "/ui/tutor.html#token=" in readme


def test_every_graphql_example_of_the_readme_validates_against_the_live_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```graphql\n(.*?)```", readme, flags=re.DOTALL)
    schema = build_schema()._schema
    assert len(examples) >= 6

    assert [
        [error.message for error in validate(schema, parse(example))] for example in examples
    ] == [[] for _ in examples]


def test_the_readme_settings_table_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings = (ROOT / "lms_plugin" / "settings.py").read_text(encoding="utf-8")

    assert sorted(set(re.findall(r"^\| `(LMS_\w+)` \|", readme, flags=re.MULTILINE))) == sorted(
        set(re.findall(r'"(LMS_\w+)"', settings))
    )


def test_the_stub_shows_a_trainee_and_a_tutor_day() -> None:
    used = set().union(*(_root_fields(document) for _, document in _documents()))

    assert used >= {
        "serverTime",
        "viewer",
        "startStudySession",
        "heartbeat",
        "endStudySession",
        "assignments",
        "submitHomework",
        "tutorDesk",
        "gradingQueue",
        "gradeSubmission",
        "recommendSubmission",
        "importRoster",
        "importJob",
    }


async def test_server_time_is_the_clock_the_rules_use(api: Api, clock: FixedClock) -> None:
    person = await make_person()
    clock.set(local(2012, 4, 27, 10, 0, 30))

    assert await api.data("{ serverTime }", as_=person) == {
        "serverTime": "2012-04-27T10:00:30+08:00"
    }
    assert await api.data("{ serverTime }", as_=None) == {"serverTime": "2012-04-27T10:00:30+08:00"}
