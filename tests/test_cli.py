"""The `lms-plugin` command: export-schema, token, and what `serve --demo` prepares and prints."""

import asyncio
import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from lms_plugin import cli, serving
from lms_plugin.app import create_app
from lms_plugin.cli import instant, main, sdl
from lms_plugin.clock import OffsetClock, SystemClock
from lms_plugin.demo import DEMO_ACCOUNTS, DEMO_STARTS_AT
from lms_plugin.serving import log_config, prepare_and_create_app, serving_clock
from lms_plugin.settings import DEV_JWT_SECRET, Settings
from lms_plugin.tokens import InvalidToken, verify_token

from .conftest import TEST_DATA_KEYS, TEST_SECRET, local
from .servers import answers, free_port, running


def test_export_schema_writes_the_live_sdl_to_the_given_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "schema.graphql"

    main(["export-schema", "--output", str(target)])

    assert target.read_text(encoding="utf-8") == sdl()
    assert capsys.readouterr().out == f"wrote {target}\n"


def test_export_schema_takes_the_path_as_an_argument_and_dash_for_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "schema.graphql"

    main(["export-schema", str(target)])
    assert target.read_text(encoding="utf-8") == sdl()
    capsys.readouterr()

    main(["export-schema", "-"])
    assert capsys.readouterr().out == sdl()


def _files(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_export_schema_installed_from_a_wheel_prints_the_sdl_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The wheel's layout: site-packages/lms_plugin/ with the SDL as package data, no checkout.
    site_packages = tmp_path / "site-packages"
    (site_packages / "lms_plugin" / "schema").mkdir(parents=True)
    (site_packages / "lms_plugin" / "schema" / "schema.graphql").write_text("old", "utf-8")
    before = _files(tmp_path)
    monkeypatch.setattr(cli, "PACKAGE_DIR", site_packages / "lms_plugin")

    main(["export-schema"])

    assert capsys.readouterr().out == sdl()
    assert _files(tmp_path) == before


def test_export_schema_in_a_source_checkout_rewrites_the_committed_sdl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("lms_plugin", "schema"):
        (tmp_path / folder).mkdir()
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    monkeypatch.setattr(cli, "PACKAGE_DIR", tmp_path / "lms_plugin")

    main(["export-schema"])

    target = tmp_path / "schema" / "schema.graphql"
    assert target.read_text(encoding="utf-8") == sdl()
    assert capsys.readouterr().out == f"wrote {target}\n"


def test_this_checkout_is_recognised_as_one() -> None:
    assert cli.checkout_schema_path() == cli.SCHEMA_PATH
    assert cli.SCHEMA_PATH.is_file()


def test_token_prints_a_token_that_verifies_at_the_given_demo_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LMS_JWT_SECRET", TEST_SECRET)

    main(["token", "demo.trainee", "--at", "2012-04-27T10:00"])

    token = capsys.readouterr().out.strip()
    settings = Settings(jwt_secret=TEST_SECRET)
    assert verify_token(token, settings, local(2012, 4, 27, 21, 59, 59)) == "demo.trainee"


def test_a_token_expires_after_its_hours(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LMS_DEV_MODE", "1")
    monkeypatch.delenv("LMS_JWT_SECRET", raising=False)

    main(["token", "demo.tutor", "--at", "2012-04-27T10:00+08:00", "--hours", "2"])

    token = capsys.readouterr().out.strip()
    settings = Settings(jwt_secret=DEV_JWT_SECRET)
    assert verify_token(token, settings, local(2012, 4, 27, 11, 59, 59)) == "demo.tutor"
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(token, settings, local(2012, 4, 27, 12, 0))


def test_a_token_longer_than_the_maximum_lifetime_is_not_minted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LMS_DEV_MODE", "1")
    monkeypatch.delenv("LMS_JWT_MAX_LIFETIME_SECONDS", raising=False)

    with pytest.raises(SystemExit, match=r"--hours 13 is longer than LMS_JWT_MAX_LIFETIME_SECONDS"):
        main(["token", "demo.trainee", "--hours", "13"])
    assert capsys.readouterr().out == ""


def test_token_without_a_secret_outside_development_mode_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LMS_DEV_MODE", raising=False)
    monkeypatch.delenv("LMS_JWT_SECRET", raising=False)

    with pytest.raises(SystemExit, match="LMS_JWT_SECRET or LMS_JWKS_URL is required"):
        main(["token", "demo.trainee"])


def test_an_instant_without_offset_is_shanghai_time() -> None:
    assert instant("2012-05-10T09:00") == local(2012, 5, 10, 9, 0)
    assert instant("2012-05-10T01:00+00:00") == local(2012, 5, 10, 9, 0)


def test_a_malformed_instant_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["token", "demo.trainee", "--at", "next tuesday"])

    assert "not an ISO date-time: 'next tuesday'" in capsys.readouterr().err


def test_the_demo_clock_starts_when_batch_one_opens_unless_told_otherwise() -> None:
    demo = serving_clock(demo=True, at=None)
    shifted = serving_clock(demo=True, at=local(2012, 5, 10, 9, 0))

    assert isinstance(demo, OffsetClock)
    assert DEMO_STARTS_AT <= demo.now() < DEMO_STARTS_AT + dt.timedelta(minutes=5)
    assert local(2012, 5, 10, 9, 0) <= shifted.now() < local(2012, 5, 10, 9, 5)
    assert isinstance(serving_clock(demo=False, at=None), SystemClock)


def test_serve_demo_migrates_loads_once_and_prints_tokens_and_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(
        database_url=f"sqlite://{tmp_path / 'demo.sqlite3'}", dev_mode=True, jwt_secret=TEST_SECRET
    )

    prepare_and_create_app(settings, demo=True, host="127.0.0.1", port=8123)
    first = capsys.readouterr().out
    prepare_and_create_app(settings, demo=True, host="127.0.0.1", port=8123)
    again = capsys.readouterr().out

    lines = first.splitlines()
    assert lines[0] == "lms-plugin: the clock reads 2012-04-27 10:00 (Asia/Shanghai)"
    assert lines[1:4] == [
        "  GraphiQL: http://127.0.0.1:8123/graphql",
        "  study page (学员):   http://127.0.0.1:8123/ui/",
        "  tutor page (辅导教师): http://127.0.0.1:8123/ui/tutor.html",
    ]
    tokens = {}
    for account in DEMO_ACCOUNTS:
        header = f"{account.username} · {account.role} · {account.description}"
        tokens[account.username] = lines[lines.index(header) + 1]
        assert verify_token(tokens[account.username], settings, DEMO_STARTS_AT) == account.username
    assert f"  open http://127.0.0.1:8123/ui/#token={tokens['demo.trainee']}" in lines
    assert f"  open http://127.0.0.1:8123/ui/tutor.html#token={tokens['demo.tutor']}" in lines
    # A query string reaches the server and its access log; a fragment does not.
    assert "?token=" not in first
    assert [line for line in again.splitlines() if " · " in line] == [
        line for line in lines if " · " in line
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_passes_port_and_at_to_serve() -> None:
    def serve_line(*variables: str) -> str:
        dry_run = subprocess.run(
            ["make", "--dry-run", "demo", *variables],
            cwd=cli.PACKAGE_DIR.parent,
            capture_output=True,
            text=True,
            check=True,
        )
        return next(line for line in dry_run.stdout.splitlines() if " serve --demo" in line)

    assert serve_line("PORT=8001", "AT=2012-04-21T10:00").split()[-4:] == [
        "--port",
        "8001",
        "--at",
        "2012-04-21T10:00",
    ]
    assert serve_line().split()[-1] == "--demo"


# --- serve --workers ------------------------------------------------------------------------


def test_serve_with_workers_hands_uvicorn_the_worker_factory_and_the_demo_clock(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: dict[str, Any] = {}
    prepared: list[dict[str, Any]] = []
    clock = OffsetClock(local(2012, 5, 10, 9, 0))

    def prepare(settings: Settings, **where: Any) -> OffsetClock:
        prepared.append(where)
        return clock

    monkeypatch.setenv("LMS_DEV_MODE", "1")
    monkeypatch.delenv("LMS_REDIS_URL", raising=False)
    monkeypatch.delenv(serving.WORKER_CLOCK_OFFSET, raising=False)
    monkeypatch.setattr(serving, "prepare", prepare)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: ran.update(kwargs, app=app))

    main(["serve", "--workers", "3", "--demo", "--port", "8002"])

    assert prepared == [{"demo": True, "host": "127.0.0.1", "port": 8002, "at": None}]
    assert ran == {
        "app": "lms_plugin.serving:worker_app",
        "factory": True,
        "workers": 3,
        "timeout_worker_healthcheck": 60,
        "host": "127.0.0.1",
        "port": 8002,
        "log_level": "info",
        "log_config": log_config(),
    }
    # Each worker process reads the parent's clock, not one of its own start.
    worker = serving.worker_clock(os.environ)
    assert isinstance(worker, OffsetClock)
    assert abs(worker.now() - clock.now()) < dt.timedelta(seconds=1)
    assert "LMS_REDIS_URL is not set: each of the 3 workers keeps" in capsys.readouterr().err


def test_workers_without_the_demo_keep_the_system_clock(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LMS_DEV_MODE", "1")
    monkeypatch.setenv("LMS_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv(serving.WORKER_CLOCK_OFFSET, "-3.5e8")
    monkeypatch.setattr(serving, "prepare", lambda settings, **where: SystemClock())
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)

    main(["serve", "--workers", "2"])

    assert isinstance(serving.worker_clock(os.environ), SystemClock)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("count", ["0", "-2", "two"])
def test_workers_must_be_a_whole_number_of_at_least_one(
    count: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--workers", count])
    assert exited.value.code == 2
    assert f"a whole number of at least 1, got {count!r}" in capsys.readouterr().err


def _children(pid: int) -> list[int]:
    """The worker processes uvicorn spawned under `pid` (not multiprocessing's tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return sorted(found)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_with_two_workers_starts_two_processes_on_the_demo_clock(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "LMS_DATABASE_URL": f"sqlite://{tmp_path / 'demo.sqlite3'}",
        "LMS_UPLOAD_DIR": str(tmp_path / "uploads"),
        "LMS_JWT_SECRET": TEST_SECRET,
        "LMS_DEV_MODE": "",
        **{f"LMS_{name.upper()}": value for name, value in TEST_DATA_KEYS.items()},
    }
    command = [sys.executable, "-c", "from lms_plugin.cli import main; main()", "serve"]
    log = tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with running(
        [*command, "--demo", "--workers", "2", "--port", str(port)],
        env=env,
        log=log,
        ready=lambda: answers(f"{base}/health", times=4),
        seconds=60,
    ) as server:
        children = _children(server.pid)
        # The banner's token is minted on the demo clock: a worker on a clock of its own (real
        # time, 2026) would find it expired and answer as to nobody.
        banner = log.read_text(encoding="utf-8").splitlines()
        token = banner[banner.index(next(x for x in banner if x.startswith("demo.trainee ·"))) + 1]
        query = "{ viewer { person { username } enrollment { batch { window { state } } } } }"
        with httpx.Client(base_url=base, timeout=30) as client:
            found = [
                client.post(
                    "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
                ).json()["data"]
                for _ in range(8)
            ]
        assert found == 8 * [
            {
                "viewer": {
                    "person": {"username": "demo.trainee"},
                    "enrollment": {"batch": {"window": {"state": "OPEN"}}},
                }
            }
        ]
        # Migrated and loaded once, by `serve` itself.
        assert log.read_text().count("the clock reads") == 1
    assert len(children) == 2
    assert _children(server.pid) == []


# --- the served heap ------------------------------------------------------------------------


def _frozen_once_started(app: Starlette) -> int:
    """How many objects `gc.freeze` holds once the app's start-up is done (unfrozen after)."""

    async def started() -> int:
        async with app.router.lifespan_context(app):
            return gc.get_freeze_count()

    try:
        return asyncio.run(started())
    finally:
        gc.unfreeze()


def test_what_serve_starts_freezes_its_heap_once_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each process of `serve` moves what start-up built (modules, schema, pool) out of the
    collector's generations, so that no full collection walks it during a request; an app
    built by `create_app` alone (as tests build many) does not."""
    database = f"sqlite://{tmp_path / 'served.sqlite3'}"
    for name, value in {
        "LMS_DATABASE_URL": database,
        "LMS_JWT_SECRET": TEST_SECRET,
        "LMS_UPLOAD_DIR": str(tmp_path / "uploads"),
        "LMS_UPLOAD_CLEANUP_INTERVAL_SECONDS": "0",
        **{f"LMS_{name.upper()}": value for name, value in TEST_DATA_KEYS.items()},
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    assert gc.get_freeze_count() == 0

    one_process = prepare_and_create_app(settings, demo=False, host="127.0.0.1", port=8124)
    assert _frozen_once_started(one_process) > 0
    assert _frozen_once_started(serving.worker_app()) > 0
    assert _frozen_once_started(create_app(settings.checked())) == 0
    capsys.readouterr()
