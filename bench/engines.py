"""Real SPARQL engines on loopback for the tests and the benchmarks: Virtuoso (Debian's
``virtuoso-opensource-7-bin``, installed by ``.ci/system-tools.sh``) and Oxigraph server
(PyPI's ``oxigraph``, a dev dependency).

Each runs from a temporary folder of its own, on free loopback ports, and is stopped by
its pid. Virtuoso starts from a copy of ``tests/data/engines/virtuoso.ini`` with the
folder and ports filled in (its first start creates the database: some seconds), then
its ``dba`` password is set to a fresh random one through ``isql-vt``; the engine's
``ResultSetMaxRows`` is raised to 1,000,000 there, above every row cap of ours (its
default, 10,000, cuts results silently), or set small for the tests of that cut.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["Engine", "free_port", "oxigraph_server", "virtuoso"]

ROOT = Path(__file__).resolve().parents[1]
VIRTUOSO_INI = ROOT / "tests" / "data" / "engines" / "virtuoso.ini"
_START_SECONDS = 120.0


@dataclass(frozen=True)
class Engine:
    """A running engine: its ``--store`` URL, the credentials to write (``user``,
    ``password``; empty for Oxigraph server), its ``pid``, the raw SPARQL endpoint URL
    (``endpoint``, for measuring the engine directly) and its ``folder``."""

    url: str
    endpoint: str
    user: str
    password: str
    pid: int
    folder: Path
    max_rows: int = 0
    isql: str = ""

    def environment(self) -> dict[str, str]:
        """The variables that give ``aseankg`` this engine's credentials (and its row
        limit, ``ResultSetMaxRows``, when it has one)."""
        if not self.user:
            return {}
        names = {"ASEANKG_STORE_USER": self.user, "ASEANKG_STORE_PASSWORD": self.password}
        if self.max_rows:
            names["ASEANKG_STORE_MAX_ROWS"] = str(self.max_rows)
        return names


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (free when asked: bind it soon)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the engine exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the engine did not answer {url} in {_START_SECONDS:g} s")
        time.sleep(0.25)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM by pid, then SIGKILL after 20 s."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


@contextlib.contextmanager
def virtuoso(folder: Path, *, max_rows: int = 1_000_000) -> Iterator[Engine]:
    """Virtuoso in ``folder`` on free loopback ports, with its own ``dba`` password;
    ``max_rows`` is its ``ResultSetMaxRows`` (a small one: the tests of its silent cut).

    Raises ``RuntimeError`` when ``virtuoso-t``/``isql-vt`` are missing or it does not start.
    """
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        raise RuntimeError("virtuoso-t is not installed: run .ci/system-tools.sh")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text("utf-8").format(
        folder=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows
    )
    (folder / "virtuoso.ini").write_text(ini, "utf-8")
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [server, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        endpoint = f"http://127.0.0.1:{http_port}/sparql"
        _wait_http(f"{endpoint}?query=ASK%7B%7D", process, log)
        password = secrets.token_hex(12)
        subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba"],
            input=f"user_set_password('dba', '{password}');\n".encode(),
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield Engine(
            f"virtuoso+{endpoint}",
            endpoint,
            "dba",
            password,
            process.pid,
            folder,
            max_rows=max_rows,
            isql=f"127.0.0.1:{sql_port}",
        )
    finally:
        _stop(process)


@contextlib.contextmanager
def oxigraph_server(folder: Path) -> Iterator[Engine]:
    """Oxigraph server (``oxigraph serve``) on a store in ``folder``, a free loopback port.

    Raises ``RuntimeError`` when the ``oxigraph`` command is missing or does not start.
    """
    command = Path(sys.executable).with_name("oxigraph")
    if not command.exists():
        raise RuntimeError("the oxigraph server is not installed: pip install oxigraph")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(command),
                "serve",
                "--location",
                str(folder / "db"),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        root = f"http://127.0.0.1:{port}"
        _wait_http(f"{root}/query?query=ASK%7B%7D", process, log)
        yield Engine(f"oxigraph+{root}", f"{root}/query", "", "", process.pid, folder)
    finally:
        _stop(process)
