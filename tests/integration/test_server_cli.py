"""``aseankg serve`` refuses a port it cannot use, in one line, before uvicorn starts."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("aseankg")


def _serve(store: Path, port: str) -> subprocess.CompletedProcess[str]:
    command = [str(CLI), "serve", "--store", str(store), "--port", port]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("port", ["0", "99999"])
def test_a_port_outside_1_to_65535_is_a_usage_error(seed_store: Path, port: str) -> None:
    done = _serve(seed_store, port)
    assert done.returncode == 2
    assert "Invalid value for '--port'" in done.stderr
    assert "Traceback" not in done.stderr and "Uvicorn" not in done.stderr


def test_a_port_in_use_is_one_line_and_exit_1(seed_store: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve(seed_store, str(port))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"aseankg: error: cannot listen on 127.0.0.1:{port}: address already in use"
    ]
