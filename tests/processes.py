"""Processes the tests start and talk to over loopback: the API as `python -m app serve`
runs it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[bytes], within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(url, timeout=1, verify=False)  # noqa: S501 - only: is it up yet
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@contextmanager
def serving(database: Path, **settings: str) -> Iterator[tuple[str, list[str]]]:
    """The API served in a process of its own; yields its address and, once it stopped, the
    lines it wrote."""
    port = free_port()
    env = os.environ | {"APP_DATABASE_URL": f"sqlite+aiosqlite:///{database}"} | settings
    command = [sys.executable, "-m", "app", "serve", "--port", str(port)]
    output: list[str] = []
    with subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as server:
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(f"{base}/health/live", server)
            yield base, output
        finally:
            server.terminate()
            written, _ = server.communicate(timeout=20)
            output.extend(written.decode().splitlines())
