"""The stub sends hashes (frontend_stub/api.js, Apollo's automatic persisted queries): the study
page in headless Chromium against `lms-plugin serve --demo` works, and every GraphQL request it
made carried only a SHA-256, no document. A server that does not know a hash gets the document
once; where crypto.subtle is missing (plain http off localhost) the document goes as before."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

from lms_plugin.persisted import STUB_DOCUMENT, sha256_of

from .test_graphiql_browser import _token_of, browser, served_demo

__all__ = ["browser"]  # the Chromium fixture, shared

NOT_FOUND = (
    '{"errors": [{"message": "PersistedQueryNotFound",'
    ' "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}'
)


@pytest.fixture(scope="module")
def demo_trainee(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with served_demo(tmp_path_factory.mktemp("hashes")) as (base, banner):
        yield base, _token_of(banner, "demo.trainee")


def _study_page(
    browser: Browser, base: str, token: str, *, init_script: str = "", forget_first: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """Opens the study page and waits for it to fill; the GraphQL bodies it sent, its errors.
    `forget_first`: the first hash-only request is answered PERSISTED_QUERY_NOT_FOUND."""
    bodies: list[dict[str, Any]] = []
    errors: list[str] = []
    forgotten: list[str] = []

    def graphql(route: Route) -> None:
        body = route.request.post_data_json
        bodies.append(body)
        if forget_first and not forgotten and "query" not in body:
            forgotten.append(body["extensions"]["persistedQuery"]["sha256Hash"])
            route.fulfill(status=200, content_type="application/json", body=NOT_FOUND)
        else:
            route.continue_()

    context = browser.new_context()
    if init_script:
        context.add_init_script(init_script)
    context.route(f"{base}/graphql", graphql)
    page: Page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/ui/#token={token}")
    page.wait_for_function(
        "() => ['#profile', '#hours', '#workshop'].every("
        "s => document.querySelector(s).textContent.trim().length > 0)",
        timeout=20000,
    )
    page.wait_for_load_state("networkidle")
    assert page.locator("#messages").is_hidden(), page.locator("#messages").inner_text()
    context.close()
    return bodies, errors


def test_the_study_page_sends_only_hashes(browser: Browser, demo_trainee: tuple[str, str]) -> None:
    base, token = demo_trainee
    bodies, errors = _study_page(browser, base, token)
    assert errors == []
    assert bodies, "the page sent no GraphQL request"
    assert [body for body in bodies if "query" in body] == []
    assert {body["extensions"]["persistedQuery"]["version"] for body in bodies} == {1}
    stub = {sha256_of(document) for document in _stub_documents()}
    sent = {body["extensions"]["persistedQuery"]["sha256Hash"] for body in bodies}
    assert sent <= stub


def test_an_unknown_hash_is_sent_again_with_its_document(
    browser: Browser, demo_trainee: tuple[str, str]
) -> None:
    base, token = demo_trainee
    bodies, errors = _study_page(browser, base, token, forget_first=True)
    assert errors == []
    first, again = bodies[0], bodies[1]
    assert "query" not in first
    assert again["extensions"] == first["extensions"]
    assert sha256_of(again["query"]) == first["extensions"]["persistedQuery"]["sha256Hash"]
    assert [body for body in bodies[2:] if "query" in body] == []


def test_without_crypto_subtle_the_document_is_sent(
    browser: Browser, demo_trainee: tuple[str, str]
) -> None:
    """What a page on plain http off localhost sees (no secure context, no crypto.subtle)."""
    base, token = demo_trainee
    no_subtle = "Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined });"
    bodies, errors = _study_page(browser, base, token, init_script=no_subtle)
    assert errors == []
    assert bodies
    assert [body for body in bodies if "query" not in body or "extensions" in body] == []


def _stub_documents() -> list[str]:
    stub = Path(__file__).resolve().parent.parent / "frontend_stub"
    return [d for script in stub.glob("*.js") for d in STUB_DOCUMENT.findall(script.read_text())]
