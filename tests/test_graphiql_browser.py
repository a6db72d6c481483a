"""GraphiQL in a real browser with the network cut: `lms-plugin serve --demo` on 127.0.0.1, Debian's
headless Chromium, a token pasted into the headers pane, the page's default query run, its result
read back."""

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Route,
    WebSocket,
    sync_playwright,
)

from .databases import IN_CI
from .servers import answers, free_port, running

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(
                f"CI must run the browser test: {CHROMIUM} is missing (.ci/run installs it)"
            )
        pytest.skip(f"the browser test needs {CHROMIUM}: apt-get install chromium fonts-wqy-zenhei")
    with sync_playwright() as playwright:
        # Nothing resolves but the local server, whatever the page or Chromium itself asks for.
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        yield launched
        launched.close()


def _token_of(banner: str, username: str) -> str:
    """The token the serve banner prints on the line after the account's."""
    lines = banner.splitlines()
    for line, following in pairwise(lines):
        if line.startswith(f"{username} · "):
            return following.strip()
    raise AssertionError(f"the banner names no {username}:\n{banner}")


@contextmanager
def served_demo(directory: Path) -> Iterator[tuple[str, str]]:
    """`lms-plugin serve --demo` in development mode on a free port: its base URL and the
    banner it printed (the demo accounts' tokens)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "LMS_DEV_MODE": "1",
        "LMS_DATABASE_URL": f"sqlite://{directory / 'demo.sqlite3'}",
        "LMS_UPLOAD_DIR": str(directory / "uploads"),
    }
    command = [sys.executable, "-c", "from lms_plugin.cli import main; main()", "serve"]
    log = directory / "serve.log"
    with running(
        [*command, "--demo", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        log=log,
        ready=lambda: answers(f"{base}/health"),
    ):
        # The banner is printed before uvicorn starts.
        yield base, log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The demo served: its base URL and demo.trainee's token."""
    with served_demo(tmp_path_factory.mktemp("browser")) as (base, banner):
        yield base, _token_of(banner, "demo.trainee")


def _text(editor: Locator) -> str:
    """A CodeMirror editor's text (its element carries the CodeMirror instance)."""
    text: str = editor.locator(".CodeMirror").evaluate("e => e.CodeMirror.getValue()")
    return text


def _paste(editor: Locator, text: str) -> None:
    # insert_text enters text as a paste does: CodeMirror's bracket closing adds nothing.
    editor.locator(".CodeMirror").click()
    editor.page.keyboard.press("Control+A")
    editor.page.keyboard.insert_text(text)
    assert _text(editor) == text


def test_graphiql_runs_a_query_with_a_token_offline(
    browser: Browser, demo: tuple[str, str], tmp_path: Path
) -> None:
    base, token = demo
    elsewhere: list[str] = []
    errors: list[str] = []

    def local_only(route: Route) -> None:
        if route.request.url.startswith(f"{base}/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    def websocket(socket: WebSocket) -> None:
        # Routes do not see WebSockets (the page opens one only for a subscription).
        if not socket.url.startswith(base.replace("http://", "ws://", 1) + "/"):
            elsewhere.append(socket.url)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", local_only)
    page = context.new_page()
    page.on("websocket", websocket)
    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{base}/graphql")
    query = page.locator(".graphiql-query-editor")
    headers = page.locator(".graphiql-editor-tool .graphiql-editor").nth(1)  # after Variables
    result = page.locator(".result-window")
    page.get_by_role("button", name="Headers").click()
    _paste(headers, json.dumps({"Authorization": f"Bearer {token}"}))
    # The default query of static/start.js. Not edited here: GraphiQL takes the operation name
    # from an edit after a debounce, so a click right after an edit may send the old name.
    assert "query Viewer" in _text(query)
    page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
    page.wait_for_function(
        "() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue() !== ''"
    )
    response = json.loads(_text(result))
    screenshot = tmp_path / "graphiql.png"
    page.screenshot(path=screenshot)
    print(f"screenshot: {screenshot}")
    context.close()

    assert elsewhere == []
    assert errors == []
    assert "errors" not in response, response
    person = response["data"]["viewer"]["person"]
    assert person["username"] == "demo.trainee"
    assert person["realName"]
