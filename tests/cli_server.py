"""``aseankg build`` and ``aseankg serve`` as a user runs them, for the tests that need
the real commands in their own processes (browser tests, real clients, engines): one
way to build a store by the CLI and to start, wait for and stop a server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ["CLI", "cli_build", "cli_serve", "free_port"]

CLI = Path(sys.executable).with_name("aseankg")


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (free when asked: bind it soon)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cli_build(store: Path, *sources: Path) -> Path:
    """``aseankg build SOURCES --store STORE``; fails the test with its stderr."""
    done = subprocess.run(
        [str(CLI), "build", *map(str, sources), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return store


@contextmanager
def cli_serve(
    store: str | Path, log_path: Path, *, options: Sequence[str] = (), start_s: float = 60
) -> Iterator[str]:
    """``aseankg serve --store STORE`` on a free loopback port, its output in ``log_path``:
    yields the root URL once ``/health`` answers, stops the process on exit."""
    port = free_port()
    command = [str(CLI), "serve", "--store", str(store), *options, "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_s
        while True:
            assert process.poll() is None, log_path.read_text(errors="replace")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"aseankg serve did not start in {start_s:g} s"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
