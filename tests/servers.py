"""A server process for tests and benchmarks: started, waited for until it answers, ended."""

import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers(url: str, times: int = 1) -> bool:
    """`url` answers 200 this many times in a row (each connection may reach another worker)."""
    try:
        return all(httpx.get(url, timeout=1).status_code == 200 for _ in range(times))
    except httpx.HTTPError:
        return False


@contextmanager
def running(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    log: Path,
    ready: Callable[[], bool],
    cwd: Path | None = None,
    seconds: float = 120,
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` running, its output appended to `log` (a file, not a pipe: an access log would
    fill a pipe nobody reads), once `ready()`; terminated on leaving."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            list(command), env=dict(env), cwd=cwd, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        # Starting takes a while on a busy machine (a demo to load, migrations to run).
        deadline = time.monotonic() + seconds
        while not ready():
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} stopped:\n{log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer in {seconds:.0f} s: see {log}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
