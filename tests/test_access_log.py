"""`lms-plugin serve` keeps bearer tokens out of uvicorn's access log."""

import logging
import subprocess
import sys
import textwrap
from typing import Any

import pytest
import uvicorn

from lms_plugin import serving
from lms_plugin.cli import main
from lms_plugin.serving import RedactTokens, log_config


def _access_record(path: str) -> logging.LogRecord:
    """A record as uvicorn's HTTP protocols log a request."""
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:50000", "GET", path, "1.1", 200),
        None,
    )


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/ui/?token=eyJhbGciOi.eyJzdWIi.sig", "/ui/?token=[redacted]"),
        ("/ui/tutor.html?x=1&token=abc&y=2", "/ui/tutor.html?x=1&token=[redacted]&y=2"),
        ("/uploads/QXR0?access_token=abc", "/uploads/QXR0?access_token=[redacted]"),
        ("/graphql?tokens=3&mytoken=4", "/graphql?tokens=3&mytoken=4"),
        ("/ui/", "/ui/"),
    ],
)
def test_the_filter_blanks_token_values_in_the_request_line(path: str, logged: str) -> None:
    record = _access_record(path)

    assert RedactTokens().filter(record) is True
    assert record.getMessage() == f'127.0.0.1:50000 - "GET {logged} HTTP/1.1" 200'


def test_uvicorn_configured_by_serve_writes_no_token_to_the_access_log() -> None:
    # A fresh process: dictConfig would rewire this one's loggers for the rest of the suite.
    script = textwrap.dedent(
        """
        import logging.config
        from lms_plugin.serving import log_config
        logging.config.dictConfig(log_config())
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "GET", "/ui/?token=eyJ.s3cret", "1.1", 200
        )
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    assert "s3cret" not in done.stdout + done.stderr
    assert '"GET /ui/?token=[redacted] HTTP/1.1" 200' in done.stdout


def test_serve_runs_uvicorn_with_the_redacting_log_config(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: dict[str, Any] = {}
    monkeypatch.setenv("LMS_DEV_MODE", "1")
    monkeypatch.setattr(serving, "prepare_and_create_app", lambda *args, **kwargs: "app")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: ran.update(kwargs, app=app))

    main(["serve", "--port", "8001"])

    assert (ran["app"], ran["port"], ran["log_config"]) == ("app", 8001, log_config())
    assert ran["log_config"]["handlers"]["access"]["filters"] == ["redact_tokens"]
